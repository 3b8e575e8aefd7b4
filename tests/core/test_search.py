from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.catalog.search import FTS_DRIVE_MAX
from mediadesk.domain.query import parse_query

from tests.support.factories import insert, record


def ids(catalog, text, **kw):
    return set(catalog.index.ids(parse_query(text), **kw))


def test_parse_filters_and_phrases():
    q = parse_query('rutte kind:video gallery:"President of Poland visits NATO" people:duda '
                    'date:2025-03-01..2025-03-31 rights:editorial missing:caption "press conference"')
    assert q.text == ("rutte", "press conference")
    assert q.kind == "video"
    assert q.galleries == ("President of Poland visits NATO",)
    assert q.fields == (("people", "duda"),)
    assert (q.date_from, q.date_to) == ("2025-03-01", "2025-03-31")
    assert q.rights == "editorial"
    assert q.missing == ("caption",)
    assert not q.errors


def test_parse_reports_bad_filters_and_tolerates_open_quote():
    q = parse_query("kind:spaceship date:yesterday")
    assert len(q.errors) == 2 and "kind:spaceship" in q.errors[0]
    assert parse_query('gallery:"President of').galleries == ("President of",)
    assert parse_query("").is_empty


def test_free_text_prefix_and_diacritics(catalog):
    a = insert(catalog, caption="NATO Secretary General Mark Rutte with Andrzej Duda")
    b = insert(catalog, caption="Aleksandar Vučić in Brussels", city="Brussels")
    c = insert(catalog, title="Military Committee", file_name="stockholm.jpg", path="/x/stockholm.jpg")
    assert ids(catalog, "rutte") == {a}
    assert ids(catalog, "rut") == {a}
    assert ids(catalog, "vucic") == {b}
    assert ids(catalog, "brussels") == {b}
    assert ids(catalog, "stockholm") == {c}
    assert ids(catalog, "rutte duda") == {a}
    assert ids(catalog, "rutte vucic") == set()
    assert ids(catalog, '"Mark Rutte"') == {a}


def test_field_filters_kind_gallery_dates_rights(catalog):
    seed = RightsProfileStore(catalog).list()[0].id
    v = insert(catalog, kind="video", title="Press conference (Q&A)", people=["Mark Rutte"],
               date_created="2025-03-06T15:00:00+01:00", rights_profile_id=seed)
    p = insert(catalog, caption="Rutte", people=["Andrzej Duda"], date_created="2025-03-26")
    with catalog.transaction():
        gid = GalleryStore(catalog).create_unrecorded("President of Poland visits NATO")
        GalleryStore(catalog).add_assets_unrecorded(gid, [v])
    assert ids(catalog, "kind:video") == {v}
    assert ids(catalog, "people:duda") == {p}
    assert ids(catalog, "people:rutte") == {v}
    assert ids(catalog, 'gallery:"President of Poland visits NATO"') == {v}
    assert ids(catalog, "gallery:poland") == {v}
    assert ids(catalog, "date:2025-03-06") == {v}
    assert ids(catalog, "date:2025-03-01..2025-03-31") == {v, p}
    assert ids(catalog, "after:2025-03-10") == {p}
    assert ids(catalog, "rights:editorial") == {v}
    assert ids(catalog, "rights:none") == {p}
    assert ids(catalog, "rights:problems") == {p}
    assert ids(catalog, "missing:caption") == {v}
    assert catalog.index.count(parse_query("rutte")) == 2


def test_fts_follows_edits_and_deletes(catalog):
    a = insert(catalog, caption="old words")
    store = AssetStore(catalog)
    with catalog.transaction():
        store.set_fields_unrecorded(a, {"caption": "Herstal factory"})
    assert ids(catalog, "herstal") == {a}
    assert ids(catalog, "old") == set()
    with catalog.transaction():
        store.delete([a])
    assert ids(catalog, "herstal") == set()


def test_order_and_paging(catalog):
    made = [insert(catalog, date_created=f"2025-03-{d:02d}") for d in (5, 1, 9)]
    assert catalog.index.ids(parse_query(""), order="date") == [made[2], made[0], made[1]]
    assert catalog.index.ids(parse_query(""), order="date", limit=1, offset=1) == [made[0]]


def test_a_word_in_every_asset_gives_the_same_first_page_by_either_plan(catalog):
    """A word in (nearly) every asset's credit line: the first page of a date order is found by
    probing the newest rows with the whole word (SQLite), and it is the very page the hit list
    gives: rows that only a prefix finds ("natoaligned") are still there, in order."""
    store = AssetStore(catalog)
    with catalog.transaction():
        for i in range(FTS_DRIVE_MAX + 300):
            credit = "NATOaligned desk" if i % 97 == 0 else "NATO Photo"   # a prefix hit, not the word
            day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00"
            store.insert(record(credit=credit, date_created=day, caption=f"frame {i}",
                                kind="video" if i % 3 == 0 else "photo"))
    index = catalog.index
    whole = list(index.id_array(parse_query("nato"), order="date"))     # no first-page plan
    assert len(whole) == FTS_DRIVE_MAX + 300
    seen: list[str] = []
    if catalog.dialect.name == "sqlite":
        catalog.conn.set_trace_callback(seen.append)
    try:
        for text, order in (("nato", "date"), ("nato", "date-asc"), ("nato", "id"), ("kind:video nato", "date")):
            expected = list(index.id_array(parse_query(text), order=order))[:70]
            assert index.ids(parse_query(text), order=order, limit=70) == expected, (text, order)
    finally:
        if catalog.dialect.name == "sqlite":
            catalog.conn.set_trace_callback(None)
    if catalog.dialect.name == "sqlite":
        assert any("EXISTS (SELECT 1 FROM assets_fts f WHERE f.rowid = a.id" in s for s in seen)
    # a word in some assets only keeps the hit-list plan (and its answer)
    few = list(index.id_array(parse_query("natoaligned"), order="date"))
    assert index.ids(parse_query("natoaligned"), order="date", limit=10) == few[:10] and len(few) == 24
