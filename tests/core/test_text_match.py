"""The Python matcher (domain/text_match.py) finds what the catalog's FTS5 index finds: same
tokens, case, diacritics, NFC/NFD, prefixes and phrases (checked against SQLite itself)."""

from __future__ import annotations

import sqlite3
import unicodedata

from hypothesis import given, settings, strategies as st

from mediadesk.catalog.dialect.sqlite_fts import FTS5
from mediadesk.domain.query import Query
from mediadesk.domain.text_match import Matcher, snippet, terms_of

LETTERS = "aceilnoszdADEŁłČčĘęÓóŚśŽžÉéİıßøØđ0123"
TEXT = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=6), min_size=1, max_size=8).map(
    lambda words: ", ".join(words))
ITEM = st.one_of(st.text(alphabet=LETTERS, min_size=1, max_size=4),
                 st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=4), min_size=2, max_size=3).map(
                     lambda ws: " ".join(ws)))


def _fts_finds(text: str, items: tuple[str, ...]) -> bool:
    conn = sqlite3.connect(":memory:")
    conn.execute('CREATE VIRTUAL TABLE t USING fts5(x, tokenize="unicode61 remove_diacritics 2")')
    conn.execute("INSERT INTO t VALUES (?)", (text,))
    expression = FTS5.compile(Query(text=items))
    if expression is None:
        return False
    return conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()[0] == 1


def _matcher_finds(text: str, items: tuple[str, ...]) -> bool:
    terms = terms_of(items)
    return bool(terms) and all(Matcher([t]).spans(text) for t in terms)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(ITEM, min_size=1, max_size=2).map(tuple), st.booleans())
def test_matcher_agrees_with_fts5(text, items, nfd):
    if nfd:
        text = unicodedata.normalize("NFD", text)
    assert _matcher_finds(text, items) == _fts_finds(text, items), (text, items)


def test_spans_point_into_the_original_text():
    text = "Mr Aleksandar Vučić spoke of DEFENCE, production and Łódź; also İstanbul. defence productions"
    matcher = Matcher(terms_of(["vucic", "defence production", "łodz", "istan"]))
    for form in ("NFC", "NFD"):
        t = unicodedata.normalize(form, text)
        assert [unicodedata.normalize("NFC", t[a:b]) for a, b in matcher.spans(t)] == [
            "Vučić", "DEFENCE, production", "Łódź", "İstanbul"]


def test_snippet_marks_every_hit_in_its_window():
    text = "Mr Aleksandar Vučić spoke of DEFENCE, production and Łódź; also İstanbul. defence productions"
    spans = Matcher(terms_of(["vucic", "defence production", "łodz"])).spans(text)
    assert snippet(text, *spans[1], spans=spans, context=20) == \
        "...**Vučić** spoke of **DEFENCE, production** and **Łódź**; also..."
    assert snippet(text, *spans[0], context=500).startswith("Mr Aleksandar **Vučić** spoke")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=6), min_size=2, max_size=8), st.data())
def test_matcher_agrees_with_fts5_on_words_taken_from_the_text(words, data):
    """Items cut from the text itself (prefixes, neighbours as phrases), so most of them match."""
    text = " - ".join(words)
    i = data.draw(st.integers(0, len(words) - 2))
    item = data.draw(st.sampled_from([words[i][:2], words[i], f"{words[i]} {words[i + 1]}",
                                      f"{words[i][:1]} {words[i + 1]}"]))
    if data.draw(st.booleans()):
        item = unicodedata.normalize("NFD", item.upper())
    assert _matcher_finds(text, (item,)) == _fts_finds(text, (item,)), (text, item)
