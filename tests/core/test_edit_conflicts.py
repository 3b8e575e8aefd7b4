"""No lost update, no silent overwrite (issue 12): a typed edit of a field someone changed since it
was read is a conflict with both values; undo takes this desk's own operation and says when
someone else changed a field since. On both engines (the catalog fixture)."""

from __future__ import annotations

import pytest

from mediadesk.catalog import open_catalog
from mediadesk.services.edits import apply_edits, undo

from tests.support.factories import insert


def _other(catalog, monkeypatch, desk: str = "desk-b"):
    """Another program on the same catalog; on a team catalog, another desk."""
    monkeypatch.setenv("MEDIADESK_DESK", desk)
    return open_catalog(catalog.target)


def test_a_typed_edit_of_what_was_read_is_saved(catalog):
    a = insert(catalog, caption="as read")
    result = apply_edits(catalog, {a: {"caption": "typed"}}, expected={a: {"caption": "as read"}})
    assert not result.conflicts and result.operation_id is not None
    assert catalog.assets.get(a).caption == "typed"


def test_a_field_changed_since_it_was_read_is_a_conflict_with_both_values(catalog, monkeypatch):
    a = insert(catalog, caption="as read", headline="old headline")
    other = _other(catalog, monkeypatch)
    try:
        apply_edits(other, {a: {"caption": "theirs"}}, description="Their caption")
    finally:
        other.close()
    result = apply_edits(catalog, {a: {"caption": "mine", "headline": "new headline"}},
                         expected={a: {"caption": "as read", "headline": "old headline"}})
    [conflict] = result.conflicts
    assert (conflict.asset_id, conflict.field, conflict.mine, conflict.theirs, conflict.read) == \
        (a, "caption", "mine", "theirs", "as read")
    assert "Their caption" in conflict.by and "'theirs'" in conflict.describe()
    asset = catalog.assets.get(a)
    assert asset.caption == "theirs"                   # never silently overwritten
    assert asset.headline == "new headline"            # the field nobody else touched is saved
    assert [c[1] for c in result.changed] == ["headline"]


def test_typing_what_the_other_desk_typed_is_no_conflict(catalog, monkeypatch):
    a = insert(catalog, caption="as read")
    other = _other(catalog, monkeypatch)
    try:
        apply_edits(other, {a: {"caption": "same words"}})
    finally:
        other.close()
    result = apply_edits(catalog, {a: {"caption": "same words"}}, expected={a: {"caption": "as read"}})
    assert not result.conflicts and result.operation_id is None


@pytest.mark.parametrize("engine", ["postgresql"])   # a desk catalog's undo takes the newest operation
def test_undo_keeps_a_newer_value_and_says_so(catalog, monkeypatch):
    a = insert(catalog, caption="first")
    apply_edits(catalog, {a: {"caption": "mine"}}, description="My caption")
    other = _other(catalog, monkeypatch)
    try:
        apply_edits(other, {a: {"caption": "theirs"}}, description="Their caption")
    finally:
        other.close()
    result = undo(catalog)       # this desk's own operation, not the newer one of the other desk
    assert result is not None and result.changed == []
    [message] = result.skipped
    assert "changed again since at another desk" in message and "Their caption" in message
    assert catalog.assets.get(a).caption == "theirs"


def test_undo_says_what_changed_a_field_since(catalog):
    a = insert(catalog, caption="first")
    apply_edits(catalog, {a: {"caption": "mine"}}, description="My caption")
    second = apply_edits(catalog, {a: {"caption": "again"}}, description="Caption again")
    with catalog.transaction():
        catalog.history.set_undone(second.operation_id, True)   # as if undone, value left as it is
    result = undo(catalog)
    [message] = result.skipped
    assert "changed again since here" in message and "Caption again" in message


@pytest.mark.parametrize("engine", ["postgresql"])
def test_undo_on_a_team_catalog_takes_this_desks_operation(catalog, monkeypatch):
    a = insert(catalog, caption="first", headline="first")
    mine = apply_edits(catalog, {a: {"caption": "mine"}}, description="My caption")
    other = _other(catalog, monkeypatch)
    try:
        theirs = apply_edits(other, {a: {"headline": "theirs"}}, description="Their headline")
        assert other.history.last_undoable().id == theirs.operation_id
    finally:
        other.close()
    assert catalog.history.last_undoable().id == mine.operation_id
    result = undo(catalog)
    assert result.operation_id == mine.operation_id and not result.skipped
    asset = catalog.assets.get(a)
    assert (asset.caption, asset.headline) == ("first", "theirs")
