"""Class 3 (rights revoked during an export were ignored) and two ``undo`` at once.

The attack: a profile removed while a 120-file export ran; all 120 went out and the ledger
recorded it after the revocation. Now every exported asset is decided again inside the
transaction that appends the ledger entry, and a change stops the export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.ledger import LedgerStore
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.services import export as export_service
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.export_publish import RightsChanged

import rights_races


def _revoke_while_writing(monkeypatch, library, revoke):
    """Run ``revoke(other_catalog)`` from another connection after the bundle is staged and
    checked, just before the ledger entry: the worst moment."""
    real_verify = export_service.verify_bundle

    def verify_then_revoke(path, deep=True):
        report = real_verify(path, deep=deep)
        with Catalog(library.catalog_path) as other:
            revoke(other)
        return report

    monkeypatch.setattr(export_service, "verify_bundle", verify_then_revoke)


def _clear(library):
    def revoke(other):
        apply_edits(other, {library.ids["rs"]: {"rights_profile_id": None}}, description="revoke")
    return revoke


def _expire(other):
    store = RightsProfileStore(other)
    p = store.get(1)
    with other.transaction():
        store.update_unrecorded(RightsProfile(id=p.id, name=p.name, note=p.note, allowed_purposes=p.allowed_purposes,
                                   credit_line=p.credit_line, credit_required=p.credit_required,
                                   expires_at=datetime.now(UTC) - timedelta(hours=1)))


def _reword(other):
    """Not a block, but the note stamped into the files is no longer the profile's note."""
    store = RightsProfileStore(other)
    p = store.get(1)
    with other.transaction():
        store.update_unrecorded(RightsProfile(id=p.id, name=p.name, note="Editorial use, print only.",
                                   allowed_purposes=p.allowed_purposes, credit_line=p.credit_line,
                                   credit_required=p.credit_required))


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
@pytest.mark.parametrize("how", ["clear", "expire", "reword"])
def test_a_revocation_during_the_export_stops_it(monkeypatch, library, tmp_path, how, zipped):
    revoke = {"clear": _clear(library), "expire": _expire, "reword": _reword}[how]
    _revoke_while_writing(monkeypatch, library, revoke)
    out = tmp_path / "bundles" / "press"
    with library.open() as catalog:
        plan = plan_export(catalog, [library.ids["pl"], library.ids["rs"]],
                           ExportOptions(purpose=Purpose.EDITORIAL_ONLINE, zip=zipped))
        assert len(plan.allowed) == 2
        with pytest.raises(RightsChanged) as caught:
            run_export(catalog, plan, out)
        assert LedgerStore(catalog).list() == []           # nothing entered in the ledger
    message = str(caught.value)
    assert "Nothing was published" in message and f"asset {library.ids['rs']}" in message
    assert list((tmp_path / "bundles").iterdir()) == []   # no bundle, no staging folder


def test_a_revocation_after_the_ledger_entry_is_after_the_decision(monkeypatch, library, tmp_path):
    """The other order: the entry committed first, so the bundle stands (and is in the ledger)."""
    real_publish = export_service.publish_bundle
    seen = {}

    def publish_then_revoke(catalog, writer, entry, **kw):
        with Catalog(library.catalog_path) as other:
            _clear(library)(other)
            seen["ledger"] = other.scalar("SELECT max(id) FROM export_ledger")
        real_publish(catalog, writer, entry, **kw)

    monkeypatch.setattr(export_service, "publish_bundle", publish_then_revoke)
    with library.open() as catalog:
        plan = plan_export(catalog, [library.ids["rs"]], ExportOptions(purpose=Purpose.EDITORIAL_ONLINE))
        result = run_export(catalog, plan, tmp_path / "b")
    assert result.bundle and seen["ledger"] == result.ledger_id


def test_export_race_ci_size(tmp_path):
    """The stress script's export race, 20 rounds (stress/rights_races.py runs 200)."""
    tally = rights_races.export_race(20, files=12, seed=7, workdir=tmp_path)
    assert tally.failures == [], tally.failures
    assert tally.rounds == 20


def test_two_undos_at_once_ci_size(tmp_path):
    """Two connections undo at the same moment: two different operations, each once."""
    tally = rights_races.undo_race(25, seed=7, workdir=tmp_path)
    assert tally.failures == [], tally.failures


@pytest.mark.parametrize("how", ["clear", "expire", "reword"])
def test_a_revocation_during_a_publish_stops_it(monkeypatch, library, tmp_path, how):
    """Publishing is an export for editorial-online: the same final decision inside the ledger
    transaction, so a revocation while the site is staged leaves the site and the ledger as
    they were."""
    from mediadesk.services import publish as publish_service
    from mediadesk.services.publish import PublishOptions, plan_publish, run_publish

    revoke = {"clear": _clear(library), "expire": _expire, "reword": _reword}[how]
    real_manifest = publish_service.gallery_manifest_sha256

    def manifest_then_revoke(*args, **kwargs):
        value = real_manifest(*args, **kwargs)
        with Catalog(library.catalog_path) as other:
            revoke(other)
        return value

    monkeypatch.setattr(publish_service, "gallery_manifest_sha256", manifest_then_revoke)
    out = tmp_path / "site"
    with library.open() as catalog:
        plan = plan_publish(catalog, [library.ids["pl"], library.ids["rs"]], PublishOptions(title="Press"))
        assert len(plan.online) == 2
        with pytest.raises(RightsChanged) as caught:
            run_publish(catalog, plan, out, workers=0)
        assert LedgerStore(catalog).list() == []
    assert f"asset {library.ids['rs']}" in str(caught.value)
    assert not out.exists() or not any(p.suffix == ".html" for p in out.rglob("*"))
