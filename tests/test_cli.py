import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from scorer.cli import main

from .conftest import SEEDS, seed_files

SEED = str(seed_files()[-1])


@pytest.fixture()
def run():
    runner = CliRunner()

    def _run(*args, input=None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)
    return _run


@pytest.mark.parametrize("command", ["score", "clean", "train", "eval", "info", "report"])
def test_every_command_has_help(run, command):
    res = run(command, "--help")
    assert res.exit_code == 0 and "Usage:" in res.output


def test_score_is_the_default_command_and_prints_jsonl(run):
    res = run(SEED, "-q")
    assert res.exit_code == 0
    rec = json.loads(res.stdout.strip())
    assert rec["id"] == SEED and rec["topic"]["label"] == "technology"


@pytest.mark.parametrize("fmt,check", [
    ("jsonl", lambda out: len(out.strip().splitlines()) == 2),
    ("json", lambda out: len(json.loads(out)) == 2),
    ("csv", lambda out: out.splitlines()[0].startswith("id,path,input")),
    ("table", lambda out: out.splitlines()[0].startswith("id")),
])
def test_formats(run, fmt, check):
    res = run("score", SEED, str(seed_files()[0]), "--format", fmt, "-q")
    assert res.exit_code == 0 and check(res.stdout)


@pytest.mark.parametrize("fmt,check", [
    ("jsonl", lambda out: "explain" in json.loads(out.splitlines()[0])),
    ("csv", lambda out: list(__import__("csv").DictReader(out.splitlines()))[0]["explain"].startswith('{"topic"')),
    ("table", lambda out: any(line.startswith("    topic technology:") for line in out.splitlines())
     and any(line.startswith("    sourced (") for line in out.splitlines())),
])
def test_explain_in_every_format(run, fmt, check):
    res = run("score", SEED, "--explain", "--format", fmt, "-q")
    assert res.exit_code == 0 and check(res.stdout)


def test_missing_input_reported_batch_goes_on(run):
    res = run("score", "does/not/exist.txt", SEED, "-q")
    assert res.exit_code == 1
    assert "does/not/exist.txt: no such file or directory" in res.stderr
    recs = [json.loads(line) for line in res.stdout.strip().splitlines()]
    assert recs[0]["error"] and recs[1]["topic"]["label"] == "technology"


def test_directory_and_stdin(run):
    res = run("score", str(SEEDS), "-q")
    assert len(res.stdout.strip().splitlines()) == 5
    res = run("score", "-", "-q", input=seed_files()[0].read_text("utf-8"))
    assert json.loads(res.stdout)["language"] == "fr"


def test_output_file_written(run, tmp_path):
    out = tmp_path / "out.jsonl"
    res = run("score", SEED, "-o", str(out), "-q")
    assert res.exit_code == 0 and res.stdout == "" and json.loads(out.read_text())["id"] == SEED


def test_explain_flag(run):
    rec = json.loads(run("score", SEED, "--explain", "-q").stdout)
    assert {"topic", "promotional", "sourcing", "cleaning"} <= set(rec["explain"])


def test_no_clean_scores_text_as_given(run):
    rec = json.loads(run("score", SEED, "--no-clean", "-q").stdout)
    assert rec["lines_removed"] == 0


def test_clean_command(run):
    res = run("clean", SEED, "--format", "jsonl")
    rec = json.loads(res.stdout)
    assert "Follow Me" not in rec["text"] and rec["removed"]


def test_clean_text_separates_documents(run):
    one = run("clean", SEED).stdout
    assert "==>" not in one and one.strip()
    two = run("clean", SEED, str(seed_files()[0])).stdout
    headers = [line for line in two.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {SEED} <==", f"==> {seed_files()[0]} <=="]
    assert one.strip() in two


def test_clean_hanging_document_is_skipped_with_one_line(run, monkeypatch):
    import time

    from scorer import batch
    from scorer.model import Scorer

    monkeypatch.setattr(batch, "WARMUP_GRACE", 0)
    monkeypatch.setattr(batch, "DEFAULT_TIMEOUT", 0.5)
    real = Scorer.clean

    def hang_on_first(self, raw, **kw):
        if "Follow Me" in raw:
            while True:
                time.sleep(0.01)
        return real(self, raw, **kw)

    monkeypatch.setattr(Scorer, "clean", hang_on_first)
    res = run("clean", SEED, str(seed_files()[0]))
    assert res.exit_code == 1
    assert f"{SEED}: cleaning took more than 0.5 s (skipped)" in res.stderr
    assert f"==> {seed_files()[0]} <==" in res.stdout


def test_info_prints_manifest(run):
    info = json.loads(run("info").stdout)
    assert info["labels"]["topic"] and info["files"]


def test_bad_model_dir_exit_3(run, tmp_path):
    res = run("score", SEED, "--model", str(tmp_path))
    assert res.exit_code == 3 and "manifest.json" in res.stderr


def test_usage_error_exit_2(run):
    assert run("score", SEED, "--format", "xml").exit_code == 2


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "scorer", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "scorer" in out.stdout


def test_train_and_eval_commands(run, tiny_data, tmp_path, monkeypatch):
    import importlib
    import json as _json

    from .conftest import TINY_PARAMS

    train_mod = importlib.import_module("scorer.train")
    monkeypatch.setattr(train_mod, "HEAD_PARAMS", {**train_mod.HEAD_PARAMS, **TINY_PARAMS})
    out = tmp_path / "m"
    res = run("train", "--data", str(tiny_data), "--only", "--out", str(out), "--compare-with", "none")
    assert res.exit_code == 0 and (out / "manifest.json").exists()
    assert _json.loads(res.stdout)["promoted"] is True
    floors = tmp_path / "floors.json"
    floors.write_text(_json.dumps({"floors": {"topic.accuracy": 0.0}}))
    res = run("eval", "--model", str(out), "--data", str(tiny_data), "--check", "--floors", str(floors))
    assert res.exit_code == 0 and "at or above" in res.stderr
    floors.write_text(_json.dumps({"floors": {"topic.accuracy": 1.01}}))
    res = run("eval", "--model", str(out), "--data", str(tiny_data), "--check", "--floors", str(floors))
    assert res.exit_code == 1 and "below floor" in res.stderr


def test_train_rejects_invalid_rows_with_file_and_line(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "", "topic": "sports"}\n')
    res = run("train", "--data", str(bad), "--only", "--out", str(tmp_path / "m"))
    assert res.exit_code == 3 and f"{bad}:1: empty text" in res.stderr
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("target", ["{seed}/out.jsonl", "/proc/scorer-nope/out.jsonl"])
def test_unwritable_output_is_a_one_line_usage_error(run, target):
    res = run(SEED, "-q", "-o", target.format(seed=SEED))
    assert res.exit_code == 2
    assert res.stderr.startswith("score: ") and "cannot write" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_output_through_a_symlink_replaces_the_target_not_the_link(run, tmp_path):
    target, link = tmp_path / "target.jsonl", tmp_path / "link.jsonl"
    target.write_text("old\n")
    link.symlink_to(target)
    assert run(SEED, "-q", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and json.loads(target.read_text())["id"] == SEED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_output_to_a_fifo_streams_into_it(run, tmp_path):
    import threading

    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    assert run(SEED, "-q", "-o", str(fifo)).exit_code == 0
    reader.join(10)
    assert fifo.exists() and not fifo.is_file() and json.loads(got[0])["id"] == SEED


def test_train_out_inside_a_file_fails_before_training(run, tmp_path):
    res = run("train", "--only", "--data", SEED, "--out", f"{SEED}/model")
    assert res.exit_code == 2 and "not a directory" in res.stderr


def test_bad_scheduler_address_is_a_usage_error(run):
    pytest.importorskip("distributed")
    res = run("--scheduler", "notaurl", SEED, "-q")
    assert res.exit_code == 2 and "cannot connect" in res.stderr


def test_report_on_an_empty_document(run, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "r.html"
    res = run("report", str(empty), SEED, "-o", str(out))
    assert res.exit_code == 0 and out.exists() and "empty.txt" in out.read_text()


def test_records_carry_the_url_of_jsonl_rows(run):
    res = run("-", "-q", input='{"id": "x", "text": "Le gouvernement a présenté un projet.", "url": "https://e.org/x"}\n')
    assert json.loads(res.stdout)["url"] == "https://e.org/x"
    res = run("-", "-q", "--format", "csv", input='{"id": "x", "text": "Un texte.", "url": "https://e.org/x"}\n')
    header, row = res.stdout.splitlines()[:2]
    assert ",url,promotional_disclosure," in header and ",https://e.org/x," in row


@pytest.mark.parametrize("args,message", [
    (("--jobs", "0", SEED), "--jobs must be"),
    (("--timeout", "-1", SEED), "--timeout must be"),
    (("eval", "--allow-lower", "why"), "only goes with --ratchet"),
    (("eval", "--check", "--floors", "/nonexistent/floors.json"), "no such floors file"),
])
def test_option_misuse_is_a_usage_error(run, args, message):
    res = run(*args)
    assert res.exit_code == 2 and message in res.stderr


def test_nothing_found_is_reported(run, tmp_path):
    res = run(str(tmp_path), "--glob", "*.pdf")
    assert res.exit_code == 1 and "no documents found" in res.stderr


def test_report_to_stdout(run):
    res = run("report", SEED, "-o", "-")
    assert res.exit_code == 0 and res.stdout.lstrip().lower().startswith("<!doctype html")


def test_sigterm_exits_130_and_leaves_no_output_file(tmp_path):
    import signal
    import time

    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "scorer", "-", "-q", "-o", str(out)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdin.write('{"id": "a", "text": "Un texte."}\n')
    proc.stdin.flush()  # stdin stays open: the run waits for more documents
    time.sleep(3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl.*"))


@pytest.mark.parametrize("args,message", [
    (["{seed}", "-o", "{seed}"], "would overwrite the input"),
    (["{seed}", "-o", "{tmp}/no/such/dir/out.jsonl"], "no such directory"),
    (["-", "-"], "can be read only once"),
    (["{seed}", "--timeout", "nan"], "--timeout must be"),
])
def test_output_and_option_mistakes_are_usage_errors(run, tmp_path, args, message):
    res = run(*[a.format(seed=SEED, tmp=tmp_path) for a in args])
    assert res.exit_code == 2 and message in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_infinite_timeout_means_no_limit(run):
    res = run(SEED, "-q", "--timeout", "inf")
    assert res.exit_code == 0 and "timeout" not in json.loads(res.stdout)["warnings"]


@pytest.mark.parametrize("n, noun, text", [(0, "error", "0 errors"), (1, "document", "1 document"),
                                           (2, "timeout", "2 timeouts")])
def test_summary_counts_agree_with_their_number(n, noun, text):
    from scorer.cli import _count

    assert _count(n, noun) == text


def test_keep_options_annotate_every_record_and_kept_only_filters(run):
    res = run(str(SEEDS), "-q", "--max-promotional", "0.1", "--language", "fr")
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert res.exit_code == 0 and len(recs) == 5
    assert all(r["keep"] == (r["promotional"]["score"] <= 0.1) for r in recs)
    assert all(r["drop_reasons"] == ([] if r["keep"] else ["promotional_above_max"]) for r in recs)
    kept = run(str(SEEDS), "-q", "--max-promotional", "0.1", "--kept-only")
    assert [json.loads(line)["id"] for line in kept.stdout.splitlines()] == [r["id"] for r in recs if r["keep"]]
    summary = run(str(SEEDS), "--topic", "sports", "--kept-only")
    assert summary.exit_code == 0 and summary.stdout == "" and "0 kept, 5 dropped" in summary.stderr
    plain = json.loads(run(SEED, "-q").stdout)
    assert "keep" not in plain and "text" not in plain  # fields appear only when asked for


def test_text_flag_adds_the_cleaned_text(run):
    rec = json.loads(run(SEED, "-q", "--text").stdout)
    cleaned = run("clean", SEED).stdout
    assert rec["text"].strip() == cleaned.strip() and len(rec["text"]) == rec["chars"]
    rows = run(SEED, "-q", "--text", "--min-chars", "10", "--format", "csv").stdout
    import csv
    import io

    row = next(csv.DictReader(io.StringIO(rows)))
    assert row["text"] == rec["text"] and row["keep"] == "True" and row["drop_reasons"] == ""


@pytest.mark.parametrize("args, message", [
    (["--max-promotional", "1.5"], "--max-promotional must be a number from 0 to 1"),
    (["--min-chars", "-3"], "--min-chars must be a whole number"),
    (["--topic", "tech"], "unknown topic 'tech': the model's topics are business"),
    (["--kept-only"], "--kept-only needs a keep option"),
    (["--language", "french"], "--language must be language codes"),
    (["--topic", ""], "--topic must be non-empty names"),
])
def test_keep_option_mistakes_are_usage_errors(run, args, message):
    res = run(SEED, "-q", *args)
    assert res.exit_code == 2 and message in res.stderr and res.stdout == ""


def test_table_escapes_control_characters_and_csv_without_records_has_a_header(shipped):
    import io

    from scorer.output import CSV_FIELDS, RecordWriter

    buf = io.StringIO()
    w = RecordWriter(buf, "table")
    rec = shipped.score("").to_dict()  # an empty text: the no_text warning
    w.write({**rec, "id": "bad\nname\x1b[31m.txt", "keep": False, "drop_reasons": ["no_text"]})
    row = buf.getvalue().splitlines()[1]
    assert "\x1b" not in buf.getvalue() and "bad\\nname\\x1b[31m.txt" in row
    assert row.count("no_text") == 1  # the drop reason, not the warning again
    buf = io.StringIO()
    w = RecordWriter(buf, "csv")
    w.close()
    assert buf.getvalue().strip() == ",".join(CSV_FIELDS)


@pytest.mark.parametrize("command", [["score"], ["clean"], ["report", "-o", "{out}"]])
def test_an_empty_folder_is_an_input_error_for_every_command(run, tmp_path, command):
    folder = tmp_path / "crawl"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "notes.txt").write_text("not a page: hidden folders are skipped", encoding="utf-8")
    out = tmp_path / "r.html"
    res = run(*[c.replace("{out}", str(out)) for c in command], str(folder), "-q" if command == ["score"] else "--glob=*")
    assert res.exit_code == 1 and "no documents found" in res.stderr and not out.exists()


def test_hidden_files_are_skipped_in_folders_but_read_when_named(run, tmp_path):
    (tmp_path / ".draft.txt").write_text(open(SEED, encoding="utf-8").read(), encoding="utf-8")
    (tmp_path / "page.txt").write_text(open(SEED, encoding="utf-8").read(), encoding="utf-8")
    ids = [json.loads(line)["id"] for line in run(str(tmp_path), "-q").stdout.splitlines()]
    assert ids == [str(tmp_path / "page.txt")]
    assert run(str(tmp_path / ".draft.txt"), "-q").exit_code == 0


@pytest.mark.parametrize("command", [[], ["clean"]])
def test_a_reader_that_stops_early_is_not_an_error(tmp_path, command):
    # `score … | head -1`: the pipe closes while records are still coming
    for i in range(60):
        (tmp_path / f"{i:02d}.txt").write_text(open(SEED, encoding="utf-8").read(), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "scorer", *command, str(tmp_path), "-q"] if not command else
                            [sys.executable, "-m", "scorer", *command, str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and "Traceback" not in err
