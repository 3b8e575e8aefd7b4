import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.codes import set_code
from mediadesk.services.edits import undo
from mediadesk.services.find_replace import changed_segments, find_replace

from tests.support.factories import insert


def test_plain_replace_previews_then_applies(catalog):
    a = insert(catalog, caption="President Vucic met Vucic's team", title="Vucic")
    b = insert(catalog, caption="Nothing here")
    preview = find_replace(catalog, [a, b], "Vucic", "Vučić", fields=["caption"], dry_run=True)
    assert preview.preview == [(a, "caption", "President Vucic met Vucic's team",
                                "President Vučić met Vučić's team")]
    assert AssetStore(catalog).get(a).caption.startswith("President Vucic")
    done = find_replace(catalog, [a, b], "Vucic", "Vučić", fields=["caption"])
    assert done.operation_id is not None
    assert AssetStore(catalog).get(a).title == "Vucic"  # not a chosen field
    undo(catalog)
    assert AssetStore(catalog).get(a).caption == "President Vucic met Vucic's team"


def test_regex_with_groups(catalog):
    a = insert(catalog, caption="Photo: 24.06.2025, The Hague")
    find_replace(catalog, [a], r"(\d{2})\.(\d{2})\.(\d{4})", r"\3-\2-\1", regex=True)
    assert AssetStore(catalog).get(a).caption == "Photo: 2025-06-24, The Hague"


def test_whole_word_and_case(catalog):
    a = insert(catalog, caption="NATO nato Natolin")
    r = find_replace(catalog, [a], "nato", "NATO", whole_word=True, match_case=False, dry_run=True)
    assert r.preview[0][3] == "NATO NATO Natolin"
    r = find_replace(catalog, [a], "nato", "X", dry_run=True)
    assert r.preview[0][3] == "NATO X Natolin"


def test_list_fields_item_by_item(catalog):
    a = insert(catalog, keywords=["Places|Europe|Belgium|Bruxelles", "summit"], people=["A. Duda"])
    find_replace(catalog, [a], "Bruxelles", "Brussels")
    find_replace(catalog, [a], "summit", "", fields=["keywords"])
    asset = AssetStore(catalog).get(a)
    assert asset.keywords == ("Places|Europe|Belgium|Brussels",)
    assert asset.people == ("A. Duda",)


def test_codes_in_replacement(catalog):
    set_code(catalog, "rutte", "NATO Secretary General Mark Rutte")
    a = insert(catalog, caption="Mark Rutte speaks")
    find_replace(catalog, [a], "Mark Rutte", "=rutte=")
    assert AssetStore(catalog).get(a).caption == "NATO Secretary General Mark Rutte speaks"


def test_bad_input_is_explained(catalog):
    a = insert(catalog, caption="x")
    with pytest.raises(InvalidInput, match="not valid at character"):
        find_replace(catalog, [a], "(unclosed", "x", regex=True)
    with pytest.raises(InvalidInput, match="group"):
        find_replace(catalog, [a], "(x)", r"\2", regex=True)
    with pytest.raises(InvalidInput, match="cannot be empty"):
        find_replace(catalog, [a], "", "x")
    with pytest.raises(InvalidInput, match="cannot search"):
        find_replace(catalog, [a], "x", "y", fields=["rating"])


def test_changed_segments_mark_only_the_difference():
    old, new = changed_segments("met in Krakow today", "met in Kraków today")
    assert "".join(t for t, _ in old) == "met in Krakow today"
    assert [t for t, changed in new if changed] == ["Kraków"]
    assert [t for t, changed in old if changed] == ["Krakow"]
    # a whole new text is not drowned in marks; new text where there was none is marked
    assert changed_segments("Family photo", "Mark Rutte and Andrzej Duda in Brussels") == (
        [("Family photo", False)], [("Mark Rutte and Andrzej Duda in Brussels", False)])
    assert changed_segments("", "NATO") == ([], [("NATO", True)])
