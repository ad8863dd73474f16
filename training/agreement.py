"""How far the shipped labels can be trusted: a second, blind reading of test-split items.

A reader who had seen neither the labels nor the model's output labelled a sample of the
test split again (`training/labels/agreement_topic.jsonl`, `agreement_sourcing.jsonl`; how
they were made: `training/labels/agreement.md`). This script compares three label sets on
those items: the shipped labels, the second reading, and the shipped model's predictions.

    python training/agreement.py [--model DIR]

When the second reader agrees with the shipped labels less than the model does, a target
stated against those labels sits above what the labels themselves support.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorer.model import SOURCING_THRESHOLD, load_model  # noqa: E402
from scorer.train import build_datasets, load_rows, shipped_data_files  # noqa: E402

LABELS = ROOT / "training" / "labels"
# MasakhaNEWS names for the labels the reader chose from, mapped as training/DATA.md maps them
DATASET_TO_TOPIC = {"entertainment": "culture"}


def _topic(label: str | None) -> str | None:
    return DATASET_TO_TOPIC.get(label, label) if label else None


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def topic_agreement(model, datasets) -> dict[str, dict]:
    reads = {r["id"]: r for r in _jsonl(LABELS / "agreement_topic.jsonl")}
    ds = datasets["topic"]
    idx = [i for i, ident in enumerate(ds.ids) if ident in reads and ds.split[i] == "test"]
    head = model.heads["topic"]
    proba = head.predict_proba_matrix(head.transform([ds.X[i] for i in idx]))
    pred = np.asarray([str(c) for c in head.classes_])[proba.argmax(1)]
    out = {}
    for lang in ("fr", "en"):
        k = [j for j, i in enumerate(idx) if ds.lang[i] == lang]
        if not k:
            continue
        gold = [str(ds.y[idx[j]]) for j in k]
        reader = [_topic(reads[ds.ids[idx[j]]]["label"]) for j in k]
        second = [_topic(reads[ds.ids[idx[j]]].get("second")) for j in k]
        # macro-F1 over the labels the shipped labels use (the model can also answer society,
        # lifestyle or science, which MasakhaNEWS does not have; the reader could not)
        labels = sorted(set(gold))
        model_pred = [str(pred[j]) for j in k]
        agree = [j for j, (g, r) in enumerate(zip(gold, reader)) if g == r]
        out[lang] = {
            "n": len(k),
            "reader_vs_labels_accuracy": round(accuracy_score(gold, reader), 3),
            "reader_vs_labels_macro_f1": round(f1_score(gold, reader, labels=labels, average="macro"), 3),
            "reader_first_or_second_choice_accuracy": round(
                float(np.mean([g in (r, s) for g, r, s in zip(gold, reader, second)])), 3),
            "model_vs_labels_accuracy": round(accuracy_score(gold, model_pred), 3),
            "model_vs_labels_macro_f1": round(f1_score(gold, model_pred, labels=labels, average="macro"), 3),
            "model_vs_reader_accuracy": round(accuracy_score(reader, model_pred), 3),
            "n_reader_agrees": len(agree),
            "model_accuracy_where_reader_agrees": round(float(np.mean([model_pred[j] == gold[j] for j in agree])), 3),
        }
    return out


def sourcing_agreement(model, datasets) -> dict[str, dict]:
    path = LABELS / "agreement_sourcing.jsonl"
    if not path.exists():
        return {}
    reads = {r["id"]: r for r in _jsonl(path)}
    ds = datasets["sourcing"]
    head = model.heads["sourcing"]
    out = {}
    for lang in ("fr", "en"):
        idx = [i for i, ident in enumerate(ds.ids)
               if ident in reads and ds.lang[i] == lang and ds.split[i] == "test"]
        if not idx:
            continue
        p1 = head.predict_proba([ds.X[i] for i in idx])[:, list(head.classes_).index(1)]
        gold = np.asarray([int(ds.y[i]) for i in idx])
        model_pred = (p1 >= SOURCING_THRESHOLD).astype(int)
        # the reader's labels, in document order: the k-th item of a document is its k-th sentence
        seen: dict[str, int] = {}
        reader = []
        for i in idx:
            k = seen.get(ds.ids[i], 0)
            seen[ds.ids[i]] = k + 1
            reader.append(int(reads[ds.ids[i]]["labels"][k]))
        reader = np.asarray(reader)
        if any(len(reads[d]["labels"]) != n for d, n in seen.items()):
            raise SystemExit(f"agreement_sourcing.jsonl: sentence counts differ from training/data for {lang}")
        agree = reader == gold
        out[lang] = {
            "n": len(idx), "attributed_labels": int(gold.sum()), "attributed_reader": int(reader.sum()),
            "reader_vs_labels_f1": round(f1_score(gold, reader), 3),
            "reader_vs_labels_accuracy": round(float(agree.mean()), 3),
            "model_vs_labels_f1": round(f1_score(gold, model_pred), 3),
            "model_vs_reader_f1": round(f1_score(reader, model_pred), 3),
            "n_reader_agrees": int(agree.sum()),
            "model_f1_where_reader_agrees": round(f1_score(gold[agree], model_pred[agree]), 3),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    args = ap.parse_args(argv)
    model = load_model(args.model)
    datasets = build_datasets(load_rows(shipped_data_files()))
    report = {"topic": topic_agreement(model, datasets), "sourcing": sourcing_agreement(model, datasets)}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
