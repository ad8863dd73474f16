"""Cleaning quality: HTML extraction F1 on ../shared/bench/extraction and the text-dump line cleaner.

    python benchmarks/extraction.py

1. HTML: the 181 pages of the article-extraction benchmark, cleaned by ``Scorer.clean`` (our
   trafilatura options + the line-cleaner fallback) and by plain ``trafilatura.extract`` with
   its defaults; precision / recall / F1 over 4-token shingles (the upstream metric, see
   ../shared/bench/extraction/README.md) and exact-match accuracy.
2. Text dumps: line keep/drop accuracy and F1 of the line cleaner on the held-out test split of
   training/data/lines.jsonl (scorer.train.split_of via build_datasets).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Timer, exact, extraction_pages, prf, shingle_scores  # noqa: E402


def html_part(scorer) -> None:
    import trafilatura

    pages = extraction_pages()
    ours, plain = [], []
    ours_exact = plain_exact = 0
    with Timer() as t_ours:
        preds_ours = [scorer.clean(html, url=url, kind="html").text for _k, url, html, _t in pages]
    with Timer() as t_plain:
        preds_plain = [trafilatura.extract(html, url=url) or "" for _k, url, html, _t in pages]
    for (_k, _u, _h, truth), a, b in zip(pages, preds_ours, preds_plain, strict=True):
        ours.append(shingle_scores(truth, a))
        plain.append(shingle_scores(truth, b))
        ours_exact += exact(truth, a)
        plain_exact += exact(truth, b)
    n = len(pages)
    print(f"HTML extraction, {n} pages (4-token shingles):")
    for name, scores, ex, secs in (("scorer.clean", ours, ours_exact, t_ours.seconds),
                                   ("trafilatura.extract (defaults)", plain, plain_exact, t_plain.seconds)):
        m = prf(scores)
        print(f"  {name:<32} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
              f"accuracy {ex / n:.3f}  ({secs:.1f}s, {n / secs:.1f} pages/s, 1 process)")
    print(f"  F1 ratio scorer / trafilatura defaults: {prf(ours)['f1'] / prf(plain)['f1']:.3f}")


def lines_part(scorer) -> None:
    from scorer.cleaning import clean_lines
    from scorer.train import build_datasets, load_rows

    rows = load_rows([ROOT / "training" / "data" / "lines.jsonl"])
    test = build_datasets(rows)["lines"].part("test")
    tp = fp = fn = tn = 0
    for page, labels in zip(test.X, test.y, strict=True):
        cleaned = clean_lines(page, scorer.heads["lines"])
        kept = [lab in ("content", "title") for _line, lab, _p in cleaned.line_labels]
        truth = [lab in ("content", "title") for lab in labels]
        for k, g in zip(kept, truth, strict=True):
            tp += k and g
            fp += k and not g
            fn += (not k) and g
            tn += (not k) and (not g)
    total = tp + fp + fn + tn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"Text-dump line cleaner, test split of training/data/lines.jsonl: {len(test.X)} pages, {total} lines")
    print(f"  keep/drop accuracy {(tp + tn) / total:.3f}   keep P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")


def main() -> None:
    from scorer.model import load_model

    scorer = load_model()
    html_part(scorer)
    lines_part(scorer)


if __name__ == "__main__":
    main()
