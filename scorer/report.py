"""`score report`: one self-contained HTML file showing scored documents.

For each document: the three scores with a one-line reading, topic probabilities as bars, and
the text with removed boilerplate struck through (with the cleaner's reason), attributed
sentences highlighted with their sources, and promotional cue phrases and sentences marked.
For several documents a sortable summary table and histograms (server-side SVG) come first.

Everything that comes from a page goes through Jinja2's autoescaping: the text is passed to the
template as *segments* (plain strings plus flags), never as pre-built HTML. The page also carries
a Content-Security-Policy that allows only the report's own script (by sha256) and no network,
so even a mistake in escaping could not run a page's ``<script>``.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .result import Score

__all__ = ["render_report", "write_report", "reading"]

HIST_BINS = 10
MAX_CUE_HIGHLIGHT_WORDS = 6  # longer "cues" are not literal phrases worth searching for


# ---------------------------------------------------------------------------------------------
# one-line readings of the scores


def reading(score: Score) -> dict[str, str]:
    """A short plain-language reading of each of the three scores."""
    out: dict[str, str] = {}
    probs = sorted(score.topic.get("scores", {}).items(), key=lambda kv: -kv[1])
    if score.topic.get("label") is None or not probs:
        out["topic"] = "No text to classify."
    else:
        (top, p), rest = probs[0], probs[1:]
        second = f"; next {rest[0][0]} ({rest[0][1]:.0%})" if rest else ""
        if p >= 0.6:
            out["topic"] = f"Clearly {top} ({p:.0%}){second}."
        elif p >= 0.35:
            out["topic"] = f"Probably {top} ({p:.0%}){second}."
        else:
            out["topic"] = f"No clear topic: {top} leads with only {p:.0%}{second}."
    src = score.sourcing
    n, k = src.get("sentences", 0), src.get("attributed_sentences", 0)
    d = src.get("density", 0.0)
    names = len(src.get("sources", []))
    if not n:
        out["sourcing"] = "No sentences to check."
    else:
        verdict = ("well sourced" if d >= 0.3 else "some sourcing" if d >= 0.1
                   else "little sourcing" if k else "no attribution")
        out["sourcing"] = (f"{k} of {n} sentences attribute a claim"
                           f"{f' ({names} named source' + ('s' if names != 1 else '') + ')' if names else ''}"
                           f": {verdict}.")
    p = score.promotional.get("score", 0.0)
    if score.topic.get("label") is None:
        out["promotional"] = "No text to judge."
    elif p >= 0.8:
        out["promotional"] = f"Strongly promotional ({p:.0%}): reads like an ad or clickbait."
    elif p >= 0.5:
        out["promotional"] = f"Promotional ({p:.0%}): selling or hyping more than informing."
    elif p >= 0.2:
        out["promotional"] = f"Some promotional language ({p:.0%}), mostly informative."
    else:
        out["promotional"] = f"Neutral, informative tone ({p:.0%})."
    return out


def _level(value: float, low: float, high: float) -> str:
    return "high" if value >= high else "mid" if value >= low else "low"


# ---------------------------------------------------------------------------------------------
# text segments: spans of a line that are attributed / promotional / a cue


@dataclass
class Segment:
    text: str
    cue: bool = False
    attr: int | None = None  # index into the document's attributed list
    promo: bool = False


@dataclass
class Run:
    """Consecutive segments that share the same sentence-level marking."""

    attr: int | None
    promo: bool
    segments: list[Segment] = field(default_factory=list)
    start: int | None = None  # where the sentence starts in the line (None: no sentence)


# Promotional score under which cues are listed but not highlighted in the text: the lower
# bound of the report's "medium" promotional level (`_document`'s "levels").
PROMO_HIGHLIGHT_MIN = 0.2


def _cue_pattern(cues: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive, word-bounded regex for the cues that are literal, informative phrases."""
    from .lines import stopwords

    stops = stopwords()
    phrases = []
    for cue in cues:
        cue = cue.strip()
        if not cue or cue.startswith("cue:") or cue.startswith("“"):
            continue  # abstract features (cue:superlative) and character n-grams
        words = cue.split()
        if len(words) > MAX_CUE_HIGHLIGHT_WORDS:
            continue
        if all(w.lower() in stops or len(w) < 3 or w.isdigit() for w in words):
            continue  # "de", "et", "la": true contributions, but highlighting them is noise
        phrases.append(r"\s+".join(re.escape(w) for w in words))
    if not phrases:
        return None
    phrases.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


def highlightable_cues(cues: Iterable[str]) -> set[str]:
    """The cues that are highlighted in the text (the others are only listed)."""
    return {c for c in cues if _cue_pattern([c]) is not None}


def _sentence_spans(line: str, sentences: list[tuple[str, int | None, bool]]) -> list[tuple[int, int, int | None, bool]]:
    spans = []
    for sentence, attr, promo in sentences:
        start = line.find(sentence)
        while start >= 0:
            spans.append((start, start + len(sentence), attr, promo))
            start = line.find(sentence, start + len(sentence))
    spans.sort()
    out: list[tuple[int, int, int | None, bool]] = []
    for s in spans:  # drop overlaps (a sentence found inside another one)
        if not out or s[0] >= out[-1][1]:
            out.append(s)
        elif s[0] == out[-1][0]:  # same sentence both attributed and promotional: merge flags
            a, b, attr, promo = out[-1]
            out[-1] = (a, max(b, s[1]), attr if attr is not None else s[2], promo or s[3])
    return out


def segment_line(line: str, sentences: list[tuple[str, int | None, bool]],
                 cue_re: re.Pattern[str] | None) -> list[Run]:
    """Split a kept line into runs (sentence markings) of segments (cue or not)."""
    bounds = {0, len(line)}
    sent_spans = _sentence_spans(line, sentences) if sentences else []
    for a, b, _, _ in sent_spans:
        bounds.update((a, b))
    cue_spans = [(m.start(), m.end()) for m in cue_re.finditer(line)] if cue_re else []
    for a, b in cue_spans:
        bounds.update((a, b))
    cuts = sorted(bounds)
    runs: list[Run] = []
    si = ci = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        while si < len(sent_spans) and sent_spans[si][1] <= a:
            si += 1
        while ci < len(cue_spans) and cue_spans[ci][1] <= a:
            ci += 1
        in_sent = si < len(sent_spans) and sent_spans[si][0] <= a < sent_spans[si][1]
        attr = sent_spans[si][2] if in_sent else None
        promo = sent_spans[si][3] if in_sent else False
        cue = ci < len(cue_spans) and cue_spans[ci][0] <= a < cue_spans[ci][1]
        seg = Segment(line[a:b], cue=cue, attr=attr, promo=promo)
        start = sent_spans[si][0] if in_sent else None
        if runs and runs[-1].start == start:
            runs[-1].segments.append(seg)
        else:
            runs.append(Run(attr=attr, promo=promo, segments=[seg], start=start))
    return runs


# ---------------------------------------------------------------------------------------------
# per-document view model


def _lines(score: Score) -> list[dict[str, Any]]:
    """Every line of the document: kept (with runs) or removed (with its reason)."""
    cleaned = score.cleaned
    expl = score.explanation or {}
    attributed = (expl.get("sourcing") or {}).get("attributed", [])
    promo_sents = (expl.get("promotional") or {}).get("sentences", [])
    sentences: list[tuple[str, int | None, bool]] = []
    promo_set = {p["sentence"] for p in promo_sents}
    for i, a in enumerate(attributed):
        sentences.append((a["sentence"], i, a["sentence"] in promo_set))
    attr_set = {a["sentence"] for a in attributed}
    sentences += [(s, None, True) for s in promo_set if s not in attr_set]
    sentences = [s for s in sentences if s[0]]
    promo = score.promotional.get("score", 0.0)
    cue_re = _cue_pattern(score.promotional.get("cues", [])) if promo >= PROMO_HIGHLIGHT_MIN else None

    def kept(text: str, label: str = "content") -> dict[str, Any]:
        return {"kept": True, "label": label, "runs": segment_line(text, sentences, cue_re)}

    out: list[dict[str, Any]] = []
    if cleaned is not None and cleaned.line_labels:
        for line, label, p in cleaned.line_labels:
            if label in ("content", "title"):
                out.append(kept(line.strip(), label))
            else:
                out.append({"kept": False, "text": line.strip(), "reason": label, "keep_p": p})
        return out
    text = cleaned.text if cleaned is not None else ""
    if score.title and score.title not in text[: len(score.title) + 5]:
        out.append(kept(score.title, "title"))
    out += [kept(line.strip()) for line in text.splitlines() if line.strip()]
    if cleaned is not None:
        out += [{"kept": False, "text": r.text.strip(), "reason": r.reason, "keep_p": None}
                for r in cleaned.removed]
    return out


def _document(i: int, score: Score) -> dict[str, Any]:
    topics = sorted(score.topic.get("scores", {}).items(), key=lambda kv: -kv[1])
    expl = score.explanation or {}
    attributed = (expl.get("sourcing") or {}).get("attributed", [])
    cues = list(score.promotional.get("cues", []))
    promo = score.promotional.get("score", 0.0)
    # a neutral page's strongest promotional words are not highlighted as promotion in its text
    shown = highlightable_cues(cues) if promo >= PROMO_HIGHLIGHT_MIN else set()
    top_p = topics[0][1] if topics else 0.0
    density = score.sourcing.get("density", 0.0)
    return {
        "index": i,
        "anchor": f"doc-{i + 1}",
        "score": score,
        "name": score.title or (Path(score.path).name if score.path else score.id),
        "label": score.path or score.id,
        "topics": [{"label": lab, "p": p, "pct": round(100 * p, 1)} for lab, p in topics],
        "top_p": top_p,
        "reading": reading(score),
        "levels": {"sourcing": _level(density, 0.1, 0.3), "promotional": _level(promo, 0.2, 0.5)},
        "lines": _lines(score),
        "attributed": attributed,
        "promo_sentences": (expl.get("promotional") or {}).get("sentences", []),
        "cues": [{"text": c.removeprefix("cue:"), "abstract": c.startswith("cue:"), "marked": c in shown}
                 for c in cues],
        "topic_ngrams": [g for g in (expl.get("topic") or {}).get("ngrams", [])
                         if not str(g.get("feature", "")).startswith("“")],  # words, not char n-grams
        "promo_ngrams": (expl.get("promotional") or {}).get("ngrams", []),
        "removed_count": score.lines_removed,
    }


# ---------------------------------------------------------------------------------------------
# batch charts (server-side SVG data)


def _histogram(values: list[float], title: str, bins: int = HIST_BINS) -> dict[str, Any]:
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(v * bins)))] += 1
    top = max(counts) if counts else 0
    return {"title": title, "kind": "hist",
            "bars": [{"label": f"{k / bins:.1f}–{(k + 1) / bins:.1f}", "count": c,
                      "h": (c / top if top else 0.0)} for k, c in enumerate(counts)],
            "ticks": [{"at": k / bins, "label": f"{k / bins:g}"} for k in range(0, bins + 1, 2)],
            "max": top, "n": len(values)}


def _label_counts(labels: list[str | None], all_labels: list[str], title: str) -> dict[str, Any]:
    counts = {lab: 0 for lab in all_labels}
    for lab in labels:
        key = lab if lab is not None else "(none)"
        counts[key] = counts.get(key, 0) + 1
    top = max(counts.values()) if counts else 0
    return {"title": title, "kind": "labels",
            "bars": [{"label": lab, "count": c, "h": (c / top if top else 0.0)} for lab, c in counts.items()],
            "ticks": [], "max": top, "n": len(labels)}


def _charts(scores: list[Score]) -> list[dict[str, Any]]:
    ok = [s for s in scores if not s.error]
    labels = sorted({lab for s in scores for lab in s.topic.get("scores", {})})
    return [
        _label_counts([s.topic.get("label") for s in ok], labels, "Topic (documents per label)"),
        _histogram([max(s.topic.get("scores", {"": 0.0}).values()) for s in ok], "Topic confidence"),
        _histogram([s.sourcing.get("density", 0.0) for s in ok], "Sourcing density"),
        _histogram([s.promotional.get("score", 0.0) for s in ok], "Promotional score"),
    ]


# ---------------------------------------------------------------------------------------------
# rendering


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("scorer", "templates"),
                      autoescape=select_autoescape(["html", "j2", "html.j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["pct"] = lambda v, digits=0: f"{100 * float(v):.{digits}f}%"
    return env


def _asset(name: str) -> str:
    from importlib import resources

    return resources.files("scorer").joinpath("templates", name).read_text("utf-8")


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def render_report(scores: list[Score], *, title: str | None = None) -> str:
    """The report of ``scores`` as one self-contained HTML string."""
    from markupsafe import Markup

    scores = list(scores)
    script = _asset("report.js")
    docs = [_document(i, s) for i, s in enumerate(scores)]
    ok = [s for s in scores if not s.error]
    models = sorted({s.model for s in scores if s.model})
    context = {
        "title": title or (f"scorer report: {len(scores)} documents" if len(scores) != 1
                           else f"scorer report: {docs[0]['name']}"),
        "docs": docs,
        "many": len(scores) > 1,
        "charts": _charts(scores) if len(scores) > 1 else [],
        "n_errors": len(scores) - len(ok),
        "models": models,
        "version": __version__,
        # our own files, not page content: inserted verbatim (JS/CSS must not be HTML-escaped)
        "style": Markup(_asset("report.css")),
        "script": Markup(script),
        "script_hash": _csp_hash(script),
        "mean": {
            "sourcing": sum(s.sourcing.get("density", 0.0) for s in ok) / len(ok) if ok else 0.0,
            "promotional": sum(s.promotional.get("score", 0.0) for s in ok) / len(ok) if ok else 0.0,
        },
    }
    return _env().get_template("report.html.j2").render(**context)


def write_report(scores: list[Score], output_path: str | os.PathLike[str]) -> Path:
    """Write the HTML report of ``scores`` to ``output_path`` (atomically). Returns the path."""
    html = render_report(scores)
    from .output import atomic_output

    out = Path(output_path)
    with atomic_output(out) as fh:
        fh.write(html)
    return out
