"""The preview pane: the current asset large (read off the GUI thread), or a video player."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.ui.image_view import ImageLoader, ImageView
from mediadesk.ui.video_player import VideoPlayer

MAX_EDGE = 2048


class Preview(QWidget):
    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self._catalog = catalog
        self.asset: Asset | None = None
        self.image = ImageView(self)
        self.player = VideoPlayer(self)
        self.player.error.connect(self._on_player_error)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.image)
        self._stack.addWidget(self.player)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self.offline_note = QLabel(self)
        self.offline_note.setObjectName("offlineNote")
        self.offline_note.setWordWrap(True)
        self.offline_note.setStyleSheet("color: white; background: #475569; padding: 4px;")
        self.offline_note.hide()
        layout.addWidget(self.offline_note)
        self._loader = ImageLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_image_failed)
        self.show_asset(None)

    def show_asset(self, asset: Asset | None, count: int = 1) -> None:
        if asset is not None and self.asset is not None and asset.id == self.asset.id \
                and asset.path == self.asset.path and asset.content_hash == self.asset.content_hash:
            self.asset = asset  # metadata edit: the picture is the same
            return
        self.asset = asset
        self._loader.cancel()
        if asset is None or asset.kind != AssetKind.VIDEO:
            self.player.unload()
        if asset is None:
            self.offline_note.hide()
            self._stack.setCurrentWidget(self.image)
            self.image.set_message("No asset selected" if count == 0 else "")
            return
        offline = self._catalog.paths.offline(asset.path)
        if offline:     # the file's share is not reachable: its thumbnail and the reason
            self._stack.setCurrentWidget(self.image)
            if asset.has_thumbnail:
                self.image.set_pixmap(None)
                self._loader.load((str(self._catalog.thumbnail_path(asset.content_hash)), 512))
            else:
                self.image.set_message(f"{asset.file_name} is offline: {offline}.")
            self.offline_note.setText(f"Offline: {offline}. Metadata can be edited; what needs the "
                                      "file (write-back, export of the original) waits for it.")
            self.offline_note.show()
            return
        self.offline_note.hide()
        if asset.kind == AssetKind.VIDEO and not asset.missing:
            self._stack.setCurrentWidget(self.player)
            self.player.load(asset.path, asset.duration)
            if asset.has_thumbnail:  # the poster frame until playback starts
                self._loader.load((str(self._catalog.thumbnail_path(asset.content_hash)), 1024))
            return
        self._stack.setCurrentWidget(self.image)
        if asset.missing:
            self.image.set_message(f"The file is missing:\n{asset.path}\n\n"
                                   "Reconnect its drive, or import its new folder to relink it.")
            return
        if asset.kind != AssetKind.PHOTO:
            self.image.set_message(f"{asset.file_name}\n(no preview for {asset.kind} files)")
            return
        self.image.set_pixmap(None)
        full = (asset.path, self._edge())
        if asset.has_thumbnail:  # the small thumbnail at once, then the picture at screen size
            self._loader.load((str(self._catalog.thumbnail_path(asset.content_hash)), 512), full)
        else:
            self._loader.load(full)

    def _on_loaded(self, pixmap) -> None:
        if self.asset is not None and self.asset.kind == AssetKind.VIDEO:
            if self.player.video.frames == 0 and not self.player.is_playing():
                self.player.video.set_pixmap(pixmap)
        else:
            self.image.set_pixmap(pixmap)

    def _edge(self) -> int:
        ratio = self.devicePixelRatioF() or 1.0
        return min(MAX_EDGE, int(max(self.width(), self.height(), 600) * ratio))

    def toggle_playback(self) -> bool:
        if self.asset is not None and self.asset.kind == AssetKind.VIDEO:
            self.player.toggle()
            return True
        return False

    def _on_image_failed(self, error: str) -> None:
        if self.asset is not None and self.image.pixmap() is None:
            self.image.set_message(f"{self.asset.file_name} cannot be shown: {error}")

    def _on_player_error(self, message: str) -> None:
        if self.asset is not None:
            self.image.set_message(f"{self.asset.file_name} cannot be played: {message}")
            self._stack.setCurrentWidget(self.image)

    def stop(self) -> None:
        self.player.unload()
        self._loader.stop()
