"""Which documents are worth keeping: thresholds on the scores, chosen by the caller.

The scores say what a page is; a :class:`KeepPolicy` says what *this* corpus keeps: at most
so promotional, at least so sourced, these topics, these languages, at least so long. It reads
an output record (or a :class:`~scorer.result.Score`) and answers keep or drop with the reasons,
so a crawl can be filtered in the same pass that scores it (``score --max-promotional 0.5
--kept-only``). There are no default thresholds: what is worth keeping depends on the corpus.
"""
from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["KeepPolicy", "KeepPolicyError", "DROP_REASONS"]

# Why a document is dropped, in the order they are checked (every failing check is listed).
_LANGUAGE = re.compile(r"[a-z]{2}")  # what detect_language returns: ISO 639-1, "und", or language.THREE_LETTER_CODES
DROP_REASONS = ("error", "no_text", "language_not_allowed", "too_short", "topic_not_allowed",
                "promotional_above_max", "sourcing_below_min")


class KeepPolicyError(ValueError):
    """A threshold the policy cannot take; ``field`` names it, so that a front end (the CLI's
    options, Scrapy's settings) can say it in its own words: ``f"{name} {reason}"``."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field} {reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class KeepPolicy:
    """Keep a document when every threshold that is set holds.

    ``max_promotional``: keep when ``promotional.score <= max_promotional`` (0–1).
    ``min_sourcing``: keep when ``sourcing.density >= min_sourcing`` (0–1).
    ``topics``: keep when ``topic.label`` is one of them. ``languages``: keep when ``language``
    is one of them (ISO 639-1). ``min_chars``: keep when the cleaned text has at least that many
    characters. A record with an ``error`` or the ``no_text`` warning is never kept.
    """

    max_promotional: float | None = None
    min_sourcing: float | None = None
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_chars: int | None = None

    def __post_init__(self) -> None:
        for name in ("max_promotional", "min_sourcing"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)
                                      or not 0.0 <= value <= 1.0):
                raise KeepPolicyError(name, f"must be a number from 0 to 1, not {value!r}")
            if value is not None:
                object.__setattr__(self, name, float(value))
        if self.min_chars is not None and (isinstance(self.min_chars, bool) or not isinstance(self.min_chars, numbers.Integral)
                                           or self.min_chars < 0):
            raise KeepPolicyError("min_chars", f"must be a whole number of characters >= 0, not {self.min_chars!r}")
        for name in ("topics", "languages"):
            value = getattr(self, name)
            if value is None:
                value = ()
            elif isinstance(value, str):  # KeepPolicy(topics="sports") means ("sports",), not its letters
                value = (value,)
            value = tuple(value)
            if not all(isinstance(v, str) and v.strip() for v in value):
                raise KeepPolicyError(name, f"must be non-empty names, not {value!r}")
            value = tuple(v.strip() for v in value)  # "fr, en" split on commas leaves " en"
            if name == "languages":
                value = tuple(v.lower() for v in value)
                from .language import THREE_LETTER_CODES

                bad = [v for v in value if not (_LANGUAGE.fullmatch(v) or v == "und" or v in THREE_LETTER_CODES)]
                if bad:
                    raise KeepPolicyError(name, "must be language codes as in the records' 'language' "
                                                f"(fr, en, de, ... or und), not {', '.join(map(repr, bad))}")
            object.__setattr__(self, name, value)

    @property
    def active(self) -> bool:
        """True when at least one threshold is set (an empty policy keeps every scored document)."""
        return (self.max_promotional is not None or self.min_sourcing is not None or bool(self.topics)
                or bool(self.languages) or self.min_chars is not None)

    def check_topics(self, labels: Iterable[str]) -> None:
        """Raise ValueError naming the model's labels if a topic of the policy is not one of them."""
        labels = list(labels)
        unknown = [t for t in self.topics if t not in labels]
        if unknown:
            raise ValueError(f"unknown topic {', '.join(map(repr, unknown))}: the model's topics are "
                             f"{', '.join(labels)}")

    def drop_reasons(self, record: Any) -> list[str]:
        """Why ``record`` (an output record, a dict, or a Score) is dropped: [] when it is kept.

        A score the record lacks (None or absent) fails its threshold: unknown is not kept.
        """
        if not isinstance(record, Mapping):
            from .result import Score

            if not isinstance(record, Score):
                raise TypeError(f"KeepPolicy reads an output record (dict) or a Score, not {type(record).__name__}")
            record = record.to_dict()
        if record.get("error") is not None:
            return ["error"]
        if "no_text" in (record.get("warnings") or []):
            return ["no_text"]
        out = []
        if self.languages and record.get("language") not in self.languages:
            out.append("language_not_allowed")
        if self.min_chars is not None and (record.get("chars") or 0) < self.min_chars:
            out.append("too_short")
        if self.topics and (record.get("topic") or {}).get("label") not in self.topics:
            out.append("topic_not_allowed")
        if self.max_promotional is not None:
            promo = (record.get("promotional") or {}).get("score")
            if promo is None or promo > self.max_promotional:
                out.append("promotional_above_max")
        if self.min_sourcing is not None:
            density = (record.get("sourcing") or {}).get("density")
            if density is None or density < self.min_sourcing:
                out.append("sourcing_below_min")
        return out

    def keeps(self, record: Any) -> bool:
        """True when ``record`` passes every threshold."""
        return not self.drop_reasons(record)

    def annotate(self, record: dict[str, Any]) -> dict[str, Any]:
        """``record`` with ``keep`` (bool) and ``drop_reasons`` (list) added (a new dict)."""
        reasons = self.drop_reasons(record)
        return {**record, "keep": not reasons, "drop_reasons": reasons}
