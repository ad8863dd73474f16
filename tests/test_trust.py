"""Trust: tampered model files, versions and labels, the skops exchange format, SIGKILL during
training and during `score -o`, one Scorer from 8 threads, byte-identical output across runs
and --jobs values."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from scorer.model import ModelError, Scorer

from .conftest import ROOT, SEEDS


@pytest.fixture(scope="module")
def model_dir(tiny_model, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("m") / "model"
    shutil.copytree(tiny_model.path, d)
    return d


def _copy(model_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "model"
    shutil.copytree(model_dir, d)
    return d


def _manifest(d: Path) -> dict:
    return json.loads((d / "manifest.json").read_text("utf-8"))


def _write_manifest(d: Path, m: dict) -> None:
    (d / "manifest.json").write_text(json.dumps(m), "utf-8")


@pytest.fixture
def no_unpickle(monkeypatch):
    """Fail the test if anything is unpickled."""
    import pickle

    import joblib

    def boom(*a, **k):
        raise AssertionError("a model file was unpickled")

    monkeypatch.setattr(pickle, "loads", boom)
    monkeypatch.setattr(pickle, "load", boom)
    monkeypatch.setattr(joblib, "load", boom)


# --------------------------------------------------------------------------------------------
# Model files


def test_intact_model_loads(model_dir):
    s = Scorer.load(model_dir)
    assert 0 <= s.score("Bonjour tout le monde.").promotional["score"] <= 1


def test_tampered_file_is_refused_before_unpickling(model_dir, tmp_path, no_unpickle):
    d = _copy(model_dir, tmp_path)
    name = _manifest(d)["files"]["topic"]["name"]
    data = bytearray((d / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / name).write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        Scorer.load(d)


def test_malicious_pickle_never_runs(model_dir, tmp_path):
    import pickle

    d = _copy(model_dir, tmp_path)
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    name = _manifest(d)["files"]["lines"]["name"]
    (d / name).write_bytes(pickle.dumps(Evil()))
    with pytest.raises(ModelError, match="sha256"):
        Scorer.load(d)
    assert not marker.exists()


@pytest.mark.parametrize("change,match", [
    (lambda m, d: os.remove(d / m["files"]["sourcing"]["name"]), "missing"),
    (lambda m, d: m.update(package_version="9.9.0"), "scorer 9.9.0"),
    (lambda m, d: m.update(numpy_version="0.9.0"), "NumPy"),
    (lambda m, d: m.update(format=99), "format"),
    (lambda m, d: m["files"].pop("promotional"), "expected files"),
    (lambda m, d: m["files"]["topic"].update(name="../../etc/passwd"), "bad file name"),
    (lambda m, d: m["files"]["topic"].update(name="nope.joblib"), "missing"),
])
def test_manifest_problems_load_nothing(model_dir, tmp_path, no_unpickle, change, match):
    d = _copy(model_dir, tmp_path)
    m = _manifest(d)
    change(m, d)
    _write_manifest(d, m)
    with pytest.raises(ModelError, match=match):
        Scorer.load(d)


def test_other_labels_are_refused(model_dir, tmp_path):
    d = _copy(model_dir, tmp_path)
    m = _manifest(d)
    m["labels"]["topic"] = ["a", "b", "c"]
    _write_manifest(d, m)
    with pytest.raises(ModelError, match="labels"):
        Scorer.load(d)


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": 1, "files": []}',
                                  '{"format": 1, "package_version": "0.1.0", "files": {"lines": 3}}'])
def test_garbage_manifest_is_a_model_error(model_dir, tmp_path, no_unpickle, text):
    d = _copy(model_dir, tmp_path)
    (d / "manifest.json").write_text(text)
    with pytest.raises(ModelError):
        Scorer.load(d)


def test_cli_refuses_tampered_model_with_exit_3(model_dir, tmp_path):
    d = _copy(model_dir, tmp_path)
    name = _manifest(d)["files"]["topic"]["name"]
    with open(d / name, "ab") as fh:
        fh.write(b"x")
    proc = subprocess.run([sys.executable, "-m", "scorer", "score", "--model", str(d), str(SEEDS / "004_01dcf27cfb5cdcbf.txt")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "sha256" in proc.stderr
    assert proc.stdout == ""


# --------------------------------------------------------------------------------------------
# skops exchange


def test_skops_roundtrip(tiny_model, tmp_path):
    from scorer.exchange import export_skops, import_skops

    export_skops(tiny_model, tmp_path / "x")
    got = import_skops(tmp_path / "x")
    text = (SEEDS / "004_01dcf27cfb5cdcbf.txt").read_text("utf-8")
    a, b = tiny_model.score(text).to_dict(), got.score(text).to_dict()
    a.pop("model"), b.pop("model")
    assert a == b
    saved = got.save(tmp_path / "m")
    assert Scorer.load(saved).topic_labels == tiny_model.topic_labels


def test_skops_refuses_types_outside_allow_list(tiny_model, tmp_path):
    import skops.io as sio

    from scorer.exchange import export_skops, import_skops
    from scorer.model import sha256_file

    d = export_skops(tiny_model, tmp_path / "x")
    # swap a head for an object that would call os.system
    from sklearn.preprocessing import FunctionTransformer
    sio.dump(FunctionTransformer(func=os.system), d / "topic.skops")
    m = _manifest(d)
    m["files"]["topic"]["sha256"] = sha256_file(d / "topic.skops")
    _write_manifest(d, m)
    with pytest.raises(ModelError, match="allow-list: .*system"):
        import_skops(d)


def test_skops_refuses_tampering_and_pickles(tiny_model, tmp_path):
    from scorer.exchange import export_skops, import_skops

    d = export_skops(tiny_model, tmp_path / "x")
    with open(d / "lines.skops", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="sha256"):
        import_skops(d)
    with pytest.raises(ModelError, match="not a scorer skops export"):
        import_skops(tiny_model.path)  # a joblib directory is not an exchange directory


# --------------------------------------------------------------------------------------------
# Interrupted work

KILL_SCRIPT = textwrap.dedent("""
    import os, shutil, signal, sys, pathlib, json
    sys.path.insert(0, {tests!r})
    from conftest import TINY_PARAMS
    import scorer.model as M
    from scorer.train import train

    prev, data, work = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    real_save = M.Scorer.save
    targets = [(os, "replace"), (os, "fsync"), (os, "close"), (os, "unlink"), (M, "_dump_head"),
               (M, "sha256_file"), (M, "_fsync"), (pathlib.Path, "unlink"), (M.json, "dump")]
    state = {{"n": 0, "kill_at": None}}

    def tick():
        state["n"] += 1
        if state["n"] == state["kill_at"]:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(f):
        def g(*a, **k):
            tick()
            r = f(*a, **k)
            tick()
            return r
        return g

    def save_with_kills(self, path):
        results = {{}}
        k = 1
        while True:
            d = work / f"k{{k}}"
            shutil.copytree(prev, d)
            pid = os.fork()
            if pid == 0:
                state["kill_at"] = k
                for obj, name in targets:
                    if hasattr(obj, name):
                        setattr(obj, name, wrap(getattr(obj, name)))
                real_save(self, d)
                os._exit(0)
            _, status = os.waitpid(pid, 0)
            killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            results[d.name] = "killed" if killed else os.waitstatus_to_exitcode(status)
            if not killed:
                break
            k += 1
        (work / "results.json").write_text(json.dumps(results))
        return real_save(self, path)

    M.Scorer.save = save_with_kills
    train([data], only=True, out=work / "final", compare_with=None, params=TINY_PARAMS)
""")


def _smaller_data(tiny_data: Path, tmp_path: Path) -> Path:
    lines = tiny_data.read_text("utf-8").splitlines()
    out = tmp_path / "smaller.jsonl"
    out.write_text("\n".join(lines[: len(lines) * 4 // 5]) + "\n", "utf-8")
    return out


def test_sigkill_at_every_step_of_save_leaves_a_loadable_model(model_dir, tiny_data, tmp_path):
    """The new model is saved over a copy of the previous one, SIGKILLed before and after
    every file operation of the save (forked after training, so training runs once)."""
    work = tmp_path / "work"
    work.mkdir()
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT.format(tests=str(ROOT / "tests")))
    data = _smaller_data(tiny_data, tmp_path)
    proc = subprocess.run([sys.executable, str(script), str(model_dir), str(data), str(work)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((work / "results.json").read_text())
    killed = [k for k, v in results.items() if v == "killed"]
    assert len(killed) >= 15, results  # every write, fsync, rename and unlink was a kill point
    old = _manifest(model_dir)["files"]
    completed = [k for k, v in results.items() if v != "killed"]
    assert completed == [list(results)[-1]] and results[completed[0]] == 0, results
    new = _manifest(work / completed[0])["files"]  # the save that ran to the end
    assert old != new
    assert _manifest(work / completed[0])["files"] != old
    seen = set()
    for name in results:
        d = work / name
        s = Scorer.load(d)  # never half a model
        files = _manifest(d)["files"]
        seen.add("old" if files == old else "new")
        assert 0 <= s.score("Le gouvernement a annoncé une réforme.").promotional["score"] <= 1
    assert seen == {"old", "new"}


TRAIN_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from conftest import TINY_PARAMS
    from scorer.train import train
    train([sys.argv[1]], only=True, out=sys.argv[2], compare_with=None, params=TINY_PARAMS)
""")


def test_sigkill_at_random_times_during_train(model_dir, tiny_data, tmp_path):
    script = tmp_path / "train.py"
    script.write_text(TRAIN_SCRIPT.format(tests=str(ROOT / "tests")))
    data = _smaller_data(tiny_data, tmp_path)
    target = _copy(model_dir, tmp_path)
    old = _manifest(target)["files"]
    rng = random.Random(1234)
    for delay in [rng.uniform(0.2, 1.5), rng.uniform(1.5, 4.0), rng.uniform(3.0, 7.0)]:
        p = subprocess.Popen([sys.executable, str(script), str(data), str(target)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        s = Scorer.load(target)
        assert _manifest(target)["files"] in (old, _manifest(target)["files"])
        assert s.topic_labels
        joblibs = sorted(f.name for f in target.glob("*.joblib"))
        # at most the previous and the next model's files; temporaries are hidden
        assert len(joblibs) <= 8, joblibs


def test_sigkill_during_score_output_leaves_no_half_file(tmp_path):
    out = tmp_path / "scores.jsonl"
    out.write_text("previous complete output\n")
    docs = tmp_path / "docs.jsonl"
    text = (SEEDS / "004_01dcf27cfb5cdcbf.txt").read_text("utf-8")
    docs.write_text("".join(json.dumps({"id": str(i), "text": text}) + "\n" for i in range(400)))
    p = subprocess.Popen([sys.executable, "-m", "scorer", "score", "--jobs", "1", "-q", "-o", str(out), str(docs)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(6)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=60)
    assert out.read_text() == "previous complete output\n"
    visible = [f.name for f in tmp_path.iterdir() if not f.name.startswith(".")]
    assert sorted(visible) == ["docs.jsonl", "scores.jsonl"]


# --------------------------------------------------------------------------------------------
# Threads and determinism


def _texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    html = "<html><body><article><h1>Titre</h1>" + "".join(
        f"<p>{line}</p>" for line in texts[0].splitlines() if line.strip()) + "</article></body></html>"
    return texts + [html, "", "Bonjour.", "Selon l'AFP, le ministre a démissionné lundi."]


def test_one_scorer_from_8_threads_equals_sequential(shipped):
    texts = _texts() * 2
    expected = [json.dumps(shipped.score(t, explain=True).to_dict(), sort_keys=True) for t in texts]
    results: dict[int, str] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(k: int) -> None:
        try:
            barrier.wait()
            for i in range(k, len(texts), 8):
                results[i] = json.dumps(shipped.score(texts[i], explain=True).to_dict(), sort_keys=True)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [results[i] for i in range(len(texts))] == expected


def _jobs_supported() -> bool:
    proc = subprocess.run([sys.executable, "-m", "scorer", "score", "--help"], capture_output=True, text=True)
    return "--jobs" in proc.stdout


@pytest.fixture(scope="module")
def det_input(tmp_path_factory) -> Path:
    """40 documents (more than batch.SMALL_INPUT, so --jobs 2 really uses worker processes)."""
    d = tmp_path_factory.mktemp("det")
    rows = []
    for i, t in enumerate(_texts() * 4):
        rows.append({"id": f"d{i}", ("html" if t.startswith("<html") else "text"): t})
    p = d / "docs.jsonl"
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return p


def _run_score(path: Path, *extra: str) -> bytes:
    proc = subprocess.run([sys.executable, "-m", "scorer", "score", "-q", "--format", "jsonl", *extra, str(path)],
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_same_input_same_bytes_across_runs(det_input):
    args = ("--jobs", "1") if _jobs_supported() else ()
    a = _run_score(det_input, *args)
    b = _run_score(det_input, *args)
    assert a == b and a.count(b"\n") == 36


def test_same_bytes_across_jobs(det_input):
    if not _jobs_supported():
        pytest.skip("`score --jobs` is not available in this version of the CLI")
    assert _run_score(det_input, "--jobs", "1") == _run_score(det_input, "--jobs", "2")
