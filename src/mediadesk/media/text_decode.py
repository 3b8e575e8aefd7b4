"""Bytes of a text file (subtitles, plain text, Markdown) to clean text, and what was guessed.

Subtitle files come from every kind of tool: UTF-8 with or without a byte-order mark, UTF-16
from Windows editors, Windows-1250/1252 from old ones. A BOM decides; else valid UTF-8 is UTF-8;
else a file with NUL bytes in every other place is UTF-16; else Windows-1252 (the usual Western
case) unless the bytes hold Central European letters that only make sense as Windows-1250
(``ł``, ``ś``, ``ż``, ``č`` ...), with a warning that says what was assumed.

Control characters other than tab and newline are removed (they would reach a terminal or the
window raw); line ends become ``\\n``.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\u2028\u2029]")
# bytes that are letters in Windows-1250 (Polish, Czech, Croatian...) but symbols in Windows-1252
_CP1250_LETTERS = frozenset(b"\x8c\x8d\x8f\x9c\x9d\x9f\xa3\xa5\xb3\xb9\xbc\xbe")


def clean_text(text: str) -> str:
    """Line ends to ``\\n``, control and invisible characters out, NFC left to the caller."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.4 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.4 and odd < half * 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). Never raises: undecodable bytes become U+FFFD with a warning."""
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            if "\ufffd" in text:
                warnings.append(f"some bytes are not valid {encoding.upper()} (shown as \ufffd)")
            return clean_text(text), encoding, warnings
    try:
        return clean_text(data.decode("utf-8")), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    utf16 = _looks_utf16(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        warnings.append(f"no byte-order mark; read as {utf16.upper()}")
        return clean_text(text), utf16, warnings
    encoding = "cp1250" if any(b in _CP1250_LETTERS for b in data) else "cp1252"
    text = data.decode(encoding, errors="replace")
    name = "Windows-1250 (Central European)" if encoding == "cp1250" else "Windows-1252 (Western)"
    warnings.append(f"not UTF-8; read as {name}: check the letters with accents, and save the "
                    "file as UTF-8 if they are wrong")
    return clean_text(text), encoding, warnings
