"""Training: read labelled rows, validate, split by a hash of the id, fit, evaluate, compare, save.

Row schema (JSONL, one document per line; every label is optional, a row needs at least one)::

    {"id": str,                         # unique across all files
     "text": str | "html": str,         # text is taken as clean article text; html is cleaned
     "title": str?, "lang": "fr"|"en"|...?, "weight": float?,
     "group": str?,                     # rows with the same group share a split and a fold (translations, one site)
     "topic": str?,                     # one label of the model's label set
     "promotional": 0|1|true|false?,
     "sourcing_sentences": [{"text": str, "attributed": 0|1, "sources": [str]?}]?,
     "lines": [{"text": str, "label": "content"|"boilerplate"|"title"}]?}   # a text dump

Training and serving share one code path: HTML rows go through :func:`scorer.cleaning.clean_html`,
and the heads are the classes :class:`~scorer.model.Scorer` loads.
"""
from __future__ import annotations

import datetime as _dt
import gzip
import hashlib
import json
import logging
import math
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from . import __version__
from .lines import LABELS as LINE_LABELS

__all__ = ["TrainingDataError", "train", "load_rows", "split_of", "build_datasets", "fit_heads",
           "evaluate", "compare", "TrainResult", "HEAD_PARAMS", "TEST_FRACTION",
           "REGRESSION_TOLERANCE", "shipped_data_files"]

# Progress of a training run (what is being fitted, on how many examples): silent unless the
# caller configures logging; `score train` prints it on stderr (--quiet turns it off).
log = logging.getLogger("scorer.train")

TEST_FRACTION = 0.2  # share of ids (by hash) held out for evaluation; never reshuffled
# A new model is refused when a main metric drops by more than this against the current model
# on the same test split (unless --force). 0.02 ≈ two standard errors of topic macro-F1 on the
# ~600-document French test split.
REGRESSION_TOLERANCE = 0.02
MIN_DOC_CHARS = 400  # texts shorter than this (AG News leads, SIB-200 sentences) are "short"
# Weight of a short English text (AG News leads, SIB-200 sentences: they outnumber the English
# documents) in the topic head's training; the score is for documents. 3-fold GroupKFold on the
# train split, macro-F1 all texts / fr documents / en documents, every short text weighted: 1.0
# 0.8047 / 0.7917 / 0.7947; 0.5 0.8036 / 0.7921 / 0.8042; 0.25 0.7996 / 0.7939 / 0.8085; 0.1
# 0.7908 / 0.7928 / 0.8149; 0 0.6728 / 0.7960 / 0.8165. On real (not written) documents only,
# macro-F1 / accuracy fr, en: 1.0 0.714 / 0.783, 0.694 / 0.814; 0.25 for all short texts 0.705 /
# 0.783, 0.712 / 0.826; 0.25 for English short texts only 0.715 / 0.781, 0.710 / 0.826 (kept:
# the English gain without the French loss; French short texts are SIB sentences only).
SHORT_EN_TOPIC_WEIGHT = 0.25
# The same for the promotional head, whose English short texts are the 4,968 clickbait / news
# headlines: they taught it headline style, while it scores pages. Session 5, 3-fold GroupKFold
# on the train split, ROC-AUC English documents >= MIN_DOC_CHARS / French documents / real
# English documents / all English texts: 1.0 0.9896 / 0.9815 / 0.945 / 0.9909; 0.5 0.9921 /
# 0.9827 / 0.959 / 0.9890; 0.25 0.9929 / 0.9829 / 0.964 / 0.9870; 0.1 0.9938 / 0.9838 / 0.973 /
# 0.9749. 0.25 as for topic: documents gain, headlines still scored well.
SHORT_EN_PROMO_WEIGHT = 0.25
MAIN_METRICS = ("topic.macro_f1", "promotional.roc_auc", "sourcing.f1", "lines.accuracy")

# Hyper-parameters of each head. Chosen by 5-fold cross-validation on the training split with
# training/model_selection.py; the comparison is recorded in training/REPORT.md.
HEAD_PARAMS: dict[str, dict[str, Any]] = {
    "topic": dict(word_ngrams=(1, 2), char_ngrams=(2, 5), max_word_features=40000,
                  max_char_features=40000, min_df=2, cues=False, C=8.0, calibrate=True),
    "promotional": dict(word_ngrams=(1, 2), char_ngrams=(2, 5), max_word_features=30000,
                        max_char_features=30000, min_df=2, cues=True, C=4.0, calibrate=True),
    "sourcing": dict(word_ngrams=(1, 3), char_ngrams=(2, 5), max_word_features=30000,
                     max_char_features=30000, min_df=2, cues="sourcing", context=True, C=1.0,
                     calibrate=False,
                     # 5-fold CV, 2026-11-23 session 4: sourcing F1 0.7905 -> 0.8021 (fr 0.744 -> 0.765)
                     quote_state=True,
                     # long quoted span / short quotes only, same session: 0.8198 -> 0.8249
                     quote_spans=True,
                     # trees on the linear head's out-of-fold value and the cue columns (session
                     # 10; heads.STACK_TREES), 5-fold CV F1 (training/model_selection.py --folds 5):
                     # linear only 0.8268 (fr 0.7682, en 0.8682) -> stacked 0.8342 (fr 0.7750,
                     # en 0.8744). + the sentence's shape (shape=True, heads._shape): CV 0.8367
                     # (fr 0.7785, en 0.8758) but test split 0.8522 -> 0.8513 (fr 0.8308 -> 0.8279)
                     # and French web pages 0.670 -> 0.652: noise both ways, the simpler head kept.
                     # + wider report cues (wide=True, sources.SAY_ANY / heads._PRONOUN_REPORT_WIDE: "dit-elle",
                     # "a également estimé", "she later told"): CV 0.8342 -> 0.8418 (fr 0.7750 ->
                     # 0.7873, en 0.8744 -> 0.8790)
                     wide=True, stack=True),
    "lines": dict(C=3.0, max_words=20000, min_df=2, stack=True),
}


class TrainingDataError(ValueError):
    """Labelled data is invalid; the message lists ``file:line: reason`` for each problem."""


@dataclass
class Row:
    id: str
    file: str
    line: int
    data: dict[str, Any]


def split_of(ident: str) -> str:
    """"test" or "train", from a hash of the id: stable when rows are added or removed."""
    h = int(hashlib.sha256(ident.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h / 0xFFFFFFFF < TEST_FRACTION else "train"


def repo_path(*parts: str) -> Path:
    """A file of the source tree (training/…): next to the package (a checkout or an editable
    install), else in the current directory (an installed package run from a checkout)."""
    for root in (Path(__file__).resolve().parent.parent, Path.cwd()):
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return Path(__file__).resolve().parent.parent.joinpath(*parts)


def shipped_data_files() -> list[Path]:
    """The labelled data the shipped model is trained on (training/data/*.jsonl)."""
    return sorted(repo_path("training", "data").glob("*.jsonl"))


def _numbered_lines(fh, path: Path, errors: list[str]):
    """(line number, bytes) of a file, a damaged gzip stream ending with an error, not a traceback."""
    lineno = 0
    try:
        for lineno, raw in enumerate(fh, 1):
            yield lineno, raw
    except (OSError, EOFError, zlib.error) as exc:
        errors.append(f"{path}:{lineno + 1}: cannot read ({exc})")


def load_rows(paths: Iterable[str | os.PathLike[str]], *, topic_labels: set[str] | None = None,
              max_errors: int = 20) -> list[Row]:
    """Read and validate rows. Raises :class:`TrainingDataError` listing every problem found."""
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        p = Path(path)
        try:
            fh = gzip.open(p, "rb") if p.name.endswith(".gz") else open(p, "rb")
        except OSError as exc:
            errors.append(f"{p}: cannot read ({exc.strerror or exc})")
            continue
        with fh:
            for lineno, raw in _numbered_lines(fh, p, errors):
                if not raw.strip():
                    continue
                where = f"{p}:{lineno}"
                try:
                    data = json.loads(raw)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    errors.append(f"{where}: not valid JSON ({exc})")
                    continue
                problem = _validate(data, topic_labels)
                if problem:
                    errors.append(f"{where}: {problem}")
                    continue
                ident = str(data["id"])
                if ident in seen:
                    errors.append(f"{where}: duplicate id {ident!r} (first at {seen[ident]})")
                    continue
                seen[ident] = where
                rows.append(Row(ident, str(p), lineno, data))
                if len(errors) >= max_errors:
                    break
    if errors:
        more = "" if len(errors) < max_errors else f"\n(stopped after {max_errors} errors)"
        raise TrainingDataError("invalid training data, nothing written:\n" + "\n".join(errors) + more)
    if not rows:
        raise TrainingDataError("no training rows found")
    return rows


def _validate(data: Any, topic_labels: set[str] | None) -> str | None:
    if not isinstance(data, dict):
        return "expected a JSON object"
    if "id" not in data or not isinstance(data["id"], (str, int)) or str(data["id"]) == "":
        return "missing field 'id'"
    has_text = isinstance(data.get("text"), str) or isinstance(data.get("html"), str)
    labels = [k for k in ("topic", "promotional", "sourcing_sentences", "lines") if k in data]
    if not labels:
        return "no label: give at least one of topic, promotional, sourcing_sentences, lines"
    if ("topic" in data or "promotional" in data) and not has_text:
        return "missing field 'text' (or 'html')"
    if has_text and not (data.get("text") or data.get("html") or "").strip():
        return "empty text"
    if "topic" in data:
        t = data["topic"]
        if not isinstance(t, str) or not t:
            return "topic must be a non-empty string"
        if topic_labels is not None and t not in topic_labels:
            return (f"unknown topic label {t!r} (known: {', '.join(sorted(topic_labels))}); "
                    "use --only to train your own label set")
    if "promotional" in data and data["promotional"] not in (0, 1, True, False):
        return "promotional must be 0, 1, true or false"
    if "sourcing_sentences" in data:
        ss = data["sourcing_sentences"]
        if not isinstance(ss, list) or not ss:
            return "sourcing_sentences must be a non-empty list"
        for i, s in enumerate(ss):
            if not isinstance(s, dict) or not isinstance(s.get("text"), str) or not s["text"].strip():
                return f"sourcing_sentences[{i}]: missing or empty 'text'"
            if s.get("attributed") not in (0, 1, True, False):
                return f"sourcing_sentences[{i}]: attributed must be 0 or 1"
    if "lines" in data:
        ls = data["lines"]
        if not isinstance(ls, list) or not ls:
            return "lines must be a non-empty list"
        for i, line in enumerate(ls):
            if not isinstance(line, dict) or not isinstance(line.get("text"), str):
                return f"lines[{i}]: missing 'text'"
            if line.get("label") not in LINE_LABELS:
                return f"lines[{i}]: label must be one of {', '.join(LINE_LABELS)}"
    if "weight" in data and (not isinstance(data["weight"], (int, float)) or isinstance(data["weight"], bool)
                             or not math.isfinite(data["weight"]) or data["weight"] <= 0):
        return "weight must be a positive number"
    return None


# ---------------------------------------------------------------------------------------------


@dataclass
class Dataset:
    """One head's examples, with their split, language and group (document) ids."""

    X: list[Any] = field(default_factory=list)
    y: list[Any] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    weight: list[float] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    meta: list[Any] = field(default_factory=list)  # e.g. labelled source names of a sentence
    # the row's "group" (or its id): rows of one group are kept on one side of every split,
    # the test split and the folds of out-of-fold values alike (pages of one site, say)
    groups: list[str] = field(default_factory=list)

    def part(self, name: str) -> Dataset:
        keep = [i for i, s in enumerate(self.split) if s == name]
        return Dataset(*([getattr(self, f)[i] for i in keep] for f in
                         ("X", "y", "lang", "split", "weight", "ids", "meta", "groups")))

    def __len__(self) -> int:
        return len(self.y)


def _row_text(row: Row) -> tuple[str, str | None]:
    data = row.data
    if isinstance(data.get("html"), str) and not isinstance(data.get("text"), str):
        from .cleaning import clean_html

        cleaned = clean_html(data["html"], url=data.get("url"))
        return cleaned.text, data.get("title") or cleaned.title
    return data.get("text") or "", data.get("title")


def _doc_text(text: str, title: str | None) -> str:
    """The text a document head sees: title + body (same rule as Scorer.score_cleaned)."""
    return f"{title}\n{text}" if title and title not in text[: len(title) + 5] else text


def _lang(row: Row, text: str) -> str:
    lang = row.data.get("lang")
    if isinstance(lang, str) and lang:
        return lang
    from .language import detect_language

    return detect_language(text)


def build_datasets(rows: list[Row]) -> dict[str, Dataset]:
    """Per-head examples from validated rows (the split follows the row id)."""
    ds = {head: Dataset() for head in ("topic", "promotional", "sourcing", "lines")}
    for row in rows:
        data = row.data
        group = str(data.get("group") or row.id)
        split = split_of(group)
        w = float(data.get("weight", 1.0))
        if "topic" in data or "promotional" in data:
            text, title = _row_text(row)
            doc = _doc_text(text, title)
            lang = _lang(row, doc)
            if "topic" in data and text.strip():
                _add(ds["topic"], doc, data["topic"], lang, split, w, row.id, group=group)
            if "promotional" in data and text.strip():
                _add(ds["promotional"], doc, int(bool(data["promotional"])), lang, split, w, row.id,
                     group=group)
        if "sourcing_sentences" in data:
            from .heads import sentence_contexts

            sents = data["sourcing_sentences"]
            lang = data.get("lang") or _lang(row, " ".join(s["text"] for s in sents[:5]))
            # the sentences of a row are consecutive sentences of one document: each is seen
            # with its neighbours, as at serving time
            for item, s in zip(sentence_contexts([s["text"] for s in sents]), sents):
                _add(ds["sourcing"], item, int(bool(s["attributed"])), lang, split, w, row.id,
                     s.get("sources") or [], group=group)
        if "lines" in data:
            page = [(line["text"].strip(), line["label"]) for line in data["lines"] if line["text"].strip()]
            if page:
                lang = data.get("lang") or _lang(row, " ".join(t for t, _ in page[:40]))
                _add(ds["lines"], [t for t, _ in page], [lab for _, lab in page], lang, split, w, row.id,
                     group=group)
    return ds


def _add(d: Dataset, x, y, lang, split, w, ident, meta=None, *, group: str | None = None) -> None:
    d.meta.append(meta)
    d.X.append(x)
    d.y.append(y)
    d.lang.append(lang)
    d.split.append(split)
    d.weight.append(w)
    d.ids.append(ident)
    d.groups.append(group if group is not None else ident)


def fit_heads(datasets: dict[str, Dataset], params: dict[str, dict[str, Any]] | None = None,
              random_state: int = 0, inherit: dict[str, Any] | None = None) -> dict[str, Any]:
    """Fit the four heads on the *train* part of each dataset.

    ``inherit``: fitted heads (another model's) to keep, unchanged, for a head whose data has no
    labels at all (``score train --only`` with rows that label only some heads)."""
    from .heads import TextHead
    from .lines import LineClassifier

    params = {**HEAD_PARAMS, **(params or {})}
    heads: dict[str, Any] = {}
    for head in ("topic", "promotional", "sourcing"):
        tr = datasets[head].part("train")
        if not len(datasets[head]) and inherit and head in inherit:
            log.info("%s: no row labels it, kept from the current model", head)
            heads[head] = inherit[head]
            continue
        if not len(datasets[head]):
            raise TrainingDataError(f"{head}: no row labels this head and there is no current model to keep it "
                                    "from: add rows that label it, or compare with a model (--compare-with "
                                    "default or DIR) whose head is kept")
        if len(set(tr.y)) < 2:
            raise TrainingDataError(f"{head}: need at least two labels in the training split, "
                                    f"got {sorted(set(map(str, tr.y)))}")
        weight = np.asarray(tr.weight, dtype=float)
        if head in ("topic", "promotional"):
            short_weight = SHORT_EN_TOPIC_WEIGHT if head == "topic" else SHORT_EN_PROMO_WEIGHT
            weight = weight * np.asarray([short_weight if len(x) < MIN_DOC_CHARS and lang == "en" else 1.0
                                          for x, lang in zip(tr.X, tr.lang)])
        log.info("%s: fitting on %d examples", head, len(tr.y))
        # groups: the row group of each item (its document, or the pages of one site), for
        # out-of-fold values that never saw it (stack=True)
        heads[head] = TextHead(**params[head], random_state=random_state).fit(tr.X, tr.y, sample_weight=weight,
                                                                             groups=tr.groups)
    tr = datasets["lines"].part("train")
    if not len(datasets["lines"]) and inherit and "lines" in inherit:
        heads["lines"] = inherit["lines"]
        return heads
    if not tr.X:
        raise TrainingDataError("lines: no text-dump pages in the training split")
    line_weights = np.asarray([w for page, w in zip(tr.y, tr.weight) for _ in page])
    log.info("lines: fitting on %d pages (%d lines)", len(tr.X), len(line_weights))
    heads["lines"] = LineClassifier(**params["lines"], random_state=random_state).fit(
        tr.X, tr.y, sample_weight=line_weights)
    return heads


# ---------------------------------------------------------------------------------------------
# Evaluation


def _reliability(p: np.ndarray, hit: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    edges = np.linspace(0, 1, bins + 1)
    table = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if m.sum():
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()),
                          "mean_predicted": round(float(p[m].mean()), 4),
                          "observed": round(float(hit[m].mean()), 4)})
    return table


def _r(x: float) -> float:
    return round(float(x), 4)


def evaluate(heads: dict[str, Any], datasets: dict[str, Dataset], *, details: bool = False) -> dict[str, Any]:
    """Metrics of ``heads`` on the *test* part of each dataset, overall and per language."""
    from sklearn.metrics import (
        accuracy_score,
        brier_score_loss,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
        roc_auc_score,
    )

    out: dict[str, Any] = {}
    # topic
    te = datasets["topic"].part("test")
    if len(te):
        head = heads["topic"]
        proba = head.predict_proba(te.X)
        classes = [str(c) for c in head.classes_]
        pred = np.asarray(classes)[proba.argmax(1)]
        y = np.asarray([str(v) for v in te.y])
        if not set(y) & set(classes):
            raise ValueError(f"the model's topic labels ({', '.join(classes)}) share none with the "
                             f"evaluation data's ({', '.join(sorted(set(y)))}): evaluate it on data "
                             "labelled with its own topic set (--data FILE)")
        onehot = (y[:, None] == np.asarray(classes)[None, :]).astype(float)
        m: dict[str, Any] = {"n": len(y), "macro_f1": _r(f1_score(y, pred, average="macro")),
                             "accuracy": _r(accuracy_score(y, pred)),
                             "brier": _r(np.mean(np.sum((proba - onehot) ** 2, axis=1)))}
        # Per language on documents (the tool scores pages); short texts (headline + lead,
        # single sentences) are reported apart as macro_f1_short.
        is_doc = np.asarray([len(x) >= MIN_DOC_CHARS for x in te.X])
        for lang in sorted(set(te.lang)):
            k = (np.asarray(te.lang) == lang) & is_doc
            if k.sum() >= 20:
                m[f"macro_f1_{lang}"] = _r(f1_score(y[k], pred[k], average="macro"))
                m[f"n_{lang}"] = int(k.sum())
        if (~is_doc).sum() >= 20:
            m["macro_f1_short"] = _r(f1_score(y[~is_doc], pred[~is_doc], average="macro"))
            m["n_short"] = int((~is_doc).sum())
        if details:
            p, r, f, s = precision_recall_fscore_support(y, pred, labels=classes, zero_division=0)
            m["per_label"] = {c: {"precision": _r(p[i]), "recall": _r(r[i]), "f1": _r(f[i]), "n": int(s[i])}
                              for i, c in enumerate(classes)}
            m["confusion"] = {"labels": classes, "matrix": confusion_matrix(y, pred, labels=classes).tolist()}
            m["reliability"] = _reliability(proba.max(1), (pred == y).astype(float))
            m["_predictions"] = dict(zip(te.ids, pred.tolist()))
        out["topic"] = m
    # promotional
    te = datasets["promotional"].part("test")
    if len(te) and len(set(te.y)) == 2:
        head = heads["promotional"]
        tone = head.predict_proba(te.X)[:, list(head.classes_).index(1)]
        p1 = _with_evidence(te.X, tone)
        y = np.asarray(te.y)
        m = {"n": len(y), "roc_auc": _r(roc_auc_score(y, p1)), "brier": _r(brier_score_loss(y, p1)),
             "f1": _r(f1_score(y, p1 >= 0.5)), "accuracy": _r(accuracy_score(y, p1 >= 0.5)),
             "roc_auc_tone": _r(roc_auc_score(y, tone))}
        for lang in sorted(set(te.lang)):
            k = np.asarray(te.lang) == lang
            if k.sum() >= 20 and len(set(y[k])) == 2:
                m[f"roc_auc_{lang}"] = _r(roc_auc_score(y[k], p1[k]))
                m[f"n_{lang}"] = int(k.sum())
        if details:
            m["reliability"] = _reliability(p1, y.astype(float))
            m["_predictions"] = dict(zip(te.ids, (p1 >= 0.5).astype(int).tolist()))
        out["promotional"] = m
    # sourcing
    te = datasets["sourcing"].part("test")
    if len(te):
        from .model import SOURCING_THRESHOLD

        head = heads["sourcing"]
        p1 = head.predict_proba(te.X)[:, list(head.classes_).index(1)]
        y = np.asarray(te.y)
        pred = _with_quotation_runs(te, p1 >= SOURCING_THRESHOLD).astype(int)
        pr, rc, f, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0)
        m = {"n": len(y), "f1": _r(f), "precision": _r(pr), "recall": _r(rc)}
        for lang in sorted(set(te.lang)):
            k = np.asarray(te.lang) == lang
            if k.sum() >= 20:
                m[f"f1_{lang}"] = _r(f1_score(y[k], pred[k], zero_division=0))
                m[f"n_{lang}"] = int(k.sum())
        m.update(_source_name_metrics(te))
        out["sourcing"] = m
    # lines
    te = datasets["lines"].part("test")
    if len(te):
        head = heads["lines"]
        from .cleaning import KEEP_THRESHOLD, decide_lines

        truth, keep, langs = [], [], []
        for page, labels, lang in zip(te.X, te.y, te.lang):
            keep_p, _, _ = decide_lines(page, head.predict_proba_page(page), list(head.classes_))
            keep.extend(keep_p >= KEEP_THRESHOLD)
            truth.extend(lab != "boilerplate" for lab in labels)
            langs.extend([lang] * len(page))
        truth_a, keep_a, langs_a = np.asarray(truth), np.asarray(keep), np.asarray(langs)
        m = {"n_lines": len(truth_a), "n_pages": len(te), "accuracy": _r(accuracy_score(truth_a, keep_a)),
             "keep_f1": _r(f1_score(truth_a, keep_a))}
        for lang in sorted(set(langs)):
            k = langs_a == lang
            m[f"accuracy_{lang}"] = _r(accuracy_score(truth_a[k], keep_a[k]))
            m[f"keep_f1_{lang}"] = _r(f1_score(truth_a[k], keep_a[k], zero_division=0))
        out["lines"] = m
    return out


def _with_evidence(texts: list[str], tone: np.ndarray) -> np.ndarray:
    """The promotional scores as Scorer gives them: the head's tone raised where the text is a
    press release or discloses that it is paid for (:func:`scorer.evidence.promotional_score`)."""
    from .evidence import find_press_release, promotional_score
    from .heads import find_disclosure

    return np.array([promotional_score(float(t), press_release=find_press_release(x.splitlines()),
                                       disclosure=find_disclosure(x.splitlines()))
                     for x, t in zip(texts, tone)])


def _with_quotation_runs(te: Dataset, flags: np.ndarray) -> np.ndarray:
    """The head's decisions with the sentences of a « … » quotation it attributes elsewhere, as
    Scorer._sourcing gives them (the sentences of a row are one document's, in order; the
    paragraph rule, :func:`scorer.sources.quote_blocks`, needs line ends the rows do not keep)."""
    from .heads import QUOTE_SPAN, _middle
    from .sources import quotation_runs

    out = flags.copy()
    start = 0
    for end in range(1, len(te.ids) + 1):
        if end == len(te.ids) or te.ids[end] != te.ids[start]:
            for i in quotation_runs([_middle(x) for x in te.X[start:end]], list(out[start:end]), span=QUOTE_SPAN):
                out[start + i] = True
            start = end
    return out


def _source_name_metrics(te: Dataset) -> dict[str, float]:
    """How well extract_sources finds the labelled source names of attributed sentences.

    A labelled name counts as found when an extracted name shares a capitalised word with it
    (names are written in many ways: "M. Ng" / "Andrew Ng").
    """
    from .heads import _middle
    from .sources import document_sources

    def words(name: str) -> set[str]:
        # its capitalised words, without an elided article ("l’OMS" and "l'OMS" are "oms") or
        # brackets ("(OMS)"); a name with none ("le ministre") is its whole lower-cased text
        tokens = [re.sub(r"^(?:[lLdD]|[qQ]u)[’']", "", w.strip(".,;:’'()«»\"“”")) for w in name.split()]
        caps = {w.replace("’", "'").lower() for w in tokens if w[:1].isupper() and len(w) > 1}
        return caps or ({" ".join(name.replace("’", "'").lower().split())} if name.strip() else set())

    # the sentences of a document are consecutive items with the same id: resolve sources per
    # document, as Scorer._sourcing does (on the labelled attributions here)
    resolved: list[list[str]] = []
    start = 0
    for end in range(1, len(te.ids) + 1):
        if end == len(te.ids) or te.ids[end] != te.ids[start]:
            resolved.extend(document_sources([_middle(x) for x in te.X[start:end]],
                                             [bool(y) for y in te.y[start:end]]))
            start = end
    found = total = correct = extracted = 0
    for got, y, gold in zip(resolved, te.y, te.meta):
        if not y or not gold:
            continue
        gold_w = [words(g) for g in gold if words(g)]
        got_w = [words(g) for g in got]
        total += len(gold_w)
        found += sum(any(g & x for x in got_w) for g in gold_w)
        extracted += len(got_w)
        correct += sum(any(x & g for g in gold_w) for x in got_w)
    if not total:
        return {}
    return {"source_names_recall": _r(found / total),
            "source_names_precision": _r(correct / extracted) if extracted else 0.0}


def _get(metrics: dict[str, Any], dotted: str) -> float | None:
    head, _, key = dotted.partition(".")
    v = metrics.get(head, {}).get(key)
    return float(v) if isinstance(v, (int, float)) else None


def compare(new: dict[str, Any], old: dict[str, Any], *, tolerance: float = REGRESSION_TOLERANCE) -> dict[str, Any]:
    """Deltas of the main metrics and label flips between two evaluations on the same split."""
    deltas, regressions = {}, []
    for key in MAIN_METRICS:
        a, b = _get(new, key), _get(old, key)
        if a is None or b is None:
            continue
        deltas[key] = round(a - b, 4)
        if a < b - tolerance:
            regressions.append(f"{key} {b:.4f} → {a:.4f}")
    flips = {}
    for head in ("topic", "promotional"):
        pn = new.get(head, {}).get("_predictions")
        po = old.get(head, {}).get("_predictions")
        if pn and po:
            common = set(pn) & set(po)
            if common:
                flips[head] = round(sum(pn[i] != po[i] for i in common) / len(common), 4)
    return {"deltas": deltas, "flip_share": flips, "regressions": regressions, "tolerance": tolerance}


def _strip_private(metrics: dict[str, Any]) -> dict[str, Any]:
    return {h: {k: v for k, v in m.items() if not k.startswith("_")} for h, m in metrics.items()}


def data_hash(rows: list[Row]) -> str:
    h = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r.id):
        h.update(json.dumps(row.data, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# The modules whose code computes the features a head learns from (cues, n-grams, line
# features, sentence splitting, cleaning of HTML training rows): a change there changes what a
# retrained model is, so it is part of the model's name (session 11: three sourcing heads
# trained on different source-name rules had all been named 04872887.d4ea).
FEATURE_MODULES = ("cleaning.py", "heads.py", "lines.py", "ngrams.py", "sentences.py", "sources.py")


def feature_code_hash() -> str:
    """sha256 of the feature code (FEATURE_MODULES, in that order)."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in FEATURE_MODULES:
        h.update(name.encode("utf-8") + b"\0" + (here / name).read_bytes() + b"\0")
    return h.hexdigest()


def settings_hash(params: dict[str, dict[str, Any]], random_state: int) -> str:
    """Hash of what, besides the data, decides a trained model: head settings, seed, format,
    the weighting of short English texts, and the feature code (:func:`feature_code_hash`)."""
    from .model import MODEL_FORMAT

    blob = json.dumps({"params": params, "random_state": random_state, "format": MODEL_FORMAT,
                       "short_en_topic_weight": SHORT_EN_TOPIC_WEIGHT, "min_doc_chars": MIN_DOC_CHARS,
                       "short_en_promo_weight": SHORT_EN_PROMO_WEIGHT, "feature_code": feature_code_hash()},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class TrainResult:
    scorer: Any
    metrics: dict[str, Any]
    comparison: dict[str, Any] | None
    promoted: bool
    out: Path | None
    message: str


def train(data: Iterable[str | os.PathLike[str]] = (), *, only: bool = False,
          out: str | os.PathLike[str] | None = None, force: bool = False,
          compare_with: str | os.PathLike[str] | None = "default", random_state: int = 0,
          params: dict[str, dict[str, Any]] | None = None, report: str | os.PathLike[str] | None = None) -> TrainResult:
    """Train a model from labelled JSONL files, evaluate it, compare it, and save it to ``out``.

    ``data`` is merged with the shipped training data unless ``only=True``. The model is saved
    (atomically) only if it is not worse than the current one by more than
    :data:`REGRESSION_TOLERANCE` on a main metric, or ``force=True``.
    """
    from .model import MODEL_FORMAT, ModelError, Scorer, default_model_dir

    if isinstance(data, (str, os.PathLike)):
        data = [data]  # one file
    unknown = sorted(set(params or {}) - set(HEAD_PARAMS))
    if unknown:
        raise ValueError(f"params: unknown head(s) {', '.join(unknown)}; the heads are {', '.join(HEAD_PARAMS)}")
    user_files = [Path(p) for p in data]
    shipped = [] if only else shipped_data_files()
    if not only and not shipped:
        raise TrainingDataError(
            f"the shipped training data is not installed (looked in {repo_path('training', 'data')}; "
            "it comes with the source repository, not the wheel): retrain from a clone "
            "(pip install -e .), or train on your data alone with --only")
    files = shipped + user_files
    if not files:
        raise TrainingDataError("no training data: pass --data FILE (with --only) or keep training/data/")
    current = None
    if compare_with is not None:
        try:
            current = Scorer.load(None if compare_with == "default" else compare_with)
        except ModelError as exc:
            if compare_with != "default":  # a model the caller named must exist
                raise TrainingDataError(f"--compare-with {compare_with}: {exc}") from None
            current = None
    known = None if only else (set(current.topic_labels) if current is not None else None)
    if not only and known is not None:
        # labels of the shipped data are always allowed (the shipped model defines the set)
        pass
    log.info("reading %d data files", len(files))
    rows = load_rows(files, topic_labels=known)
    datasets = build_datasets(rows)
    log.info("%d rows: %s", len(rows), ", ".join(f"{h} {len(d)}" for h, d in datasets.items()))
    # --only with rows that label some heads: the others are kept from the current model
    inherited = sorted(h for h in ("topic", "promotional", "sourcing", "lines")
                       if only and current is not None and not len(datasets[h]))
    heads = fit_heads(datasets, params, random_state=random_state,
                      inherit={h: current.heads[h] for h in inherited} if inherited else None)
    log.info("evaluating on the test split")
    metrics = evaluate(heads, datasets, details=True)
    comparison = None
    promoted = True
    message = "trained"
    own_topics = False
    if current is not None:
        own_topics = bool(len(datasets["topic"])) and set(map(str, heads["topic"].classes_)) != set(current.topic_labels)
        log.info("evaluating the current model (%s) on the same split", current.name)
        try:
            # a topic label set of the user's own is not comparable: the other heads still are
            old_metrics = evaluate(current.heads, {**datasets, "topic": Dataset()} if own_topics else datasets,
                                   details=True)
        except ValueError as exc:
            old_metrics = {}
            message = f"not compared with the current model ({exc})"
        if own_topics:
            message = "topic not compared with the current model (another label set)"
        if old_metrics:
            comparison = compare(metrics, old_metrics)
            if comparison["regressions"] and not force:
                promoted = False
                message = ("refused: worse than the current model beyond tolerance "
                           f"{REGRESSION_TOLERANCE}: " + "; ".join(comparison["regressions"])
                           + " (use --force to save anyway)")
        # a head trained on the rows given but with none of them in the test split cannot be
        # checked against the current model: saving it would replace a checked head blindly
        unchecked = [h for h in ("topic", "promotional", "sourcing", "lines")
                     if h not in inherited and len(datasets[h]) and not len(datasets[h].part("test"))]
        if unchecked and not force:
            why = (", ".join(f"{h} ({len(datasets[h])} training examples)" for h in unchecked)
                   + f" has no example in the test split ({TEST_FRACTION:.0%} of ids, by hash), so it "
                   "cannot be checked against the current model: add rows that label it, or use "
                   "--force to save anyway")
            message = f"refused: {why}" if promoted else f"{message}; and {why}"  # every reason, not the first
            promoted = False
    import sklearn

    labels = {h: [str(c) for c in heads[h].classes_] for h in heads}
    dh = data_hash(rows)
    used_params = {h: {k: (list(v) if isinstance(v, tuple) else v) for k, v in p.items()}
                   for h, p in {**HEAD_PARAMS, **(params or {})}.items()}
    manifest = {
        "format": MODEL_FORMAT,
        # the data and the settings both name a model: a retrain with other features or
        # another random_state on the same data gets another name
        "name": f"scorer-{__version__}+{dh[:8]}.{settings_hash(used_params, random_state)[:4]}",
        "package_version": __version__,
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "random_state": random_state,
        "feature_code_sha256": feature_code_hash(),  # FEATURE_MODULES, as the name hashes them
        "labels": labels,
        "data": {"sha256": dh, "rows": len(rows), "files": [f.name for f in files],
                 "counts": {h: {"train": sum(s == "train" for s in d.split),
                                "test": sum(s == "test" for s in d.split)} for h, d in datasets.items()},
                 "test_fraction": TEST_FRACTION},
        "params": used_params,
        "metrics": _strip_private(metrics),
    }
    if inherited:
        manifest["inherited"] = {h: current.name for h in inherited}
    scorer = Scorer(heads, manifest)
    out_path = None
    if promoted and own_topics and out is None and not force:
        # another topic label set would silently change what every later `score` says
        promoted = False
        message = ("refused: the topic labels differ from the current model's "
                   f"({', '.join(map(str, heads['topic'].classes_))} vs {', '.join(current.topic_labels)}): "
                   "write the model elsewhere with --out DIR, or pass --force to replace the default model")
    if promoted:
        out_path = scorer.save(out if out is not None else default_model_dir())
        message = f"saved to {out_path}" + (f"; {message}" if message != "trained" else "")
    if report is not None:
        from .report_training import write_training_report

        write_training_report(report, metrics, comparison, manifest)
    return TrainResult(scorer, _strip_private(metrics), comparison, promoted, out_path, message)
