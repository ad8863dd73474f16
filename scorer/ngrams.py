"""Word and character n-gram TF-IDF computed with numpy (no per-n-gram Python work).

scikit-learn's ``TfidfVectorizer`` builds every n-gram as a Python string and looks it up in a
dict: for a 5 kB page and character 2–5-grams that is ~20,000 strings, most of the time it
takes to score a page. :class:`NgramTfidf` computes the same kind of features from the text's
code points with vectorised polynomial hashes:

* the text is lower-cased and turned into a ``uint64`` array of code points; prefix sums of
  ``c[i] * P**i`` (mod 2**64) give the hash of any span in O(1), for all spans at once;
* character n-grams are taken inside whitespace-separated words padded with one space, like
  scikit-learn's ``analyzer="char_wb"``; word tokens are runs of word characters with inner
  apostrophes and hyphens (``l'IA``, ``aujourd’hui``, ``porte-parole``), like the token pattern
  used before; word bigrams combine two token hashes;
* the vocabulary is the sorted array of the kept 64-bit hashes (document frequency >= ``min_df``,
  then the ``max_features`` most frequent), looked up with ``np.searchsorted``; each kept hash
  remembers one example string for explanations.

With 64-bit hashes and a vocabulary of 10**5 entries, the chance that any n-gram of a 10**6
n-gram corpus falsely matches a vocabulary entry is ~10**-8: the features are exact in practice.
Weighting is scikit-learn's: sublinear tf (1 + log tf), smoothed idf, l2 row normalisation.
"""
from __future__ import annotations

import re
import threading
from functools import cache

import numpy as np

from .csr import Rows, vstack
from .fitted import Transformer

__all__ = ["NgramTfidf", "text_hashes"]

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_P = 0x100000001B3  # odd, so invertible mod 2**64 (the 64-bit FNV prime)
_P_INV = pow(_P, -1, 1 << 64)
_BIGRAM_MUL = np.uint64(0x9E3779B97F4A7C15)
_JOINERS = frozenset("'’-")
_TOKEN = re.compile(r"\w[\w'’\-]*\w|\w")
_PLAIN_TOKEN = re.compile(r"\w\w+")


@cache
def _word_table() -> np.ndarray:
    """Is code point c a word character (``str.isalnum`` or ``_``)? For the Basic Multilingual Plane."""
    return np.fromiter((chr(c).isalnum() or c == 95 for c in range(0x10000)), dtype=bool, count=0x10000)


_POWERS: tuple[np.ndarray, np.ndarray] | None = None
_POWERS_LOCK = threading.Lock()


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P**i and P**-i mod 2**64 for i < n (grown on demand, shared between threads: the pair
    is replaced as a whole, under a lock, and never by a shorter one)."""
    global _POWERS
    current = _POWERS
    if current is not None and len(current[0]) >= n:
        return current
    with _POWERS_LOCK:
        current = _POWERS
        if current is not None and len(current[0]) >= n:
            return current
        size = max(n, 1 << 16, 2 * len(current[0]) if current is not None else 0)
        p = np.empty(size, dtype=np.uint64)
        q = np.empty(size, dtype=np.uint64)
        p[0] = q[0] = 1
        with np.errstate(over="ignore"):
            # doubling: p[k:2k] = p[:k] * P**k
            k = 1
            while k < size:
                m = min(k, size - k)
                p[k:k + m] = p[:m] * np.uint64(pow(_P, k, 1 << 64))
                q[k:k + m] = q[:m] * np.uint64(pow(_P_INV, k, 1 << 64))
                k *= 2
        _POWERS = (p, q)
        return _POWERS


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)


def _span_hashes(prefix: np.ndarray, inv: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return (prefix[ends] - prefix[starts]) * inv[starts]


def _prefix(cp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p, q = _powers(len(cp) + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(cp) + 1, dtype=np.uint64)
        np.cumsum(cp * p[: len(cp)], out=prefix[1:])
    return prefix, q


def _mix(h: np.ndarray, salt: int) -> np.ndarray:
    """Spread the bits and separate namespaces (n-gram order, unigram vs bigram)."""
    with np.errstate(over="ignore"):
        h = h ^ np.uint64(salt * 0xBF58476D1CE4E5B9 & 0xFFFFFFFFFFFFFFFF)
        h = (h ^ (h >> np.uint64(31))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(29))


def _join(texts: list[str], sep: str) -> tuple[str, np.ndarray]:
    """Concatenate texts with ``sep``; returns the string and each text's start offset."""
    lengths = np.fromiter((len(t) + len(sep) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.zeros(0, dtype=np.int64)
    return sep.join(texts) + sep, starts


def _word_hashes(texts: list[str], ngram_range: tuple[int, int], tokens: str = "joined"):
    """(hashes, document index, start, end) of the word n-grams of ``texts`` (lower-cased).

    ``tokens="joined"``: runs of word characters with inner ' ’ - (``\\w[\\w'’-]*\\w|\\w``);
    ``tokens="plain"``: runs of two or more word characters (scikit-learn's default pattern).
    """
    joined, offsets = _join([t.lower() for t in texts], "\n")
    cp = _codepoints(joined)
    table = _word_table()
    word = np.zeros(len(cp), dtype=bool)
    bmp = cp < 0x10000
    word[bmp] = table[cp[bmp].astype(np.int64)]
    # joiners inside a word: ' ’ - between two word characters
    joiner = np.isin(cp, [ord(c) for c in _JOINERS])
    if tokens == "joined" and len(cp) > 2:
        inner = np.zeros(len(cp), dtype=bool)
        inner[1:-1] = joiner[1:-1] & word[:-2] & word[2:]
        word |= inner
    edges = np.diff(np.concatenate([[False], word, [False]]).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if tokens == "plain":
        long_enough = ends - starts >= 2
        starts, ends = starts[long_enough], ends[long_enough]
    prefix, inv = _prefix(cp)
    uni = _span_hashes(prefix, inv, starts, ends)
    doc = np.searchsorted(offsets, starts, side="right") - 1
    out_h, out_d, out_s, out_e = [], [], [], []
    lo, hi = ngram_range
    if lo <= 1 <= hi:
        out_h.append(_mix(uni, 1))
        out_d.append(doc)
        out_s.append(starts)
        out_e.append(ends)
    for n in range(max(2, lo), hi + 1):
        if len(uni) < n:
            continue
        same = doc[: len(doc) - n + 1] == doc[n - 1:]
        h = uni[: len(uni) - n + 1].copy()
        with np.errstate(over="ignore"):
            for k in range(1, n):
                h = h * _BIGRAM_MUL + uni[k: len(uni) - n + 1 + k]
        out_h.append(_mix(h, n)[same])
        out_d.append(doc[: len(doc) - n + 1][same])
        out_s.append(starts[: len(starts) - n + 1][same])
        out_e.append(ends[n - 1:][same])
    return _cat(out_h, out_d, out_s, out_e), joined, offsets


def _char_hashes(texts: list[str], ngram_range: tuple[int, int]):
    """(hashes, document index, start, end) of the char_wb n-grams of ``texts`` (lower-cased,
    whitespace runs collapsed, each word padded with one space)."""
    norm = [" ".join(t.lower().split()) for t in texts]
    joined, offsets = _join(norm, " ")
    joined = " " + joined
    offsets = offsets + 1
    cp = _codepoints(joined)
    space = (cp == 32).astype(np.int64)
    cs = np.concatenate([[0], np.cumsum(space)])
    prefix, inv = _prefix(cp)
    L = len(cp)
    out_h, out_d, out_s, out_e = [], [], [], []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        if L < n:
            continue
        s = np.arange(L - n + 1)
        # no space strictly inside the window, and not a lone space pair
        inner = cs[s + n - 1] - cs[s + 1] if n > 2 else np.zeros(len(s), dtype=np.int64)
        ok = inner == 0
        if n >= 2:
            ok &= ~((space[s] == 1) & (space[s + n - 1] == 1) & (n == 2))
        s = s[ok]
        e = s + n
        out_h.append(_mix(_span_hashes(prefix, inv, s, e), 100 + n))
        first = s + space[s]  # the window's first non-space character decides its document
        out_d.append(np.searchsorted(offsets, first, side="right") - 1)
        out_s.append(s)
        out_e.append(e)
    return _cat(out_h, out_d, out_s, out_e), joined, offsets


def _cat(h, d, s, e):
    if not h:
        z = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), z, z, z
    return np.concatenate(h), np.concatenate(d), np.concatenate(s), np.concatenate(e)


# Texts are hashed in batches of about this many characters: the arrays of a batch (code
# points, prefix sums, hashes, positions: ~60 bytes per character and n-gram order) stay a
# few MB however large the training corpus, and the cached powers of P stay small. Swept
# 2**14–2**20 and unbatched on the topic training texts (7.3 M characters): fitting the
# character 2–5-gram vocabulary took 5.5 s at 2**16–2**17, 11 s at 2**20, 18 s unbatched
# (same vocabulary, idf and values at every size).
BATCH_CHARS = 1 << 17


def _batches(texts: list[str]) -> list[tuple[int, int]]:
    """[start, end) ranges of ``texts`` holding about BATCH_CHARS characters each."""
    out, start, size = [], 0, 0
    for i, t in enumerate(texts):
        size += len(t) + 1
        if size >= BATCH_CHARS:
            out.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(texts):
        out.append((start, len(texts)))
    return out or [(0, 0)]


# The topic and promotional heads read the same document with the same n-gram settings: the
# last result is kept and reused when the same text objects come again (per thread; only for
# small inputs, the serving case, so a training batch is not held in memory).
_last = threading.local()
CACHE_MAX_CHARS = 1 << 18


def clear_cache() -> None:
    """Drop this thread's kept hashes (a batch's arrays are a few MB; scoring calls this after
    each batch so that an idle worker does not hold them)."""
    _last.__dict__.pop("entries", None)


def text_hashes(texts: list[str], analyzer: str, ngram_range: tuple[int, int], tokens: str = "joined"):
    """Hashes of every n-gram of ``texts``: ``((hashes, doc, start, end), joined, offsets)``."""
    if analyzer not in ("word", "char_wb"):
        raise ValueError(f"analyzer must be 'word' or 'char_wb', got {analyzer!r}")
    if tokens not in ("joined", "plain"):
        raise ValueError(f"tokens must be 'joined' or 'plain', got {tokens!r}")
    key = (analyzer, tuple(ngram_range), tokens)
    cache = getattr(_last, "entries", None)
    if cache is None:
        cache = _last.entries = {}
    hit = cache.get(key)
    if hit is not None and len(hit[0]) == len(texts) and all(a is b for a, b in zip(hit[0], texts)):
        return hit[1]
    out = _word_hashes(texts, ngram_range, tokens) if analyzer == "word" else _char_hashes(texts, ngram_range)
    if sum(len(t) for t in texts) <= CACHE_MAX_CHARS:
        cache[key] = (list(texts), out)
    else:
        cache.pop(key, None)
    return out


class NgramTfidf(Transformer):
    """TF-IDF over hashed word or character n-grams (see the module docstring).

    Parameters follow ``TfidfVectorizer``: ``analyzer`` ('word' or 'char_wb', character n-grams of
    length >= 2), ``tokens`` (word analyzer: 'joined' keeps "l'IA" and "porte-parole" whole,
    'plain' is scikit-learn's default of two or more word characters),
    ``ngram_range``, ``min_df``, ``max_features``; tf is sublinear, idf smoothed, rows
    l2-normalised. Fitted attributes: ``vocabulary_hashes_`` (sorted uint64), ``idf_``,
    ``feature_names_`` (one example string per kept n-gram, in column order).
    """

    def __init__(self, analyzer="word", ngram_range=(1, 2), min_df=2, max_features=None,
                 dtype=np.float32, tokens="joined"):
        self.analyzer = analyzer
        self.tokens = tokens
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.dtype = dtype

    def fit(self, texts, y=None):
        texts = list(texts)
        self.__dict__.pop("_lookup", None)  # a refit changes the vocabulary
        tokens = self._tokens()
        # document and corpus frequencies, one batch of texts at a time (no text spans two
        # batches, so per-batch document frequencies add up)
        parts = []
        for a, b in _batches(texts):
            (h, d, _, _), _, _ = text_hashes(texts[a:b], self.analyzer, tuple(self.ngram_range), tokens)
            order = np.lexsort((d, h))
            h_sorted, d_sorted = h[order], d[order]
            new_pair = np.ones(len(h_sorted), dtype=np.int64)
            new_pair[1:] = (h_sorted[1:] != h_sorted[:-1]) | (d_sorted[1:] != d_sorted[:-1])
            uniq, first_idx, tf = np.unique(h_sorted, return_index=True, return_counts=True)
            df = np.add.reduceat(new_pair, first_idx) if len(uniq) else np.zeros(0, np.int64)
            parts.append((uniq, df, tf))
        if parts:
            uniq, inv = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
            df = np.bincount(inv, weights=np.concatenate([p[1] for p in parts]), minlength=len(uniq)).astype(np.int64)
            tf_total = np.bincount(inv, weights=np.concatenate([p[2] for p in parts]), minlength=len(uniq))
        else:
            uniq, df, tf_total = np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0)
        keep = df >= self.min_df
        if self.max_features is not None and keep.sum() > self.max_features:
            # the most frequent n-grams over the corpus (ties: the smaller hash, deterministic)
            cand = np.flatnonzero(keep)
            rank = np.lexsort((uniq[cand], -tf_total[cand]))
            keep = np.zeros(len(uniq), dtype=bool)
            keep[cand[rank[: self.max_features]]] = True
        self.vocabulary_hashes_ = uniq[keep]
        self.idf_ = (np.log((1 + len(texts)) / (1 + df[keep])) + 1.0).astype(np.float64)
        self.feature_names_ = self._example_strings(texts)
        return self

    def _example_strings(self, texts: list[str]) -> np.ndarray:
        """One example string per kept n-gram (its first occurrence), for explanations."""
        names: list[str | None] = [None] * len(self.vocabulary_hashes_)
        missing = len(names)
        for a, b in _batches(texts):
            if not missing:
                break
            (h, _, s, e), joined, _ = text_hashes(texts[a:b], self.analyzer, tuple(self.ngram_range),
                                                  self._tokens())
            col = self.columns(h)
            hit = np.flatnonzero(col >= 0)
            cols, first = np.unique(col[hit], return_index=True)
            for c, i in zip(cols, hit[first]):
                if names[c] is None:
                    names[c] = joined[s[i]:e[i]]
                    missing -= 1
        if self.analyzer == "word":  # "déclaré: « bonjour" → "déclaré bonjour"
            rx = _TOKEN if self._tokens() == "joined" else _PLAIN_TOKEN
            names = [" ".join(rx.findall(x or "")) for x in names]
        return np.asarray(names, dtype=object)

    def _tokens(self) -> str:
        return getattr(self, "tokens", "joined")

    # Lookup index: the vocabulary is sorted, so the hashes whose top LOOKUP_BITS bits are b sit
    # at vocabulary_hashes_[start[b]:start[b + 1]] (0 or 1 entries for almost every b). A gather
    # and a compare per probe replace a binary search. Derived from the vocabulary on first use,
    # not pickled.
    LOOKUP_BITS = 18

    def _lookup_index(self) -> tuple[np.ndarray, int]:
        cached = self.__dict__.get("_lookup")
        if cached is None:
            vocab = self.vocabulary_hashes_
            shift = np.uint64(64 - self.LOOKUP_BITS)
            buckets = (vocab >> shift).astype(np.int64)
            start = np.searchsorted(buckets, np.arange((1 << self.LOOKUP_BITS) + 1)).astype(np.int32)
            depth = int(np.diff(start).max()) if len(vocab) else 0
            cached = (start, depth)
            self.__dict__["_lookup"] = cached
        return cached

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_lookup", None)
        return state

    def columns(self, hashes: np.ndarray) -> np.ndarray:
        """Column of each hash in the vocabulary, -1 where it is not in it."""
        vocab = self.vocabulary_hashes_
        start, depth = self._lookup_index()
        b = (hashes >> np.uint64(64 - self.LOOKUP_BITS)).astype(np.int64)
        lo, hi = start[b], start[b + 1]
        col = np.full(len(hashes), -1, dtype=np.int64)
        for j in range(depth):
            probe = lo + j
            live = probe < hi
            if not live.any():
                break
            idx = np.flatnonzero(live)
            hit = vocab[probe[idx]] == hashes[idx]
            col[idx[hit]] = probe[idx[hit]]
        return col

    def transform(self, texts):
        texts = list(texts)
        blocks = []
        for a, b in _batches(texts):
            (h, d, _, _), _, _ = text_hashes(texts[a:b], self.analyzer, tuple(self.ngram_range), self._tokens())
            blocks.append(self._weight(h, d, b - a))
        if len(blocks) == 1:
            return blocks[0]
        if not blocks:
            return Rows.empty(0, len(self.vocabulary_hashes_), self.dtype)
        return vstack(blocks)

    def _weight(self, h: np.ndarray, d: np.ndarray, n: int):
        V = len(self.vocabulary_hashes_)
        if V == 0 or len(h) == 0:
            return Rows.empty(n, V, self.dtype)
        col = self.columns(h)
        hit = col >= 0
        key, tf = np.unique(d[hit] * V + col[hit], return_counts=True)
        rows, cols = np.divmod(key, V)
        data = (1.0 + np.log(tf)) * self.idf_[cols]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
        counts = np.diff(indptr)
        norms[norms == 0] = 1.0
        data = data / np.repeat(norms, counts)
        return Rows(data.astype(self.dtype), cols.astype(np.int32), indptr.astype(np.int32), (n, V))

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_
