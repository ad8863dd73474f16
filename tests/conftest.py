"""Shared fixtures: the shipped model, a tiny model trained on a slice of the real data, seeds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DATA = ROOT / "training" / "data"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def shipped():
    from scorer.model import load_model

    return load_model()


def tiny_rows(tmp: Path, per_file: int = 60) -> Path:
    """A small labelled file cut from the shipped training data (real rows, every head)."""
    out = tmp / "tiny.jsonl"
    rows = []
    for name in ("topic_news.jsonl", "written.jsonl", "sourcing.jsonl", "lines.jsonl",
                 "promotional_clickbait.jsonl"):
        lines = (DATA / name).read_text("utf-8").splitlines()
        step = max(1, len(lines) // per_file)
        rows += [json.loads(line) for line in lines[::step][:per_file]]
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


TINY_PARAMS = {
    "topic": dict(word_ngrams=(1, 1), char_ngrams=None, max_word_features=2000, max_char_features=0,
                  min_df=1, cues=False, C=4.0, calibrate=False),
    "promotional": dict(word_ngrams=(1, 1), char_ngrams=None, max_word_features=2000, max_char_features=0,
                        min_df=1, cues=True, C=4.0, calibrate=True),
    "sourcing": dict(word_ngrams=(1, 2), char_ngrams=None, max_word_features=2000, max_char_features=0,
                     min_df=1, cues="sourcing", context=True, C=4.0, calibrate=False, stack=True),
    "lines": dict(C=1.0, max_words=2000, min_df=1),
}


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    return tiny_rows(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, tiny_data):
    """A tiny model trained with the real training code path, saved and loaded back."""
    from scorer.model import Scorer
    from scorer.train import train

    out = tmp_path_factory.mktemp("tiny_model")
    result = train([tiny_data], only=True, out=out, compare_with=None, params=TINY_PARAMS)
    assert result.promoted, result.message
    return Scorer.load(out)
