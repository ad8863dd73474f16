"""Integrations: dask (a real LocalCluster with two worker processes) and a Scrapy pipeline."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scorer.batch import iter_scores
from scorer.document import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

PAGE = """<!doctype html><html lang="fr"><head><title>Le vélo en ville</title></head><body>
<nav><a href="/">Accueil</a> | <a href="/contact">Contact</a></nav>
<article><h1>Le vélo en ville progresse</h1>
<p>Selon la mairie, le nombre de cyclistes a augmenté de 30 % en un an dans le centre-ville,
a déclaré le maire lors d'une conférence de presse mardi.</p>
<p>Les associations estiment que les nouvelles pistes cyclables ont joué un rôle important dans
cette progression, et demandent davantage de stationnements sécurisés près des gares.</p>
</article><footer>© 2025 Le Journal</footer></body></html>"""


def _docs() -> list[Document]:
    docs = [Document(id=p.name, raw=p.read_text("utf-8"), kind="text") for p in SEEDS]
    docs.append(Document(id="page", raw=PAGE, kind="html", url="https://example.org/velo"))
    docs.append(Document(id="bad", error="cannot read (test)"))
    return docs


def test_dask_local_cluster_two_processes(shipped):
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    import dask.bag as db

    from scorer.integrations.dask import iter_scores_distributed, score_bag

    docs = _docs()
    expected = [s.to_dict() for s in iter_scores(docs, shipped, jobs=1)]
    t0 = time.perf_counter()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        got = [s.to_dict() for s in iter_scores_distributed(docs, shipped, client, chunk_size=2)]
        assert got == expected
        # both worker processes took part
        assert len(client.nthreads()) == 2
        # the CLI's --scheduler path: same records as --jobs 1
        seeds = [str(p) for p in SEEDS[:2]]
        via_dask = subprocess.run([sys.executable, "-m", "scorer", "-q", "--scheduler", cluster.scheduler_address,
                                   *seeds], capture_output=True, text=True, timeout=120, cwd=ROOT)
        local = subprocess.run([sys.executable, "-m", "scorer", "-q", "--jobs", "1", *seeds], capture_output=True,
                               text=True, timeout=120, cwd=ROOT)
        assert via_dask.returncode == 0, via_dask.stderr[-2000:]
        assert via_dask.stdout == local.stdout and len(via_dask.stdout.splitlines()) == 2

        items = [{"id": d.id, "text": d.raw} if d.kind == "text" else {"id": d.id, "html": d.raw, "url": d.url}
                 for d in docs[:-1]]
        bag = db.from_sequence(items, npartitions=3)
        records = score_bag(bag, model=shipped).compute()
        assert [r["id"] for r in records] == [d.id for d in docs[:-1]]
        for r, e in zip(records, expected[:-1], strict=True):
            assert (r["topic"], r["sourcing"], r["promotional"]) == (e["topic"], e["sourcing"], e["promotional"])
    assert time.perf_counter() - t0 < 60


def test_dask_dataframe(shipped):
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import dask.dataframe as dd
    import pandas as pd

    from scorer.integrations.dask import score_dataframe

    docs = _docs()[:3]
    pdf = pd.DataFrame({"id": [d.id for d in docs], "text": [d.raw for d in docs]})
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None):
        out = score_dataframe(dd.from_pandas(pdf, npartitions=2), model=shipped).compute()
    expected = [s.to_dict(text=True) for s in iter_scores(docs, shipped, jobs=1)]
    assert list(out["id"]) == [d.id for d in docs]
    assert list(out["topic"]) == [e["topic"]["label"] for e in expected]
    assert "keep" not in out.columns and "text" not in out.columns


def test_dask_keep_policy_and_text():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from scorer.integrations.dask import score_bag, score_dataframe
    from scorer.model import load_model
    from scorer.policy import KeepPolicy

    shipped = load_model()
    docs = _docs()[:3]
    policy = KeepPolicy(max_promotional=0.1, languages=("fr",))
    expected = [policy.annotate(s.to_dict(text=True)) for s in iter_scores(docs, shipped, jobs=1)]
    pdf = pd.DataFrame({"id": [d.id for d in docs], "text": [d.raw for d in docs]})
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None):
        out = score_dataframe(dd.from_pandas(pdf, npartitions=2), model=shipped, with_text=True,
                              policy=policy).compute()
        records = score_bag(db.from_sequence([{"id": d.id, "text": d.raw} for d in docs], npartitions=2),
                            model=shipped, with_text=True, policy=policy).compute()
    assert list(out["keep"]) == [e["keep"] for e in expected]
    assert list(out["drop_reasons"]) == ["; ".join(e["drop_reasons"]) for e in expected]
    assert list(out["text"]) == [e["text"] for e in expected]
    assert [(r["keep"], r["drop_reasons"], r["text"]) for r in records] == [
        (e["keep"], e["drop_reasons"], e["text"]) for e in expected]
    with pytest.raises(ValueError, match="unknown topic 'sport'"):
        score_bag(db.from_sequence([]), model=shipped, policy=KeepPolicy(topics=("sport",)))


SPIDER = r'''
import sys
from pathlib import Path
import scrapy
from scrapy.crawler import CrawlerProcess

page, out = Path(sys.argv[1]).resolve().as_uri(), sys.argv[2]


class PageSpider(scrapy.Spider):
    name = "pages"
    start_urls = [page]

    def parse(self, response):
        yield {"url": response.url, "html": response.text}


process = CrawlerProcess(settings={
    "ITEM_PIPELINES": {"scorer.integrations.scrapy.ScorerPipeline": 300},
    "FEEDS": {out: {"format": "jsonlines"}},
    "LOG_LEVEL": "ERROR",
    "TELNETCONSOLE_ENABLED": False,
})
process.crawl(PageSpider)
process.start()
'''


def test_scrapy_pipeline_on_a_local_page(tmp_path, shipped):
    pytest.importorskip("scrapy")
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    script = tmp_path / "crawl.py"
    script.write_text(SPIDER, encoding="utf-8")
    out = tmp_path / "items.jsonl"
    proc = subprocess.run([sys.executable, str(script), str(page), str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(items) == 1
    item = items[0]
    assert item["url"] == page.as_uri()
    record = item["score"]
    expected = shipped.score(PAGE, url=page.as_uri()).to_dict()
    assert record["input"] == "html" and record["language"] == "fr"
    assert (record["topic"], record["sourcing"]) == (expected["topic"], expected["sourcing"])


def test_scrapy_pipeline_directly(shipped):
    pytest.importorskip("scrapy")
    from scorer.integrations.scrapy import ScorerPipeline

    pipe = ScorerPipeline(scorer=shipped, thread=False)
    item = pipe.score_item({"url": "https://example.org/velo", "html": PAGE})
    assert item["score"]["input"] == "html"
    missing = pipe.score_item({"url": "https://example.org/x"})
    assert "error" in missing["score"]


def test_scrapy_pipeline_keeps_or_drops_by_policy(shipped):
    pytest.importorskip("scrapy")
    from scrapy.exceptions import DropItem

    from scorer.integrations.scrapy import ScorerPipeline
    from scorer.policy import KeepPolicy

    marked = ScorerPipeline(scorer=shipped, thread=False, policy=KeepPolicy(topics=("sports",)))
    item = marked.score_item({"url": "https://example.org/velo", "html": PAGE})
    label = item["score"]["topic"]["label"]
    assert item["score"]["keep"] is (label == "sports")
    dropping = ScorerPipeline(scorer=shipped, thread=False, policy=KeepPolicy(languages=("en",)), drop=True)
    with pytest.raises(DropItem, match="language_not_allowed"):
        dropping.score_item({"url": "https://example.org/velo", "html": PAGE})  # a French page
    with pytest.raises(ValueError, match="SCORER_DROP needs a keep setting"):
        ScorerPipeline(scorer=shipped, drop=True)
    with pytest.raises(ValueError, match="unknown topic 'sport'"):
        ScorerPipeline(scorer=shipped, policy=KeepPolicy(topics=("sport",))).open_spider()


def test_scrapy_keep_settings_build_the_policy():
    pytest.importorskip("scrapy")
    from types import SimpleNamespace

    from scrapy.settings import Settings

    from scorer.integrations.scrapy import ScorerPipeline

    crawler = SimpleNamespace(settings=Settings({"SCORER_MAX_PROMOTIONAL": "0.4", "SCORER_TOPICS": "politics, society",
                                                 "SCORER_LANGUAGES": "fr, EN", "SCORER_MIN_CHARS": "300",
                                                 "SCORER_MIN_SOURCING": "", "SCORER_DROP": True}))
    pipe = ScorerPipeline.from_crawler(crawler)
    assert pipe.drop and pipe.policy.max_promotional == 0.4 and pipe.policy.min_chars == 300
    assert pipe.policy.topics == ("politics", "society") and pipe.policy.min_sourcing is None  # empty = unset
    assert pipe.policy.languages == ("fr", "en")
    with pytest.raises(ValueError, match="SCORER_MIN_CHARS must be a whole number, not 'many'"):
        ScorerPipeline.from_crawler(SimpleNamespace(settings=Settings({"SCORER_MIN_CHARS": "many"})))
    with pytest.raises(ValueError, match="SCORER_MAX_PROMOTIONAL must be a number from 0 to 1, not 2.0"):
        ScorerPipeline.from_crawler(SimpleNamespace(settings=Settings({"SCORER_MAX_PROMOTIONAL": "2"})))
    assert ScorerPipeline.from_crawler(SimpleNamespace(settings=Settings({}))).policy is None
    with pytest.raises(ValueError, match="SCORER_MIN_SOURCING must be a number from 0 to 1, not 'lots'"):
        ScorerPipeline.from_crawler(SimpleNamespace(settings=Settings({"SCORER_MIN_SOURCING": "lots"})))
