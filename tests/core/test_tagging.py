from mediadesk.catalog.assets import AssetStore
from mediadesk.services.edits import undo
from mediadesk.services.tagging import add_tags, flat_keywords, hierarchical_keywords, remove_tags

from tests.support.factories import insert


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


def _race_after_read(monkeypatch, target, name, other_write):
    """Wrap ``target.name`` (the read of current values) so that, right after it, another
    connection tries its own write and gets half a second to finish. The batch must hold the
    write lock from its read to its write, so the other writer waits and is not overwritten."""
    import threading

    original = getattr(target, name)
    threads = []

    def reading(*args, **kwargs):
        out = original(*args, **kwargs)
        if not threads:
            thread = threading.Thread(target=other_write)
            threads.append(thread)
            thread.start()
            thread.join(0.5)
        return out

    monkeypatch.setattr(target, name, reading)
    return threads


def _other_program_adds(target, ids, keyword):
    def write():
        from mediadesk.catalog import open_catalog

        other = open_catalog(target)
        try:
            add_tags(other, ids, keywords=[keyword])
        finally:
            other.close()
    return write


def test_two_writers_tagging_at_once_lose_nothing(catalog, catalog_path, monkeypatch):
    import mediadesk.services.tagging as tagging

    ids = [insert(catalog, keywords=["NATO"]) for _ in range(3)]
    threads = _race_after_read(monkeypatch, tagging, "read_fields",
                               _other_program_adds(catalog.target, ids, "from-the-other-program"))
    add_tags(catalog, ids, keywords=["from-this-program"])
    threads[0].join(30)
    catalog.conn.execute("SELECT 1")
    for asset in AssetStore(catalog).get_many(ids):
        assert set(asset.keywords) == {"NATO", "from-this-program", "from-the-other-program"}


def test_find_replace_and_template_do_not_overwrite_a_concurrent_write(catalog, catalog_path,
                                                                      monkeypatch):
    import mediadesk.services.find_replace as find_replace_module
    from mediadesk.catalog.templates import TemplateLine, TemplateStore
    from mediadesk.services.find_replace import find_replace
    from mediadesk.services.templates import apply_template_lines

    ids = [insert(catalog, keywords=["NATO"], caption="Rutte in Brussels") for _ in range(2)]
    threads = _race_after_read(monkeypatch, find_replace_module, "read_fields",
                               _other_program_adds(catalog.target, ids, "other-1"))
    find_replace(catalog, ids, "NATO", "Alliance", fields=["keywords"])
    threads[0].join(30)
    threads = _race_after_read(monkeypatch, TemplateStore, "asset_values",
                               _other_program_adds(catalog.target, ids, "other-2"))
    apply_template_lines(catalog, [TemplateLine(name="", field="keywords", text="summit", mode="append")], ids)
    threads[0].join(30)
    catalog.conn.execute("SELECT 1")
    for asset in AssetStore(catalog).get_many(ids):
        assert set(asset.keywords) == {"Alliance", "other-1", "other-2", "summit"}
