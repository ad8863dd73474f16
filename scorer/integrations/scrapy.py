"""A Scrapy item pipeline that scores each scraped item (``pip install 'scorer[scrapy]'``).

Enable it in the project's ``settings.py``::

    ITEM_PIPELINES = {"scorer.integrations.scrapy.ScorerPipeline": 300}

Each item needs the page's HTML (field ``html``) or plain text (field ``text``), and may carry
``url``. The pipeline adds the output record (see README, "Output record") under ``score``.
For a ``scrapy.Item`` class, declare that field (``score = scrapy.Field()``); dicts, dataclass
and attrs items take it as they are.

Settings (all optional):

=========================  ====================  ==============================================
``SCORER_MODEL``           shipped model         model directory
``SCORER_HTML_FIELD``      ``"html"``            field holding the page HTML
``SCORER_TEXT_FIELD``      ``"text"``            field holding plain text (used if no HTML)
``SCORER_URL_FIELD``       ``"url"``             field holding the page URL
``SCORER_OUTPUT_FIELD``    ``"score"``           field the record is written to
``SCORER_CLEAN``           ``True``              clean before scoring
``SCORER_EXPLAIN``         ``False``             add the explanation to the record
``SCORER_TIMEOUT``         10                    seconds per item (then a ``timeout`` warning)
``SCORER_THREAD``          ``True``              score in Twisted's thread pool, so the crawl
                                                 goes on while a page is scored
``SCORER_MAX_PROMOTIONAL`` none                  keep items whose promotional score is at most
                                                 this (0-1)
``SCORER_MIN_SOURCING``    none                  keep items whose sourcing density is at least
                                                 this (0-1)
``SCORER_TOPICS``          none                  keep items of these topic labels (a list)
``SCORER_LANGUAGES``       none                  keep items in these languages (a list)
``SCORER_MIN_CHARS``       none                  keep items with at least this much cleaned text
``SCORER_DROP``            ``False``             drop (``DropItem``) the items not kept, instead
                                                 of only marking them
=========================  ====================  ==============================================

With any keep setting (a :class:`~scorer.policy.KeepPolicy`), the record gets ``keep`` and
``drop_reasons``; with ``SCORER_DROP`` an item that is not kept is dropped with Scrapy's
``DropItem`` (the reasons in its message). Otherwise no item is ever dropped: an item with
neither field gets a record with ``error``.
"""
from __future__ import annotations

from typing import Any

from ..batch import DEFAULT_TIMEOUT, score_one
from ..document import Document
from ..model import Scorer, load_model
from ..policy import KeepPolicy, KeepPolicyError

__all__ = ["ScorerPipeline"]


class ScorerPipeline:
    """Adds the scorer's record to every item."""

    def __init__(self, model: str | None = None, *, html_field: str = "html", text_field: str = "text",
                 url_field: str = "url", output_field: str = "score", clean: bool = True,
                 explain: bool = False, timeout: float | None = DEFAULT_TIMEOUT, thread: bool = True,
                 scorer: Scorer | None = None, policy: KeepPolicy | None = None, drop: bool = False):
        self.model = model
        self.html_field, self.text_field, self.url_field = html_field, text_field, url_field
        self.output_field = output_field
        self.clean, self.explain, self.timeout, self.thread = clean, explain, timeout, thread
        self.scorer = scorer
        self.policy = policy if policy is not None and policy.active else None
        if drop and self.policy is None:
            raise ValueError("SCORER_DROP needs a keep setting (SCORER_MAX_PROMOTIONAL, SCORER_MIN_SOURCING, "
                             "SCORER_TOPICS, SCORER_LANGUAGES or SCORER_MIN_CHARS)")
        self.drop = drop

    @classmethod
    def from_crawler(cls, crawler) -> ScorerPipeline:
        s = crawler.settings
        return cls(
            s.get("SCORER_MODEL"),
            html_field=s.get("SCORER_HTML_FIELD", "html"),
            text_field=s.get("SCORER_TEXT_FIELD", "text"),
            url_field=s.get("SCORER_URL_FIELD", "url"),
            output_field=s.get("SCORER_OUTPUT_FIELD", "score"),
            clean=s.getbool("SCORER_CLEAN", True),
            explain=s.getbool("SCORER_EXPLAIN", False),
            timeout=s.getfloat("SCORER_TIMEOUT", DEFAULT_TIMEOUT),
            thread=s.getbool("SCORER_THREAD", True),
            policy=_policy(s),
            drop=s.getbool("SCORER_DROP", False),
        )

    def open_spider(self, spider=None) -> None:
        if self.scorer is None:
            self.scorer = load_model(self.model)
        if self.policy is not None:
            self.policy.check_topics(self.scorer.topic_labels)

    def document(self, item: Any) -> Document:
        from itemadapter import ItemAdapter

        adapter = ItemAdapter(item)
        url = adapter.get(self.url_field)
        url = url if isinstance(url, str) else None
        ident = url or str(adapter.get("id") or "-")
        for field, kind in ((self.html_field, "html"), (self.text_field, "text")):
            value = adapter.get(field)
            if isinstance(value, bytes):
                from ..document import decode

                value, _ = decode(value)
            if isinstance(value, str):
                return Document(id=ident, raw=value, kind=kind, url=url)
        return Document(id=ident, url=url,
                        error=f"item has no {self.html_field!r} or {self.text_field!r} string field")

    def score_item(self, item: Any) -> Any:
        """Score one item synchronously and return it with the record added."""
        from itemadapter import ItemAdapter

        if self.scorer is None:
            self.open_spider()
        doc = self.document(item)
        record = score_one(self.scorer, doc, clean=self.clean, explain=self.explain, timeout=self.timeout).to_dict()
        if self.policy is not None:
            record = self.policy.annotate(record)
        ItemAdapter(item)[self.output_field] = record
        if self.drop and not record["keep"]:
            from scrapy.exceptions import DropItem

            raise DropItem(f"scorer: not kept ({', '.join(record['drop_reasons'])}): {doc.id}")
        return item

    async def process_item(self, item: Any, spider=None) -> Any:
        if self.thread:
            from scrapy.utils.defer import maybe_deferred_to_future
            from twisted.internet import threads

            return await maybe_deferred_to_future(threads.deferToThread(self.score_item, item))
        return self.score_item(item)


def _setting(settings, name: str, convert) -> Any:
    """A keep setting: None when unset or empty, else ``convert(value)``; a bad one names itself."""
    value = settings.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return convert(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {'a whole number' if convert is int else 'a number from 0 to 1'}, "
                         f"not {value!r}") from None


def _policy(settings) -> KeepPolicy:
    """The KeepPolicy of the SCORER_* keep settings (lists may be "a, b" strings or lists)."""
    try:
        return KeepPolicy(
            max_promotional=_setting(settings, "SCORER_MAX_PROMOTIONAL", float),
            min_sourcing=_setting(settings, "SCORER_MIN_SOURCING", float),
            topics=tuple(t.strip() for t in settings.getlist("SCORER_TOPICS") if t.strip()),
            languages=tuple(t.strip() for t in settings.getlist("SCORER_LANGUAGES") if t.strip()),
            min_chars=_setting(settings, "SCORER_MIN_CHARS", int))
    except KeepPolicyError as exc:  # said with the setting the project wrote
        raise ValueError(f"SCORER_{exc.field.upper()} {exc.reason}") from None
