"""Language identification with py3langid (loaded once, lazily)."""
from __future__ import annotations

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


def _cache_dir():
    import os
    from pathlib import Path

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    src = Path(MODEL_DIR) / MODEL_FILE
    st = src.stat()
    base = os.environ.get("SCORER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "scorer")
    return src, Path(base) / f"langid-{st.st_size}-{int(st.st_mtime)}"


_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _load_cached():
    """py3langid ships its model LZMA-compressed: decompressing it took ~1 s on every start.

    The arrays are decompressed once into the user cache (``$SCORER_CACHE_DIR`` or
    ``~/.cache/scorer``, one .npy file each, ~68 MB) and loaded from there with
    ``allow_pickle=False`` (plain arrays, no code); the large probability and transition
    tables are memory-mapped, so worker processes share them. Any problem (unwritable cache, other
    py3langid layout) falls back to the shipped loader, so results never depend on the cache.
    """
    try:
        import lzma
        import os
        import shutil
        import tempfile

        import numpy as np
        from py3langid.langid import LanguageIdentifier
        from py3langid.modelio import _to_array

        src, cache = _cache_dir()
        if not (cache / "out_feat.npy").is_file():
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = tempfile.mkdtemp(prefix=".langid.", dir=cache.parent)
            try:
                with tempfile.TemporaryFile(suffix=".npz") as npz:
                    with lzma.open(src) as xz:
                        shutil.copyfileobj(xz, npz, length=1 << 20)
                    npz.seek(0)
                    with np.load(npz, allow_pickle=False) as data:
                        for name in _ARRAYS:
                            np.save(os.path.join(tmp, f"{name}.npy"), data[name], allow_pickle=False)
                try:
                    os.replace(tmp, cache)
                except OSError:  # another process made it first
                    pass
            finally:
                if os.path.isdir(tmp):
                    shutil.rmtree(tmp, ignore_errors=True)

        from py3langid.modelio import _TYPECODE

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
