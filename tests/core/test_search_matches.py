"""Where the words are (domain/search_matches.py): the field, a snippet with the hit marked, the
time of a cue or chapter and the page of a document."""

from __future__ import annotations

from mediadesk.domain.query import Query
from mediadesk.domain.search_matches import find_matches
from mediadesk.domain.timed_text import Chapter, Cue, TextTrack, TrackKind

TRACK = TextTrack([Cue(1.0, 4.0, "First of all, thank you so much, Mr President"),
                   Cue(151.0, 154.0, "We'll also discuss defence"),
                   Cue(154.0, 157.0, "production, because we need to produce more weaponry"),
                   Cue(200.0, 203.0, "kill the red tape in DEFENCE procurement")], language="en")
TRANSCRIPT = TextTrack([Cue(151.0, 165.0, "We’ll also discuss defence production")], language="en",
                       kind=TrackKind.TRANSCRIPT)
CHAPTERS = [Chapter(0.0, 252.0, "Opening remarks"), Chapter(252.0, 570.0, "Q&A")]


def _json(query: Query, **words):
    return [m.to_json() for m in find_matches(query, **words)]


def test_a_phrase_across_two_cues_is_found_where_it_starts():
    assert _json(Query(text=("defence production",)), tracks=[TRACK]) == [
        {"field": "subtitles", "snippet": "We'll also discuss **defence**", "start": 151.0, "end": 154.0,
         "language": "en"}]


def test_prefix_words_in_cues_come_in_time_order_with_the_language():
    found = find_matches(Query(text=("defen",)), tracks=[TRACK, TRANSCRIPT])
    assert [(m.field, m.start) for m in found] == [("subtitles", 151.0), ("transcript", 151.0),
                                                   ("subtitles", 200.0)]
    assert found[2].snippet == "kill the red tape in **DEFENCE** procurement"


def test_chapter_filter_only_looks_at_chapter_names():
    found = find_matches(Query(fields=(("chapters", "Q&A"),)), tracks=[TRACK], chapters=CHAPTERS)
    assert [(m.field, m.start, m.end, m.snippet) for m in found] == [("chapter", 252.0, 570.0, "**Q**&**A**")]


def test_document_pages_give_page_numbers_and_a_short_snippet():
    pages = ["Source: NATO\nOn Wednesday the Secretary General said many things about many other things " * 3,
             "We need to ramp up defence production and kill the red tape."]
    found = find_matches(Query(text=("kill the red tape",)), pages=pages)
    assert [m.to_json() for m in found] == [{"field": "text", "page": 2, "start": None, "end": None,
                                             "snippet": "We need to ramp up defence production and **kill the "
                                                        "red tape**."}]
    assert find_matches(Query(text=("said",)), pages=pages[:1])[0].page is None   # one page: no number
    assert find_matches(Query(text=("said",)), pages=pages[:1], paged=True)[0].page == 1   # a 1-page PDF
    assert find_matches(Query(text=("kill",)), pages=pages, paged=False)[0].page is None  # text, not pages


def test_limit_and_no_words():
    assert len(find_matches(Query(text=("the",)), tracks=[TRACK], pages=["the " * 50], limit=3)) == 3
    assert find_matches(Query(kind="video"), tracks=[TRACK]) == []
