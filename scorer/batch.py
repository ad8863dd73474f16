"""Scoring many documents: ordered, streaming, optionally parallel (the CLI's engine).

:func:`iter_scores` yields one :class:`~scorer.result.Score` per document, in input order, as
soon as it (and every document before it) is ready. Memory stays flat whatever the input size:
documents are read lazily, and at most ``look-ahead`` chunks are in flight at once.

* ``jobs=1`` scores in this process.
* ``jobs=N`` (N > 1, or ``-1``/``None`` for every core) sends chunks of documents to a joblib
  (loky) process pool. Each worker process loads the model once (cached by model directory and
  file hashes) and keeps it for the life of the pool; results come back in input order and are
  identical to ``jobs=1``.
* Every document gets a time limit (``timeout`` seconds, :data:`DEFAULT_TIMEOUT` by default):
  a page that hangs trafilatura or the line cleaner is abandoned and its record carries the
  warning ``"timeout"`` (and ``"no_text"``) instead of stalling the run. The limit is enforced
  by raising an exception in the scoring thread at the next Python bytecode, so it interrupts
  pure-Python work (trafilatura, the cleaners, the heads); a single C call that never returns
  (say, a pathological regular expression inside a C extension) cannot be interrupted this way.

The same chunk function is used by the dask integration (:mod:`scorer.integrations.dask`).
"""
from __future__ import annotations

import ctypes
import itertools
import json
import os
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from .document import Document
from .model import Scorer
from .result import Score

__all__ = ["iter_scores", "score_chunk", "score_documents", "score_one", "model_ref", "resolve_jobs", "DocumentTimeout",
           "DEFAULT_TIMEOUT", "DEFAULT_CHUNK_SIZE", "TIMEOUT_WARNING", "time_limit"]

DEFAULT_TIMEOUT = 10.0  # seconds per document; a normal page takes well under 0.5 s
# The first document a process scores also pays for lazy imports (trafilatura, language id):
# it gets this much more time.
WARMUP_GRACE = 30.0
DEFAULT_CHUNK_SIZE = 16  # documents per task sent to a worker process
# The heads score a chunk's cleaned documents in one pass under this many documents' time limit
# (a chunk of 16 seed-like dumps takes ~0.3 s); past it the chunk is scored again one document
# at a time, each under its own limit, so a document that hangs the heads costs this many
# limits more, not one per document of the chunk.
BATCH_TIMEOUT_DOCUMENTS = 2
SMALL_INPUT = 32  # fewer documents than this are scored in-process even when jobs > 1
TIMEOUT_WARNING = "timeout"


# Stopped early (Ctrl-C, or the caller stops reading), joblib warns, when its generator is
# closed or collected, that finished chunks were not used: that is what stopping means.
warnings.filterwarnings("ignore", message=r"\d+ tasks? ha(?:s|ve) been successfully executed\s+but\s+not\s+used",
                        category=UserWarning)
warnings.filterwarnings("ignore", message=r"(?s).*tasks\s+which\s+were\s+still\s+being\s+processed.*cancelled",
                        category=UserWarning)


class DocumentTimeout(BaseException):
    """Raised inside the scoring thread when a document exceeds its time limit.

    A BaseException (like KeyboardInterrupt), so the ``except Exception`` handlers in
    trafilatura and in the cleaner do not swallow it and carry on with the same document.
    """


# --------------------------------------------------------------------------------------------
# Per-document time limit


# Own prototypes (not ctypes.pythonapi's shared function object, whose argtypes others may set).
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
_clear_async_exc_fn = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


def _clear_async_exc(tid: int) -> None:
    _clear_async_exc_fn(tid, None)


# An exception injected while the thread runs a weakref callback or a __del__ is printed by
# Python ("Exception ignored in …") and dropped, and the document runs on. Python hands the
# dropped exception to sys.unraisablehook in that thread: the hook silences it and, when the
# thread is still inside that limit's block, raises the limit again this many seconds later.
REFIRE_AFTER = 0.5
_current: dict[int, Any] = {}  # thread id -> the time_limit whose block it runs


def _install_unraisable_hook() -> None:
    """Wrap the current ``sys.unraisablehook`` unless it is ours already (checked at every limit:
    a host such as pytest may replace it)."""
    previous = sys.unraisablehook
    if getattr(previous, "_scorer_time_limit", False):
        return

    def hook(unraisable: Any) -> None:
        if unraisable.exc_type is DocumentTimeout:
            limit = _current.get(threading.get_ident())
            if limit is not None:
                limit._refire()  # dropped by Python in this thread: raise it again REFIRE_AFTER later
            return
        previous(unraisable)

    hook._scorer_time_limit = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


class time_limit:
    """``with time_limit(seconds):`` raises :class:`DocumentTimeout` in this thread after ``seconds``.

    Works in any thread (worker processes, dask worker threads, the CLI's main thread): a
    watchdog timer injects the exception asynchronously. ``seconds`` of ``None`` or ``<= 0``
    means no limit.
    """

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self._lock = threading.RLock()  # the hook may run in this thread inside __exit__
        self._active = False
        self._fired = False
        self._timer: threading.Timer | None = None

    def _fire(self) -> None:
        with self._lock:
            if self._active and _current.get(self._tid) is self:
                self._fired = True
                _set_async_exc(self._tid, DocumentTimeout)

    def _refire(self) -> None:
        with self._lock:
            if self._active and _current.get(self._tid) is self:
                self._timer = threading.Timer(REFIRE_AFTER, self._fire)
                self._timer.daemon = True
                self._timer.start()

    def __enter__(self) -> time_limit:
        if self.seconds is None or not self.seconds > 0 or self.seconds == float("inf"):
            return self
        _install_unraisable_hook()
        self._tid = threading.get_ident()
        self._active = True
        _current[self._tid] = self  # replaces a limit whose __exit__ an exception skipped
        self._timer = threading.Timer(self.seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> bool:
        if self._timer is None:
            return False
        with self._lock:
            self._active = False
            if _current.get(self._tid) is self:
                del _current[self._tid]
            self._timer.cancel()  # under the lock: _fire may have replaced it with a re-fire timer
            if self._fired:  # fired but perhaps not delivered yet: drop it
                _clear_async_exc(self._tid)
        return False


def _timeout_score(scorer: Scorer, doc: Document, seconds: float) -> Score:
    s = scorer.error_score(doc.id, doc.path, "unused", url=doc.url)
    s.error = None
    s.input = doc.kind or "unknown"
    s.warnings = list(doc.warnings) + [TIMEOUT_WARNING, "no_text"]
    s.explanation = None
    return s


_warm_pids: set[int] = set()


def _limit(timeout: float | None, documents: int = 1) -> float | None:
    """The time limit for ``documents`` documents (plus the grace of a process's first one)."""
    if not timeout or timeout <= 0:
        return timeout
    limit = timeout * documents
    return limit + WARMUP_GRACE if os.getpid() not in _warm_pids else limit


def _import_extractor(docs: list[Document]) -> None:
    """Import trafilatura (0.2–0.5 s) before any time limit starts, when a page may need it: a
    limit that fires inside an import leaves a half-imported module behind for the whole process."""
    if "trafilatura" not in sys.modules and any(d.kind != "text" and not d.error for d in docs):
        import trafilatura  # noqa: F401


def _load_once(scorer: Scorer) -> None:
    """Load what a process loads once (the model's heads, the language identifier) before any
    time limit starts: a limit that fired inside the load lost the document it was loaded for,
    and the next document paid for the load again."""
    if os.getpid() in _warm_pids:
        return
    scorer.heads  # noqa: B018 (a lazily loaded model reads its heads here)
    from .language import _get as language_identifier

    language_identifier()


def score_one(scorer: Scorer, doc: Document, *, clean: bool = True, explain: bool = False,
              timeout: float | None = DEFAULT_TIMEOUT) -> Score:
    """Score one document under the time limit (a timed-out document gets a warning record)."""
    return score_documents(scorer, [doc], clean=clean, explain=explain, timeout=timeout)[0]


def score_documents(scorer: Scorer, docs: list[Document], *, clean: bool = True, explain: bool = False,
                    timeout: float | None = DEFAULT_TIMEOUT) -> list[Score]:
    """Score documents together, each under the time limit; records in input order.

    read → clean runs one document at a time, each under ``timeout`` (a document that hangs
    the cleaner gets a warning record); vectorise → score then runs once for every cleaned
    document (:meth:`Scorer.score_prepared`) under ``timeout`` × :data:`BATCH_TIMEOUT_DOCUMENTS`. Should that
    time out, they are scored again one by one, each under ``timeout``, so one slow document
    costs only its own record. The records are the same as scoring each document alone.
    """
    out: list[Score | None] = [None] * len(docs)
    pending, where = [], []
    _import_extractor(docs)
    _load_once(scorer)
    for i, doc in enumerate(docs):
        if doc.error:
            out[i] = scorer.error_score(doc.id, doc.path, doc.error, url=doc.url)
            continue
        try:
            with time_limit(_limit(timeout)):
                pending.append(scorer.prepare_document(doc, clean=clean))
                where.append(i)
        except DocumentTimeout:
            out[i] = _timeout_score(scorer, doc, timeout or 0)
        _warm_pids.add(os.getpid())
    try:
        with time_limit(_limit(timeout, min(len(pending), BATCH_TIMEOUT_DOCUMENTS))):
            scored = scorer.score_prepared(pending, explain=explain)
    except DocumentTimeout:
        scored = []
        for i, item in zip(where, pending):
            try:
                with time_limit(_limit(timeout)):
                    scored.append(scorer.score_prepared([item], explain=explain)[0])
            except DocumentTimeout:
                scored.append(_timeout_score(scorer, docs[i], timeout or 0))
    for i, score in zip(where, scored):
        out[i] = score
    return out  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Worker side: the model, loaded once per process


_models: dict[Any, Scorer] = {}
_models_lock = threading.Lock()


def model_ref(scorer: Scorer) -> Any:
    """What a worker needs to get the same model: its directory and file hashes, or the object."""
    if scorer.path is not None:
        files = json.dumps(scorer.manifest.get("files", {}), sort_keys=True)
        return ("path", os.path.abspath(scorer.path), files)
    return scorer  # in-memory model: sent along (slower, but it works)


def _worker_model(ref: Any) -> Scorer:
    if isinstance(ref, Scorer):
        return ref
    model = _models.get(ref)
    if model is None:
        with _models_lock:
            model = _models.get(ref)
            if model is None:
                model = Scorer.load(ref[1])
                files = json.dumps(model.manifest.get("files", {}), sort_keys=True)
                if files != ref[2]:
                    from .model import ModelError

                    raise ModelError(f"{ref[1]}: the model changed on disk since the run started")
                _models[ref] = model
    return model


def score_chunk(docs: list[Document], ref: Any, clean: bool = True, explain: bool = False,
                timeout: float | None = DEFAULT_TIMEOUT) -> list[Score]:
    """Score a list of documents with the model ``ref`` names (loaded once per process)."""
    return score_documents(_worker_model(ref), docs, clean=clean, explain=explain, timeout=timeout)


# --------------------------------------------------------------------------------------------
# Driver side


def resolve_jobs(jobs: int | None) -> int:
    """``None``/``0``/negative → every core (joblib's convention: -1 all, -2 all but one)."""
    n = os.cpu_count() or 1
    if jobs is None or jobs == 0:
        return n
    if jobs < 0:
        return max(1, n + 1 + jobs)
    return jobs


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def iter_scores(docs: Iterable[Document], scorer: Scorer, *, clean: bool = True,
                explain: bool = False, jobs: int | None = 1,
                timeout: float | None = DEFAULT_TIMEOUT,
                chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Score]:
    """Score documents in input order, yielding each record as soon as it is ready.

    ``jobs``: 1 = this process; N > 1 = a pool of N worker processes (joblib/loky); ``None``
    or -1 = every core. Results are the same, in the same order, whatever ``jobs`` is.
    """
    n = resolve_jobs(jobs)
    docs = iter(docs)
    if n > 1:
        # Starting worker processes costs seconds (each imports scikit-learn and loads the
        # model): a small input is scored here, in this process, with the same results.
        head = list(itertools.islice(docs, SMALL_INPUT))
        if len(head) < SMALL_INPUT:
            n = 1
        docs = itertools.chain(head, docs)
    if n <= 1:
        for chunk in chunked(docs, max(1, chunk_size)):
            yield from score_documents(scorer, chunk, clean=clean, explain=explain, timeout=timeout)
        return
    yield from _iter_parallel(docs, scorer, n, clean=clean, explain=explain, timeout=timeout,
                              chunk_size=chunk_size)


def _iter_parallel(docs: Iterable[Document], scorer: Scorer, n: int, *, clean: bool,
                   explain: bool, timeout: float | None, chunk_size: int) -> Iterator[Score]:
    from joblib import Parallel, delayed

    ref = model_ref(scorer)
    tasks = (delayed(score_chunk)(chunk, ref, clean, explain, timeout)
             for chunk in chunked(docs, max(1, chunk_size)))
    # return_as="generator": ordered results as they come; pre_dispatch bounds the look-ahead
    # (at most 2 chunks per worker read ahead of the output), so memory does not grow.
    parallel = Parallel(n_jobs=n, backend="loky", return_as="generator", batch_size=1,
                        pre_dispatch=f"{2 * n}")
    results = parallel(tasks)
    try:
        for chunk_scores in results:
            yield from chunk_scores
    finally:
        results.close()
