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
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    return _identifier


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("fr", "en", ...), or "und" when there is too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return "und"
    lang, _prob = _get().classify(sample)
    return lang
