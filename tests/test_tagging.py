from mediadesk.catalog.assets import AssetStore
from mediadesk.services.edits import undo
from mediadesk.services.tagging import add_tags, flat_keywords, hierarchical_keywords, remove_tags

from factories import insert


def test_add_and_remove_on_many_assets_as_one_step(catalog):
    ids = [insert(catalog, keywords=["NATO"], people=["Mark Rutte"]) for _ in range(3)]
    result = add_tags(catalog, ids, keywords=["summit", "nato"], people=["Andrzej Duda"],
                      organisations=["NATO", "NATO"])
    assert result.operation_id is not None
    for asset in AssetStore(catalog).get_many(ids):
        assert asset.keywords == ("NATO", "summit")  # "nato" is already there in another case
        assert asset.people == ("Mark Rutte", "Andrzej Duda")
        assert asset.organisations == ("NATO",)
    remove_tags(catalog, ids, people=["mark rutte"])
    assert {a.people for a in AssetStore(catalog).get_many(ids)} == {("Andrzej Duda",)}
    undo(catalog)
    assert {a.people for a in AssetStore(catalog).get_many(ids)} == {("Mark Rutte", "Andrzej Duda")}


def test_hierarchical_keywords(catalog):
    a = insert(catalog, keywords=["Places|Europe"])
    add_tags(catalog, [a], keywords=[" Places | Europe | Belgium|Brussels ", "Places|Europe|Belgium"])
    assert AssetStore(catalog).get(a).keywords == ("Places|Europe|Belgium|Brussels",)
    add_tags(catalog, [a], keywords=["Places|Europe|Lithuania|Vilnius"])
    remove_tags(catalog, [a], keywords=["Places|Europe|Belgium"])
    assert AssetStore(catalog).get(a).keywords == ("Places|Europe|Lithuania|Vilnius",)


def test_flat_and_hierarchical_forms_for_files():
    keywords = ["Places|Europe|Belgium|Brussels", "Places|Europe|Poland", "summit"]
    assert flat_keywords(keywords) == ["Places", "Europe", "Belgium", "Brussels", "Poland", "summit"]
    assert hierarchical_keywords(keywords) == keywords[:2]


def test_dry_run_changes_nothing(catalog):
    a = insert(catalog)
    result = add_tags(catalog, [a], keywords=["x"], dry_run=True)
    assert result.preview == [(a, "keywords", (), ("x",))]
    assert AssetStore(catalog).get(a).keywords == ()
