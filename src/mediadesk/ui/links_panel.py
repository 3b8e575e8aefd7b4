"""The inspector's "Linked" section: the documents a photo or video is described by, or the
assets a document describes (links shown both ways), and where assets are dropped to link them.

Dropping assets from the grid here links them with the asset shown: onto a document, the dropped
assets become assets it describes; onto a photo or video, each dropped document is linked to it.
Links are made and taken away by the link service (one undoable operation each); the panel only
asks, through its signals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.asset import Asset, AssetKind

from mediadesk.ui.asset_mime import ASSET_IDS_MIME, decode_asset_ids

_ID = Qt.ItemDataRole.UserRole


class _DropList(QListWidget):
    dropped = Signal(object)   # [asset ids]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(False)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(ASSET_IDS_MIME):
            event.setDropAction(Qt.DropAction.LinkAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(ASSET_IDS_MIME):
            event.setDropAction(Qt.DropAction.LinkAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        ids = decode_asset_ids(event.mimeData())
        if ids:
            event.setDropAction(Qt.DropAction.LinkAction)
            event.accept()
            self.dropped.emit(ids)
        else:
            event.ignore()


class LinksPanel(QWidget):
    link_requested = Signal(int, object)      # document id, [asset ids]
    unlink_requested = Signal(int, object)    # document id, [asset ids]
    open_requested = Signal(int)              # an asset to show (double-click)
    message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linksPanel")
        self.asset: Asset | None = None
        self.links: list[Asset] = []
        self.list = _DropList(self)
        self.list.setObjectName("linkedAssets")
        self.list.setAccessibleName("Linked documents and assets")
        self.list.setToolTip("Drop photos, videos or documents here from the grid to link them")
        self.list.setMaximumHeight(130)
        self.list.dropped.connect(self._on_dropped)
        self.list.itemActivated.connect(lambda item: self.open_requested.emit(int(item.data(_ID))))
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: palette(mid);")
        self.unlink = QToolButton(self)
        self.unlink.setObjectName("unlinkButton")
        self.unlink.setText("&Unlink")
        self.unlink.setToolTip("Take the chosen link away (undoable)")
        self.unlink.clicked.connect(self._on_unlink)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.hint, 1)
        row.addWidget(self.unlink)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.show_links(None, [])

    def show_links(self, asset: Asset | None, links: list[Asset]) -> None:
        self.asset, self.links = asset, list(links)
        self.list.clear()
        for other in self.links:
            kind = {AssetKind.DOCUMENT: "Document", AssetKind.VIDEO: "Video", AssetKind.PHOTO: "Photo",
                    AssetKind.AUDIO: "Audio"}.get(AssetKind(other.kind), str(other.kind).capitalize())
            item = QListWidgetItem(f"{kind}: {other.display_title}")
            item.setData(_ID, other.id)
            item.setToolTip(f"{other.file_name} (asset {other.id}); double-click to show it")
            self.list.addItem(item)
        if asset is None:
            self.hint.setText("")
        elif asset.kind == AssetKind.DOCUMENT:
            self.hint.setText("Drop the photos and videos this document describes here."
                              if not self.links else f"Describes {len(self.links)} asset(s).")
        else:
            self.hint.setText("Drop a press release or transcript here to link it."
                              if not self.links else f"{len(self.links)} linked document(s).")
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.unlink.setEnabled(bool(self.list.selectedItems()))

    def _on_dropped(self, ids: list[int]) -> None:
        asset = self.asset
        if asset is None:
            return
        ids = [i for i in ids if i != asset.id]
        if not ids:
            return
        if asset.kind == AssetKind.DOCUMENT:
            self.link_requested.emit(asset.id, ids)
        else:
            for document_id in ids:   # the link service says so when one is not a document
                self.link_requested.emit(document_id, [asset.id])

    def _on_unlink(self) -> None:
        asset = self.asset
        if asset is None:
            return
        for item in self.list.selectedItems():
            other = int(item.data(_ID))
            if asset.kind == AssetKind.DOCUMENT and other in {a.id for a in self.links}:
                self.unlink_requested.emit(asset.id, [other])
            else:
                self.unlink_requested.emit(other, [asset.id])
