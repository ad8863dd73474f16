"""Shared helpers for the benchmark scripts (not a test module)."""
from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRACTION = ROOT.parent / "shared" / "bench" / "extraction"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def need_extraction() -> Path:
    if not (EXTRACTION / "ground-truth.json").is_file():
        sys.exit(f"benchmark data not found: {EXTRACTION} (../shared/bench/extraction)")
    return EXTRACTION


def extraction_pages() -> list[tuple[str, str, str, str]]:
    """(id, url, html, truth) for the 181 pages of the extraction benchmark."""
    root = need_extraction()
    truth = json.loads((root / "ground-truth.json").read_text("utf-8"))
    out = []
    for key in sorted(truth):
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        out.append((key, truth[key].get("url"), html, truth[key]["articleBody"]))
    return out


def write_extraction_pages(dest: Path) -> list[Path]:
    """The 181 pages as plain .html files in ``dest`` (both CLIs read the same files)."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for key, _url, html, _truth in extraction_pages():
        p = dest / f"{key}.html"
        p.write_text(html, encoding="utf-8")
        paths.append(p)
    return paths


def seed_like_docs(n: int) -> list[str]:
    """n text dumps like the seeds: each seed, and varied cuts of it (so no two are equal)."""
    texts = [p.read_text("utf-8") for p in SEEDS]
    out = []
    for i in range(n):
        lines = texts[i % len(texts)].splitlines()
        k = i // len(texts)
        start = k % 3
        out.append("\n".join(lines[start:]) + f"\n{k}")
    return out


def real_docs(n: int, min_chars: int = 2000) -> list[str]:
    """n distinct real articles and web pages from the shipped training data (MasakhaNEWS,
    FrCORE; French and English), at least ``min_chars`` long, in a fixed shuffled order (1,008 of
    them at 2,000). Unlike seed_like_docs they share almost no sentence, so no per-batch cache
    helps."""
    import random

    texts = []
    for name in ("topic_news.jsonl", "frcore.jsonl"):
        for line in (ROOT / "training" / "data" / name).read_text("utf-8").split("\n"):
            if not line.strip():
                continue
            text = json.loads(line).get("text")
            if isinstance(text, str) and len(text) >= min_chars:
                texts.append(text)
    random.Random(0).shuffle(texts)
    return texts[:n]


_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shingle_scores(truth: str, pred: str) -> tuple[float, float, float]:
    """Per-page TP/FP/FN over 4-token shingle multisets, normalised to sum to 1 (upstream metric)."""
    t, p = shingles(truth), shingles(pred)
    tp = fp = fn = 0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def prf(per_page: list[tuple[float, float, float]]) -> dict[str, float]:
    tp = sum(x[0] for x in per_page)
    fp = sum(x[1] for x in per_page)
    fn = sum(x[2] for x in per_page)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def exact(truth: str, pred: str) -> bool:
    return _TOKEN.findall(truth or "") == _TOKEN.findall(pred or "")


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        return False


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load average {load:.1f} at start"
