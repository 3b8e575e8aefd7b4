"""File names inside an export bundle: patterns, sanitising, and uniqueness.

A pattern such as ``{date}_{gallery}_{seq}`` names each exported file. The values come from
captions, titles and gallery names that anyone could have typed, so every value is sanitised
before it becomes part of a name: no path separators, no ``..``, no control or invisible
formatting characters (a right-to-left override can disguise ``gpj.exe`` as ``exe.jpg``), no
characters Windows refuses, Unicode NFC, and a length cap in UTF-8 bytes. Names are unique
case-insensitively, so a bundle unpacks the same on macOS and Windows.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping

from mediadesk.domain.errors import InvalidInput

VARIABLES = ("date", "gallery", "seq", "title", "id", "original", "ext")
DEFAULT_PATTERN = "{original}"
RESERVED_NAMES = frozenset({"rights.txt", "manifest.json", "manifest.csv", "ledger.json"})
MAX_STEM_BYTES = 150          # + extension, "-NN" and ".xmp" stays far below 255 bytes
MAX_VALUE_BYTES = 80          # one variable's share of the name

_WINDOWS_BAD = set('<>:"/\\|?*')
# Windows reserves these names with any extension, also with the superscript digits ¹ ² ³
# (COM¹, LPT²) and with spaces before the dot ("CON .txt" opens the console).
_SUPERSCRIPTS = str.maketrans({"¹": "1", "²": "2", "³": "3"})
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"} | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)


def is_device_name(stem: str) -> bool:
    """True when Windows would take a file with this name (any extension) for a device."""
    base = stem.split(".")[0].translate(_SUPERSCRIPTS).rstrip(" ").casefold()
    return base in _WINDOWS_DEVICES


def validate_pattern(pattern: str) -> str:
    """The pattern, stripped; InvalidInput when it is empty, unbalanced or names an unknown variable."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise InvalidInput("the file-name pattern is empty; try {original} or {date}_{gallery}_{seq}")
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise InvalidInput(f"file-name pattern {pattern!r} is not valid ({exc}); "
                           "write variables as {name}") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in VARIABLES or spec or conversion:
            raise InvalidInput(f"file-name pattern {pattern!r}: unknown variable {{{name}}}; "
                               f"use {', '.join('{' + v + '}' for v in VARIABLES)}")
    return pattern


def _cut_utf8(text: str, limit: int) -> str:
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", errors="ignore")


def clean_component(text: str, max_bytes: int = MAX_VALUE_BYTES) -> str:
    """``text`` made safe to be part of one file name (may return "")."""
    text = unicodedata.normalize("NFC", str(text or ""))
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in _WINDOWS_BAD:
            out.append("_")
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    text = "".join(out)
    text = re.sub(r"\s+", " ", text)          # tabs, newlines, no-break spaces -> one space
    text = re.sub(r"\.{2,}", ".", text)      # no ".." anywhere
    text = re.sub(r"_{2,}", "_", text)
    text = text.strip(" ._-")
    return _cut_utf8(text, max_bytes).strip(" ._-")


def finish_name(stem: str, ext: str, fallback: str) -> str:
    """``stem`` + ``.ext`` after a last cleaning of the whole stem; ``fallback`` when empty."""
    stem = clean_component(stem, MAX_STEM_BYTES) or clean_component(fallback, MAX_STEM_BYTES) or "file"
    if is_device_name(stem):
        stem = "_" + stem
    ext = clean_component(ext.lstrip("."), 16).replace(" ", "").lower()
    return f"{stem}.{ext}" if ext else stem


def render_name(pattern: str, values: Mapping[str, object], ext: str, fallback: str) -> str:
    """The file name ``pattern`` gives with ``values`` (each sanitised), ending in ``.ext``."""
    pattern = validate_pattern(pattern)
    cleaned = {k: clean_component(str(values.get(k) or "")) for k in VARIABLES}
    cleaned["ext"] = clean_component(ext.lstrip("."), 16).lower()
    stem = pattern.format(**cleaned)
    if cleaned["ext"] and stem.lower().endswith("." + cleaned["ext"]):
        stem = stem[: -len(cleaned["ext"]) - 1]
    return finish_name(stem, ext, fallback)


class NameAllocator:
    """Hands out names unique within one bundle, comparing case-insensitively after NFC."""

    def __init__(self) -> None:
        self._taken: set[str] = set(RESERVED_NAMES)

    @staticmethod
    def _key(name: str) -> str:
        return unicodedata.normalize("NFC", name).casefold()

    def taken(self, name: str) -> bool:
        return self._key(name) in self._taken

    def claim(self, name: str, *, also: tuple[str, ...] = ()) -> str:
        """``name``, or ``name-2``, ``name-3``... so that it and ``name + suffix`` for each
        suffix in ``also`` (e.g. ".xmp" for a sidecar) are all free; reserves them."""
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate = name
        n = 1
        while self.taken(candidate) or any(self.taken(candidate + s) for s in also):
            n += 1
            candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        self._taken.add(self._key(candidate))
        for suffix in also:
            self._taken.add(self._key(candidate + suffix))
        return candidate
