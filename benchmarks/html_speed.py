"""HTML throughput: `score` (clean + 3 scores) against the `trafilatura` CLI (extraction alone).

    python benchmarks/html_speed.py [--jobs 2] [--repeat 1]

Both read the same 181 .html files of ../shared/bench/extraction (written to a temporary
directory) with the same number of processes, and both are timed end to end as a user runs
them (process start, imports, model load, writing the output): `score --jobs N -q DIR -o
FILE` and `trafilatura --input-dir DIR -o OUTDIR --parallel N`. Prints pages/s for each and
the ratio score / trafilatura (target >= 1.0).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timer, machine, write_extraction_pages  # noqa: E402


def run(cmd: list[str]) -> float:
    with Timer() as t:
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return t.seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    args = ap.parse_args()
    score = shutil.which("score") or sys.exit("the `score` command is not installed (pip install -e .)")
    traf = shutil.which("trafilatura") or sys.exit("the `trafilatura` command is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = write_extraction_pages(tmp / "pages")
        n = len(pages)
        ours, theirs = [], []
        for i in range(args.repeat):
            out = tmp / f"traf{i}"
            theirs.append(run([traf, "--input-dir", str(tmp / "pages"), "-o", str(out),
                               "--parallel", str(args.jobs)]))
            ours.append(run([score, "--jobs", str(args.jobs), "-q", str(tmp / "pages"), "-o", str(tmp / f"s{i}.jsonl")]))
            lines = (tmp / f"s{i}.jsonl").read_text("utf-8").count("\n")
            assert lines == n, (lines, n)
    t_ours, t_theirs = min(ours), min(theirs)
    print(f"HTML pages: {n}, processes: {args.jobs} ({machine()})")
    print(f"  score --jobs {args.jobs} (clean + topic, sourcing, promotional): {t_ours:.1f}s  {n / t_ours:.1f} pages/s")
    print(f"  trafilatura --parallel {args.jobs} (extraction only):         {t_theirs:.1f}s  {n / t_theirs:.1f} pages/s")
    print(f"  ratio score / trafilatura: {(n / t_ours) / (n / t_theirs):.2f}  (target >= 1.0)")


if __name__ == "__main__":
    main()
