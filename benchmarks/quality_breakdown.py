"""Quality of the shipped model on the test split, broken down by data origin (real vs written).

    python benchmarks/quality_breakdown.py

The overall figures in models/manifest.json mix real and written test documents; this prints
topic macro-F1 and promotional ROC-AUC on each part, so the real-data figures can be read alone,
and sourcing sentence F1 per corpus.
"""
from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score

from scorer.model import SOURCING_THRESHOLD, load_model
from scorer.train import MIN_DOC_CHARS, _with_quotation_runs, build_datasets, load_rows, shipped_data_files


def main() -> None:
    rows = load_rows(shipped_data_files())
    origin = {r.id: r.data.get("origin") for r in rows}
    corpus = {r.id: r.data.get("corpus", "") for r in rows}
    datasets = build_datasets(rows)
    scorer = load_model()

    te = datasets["topic"].part("test")
    pred = scorer.heads["topic"].predict(te.X)
    y = np.asarray(te.y)
    parts = {
        "real documents, fr": lambda i, lang, x: origin[i] != "written" and lang == "fr" and len(x) >= MIN_DOC_CHARS,
        "real documents, en": lambda i, lang, x: origin[i] != "written" and lang == "en" and len(x) >= MIN_DOC_CHARS,
        "real English web pages (extraction bench)": lambda i, lang, x: corpus[i] == "scrapinghub-aeb",
        "written, fr": lambda i, lang, x: origin[i] == "written" and lang == "fr",
        "written, en": lambda i, lang, x: origin[i] == "written" and lang == "en",
    }
    for name, keep in parts.items():
        m = np.asarray([keep(i, lang, x) for i, lang, x in zip(te.ids, te.lang, te.X)])
        if not m.any():
            continue
        print(f"topic macro-F1  {name:<40} n={m.sum():4d}  {f1_score(y[m], pred[m], average='macro'):.3f}  "
              f"accuracy {np.mean(y[m] == pred[m]):.3f}")

    te = datasets["promotional"].part("test")
    p = scorer.heads["promotional"].predict_proba(te.X)[:, 1]
    y = np.asarray(te.y)
    parts = {
        "real fr (FrCORE + BBC Afrique)": lambda i, lang: origin[i] != "written" and lang == "fr",
        "real en headlines (clickbait vs news)": lambda i, lang: corpus[i].startswith("clickbait"),
        "real English web pages (extraction bench)": lambda i, lang: corpus[i] == "scrapinghub-aeb",
        "written, fr": lambda i, lang: origin[i] == "written" and lang == "fr",
        "written, en": lambda i, lang: origin[i] == "written" and lang == "en",
    }
    for name, keep in parts.items():
        m = np.asarray([keep(i, lang) for i, lang in zip(te.ids, te.lang)])
        if len(set(y[m])) < 2:
            continue
        print(f"promotional AUC {name:<40} n={m.sum():4d} ({int(y[m].sum())} promotional)  "
              f"{roc_auc_score(y[m], p[m]):.3f}")

    te = datasets["sourcing"].part("test")
    # the head's decisions, then the « … » quotation rule, as `score eval` and scoring give them
    p = _with_quotation_runs(te, scorer.heads["sourcing"].predict_proba(te.X)[:, 1] >= SOURCING_THRESHOLD)
    y = np.asarray(te.y)
    source = np.asarray([corpus.get(i, "?") for i in te.ids])
    for name in sorted(set(source)):
        m = source == name
        print(f"sourcing F1     {name:<40} n={m.sum():4d} ({int(y[m].sum())} attributed)  "
              f"{f1_score(y[m], p[m]):.3f}  (precision {precision_score(y[m], p[m]):.3f}, "
              f"recall {recall_score(y[m], p[m]):.3f})")


if __name__ == "__main__":
    main()
