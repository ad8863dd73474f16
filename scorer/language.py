"""Language identification with py3langid (loaded once, lazily)."""
from __future__ import annotations

import re
import threading

__all__ = ["detect_language", "MIN_CHARS"]

MIN_CHARS = 20  # below this, language id is a guess: report "und"
SAMPLE_CHARS = 2000  # py3langid is as accurate on the first 2,000 characters and faster
_lock = threading.Lock()
_identifier = None


def _get():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                _identifier = _load_cached() or _load_shipped()
    return _identifier


def _load_shipped():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


CACHE_LAYOUT = 2  # 2: content-named directories, files written a page at a time (see _save_pagewise)
_LEGACY_DIR = re.compile(r"langid-\d+-\d+")  # layout 1: one directory per installed file's size and mtime


def _cache_paths():
    """py3langid's model file, the cache directory, and the name this installed file is looked up by."""
    import os
    from pathlib import Path

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    src = Path(MODEL_DIR) / MODEL_FILE
    st = src.stat()
    base = os.environ.get("SCORER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "scorer")
    return src, Path(base), f"langid-{st.st_size}-{int(st.st_mtime)}"


_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _copy_pagewise(stream, path) -> None:
    """Copy ``stream`` to ``path`` one memory page at a time.

    The kernel keeps a file in the page cache in the sizes it was written in (ext4 with large
    folios, Linux 6.x), and a process that touches one byte of a memory-mapped file is charged
    for the whole block it lies in. Written in one large write (as ``np.save`` does), the tables
    cost each worker ~22 MB more resident memory (measured: 161 vs 138 MB a worker, 421 vs
    376 MB for ``score --jobs 2`` on 4,000 documents; ``/tmp/membreak.py``, session 9); written
    a page at a time, as much as a cache read back from disk.
    """
    import mmap

    with open(path, "wb", buffering=0) as fh:
        while chunk := stream.read(mmap.PAGESIZE):
            fh.write(chunk)


def _build_cache(src, base, key):
    """Unpack the model into ``base/langid-v2-<sha256 of the model file>`` (once per model,
    whatever the number of virtual environments that install it) and point ``base/key`` at it."""
    import hashlib
    import lzma
    import os
    import shutil
    import tempfile
    import zipfile

    sha = hashlib.sha256()
    with open(src, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    digest = sha.hexdigest()[:16]
    target = base / f"langid-v{CACHE_LAYOUT}-{digest}"
    base.mkdir(parents=True, exist_ok=True)
    if not (target / "out_feat.npy").is_file():
        tmp = tempfile.mkdtemp(prefix=".langid.", dir=base)
        try:
            # the model is an .npz (a zip of .npy files) compressed with xz: unpacked to a
            # temporary file, then each array's .npy copied out as it is (read back with
            # allow_pickle=False, so only plain arrays load)
            with tempfile.TemporaryFile(suffix=".npz") as npz:
                with lzma.open(src) as xz:
                    shutil.copyfileobj(xz, npz, length=1 << 20)
                npz.seek(0)
                with zipfile.ZipFile(npz) as zf:
                    for name in _ARRAYS:
                        with zf.open(f"{name}.npy") as member:
                            _copy_pagewise(member, os.path.join(tmp, f"{name}.npy"))
            try:
                os.replace(tmp, target)
            except OSError:  # another process made it first
                pass
        finally:
            if os.path.isdir(tmp):
                shutil.rmtree(tmp, ignore_errors=True)
    link = base / key
    tmp_link = base / f".{key}.{os.getpid()}"
    os.symlink(target.name, tmp_link)
    try:
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link, ignore_errors=True)
        os.replace(tmp_link, link)
    finally:
        if tmp_link.is_symlink():
            tmp_link.unlink()
    _prune(base)
    return link


def _prune(base) -> None:
    """Remove the layout-1 directories (one 66 MB copy per installation of py3langid: they piled
    up with every new virtual environment) and links whose directory is gone."""
    import shutil

    for entry in base.iterdir():
        if entry.is_symlink():
            if not entry.exists():
                entry.unlink(missing_ok=True)
        elif entry.is_dir() and _LEGACY_DIR.fullmatch(entry.name):
            shutil.rmtree(entry, ignore_errors=True)


def _load_cached():
    """py3langid ships its model LZMA-compressed: decompressing it took ~1 s on every start.

    The arrays are decompressed once into the user cache (``$SCORER_CACHE_DIR`` or
    ``~/.cache/scorer``, one .npy file each, ~68 MB, in a directory named by the model file's
    hash, so virtual environments with the same py3langid share it) and loaded from there with
    ``allow_pickle=False`` (plain arrays, no code); the large probability and transition
    tables are memory-mapped, so worker processes share them. Any problem (unwritable cache, other
    py3langid layout) falls back to the shipped loader, so results never depend on the cache.
    """
    try:
        import numpy as np
        from py3langid.langid import LanguageIdentifier
        from py3langid.modelio import _TYPECODE, _to_array

        src, base, key = _cache_paths()
        cache = base / key
        if not (cache / "out_feat.npy").is_file() or not cache.is_symlink():
            cache = _build_cache(src, base, key)

        def load(name, mmap=None):
            return np.load(cache / f"{name}.npy", allow_pickle=False, mmap_mode=mmap)

        # the tokenizer's transition table (39 MB) stays memory-mapped too: a memoryview of
        # the mapping indexes like the array.array py3langid builds, without a private copy
        # in every process
        nextmove = load("nextmove", "r")
        nextmove = memoryview(nextmove).cast("B").cast(_TYPECODE[nextmove.dtype.itemsize])
        return LanguageIdentifier(
            load("ptc", "r"), load("pc"), load("classes").tolist(), nextmove,
            load("out_feat").tolist(), norm_probs=False, tk_row=_to_array(load("nextmove_row")))
    except Exception:  # noqa: BLE001 - any failure: the shipped loader decides
        return None


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("fr", "en", ...), or "und" when there is too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return "und"
    lang, _prob = _get().classify(sample)
    return lang
