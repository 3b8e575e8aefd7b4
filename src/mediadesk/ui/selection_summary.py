"""What the inspector shows for a selection: one asset in full, or the values several share.

Plain code over the catalog (no Qt); the window runs it on the reader thread so selecting
100,000 assets does not freeze it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import read_fields
from mediadesk.domain.asset import Asset
from mediadesk.domain.fields import METADATA_FIELDS
from mediadesk.domain.rights import RightsProfile


class _Multiple:
    def __repr__(self) -> str:
        return "MULTIPLE"


MULTIPLE: Any = _Multiple()   # the selected assets disagree on this field
EDITABLE_FIELDS = (*METADATA_FIELDS, "rights_profile_id")
KINDS_MAX = 2000  # above this the header gives the count only


@dataclass(frozen=True)
class Summary:
    ids: tuple[int, ...]
    values: dict[str, Any]                 # field -> value, or MULTIPLE
    asset: Asset | None = None             # set when exactly one asset is selected
    kinds: dict[str, int] = field(default_factory=dict)
    profiles: tuple[RightsProfile, ...] = ()
    links: tuple[Asset, ...] = ()          # one asset: the assets linked with it, either way

    @property
    def count(self) -> int:
        return len(self.ids)


def summarise(catalog: Catalog, ids: list[int]) -> Summary:
    profiles = tuple(catalog.rights.list())
    if not ids:
        return Summary((), {}, profiles=profiles)
    if len(ids) == 1:
        found = catalog.assets.get_many(ids)
        if not found:
            return Summary((), {}, profiles=profiles)
        asset = found[0]
        one: dict[str, Any] = {name: asset.get(name) for name in EDITABLE_FIELDS}
        links = tuple(catalog.assets.get_many(catalog.words.links(asset.id)))
        return Summary(tuple(ids), one, asset, {asset.kind: 1}, profiles, links)
    rows = read_fields(catalog, ids, EDITABLE_FIELDS)
    present = [i for i in ids if i in rows]
    values: dict[str, Any] = {}
    for name in EDITABLE_FIELDS:
        first = rows[present[0]][name] if present else None
        same = all(rows[i][name] == first for i in present)
        values[name] = first if same else MULTIPLE
    kinds = _kinds(catalog, present) if len(present) <= KINDS_MAX else {}
    return Summary(tuple(present), values, None, kinds, profiles)


def _kinds(catalog: Catalog, ids: list[int]) -> dict[str, int]:
    return dict(Counter(asset.kind for asset in catalog.assets.get_many(ids)))
