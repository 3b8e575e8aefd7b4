"""The language of a text, when its metadata does not say: Google's Compact Language Detector 2
(pycld2; C++, in process, offline; ~0.1 ms for a page; 80+ languages).

Only a reliable answer on enough text is taken (a short text or a mix says nothing rather than
something wrong).
"""

from __future__ import annotations

import pycld2

from mediadesk.domain.languages import normalise_language

_SAMPLE_CHARS = 20_000
_MIN_CHARS = 40


def detect_language(text: str) -> str | None:
    """ISO 639-1 code (``en``, ``pl``) of the text's main language, or None when unsure."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if len(sample) < _MIN_CHARS:
        return None
    try:
        reliable, _bytes, details = pycld2.detect(sample.encode("utf-8", errors="ignore"),
                                                  isPlainText=True)
    except pycld2.error:
        return None
    if not reliable or not details:
        return None
    _name, code, percent, _score = details[0]
    if percent < 50:
        return None
    return normalise_language(code)
