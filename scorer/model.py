"""The Scorer: a set of trained heads with its manifest; load, save, score.

Model directory layout (produced only by ``score train``)::

    manifest.json            versions, labels, data hash, metrics, sha256 of every file
    lines.<hash>.joblib      the text-dump line classifier
    topic.<hash>.joblib      topic head
    promotional.<hash>.joblib
    sourcing.<hash>.joblib

Loading a joblib file runs code, so every file is checked against the sha256 in the manifest
*before* it is unpickled. Saving writes the new files under new names, then replaces
``manifest.json`` atomically, then removes the files the old manifest named: an interrupted
save leaves the previous model intact and loadable.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import __version__
from .evidence import find_press_release, promotional_score
from .result import Cleaned, Score

__all__ = ["Scorer", "Pending", "load_model", "default_model_dir", "ModelError", "HEADS", "MODEL_FORMAT"]

HEADS = ("lines", "topic", "promotional", "sourcing")
# 2: the heads hold plain arrays (scorer.fitted), no scikit-learn objects, so scoring does not
# import scikit-learn and a model does not depend on its version (1: scikit-learn estimators)
MODEL_FORMAT = 2
SHORT_TEXT_CHARS = 200  # below this the scores rest on very little text: warn
# Hostile-input caps (scoring costs ~25 µs a character): a raw document is cut at
# MAX_RAW_CHARS before cleaning, and the heads read the first MAX_SCORE_CHARS of the cleaned
# text (an article is far shorter; a longer "page" is a crawl accident). Both warn.
MAX_RAW_CHARS = 2_000_000
MAX_SCORE_CHARS = 100_000
_SURROGATE = re.compile("[\ud800-\udfff]")
TOP_CUES = 8  # n-grams listed as promotional cues
TOP_EXPLAIN = 10  # n-grams listed per score in explanations
# P(attributed) at which a sentence counts as attributed. Session 11, out-of-fold probabilities
# of the shipped settings on the train split (5 folds by document), F1 French / English at
# 0.35 0.7908 / 0.8746, 0.40 0.7917 / 0.8791, 0.45 0.7905 / 0.8796, 0.50 0.7879 / 0.8790,
# 0.55 0.7820 / 0.8775: 0.45 is better than 0.5 in both languages and in 9 of the 10
# language-folds (training/REPORT.md). Used by scoring and by evaluation.
SOURCING_THRESHOLD = 0.45
SUPPORTED_LANGUAGES = ("fr", "en")


@dataclass
class Pending:
    """A cleaned document waiting for its scores, with what its record carries from the input."""

    cleaned: Cleaned
    id: str | None = None
    path: str | None = None
    warnings: list[str] = field(default_factory=list)
    url: str | None = None


class ModelError(RuntimeError):
    """The model directory is missing, incomplete, tampered with or incompatible."""


def default_model_dir() -> Path:
    """Where the shipped model lives: $SCORER_MODEL_DIR, the installed package, or the repo."""
    env = os.environ.get("SCORER_MODEL_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parent / "models"):
        if (candidate / "manifest.json").is_file():
            return candidate
    return here.parent / "models"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def read_manifest(model_dir: Path) -> dict[str, Any]:
    path = model_dir / "manifest.json"
    if not path.is_file():
        raise ModelError(f"{model_dir}: no manifest.json (not a scorer model directory; "
                         "train one with `score train --out DIR`)")
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: model format {manifest.get('format') if isinstance(manifest, dict) else '?'} "
                         f"is not {MODEL_FORMAT}; retrain with this version of scorer")
    return manifest


def _installed_version(dist: str) -> str:
    """An installed distribution's version, without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:  # pragma: no cover - not installed as a distribution
        return ""


def verify_model_dir(model_dir: Path, manifest: dict[str, Any]) -> None:
    """Check versions and the sha256 of every file named in the manifest (before unpickling)."""
    pkg = manifest.get("package_version", "")
    if _minor(pkg) != _minor(__version__):
        raise ModelError(f"{model_dir}: model made by scorer {pkg}, this is scorer {__version__}; "
                         "retrain it with `score train`")
    # the heads are numpy arrays and scorer classes: a pickle of NumPy 2 does not load in 1
    saved, installed = manifest.get("numpy_version", ""), _installed_version("numpy")
    if installed and saved.split(".")[0] != installed.split(".")[0]:
        raise ModelError(f"{model_dir}: model saved with NumPy {saved}, installed is {installed}; "
                         f"install numpy {saved.split('.')[0]}.* or retrain")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != set(HEADS):
        raise ModelError(f"{model_dir}/manifest.json: expected files for {', '.join(HEADS)}")
    for entry in files.values():
        name = entry.get("name", "")
        if "/" in name or "\\" in name or name.startswith("."):
            raise ModelError(f"{model_dir}/manifest.json: bad file name {name!r}")
        path = model_dir / name
        if not path.is_file():
            raise ModelError(f"{path}: missing model file")
        if sha256_file(path) != entry.get("sha256"):
            raise ModelError(f"{path}: sha256 does not match manifest.json (file changed or "
                             "tampered with); refusing to load it")


class Scorer:
    """Trained heads + manifest. Thread-safe for scoring (models are read-only)."""

    def __init__(self, heads: dict[str, Any] | None, manifest: dict[str, Any], path: Path | None = None):
        if heads is None and path is None:
            raise ValueError("Scorer needs its heads, or the model directory to load them from")
        self._heads = heads
        self._heads_lock = threading.Lock()
        self.manifest = manifest
        self.path = path

    @property
    def heads(self) -> dict[str, Any]:
        """The four fitted heads; a lazily loaded model reads them (checked again) on first use."""
        if self._heads is None:
            with self._heads_lock:
                if self._heads is None:
                    verify_model_dir(self.path, self.manifest)  # the files may have changed since
                    self._heads = _load_heads(self.path, self.manifest)
        return self._heads

    @heads.setter
    def heads(self, value: dict[str, Any]) -> None:
        self._heads = value

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_heads_lock", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._heads_lock = threading.Lock()

    # -- persistence ---------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None, *, lazy: bool = False) -> Scorer:
        """Load a model directory (default: the shipped model), checking its manifest and hashes.

        ``lazy=True`` checks the directory now and unpickles the heads on first use: a process
        that only hands documents to worker processes (``score --jobs N``) never holds the heads.
        Loading never imports scikit-learn: the heads are plain arrays (:mod:`scorer.fitted`).
        """
        model_dir = Path(path) if path is not None else default_model_dir()
        if not model_dir.is_dir():
            raise ModelError(f"{model_dir}: no such model directory")
        manifest = read_manifest(model_dir)
        verify_model_dir(model_dir, manifest)
        scorer = cls(None, manifest, model_dir)
        if not lazy:
            scorer._heads = _load_heads(model_dir, manifest)  # just checked: not again
        return scorer

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model atomically (see module docstring). Returns the directory."""
        model_dir = Path(path)
        model_dir.mkdir(parents=True, exist_ok=True)
        old_files: set[str] = set()
        if (model_dir / "manifest.json").is_file():
            try:
                old = json.loads((model_dir / "manifest.json").read_text("utf-8"))
                old_files = {e["name"] for e in old.get("files", {}).values()}
            except (OSError, json.JSONDecodeError, AttributeError, KeyError, TypeError):
                pass
        files: dict[str, dict[str, str]] = {}
        written: list[Path] = []  # new head files: removed again if the save does not complete
        tmp = None
        try:
            for head in HEADS:
                fd, tmp = tempfile.mkstemp(prefix=f".{head}.", suffix=".tmp", dir=model_dir)
                os.close(fd)
                _dump_head(self.heads[head], tmp)
                digest = sha256_file(Path(tmp))
                name = f"{head}.{digest[:12]}.joblib"
                _fsync(tmp)
                os.chmod(tmp, _FILE_MODE())  # as a normal file would be, not mkstemp's 0600
                if name not in old_files and not (model_dir / name).exists():
                    written.append(model_dir / name)
                os.replace(tmp, model_dir / name)
                tmp = None
                files[head] = {"name": name, "sha256": digest, "serializer": HEAD_SERIALIZER}
            manifest = dict(self.manifest)
            manifest["files"] = files
            fd, tmp = tempfile.mkstemp(prefix=".manifest.", suffix=".tmp", dir=model_dir)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(manifest, fh, indent=2, ensure_ascii=False, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, _FILE_MODE())
            os.replace(tmp, model_dir / "manifest.json")
            tmp = None
        except BaseException:  # Ctrl-C, a full disk: the old model stays as it was, no litter
            for leftover in ([Path(tmp)] if tmp else []) + written:
                try:
                    leftover.unlink()
                except OSError:
                    pass
            raise
        new_names = {f["name"] for f in files.values()}
        for name in old_files - new_names:
            try:
                (model_dir / name).unlink()
            except OSError:
                pass
        self.manifest, self.path = manifest, model_dir
        return model_dir

    @property
    def name(self) -> str:
        return self.manifest.get("name", "scorer")

    @property
    def topic_labels(self) -> list[str]:
        if self._heads is None and self.manifest.get("labels", {}).get("topic"):
            return [str(c) for c in self.manifest["labels"]["topic"]]  # checked against the head on load
        return [str(c) for c in self.heads["topic"].classes_]

    # -- scoring -------------------------------------------------------------------------------

    def clean(self, raw: str, *, url: str | None = None, kind: str | None = None) -> Cleaned:
        """Clean a raw document: sniff (unless ``kind`` is given), then HTML or text cleaner."""
        from .cleaning import clean_html, clean_text, sniff

        if kind not in (None, "html", "text"):
            raise ValueError(f"kind must be 'html', 'text' or None (sniff), not {kind!r}")
        kind = kind or sniff(raw)
        if kind == "html":
            return clean_html(raw, url=url, classifier=self.heads["lines"])
        return clean_text(raw, self.heads["lines"])

    def prepare(self, raw: str, *, url: str | None = None, clean: bool = True, id: str | None = None,
                path: str | None = None, kind: str | None = None, warnings: Iterable[str] = ()) -> Pending:
        """read → clean for one raw document: input checks and caps, then the cleaner.

        The per-document step (the one that can hang on a hostile page); the result is scored,
        alone or with others, by :meth:`score_prepared`.
        """
        if not isinstance(raw, str):
            raise TypeError(f"score() takes the document as str, got {type(raw).__name__}; "
                            "decode bytes first (scorer.document.decode)")
        warnings = list(warnings)
        if _SURROGATE.search(raw):  # lone surrogates (bad JSON escapes) break encoders downstream
            raw = raw.encode("utf-8", "replace").decode("utf-8")
            warnings.append("lone_surrogates_replaced")
        if len(raw) > MAX_RAW_CHARS:
            raw = raw[:MAX_RAW_CHARS]
            warnings.append(f"truncated_at_{MAX_RAW_CHARS}_chars")
        if clean:
            cleaned = self.clean(raw, url=url, kind=kind)
        else:
            cleaned = Cleaned(text=raw.strip(), kind=kind or "text",
                              warnings=[] if raw.strip() else ["no_text"])
        return Pending(cleaned=cleaned, id=id, path=path, warnings=warnings, url=url)

    def score(self, raw: str, *, url: str | None = None, clean: bool = True, explain: bool = False,
              id: str | None = None, path: str | None = None, kind: str | None = None,
              warnings: Iterable[str] = ()) -> Score:
        """read → clean → vectorise → score for one raw document (HTML or text)."""
        pending = self.prepare(raw, url=url, clean=clean, id=id, path=path, kind=kind, warnings=warnings)
        return self.score_prepared([pending], explain=explain)[0]

    def score_cleaned(self, cleaned: Cleaned, *, explain: bool = False, id: str | None = None,
                      path: str | None = None, warnings: Iterable[str] = (), url: str | None = None) -> Score:
        """vectorise → score for one document already cleaned."""
        pending = Pending(cleaned=cleaned, id=id, path=path, warnings=list(warnings), url=url)
        return self.score_prepared([pending], explain=explain)[0]

    def score_prepared(self, items: list[Pending], *, explain: bool = False) -> list[Score]:
        """vectorise → score for cleaned documents, several at once.

        Each head vectorises and predicts the whole list in one pass (the n-gram hashing and
        the matrix products cost less per document in a batch); every row is computed on its
        own, so a document's record is the same whatever else is in the list.
        """
        from .sentences import split_paragraph_sentences

        docs = [self._read_cleaned(item) for item in items]
        live = [d for d in docs if d["text"].strip()]
        if live:
            texts = [d["doc_text"] for d in live]
            topic_head, promo_head = self.heads["topic"], self.heads["promotional"]
            # each head's features are computed once and shared by its score and explanations
            topic_X = topic_head.transform(texts)
            topic_P = topic_head.predict_proba_matrix(topic_X)
            promo_X = promo_head.transform(texts)
            promo_P = promo_head.predict_proba_matrix(promo_X)
            for i, d in enumerate(live):
                d["topic_X"], d["topic_p"] = topic_X[i], topic_P[i]
                d["promo_X"], d["promo_p"] = promo_X[i], float(promo_P[i, 1])
                d["sentences"], d["sentence_ends"] = split_paragraph_sentences(d["text"])
        for d, p in zip(docs, self._attribution_probabilities([d.get("sentences", []) for d in docs])):
            d["sentence_p"] = p
        from .ngrams import clear_cache

        clear_cache()  # topic and promotional shared this batch's n-gram hashes; not needed now
        return [self._finish(d, explain) for d in docs]

    def _read_cleaned(self, item: Pending) -> dict[str, Any]:
        """The text the heads read, its language and the content warnings of one document."""
        from .language import detect_language

        cleaned = item.cleaned
        warnings = list(item.warnings)
        text = cleaned.text
        full_chars = len(text)
        if full_chars > MAX_SCORE_CHARS:
            cut = text.rfind(" ", MAX_SCORE_CHARS - 1000, MAX_SCORE_CHARS)
            text = text[: cut if cut > 0 else MAX_SCORE_CHARS]
            warnings.append(f"scored_first_{MAX_SCORE_CHARS}_chars")
        all_warnings = warnings + [w for w in cleaned.warnings if w not in warnings]
        language = detect_language(text)
        if text.strip() and len(text) < SHORT_TEXT_CHARS:
            all_warnings.append("short_text")
        if language not in SUPPORTED_LANGUAGES and language != "und":
            all_warnings.append(f"unsupported_language:{language}")
        title = cleaned.title
        doc_text = f"{title}\n{text}" if title and title not in text[: len(title) + 5] else text
        return {"item": item, "text": text, "doc_text": doc_text, "chars": full_chars,
                "warnings": all_warnings, "language": language, "title": title}

    def _attribution_probabilities(self, documents: list[list[str]]) -> list[Any]:
        """P(attributed) of every sentence of every document, in one pass of the sourcing head."""
        import numpy as np

        from .heads import sentence_contexts

        contexts = [c for sentences in documents if sentences for c in sentence_contexts(sentences)]
        p = self.heads["sourcing"].predict_proba(contexts)[:, 1] if contexts else np.zeros(0)
        out, at = [], 0
        for sentences in documents:
            out.append(p[at: at + len(sentences)])
            at += len(sentences)
        return out

    def _finish(self, d: dict[str, Any], explain: bool) -> Score:
        """One document's record from its head outputs: labels, cues, sources, explanations."""

        item, cleaned, text, doc_text = d["item"], d["item"].cleaned, d["text"], d["doc_text"]
        labels = self.topic_labels
        explanation: dict[str, Any] | None = {} if explain else None
        if text.strip():
            topic_p = d["topic_p"]
            best = int(topic_p.argmax())
            topic = {"label": labels[best],
                     "scores": {lab: round(float(p), 6) for lab, p in zip(labels, topic_p)}}
            promo_head, promo_X, promo_p = self.heads["promotional"], d["promo_X"], d["promo_p"]
            positive = promo_head.classes_[1]
            cues = _content_cues(promo_head.contributions(doc_text, positive, top=TOP_CUES * 5, X=promo_X,
                                                          words_only=True))
            # what pulled the score down: the reading of a neutral document
            neutral_cues = _content_cues(promo_head.contributions(doc_text, promo_head.classes_[0],
                                                                  top=TOP_CUES * 5, X=promo_X, words_only=True))
            sentences, ends = d["sentences"], d["sentence_ends"]
        else:
            topic = {"label": None, "scores": {lab: round(1.0 / len(labels), 6) for lab in labels}}
            promo_p, cues, neutral_cues, sentences, ends = 0.0, [], [], [], []

        sourcing, attributed = self._sourcing(sentences, d["sentence_p"], ends)
        # the page says it is paid for: kept lines first, then the removed ones (the cleaner
        # drops a disclosure at the foot of a page as boilerplate) and, for HTML, the page's
        # lines outside the article; outside the article a bare "Sponsored content" is an ad
        # widget's heading, not counted
        disclosure, in_article = _disclosure(text, cleaned)
        press_release = find_press_release(*_article_lines(d["title"], text, cleaned)) if text.strip() else None
        promotional = {"score": round(promotional_score(promo_p, press_release=press_release,
                                                        disclosure=disclosure if in_article else None), 6),
                       "cues": cues, "neutral_cues": neutral_cues, "disclosure": disclosure,
                       "press_release": press_release, "tone": round(promo_p, 6)}

        if explanation is not None and text.strip():
            topic_head = self.heads["topic"]
            explanation["topic"] = {
                "label": topic["label"],
                "ngrams": _pairs(topic_head.contributions(doc_text, topic["label"], top=TOP_EXPLAIN,
                                                          X=d["topic_X"])),
            }
            explanation["promotional"] = {
                "ngrams": _pairs(promo_head.contributions(doc_text, promo_head.classes_[1], top=TOP_EXPLAIN,
                                                          X=promo_X)),
                "sentences": self._promotional_sentences(sentences),
                # what raised the score above the tone, if anything (scorer.evidence)
                "raised_by": ("press_release" if press_release and promotional["score"] > promotional["tone"]
                              else "disclosure" if promotional["score"] > promotional["tone"] else None),
            }
            src_head = self.heads["sourcing"]
            explanation["sourcing"] = {
                # "rule": counted as part of a quotation the head attributes elsewhere ("quotation":
                # « … » over several sentences; "quote_block": a paragraph after "X said:")
                "attributed": [{"sentence": s, "probability": round(p, 4), "sources": srcs,
                                **({"rule": rule} if rule else {})}
                               for s, p, srcs, rule in attributed],
                "ngrams": _pairs(src_head.contributions(" ".join(s for s, _, _, _ in attributed) or " ",
                                                        src_head.classes_[1], top=TOP_EXPLAIN)),
            }
            explanation["cleaning"] = {"removed": [{"line": r.lineno, "text": r.text, "reason": r.reason}
                                                   for r in cleaned.removed]}
        elif explanation is not None:
            explanation.update({"topic": None, "promotional": None, "sourcing": None,
                                "cleaning": {"removed": [{"line": r.lineno, "text": r.text, "reason": r.reason}
                                                         for r in cleaned.removed]}})
        return Score(
            id=item.id or "-", path=item.path, input=cleaned.kind, language=d["language"], title=d["title"],
            chars=d["chars"], lines_removed=len(cleaned.removed), topic=topic, sourcing=sourcing,
            promotional=promotional, warnings=d["warnings"], model=self.name,
            explanation=explanation, cleaned=cleaned, url=item.url or cleaned.metadata.get("url"),
            metadata={k: v for k, v in cleaned.metadata.items() if k not in ("title", "url")},
        )

    def _sourcing(self, sentences: list[str], p, ends: list[bool] | None = None,
                  ) -> tuple[dict[str, Any], list[tuple[str, float, list[str], str | None]]]:
        """Density and sources from the sentences' P(attributed): the head's decision, then the
        sentences of a quotation the head attributes elsewhere — a « … » quotation over several
        sentences, a quotation set off as its own paragraph after "X said:" (``ends``: the
        sentences that end their paragraph), an answer in an interview transcript — counted with
        its speaker (:func:`scorer.sources.quotation_runs`, :func:`scorer.sources.quote_blocks`,
        :func:`scorer.sources.interview_turns`).
        Attributed sentences come back as (sentence, P, sources, rule or None)."""
        from .heads import QUOTE_SPAN
        from .sources import document_sources, interview_turns, merge_sources, quotation_runs, quote_blocks

        if not sentences:
            return {"density": 0.0, "attributed_sentences": 0, "sentences": 0, "sources": []}, []
        flags = [bool(prob >= SOURCING_THRESHOLD) for prob in p]
        names = document_sources(sentences, flags)
        rules: dict[int, tuple[str, int | None]] = {}  # sentence: (rule, the sentence it follows)
        for i, j in quotation_runs(sentences, flags, span=QUOTE_SPAN).items():
            rules[i] = ("quotation", j)
        speakers: dict[int, str] = {}
        if ends is not None:
            for i, j in quote_blocks(sentences, ends, flags, names).items():
                if not flags[i]:  # the head's own decisions keep no rule
                    rules.setdefault(i, ("quote_block", j))
            speakers = interview_turns(sentences, ends)
            for i in speakers:
                if not flags[i]:
                    rules.setdefault(i, ("interview", None))
        if rules:
            flags = [flag or i in rules for i, flag in enumerate(flags)]
            names = document_sources(sentences, flags)
            for i, (_, j) in rules.items():
                if j is not None:
                    names[i] = names[i] or names[j]
        for i, name in speakers.items():  # an answer's source is the speaker of its label
            names[i] = names[i] or ([name] if name else [])
        attributed = []
        sources: list[str] = []
        for i, (s, prob, flag, srcs) in enumerate(zip(sentences, p, flags, names)):
            if flag:
                attributed.append((s, float(prob), srcs, rules[i][0] if i in rules else None))
                sources.extend(srcs)
        return {
            "density": round(len(attributed) / len(sentences), 6),
            "attributed_sentences": len(attributed),
            "sentences": len(sentences),
            "sources": merge_sources(sources),
        }, attributed

    def _promotional_sentences(self, sentences: list[str], top: int = 5) -> list[dict[str, Any]]:
        """Sentences that raised promotional tone: each scored alone, those above 0.5, highest first."""
        if not sentences:
            return []
        p = self.heads["promotional"].predict_proba(sentences)[:, 1]
        ranked = sorted(zip(sentences, p), key=lambda sp: -sp[1])
        return [{"sentence": s, "score": round(float(v), 4)} for s, v in ranked[:top] if v >= 0.5]

    def prepare_document(self, doc, *, clean: bool = True) -> Pending:
        """:meth:`prepare` for a :class:`~scorer.document.Document` (one without a read error)."""
        return self.prepare(doc.raw, url=doc.url, clean=clean, id=doc.id, path=doc.path, kind=doc.kind,
                            warnings=doc.warnings)

    def score_document(self, doc, *, clean: bool = True, explain: bool = False) -> Score:
        """Score a :class:`~scorer.document.Document`; a read error becomes a record with ``error``."""
        return self.score_documents([doc], clean=clean, explain=explain)[0]

    def score_documents(self, docs: list[Any], *, clean: bool = True, explain: bool = False) -> list[Score]:
        """Score a list of :class:`~scorer.document.Document` together (the heads run once for
        the list); records in input order, a read error as a record with ``error``."""
        for i, doc in enumerate(docs):  # a caller's mistake, before any work
            if not doc.error and not isinstance(doc.raw, str):
                raise TypeError(f"score_documents(): document {i} ({doc.id!r}) has raw of type "
                                f"{type(doc.raw).__name__}; decode bytes first (scorer.document.decode)")
        from .batch import score_documents  # the CLI's path, here without a time limit

        return score_documents(self, docs, clean=clean, explain=explain, timeout=None)

    def error_score(self, ident: str, path: str | None, error: str, url: str | None = None) -> Score:
        labels = self.topic_labels
        return Score(id=ident, path=path, input="unknown", language="und", title=None, chars=0,
                     lines_removed=0,
                     topic={"label": None, "scores": {lab: round(1.0 / len(labels), 6) for lab in labels}},
                     sourcing={"density": 0.0, "attributed_sentences": 0, "sentences": 0, "sources": []},
                     promotional={"score": 0.0, "cues": [], "neutral_cues": [], "disclosure": None,
                                  "press_release": None, "tone": 0.0},
                     warnings=["error"], model=self.name,
                     error=error, url=url)

    def score_many(self, docs: Iterable[Any], *, clean: bool = True, explain: bool = False) -> Iterator[Score]:
        """Score any iterable of raw strings, ``Document`` objects or ``{"id", "text"|"html", "url"}`` dicts."""
        from .batch import DEFAULT_CHUNK_SIZE
        from .document import Document

        if isinstance(docs, (str, bytes)):
            raise TypeError("score_many() takes an iterable of documents, got a single "
                            f"{type(docs).__name__}; use score() for one document or wrap it in a list")
        chunk: list[Any] = []  # Documents, or ready error records
        for i, doc in enumerate(docs):
            if isinstance(doc, str):
                doc = Document(id=str(i), raw=doc)
            elif isinstance(doc, dict):
                raw = doc.get("html") if isinstance(doc.get("html"), str) else doc.get("text")
                kind = "html" if isinstance(doc.get("html"), str) else None
                # as for a JSONL row: a missing or empty id is the position, a url that is not a string is dropped
                ident = str(doc["id"]) if doc.get("id") not in (None, "") else str(i)
                if not isinstance(raw, str):
                    chunk.append(self.error_score(ident, None, "no 'text' or 'html' string field"))
                    continue
                url = doc.get("url") if isinstance(doc.get("url"), str) else None
                doc = Document(id=ident, raw=raw, kind=kind, url=url)
            elif not isinstance(doc, Document):
                yield from self._score_chunk(chunk, clean, explain)  # the records before it first
                raise TypeError(f"score_many(): item {i} is a {type(doc).__name__}; expected a str, "
                                "a {\"id\", \"text\"|\"html\"} dict or a scorer.Document")
            elif not doc.error and not isinstance(doc.raw, str):
                yield from self._score_chunk(chunk, clean, explain)
                raise TypeError(f"score_many(): item {i} (Document {doc.id!r}) has raw of type "
                                f"{type(doc.raw).__name__}; decode bytes first (scorer.document.decode)")
            chunk.append(doc)
            if len(chunk) >= DEFAULT_CHUNK_SIZE:  # the heads run once per chunk, as in the CLI
                yield from self._score_chunk(chunk, clean, explain)
                chunk = []
        yield from self._score_chunk(chunk, clean, explain)

    def _score_chunk(self, chunk: list[Any], clean: bool, explain: bool) -> list[Score]:
        docs = [d for d in chunk if not isinstance(d, Score)]
        scored = iter(self.score_documents(docs, clean=clean, explain=explain))
        return [d if isinstance(d, Score) else next(scored) for d in chunk]


def _FILE_MODE() -> int:  # noqa: N802
    """0666 less the process umask: the mode ``open()`` would give a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _load_heads(model_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    heads = {head: _load_head(model_dir / manifest["files"][head]["name"], manifest["files"][head])
             for head in HEADS}
    for head in HEADS:
        expected = manifest.get("labels", {}).get(head)
        got = [str(c) for c in heads[head].classes_]
        if expected is not None and [str(x) for x in expected] != got:
            raise ModelError(f"{model_dir}: {head} labels {got} differ from manifest {expected}")
    return heads


# Heads are saved as a gzip-compressed standard pickle (protocol 5): the C unpickler loads the
# four heads in ~0.4 s where joblib.load (a pure-Python unpickler) took ~2.5 s, which was most
# of the cold start and of every worker process's start. joblib.load still reads these files,
# and files without "serializer" in the manifest (older models) are loaded with joblib.
HEAD_SERIALIZER = "pickle+gzip"


def _dump_head(obj: Any, path: str) -> None:
    import gzip
    import pickle

    with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
        gz.write(pickle.dumps(obj, protocol=5))


def _load_head(path: Path, entry: dict[str, Any]) -> Any:
    if entry.get("serializer") == HEAD_SERIALIZER:
        import gzip
        import pickle

        with open(path, "rb") as fh:
            return pickle.loads(gzip.decompress(fh.read()))
    import joblib

    return joblib.load(path)


def _content_cues(items: list[tuple[str, float]]) -> list[str]:
    """Cue phrases for a reader: n-grams with at least one content word, named cues kept."""
    from .lines import stopwords

    stops = stopwords()
    out = []
    for name, _ in items:
        words = name.replace("’", "'").split()
        if name.startswith(("cue:", "src:")) or any(w not in stops and w.split("'")[-1] not in stops
                                                   and not w.isdigit() for w in words):
            out.append(name)
        if len(out) >= TOP_CUES:
            break
    return out


# A bare label ("Contenu sponsorisé") the text-dump cleaner removed counts as a disclosure when it
# stands before the article or within this many lines after its first kept line (the label
# above a headline); further down it is the heading of an ad widget.
DISCLOSURE_HEAD_LINES = 2


def _disclosure(text: str, cleaned: Cleaned) -> tuple[str | None, bool]:
    """The page's line saying it is paid for: in the kept text, then a label at the head of the
    article, then a statement anywhere else on the page (removed lines, the rest of the HTML);
    and whether it speaks for the article (found in it or in the label above it, or a statement
    about "this article" elsewhere): only then does it raise the promotional score."""
    from .heads import find_disclosure, is_disclosure_statement

    head: list[str] = []
    rest = [r.text for r in cleaned.removed]
    if cleaned.line_labels:
        first = next((k for k, (_, label, _) in enumerate(cleaned.line_labels) if label in ("title", "content")), None)
        head = [line for k, (line, label, _) in enumerate(cleaned.line_labels)
                if label not in ("title", "content") and (first is None or k <= first + DISCLOSURE_HEAD_LINES)]
    found = find_disclosure([*text.splitlines(), *head])
    if found:
        return found, True
    found = find_disclosure([*rest, *cleaned.disclosure_lines], labels=False)
    # elsewhere on the page, a statement about this article or its links ("Cet article a été
    # réalisé en partenariat avec…", "This post contains affiliate links") still speaks for the
    # article; a label naming a sponsor ("Sponsored by Acme") may be a widget's heading
    return found, bool(found and is_disclosure_statement(found))


def _article_lines(title: str | None, text: str, cleaned: Cleaned) -> tuple[list[str], list[str], list[str]]:
    """The article's lines, the rest of the page and the removed lines above the article, for
    :func:`scorer.evidence.find_press_release`.

    For a text dump the article runs from its first kept line to its last, with the short lines
    the cleaner removed inside it (a dateline, "PRNewswire", a media contact); the rest is what
    it removed above and below. For HTML, the headline and the extracted text.
    """
    labels = cleaned.line_labels
    kept = [k for k, (_, label, _) in enumerate(labels) if label in ("title", "content")]
    if not kept:
        return [title or "", *text.splitlines()], [r.text for r in cleaned.removed], []
    first, last = kept[0], kept[-1]
    return ([line for line, _, _ in labels[first: last + 1]],
            [line for k, (line, _, _) in enumerate(labels) if k < first or k > last],
            [line for line, _, _ in labels[:first]])


def _pairs(items: list[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"feature": name, "weight": round(w, 4)} for name, w in items]


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_default: Scorer | None = None
_default_lock = threading.Lock()


def load_model(path: str | os.PathLike[str] | None = None) -> Scorer:
    """Load a model directory (default: the shipped model). The default is loaded once."""
    global _default
    if path is not None:
        return Scorer.load(path)
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Scorer.load(None)
    return _default
