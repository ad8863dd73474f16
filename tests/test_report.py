"""The HTML report: content and escaping (no browser), then rendering in headless Chromium."""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from markupsafe import escape

from scorer.report import _cue_pattern, render_report, segment_line, write_report

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_files() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


HOSTILE = """Partager <script>alert(1)</script> sur Facebook
Le ministre de l'Économie a annoncé mercredi une réforme « ambitieuse » du crédit d'impôt recherche, selon Le Monde.
Les entreprises innovantes bénéficieront d'un allègement de 12 % dès janvier, a déclaré Bruno Le Maire <script>document.documentElement.setAttribute('data-pwned', '1')</script> devant la presse.
Une image <img src=x onerror="document.documentElement.setAttribute('data-pwned', '2')"> et un lien <a href="javascript:alert(3)">cliquez</a>.
Commentaires (0)
"""


@pytest.fixture(scope="module")
def seed_scores(shipped):
    return [shipped.score(p.read_text("utf-8"), explain=True, id=p.stem, path=str(p)) for p in seed_files()]


@pytest.fixture(scope="module")
def hostile(shipped):
    return shipped.score(HOSTILE, explain=True, id="<b>hostile</b>", path="x/<script>.txt", kind="text")


@pytest.fixture(scope="module")
def seeds_html(seed_scores):
    return render_report(seed_scores)


def _tree(html: str):
    from lxml import html as lxml_html

    return lxml_html.fromstring(html)


def _page_scripts(tree) -> list:
    return tree.xpath("//script")


# --- content, without a browser ----------------------------------------------------------------


def test_page_script_is_escaped_not_run(hostile, seed_scores):
    assert hostile.cleaned.kind == "text"
    html = render_report([hostile, *seed_scores[:1]])
    assert "<script>alert(1)</script>" not in html
    assert "<script>document" not in html
    assert "<img src=x" not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    tree = _tree(html)
    scripts = _page_scripts(tree)
    assert len(scripts) == 1  # only the report's own script
    assert "alert" not in scripts[0].text_content()
    assert not tree.xpath("//img") and not tree.xpath("//a[starts-with(@href, 'javascript')]")
    assert "&lt;b&gt;hostile&lt;/b&gt;" in html or "x/&lt;script&gt;.txt" in html
    # a CSP that only allows the report's own script (by hash) and no network
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-inline' ;" not in csp


def test_self_contained(seeds_html):
    tree = _tree(seeds_html)
    assert not tree.xpath("//script[@src] | //link[@rel='stylesheet'] | //img[@src] | //iframe")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?:""", seeds_html)
    assert "@import" not in seeds_html and "url(http" not in seeds_html


def test_removed_lines_struck_through_with_reasons(seed_scores, seeds_html):
    total = 0
    for s in seed_scores:
        for r in s.cleaned.removed:
            total += 1
            line = f'<p class="line removed"><del>{escape(r.text.strip())}</del> <span class="reason">{escape(r.reason)}</span></p>'
            assert line in seeds_html, r
    assert total >= 5  # the seeds carry boilerplate (tag clouds, share prompts, ...)
    tree = _tree(seeds_html)
    assert len(tree.xpath("//p[contains(@class, 'removed')]/del")) == total


def test_topic_bars_for_every_label(seed_scores, seeds_html, shipped):
    tree = _tree(seeds_html)
    docs = tree.xpath("//details[contains(@class, 'doc')]")
    assert len(docs) == len(seed_scores)
    for doc, s in zip(docs, seed_scores, strict=True):
        labels = doc.xpath(".//div[contains(@class, 'bar-row')]/@data-label")
        assert sorted(labels) == sorted(shipped.topic_labels)
        best = doc.xpath(".//div[contains(@class, 'bar-row') and contains(@class, 'best')]/@data-label")
        assert best == [s.topic["label"]]
        widths = doc.xpath(".//span[@class='bar-f']/@style")
        assert len(widths) == len(labels) and all(re.fullmatch(r"width: [\d.]+%", w) for w in widths)


def test_summary_table_and_histograms(seed_scores, seeds_html):
    tree = _tree(seeds_html)
    rows = tree.xpath("//table[@id='summary-table']/tbody/tr")
    assert len(rows) == len(seed_scores)
    assert [r.xpath("./td[1]/@data-v")[0] for r in rows] == [str(i + 1) for i in range(len(seed_scores))]
    assert [r.xpath(".//a/@href")[0] for r in rows] == [f"#doc-{i + 1}" for i in range(len(seed_scores))]
    charts = tree.xpath("//figure[@class='chart']")
    assert len(charts) == 4
    for chart in charts:
        bars = chart.xpath(".//rect[@class='bar']")
        assert bars
    # every document is counted in each histogram
    for chart in charts:
        counts = sum(int(t.split(": ")[-1]) for t in chart.xpath(".//g/title/text()"))
        assert counts == len(seed_scores)


def test_three_scores_with_readings(seed_scores, seeds_html):
    tree = _tree(seeds_html)
    for doc in tree.xpath("//details[contains(@class, 'doc')]"):
        cards = doc.xpath(".//div[contains(@class, 'card ')]")
        assert [c.xpath("./div[@class='card-h']/text()")[0] for c in cards] == [
            "Topic", "Sourcing density", "Promotional tone"]
        for c in cards:
            assert c.xpath("./div[@class='card-r']/text()")[0].strip().endswith(".")


def test_attributed_sentences_highlighted_with_sources(seed_scores, seeds_html):
    tree = _tree(seeds_html)
    for doc, s in zip(tree.xpath("//details[contains(@class, 'doc')]"), seed_scores, strict=True):
        attributed = s.explanation["sourcing"]["attributed"]
        spans = doc.xpath(".//section[@class='text']//span[contains(@class, 'attr')]")
        assert len(spans) >= len(attributed)
        texts = {sp.text_content() for sp in spans}
        for a in attributed:
            assert a["sentence"] in texts
        tags = {t.text_content() for t in doc.xpath(".//section[@class='text']//span[contains(@class, 'src-tag')]")}
        for a in attributed:
            assert set(a["sources"]) <= tags
    assert "Yann LeCun" in seeds_html  # a named source in the second seed


def test_french_accents_intact(seed_scores, tmp_path):
    out = write_report(seed_scores, tmp_path / "r.html")
    raw = out.read_bytes()
    html = raw.decode("utf-8")
    assert '<meta charset="utf-8">' in html
    for word in ("défie", "l’Occident", "États-Unis", "dévoiler", "« ouvert »"):
        assert word in html, word
    assert "&#233;" not in html and "Ã©" not in html
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)


def test_cue_highlighting_word_boundaries_and_escaping():
    pat = _cue_pattern(["cue:superlative", "de", "et", "incroyable", "offre spéciale", "“e ”"])
    assert pat is not None
    line = "Une Offre  spéciale <b>incroyable</b>, INCROYABLE ! Pas incroyablement, ni de et."
    runs = segment_line(line, [], pat)
    marked = [seg.text for run in runs for seg in run.segments if seg.cue]
    assert marked == ["Offre  spéciale", "incroyable", "INCROYABLE"]
    assert "".join(seg.text for run in runs for seg in run.segments) == line  # nothing lost
    assert _cue_pattern(["de", "la", "cue:quotes"]) is None  # stopwords alone are not highlighted


def test_sentence_and_cue_segments_nest():
    line = "Intro. Selon Le Monde, la réforme est incroyable. Fin."
    sentence = "Selon Le Monde, la réforme est incroyable."
    runs = segment_line(line, [(sentence, 0, False)], _cue_pattern(["incroyable"]))
    assert [r.attr for r in runs] == [None, 0, None]
    assert "".join(s.text for s in runs[1].segments) == sentence
    assert [s.text for s in runs[1].segments if s.cue] == ["incroyable"]


def test_single_document_and_errors(seed_scores, shipped):
    html = render_report(seed_scores[:1])
    tree = _tree(html)
    assert not tree.xpath("//table[@id='summary-table']")
    assert tree.xpath("//details[@open]")
    failed = shipped.error_score("broken", "broken.warc", "unreadable <gzip> stream")
    html = render_report([seed_scores[0], failed])
    assert "unreadable &lt;gzip&gt; stream" in html
    assert len(_tree(html).xpath("//table[@id='summary-table']/tbody/tr")) == 2


def test_hundreds_of_documents_render_fast(seed_scores, tmp_path):
    many = [dataclasses.replace(seed_scores[i % len(seed_scores)], id=f"d{i}", path=f"batch/{i}.txt")
            for i in range(300)]
    start = time.perf_counter()
    out = write_report(many, tmp_path / "many.html")
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    tree = _tree(out.read_text("utf-8"))
    assert len(tree.xpath("//table[@id='summary-table']/tbody/tr")) == 300
    assert len(tree.xpath("//details[@open]")) == 1  # the others stay collapsed


def test_cli_report(tmp_path):
    from click.testing import CliRunner

    from scorer.cli import main

    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", *map(str, seed_files()[:2]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(_tree(out.read_text("utf-8")).xpath("//table[@id='summary-table']/tbody/tr")) == 2


# --- in a real browser ---------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--enable-logging=stderr", "--v=0"]


def chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    profile.mkdir()
    cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,2000", *extra, url]
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90, env=env)


def console_messages(stderr: str) -> list[str]:
    """Console output of the page (errors, uncaught exceptions, CSP violations): the report logs nothing."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_report_renders_in_chromium(seed_scores, hostile, tmp_path):
    from PIL import Image

    report = write_report([*seed_scores, hostile], tmp_path / "report.html")
    url = report.resolve().as_uri()

    # the DOM after scripts ran: our script ran under the CSP, the page's did not
    dom = chromium(tmp_path, url + "#sort=-promo", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_messages(dom.stderr) == []
    tree = _tree(dom.stdout)
    root = tree.getroottree().getroot()
    assert root.get("data-ready") == "1", "the report's script did not run"
    assert root.get("data-pwned") is None, "a script from the page ran"
    rows = tree.xpath("//table[@id='summary-table']/tbody/tr")
    assert len(rows) == len(seed_scores) + 1
    promo = [float(r.xpath("./td[8]/@data-v")[0]) for r in rows]
    assert promo == sorted(promo, reverse=True), "the #sort=-promo hash did not sort the table"
    assert len(tree.xpath("//details[contains(@class, 'doc')]")) == len(seed_scores) + 1
    assert tree.xpath("//svg[@class='hist']") and tree.xpath("//del") and tree.xpath("//span[@class='src-tag']")

    # a screenshot that is not blank
    shot = tmp_path / "report.png"
    res = chromium(tmp_path, url, f"--screenshot={shot}")
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    assert console_messages(res.stderr) == []
    with Image.open(shot) as img:
        assert img.size == (1280, 2000)
        rgb = img.convert("RGB")
        colors = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colors) > 100, "the screenshot looks blank"
        most = max(c for c, _ in colors)
        assert most < 0.97 * img.size[0] * img.size[1], "the screenshot is almost one colour"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_console_check_catches_errors(tmp_path):
    """Control for the check above: a page that throws is reported on stderr."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><p>x</p><script>throw new Error("boom")</script>', "utf-8")
    res = chromium(tmp_path, page.resolve().as_uri(), "--dump-dom")
    assert any("boom" in line for line in console_messages(res.stderr)), res.stderr[-2000:]


def test_a_neutral_page_gets_no_highlighted_promotional_cues():
    from scorer.model import load_model
    from scorer.report import _document

    text = ("Le gouvernement a présenté mercredi un projet de loi sur l'énergie solaire, a indiqué le "
            "ministère. Selon l'Insee, la production a progressé de 3 % en 2024. ") * 4
    s = load_model().score(text, explain=True)
    assert s.promotional["score"] < 0.2
    assert not any(c["marked"] for c in _document(0, s)["cues"])
