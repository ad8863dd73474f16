"""Scoring many documents: ordered, streaming iteration over a Scorer (the CLI's engine)."""
from __future__ import annotations

from typing import Iterable, Iterator

from .document import Document
from .model import Scorer
from .result import Score

__all__ = ["iter_scores"]


def iter_scores(docs: Iterable[Document], scorer: Scorer, *, clean: bool = True,
                explain: bool = False, jobs: int = 1) -> Iterator[Score]:
    """Score documents in input order, yielding each record as soon as it is ready."""
    for doc in docs:
        yield scorer.score_document(doc, clean=clean, explain=explain)
