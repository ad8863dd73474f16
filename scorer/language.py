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


def _cache_file():
    import os
    from pathlib import Path

    from py3langid.langid import MODEL_DIR, MODEL_FILE

    src = Path(MODEL_DIR) / MODEL_FILE
    st = src.stat()
    base = os.environ.get("SCORER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "scorer")
    return src, Path(base) / f"langid-{st.st_size}-{int(st.st_mtime)}.npz"


def _load_cached():
    """py3langid ships its model LZMA-compressed: decompressing it took ~1 s on every start.

    The decompressed .npz is kept in the user cache (``$SCORER_CACHE_DIR`` or
    ``~/.cache/scorer``) and loaded from there with ``allow_pickle=False`` (plain arrays, no
    code). Any problem (unwritable cache, other py3langid layout) falls back to the shipped
    loader, so the results never depend on the cache.
    """
    try:
        import lzma
        import os
        import shutil
        import tempfile

        import numpy as np
        from py3langid.langid import LanguageIdentifier
        from py3langid.modelio import _to_array

        src, cache = _cache_file()
        if not cache.is_file():
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".langid.", suffix=".tmp", dir=cache.parent)
            try:
                with os.fdopen(fd, "wb") as out, lzma.open(src) as xz:
                    shutil.copyfileobj(xz, out, length=1 << 20)
                os.replace(tmp, cache)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        with np.load(cache, allow_pickle=False) as data:
            return LanguageIdentifier(
                np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                _to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=False,
                tk_row=_to_array(data["nextmove_row"]))
    except Exception:  # noqa: BLE001 - any failure: the shipped loader decides
        return None


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("fr", "en", ...), or "und" when there is too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return "und"
    lang, _prob = _get().classify(sample)
    return lang
