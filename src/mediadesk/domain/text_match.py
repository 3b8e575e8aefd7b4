"""Where a search's words are in a text: the same rules as the catalog's full-text index, in
Python, so that every engine's hits can be shown the same way (the preview marks them, ``search
--json`` reports them as ``matches``, the CLI prints them with their time).

The rules of SQLite FTS5's ``unicode61 remove_diacritics 2`` tokenizer, which the catalog uses:
a token is a run of letters and digits; case is folded; a letter's diacritics are removed when
Unicode decomposes it (``č`` -> ``c``, ``ę`` -> ``e``; ``ł``, ``ø`` and ``đ`` are letters of
their own, as in the index); NFC and NFD spellings are the same text. A free-text word matches
the start of a token (``prod`` finds "production"); a quoted phrase matches its tokens one after
another with anything but letters and digits between them. A one-character word is a whole word
("Q&A" is the words q and a).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case, canonical decomposition, combining marks removed."""
    return _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))


@dataclass(frozen=True)
class Term:
    """One searched item: a word (matched as a prefix) or a phrase (exact tokens in order)."""

    tokens: tuple[str, ...]     # folded
    prefix: bool

    @classmethod
    def parse(cls, item: str, *, phrase: bool | None = None) -> Term | None:
        """A query item as the search reads it: several words with a space between them are a
        phrase (``"defence production"``), one word a prefix. None when it has no letter or digit."""
        item = unicodedata.normalize("NFC", item)
        words = [fold(w) for w in _WORD.findall(item)]
        words = [w for w in words if w]
        if not words:
            return None
        is_phrase = phrase if phrase is not None else (" " in item.strip() and len(words) > 1)
        if not is_phrase and len(words) > 1:
            return None   # several prefix words: the caller splits them (see terms_of)
        # a single letter or digit is a word of its own, not the start of every word
        return cls(tuple(words), prefix=not is_phrase and len(words[0]) > 1)

    def pattern(self) -> str:
        body = r"[\W_]+".join(re.escape(t) for t in self.tokens)
        tail = r"[^\W_]*" if self.prefix else r"(?![^\W_])"
        return r"(?<![^\W_])" + body + tail


def terms_of(items: tuple[str, ...] | list[str]) -> list[Term]:
    """The terms of a query's free text (``Query.text``): a phrase stays whole, other words are
    each a prefix term (as ``catalog/search.py`` compiles them)."""
    terms: list[Term] = []
    for item in items:
        item = unicodedata.normalize("NFC", item)
        words = _WORD.findall(item)
        if not words:
            continue
        if " " in item.strip() and len(words) > 1:
            term = Term.parse(item, phrase=True)
            if term:
                terms.append(term)
        else:
            terms.extend(t for w in words if (t := Term.parse(w, phrase=False)))
    return terms


class Matcher:
    """Finds the terms in texts: ``spans(text)`` -> sorted, non-overlapping (start, end) offsets
    into ``text`` itself."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self._regex = re.compile("|".join(f"(?:{t.pattern()})" for t in terms)) if terms else None

    def __bool__(self) -> bool:
        return self._regex is not None

    def spans(self, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        if self._regex is None or not text:
            return []
        folded, back = _folded_with_map(text)
        if not any(t.tokens[0] in folded for t in self.terms):
            return []   # no term's first word anywhere: the regex need not look
        found: list[tuple[int, int]] = []
        for m in self._regex.finditer(folded):
            if m.end() == m.start():
                continue
            start, end = back(m.start()), back(m.end())
            if found and start < found[-1][1]:
                continue
            found.append((start, end))
            if limit is not None and len(found) >= limit:
                break
        return found


def _same(i: int) -> int:
    return i


def _folded_with_map(text: str) -> tuple[str, Callable[[int], int]]:
    """(folded text, a function from folded offsets to offsets in ``text``). Fast paths: ASCII
    text only needs its case folded; folding that kept the length (every character to one
    character) keeps the offsets."""
    if text.isascii():
        return text.lower(), _same
    folded = fold(text)
    if len(folded) == len(text):
        return folded, _same
    starts: list[int] = []          # folded offset -> original offset
    pieces: list[str] = []
    for i, ch in enumerate(text):
        piece = fold(ch)
        pieces.append(piece)
        starts.extend([i] * len(piece))
    folded = "".join(pieces)
    starts.append(len(text))

    def back(offset: int) -> int:
        return starts[offset] if offset < len(starts) else len(text)

    return folded, back


def snippet(text: str, start: int, end: int, *, context: int = 60, mark: tuple[str, str] = ("**", "**"),
            spans: list[tuple[int, int]] | None = None) -> str:
    """``...words before **the hit** words after...`` on one line: about ``context`` characters
    each side, cut at word boundaries; every span of ``spans`` inside the window is marked too."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0:   # start at a word: the first space in the window before the hit
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    marks = [(s, e) for s, e in (spans or [(start, end)]) if s >= left and e <= right] or [(start, end)]
    out: list[str] = ["..." if left > 0 else ""]
    at = left
    for s, e in marks:
        out += [text[at:s], mark[0], text[s:e], mark[1]]
        at = e
    out.append(text[at:right])
    out.append("..." if right < len(text) else "")
    return " ".join("".join(out).split())
