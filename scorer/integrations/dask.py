"""Scoring on a dask cluster (``pip install 'scorer[dask]'``).

Three entry points, all running the same chunk function as ``score --jobs`` (so the records are
identical to a local run):

* :func:`score_bag` — a ``dask.bag`` of documents (raw strings, ``{"id", "text"|"html", "url"}``
  dicts or :class:`~scorer.document.Document` objects) → a bag of output records (dicts).
* :func:`score_dataframe` — a ``dask.dataframe`` with a text or HTML column → a dataframe of
  flat records (the CSV columns), one row per input row (needs pandas).
* :func:`iter_scores_distributed` — stream documents from this process to a
  ``dask.distributed`` scheduler and get scores back in input order, with bounded look-ahead
  (what ``score --scheduler tcp://...`` uses).

Each worker loads the model once (cached per worker process by model directory and file
hashes). Workers must be able to read the model directory: the same path on every machine
(e.g. the installed package's shipped model), or a shared filesystem.
"""
from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator
from typing import Any

from ..batch import DEFAULT_CHUNK_SIZE, DEFAULT_TIMEOUT, chunked, model_ref, score_chunk
from ..document import Document
from ..model import Scorer, load_model
from ..policy import KeepPolicy
from ..result import Score

__all__ = ["score_bag", "score_dataframe", "iter_scores_distributed", "to_document"]


def to_document(item: Any, index: int = 0, *, text_field: str = "text", html_field: str = "html") -> Document:
    """A :class:`Document` from a raw string, a dict or a Document (what the bag may hold)."""
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=str(index), raw=item)
    if isinstance(item, dict):
        ident = item.get("id")
        ident = str(ident) if ident not in (None, "") else str(index)
        url = item.get("url") if isinstance(item.get("url"), str) else None
        for field, kind in ((html_field, "html"), (text_field, "text")):
            if isinstance(item.get(field), str):
                return Document(id=ident, raw=item[field], kind=kind, url=url)
        return Document(id=ident, url=url, error=f"no string field {text_field!r} or {html_field!r}")
    return Document(id=str(index), error=f"cannot score a {type(item).__name__}")


def _ref(model: Scorer | str | None, policy: KeepPolicy | None = None) -> Any:
    """What workers need to load the model; a policy's topics are checked against its labels."""
    scorer = model if isinstance(model, Scorer) else load_model(model)
    if policy is not None and policy.topics:
        policy.check_topics(scorer.topic_labels)
    return model_ref(scorer)


def _records(scores, with_text: bool, policy: KeepPolicy | None) -> list[dict[str, Any]]:
    """Output records, with the cleaned text and the keep decision when asked (as the CLI)."""
    records = [s.to_dict(text=with_text) for s in scores]
    if policy is not None and policy.active:
        records = [policy.annotate(r) for r in records]
    return records


def _score_partition(items: Iterable[Any], ref: Any, clean: bool, explain: bool, timeout: float | None,
                     text_field: str, html_field: str, with_text: bool = False,
                     policy: KeepPolicy | None = None) -> list[dict[str, Any]]:
    docs = [to_document(item, i, text_field=text_field, html_field=html_field) for i, item in enumerate(items)]
    return _records(score_chunk(docs, ref, clean, explain, timeout), with_text, policy)


def score_bag(bag, *, model: Scorer | str | None = None, clean: bool = True, explain: bool = False,
              timeout: float | None = DEFAULT_TIMEOUT, text_field: str = "text", html_field: str = "html",
              with_text: bool = False, policy: KeepPolicy | None = None):
    """Score a ``dask.bag.Bag`` of documents; returns a bag of output records (dicts), same order.

    Items without an ``id`` are numbered by their position within their partition. ``with_text``
    adds the cleaned text (``text``); a :class:`~scorer.policy.KeepPolicy` adds ``keep`` and
    ``drop_reasons`` (keep the good ones with ``.filter(lambda r: r["keep"])``).
    """
    ref = _ref(model, policy)
    return bag.map_partitions(_score_partition, ref, clean, explain, timeout, text_field, html_field,
                              with_text, policy)


_FLAT_META = [("id", object), ("path", object), ("input", object), ("language", object), ("title", object),
              ("chars", "int64"), ("lines_removed", "int64"), ("topic", object), ("topic_score", "float64"),
              ("sourcing_density", "float64"), ("attributed_sentences", "int64"), ("sentences", "int64"),
              ("sources", object), ("promotional", "float64"), ("promotional_cues", object),
              ("warnings", object), ("error", object), ("model", object)]


def _frame_meta(with_text: bool, policy: KeepPolicy | None) -> list[tuple[str, Any]]:
    return (_FLAT_META + ([("keep", "bool"), ("drop_reasons", object)] if policy is not None and policy.active else [])
            + ([("text", object)] if with_text else []))


def _score_frame(pdf, ref: Any, clean: bool, timeout: float | None, text: str | None, html: str | None,
                 id_column: str | None, url_column: str | None, with_text: bool = False,
                 policy: KeepPolicy | None = None):
    import pandas as pd

    from ..output import flat_record

    docs = []
    for _, row in pdf.iterrows():
        ident = str(row[id_column]) if id_column and id_column in pdf.columns else str(row.name)
        url = row[url_column] if url_column and url_column in pdf.columns and isinstance(row[url_column], str) else None
        raw, kind = None, None
        if html and isinstance(row.get(html), str):
            raw, kind = row[html], "html"
        elif text and isinstance(row.get(text), str):
            raw, kind = row[text], "text"
        if raw is None:
            docs.append(Document(id=ident, url=url, error=f"no string in column {html or text!r}"))
        else:
            docs.append(Document(id=ident, raw=raw, kind=kind, url=url))
    rows = [flat_record(rec) for rec in _records(score_chunk(docs, ref, clean, False, timeout), with_text, policy)]
    meta = _frame_meta(with_text, policy)
    out = pd.DataFrame(rows, columns=[c for c, _ in meta], index=pdf.index)
    return out.astype(dict(meta))


def score_dataframe(df, *, text: str | None = "text", html: str | None = None, id_column: str | None = "id",
                    url_column: str | None = "url", model: Scorer | str | None = None, clean: bool = True,
                    timeout: float | None = DEFAULT_TIMEOUT, with_text: bool = False,
                    policy: KeepPolicy | None = None):
    """Score a ``dask.dataframe.DataFrame``: one row of flat scores per row (same index).

    ``html`` names an HTML column (preferred when set and a string), ``text`` a plain-text one.
    ``with_text`` adds a ``text`` column (the cleaned text); a :class:`~scorer.policy.KeepPolicy`
    adds ``keep`` (bool) and ``drop_reasons`` ("; "-joined) columns.
    """
    import pandas as pd

    ref = _ref(model, policy)
    meta = pd.DataFrame({c: pd.Series(dtype=t) for c, t in _frame_meta(with_text, policy)})
    return df.map_partitions(_score_frame, ref, clean, timeout, text, html, id_column, url_column,
                             with_text, policy, meta=meta)



def iter_scores_distributed(docs: Iterable[Document], scorer: Scorer, scheduler: Any, *, clean: bool = True,
                            explain: bool = False, timeout: float | None = DEFAULT_TIMEOUT,
                            chunk_size: int = DEFAULT_CHUNK_SIZE, in_flight: int | None = None) -> Iterator[Score]:
    """Score documents on a dask.distributed cluster, yielding scores in input order.

    ``scheduler`` is an address (``"tcp://host:8786"``) or a ``distributed.Client``. At most
    ``in_flight`` chunks (default: 2 per worker thread) are submitted ahead of the output, so
    memory stays flat however long the input is.
    """
    from distributed import Client

    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        if in_flight is None:
            threads = sum(client.nthreads().values()) or 1
            in_flight = 2 * threads
        ref = model_ref(scorer)
        pending: collections.deque = collections.deque()
        for chunk in chunked(docs, max(1, chunk_size)):
            pending.append(client.submit(score_chunk, chunk, ref, clean, explain, timeout, pure=False))
            while len(pending) >= in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if own:
            client.close()
