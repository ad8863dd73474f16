"""scorer: decide which scraped web pages are worth keeping.

For each document: its cleaned text, its topic (a probability per label), its sourcing density
(how much of it is attributed to named sources, and which) and its promotional tone, with the
phrases and sentences that drove each score.

    >>> import scorer
    >>> s = scorer.score(open("seeds/004_01dcf27cfb5cdcbf.txt").read())
    >>> s.topic["label"]
    'technology'

Importing the package is cheap: models, scikit-learn, trafilatura and the language identifier
load on first use.
"""
from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "clean",
    "score",
    "load_model",
    "train",
    "Scorer",
    "Cleaned",
    "Score",
    "Document",
    "ModelError",
    "TrainingDataError",
    "iter_documents",
    "KeepPolicy",
]

if TYPE_CHECKING:  # pragma: no cover
    from .document import Document, iter_documents
    from .model import ModelError, Scorer, load_model
    from .policy import KeepPolicy
    from .result import Cleaned, Score
    from .train import TrainingDataError, train

_LAZY = {
    "Scorer": ("model", "Scorer"),
    "load_model": ("model", "load_model"),
    "ModelError": ("model", "ModelError"),
    "Cleaned": ("result", "Cleaned"),
    "Score": ("result", "Score"),
    "Document": ("document", "Document"),
    "iter_documents": ("document", "iter_documents"),
    "train": ("train", "train"),
    "TrainingDataError": ("train", "TrainingDataError"),
    "KeepPolicy": ("policy", "KeepPolicy"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scorer' has no attribute {name!r}")


def _model(model) -> Scorer:
    """A Scorer, the shipped one for None, or the one a model directory holds (loaded once)."""
    import os

    from .model import Scorer, load_model

    if model is None:
        return load_model()
    if isinstance(model, (str, os.PathLike)):
        return _model_at(os.path.abspath(os.fspath(model)))
    if not isinstance(model, Scorer):
        raise TypeError(f"model must be a Scorer or a model directory, not {type(model).__name__}")
    return model


@functools.lru_cache(maxsize=4)
def _model_at(path: str) -> Scorer:
    from .model import load_model

    return load_model(path)


def clean(raw: str, *, url: str | None = None, model: Scorer | str | None = None) -> Cleaned:
    """Clean one raw document (HTML or plain-text dump) with the shipped line cleaner."""
    return _model(model).clean(raw, url=url)


def score(raw: str, *, url: str | None = None, clean: bool = True, explain: bool = False,
          model: Scorer | str | None = None) -> Score:
    """Clean and score one raw document with the shipped model (or ``model``: a Scorer or a
    model directory)."""
    return _model(model).score(raw, url=url, clean=clean, explain=explain)
