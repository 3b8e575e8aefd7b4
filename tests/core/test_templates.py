import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.history import HistoryStore
from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.services.codes import set_code
from mediadesk.services.edits import undo
from mediadesk.services.people import set_person
from mediadesk.services.templates import add_template, apply_template, format_date, parse_template

from tests.support.factories import insert


def test_variables_from_asset_and_gallery(catalog):
    a = insert(catalog, people=["Mark Rutte", "Andrzej Duda"], city="Brussels", country="Belgium",
               date_created="2025-06-24T10:15:00+02:00", creator="Jan Kowalski", file_name="x1.jpg")
    b = insert(catalog, city="Kraków", country=None, file_name="x2.jpg")
    with catalog.transaction():
        g = GalleryStore(catalog).create_unrecorded("NATO Summit The Hague", date="2025-06-25")
        GalleryStore(catalog).add_assets_unrecorded(g, [a, b])
    set_person(catalog, "Mark Rutte", "NATO Secretary General")
    add_template(catalog, "summit", "caption",
                 "{people} at the {event} in {city}, {country} on {date}. Photo: {creator} [{seq:03} {filename}]")
    result = apply_template(catalog, "summit", [a, b])
    first, second = AssetStore(catalog).get_many([a, b])
    assert first.caption == ("Mark Rutte (NATO Secretary General), Andrzej Duda at the NATO Summit The "
                             "Hague in Brussels, Belgium on 24 June 2025. Photo: Jan Kowalski [001 x1.jpg]")
    # no people, no country, no creator: the gaps close; the date falls back to the gallery's
    assert second.caption == "at the NATO Summit The Hague in Kraków on 25 June 2025. Photo [002 x2.jpg]"
    assert result.operation_id is not None and len(result.preview) == 2


def test_date_formats_and_partial_dates():
    assert format_date("2025-06-24T10:15:00+02:00", "%d %B %Y") == "24 June 2025"
    assert format_date("2025-06-04", "%-d %b %Y, %A") == "4 Jun 2025, Wednesday"
    assert format_date("2025-06", "%d %B %Y") == "June 2025"
    assert format_date("2025", "%d %B %Y") == "2025"
    assert format_date(None) == ""


def test_modes_append_prepend_and_list_fields(catalog):
    a = insert(catalog, caption="Leaders meet.", keywords=["NATO"], title="Old")
    add_template(catalog, "t", "caption", "Photo: {creator}NATO", mode="append")
    add_template(catalog, "t", "keywords", "summit; NATO; {city}", mode="append")
    add_template(catalog, "t", "title", "EMBARGOED", mode="prepend")
    apply_template(catalog, "t", [a])
    asset = AssetStore(catalog).get(a)
    assert asset.caption == "Leaders meet. Photo: NATO"
    assert asset.keywords == ("NATO", "summit")
    assert asset.title == "EMBARGOED Old"
    # applying the same append/prepend again does not double the text
    assert apply_template(catalog, "t", [a]).operation_id is None


def test_several_fields_are_one_operation_and_undo_restores(catalog):
    ids = [insert(catalog, caption=f"c{i}", city="Vilnius") for i in range(4)]
    add_template(catalog, "multi", "caption", "{city} frame {seq}")
    add_template(catalog, "multi", "headline", "Summit in {city}")
    result = apply_template(catalog, "multi", ids)
    assert len(result.preview) == 8
    assert len(HistoryStore(catalog).operations()) == 1
    undo(catalog)
    assert [x.caption for x in AssetStore(catalog).get_many(ids)] == [f"c{i}" for i in range(4)]
    assert {x.headline for x in AssetStore(catalog).get_many(ids)} == {None}


def test_dry_run_previews_without_writing(catalog):
    a = insert(catalog, caption="old", city="Łódź")
    add_template(catalog, "t", "caption", "{caption} ({city})")
    result = apply_template(catalog, "t", [a], dry_run=True)
    assert result.preview == [(a, "caption", "old", "old (Łódź)")]
    assert result.operation_id is None
    assert AssetStore(catalog).get(a).caption == "old"
    assert HistoryStore(catalog).operations() == []


def test_codes_expand_in_template_and_result(catalog):
    set_code(catalog, "rutte", "NATO Secretary General Mark Rutte")
    set_code(catalog, "=duda=", "Andrzej Duda, President of Poland")
    a = insert(catalog, headline="=duda= arrives")
    add_template(catalog, "t", "caption", "=rutte= welcomes {headline}")
    apply_template(catalog, "t", [a])
    assert AssetStore(catalog).get(a).caption == (
        "NATO Secretary General Mark Rutte welcomes Andrzej Duda, President of Poland arrives")


def test_unknown_variable_is_named_with_the_known_ones(catalog):
    with pytest.raises(InvalidInput) as err:
        add_template(catalog, "t", "caption", "{venue} today")
    assert "{venue}" in str(err.value) and "{city}" in str(err.value)
    with pytest.raises(InvalidInput, match="unmatched"):
        parse_template("a { b")
    with pytest.raises(InvalidInput, match="seq"):
        parse_template("{seq:xx}")
    with pytest.raises(InvalidInput, match="mode"):
        add_template(catalog, "t", "caption", "x", mode="overwrite")


def test_missing_template_lists_existing(catalog):
    add_template(catalog, "Standard", "caption", "x")
    with pytest.raises(NotFound, match='"Standard"'):
        apply_template(catalog, "nope", [])


def test_replace_with_empty_result_keeps_value_and_warns(catalog):
    a = insert(catalog, caption="keep me")
    add_template(catalog, "t", "caption", "{country}")
    result = apply_template(catalog, "t", [a])
    assert result.operation_id is None
    assert AssetStore(catalog).get(a).caption == "keep me"
    assert result.warnings and "left unchanged" in result.warnings[0]


def test_after_import_numbers_frames_in_file_order(catalog, tmp_path):
    from mediadesk.services.templates import apply_template_after_import

    from tests.support.batch_helpers import imported

    ids = imported(catalog, tmp_path / "shoot", 3, gallery="Summit")
    add_template(catalog, "import", "caption", "{event} {seq:03}")
    apply_template_after_import(catalog, "import", list(reversed(ids)))
    by_name = {a.file_name: a.caption for a in AssetStore(catalog).get_many(ids)}
    assert by_name == {"frame_001.jpg": "Summit 001", "frame_002.jpg": "Summit 002",
                       "frame_003.jpg": "Summit 003"}
