"""Model selection by cross-validation on the training split (the test split is never used).

    python training/model_selection.py [--heads topic,promotional,sourcing] [--folds 3] [--out training/select_results.json]

For each head, every candidate configuration is scored with grouped K-fold cross-validation
(groups = documents, so sentences of one article never straddle folds). The winner of each
head goes into scorer.train.HEAD_PARAMS by hand, and the table into training/REPORT.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorer.heads import TextHead  # noqa: E402
from scorer.model import SOURCING_THRESHOLD  # noqa: E402
from scorer.train import HEAD_PARAMS, build_datasets, load_rows, shipped_data_files  # noqa: E402

BASE = {h: dict(HEAD_PARAMS[h]) for h in ("topic", "promotional", "sourcing")}


def variants(head: str) -> dict[str, dict]:
    b = BASE[head]
    v = {
        "word 1-2 only": {**b, "word_ngrams": (1, 2), "char_ngrams": None, "cues": False},
        "word 1-2 + char 2-5": {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": False},
        "word 1-2 + char 2-5 + cues": {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": True},
        "word 1-3 + char 2-5 + cues": {**b, "word_ngrams": (1, 3), "char_ngrams": (2, 5), "cues": True},
        "word 1-2 + char 2-5 + cues, C/4": {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": True, "C": b["C"] / 4},
        "word 1-2 + char 2-5 + cues, C*4": {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": True, "C": b["C"] * 4},
        "word 1-2 + char 2-5 + cues, no class weight": {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": True,
                                                        "class_weight": None},
    }
    if head == "topic":
        v["word 1-2 + char 2-5, C*2"] = {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": False, "C": b["C"] * 2}
        v["word 1-2 + char 2-5, C*4"] = {**b, "word_ngrams": (1, 2), "char_ngrams": (2, 5), "cues": False, "C": b["C"] * 4}
        v["shipped"] = dict(b)
        v["shipped, 100k + 100k features"] = {**b, "max_word_features": 100000, "max_char_features": 100000}
        v["shipped, 200k + 200k features"] = {**b, "max_word_features": 200000, "max_char_features": 200000}
        v["shipped, 100k + 100k features, C*2"] = {**b, "max_word_features": 100000,
                                                   "max_char_features": 100000, "C": b["C"] * 2}
    if head == "sourcing":
        v["word 1-2 + char 2-5 + cues + sourcing cues"] = {**b, "char_ngrams": (2, 5), "cues": "sourcing"}
        v["word 1-3 + char 2-5 + cues + sourcing cues"] = {**b, "word_ngrams": (1, 3), "char_ngrams": (2, 5),
                                                           "cues": "sourcing"}
        v["sourcing cues, C/4"] = {**b, "char_ngrams": (2, 5), "cues": "sourcing", "C": b["C"] / 4}
        v["sourcing cues + neighbour cues, C/4"] = {**b, "char_ngrams": (2, 5), "cues": "sourcing",
                                                    "C": b["C"] / 4, "context": True}
        v["sourcing cues + neighbour cues, C/2"] = {**b, "char_ngrams": (2, 5), "cues": "sourcing",
                                                    "C": b["C"] / 2, "context": True}
        # the shipped head has both quote cues; these take one away or move C
        v["shipped"] = dict(b)
        v["shipped without quote state"] = {**b, "quote_state": False}
        v["shipped without quote spans"] = {**b, "quote_spans": False}
        v["shipped, C*2"] = {**b, "C": b["C"] * 2}
        v["shipped, C/2"] = {**b, "C": b["C"] / 2}
        v["shipped, linear only (no stacked trees)"] = {**b, "stack": False}
        v["shipped + sentence shape"] = {**b, "shape": True}
        v["shipped without wide report cues"] = {**b, "wide": False}
        v["shipped, 100k + 100k features"] = {**b, "max_word_features": 100000, "max_char_features": 100000}
        v["shipped, 300k + 300k features"] = {**b, "max_word_features": 300000, "max_char_features": 300000}
    return v


def score_fold(head: str, model, X, y, lang) -> dict[str, float]:
    if head == "topic":
        pred = model.predict(X)
        out = {"macro_f1": f1_score(y, pred, average="macro")}
        for lg in ("fr", "en"):
            k = (lang == lg) & np.asarray([len(x) >= 400 for x in X])
            if k.sum() > 20:
                out[f"macro_f1_{lg}"] = f1_score(y[k], pred[k], average="macro")
        return out
    p = model.predict_proba(X)[:, 1]
    if head == "promotional":
        out = {"roc_auc": roc_auc_score(y, p)}
        for lg in ("fr", "en"):
            k = lang == lg
            if k.sum() > 20 and len(set(y[k])) == 2:
                out[f"roc_auc_{lg}"] = roc_auc_score(y[k], p[k])
        return out
    out = {"f1": f1_score(y, p >= SOURCING_THRESHOLD)}
    for lg in ("fr", "en"):
        k = lang == lg
        if k.sum() > 20:
            out[f"f1_{lg}"] = f1_score(y[k], p[k] >= SOURCING_THRESHOLD)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--heads", default="topic,promotional,sourcing")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "training" / "select_results.json"))
    ap.add_argument("--only", default=None, help="run only variants whose name contains this")
    ap.add_argument("--exact", default=None, help="run only the variant with exactly this name")
    args = ap.parse_args()
    datasets = build_datasets(load_rows(shipped_data_files()))
    results = json.loads(Path(args.out).read_text()) if Path(args.out).exists() else {}
    for head in args.heads.split(","):
        tr = datasets[head].part("train")
        X = np.asarray(tr.X, dtype=object)
        y = np.asarray(tr.y)
        lang = np.asarray(tr.lang)
        groups = np.asarray(tr.groups)  # row groups: a document, or the pages of one site
        results.setdefault(head, {})
        for name, params in variants(head).items():
            if args.only and args.only not in name:
                continue
            if args.exact and name != args.exact:
                continue
            t = time.time()
            folds = []
            for trn, val in GroupKFold(args.folds).split(X, y, groups):
                m = TextHead(**{**params, "calibrate": False}).fit(list(X[trn]), y[trn], groups=groups[trn])
                folds.append(score_fold(head, m, list(X[val]), y[val], lang[val]))
            mean = {k: round(float(np.mean([f[k] for f in folds if k in f])), 4) for k in folds[0]}
            results[head][name] = {"params": {k: v for k, v in params.items()}, "cv": mean,
                                   "seconds": round(time.time() - t, 1)}
            print(head, name, mean, f"{time.time() - t:.0f}s", flush=True)
            Path(args.out).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
