"""Linking a document to the photos and videos it describes (a press release and its event's
pictures), and taking links away. Each change is one operation in the edit history (the
document's pseudo-field ``linked_ids``), undone like any edit. Linking a transcript to a video
also aligns it, when it has timestamps (services/import_words.py): its cues become the video's
transcript track."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.history import LINKS
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import InvalidInput
from mediadesk.services.edits import EditResult, apply_edits
from mediadesk.services.import_words import align_to_video


@dataclass
class LinkResult:
    edit: EditResult
    aligned: dict[int, int] = field(default_factory=dict)   # video id -> transcript cues made
    others: tuple[int, ...] = ()                            # the assets on the other side

    @property
    def changes(self) -> Changes:
        """What changed: the document, and the assets whose links (or transcript) it touched."""
        if self.edit.operation_id is None and not self.aligned:
            return Changes()
        return self.edit.changes | Changes(assets=frozenset(self.others) | frozenset(self.aligned))

    def as_edit(self) -> EditResult:
        """The edit, announcing every asset it touched (the window refreshes them all)."""
        return replace(self.edit, changes=self.changes)


def _plural(n: int) -> str:
    return f"{n:,} asset" + ("" if n == 1 else "s")


def link(catalog: Catalog, document_id: int, asset_ids: Sequence[int], *, remove: bool = False) -> LinkResult:
    """Link (or with ``remove`` unlink) the document and each asset. The document must be a
    document; an asset may be any other asset (a photo, a video, another document)."""
    ids = list(dict.fromkeys(int(a) for a in asset_ids))
    with catalog.transaction():
        document = catalog.assets.get(document_id)   # NotFound names the id
        if document.kind != AssetKind.DOCUMENT:
            raise InvalidInput(f"asset {document_id} is a {document.kind}, not a document: link a press "
                               "release, transcript or other document to the assets it describes")
        if document_id in ids:
            raise InvalidInput(f"document {document_id} cannot be linked to itself")
        missing = sorted(set(ids) - catalog.assets.existing_ids(ids))
        if missing:
            raise InvalidInput(f"no asset with id {', '.join(map(str, missing[:10]))} in this catalog")
        now = set(catalog.words.linked_assets(document_id))
        target = now - set(ids) if remove else now | set(ids)
        verb = "Unlink" if remove else "Link"
        changed = len(target ^ now)
        edit = apply_edits(catalog, {document_id: {LINKS: sorted(target)}}, kind="link",
                           description=f'{verb} "{document.display_title}" and {_plural(changed)}')
        aligned: dict[int, int] = {}
        if not remove:
            for asset in catalog.assets.get_many(sorted(set(ids) - now)):
                if asset.kind == AssetKind.VIDEO:
                    cues = align_to_video(catalog, document_id, asset.id)
                    if cues:
                        aligned[asset.id] = cues
    return LinkResult(edit, aligned, tuple(ids))
