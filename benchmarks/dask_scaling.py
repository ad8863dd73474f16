"""Scaling on dask.distributed: 2 worker processes vs 1 on the same input (target >= 1.7x).

    python benchmarks/dask_scaling.py [--docs 200]

For each cluster size, a LocalCluster of N single-threaded worker processes is started, every
worker loads the model (client.run, not timed), then the same seed-like text dumps are scored
through ``iter_scores_distributed`` (ordered, bounded look-ahead). Prints docs/s for both and
the speed-up, and checks both runs give the same records.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timer, machine, seed_like_docs  # noqa: E402


def _warm(ref):
    from scorer.batch import score_chunk
    from scorer.document import Document

    score_chunk([Document(id="warm", raw="Un texte de chauffe.\nIl a deux lignes, assez longues pour compter.",
                          kind="text")], ref)
    return True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    from scorer.batch import model_ref
    from scorer.document import Document
    from scorer.integrations.dask import iter_scores_distributed
    from scorer.model import load_model

    scorer = load_model()
    docs = [Document(id=str(i), raw=t, kind="text") for i, t in enumerate(seed_like_docs(args.docs))]
    results, times = {}, {}
    for n in (1, 2):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            client.run(_warm, model_ref(scorer))
            with Timer() as t:
                results[n] = [s.to_dict() for s in iter_scores_distributed(docs, scorer, client, chunk_size=8)]
            times[n] = t.seconds
    assert results[1] == results[2]
    print(f"dask.distributed LocalCluster, {len(docs)} text dumps ({machine()}):")
    for n in (1, 2):
        print(f"  {n} worker process{'es' if n > 1 else ''}: {len(docs) / times[n]:6.1f} docs/s ({times[n]:.1f}s)")
    print(f"  speed-up 2 vs 1: {times[1] / times[2]:.2f}x  (target >= 1.7x)")


if __name__ == "__main__":
    main()
