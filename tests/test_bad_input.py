"""Bad input: a corpus of 30+ hostile inputs, generated here (nothing downloaded).

For every input: no traceback, one record per document (errors carry ``error`` and the
``"error"`` warning), a one-line message on stderr naming the input, the rest of the batch is
scored, and the exit code is 1 when something failed. Decoding keeps French accents intact
in every encoding.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from scorer.document import decode, iter_documents, read_path

# Latin-1 has no œ, €, curly quotes or dashes: two French texts, one per repertoire.
FR_LATIN1 = ("Le café de la forêt est fermé en août. L'élève du lycée a reçu « déjà » un prix ; "
             "à Noël, le garçon naïf mange une crème brûlée à l'hôpital. Où est passé le maître ? ")
FR_CP1252 = FR_LATIN1 + "Le cœur de l’œuvre coûte 5 € — “vraiment” — et l’Œil s’ouvre… "
ARTICLE = "\n".join(f"<p>{s}</p>" for s in [
    "Le gouvernement a présenté mercredi un projet de loi sur l'énergie solaire et éolienne.",
    "Selon un communiqué du ministère, le texte prévoit de doubler la production d'ici 2030.",
    "Les députés l'examineront à l'automne, a précisé la ministre lors d'une conférence de presse.",
    "Plusieurs associations de consommateurs ont salué une mesure attendue depuis des années.",
    "Les industriels, eux, redoutent une hausse des coûts et demandent un calendrier plus souple.",
    "Le Conseil d'État doit rendre son avis sur le projet avant la fin du mois de juillet.",
]) + "\n"
GOOD = ("Le gouvernement a présenté mercredi un projet de loi sur l'énergie solaire.\n"
        "Selon le ministère, les députés l'examineront à l'automne prochain.\n" * 8)

MB = 1024 * 1024


def _html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Page</title></head><body>{body}</body></html>"


def _warc(path: Path, n: int = 3, gz: bool = False) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        body = _html(f"<article><h1>Titre {i}</h1>{ARTICLE}</article>").encode("utf-8")
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(f"http://example.org/{i}", "response",
                                        payload=io.BytesIO(body), http_headers=http)
        writer.write_record(rec)
    data = buf.getvalue()
    return data


def build_corpus(root: Path) -> dict[str, dict]:
    """Write the corpus under ``root``. Returns {name: expectation} where an expectation has
    ``path`` (what is passed to `score`), ``error`` (a substring of the expected error, or None)
    and optionally ``records`` (how many records the input yields)."""
    d = root / "corpus"
    d.mkdir()
    cases: dict[str, dict] = {}

    def put(name: str, data: bytes, error: str | None = None, **kw) -> None:
        p = d / name
        p.write_bytes(data)
        cases[name] = {"path": str(p), "error": error, **kw}

    put("good.txt", GOOD.encode())
    put("empty.txt", b"")
    put("whitespace.txt", b" \n\t\r\n   \n\xc2\xa0\n")
    put("image.png.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG")
    put("paper.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)), "PDF")
    put("page.gz.html", gzip.compress(_html(ARTICLE).encode()))  # gzip'd pages are decompressed
    put("page.html.gz", gzip.compress(_html(ARTICLE).encode()))
    put("corrupt.html.gz", gzip.compress(_html(ARTICLE).encode())[:200], "corrupt gzip")
    put("bomb.txt.gz", gzip.compress(b"mot " * (20 * MB // 4)))  # 20 MB unpacked: cut at the cap
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("a.html", _html(ARTICLE))
    put("archive.zip.html", zbuf.getvalue(), "zip")
    put("utf16_bom.txt", FR_CP1252.encode("utf-16"))
    put("utf16le_nobom.txt", FR_CP1252.encode("utf-16-le"))
    put("utf16be_nobom.txt", FR_CP1252.encode("utf-16-be"))
    put("utf16_bom.html", _html(f"<p>{FR_CP1252}</p>").encode("utf-16"))
    put("latin1_declared.html", _html(f"<p>{FR_LATIN1}</p>" * 3, '<meta charset="iso-8859-1">').encode("latin-1"))
    put("latin1_undeclared.txt", (FR_LATIN1 * 3).encode("latin-1"))
    put("cp1252_declared.html", _html(f"<p>{FR_CP1252}</p>" * 3,
                                      '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
        .encode("cp1252"))
    put("cp1252_undeclared.html", _html(f"<p>{FR_CP1252}</p>" * 3).encode("cp1252"))
    put("cp1252_declared_utf8.html", _html(f"<p>{FR_CP1252}</p>" * 3, '<meta charset="utf-8">').encode("cp1252"))
    put("unknown_charset.html", _html(f"<p>{FR_CP1252}</p>" * 3, '<meta charset="x-no-such">').encode("cp1252"))
    put("invalid_utf8.txt", FR_CP1252.encode() + b"\xff\xfe\xc3\x28\x80" + FR_CP1252.encode())
    put("nul_bytes.txt", GOOD.encode().replace(b"\n", b"\x00\n", 3))
    put("mostly_nul.txt", b"\x00" * 5000 + b"abc", "NUL")
    put("control_chars.txt", ("\x1b[31m" + GOOD + "\x07\x0c\x1f").encode())
    para = ARTICLE.encode()
    put("big_50mb.html", b"<html><body>" + para * (50 * MB // len(para)) + b"</body></html>")
    put("one_line_10mb.txt", b"mot " * (10 * MB // 4))
    deep = 100_000
    put("deep_100k.html", _html("<div>" * deep + ARTICLE + "</div>" * deep).encode())
    put("unclosed_deep.html", _html("<span><b>" * 50_000 + ARTICLE).encode())
    put("scripts_only.html", _html("<script>var a = '" + "x" * 5000 + "';</script><style>p{color:red}</style>"
                                   "<script type='application/ld+json'>{}</script>",
                                   "<script src=a.js></script><style>body{}</style>").encode())
    put("no_text.html", _html("<div><span></span><img src='a.png'><br><hr></div>" * 50).encode())
    put("only_comments.html", _html("<!-- " + "commentaire " * 200 + " -->").encode())
    put("garbage_markup.html", b"<<<>>><html<body <p <<div>>" * 2000 + b"</" * 1000)
    # JSONL
    rows = [{"id": "j1", "text": GOOD}, {"id": "j2", "html": _html(ARTICLE)}]
    put("ok.jsonl", "".join(json.dumps(r) + "\n" for r in rows).encode(), records=2)
    big_row = json.dumps({"id": "huge", "text": "Le mot. " * (3 * MB // 8)}) + "\n"
    put("huge_line.jsonl", (big_row + json.dumps({"id": "after-huge", "text": GOOD}) + "\n").encode(), records=2)
    malformed = [b'{"id": "m1", "text": "Bonjour, ceci est une ligne correcte."}',
                 b"{not json}", b"[1, 2, 3]", b'"a string"', b"null",
                 b'{"id": "m6", "text": "\xff\xfe bad bytes"}',
                 b'{"id": "m7", "text": "lone \\ud800 surrogate in an escape"}',
                 b'{"id": "m8", "text": 12}', b'{"id": "m9", "text": "fin"}', b'{"id": "m10", "tex']
    put("malformed.jsonl", b"\n".join(malformed), "not valid JSON", records=10)
    put("missing_text.jsonl", b'{"id": "a", "body": "x"}\n{"id": "b", "text": null}\n'
                              b'{"id": "c", "text": ["list"]}\n{"id": "d", "text": "Bonjour"}\n',
        "no string field", records=4)
    put("truncated.jsonl.gz", gzip.compress(("".join(json.dumps(r) + "\n" for r in rows * 50)).encode())[:600],
        "cannot read further")
    # WARC
    warc = _warc(d, 3)
    put("truncated.warc", warc[: len(warc) * 2 // 3])
    warcgz = _warc(d, 3, gz=True)
    put("truncated.warc.gz", warcgz[: len(warcgz) * 2 // 3])
    put("not_a.warc", b"this is not a WARC file at all\n" * 10, "WARC")
    put("empty.warc.gz", b"")
    # paths
    cases["missing"] = {"path": str(root / "does" / "not" / "exist.html"), "error": "no such file"}
    odd = d / "odd name ; $(x) 'q' \"dq\" été – 日本.txt"
    odd.write_bytes(GOOD.encode())
    cases["odd_chars"] = {"path": str(odd), "error": None}
    odd_bytes = os.fsdecode(bytes(d) + b"/caf\xe9\nline.txt")
    Path(odd_bytes).write_bytes(GOOD.encode())
    cases["undecodable_name"] = {"path": odd_bytes, "error": None}
    leading_dash = d / "-rf.txt"
    leading_dash.write_bytes(GOOD.encode())
    cases["leading_dash"] = {"path": str(leading_dash), "error": None}
    fifo = d / "pipe.html"
    os.mkfifo(fifo)
    cases["fifo"] = {"path": str(fifo), "error": "not a regular file"}
    loopdir = d / "loop"
    loopdir.mkdir()
    (loopdir / "page.txt").write_bytes(GOOD.encode())
    os.symlink(loopdir, loopdir / "again")  # directory symlink loop
    os.symlink(loopdir / "l2.txt", loopdir / "l1.txt")  # file symlink loop
    os.symlink(loopdir / "l1.txt", loopdir / "l2.txt")
    cases["symlink_loop_dir"] = {"path": str(loopdir), "error": "cannot read", "records": 3}
    os.symlink(d / "nowhere.html", d / "dangling.html")
    cases["dangling_symlink"] = {"path": str(d / "dangling.html"), "error": "no such file"}
    if os.geteuid() != 0:  # root reads anything; covered in-process below
        locked = d / "locked.html"
        locked.write_bytes(GOOD.encode())
        locked.chmod(0)
        cases["unreadable"] = {"path": str(locked), "error": "permission denied"}
    return cases


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    return root, build_corpus(root)


@pytest.fixture(scope="module")
def run(corpus):
    """`score` over the whole corpus in one batch (files passed one by one, in order)."""
    root, cases = corpus
    paths = [c["path"] for c in cases.values()]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scorer", "score", "--jobs", "1", "--format", "jsonl", "--",
                           *paths], capture_output=True, env=env, timeout=300)
    elapsed = time.perf_counter() - start
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return proc, records, elapsed


def test_corpus_is_big_enough(corpus):
    _, cases = corpus
    assert len(cases) >= 30


def test_no_traceback_and_exit_code_1(run):
    proc, _, elapsed = run
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    assert proc.returncode == 1, err[-2000:]
    assert elapsed < 60, f"the corpus took {elapsed:.0f}s"


def test_every_input_has_records(run, corpus):
    proc, records, _ = run
    _, cases = corpus
    expected = sum(c.get("records", 1) for c in cases.values())
    # directories and WARCs may add records; never fewer than one per input
    assert len(records) >= expected - 2, (len(records), expected)
    for name, case in cases.items():
        if name in ("symlink_loop_dir",):
            continue
        from scorer.output import scrub

        path = scrub(case["path"])
        mine = [r for r in records if r["path"] == path or r["id"] == path]
        assert mine, f"no record for {name}"


def test_errors_are_named_on_one_line(run, corpus):
    proc, records, _ = run
    _, cases = corpus
    err_lines = [ln for ln in proc.stderr.decode("utf-8", "replace").splitlines() if ln.startswith("score: ")]
    errors = [r for r in records if r.get("error")]
    assert errors
    for r in errors:
        assert "error" in r["warnings"]
        assert "\n" not in r["error"]
        assert any(r["error"] in ln for ln in err_lines), r
    for name, case in cases.items():
        if case["error"] is None:
            continue
        from scorer.output import display_name

        shown = display_name(case["path"])
        hits = [ln for ln in err_lines if ln.startswith(f"score: {shown}") or shown in ln]
        assert hits, f"{name}: no stderr line names {shown!r}"
        assert any(case["error"].lower() in ln.lower() for ln in hits), (name, hits)


def test_good_inputs_are_scored(run, corpus):
    _, records, _ = run
    _, cases = corpus
    by_path = {}
    for r in records:
        by_path.setdefault(r["path"], []).append(r)
    for name in ("good.txt", "odd_chars", "leading_dash", "cp1252_declared.html", "latin1_undeclared.txt",
                 "utf16le_nobom.txt", "deep_100k.html", "big_50mb.html"):
        key = name if name in cases else name
        recs = by_path.get(cases[key]["path"], [])
        assert recs and not recs[0].get("error"), (name, recs[:1])
        if name in ("good.txt", "deep_100k.html", "big_50mb.html", "cp1252_declared.html"):
            assert recs[0]["chars"] > 0, (name, recs[0])
    jl = [r for r in records if r["id"] in ("j1", "j2", "m1", "m9", "d", "after-huge")]
    assert {r["id"] for r in jl} == {"j1", "j2", "m1", "m9", "d", "after-huge"}
    assert all(not r.get("error") for r in jl)
    huge = next(r for r in records if r["id"] == "huge")
    assert not huge.get("error") and any(w.startswith(("truncated_at", "scored_first")) for w in huge["warnings"])
    for r in records:
        assert 0.0 <= r["promotional"]["score"] <= 1.0
        assert abs(sum(r["topic"]["scores"].values()) - 1.0) < 1e-3


def test_warc_records_before_truncation_survive(run, corpus):
    _, records, _ = run
    _, cases = corpus
    for name in ("truncated.warc", "truncated.warc.gz"):
        recs = [r for r in records if r["path"] == cases[name]["path"]]
        ok = [r for r in recs if not r.get("error")]
        assert len(ok) >= 1, (name, recs)
        assert all(r["chars"] > 0 for r in ok)


# --------------------------------------------------------------------------------------------
# Decoding: French accents in every encoding, declared or not


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", FR_CP1252), ("utf-8-sig", FR_CP1252), ("utf-16", FR_CP1252), ("utf-16-le", FR_CP1252),
    ("utf-16-be", FR_CP1252), ("utf-32", FR_CP1252), ("cp1252", FR_CP1252), ("latin-1", FR_LATIN1),
    ("iso8859-15", FR_LATIN1), ("mac_roman", None),
])
@pytest.mark.parametrize("declared", [False, True])
def test_french_accents_survive_decoding(encoding, text, declared):
    if text is None:
        if not declared:
            pytest.skip("undeclared Mac Roman is not detectable")
        text = FR_LATIN1
    page = _html(f"<p>{text}</p>", f'<meta charset="{encoding}">' if declared else "")
    for data in (page.encode(encoding), (text * 2).encode(encoding)):
        if declared and data is not page.encode(encoding):
            continue
        got, warnings = decode(data)
        assert text in got, (encoding, declared, warnings, got[:200])
        assert "\ufffd" not in got and "Ã" not in got


def test_declared_iso8859_15_euro():
    text = FR_LATIN1.replace("«", "").replace("»", "") + " Il coûte 5 € ; œuvre."
    page = _html(f"<p>{text}</p>", '<meta charset="iso-8859-15">')
    assert text in decode(page.encode("iso8859-15"))[0]


@pytest.mark.parametrize("text", ["Un élève à l'école", "Été à Noël, ça coûte 5 €.", "déjà"])
def test_short_undeclared_western_text(text):
    got, _ = decode(text.encode("cp1252"))
    assert got == text


def test_other_scripts_still_detected():
    ru = "<html><body><p>Привет, как дела? Это тестовая страница о погоде.</p></body></html>"
    assert decode(ru.encode("cp1251"))[0] == ru
    pl = "Dzień dobry, zażółć gęślą jaźń — to jest strona testowa."
    assert decode(pl.encode("cp1250"))[0] == pl


def test_invalid_utf8_keeps_valid_accents():
    got, warnings = decode(FR_CP1252.encode() + b"\xff" + FR_CP1252.encode())
    assert got.count(FR_CP1252) == 2 and "invalid_utf8" in warnings


def test_truncated_multibyte_at_end():
    data = ("é" * 10).encode()[:-1]
    got, _ = decode(data)
    assert got == "é" * 9


def test_declared_charset_from_http_header_in_warc(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    body = f"<html><body><p>{FR_CP1252}</p></body></html>".encode("cp1252")
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=windows-1252")], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record("http://x.org/", "response", payload=io.BytesIO(body), http_headers=http))
    (tmp_path / "a.warc").write_bytes(buf.getvalue())
    docs = list(read_path(tmp_path / "a.warc"))
    assert len(docs) == 1 and FR_CP1252 in docs[0].raw


# --------------------------------------------------------------------------------------------
# In-process: unreadable files (root reads everything), stdin, library entry points


def test_unreadable_file_in_process(tmp_path, monkeypatch):
    p = tmp_path / "locked.html"
    p.write_text("x")
    real_open = open

    def deny(path, *a, **kw):
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr("builtins.open", deny)
    docs = list(iter_documents([p, tmp_path / "missing.txt"]))
    assert [d.error for d in docs] == ["permission denied", "no such file or directory"]


def test_stdin_binary_and_jsonl():
    docs = list(iter_documents(["-"], stdin=io.BytesIO(b"\x89PNG\r\n\x1a\n....")))
    assert len(docs) == 1 and "PNG" in docs[0].error
    docs = list(iter_documents(["-"], stdin=io.BytesIO(b'\n {"id": "a", "text": "x"}\n{bad\n')))
    assert [d.id for d in docs] == ["a", "<stdin>:2"] and docs[1].error


def test_jsonl_line_over_limit_is_skipped(monkeypatch):
    import scorer.document as D

    monkeypatch.setattr(D, "MAX_JSONL_LINE_BYTES", 1000)
    data = (json.dumps({"id": "big", "text": "x" * 5000}) + "\n" + json.dumps({"id": "ok", "text": "y"}) + "\n")
    docs = list(D.iter_jsonl(io.BytesIO(data.encode()), source="s"))
    assert [d.id for d in docs] == ["s:1", "ok"]
    assert "longer than" in docs[0].error


def test_library_never_raises_on_bad_strings(shipped):
    for raw in ["", " ", "\x00" * 100, "<" * 10000, "<html>" + "<div>" * 5000, "\ud800 lone", "é " * 3000]:
        s = shipped.score(raw)
        assert 0 <= s.promotional["score"] <= 1
    recs = list(shipped.score_many(["ok", {"id": "x"}, {"text": None}, {"html": "<p>hi</p>"}]))
    assert [bool(r.error) for r in recs] == [False, True, True, False]


def test_big_inputs_are_capped(run, corpus):
    _, records, _ = run
    _, cases = corpus
    for name in ("big_50mb.html", "one_line_10mb.txt", "bomb.txt.gz"):
        (rec,) = [r for r in records if r["path"] == cases[name]["path"]]
        assert not rec.get("error") and "timeout" not in rec["warnings"], rec
        assert any(w.startswith("truncated_at_") for w in rec["warnings"]), rec["warnings"]


def test_deep_html_keeps_its_text(shipped, corpus):
    _, cases = corpus
    deep = next(read_path(cases["deep_100k.html"]["path"]))
    assert "html_too_deep" in shipped.clean(deep.raw).warnings
    assert "énergie" in shipped.clean(deep.raw).text


def test_gzipped_pages_are_read_like_plain_ones(run, corpus):
    """A .html.gz (or any file starting with the gzip magic) is decompressed, kind from its name."""
    _, records, _ = run
    _, cases = corpus
    for name in ("page.html.gz", "page.gz.html"):
        (rec,) = [r for r in records if r["path"] == cases[name]["path"]]
        assert not rec.get("error") and rec["input"] == "html" and rec["chars"] > 200, rec


@pytest.mark.parametrize("content,kind", [
    ("<!DOCTYPE html><html><body><p>Un article.</p></body></html>", "html"),
    ("\ufeff\n  <!-- saved by a crawler --><html lang='fr'><p>Un article.</p></html>", "html"),
    ("<body><p>Un fragment de page.</p></body>", "html"),
    ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html><html><body><p>Du XHTML.</p></body></html>', "html"),
    ("Un texte qui parle de la balise <html> et de <body>.\nDeuxième ligne.", "text"),
    ("Accueil\nActualités\nLe ministre a parlé mardi.", "text"),
])
def test_txt_file_holding_a_whole_html_page_is_read_as_html(tmp_path, content, kind):
    path = tmp_path / "page.txt"
    path.write_text(content, encoding="utf-8")
    assert [d.kind for d in read_path(path)] == [kind]


def test_random_bytes_are_binary_not_text(tmp_path):
    import random

    junk = tmp_path / "junk.txt"
    junk.write_bytes(random.Random(0).randbytes(5000))
    (doc,) = list(read_path(junk))
    assert doc.error and doc.error.startswith("binary content")


def test_a_few_stray_bytes_stay_text():
    text, warnings = decode(GOOD.encode("utf-8")[:200] + b"\xff\xfe\x80" + GOOD.encode("utf-8")[200:])
    assert "gouvernement" in text and warnings == ["invalid_utf8"]


@pytest.mark.parametrize("call", [
    lambda: list(iter_documents("seeds/x.txt")),
    lambda: list(iter_documents(Path("seeds/x.txt"))),
])
def test_a_single_path_is_a_caller_mistake(call):
    with pytest.raises(TypeError, match="wrap it in a list"):
        call()


def test_a_warc_cut_inside_a_record_warns(tmp_path):
    data = _warc(tmp_path, n=1)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: len(data) - 200])
    (doc,) = list(iter_documents([cut]))
    assert "truncated_warc_record" in doc.warnings and doc.url == "http://example.org/0"
    whole = tmp_path / "whole.warc"
    whole.write_bytes(data)
    assert "truncated_warc_record" not in next(iter(iter_documents([whole]))).warnings


def _mixed_warc(gz: bool) -> tuple[bytes, int]:
    """A page, an image, then another page; and where the image's payload starts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    image_at = 0
    for i, (ctype, body, status) in enumerate([
            ("text/html; charset=utf-8", _html(f"<article>{ARTICLE}</article>").encode(), "200 OK"),
            ("image/png", b"\x89PNG" + random.Random(0).randbytes(10000), "200 OK"),  # incompressible
            ("text/plain; charset=utf-8", ARTICLE.encode(), "404 Not Found")]):
        if i == 1:
            image_at = buf.tell()
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.org/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
    return buf.getvalue(), image_at


@pytest.mark.parametrize("gz", [False, True])
def test_a_warc_cut_inside_a_skipped_record_is_an_error_not_silence(tmp_path, gz):
    data, image_at = _mixed_warc(gz)
    whole = tmp_path / ("whole.warc" + (".gz" if gz else ""))
    whole.write_bytes(data)
    docs = list(iter_documents([whole]))
    assert [d.error for d in docs] == [None, None]
    # the text/plain response is read as text, and its HTTP error status is a warning
    assert docs[1].kind == "text" and "http_status_404" in docs[1].warnings
    cut = tmp_path / ("cut.warc" + (".gz" if gz else ""))
    cut.write_bytes(data[: image_at + 2000])  # inside the image's payload
    docs = list(iter_documents([cut]))
    assert docs[0].error is None and len(docs) == 2
    assert docs[1].error and "truncated" in docs[1].error


def test_a_warc_cut_inside_a_record_header_says_truncated(tmp_path):
    data = _warc(tmp_path, n=2)
    second = data.index(b"WARC/1", 10)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: second + 60])  # inside the second record's WARC header
    docs = list(iter_documents([cut]))
    assert docs[-1].error and "truncated or damaged" in docs[-1].error


def test_gzip_on_stdin_is_decompressed():
    page = gzip.compress(_html(f"<article>{ARTICLE}</article>").encode("utf-8"))
    (doc,) = list(iter_documents(["-"], stdin=io.BytesIO(page)))
    assert doc.error is None and "énergie solaire" in doc.raw
    rows = gzip.compress(b'{"id": "a", "text": "Un texte."}\n{"id": "b", "text": "Un autre."}\n')
    assert [d.id for d in iter_documents(["-"], stdin=io.BytesIO(rows))] == ["a", "b"]
    (bad,) = list(iter_documents(["-"], stdin=io.BytesIO(b"\x1f\x8bjunk")))
    assert bad.error.startswith("bad gzip stream")


@pytest.mark.parametrize("charset", ["undefined", "utf-16", "cp037", "unicode_escape", "raw_unicode_escape", "bogus"])
def test_unusable_declared_charsets_are_ignored(charset):
    page = _html(f"<article>{ARTICLE}</article>").replace("<head>", f'<head><meta charset="{charset}">')
    text, _ = decode(page.encode("cp1252"))
    assert "l'énergie solaire" in text


def test_a_warc_with_an_unusable_charset_keeps_every_record(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i, charset in enumerate(["utf-8", "undefined", "utf-8"]):
        body = _html(f"<article><h1>Titre {i}</h1>{ARTICLE}</article>").encode("cp1252" if i == 1 else "utf-8")
        http = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.org/{i}", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
    path = tmp_path / "a.warc.gz"
    path.write_bytes(buf.getvalue())
    docs = list(read_path(path))
    assert [d.url for d in docs] == [f"http://example.org/{i}" for i in range(3)]
    assert all(d.error is None and "l'énergie solaire" in d.raw for d in docs)
    # the same archive piped in, compressed or not
    for data in (buf.getvalue(), gzip.decompress(buf.getvalue())):
        assert [d.url for d in iter_documents(["-"], stdin=io.BytesIO(data))] == [d.url for d in docs]


def test_text_stdin_stream():
    (doc,) = list(iter_documents(["-"], stdin=io.StringIO("Un texte sur l'énergie.")))
    assert doc.error is None and doc.raw == "Un texte sur l'énergie."


def test_a_page_pasted_from_utf8_and_cp1252_keeps_both_parts_accents():
    head = (FR_LATIN1 * 4).encode("utf-8")
    tail = FR_CP1252.encode("cp1252")
    text, warnings = decode(head + tail)
    assert text.endswith(FR_CP1252) and "\ufffd" not in text and warnings == ["invalid_utf8"]


def test_a_french_cp1252_page_with_two_stray_bytes_stays_cp1252():
    data = "Bonjour \xff\xfe café très bien. Le texte continue ici avec des accents déjà vus.\n".encode("cp1252")
    text, warnings = decode(data)
    assert "très" in text and "déjà" in text and warnings == ["decoded_as:cp1252"]


def test_a_jsonl_row_with_a_stray_cp1252_byte_is_read_with_a_warning(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_bytes(b'{"id": "a", "text": "Le caf\xe9 est tr\xe8s bon."}\n{"id": "b", "text": "Un autre."}\n')
    a, b = iter_documents([f])
    assert a.error is None and a.raw == "Le café est très bon." and a.warnings == ["invalid_utf8"]
    assert b.error is None and b.warnings == []


def test_jsonl_with_a_utf8_bom_on_stdin_is_jsonl():
    rows = "\ufeff" + '{"id": "a", "text": "Un texte."}\n{"id": "b", "text": "Un autre."}\n'
    assert [d.id for d in iter_documents(["-"], stdin=io.BytesIO(rows.encode("utf-8")))] == ["a", "b"]
    (page,) = list(iter_documents(["-"], stdin=io.BytesIO("\ufeffUne page.".encode("utf-8"))))
    assert page.id == "<stdin>" and page.raw == "Une page."


@pytest.mark.parametrize("text,codec", [
    ("Dziękuję bardzo za pomoc, to była dobra rada.", "cp1250"),  # "by³a": a stray inside a word
    ("Dobrý den, děkuji za vaši zprávu, uvidíme se zítra.", "cp1250"),
])
def test_letters_of_another_code_page_are_not_stray_bytes(text, codec):
    from scorer.document import _looks_western_cp1252

    assert not _looks_western_cp1252(text.encode(codec))


def test_a_jsonl_row_in_another_encoding_is_an_error(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_bytes(('{"id": "a", "text": "' + "Привет, как дела? Это тест на кодировку." + '"}\n').encode("cp1251"))
    (doc,) = iter_documents([f])
    assert doc.error and "not UTF-8" in doc.error
