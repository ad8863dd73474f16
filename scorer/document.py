"""Documents and the readers that make them: files, directories, stdin, JSONL and WARC.

Every reader yields :class:`Document` objects and never raises for a bad input: a document
that cannot be read carries ``error`` (a one-line reason) so the batch goes on and the
caller can report it.
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

__all__ = ["Document", "decode", "iter_documents", "read_path", "DEFAULT_EXTENSIONS"]

# Inputs bigger than this are cut (with a warning): a 50 MB "page" is a crawl accident,
# and the article is in the first megabytes when there is one.
MAX_DOC_BYTES = 2 * 1024 * 1024  # cleaning 2 MB of HTML takes ~2 s; scoring is capped later
# A JSONL line longer than this is reported and skipped rather than parsed.
MAX_JSONL_LINE_BYTES = 64 * 1024 * 1024

DEFAULT_EXTENSIONS = (".txt", ".html", ".htm", ".xhtml", ".txt.gz", ".html.gz", ".htm.gz", ".xhtml.gz",
                      ".jsonl", ".jsonl.gz", ".warc", ".warc.gz")

_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media file"),
    (b"\x7fELF", "ELF executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)


@dataclass
class Document:
    """One input document, as read: ``raw`` is decoded text (HTML or a text dump)."""

    id: str
    raw: str = ""
    kind: str | None = None  # "html" | "text" | None (sniff)
    url: str | None = None
    path: str | None = None
    error: str | None = None  # set when the document could not be read
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in (None, "html", "text"):
            raise ValueError(f"Document.kind must be 'html', 'text' or None (sniff), not {self.kind!r}")


class UndecodableError(ValueError):
    """Raised by :func:`decode` for content that is not text (binary formats)."""


def _binary_kind(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    # Browsers treat a declared latin-1 as windows-1252 (WHATWG encoding standard).
    return _normalise_codec(m.group(1).decode("ascii", "ignore"))


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, list[str]]:
    """Decode page bytes: BOM, then UTF-8, then the declared charset, then detection.

    Returns the text and warnings (e.g. ``"decoded_as:cp1252"``). Raises
    :class:`UndecodableError` for binary content.
    """
    warnings: list[str] = []
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), warnings
    binary = _binary_kind(data)
    if binary:
        raise UndecodableError(f"binary content ({binary}), not a text or HTML page")
    utf16 = _looks_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), [f"decoded_as:{utf16}"]
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        # text in any 8-bit or multi-byte encoding (UTF-8, cp1252, Shift-JIS, GBK…) has no C0
        # control bytes besides tab, newlines, form feed and escape; random or compressed
        # bytes have ~10 %
        raise UndecodableError(f"binary content ({controls / len(sample):.0%} control bytes), "
                               "not a text or HTML page")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = None
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # a multi-byte character cut by truncation at the very end
            text = data[:exc.start].decode("utf-8", errors="replace")
    if text is not None:
        return _check_text(text), warnings
    if _mostly_utf8(data):
        # UTF-8 with a few stray bytes: a legacy decoding would turn every accent into mojibake.
        # A stray byte that is a windows-1252 accent or typographic sign (a page pasted together
        # from a UTF-8 and a cp1252 part) is read as one; other bytes become U+FFFD.
        return _check_text(data.decode("utf-8", errors=_CP1252_STRAYS)), ["invalid_utf8"]
    charset = (declared and _normalise_codec(declared)) or _declared_charset(data)
    if charset and charset not in ("utf-8", "utf_8"):
        try:
            return _check_text(data.decode(charset)), [f"decoded_as:{charset}"]
        except (UnicodeError, LookupError):
            pass
    if _looks_western_cp1252(data):
        # Undeclared 8-bit French/English page: windows-1252 (a superset of latin-1 for text)
        # is what browsers assume; statistical detection mistakes it for cp1250/cp1257.
        return _check_text(data.decode("cp1252")), ["decoded_as:cp1252"]
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is not None and best.encoding:
        codec = "cp1252" if best.encoding in ("latin_1", "iso8859_15", "ascii") else best.encoding
        try:
            return _check_text(data.decode(codec)), [f"decoded_as:{codec}"]
        except (UnicodeError, LookupError):
            pass
    # Last resort: keep every valid UTF-8 character, mark the rest.
    return _check_text(data.decode("utf-8", errors="replace")), ["invalid_utf8"]


# C0 control bytes that text never holds (tab, LF, VT, FF, CR, ESC and NUL excepted: NUL has
# its own check), and the share of them above which bytes are binary. Random bytes: ~9 %.
_CONTROL_BYTES = bytes([*range(1, 9), *range(14, 27), *range(28, 32), 127])
MAX_CONTROL_SHARE = 0.02


def _mostly_utf8(data: bytes) -> bool:
    """True when valid multi-byte UTF-8 sequences outnumber the invalid bytes."""
    text = data[:262144].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return good > bad


# Non-ASCII characters of windows-1252 that French and English text uses.
_WESTERN = set("àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸáíóúñÁÍÓÚÑãõÃÕåøÅØßìòÌÒ"
               "«»€’‘“”–—…•·°²©®™§¶µ±×÷¼½¾£¥¢\xa0")


_STRAY_ACCENTS = _WESTERN - set("ÿŸ\xa0")  # 0xFF and 0xA0 are more often binary junk than text
_CP1252_STRAYS = "scorer-cp1252-strays"


def _cp1252_strays(exc: UnicodeDecodeError) -> tuple[str, int]:
    out = []
    for b in exc.object[exc.start:exc.end]:
        ch = bytes([b]).decode("cp1252", errors="replace")
        out.append(ch if ch in _STRAY_ACCENTS else "\ufffd")
    return "".join(out), exc.end


codecs.register_error(_CP1252_STRAYS, _cp1252_strays)


MAX_STRAY_HIGH_BYTES = 2  # non-French/English high-bit characters tolerated in a cp1252 page


def _looks_western_cp1252(data: bytes) -> bool:
    """Does ``data`` read as French/English windows-1252 text (accents amid ASCII letters)?"""
    try:
        text = data[:262144].decode("cp1252")
    except UnicodeDecodeError:
        return False
    high = [ch for ch in text if ord(ch) > 127]
    if not high:
        return True
    western = sum(ch in _WESTERN for ch in high)
    ascii_letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    # accents are a minority of the letters in French; a Cyrillic or Greek page read as
    # cp1252 is nearly all high-bit letters. A couple of stray bytes (a "\xff\xfe" pasted in
    # the middle of a French cp1252 page) do not make it another code page: statistical
    # detection took such a page for cp1257 ("très" read as "trčs")
    # A stray byte stands outside words: next to an ASCII letter it is a letter of another code
    # page ("by³" is Polish "był" in cp1250), which statistical detection reads better
    strays = [i for i, ch in enumerate(text) if ord(ch) > 127 and ch not in _WESTERN]
    outside_words = all(not (text[i - 1: i].isascii() and text[i - 1: i].isalpha())
                        and not (text[i + 1: i + 2].isascii() and text[i + 1: i + 2].isalpha()) for i in strays)
    tolerated = len(strays) <= MAX_STRAY_HIGH_BYTES and outside_words
    return (western / len(high) >= 0.9 or tolerated) and len(high) <= max(1, ascii_letters)


_ASCII_PROBE = '<meta charset="x"> Hello, world! 0123456789 [](){};:/\\?&#%'
# Python codecs that encode ASCII unchanged but are not page encodings
# (codecs.lookup's names: "raw_unicode_escape" is "raw-unicode-escape")
_NOT_PAGE_CODECS = {"unicode-escape", "raw-unicode-escape", "idna", "punycode", "mbcs", "oem"}


def _normalise_codec(name: str) -> str | None:
    """A declared charset usable for a web page, or None (unknown, "undefined", EBCDIC, UTF-16
    on an 8-bit page, Python-only codecs: a page that declares them is decoded as undeclared)."""
    try:
        info = codecs.lookup(name.strip().lower())
        if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CODECS:
            return None
        if _ASCII_PROBE.encode(info.name) != _ASCII_PROBE.encode("ascii"):
            return None  # not ASCII-compatible: the page's own markup could not be read with it
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
    return "cp1252" if info.name in ("latin_1", "iso8859-1") else info.name


def _check_text(text: str) -> str:
    sample = text[:8192]
    if sample and (sample.count("\x00") / len(sample)) > 0.1:
        raise UndecodableError("binary content (NUL bytes), not a text or HTML page")
    return text.replace("\x00", "")


# A whole HTML page, whatever the file is called: a doctype, <html>, <head> or <body> first
# (after a BOM, whitespace and comments). Text that merely mentions tags stays text.
_HTML_PAGE_START = re.compile(r"\ufeff?\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--.*?-->\s*)*"
                              r"<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def _kind_from_name(name: str) -> str | None:
    low = name.lower()
    if low.endswith(".gz"):
        low = low[:-3]
    if low.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if low.endswith(".txt"):
        return "text"
    return None


def _read_limited(fh: IO[bytes]) -> tuple[bytes, list[str]]:
    data = fh.read(MAX_DOC_BYTES + 1)
    if len(data) > MAX_DOC_BYTES:
        return data[:MAX_DOC_BYTES], [f"truncated_at_{MAX_DOC_BYTES}_bytes"]
    return data, []


def _error_doc(ident: str, path: str | None, reason: str) -> Document:
    return Document(id=ident, path=path, error=reason)


def _file_document(path: Path, ident: str) -> Document:
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            return _error_doc(ident, str(path), "is a directory")
        if not stat.S_ISREG(st.st_mode):
            return _error_doc(ident, str(path), "not a regular file (FIFO, device or socket)")
        with open(path, "rb") as fh:
            if fh.read(2) == b"\x1f\x8b":  # a gzip-compressed page (.html.gz, a crawler's dump)
                fh.seek(0)
                try:
                    with gzip.GzipFile(fileobj=fh, mode="rb") as gz:
                        data, warnings = _read_limited(gz)  # capped: a gzip bomb stops at the cap
                except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
                    msg = " ".join(str(exc).split())[:120] or exc.__class__.__name__
                    return _error_doc(ident, str(path), f"corrupt gzip data ({msg})")
            else:
                fh.seek(0)
                data, warnings = _read_limited(fh)
    except FileNotFoundError:
        return _error_doc(ident, str(path), "no such file")
    except PermissionError:
        return _error_doc(ident, str(path), "permission denied")
    except OSError as exc:
        return _error_doc(ident, str(path), f"cannot read ({exc.strerror or exc})")
    return _bytes_document(data, ident=ident, path=str(path), kind=_kind_from_name(path.name),
                           warnings=warnings)


def _bytes_document(data: bytes, *, ident: str, path: str | None, kind: str | None = None,
                    url: str | None = None, declared: str | None = None,
                    warnings: list[str] | None = None) -> Document:
    try:
        text, dec_warnings = decode(data, declared=declared)
    except UndecodableError as exc:
        return Document(id=ident, path=path, url=url, error=str(exc))
    except Exception as exc:  # a codec that fails in an unforeseen way: this input's error, not the run's
        return Document(id=ident, path=path, url=url,
                        error=f"cannot decode ({exc.__class__.__name__}: {' '.join(str(exc).split())[:80]})")
    if kind == "text" and _HTML_PAGE_START.match(text):
        kind = "html"  # a scraper's response body saved as .txt: the content wins over the name
    return Document(id=ident, raw=text, kind=kind, url=url, path=path,
                    warnings=list(warnings or []) + dec_warnings)


def _open_maybe_gzip(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return open(path, "rb")


def iter_jsonl(fh: IO[bytes], *, source: str, text_field: str = "text",
               html_field: str = "html") -> Iterator[Document]:
    """Documents from a JSONL stream: one ``{"id", "text"|"html", "url"?}`` per line."""
    lineno = 0
    try:
        while True:
            line = fh.readline(MAX_JSONL_LINE_BYTES + 1)
            if not line:
                break
            lineno += 1
            ident = f"{source}:{lineno}"
            if len(line) > MAX_JSONL_LINE_BYTES and not line.endswith(b"\n"):
                # skip the rest of this over-long line
                while line and not line.endswith(b"\n"):
                    line = fh.readline(MAX_JSONL_LINE_BYTES)
                yield _error_doc(ident, source, f"line {lineno}: longer than {MAX_JSONL_LINE_BYTES} bytes, skipped")
                continue
            if not line.strip():
                continue
            yield _jsonl_row(line, ident=ident, source=source, lineno=lineno,
                             text_field=text_field, html_field=html_field)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        msg = " ".join(str(exc).split())[:120]
        yield _error_doc(f"{source}:{lineno + 1}", source, f"line {lineno + 1}: cannot read further ({msg})")
        return
    if lineno == 0:  # an empty export is reported, not silently skipped
        yield _error_doc(source, source, "empty JSONL file (no rows)")


MAX_JSONL_INVALID_BYTES = 8  # stray non-UTF-8 bytes read as cp1252 in one JSONL row; more is an error


def _jsonl_row(line: bytes, *, ident: str, source: str, lineno: int, text_field: str,
               html_field: str) -> Document:
    warnings: list[str] = []
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        # a few bytes of another encoding in a scraper's export (cp1252 "é" as one byte): read as
        # a page file is, each stray byte as its cp1252 character, and say so; a row that is
        # mostly another encoding stays an error (JSONL is UTF-8)
        invalid = len(line) - len(line.decode("utf-8", "ignore").encode("utf-8"))
        if invalid > MAX_JSONL_INVALID_BYTES:
            return _error_doc(ident, source, f"line {lineno}: not UTF-8 ({invalid} invalid bytes; JSONL must be UTF-8)")
        line, warnings = line.decode("utf-8", errors=_CP1252_STRAYS).encode("utf-8", "replace"), ["invalid_utf8"]
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _error_doc(ident, source, f"line {lineno}: not valid JSON ({exc.__class__.__name__})")
    if not isinstance(row, dict):
        return _error_doc(ident, source, f"line {lineno}: expected a JSON object")
    rid = row.get("id")
    ident = str(rid) if rid not in (None, "") else ident
    url = row.get("url") if isinstance(row.get("url"), str) else None
    for fieldname, kind in ((html_field, "html"), (text_field, "text")):
        value = row.get(fieldname)
        if isinstance(value, str):
            return Document(id=ident, raw=value.replace("\x00", ""), kind=kind, url=url, path=source,
                            warnings=warnings)
    return _error_doc(ident, source,
                      f"line {lineno}: no string field {text_field!r} or {html_field!r}")


def iter_warc(fh: IO[bytes], *, source: str) -> Iterator[Document]:
    """HTML responses of a WARC (or WARC.gz) stream, with the record's target URI."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    records = 0
    head = _warc_head(fh)
    if head == b"":
        yield _error_doc(source, source, "empty WARC file (no records)")
        return
    if head is not None and not head.startswith(b"WARC/"):
        yield _error_doc(source, source, "not a WARC file (no WARC/ header)")
        return
    try:
        for record in ArchiveIterator(fh):
            records += 1
            if record.rec_type != "response":
                if _ends_early(record):
                    yield _truncated_archive(source, records, record.rec_type)
                    return
                continue
            n += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            ident = record.rec_headers.get_header("WARC-Record-ID") or f"{source}#{n}"
            ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if ctype and "html" not in ctype.lower() and "text" not in ctype.lower():
                # not a page; but if the archive ends inside it, the records after it are lost
                if _ends_early(record):
                    yield _truncated_archive(source, records, ctype.split(";")[0].strip())
                    return
                continue
            kind = "text" if "text/plain" in ctype.lower() else "html"
            declared = None
            m = re.search(r"charset=([\w\-:.]+)", ctype, re.I)
            if m:
                declared = m.group(1)
            data = record.content_stream().read(MAX_DOC_BYTES + 1)
            warnings = []
            if len(data) > MAX_DOC_BYTES:
                data, warnings = data[:MAX_DOC_BYTES], [f"truncated_at_{MAX_DOC_BYTES}_bytes"]
            elif getattr(record.raw_stream, "limit", 0):
                # the archive ends inside this record: fewer bytes than its Content-Length
                warnings = ["truncated_warc_record"]
            status = record.http_headers.get_statuscode() if record.http_headers else None
            if status and not str(status).startswith("2"):
                warnings.append(f"http_status_{status}")  # an error page, scored as the server sent it
            # a record that cannot be decoded is that record's error (_bytes_document): the archive goes on
            yield _bytes_document(data, ident=ident, path=source, kind=kind, url=url,
                                  declared=declared, warnings=warnings)
    except Exception as exc:  # warcio raises assorted errors on truncated or damaged archives
        msg = " ".join(str(exc).split())[:120]
        yield _error_doc(f"{source}#{records + 1}", source,
                         f"WARC record {records + 1}: cannot read, the archive is truncated or damaged "
                         f"there ({exc.__class__.__name__}: {msg})")
        return
    if records == 0:  # an empty file is reported, not silently skipped
        yield _error_doc(source, source, "empty WARC file (no records)")


def _ends_early(record: Any) -> bool:
    """Read a skipped record to its end: does the archive stop before its Content-Length?"""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    return bool(getattr(stream, "limit", 0))


def _truncated_archive(source: str, number: int, what: str) -> Document:
    return _error_doc(f"{source}#{number}", source,
                      f"WARC record {number} ({what}): the archive ends inside it (truncated); any records after it are lost")


def _warc_head(fh: IO[bytes]) -> bytes | None:
    """The first bytes of a (possibly gzipped) WARC without consuming them; None if unknown."""
    import zlib

    peek = getattr(fh, "peek", None)
    if peek is None:
        return None
    data = peek(4096)[:4096]
    if data.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(31).decompress(data)[:8].lstrip()
        except zlib.error:
            return b"?"
    return data[:8].lstrip()


def read_path(path: str | os.PathLike[str], *, text_field: str = "text",
              html_field: str = "html") -> Iterator[Document]:
    """Documents from one file: a page, a JSONL (.gz) export or a WARC (.gz)."""
    p = Path(path)
    name = p.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")) or name.endswith((".warc", ".warc.gz")):
        try:
            st = os.stat(p)
            if not stat.S_ISREG(st.st_mode):
                yield _error_doc(str(p), str(p), "not a regular file (FIFO, device or socket)")
                return
            fh = _open_maybe_gzip(p) if "jsonl" in name or "ndjson" in name else open(p, "rb")
        except FileNotFoundError:
            yield _error_doc(str(p), str(p), "no such file")
            return
        except PermissionError:
            yield _error_doc(str(p), str(p), "permission denied")
            return
        except OSError as exc:
            yield _error_doc(str(p), str(p), f"cannot read ({exc.strerror or exc})")
            return
        with fh:
            if ".warc" in name:
                yield from iter_warc(fh, source=str(p))
            else:
                yield from iter_jsonl(fh, source=str(p), text_field=text_field, html_field=html_field)
        return
    yield _file_document(p, str(p))


def _walk(root: Path, pattern: str | None, extensions: Iterable[str]) -> Iterator[Path]:
    exts = tuple(e.lower() for e in extensions)
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        try:
            st = os.stat(dirpath)
            key = (st.st_dev, st.st_ino)
        except OSError:
            continue
        if key in seen:
            dirnames[:] = []
            continue
        seen.add(key)
        # hidden folders and files (.git, .cache, editor backups) are not pages: skipped, as
        # rsync's and ripgrep's walks skip them by default; a hidden path named directly is read
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(f for f in filenames if not f.startswith(".")):
            rel = os.path.relpath(os.path.join(dirpath, fn), root)
            if pattern:
                if not (fnmatch(rel, pattern) or fnmatch(fn, pattern)):
                    continue
            elif not fn.lower().endswith(exts):
                continue
            yield Path(dirpath) / fn


def iter_documents(paths: Iterable[str | os.PathLike[str]], *, glob: str | None = None,
                   text_field: str = "text", html_field: str = "html",
                   stdin: IO[bytes] | None = None) -> Iterator[Document]:
    """Documents from files, directories (recursive) and ``-`` (stdin), in order.

    stdin holds one page, or JSONL when its first non-blank character is ``{``.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError(f"iter_documents() takes a list of paths, got a single path {paths!r}; "
                        "wrap it in a list: iter_documents([path])")
    for path in paths:
        spath = os.fspath(path)
        if spath == "-":
            yield from _read_stdin(stdin, text_field=text_field, html_field=html_field)
            continue
        p = Path(spath)
        if p.is_dir():
            for f in _walk(p, glob, DEFAULT_EXTENSIONS):
                yield from read_path(f, text_field=text_field, html_field=html_field)
        elif not p.exists() and not p.is_symlink():
            yield _error_doc(spath, spath, "no such file or directory")
        else:
            yield from read_path(p, text_field=text_field, html_field=html_field)


def _read_stdin(stdin: IO[bytes] | None, *, text_field: str, html_field: str) -> Iterator[Document]:
    fh = stdin if stdin is not None else sys.stdin.buffer
    if isinstance(fh, io.TextIOBase):  # sys.stdin or a StringIO: read its bytes
        fh = fh.buffer if hasattr(fh, "buffer") else io.BytesIO(fh.read().encode("utf-8"))
    head = fh.read(1)
    while head and head.isspace():
        head = fh.read(1)
    if head == b"\xef":
        head += fh.read(2)
        if head == codecs.BOM_UTF8:  # a UTF-8 BOM before JSONL or a page: sniff what follows it
            head = fh.read(1)
            while head and head.isspace():
                head = fh.read(1)
    if head == b"W":
        head += fh.read(4)
        if head == b"WARC/":  # a WARC archive piped in (gzipped ones are unzipped above first)
            yield from iter_warc(io.BufferedReader(_Prepend(head, fh)), source="<stdin>")  # type: ignore[arg-type]
            return
    if head == b"\x1f":
        head += fh.read(1)
        if head == b"\x1f\x8b":  # gzip-compressed stdin (a page or JSONL), as for files
            import gzip

            unzipped = gzip.GzipFile(fileobj=io.BufferedReader(_Prepend(head, fh)))  # type: ignore[arg-type]
            try:
                yield from _read_stdin(unzipped, text_field=text_field, html_field=html_field)  # type: ignore[arg-type]
            except (OSError, EOFError) as exc:
                yield _error_doc("<stdin>", None, f"bad gzip stream ({exc.__class__.__name__})")
            return
    if head == b"{":
        stream = io.BufferedReader(_Prepend(head, fh))  # type: ignore[arg-type]
        yield from iter_jsonl(stream, source="<stdin>", text_field=text_field, html_field=html_field)
        return
    data, warnings = _read_limited(_Prepend(head, fh))  # type: ignore[arg-type]
    yield _bytes_document(data, ident="<stdin>", path="<stdin>", warnings=warnings)


class _Prepend(io.RawIOBase):
    """A byte stream with a few bytes pushed back in front."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        chunk = self._rest.read(len(b))
        n = len(chunk)
        b[:n] = chunk
        return n

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if size is None or size < 0:
            out = self._head + self._rest.read()
            self._head = b""
            return out
        out, self._head = self._head[:size], self._head[size:]
        if len(out) < size:
            out += self._rest.read(size - len(out)) or b""
        return out
