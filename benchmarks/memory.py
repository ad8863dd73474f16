"""Memory: peak RSS scoring 20,000 documents vs 2,000 from a JSONL stream (flat memory).

    python benchmarks/memory.py [--jobs 2] [--small 2000] [--large 20000]

Runs `score --jobs N -q FILE.jsonl -o OUT.jsonl` on two JSONL files of short seed-like
documents (a few lines each, so the run stays short) and samples the resident set size of the
whole process tree (the CLI and its worker processes) every 0.1 s. Prints both peaks and the
ratio large / small (target <= 1.1, and <= 400 MB).

Two sums are printed. RSS counts a page once per process that maps it, so memory the
processes share (the language-id tables, memory-mapped from one file; the code of the
libraries) is counted three times. PSS (proportional set size, Linux /proc/PID/smaps_rollup)
splits each shared page between the processes that map it: the sum of PSS is the memory the
run actually takes from the machine.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SEEDS, machine  # noqa: E402


def write_jsonl(path: Path, n: int) -> None:
    lines = [line for p in SEEDS for line in p.read_text("utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            start = (i * 7) % max(1, len(lines) - 6)
            text = "\n".join(lines[start:start + 5])
            fh.write(json.dumps({"id": f"d{i}", "text": text, "url": f"https://example.org/{i}"},
                                ensure_ascii=False) + "\n")


def _pss(pid: int) -> int:
    """Proportional set size in bytes (0 where /proc/PID/smaps_rollup is not readable)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def peak_rss(cmd: list[str]) -> tuple[float, float, float]:
    """Peak sums of RSS and of PSS over the process tree (MB), and the wall time (s)."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = psutil.Process(proc.pid)
    peak = peak_pss = 0
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            total = total_pss = 0
            for p in procs:
                try:
                    total += p.memory_info().rss
                    total_pss += _pss(p.pid)
                except psutil.Error:
                    pass
            peak = max(peak, total)
            peak_pss = max(peak_pss, total_pss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed with {proc.returncode}")
    return peak / 2**20, peak_pss / 2**20, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--large", type=int, default=20000)
    args = ap.parse_args()
    score = shutil.which("score") or sys.exit("the `score` command is not installed")
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.small, args.large):
            src = Path(tmp) / f"docs{n}.jsonl"
            write_jsonl(src, n)
            out = Path(tmp) / f"out{n}.jsonl"
            res[n] = peak_rss([score, "--jobs", str(args.jobs), "-q", str(src), "-o", str(out)])
            assert out.read_text("utf-8").count("\n") == n
    print(f"Peak memory of the process tree, score --jobs {args.jobs} on a JSONL stream ({machine()}):")
    for n, (mb, pss, secs) in res.items():
        print(f"  {n:>6} documents: RSS sum {mb:6.0f} MB, PSS sum {pss:6.0f} MB  "
              f"({secs:.0f}s, {n / secs:.0f} docs/s)")
    ratio = res[args.large][0] / res[args.small][0]
    ratio_pss = res[args.large][1] / res[args.small][1]
    print(f"  ratio {args.large} / {args.small}: RSS {ratio:.2f}, PSS {ratio_pss:.2f}  "
          "(target <= 1.1; peak <= 400 MB)")


if __name__ == "__main__":
    main()
