"""Language identification with py3langid (loaded once, lazily)."""
from __future__ import annotations

import re
import threading

__all__ = ["detect_language", "MIN_CHARS"]

MIN_CHARS = 20  # below this, language id is a guess: report "und"
SAMPLE_CHARS = 2000  # py3langid is as accurate on the first 2,000 characters and faster
_lock = threading.Lock()
_identifier = None
# The labels of py3langid's model that are not two-letter ISO 639-1 codes (checked against the
# model in tests/test_language.py): a record's "language" can be one of these, "und", or a
# two-letter code.
THREE_LETTER_CODES = frozenset("ace ary arz bcl crh ext fuv gcf gcr gom grc gug guw hbo kab kik lij ltg nso pcm "
                               "sdh uzs vec wuu yue zxx".split())


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
    return src, Path(os.path.abspath(os.path.expanduser(base))), f"langid-{st.st_size}-{int(st.st_mtime)}"


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


def _build_cache(src, base, key, force: bool = False):
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
    if force or not _complete(target):
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
            _write_complete(tmp)
            if force or not _complete(target):  # (another process may have made it meanwhile)
                if target.exists() or target.is_symlink():  # a damaged copy
                    _remove(target)
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
        if _ours(link):  # a layout-1 directory under this name
            _remove(link)
        os.replace(tmp_link, link)
    finally:
        if tmp_link.is_symlink():
            tmp_link.unlink()
    _prune(base, keep=target.name)
    return link


STALE_SECONDS = 30 * 86400  # another model's copy unused this long is removed (a py3langid upgrade)
TEMP_SECONDS = 3600  # an unpacking left this long ago was interrupted (the build takes ~1 s)
_OUR_FILES = frozenset(f"{name}.npy" for name in _ARRAYS) | {"complete.json"}


def _remove(path) -> None:
    import shutil

    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _ours(path) -> bool:
    """A directory holding only the files this module writes (so nothing else is ever deleted)."""
    try:
        return path.is_dir() and not path.is_symlink() and {p.name for p in path.iterdir()} <= _OUR_FILES
    except OSError:
        return False


def _prune(base, keep) -> None:
    """Remove this module's leftovers: layout-1 copies (one 66 MB directory per installation of
    py3langid; they piled up with every new virtual environment), links of its own naming whose
    directory is gone, unpackings interrupted over an hour ago, and another model's copy not
    rebuilt for 30 days. Entries of other names, or holding other files, are left alone."""
    import time

    now = time.time()
    for entry in base.iterdir():
        name = entry.name
        try:
            if entry.is_symlink():
                if _LEGACY_DIR.fullmatch(name) and not entry.exists():
                    entry.unlink(missing_ok=True)
            elif _LEGACY_DIR.fullmatch(name) and _ours(entry):
                _remove(entry)
            elif name.startswith(".langid.") and _ours(entry) and now - entry.stat().st_mtime > TEMP_SECONDS:
                _remove(entry)
            elif (name.startswith("langid-v") and name != keep and _ours(entry)
                  and now - entry.stat().st_mtime > STALE_SECONDS):
                _remove(entry)
        except OSError:
            continue


def _write_complete(directory) -> None:
    """Record the sizes of the unpacked files, written last: a directory without it, or whose
    files have other sizes (a crash, a full disk, a truncation), is rebuilt."""
    import json
    import os

    sizes = {f"{name}.npy": os.path.getsize(os.path.join(directory, f"{name}.npy")) for name in _ARRAYS}
    with open(os.path.join(directory, "complete.json"), "w", encoding="utf-8") as fh:
        json.dump(sizes, fh)


def _complete(directory) -> bool:
    import json

    try:
        sizes = json.loads((directory / "complete.json").read_text("utf-8"))
        return (set(sizes) == {f"{name}.npy" for name in _ARRAYS}
                and all((directory / name).stat().st_size == size for name, size in sizes.items()))
    except (OSError, ValueError, TypeError, AttributeError):
        return False


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
        src, base, key = _cache_paths()
        cache = base / key
        if not cache.is_symlink() or not _complete(cache):
            cache = _build_cache(src, base, key)
            if not _complete(cache):
                return None  # could not be written (read-only, full disk): the shipped loader
        try:
            return _from_cache(cache)
        except Exception:  # noqa: BLE001 - a damaged copy of the right size: rebuilt once
            cache = _build_cache(src, base, key, force=True)
            return _from_cache(cache) if _complete(cache) else None
    except Exception:  # noqa: BLE001 - any failure: the shipped loader decides
        return None


def _from_cache(cache):
    """The identifier on the unpacked arrays (the two large tables memory-mapped)."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier
    from py3langid.modelio import _TYPECODE, _to_array

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


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("fr", "en", ...; py3langid also has a few three-letter codes, "ext", "yue"), or "und" when there is too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return "und"
    lang, _prob = _get().classify(sample)
    return lang
