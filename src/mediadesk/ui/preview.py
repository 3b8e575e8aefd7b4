"""The preview pane: the current asset large (read off the GUI thread), a video player with its
subtitles and chapters, or a document's text with the search's words marked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.query import BODY, Query
from mediadesk.domain.text_match import Term, terms_of
from mediadesk.domain.timed_text import clock, close_chapters

from mediadesk.ui.document_view import DocumentView
from mediadesk.ui.image_view import ImageLoader, ImageView
from mediadesk.ui.timed_text_panel import TimedTextPanel, TrackChoice
from mediadesk.ui.video_player import VideoPlayer

MAX_EDGE = 2048


class Preview(QWidget):
    # a person edits a video's chapters (the window runs the chapter service): video id, ...
    chapter_add_requested = Signal(int, float, str)      # seconds, title
    chapter_rename_requested = Signal(int, int, str)     # chapter id, title
    chapter_delete_requested = Signal(int, int)          # chapter id

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preview")
        self._catalog = catalog
        self.asset: Asset | None = None
        self._terms: list[Term] = []
        self.image = ImageView(self)
        self.player = VideoPlayer(self)
        self.player.error.connect(self._on_player_error)
        self.timed = TimedTextPanel(self)
        self.timed.attach(self.player.video)
        self.timed.seek_requested.connect(self.player.seek_to)
        self.player.position_changed.connect(lambda ms: self.timed.set_position(ms / 1000))
        self.timed.chapter_add_requested.connect(self._add_chapter)
        self.timed.chapter_rename_requested.connect(
            lambda chapter_id, title: self._for_video(self.chapter_rename_requested, chapter_id, title))
        self.timed.chapter_delete_requested.connect(
            lambda chapter_id: self._for_video(self.chapter_delete_requested, chapter_id))
        self.video_page = QSplitter(Qt.Orientation.Vertical, self)
        self.video_page.setObjectName("videoPage")
        self.video_page.addWidget(self.player)
        self.video_page.addWidget(self.timed)
        self.video_page.setStretchFactor(0, 3)
        self.video_page.setStretchFactor(1, 2)
        self.document = DocumentView(self)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.image)
        self._stack.addWidget(self.video_page)
        self._stack.addWidget(self.document)
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

    def recheck_offline(self) -> None:
        """A storage root went offline or came back: show the asset again if that changes what
        it shows (an offline note, or the picture back)."""
        asset = self.asset
        if asset is None or asset.kind == AssetKind.DOCUMENT:
            return
        if bool(self._catalog.paths.offline(asset.path)) != self.offline_note.isVisibleTo(self):
            self.asset = None
            self.show_asset(asset)

    def show_asset(self, asset: Asset | None, count: int = 1, *, start_at: float | None = None) -> None:
        """Show an asset; ``start_at``: the moment of a video to open at (a search hit)."""
        if asset is not None and self.asset is not None and asset.id == self.asset.id \
                and asset.path == self.asset.path and asset.content_hash == self.asset.content_hash:
            self.asset = asset  # metadata edit: the picture is the same
            if start_at is not None and asset.kind == AssetKind.VIDEO:
                self.player.seek_to(int(start_at * 1000))
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
        if asset.kind == AssetKind.DOCUMENT:   # its text is in the catalog, the file not needed
            self.offline_note.hide()
            self._stack.setCurrentWidget(self.document)
            self._show_document(asset)
            return
        offline = self._catalog.paths.offline(asset.path)
        if offline:     # the file's share is not reachable: its thumbnail and the reason
            self._stack.setCurrentWidget(self.image)
            if asset.has_thumbnail:
                self.image.set_pixmap(None)
                self._loader.load((str(self._catalog.thumbnail_path(asset.content_hash)), 512))
            else:
                self.image.set_message(f"{asset.file_name} is offline: {offline}.")
            self.offline_note.setText(f"{offline[:1].upper()}{offline[1:]}. Metadata can be edited; what "
                                      "needs the file (write-back, export of the original) waits for it.")
            self.offline_note.show()
            return
        self.offline_note.hide()
        if asset.kind == AssetKind.VIDEO and not asset.missing:
            self._stack.setCurrentWidget(self.video_page)
            self.player.load(asset.path, asset.duration, start_at=start_at)
            self.reload_words()
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

    # -- the words --------------------------------------------------------------------------
    def set_query(self, query: Query | None) -> None:
        """The search in force: its words are marked in a document's text."""
        terms: list[Term] = []
        if query is not None and not query.errors:
            terms = terms_of(list(query.text))
            for column, text in query.fields:
                if column == BODY:
                    terms += terms_of(text.split())
        self._terms = terms
        if self.asset is not None and self.asset.kind == AssetKind.DOCUMENT:
            self.document.set_terms(terms, jump=True)

    def _show_document(self, asset: Asset) -> None:
        text = self._catalog.words.document(asset.id)
        note = None
        if text is None or not text.text_found:
            warning = next((w for w in asset.warnings if "password" in w or "scanned" in w or "damaged" in w
                            or "text" in w), None)
            note = warning or "No text could be read from this document."
        elif asset.missing:
            note = f"The file is missing ({asset.path}); the text below is the catalog's copy."
        pages = text.pages if text is not None else []
        self.document.show_document(asset.display_title, pages, paged=bool(text and text.paged),
                                    terms=self._terms, note=note)

    def reload_words(self) -> None:
        """Read the current video's tracks and chapters again (after an edit or an import)."""
        asset = self.asset
        if asset is None or asset.kind != AssetKind.VIDEO:
            return
        words = self._catalog.words
        choices = [TrackChoice(track_id, track) for track_id, track in words.tracks(asset.id)]
        chapters = words.chapters(asset.id)
        closed = close_chapters([c for _, c in chapters], asset.duration)
        self.timed.set_content(choices, list(zip([i for i, _ in chapters], closed, strict=True)))

    def _add_chapter(self, at: float) -> None:
        """A new chapter at the player's position, named for its moment; renamed in place next."""
        if self.asset is not None and self.asset.kind == AssetKind.VIDEO:
            self.chapter_add_requested.emit(self.asset.id, at, f"Chapter at {clock(at)}")

    def _for_video(self, signal, *args) -> None:
        if self.asset is not None and self.asset.kind == AssetKind.VIDEO:
            signal.emit(self.asset.id, *args)

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
