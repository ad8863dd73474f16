"""The `score` command: a thin shell over the library.

    score PATH...            score documents (the default command)
    score clean PATH...      print cleaned text
    score train              retrain from labelled JSONL
    score eval               print metrics (--check: compare with pinned floors)
    score info               print the model manifest
    score report PATH...     write a self-contained HTML report

Exit codes: 0 success; 1 some inputs failed (their records carry "error") or a check failed;
2 usage error; 3 model or training-data error (nothing scored or written).
"""
from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from . import __version__

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_USAGE, EXIT_MODEL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, the shell's convention for Ctrl-C (SIGTERM too, see main)


class DefaultGroup(click.Group):
    """A group whose first argument, when not a command name, goes to the `score` command."""

    default_command = "score"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        elif not args:
            args = [self.default_command, "--help"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: -o's temporary file is already removed
            if ctx.invoked_subcommand == "train":
                click.echo("score: interrupted (a model directory is only replaced whole: the previous model stays unless the new one was complete)", err=True)
            elif ctx.invoked_subcommand == "eval":
                click.echo("score: interrupted", err=True)
            else:
                click.echo("score: interrupted (records already written stay; no -o file was written)", err=True)
            sys.exit(EXIT_INTERRUPTED)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail on the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _fail(message: str, code: int) -> None:
    click.echo(f"score: {message}", err=True)
    sys.exit(code)


def _stdout():
    """Standard output for records: UTF-8 whatever the locale says (JSON Lines is UTF-8)."""
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # already written to, or not reconfigurable: leave it
            pass
    return stream


def _count(n: int, noun: str) -> str:
    """ "1 document", "2 documents", "0 errors"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _load(model: str | None, *, lazy: bool = False):
    from .model import ModelError, Scorer, load_model

    try:
        # lazy: checked now, unpickled when first used (never, in a parent of --jobs workers)
        return Scorer.load(model, lazy=True) if lazy else load_model(model)
    except ModelError as exc:
        _fail(str(exc), EXIT_MODEL)


def _open_output(path: str):
    """The atomic writer for ``-o PATH``, or a one-line usage error when PATH cannot be written."""
    from .output import atomic_output

    try:
        return atomic_output(path)
    except OSError as exc:
        _fail(f"{path}: cannot write ({exc.strerror or exc})", EXIT_USAGE)


def _check_output_path(output: str, inputs) -> None:
    """-o must not overwrite an input and must go to an existing directory (no folder made by a typo)."""
    import os
    from pathlib import Path

    target = Path(output).resolve()
    if not target.parent.exists():
        _fail(f"{output}: cannot write (no such directory {target.parent}; create it first)", EXIT_USAGE)
    if not target.parent.is_dir():
        _fail(f"{output}: cannot write ({target.parent} is not a directory)", EXIT_USAGE)
    for p in inputs:
        if p != "-" and os.path.exists(p) and Path(p).resolve() == target:
            _fail(f"{output}: -o would overwrite the input {p}", EXIT_USAGE)


def _check_writable_dir(path: str | None, what: str) -> None:
    """Fail now (not after minutes of training) when ``path`` cannot become a directory."""
    import os
    from pathlib import Path

    if path is None:
        return
    p = Path(path).resolve()
    probe = p
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if probe == p and not p.is_dir():
        _fail(f"{path}: {what} is not a directory", EXIT_USAGE)
    if not probe.is_dir():
        _fail(f"{path}: cannot create {what} ({probe} is not a directory)", EXIT_USAGE)
    if not os.access(probe, os.W_OK):
        _fail(f"{path}: cannot write {what} (permission denied in {probe})", EXIT_USAGE)


# seconds to reach a --scheduler before giving up with a usage error (dask's default is 30)
CONNECT_TIMEOUT = 10


def _connect(address: str):
    """A dask.distributed Client for ``address``, or a one-line usage error."""
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as exc:  # refused, timed out, malformed address
        _fail(f"--scheduler {address}: cannot connect ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
              EXIT_USAGE)


def _input_options(f):
    f = click.option("--glob", default=None, help="Only files matching this pattern inside directories (e.g. '*.html').")(f)
    f = click.option("--text-field", default="text", show_default=True, help="JSONL field holding plain text.")(f)
    f = click.option("--html-field", default="html", show_default=True, help="JSONL field holding HTML.")(f)
    return f


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scorer")
def main() -> None:
    """Score scraped web pages: cleaned text, topic, sourcing density and promotional tone.

    `score PATH...` scores files, directories (recursive: .txt[.gz] .html[.gz] .htm[.gz]
    .jsonl[.gz] .warc[.gz]) or `-` (stdin); a path named like a command (a folder called
    `clean`) needs `score score clean`. Exit codes: 0 ok, 1 some inputs failed, 2 usage error,
    3 model or training-data error, 130 interrupted.
    """
    import signal

    def _terminate(signum, frame):  # SIGTERM unwinds like Ctrl-C: -o's temporary file is removed
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (the CLI called from a thread): leave it
        pass


@main.command("score")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "table"]), default=None,
              help="Output format (default: table on a terminal, jsonl otherwise).")
@click.option("--no-clean", is_flag=True, help="Score the text as given, without cleaning.")
@click.option("--model", "model", default=None, type=click.Path(), help="Model directory (default: the shipped model).")
@click.option("--explain", is_flag=True, help="Add an 'explain' key: n-grams, sentences and sources behind each score.")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="Write records to FILE (atomically: complete or not at all).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
@click.option("-j", "--jobs", default=None, type=int,
              help="Worker processes (default: all cores; 1 = this process). Same results, same order.")
@click.option("--timeout", default=None, type=float,
              help="Seconds per document before it is abandoned with a 'timeout' warning (default 10; 0 = none; "
                   "the first document of each process gets 30 s more for lazy imports).")
@click.option("--scheduler", default=None,
              help="Score on a dask.distributed cluster (tcp://HOST:PORT); needs scorer[dask].")
@click.option("--text", "with_text", is_flag=True, help="Add the cleaned text to each record ('text').")
@click.option("--max-promotional", type=float, default=None, metavar="P",
              help="Keep documents whose promotional score is at most P (0-1); adds 'keep' and 'drop_reasons'.")
@click.option("--min-sourcing", type=float, default=None, metavar="D",
              help="Keep documents whose sourcing density is at least D (0-1).")
@click.option("--topic", "topics", multiple=True, metavar="LABEL",
              help="Keep documents of this topic (repeat for several).")
@click.option("--language", "languages", multiple=True, metavar="CODE",
              help="Keep documents in this language, e.g. fr (repeat for several).")
@click.option("--min-chars", type=int, default=None, metavar="N",
              help="Keep documents whose cleaned text has at least N characters.")
@click.option("--kept-only", is_flag=True, help="Write only the records of kept documents (needs a keep option).")
@_input_options
def score_cmd(paths, fmt, no_clean, model, explain, output, quiet, jobs, timeout, scheduler, with_text,
              max_promotional, min_sourcing, topics, languages, min_chars, kept_only, glob,
              text_field, html_field) -> None:
    """Score documents: one record per document (see README, "Output record")."""
    from .batch import DEFAULT_TIMEOUT, TIMEOUT_WARNING, iter_scores
    from .document import iter_documents
    from .output import RecordWriter, display_name
    from .policy import KeepPolicy, KeepPolicyError

    try:
        policy = KeepPolicy(max_promotional=max_promotional, min_sourcing=min_sourcing, topics=topics,
                            languages=languages, min_chars=min_chars)
    except KeepPolicyError as exc:  # said with the option the user typed
        option = {"topics": "--topic", "languages": "--language"}.get(exc.field, "--" + exc.field.replace("_", "-"))
        _fail(f"{option} {exc.reason}", EXIT_USAGE)
    if kept_only and not policy.active:
        _fail("--kept-only needs a keep option: --max-promotional, --min-sourcing, --topic, --language "
              "or --min-chars", EXIT_USAGE)

    if jobs is not None and (jobs < -1 or jobs == 0):
        _fail("--jobs must be a positive number of processes (or -1 for every core)", EXIT_USAGE)
    if timeout is not None and (timeout != timeout or timeout < 0):  # NaN compares unequal to itself
        _fail("--timeout must be 0 (no limit) or a positive number of seconds", EXIT_USAGE)
    if timeout == float("inf"):
        timeout = 0.0  # no limit
    if sum(p == "-" for p in paths) > 1:
        _fail("'-' (standard input) can be read only once", EXIT_USAGE)
    if output:
        _check_output_path(output, paths)
    scorer = _load(model, lazy=True)
    if policy.topics:
        try:
            policy.check_topics(scorer.topic_labels)
        except ValueError as exc:
            _fail(f"--topic: {exc}", EXIT_USAGE)
    if fmt is None:
        fmt = "table" if (output is None and sys.stdout.isatty()) else "jsonl"
    docs = iter_documents(paths, glob=glob, text_field=text_field, html_field=html_field)
    stats = {"documents": 0, "errors": 0, "empty": 0, "timeouts": 0, "kept": 0}
    start = time.perf_counter()
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    if scheduler:
        try:
            from .integrations.dask import iter_scores_distributed
        except ImportError as exc:
            _fail(f"--scheduler needs dask.distributed: pip install 'scorer[dask]' ({exc})", EXIT_USAGE)
        scheduler = _connect(scheduler)
        scores = iter_scores_distributed(docs, scorer, scheduler, clean=not no_clean, explain=explain,
                                         timeout=timeout)
    else:
        scores = iter_scores(docs, scorer, clean=not no_clean, explain=explain, jobs=jobs, timeout=timeout)

    def run(fh) -> None:
        from tqdm import tqdm

        writer = RecordWriter(fh, fmt)
        bar = tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True, leave=False,
                   disable=quiet or not sys.stderr.isatty())
        for s in scores:
            rec = s.to_dict(text=with_text)
            stats["documents"] += 1
            if s.error:
                stats["errors"] += 1
                bar.write(f"score: {display_name(s.path or s.id)}: {s.error}", file=sys.stderr)
            elif TIMEOUT_WARNING in s.warnings:
                stats["timeouts"] += 1
            elif "no_text" in s.warnings:
                stats["empty"] += 1
            if policy.active:
                rec = policy.annotate(rec)
                stats["kept"] += rec["keep"]
            if rec.get("keep", True) or not kept_only:
                writer.write(rec)
            bar.update(1)
        bar.close()
        writer.close()

    if output:
        with _open_output(output) as fh:
            run(fh)
    else:
        try:
            run(_stdout())
        except BrokenPipeError:  # the reader stopped (`score … | head`): not an error of ours
            _quiet_stdout()
            sys.exit(EXIT_OK)
    if not quiet:
        elapsed = time.perf_counter() - start
        click.echo(f"score: {_count(stats['documents'], 'document')} scored ({_count(stats['errors'], 'error')}, "
                   f"{_count(stats['empty'], 'empty extraction')}, {_count(stats['timeouts'], 'timeout')}"
                   + (f"; {stats['kept']} kept, {stats['documents'] - stats['kept']} dropped" if policy.active else "")
                   + f") in {elapsed:.1f}s ({stats['documents'] / max(elapsed, 1e-9):.1f} docs/s)", err=True)
    if stats["documents"] == 0:
        click.echo(f"score: no documents found in {' '.join(paths)}"
                   + (f" matching --glob {glob}" if glob else "") + " (nothing scored)", err=True)
        sys.exit(EXIT_INPUT_ERRORS)
    sys.exit(EXIT_INPUT_ERRORS if stats["errors"] else EXIT_OK)


@main.command("clean")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: the cleaned text of each document; jsonl: {id, text, title, removed}.")
@click.option("--model", default=None, type=click.Path(), help="Model directory (default: the shipped model).")
@_input_options
def clean_cmd(paths, fmt, model, glob, text_field, html_field) -> None:
    """Print the cleaned text of documents.

    With more than one document, the text format puts a `==> name <==` line before each one
    (as `head` does) and a blank line between them.
    """
    import itertools

    from .document import iter_documents

    scorer = _load(model)
    out = _stdout()
    docs = iter_documents(paths, glob=glob, text_field=text_field, html_field=html_field)
    first_two = list(itertools.islice(docs, 2))
    several = len(first_two) > 1
    try:
        n, errors = _clean_all(scorer, itertools.chain(first_two, docs), fmt, several, out)
    except BrokenPipeError:  # the reader stopped (`score clean … | head`): as `score`, not an error
        _quiet_stdout()
        sys.exit(EXIT_OK)
    if n < 0:  # as `score` says it: an empty folder or a --glob that matches nothing
        click.echo(f"score: no documents found in {' '.join(paths)}"
                   + (f" matching --glob {glob}" if glob else "") + " (nothing cleaned)", err=True)
        sys.exit(EXIT_INPUT_ERRORS)
    sys.exit(EXIT_INPUT_ERRORS if errors else EXIT_OK)


def _clean_all(scorer, docs, fmt: str, several: bool, out) -> tuple[int, int]:
    """Write the cleaned text of each document; (index of the last document or -1, errors)."""
    from .batch import DEFAULT_TIMEOUT, WARMUP_GRACE, DocumentTimeout, time_limit
    from .output import display_name, scrub

    errors = 0
    printed = 0
    n = -1
    for n, doc in enumerate(docs):
        name = display_name(doc.path or doc.id)
        if doc.path and doc.id != doc.path:  # a JSONL line or a WARC record: file and id
            name = f"{display_name(doc.path)}: {display_name(doc.id)}"
        if not doc.error:
            try:  # the time limit of `score` (a page that hangs the cleaner must not stall the run)
                with time_limit(DEFAULT_TIMEOUT + (WARMUP_GRACE if n == 0 else 0)):
                    # read → clean as `score` does (lone surrogates replaced, size cap)
                    pending = scorer.prepare_document(doc)
                cleaned = pending.cleaned
            except DocumentTimeout:
                doc.error = f"cleaning took more than {DEFAULT_TIMEOUT:g} s (skipped)"
        if doc.error:
            errors += 1
            click.echo(f"score: {display_name(doc.path or doc.id)}: {doc.error}", err=True)
            if fmt == "jsonl":
                out.write(json.dumps(scrub({"id": doc.id, "text": "", "title": None, "removed": [],
                                            "warnings": list(doc.warnings), "error": doc.error}),
                                     ensure_ascii=False) + "\n")
            continue
        if fmt == "jsonl":
            out.write(json.dumps(scrub({"id": doc.id, "text": cleaned.text, "title": cleaned.title,
                                  "removed": [{"line": r.lineno, "text": r.text, "reason": r.reason}
                                              for r in cleaned.removed],
                                  "warnings": [*pending.warnings, *cleaned.warnings]}), ensure_ascii=False) + "\n")
        else:
            if several:
                out.write(("\n" if printed else "") + f"==> {name} <==\n")
            printed += 1
            out.write(scrub(cleaned.text) + "\n")
    return n, errors


@main.command("train")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Labelled JSONL file (repeatable). Schema: README, 'Retraining'.")
@click.option("--only", is_flag=True, help="Train on --data alone, not merged with the shipped data.")
@click.option("--out", default=None, type=click.Path(file_okay=False),
              help="Model directory to write (default: the shipped model directory).")
@click.option("--force", is_flag=True, help="Save even if worse than the current model beyond tolerance.")
@click.option("--compare-with", default="default", show_default=True,
              help="Model to compare with ('default', a directory, or 'none').")
@click.option("--report", default=None, type=click.Path(dir_okay=False),
              help="Write a training report (Markdown + PNG figures) to this .md file.")
@click.option("--seed", default=0, show_default=True, help="random_state for every model.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
def train_cmd(data, only, out, force, compare_with, report, seed, quiet) -> None:
    """Train a model from labelled data, evaluate it on the fixed test split, compare, save."""
    import logging

    from .train import log

    handler = logging.StreamHandler(sys.stderr)  # progress on stderr, each line with the clock time
    handler.setFormatter(logging.Formatter("score: %(asctime)s %(message)s", datefmt="%H:%M:%S"))
    saved = (log.level, log.propagate)
    if not quiet:  # attached for this run only (restored below), so repeated runs do not stack
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    try:
        _train_run(data, only, out, force, compare_with, report, seed)
    finally:
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]


def _train_run(data, only, out, force, compare_with, report, seed) -> None:
    from .train import TrainingDataError, train

    _check_writable_dir(out, "--out")
    if report:
        _check_writable_dir(str(__import__("pathlib").Path(report).parent), "--report's folder")
    try:
        result = train(data, only=only, out=out, force=force,
                       compare_with=None if compare_with == "none" else compare_with,
                       random_state=seed, report=report)
    except TrainingDataError as exc:
        _fail(str(exc), EXIT_MODEL)
    click.echo(json.dumps({"metrics": result.metrics, "comparison": result.comparison,
                           "promoted": result.promoted, "message": result.message},
                          indent=2, ensure_ascii=False))
    click.echo(f"score: {result.message}", err=True)
    sys.exit(EXIT_OK if result.promoted else EXIT_INPUT_ERRORS)


@main.command("eval")
@click.option("--model", default=None, type=click.Path(), help="Model directory (default: the shipped model).")
@click.option("--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Labelled JSONL to evaluate on (its test split; default: the shipped data).")
@click.option("--all-rows", is_flag=True, help="Evaluate on every row of --data, not only its test split.")
@click.option("--check", is_flag=True, help="Compare with the floors in training/floors.json; exit 1 below a floor.")
@click.option("--floors", default=None, type=click.Path(dir_okay=False), help="Floors file (default: training/floors.json).")
@click.option("--ratchet", is_flag=True, help="Raise every pinned floor to the measured value minus the margin (never lowers).")
@click.option("--allow-lower", default=None, metavar="REASON",
              help="With --ratchet: allow lowering floors, logging REASON in the floors file.")
def eval_cmd(model, data, all_rows, check, floors, ratchet, allow_lower) -> None:
    """Print the model's metrics on the fixed test split."""
    from pathlib import Path

    from .evaluate import check_floors, evaluate_model

    if allow_lower is not None and not ratchet:
        _fail("--allow-lower only goes with --ratchet", EXIT_USAGE)
    if floors is not None and (check or ratchet) and not Path(floors).is_file():
        _fail(f"{floors}: no such floors file", EXIT_USAGE)
    scorer = _load(model)
    try:
        metrics = evaluate_model(scorer, list(data) or None, all_rows=all_rows)
    except ValueError as exc:
        _fail(str(exc), EXIT_MODEL)
    click.echo(json.dumps(metrics, indent=2, ensure_ascii=False))
    if ratchet:
        from .evaluate import _read, default_floors_path, update_floors

        path = floors or default_floors_path()
        keys = sorted(_read(Path(path)).get("floors", {}))
        try:
            update_floors(metrics, keys, path, allow_lower=allow_lower)
        except (ValueError, KeyError) as exc:
            _fail(f"{path}: {exc}", EXIT_INPUT_ERRORS)
        click.echo(f"score: floors updated in {path}", err=True)
    if check:
        failures = check_floors(metrics, floors)
        for f in failures:
            click.echo(f"score: below floor: {f}", err=True)
        if failures:
            sys.exit(EXIT_INPUT_ERRORS)
        click.echo("score: all metrics at or above their floors", err=True)


@main.command("info")
@click.option("--model", default=None, type=click.Path(), help="Model directory (default: the shipped model).")
def info_cmd(model) -> None:
    """Print the model manifest (versions, labels, data hash, metrics, file hashes)."""
    scorer = _load(model)
    info: dict[str, Any] = {"path": str(scorer.path), **scorer.manifest}
    click.echo(json.dumps(info, indent=2, ensure_ascii=False))


@main.command("report")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write (- for stdout).")
@click.option("--model", default=None, type=click.Path(), help="Model directory (default: the shipped model).")
@_input_options
def report_cmd(paths, output, model, glob, text_field, html_field) -> None:
    """Write one self-contained HTML report of the scored documents."""
    from .batch import iter_scores
    from .document import iter_documents
    from .output import display_name
    from .report import write_report

    scorer = _load(model)
    docs = iter_documents(paths, glob=glob, text_field=text_field, html_field=html_field)
    scores = []
    errors = 0
    for s in iter_scores(docs, scorer, explain=True):
        if s.error:
            errors += 1
            click.echo(f"score: {display_name(s.path or s.id)}: {s.error}", err=True)
        scores.append(s)
    if not scores:
        click.echo(f"score: no documents found in {' '.join(paths)}"
                   + (f" matching --glob {glob}" if glob else "") + " (no report written)", err=True)
        sys.exit(EXIT_INPUT_ERRORS)
    if output == "-":
        from .report import render_report

        _stdout().write(render_report(scores))
        click.echo(f"score: wrote the report to stdout ({_count(len(scores), 'document')})", err=True)
        sys.exit(EXIT_INPUT_ERRORS if errors else EXIT_OK)
    try:
        write_report(scores, output)
    except OSError as exc:
        _fail(f"{output}: cannot write ({exc.strerror or exc})", EXIT_USAGE)
    click.echo(f"score: wrote {output} ({_count(len(scores), 'document')})", err=True)
    sys.exit(EXIT_INPUT_ERRORS if errors else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
