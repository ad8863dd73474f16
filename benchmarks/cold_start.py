"""Cold start: wall time of `score seeds/x.txt` against `python -c "import sklearn.linear_model"`.

    python benchmarks/cold_start.py [--repeat 5]

Runs each command --repeat times, alternating, and compares medians (target ratio <= 1.3).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, SEEDS, Timer, machine  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    score = shutil.which("score") or sys.exit("the `score` command is not installed")
    seed = SEEDS[-1].relative_to(ROOT)
    cmds = {"score": [score, "-q", str(seed)], "sklearn": [sys.executable, "-c", "import sklearn.linear_model"]}
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(args.repeat):
        for name, cmd in cmds.items():
            with Timer() as t:
                subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            times[name].append(t.seconds)
    s, k = statistics.median(times["score"]), statistics.median(times["sklearn"])
    print(f"Cold start, median of {args.repeat} ({machine()}):")
    print(f"  score -q {seed}:                      {s:.2f}s")
    print(f"  python -c 'import sklearn.linear_model':  {k:.2f}s")
    print(f"  ratio: {s / k:.2f}  (target <= 1.3)")


if __name__ == "__main__":
    main()
