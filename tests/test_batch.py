"""Batch scoring: ordered parallel runs (same records as --jobs 1), streaming, time limits, CLI."""
from __future__ import annotations

import itertools
import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorer.batch import (
    SMALL_INPUT,
    TIMEOUT_WARNING,
    DocumentTimeout,
    iter_scores,
    resolve_jobs,
    score_documents,
    score_one,
    time_limit,
)
from scorer.cli import main
from scorer.document import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _docs(n: int) -> list[Document]:
    """n real documents: the seeds, and their halves, under distinct ids."""
    texts = [p.read_text("utf-8") for p in SEEDS]
    out = []
    for i in range(n):
        t = texts[i % len(texts)]
        if (i // len(texts)) % 2:
            t = "\n".join(t.splitlines()[: max(3, len(t.splitlines()) // 2)])
        out.append(Document(id=f"doc{i}", raw=t, kind="text", path=f"mem/{i}"))
    out.insert(3, Document(id="broken", path="mem/broken", error="cannot read (test)"))
    return out


@pytest.fixture(scope="module")
def docs():
    return _docs(SMALL_INPUT + 8)


@pytest.fixture(scope="module")
def sequential(shipped, docs):
    return [s.to_dict() for s in iter_scores(docs, shipped, jobs=1)]


def test_parallel_same_records_same_order(shipped, docs, sequential):
    parallel = [s.to_dict() for s in iter_scores(docs, shipped, jobs=2, chunk_size=5)]
    assert [r["id"] for r in parallel] == [d.id for d in docs]
    assert parallel == sequential
    assert parallel[3]["error"] == "cannot read (test)"


def test_a_chunk_gives_the_records_of_each_document_alone(shipped, docs, sequential):
    mixed = [*docs[:4], Document(id="empty", raw="   ", kind="text"),
             Document(id="page", raw="<html><body><p>Le ministre a déclaré : « Nous allons gagner. »</p></body></html>",
                      kind="html")]
    together = [s.to_dict() for s in score_documents(shipped, mixed, explain=True)]
    alone = [score_one(shipped, d, explain=True).to_dict() for d in mixed]
    assert together == alone
    assert [s.to_dict() for s in score_documents(shipped, docs[:4])] == sequential[:4]


def test_a_chunk_that_times_out_is_scored_again_one_by_one(shipped, docs, monkeypatch):
    score_one(shipped, docs[0])  # warm this process (the first document gets a grace period)
    real = shipped.score_prepared

    def slow_with_hang(items, **kw):
        if any(item.id == "hang" for item in items):
            while True:
                time.sleep(0.01)
        return real(items, **kw)

    monkeypatch.setattr(shipped, "score_prepared", slow_with_hang)
    chunk = [docs[0], Document(id="hang", raw="x" * 500, kind="text"), docs[1]]
    out = score_documents(shipped, chunk, timeout=0.3)
    assert [s.id for s in out] == [docs[0].id, "hang", docs[1].id]
    assert TIMEOUT_WARNING in out[1].warnings
    assert [s.to_dict() for s in (out[0], out[2])] == [real([shipped.prepare_document(d)])[0].to_dict()
                                                       for d in (docs[0], docs[1])]


def test_small_input_with_jobs_is_scored_in_process(shipped, docs, sequential):
    few = docs[:5]
    assert [s.to_dict() for s in iter_scores(few, shipped, jobs=2)] == sequential[:5]


def test_iter_scores_is_lazy(shipped, docs):
    pulled = []

    def endless():
        for i in itertools.count():
            d = docs[i % len(docs)]
            pulled.append(i)
            yield Document(id=f"e{i}", raw=d.raw, kind=d.kind)

    first = list(itertools.islice(iter_scores(endless(), shipped, jobs=1, chunk_size=4), 3))
    assert [s.id for s in first] == ["e0", "e1", "e2"]
    assert len(pulled) == 4  # one chunk read ahead, no more


def test_time_limit_interrupts_and_leaves_no_stray_exception():
    t0 = time.perf_counter()
    with pytest.raises(DocumentTimeout):
        with time_limit(0.2):
            while True:
                sum(range(100))
    assert time.perf_counter() - t0 < 2
    for _ in range(500):  # limits that expire around the end of the block must not leak
        try:
            with time_limit(0.0005):
                sum(range(200))
        except DocumentTimeout:
            pass
    time.sleep(0.05)
    result = []

    def in_thread():
        try:
            with time_limit(0.2):
                while True:
                    sum(range(100))
        except DocumentTimeout:
            result.append("timeout")

    t = threading.Thread(target=in_thread)
    t.start()
    t.join(5)
    assert result == ["timeout"]


class _SlowDel:
    """An object whose __del__ runs long enough for a limit to fire inside it: Python drops an
    exception raised in __del__ (it prints "Exception ignored in …" through sys.unraisablehook)."""

    def __del__(self):
        t = time.perf_counter()
        while time.perf_counter() - t < 0.3:
            sum(range(100))


def test_a_time_limit_python_dropped_is_raised_again_and_not_printed(capfd):
    t0 = time.perf_counter()
    with pytest.raises(DocumentTimeout):
        with time_limit(0.05):
            _SlowDel()  # collected at once: the limit fires inside __del__ and is dropped
            while True:
                sum(range(100))
    elapsed = time.perf_counter() - t0
    assert 0.3 <= elapsed < 3  # raised again after the drop (REFIRE_AFTER), not lost
    assert "Exception ignored" not in capfd.readouterr().err
    time.sleep(0.8)  # nothing fires after the block
    sum(range(100))


def test_hanging_document_gets_a_timeout_warning_and_the_run_goes_on(shipped, docs, monkeypatch):
    score_one(shipped, docs[0])  # warm this process (the first document gets a grace period)
    real = shipped.prepare_document

    def maybe_hang(doc, **kw):
        if doc.id == "hang":
            while True:  # like trafilatura: a broad handler must not swallow the time limit
                try:
                    time.sleep(0.01)
                except Exception:
                    pass
        return real(doc, **kw)

    monkeypatch.setattr(shipped, "prepare_document", maybe_hang)
    stream = [docs[0], Document(id="hang", raw="x" * 500, kind="text"), docs[1]]
    t0 = time.perf_counter()
    out = list(iter_scores(stream, shipped, jobs=1, timeout=0.5))
    assert time.perf_counter() - t0 < 10
    assert [s.id for s in out] == [docs[0].id, "hang", docs[1].id]
    assert TIMEOUT_WARNING in out[1].warnings and "no_text" in out[1].warnings
    assert out[1].error is None and out[1].to_dict()["chars"] == 0
    assert TIMEOUT_WARNING not in out[2].warnings


def test_resolve_jobs():
    import os

    assert resolve_jobs(1) == 1
    assert resolve_jobs(None) == (os.cpu_count() or 1)
    assert resolve_jobs(-1) == (os.cpu_count() or 1)


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory, docs):
    path = tmp_path_factory.mktemp("batch") / "docs.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            if not d.error:
                fh.write(json.dumps({"id": d.id, "text": d.raw}, ensure_ascii=False) + "\n")
    return path


def test_cli_jobs_same_output_and_quiet_stderr(jsonl):
    runner = CliRunner()
    one = runner.invoke(main, ["score", "--jobs", "1", "-q", str(jsonl)])
    two = runner.invoke(main, ["score", "--jobs", "2", "-q", str(jsonl)])
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    assert one.stdout == two.stdout
    assert one.stderr == "" and two.stderr == ""
    assert len(one.stdout.splitlines()) == SMALL_INPUT + 8


def test_cli_summary_on_stderr_records_on_stdout(jsonl, tmp_path):
    result = CliRunner().invoke(main, ["score", "--jobs", "1", "--timeout", "30", str(jsonl)])
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        json.loads(line)
    n = len(jsonl.read_text("utf-8").splitlines())
    assert f"score: {n} documents scored (0 errors, 0 empty extractions, 0 timeouts)" in result.stderr
    assert "docs/s" in result.stderr
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["score", "-q", "--jobs", "1", "--format", "csv", "-o", str(out), str(jsonl)])
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text("utf-8").startswith("id,path,")


def test_scoring_does_not_import_sklearn():
    """A process that loads the model and scores never imports scikit-learn (nor pandas)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from scorer.batch import score_chunk, model_ref\n"
        "from scorer.model import Scorer\n"
        "from scorer.document import Document\n"
        "s = Scorer.load(None, lazy=True)\n"
        "r = score_chunk([Document(id='1', raw='Le gouvernement a annoncé une réforme, selon l AFP. ' * 20)],"
        " model_ref(s), explain=True)\n"
        "assert r[0].error is None and r[0].topic\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'pandas', 'pyarrow'))\n"
        "assert not bad, bad[:5]\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
