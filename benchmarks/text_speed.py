"""Text-dump throughput: documents/s for clean + score on seed-like dumps.

    python benchmarks/text_speed.py [--docs 300] [--jobs 2] [--real]

Scores the same seed-like text dumps (the seeds and varied cuts of them, ~5 kB each) with
``iter_scores(jobs=1)`` and ``iter_scores(jobs=N)``; the worker pool is started and warmed
(model loaded) before timing, so the figures are steady-state throughput. Prints docs/s for
both, the speed-up, and checks the records are identical. Target: >= 1,000 docs/s with 2
processes. ``--real`` scores distinct real articles and web pages from ``training/data``
instead (as in a crawl, they share almost no sentence: 31 of 14,314, BBC footers; the seed-like
dumps repeat the seeds' sentences, which the sourcing cues read once per batch). The target is
for the seed-like dumps.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timer, machine, real_docs, seed_like_docs  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--real", action="store_true", help="distinct real documents from training/data")
    args = ap.parse_args()
    from scorer.batch import iter_scores
    from scorer.document import Document
    from scorer.model import load_model

    scorer = load_model()
    if args.docs < 1:
        ap.error("--docs must be at least 1")
    if args.real:  # warmed on other documents: none of the timed ones is in a cache
        texts = real_docs(args.docs + 64)
        if len(texts) < args.docs + 64:
            ap.error(f"--real has {len(texts) - 64} documents to time; ask for at most that many")
        warm = [Document(id=f"w{i}", raw=t, kind="text") for i, t in enumerate(texts[:64])]
        docs = [Document(id=str(i), raw=t, kind="text") for i, t in enumerate(texts[64:])]
    else:
        docs = [Document(id=str(i), raw=t, kind="text") for i, t in enumerate(seed_like_docs(args.docs))]
        warm = docs[:64]
    list(iter_scores(warm, scorer, jobs=1))
    list(iter_scores(warm, scorer, jobs=args.jobs))  # start the pool, load the model in each worker
    with Timer() as t1:
        one = [s.to_dict() for s in iter_scores(docs, scorer, jobs=1)]
    with Timer() as tn:
        many = [s.to_dict() for s in iter_scores(docs, scorer, jobs=args.jobs)]
    assert one == many
    chars = sum(len(d.raw) for d in docs) / len(docs)
    kind = "Distinct real documents" if args.real else "Text dumps"
    print(f"{kind}: {len(docs)} documents, {chars:.0f} characters on average ({machine()})")
    print(f"  1 process:   {len(docs) / t1.seconds:7.1f} docs/s")
    target = "" if args.real else "; target >= 1000 docs/s"
    print(f"  {args.jobs} processes: {len(docs) / tn.seconds:7.1f} docs/s  (speed-up {t1.seconds / tn.seconds:.2f}x"
          f"{target})")


if __name__ == "__main__":
    main()
