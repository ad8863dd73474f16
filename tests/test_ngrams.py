"""The numpy n-gram TF-IDF gives scikit-learn's TfidfVectorizer features, faster."""
import pickle

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from scorer.ngrams import NgramTfidf

TEXTS = [
    "Selon l'AFP, le porte-parole a déclaré : « Bonjour » aujourd’hui.",
    "",
    "the cat sat on the mat.   The Cat!\nA new\tline",
    "Le chat — 3 € — naïve Ünïcödé 😀 ok",
    "x",
] * 2
TOKEN_PATTERN = r"(?u)\b\w[\w'’\-]*\w\b|\b\w\b"


def _sklearn(analyzer, ngram_range, tokens):
    kw = {"token_pattern": TOKEN_PATTERN} if analyzer == "word" and tokens == "joined" else {}
    return TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, min_df=1, sublinear_tf=True, **kw)


@pytest.mark.parametrize("analyzer,ngram_range,tokens", [
    ("word", (1, 1), "joined"), ("word", (1, 2), "joined"), ("word", (1, 3), "joined"),
    ("word", (1, 2), "plain"), ("char_wb", (2, 5), "joined"), ("char_wb", (3, 3), "joined"),
])
def test_same_features_and_values_as_sklearn(analyzer, ngram_range, tokens):
    ours = NgramTfidf(analyzer, ngram_range, min_df=1, tokens=tokens).fit(TEXTS)
    ref = _sklearn(analyzer, ngram_range, tokens).fit(TEXTS)
    ref_names = list(ref.get_feature_names_out())
    assert sorted(ours.get_feature_names_out()) == sorted(ref_names)
    cols = [ref_names.index(n) for n in ours.get_feature_names_out()]
    unseen = ["Le porte-parole du chat", "nothing known here", ""]
    for texts in (TEXTS, unseen):
        np.testing.assert_allclose(ours.transform(texts).toarray(), ref.transform(texts).toarray()[:, cols],
                                   atol=1e-6)


def test_min_df_and_max_features_keep_the_frequent_ngrams():
    texts = ["a b c", "a b", "a", "d d d d"]
    v = NgramTfidf("word", (1, 1), min_df=2).fit(texts)
    assert sorted(v.get_feature_names_out()) == ["a", "b"]
    v = NgramTfidf("word", (1, 1), min_df=1, max_features=1).fit(texts)
    assert list(v.get_feature_names_out()) in (["d"], ["a"])  # 4 occurrences each; tie broken by hash


@pytest.mark.parametrize("texts", [[], [""], ["", ""], ["   "]])
def test_empty_input_gives_empty_rows(texts):
    v = NgramTfidf("char_wb", (2, 4), min_df=1).fit(["some text", "more text"])
    X = v.transform(texts)
    assert X.shape == (len(texts), len(v.get_feature_names_out())) and X.nnz == 0


def test_pickle_drops_the_lookup_index_and_predicts_the_same():
    v = NgramTfidf("char_wb", (2, 5), min_df=1).fit(TEXTS)
    before = v.transform(TEXTS).toarray()
    assert "_lookup" in v.__dict__
    blob = pickle.dumps(v)
    w = pickle.loads(blob)
    assert "_lookup" not in w.__dict__
    np.testing.assert_array_equal(w.transform(TEXTS).toarray(), before)


def test_rows_are_unit_length_or_zero():
    v = NgramTfidf("word", (1, 2), min_df=1).fit(TEXTS)
    norms = np.sqrt((v.transform(TEXTS).toarray().astype(np.float64) ** 2).sum(axis=1))
    assert np.all((np.abs(norms - 1) < 1e-5) | (norms == 0))


def test_batching_does_not_change_the_features(monkeypatch):
    """Texts are hashed in batches (bounded memory when training); results are the same."""
    import scorer.ngrams as ngrams

    texts = [f"{t} numéro {i}" for i, t in enumerate(TEXTS * 30)]
    whole = NgramTfidf("char_wb", (2, 4), min_df=2).fit(texts)
    X = whole.transform(texts).toarray()
    monkeypatch.setattr(ngrams, "BATCH_CHARS", 100)  # a batch every couple of texts
    batched = NgramTfidf("char_wb", (2, 4), min_df=2).fit(texts)
    np.testing.assert_array_equal(batched.vocabulary_hashes_, whole.vocabulary_hashes_)
    np.testing.assert_array_equal(batched.feature_names_, whole.feature_names_)
    np.testing.assert_allclose(batched.transform(texts).toarray(), X)


def test_powers_grow_safely_across_threads():
    """The shared table of powers is replaced whole and never by a shorter one."""
    import threading

    from scorer.ngrams import _P, _powers

    short = []

    def work(n):
        p, q = _powers(n)
        if len(p) < n or len(q) < n:
            short.append(n)

    threads = [threading.Thread(target=work, args=(n,)) for n in (300_000, 500_000, 450_000, 1_000)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    p, q = _powers(10)
    assert not short
    assert all(int(p[i]) == pow(_P, i, 1 << 64) and (int(p[i]) * int(q[i])) % (1 << 64) == 1
               for i in range(0, 400_000, 9_973))
