"""The records the package produces: a cleaned document and its scores.

``Score.to_dict()`` is the output contract documented in the README ("Output record"); other
tools depend on it, so fields are only ever added, never renamed or removed.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RemovedLine", "Cleaned", "Score"]


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped, with its position in the input and why."""

    lineno: int  # 1-based line number in the input text (0 for HTML, where lines don't exist)
    text: str
    reason: str


@dataclass
class Cleaned:
    """The result of cleaning one raw document."""

    text: str
    kind: str  # "html" or "text"
    title: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # per input line (text dumps only): (label, probability of keeping); used by reports
    line_labels: list[tuple[str, str, float]] = field(default_factory=list)
    # HTML only: visible lines outside the extracted article that disclose sponsorship
    # ("Sponsored content", an affiliate notice in the footer); read by the promotional record
    disclosure_lines: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "title": self.title,
            "removed": [{"line": r.lineno, "text": r.text, "reason": r.reason} for r in self.removed],
            "metadata": self.metadata,
            "warnings": list(self.warnings),
        }


@dataclass
class Score:
    """Scores of one document. ``to_dict()`` gives the output record."""

    id: str
    path: str | None
    input: str
    language: str
    title: str | None
    chars: int
    lines_removed: int
    topic: dict[str, Any]
    sourcing: dict[str, Any]
    promotional: dict[str, Any]
    warnings: list[str]
    model: str
    explanation: dict[str, Any] | None = None
    cleaned: Cleaned | None = field(default=None, repr=False, compare=False)
    error: str | None = None
    url: str | None = None
    # what the page declares about itself (HTML: author, date, site name, description, categories,
    # tags, licence...; the title and url have their own keys); empty for text dumps
    metadata: dict[str, Any] = field(default_factory=dict)

    def explain(self) -> dict[str, Any]:
        """Why each score is what it is (n-gram contributions, sentences, sources).

        Available when the document was scored with ``explain=True``.
        """
        if self.explanation is None:
            raise ValueError("this Score has no explanation: score it with explain=True")
        return self.explanation

    def to_dict(self, *, text: bool = False) -> dict[str, Any]:
        """The output record; ``text=True`` adds the cleaned text under ``text`` ("" when none)."""
        record: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "input": self.input,
            "language": self.language,
            "title": self.title,
            "chars": self.chars,
            "lines_removed": self.lines_removed,
            "topic": self.topic,
            "sourcing": self.sourcing,
            "promotional": self.promotional,
            "warnings": list(self.warnings),
            "model": self.model,
        }
        if self.url:
            record["url"] = self.url
        if self.metadata:
            record["metadata"] = copy.deepcopy(self.metadata)
        if self.error is not None:
            record["error"] = self.error
        if self.explanation is not None:
            record["explain"] = self.explanation
        if text:
            record["text"] = self.cleaned.text if self.cleaned is not None else ""
        return record
