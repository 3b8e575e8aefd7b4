"""Text that is safe to show on a terminal: control characters made visible, never obeyed.

File names, captions, zip member names and error messages come from files anyone could have
made. Printed raw, an ESC sequence in them can move the cursor, recolour or erase lines, set the
window title, or make a terminal show a forged "OK ... rights notes match"; a carriage return or a
newline can overwrite or fake a line; a right-to-left override (U+202E) can turn ``gpj.exe`` into
``exe.jpg``. :func:`for_terminal` shows every such character as a visible escape (``\\x1b``,
``\\n``, ``\\u202e``) so the text reads for what it is. It is the one function the command line,
its progress line and the log formatter print through (see ``cli/common.py`` ``say``).

Escaped: C0 controls, DEL, C1 controls, lone surrogates (the bytes of a file name that is not
UTF-8, shown as ``\\xNN``), line and paragraph separators (U+2028, U+2029), and every Unicode
format character (category Cf: bidi embeddings, overrides and isolates, zero-width space, word
joiner, BOM, invisible tags) except the zero-width joiner and non-joiner, which emoji sequences and
Persian and Indic spelling need and which cannot reorder or hide text. ``tests/attacks/
test_terminal_escaping.py`` checks the list against the running Python's Unicode database.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sys
from collections.abc import Iterator

# Unicode 14 (Python 3.11): Cf without U+200C/U+200D, plus Zl and Zp.
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
           "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
           "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
           "\U000e0020-\U000e007f")
_CLASSES = {
    "unsafe": f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_FORMAT}]",
    "unsafe keep lines": f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_FORMAT}]",
    # the same sets within ASCII (str.isascii() is a quick test; a class of a few ranges is
    # matched several times faster than the full one)
    "unsafe ascii": "[\x00-\x1f\x7f]",
    "unsafe keep lines ascii": "[\x00-\x08\x0b-\x1f\x7f]",
    # JSON output: json.dumps escapes C0 and quotes already; these are the rest, written as \\u
    # escapes that decode back to the very same string (they occur only inside JSON strings)
    "json": f"[\x7f-\x9f\ud800-\udfff{_FORMAT}]",
}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    """The class ``name`` of :data:`_CLASSES`, compiled when first used: compiling them all costs
    every start of the command line a millisecond or two, and most runs need one or none."""
    return re.compile(_CLASSES[name])


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named:
        return named
    cp = ord(ch)
    if 0xDC80 <= cp <= 0xDCFF:          # a byte of a non-UTF-8 name (surrogateescape)
        return f"\\x{cp - 0xDC00:02x}"
    if cp <= 0xFF:
        return f"\\x{cp:02x}"
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def for_terminal(text: object) -> str:
    """``text`` as one line that a terminal shows literally (newlines and tabs escaped too)."""
    text = text if isinstance(text, str) else str(text)
    return _pattern("unsafe ascii" if text.isascii() else "unsafe").sub(_escape, text)


def for_terminal_lines(text: object) -> str:
    """Like :func:`for_terminal` but keeps newlines and tabs (multi-line text the program made,
    e.g. a log record with its traceback)."""
    text = text if isinstance(text, str) else str(text)
    return _pattern("unsafe keep lines ascii" if text.isascii() else "unsafe keep lines").sub(_escape, text)


def has_unsafe(text: str) -> bool:
    """True when ``text`` holds a character :func:`for_terminal` would escape."""
    return _pattern("unsafe").search(text) is not None


def _json_escape(match: re.Match[str]) -> str:
    cp = ord(match.group())
    if cp <= 0xFFFF:
        return f"\\u{cp:04x}"
    cp -= 0x10000
    return f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}"


def json_for_terminal(json_text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with DEL, C1, lone surrogates and
    format characters written as ``\\uXXXX`` escapes: the same data, nothing a terminal obeys."""
    if json_text.isascii() and "\x7f" not in json_text:   # (within ASCII only DEL is in the set)
        return json_text
    return _pattern("json").sub(_json_escape, json_text)


class TerminalSafeStream:
    """A text stream that escapes control characters (keeping newlines and tabs) in everything
    written through it: the command line's last line of defence, for text that does not go
    through ``say`` (argparse messages, warnings, a log handler on stderr). ``unguarded`` is the
    stream underneath, for the progress line's carriage return."""

    def __init__(self, stream) -> None:
        self.unguarded = stream

    def write(self, text: str) -> int:
        self.unguarded.write(for_terminal_lines(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.unguarded, name)


@contextlib.contextmanager
def guarded_output() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` wrapped in :class:`TerminalSafeStream` for the block."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (s if s is None or isinstance(s, TerminalSafeStream)
                              else TerminalSafeStream(s) for s in saved)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
