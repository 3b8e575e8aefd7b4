"""Publishing a staged bundle: the last rights decision, the ledger entry, the receipt, the name.

Called by ``services/export.run_export`` once the bundle is staged and checked:
:func:`decide_and_record` decides every exported asset again and appends the ledger entry in one
write transaction (issue 10, class 3); :func:`publish_bundle` writes the receipt LEDGER.json into
the bundle and gives it its final name, and records a failure at that point in the ledger too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.ledger import PUBLISH_FAILED, LedgerEntry
from mediadesk.domain.errors import MediadeskError, MediaError
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.rights.policy import decide
from mediadesk.services.bundle_writer import BundleWriter, TargetAppeared
from mediadesk.services.ledger_check import receipt_bytes, remember_head


def _now() -> datetime:
    return datetime.now(UTC)


class RightsChanged(MediaError):
    """An asset's rights changed while its bundle was being written; nothing was published."""


def decide_and_record(catalog: Catalog, stamped: dict[int, RightsProfile | None], purpose: Purpose,
                      fixed_at: datetime | None, *, who: str, recipient: str | None, bundle: str,
                      blocked: list[dict[str, Any]], manifest_sha256: str,
                      recorded_at: str) -> LedgerEntry:
    """Decide every exported asset again and append the ledger entry in ONE write transaction.

    The transaction holds the catalog's write lock, so a rights change (``rights assign``, a
    profile edited or removed, a re-import) commits either before it (and is seen here) or after
    the entry (and the entry is the record of a decision made before it). Anything that is no
    longer allowed, or whose profile is not the one stamped into its files, stops the export:
    the staged bundle is removed and nothing enters the ledger (issue 10, class 3).

    ``stamped``: asset id -> the profile whose note went into its files (the exported assets)."""
    exported_ids = list(stamped)
    with catalog.transaction():
        moment = fixed_at or _now()
        fresh = {a.id: a for a in catalog.assets.get_many(exported_ids)}
        profiles = {p.id: p for p in catalog.rights.list()}
        changed: list[str] = []
        for asset_id in exported_ids:
            asset = fresh.get(asset_id)
            if asset is None:
                changed.append(f"asset {asset_id}: removed from the catalog")
                continue
            profile = profiles.get(asset.rights_profile_id) if asset.rights_profile_id else None
            decision = decide(asset, profile, purpose, moment)
            if not decision.allowed:
                changed.append(f"asset {asset_id}: {decision.reason}")
            elif profile != stamped[asset_id]:
                changed.append(f"asset {asset_id}: its rights profile changed "
                               f"(now '{profile.name if profile else 'none'}')")
        if changed:
            shown = "; ".join(changed[:5]) + (f" (and {len(changed) - 5} more)" if len(changed) > 5 else "")
            raise RightsChanged(
                f"the rights of {len(changed)} asset(s) changed while the bundle was being written: "
                f"{shown}. Nothing was published and nothing was entered in the ledger; export "
                "again (assets that are blocked now are left out)")
        store = catalog.ledger
        entry = store.append(
            who=who, purpose=purpose.value, recipient=recipient,
            bundle=bundle, assets=exported_ids, blocked=blocked, manifest_sha256=manifest_sha256,
            at=recorded_at)
        catalog_id = store.catalog_id()
    remember_head(catalog_id, entry.id, entry.entry_hash, str(catalog.path))
    return entry


def publish_bundle(catalog: Catalog, writer: BundleWriter, entry: LedgerEntry, *, who: str,
                   purpose: Purpose, recipient: str | None, target: Path) -> None:
    """Put the receipt (LEDGER.json) into the staged bundle and give it its final name. A
    failure here comes after the ledger entry, so the ledger records it too, and the message
    says where the staged copy is (kept aside when the name was taken, else removed)."""
    try:
        catalog_id = catalog.ledger.catalog_id() or ""
        writer.add_receipt(receipt_bytes(entry, catalog_id))
        writer.publish()
        return
    except TargetAppeared as exc:
        reason = str(exc)
        kept = writer.keep_aside(f"unpublished-entry-{entry.id}")
    except (OSError, MediaError) as exc:
        reason = f"the bundle could not be put in place ({getattr(exc, 'strerror', None) or exc})"
        writer.abort()
        kept = None
    where = (f"The bundle is kept as {kept}" if kept else "The staged copy was removed")
    detail = {"entry": entry.id, "reason": reason, "kept": str(kept) if kept else None}
    try:
        failure = catalog.ledger.append(
            who=who, purpose=purpose.value, recipient=recipient,
            bundle=str(target), assets=[], blocked=[], manifest_sha256=entry.manifest_sha256,
            event=PUBLISH_FAILED, detail=detail)
        recorded = f"the ledger records the failure as entry {failure.id} (after entry {entry.id})"
    except MediadeskError as exc:
        recorded = (f"the failure could not be entered in the ledger ({exc}); ledger entry "
                    f"{entry.id} names a bundle that was not published")
    raise MediaError(f"the bundle was not published: {reason}. {where}; {recorded}")
