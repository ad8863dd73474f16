"""A safe exchange format for models from elsewhere: skops, with an explicit allow-list of types.

A joblib/pickle model directory runs code when loaded, so ``Scorer.load`` only accepts files
whose sha256 matches ``manifest.json`` — which protects against corruption and tampering
*after* a model was made, not against a model made by someone you do not trust. To take a
model from elsewhere, exchange it as skops files instead:

    export_skops(scorer, "exchange/")                 # one <head>.skops per head + manifest.json
    scorer = import_skops("exchange/")                # checks, then loads without running code
    scorer.save("models-from-bob/")                   # now a normal model directory

skops never unpickles: it rebuilds objects from a schema and refuses any type not trusted.
:func:`import_skops` trusts exactly :data:`ALLOWED_TYPES` (the scorer's own head classes and
the NumPy / SciPy types they are built from) plus whatever you pass in
``trusted=``; a file that names any other type is refused before anything is built, with the
list of offending types. Needs ``pip install 'scorer[skops]'``.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from .model import HEADS, MODEL_FORMAT, ModelError, Scorer, sha256_file

__all__ = ["ALLOWED_TYPES", "EXCHANGE_FORMAT", "export_skops", "import_skops", "untrusted_types"]

EXCHANGE_FORMAT = "scorer-skops-1"

# Types a scorer model is made of that skops does not trust by default. Anything else that
# skops does not trust on its own is refused unless the caller passes it in ``trusted=``.
ALLOWED_TYPES: frozenset[str] = frozenset({
    "scorer.heads.TextHead",
    "scorer.heads.CueFeatures",
    "scorer.heads.SourcingCues",
    "scorer.heads.TextFeatures",
    "scorer.ngrams.NgramTfidf",
    "scorer.lines.LineClassifier",
    "scorer.heads._middle_lower",
    "scorer.fitted.LinearModel",
    "scorer.fitted.Standardiser",
    "scorer.fitted.TreeEnsemble",
})
# Functions and classes defined in the scorer's own head modules (installed code, not data).
ALLOWED_MODULES: tuple[str, ...] = ("scorer.heads.", "scorer.lines.", "scorer.ngrams.", "scorer.fitted.")


def _skops():
    try:
        import skops.io as sio
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ModelError("the skops exchange format needs skops: pip install 'scorer[skops]'") from exc
    return sio


def export_skops(scorer: Scorer, directory: str | os.PathLike[str]) -> Path:
    """Write ``scorer`` as ``<head>.skops`` files and a ``manifest.json`` (sha256 of each)."""
    sio = _skops()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for head in HEADS:
        name = f"{head}.skops"
        tmp = out / f".{name}.tmp"
        sio.dump(scorer.heads[head], tmp)
        os.replace(tmp, out / name)
        files[head] = {"name": name, "sha256": sha256_file(out / name)}
    manifest = {k: v for k, v in scorer.manifest.items() if k != "files"}
    manifest.update({"exchange_format": EXCHANGE_FORMAT, "files": files})
    tmp = out / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, out / "manifest.json")
    return out


def untrusted_types(path: str | os.PathLike[str], trusted: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Types named in a skops file that are neither skops' defaults, nor allowed, nor ``trusted``."""
    sio = _skops()
    allowed = ALLOWED_TYPES | set(trusted)
    return sorted(t for t in sio.get_untrusted_types(file=path)
                  if t not in allowed and not (t.startswith(ALLOWED_MODULES) and t.count(".") == 2))


def import_skops(directory: str | os.PathLike[str], trusted: list[str] | tuple[str, ...] = ()) -> Scorer:
    """Load a model exported by :func:`export_skops`, running no code from the files.

    Checks, in order, before building anything: the manifest (exchange format, model format,
    package minor version, one file per head, sha256 of each), then the types every file names
    (:data:`ALLOWED_TYPES` + ``trusted``). Then builds each head with skops and checks its labels
    against the manifest. Any failure raises :class:`~scorer.model.ModelError`.
    """
    sio = _skops()
    src = Path(directory)
    try:
        manifest: dict[str, Any] = json.loads((src / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{src}: no readable manifest.json ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("exchange_format") != EXCHANGE_FORMAT:
        raise ModelError(f"{src}: not a scorer skops export (exchange_format != {EXCHANGE_FORMAT!r})")
    if manifest.get("format") != MODEL_FORMAT:
        raise ModelError(f"{src}: model format {manifest.get('format')!r} is not {MODEL_FORMAT}")
    pkg = str(manifest.get("package_version", ""))
    if pkg.split(".")[:2] != __version__.split(".")[:2]:
        raise ModelError(f"{src}: exported by scorer {pkg or '?'}, this is scorer {__version__}")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != set(HEADS):
        raise ModelError(f"{src}/manifest.json: expected one file for each of {', '.join(HEADS)}")
    paths = {}
    for head in HEADS:
        entry = files[head]
        name = entry.get("name", "") if isinstance(entry, dict) else ""
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ModelError(f"{src}/manifest.json: bad file name for {head}: {name!r}")
        path = src / name
        if not path.is_file():
            raise ModelError(f"{path}: missing")
        if sha256_file(path) != entry.get("sha256"):
            raise ModelError(f"{path}: sha256 does not match manifest.json")
        try:
            bad = untrusted_types(path, trusted)
        except Exception as exc:  # not a skops archive at all
            raise ModelError(f"{path}: not a readable skops file ({exc.__class__.__name__}: {exc})") from None
        if bad:
            raise ModelError(f"{path}: refuses to load types outside the allow-list: {', '.join(bad)} "
                             "(pass trusted=[...] only for types you have reviewed)")
        paths[head] = path
    heads = {}
    for head, path in paths.items():
        allowed = sorted(sio.get_untrusted_types(file=path))  # all already checked above
        try:
            heads[head] = sio.load(path, trusted=allowed)
        except Exception as exc:
            raise ModelError(f"{path}: skops could not load it ({exc.__class__.__name__}: {exc})") from None
    labels = manifest.get("labels") or {}
    for head in HEADS:
        got = [str(c) for c in getattr(heads[head], "classes_", [])]
        if labels.get(head) is not None and [str(x) for x in labels[head]] != got:
            raise ModelError(f"{src}: {head} labels {got} differ from manifest {labels[head]}")
    model_manifest = {k: v for k, v in manifest.items() if k not in ("files", "exchange_format")}
    return Scorer(heads, model_manifest, None)
