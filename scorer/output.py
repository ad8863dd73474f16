"""Writing records: jsonl, json, csv and table formats, to a stream or atomically to a file."""
from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any

__all__ = ["FORMATS", "RecordWriter", "explain_lines", "atomic_output", "flat_record", "display_name", "scrub"]

FORMATS = ("jsonl", "json", "csv", "table")
CSV_FIELDS = ["id", "path", "input", "language", "title", "chars", "lines_removed", "topic",
              "topic_score", "sourcing_density", "attributed_sentences", "sentences", "sources",
              "promotional", "promotional_cues", "promotional_neutral_cues", "warnings", "error", "model", "url",
              "promotional_disclosure", "author", "date", "sitename", "categories", "promotional_tone",
              "promotional_press_release"]


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _unsurrogate(s: str) -> str:
    """Lone surrogates (undecodable bytes of a file name, bad JSON escapes) as visible escapes."""
    try:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace")


def scrub(value: Any) -> Any:
    """``value`` with every string made encodable as UTF-8 (records must never fail to write)."""
    if isinstance(value, str):
        return _unsurrogate(value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def display_name(name: str | None) -> str:
    """A path or id for a one-line message: control characters and bad bytes escaped."""
    s = scrub(str(name))
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], s)


def flat_record(rec: dict[str, Any]) -> dict[str, Any]:
    """A record flattened to one row (csv and table formats, dask dataframes); the keep decision
    and the cleaned text become columns when the record has them."""
    topic = rec.get("topic") or {}
    label = topic.get("label")
    meta = rec.get("metadata") or {}
    row = {
        "id": rec.get("id"), "path": rec.get("path"), "input": rec.get("input"),
        "language": rec.get("language"), "title": rec.get("title"), "chars": rec.get("chars"),
        "lines_removed": rec.get("lines_removed"), "topic": label,
        "topic_score": (topic.get("scores") or {}).get(label) if label else None,
        "sourcing_density": rec["sourcing"]["density"],
        "attributed_sentences": rec["sourcing"]["attributed_sentences"],
        "sentences": rec["sourcing"]["sentences"],
        "sources": "; ".join(rec["sourcing"]["sources"]),
        "promotional": rec["promotional"]["score"],
        "promotional_cues": "; ".join(rec["promotional"]["cues"]),
        "promotional_neutral_cues": "; ".join(rec["promotional"].get("neutral_cues", [])),
        "warnings": "; ".join(rec.get("warnings", [])), "error": rec.get("error"),
        "model": rec.get("model"), "url": rec.get("url"),
        "promotional_disclosure": rec["promotional"].get("disclosure"),
        # what an HTML page declares about itself (empty for text dumps)
        "author": meta.get("author"), "date": meta.get("date"), "sitename": meta.get("sitename"),
        "categories": "; ".join(meta.get("categories", [])),
        "promotional_tone": rec["promotional"].get("tone", rec["promotional"]["score"]),
        "promotional_press_release": "; ".join(rec["promotional"].get("press_release") or []) or None,
    }
    if "keep" in rec:
        row["keep"], row["drop_reasons"] = rec["keep"], "; ".join(rec.get("drop_reasons") or [])
    if "text" in rec:
        row["text"] = rec["text"]
    return row


EXPLAIN_ITEMS = 5  # n-grams, sentences and sources shown per score in the table format


def explain_lines(explain: dict[str, Any] | None) -> list[str]:
    """A record's explanation as a few indented lines for the table format (--explain)."""
    if not explain:
        return []
    out = []
    topic = explain.get("topic") or {}
    if topic.get("ngrams"):
        out.append(f"topic {topic.get('label')}: " + ", ".join(n["feature"] for n in topic["ngrams"][:EXPLAIN_ITEMS]))
    promo = explain.get("promotional") or {}
    if promo.get("ngrams"):
        out.append("promotional: " + ", ".join(n["feature"] for n in promo["ngrams"][:EXPLAIN_ITEMS]))
    if promo.get("raised_by"):
        out.append(f"promotional score raised by: {promo['raised_by'].replace('_', ' ')}")
    for s in (promo.get("sentences") or [])[:EXPLAIN_ITEMS]:
        out.append(f"  {s['score']:.2f} {_short(s['sentence'])}")
    sourcing = explain.get("sourcing") or {}
    for a in (sourcing.get("attributed") or [])[:EXPLAIN_ITEMS]:
        who = "; ".join(a.get("sources") or []) or "?"
        out.append(f"sourced ({who}): {_short(a['sentence'])}")
    removed = (explain.get("cleaning") or {}).get("removed") or []
    if removed:
        out.append(f"cleaning: {len(removed)} lines removed")
    return out


def _short(text: str, width: int = 100) -> str:
    text = display_name(" ".join(text.split()))  # control characters escaped: the table goes to a terminal
    return text if len(text) <= width else text[: width - 1] + "…"


class RecordWriter:
    """Writes records one at a time (jsonl/csv/table stream; json is one array at the end)."""

    def __init__(self, fh: IO[str], fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        self.fh, self.fmt, self.n = fh, fmt, 0
        self._csv = None

    def write(self, rec: dict[str, Any]) -> None:
        if _SURROGATE.search(json.dumps(rec, ensure_ascii=False)):
            rec = scrub(rec)
        if self.fmt == "jsonl":
            self.fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self.fh.flush()
        elif self.fmt == "json":
            self.fh.write(("[\n" if self.n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False, indent=2))
        elif self.fmt == "csv":
            if self._csv is None:
                # with a keep option, --text or --explain, more columns: the decision, the
                # cleaned text, the record's explanation as JSON
                fields = (CSV_FIELDS + (["keep", "drop_reasons"] if "keep" in rec else [])
                          + (["text"] if "text" in rec else []) + (["explain"] if "explain" in rec else []))
                self._csv = csv.DictWriter(self.fh, fieldnames=fields, extrasaction="ignore")
                self._csv.writeheader()
            row = flat_record(rec)
            if "explain" in rec:
                row["explain"] = json.dumps(rec["explain"], ensure_ascii=False)
            self._csv.writerow(row)
            self.fh.flush()
        else:
            if self.n == 0:
                self.fh.write(f"{'id':<32} {'lang':<4} {'topic':<11} {'p':>5} {'sourcing':>8} "
                              f"{'promo':>6}  warnings\n")
            f = flat_record(rec)
            ident = display_name(f["id"])  # an id from a file name or a JSONL row may hold escapes
            ident = ident if len(ident) <= 32 else "…" + ident[-31:]
            p = f"{f['topic_score']:.2f}" if f["topic_score"] is not None else "-"
            warn = display_name(f["error"] or f["warnings"] or "")
            if rec.get("keep") is False:
                reasons = rec["drop_reasons"]
                rest = "; ".join(w for w in warn.split("; ") if w and w not in reasons)  # not "no_text" twice
                warn = "; ".join(x for x in (f"dropped: {', '.join(reasons)}", rest) if x)
            self.fh.write(f"{ident:<32} {str(f['language']):<4} {str(f['topic'] or '-'):<11} {p:>5} "
                          f"{f['sourcing_density']:>8.2f} {f['promotional']:>6.2f}  {warn}\n")
            if f["promotional_disclosure"]:
                self.fh.write(f"    disclosure: {_short(f['promotional_disclosure'])}\n")
            if f["promotional_press_release"]:
                self.fh.write(f"    press release: {_short(f['promotional_press_release'])}\n")
            for line in explain_lines(rec.get("explain")):
                self.fh.write(f"    {line}\n")
            self.fh.flush()
        self.n += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.fh.write("[]\n" if self.n == 0 else "\n]\n")
        elif self.fmt == "csv" and self._csv is None:  # no record: still a header, as json still writes []
            csv.DictWriter(self.fh, fieldnames=CSV_FIELDS).writeheader()
        self.fh.flush()


class atomic_output:  # noqa: N801 (used like open())
    """Write ``path`` through a temporary file renamed into place on success only.

    The temporary file is created when the object is made, so an unwritable path fails before
    any work is done (``OSError``). A symlink is followed (the file it points to is replaced, the
    link stays); a FIFO, a character device or another non-regular file (``/dev/stdout``) is
    written directly, as a stream: atomicity only makes sense for a regular file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        target = Path(os.path.realpath(path))
        self.target, self.tmp, self._fh = target, None, None
        if target.exists() and not target.is_file():
            if target.is_dir():
                raise IsADirectoryError(21, "is a directory", str(path))
            self._fh = open(target, "w", encoding="utf-8", newline="")  # FIFO, device
            return
        folder = target.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir():
            raise NotADirectoryError(20, f"{folder} is not a directory", str(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self._fh = open(fd, "w", encoding="utf-8", newline="")

    def __enter__(self) -> IO[str]:
        return self._fh

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.tmp is None:
            self._fh.close()
            return
        try:
            if exc_type is None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.tmp, 0o666 & ~umask)  # a normal file, not mkstemp's 0600
                os.replace(self.tmp, self.target)
                return
        except BaseException:
            self._discard()
            raise
        self._discard()

    def _discard(self) -> None:
        try:
            self._fh.close()
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass
