"""The sidebar: library sections, galleries (with counts; drop assets or files on one), saved searches."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView

from mediadesk.ui.asset_mime import ASSET_IDS_MIME, decode_asset_ids, local_paths
from mediadesk.ui.asset_query import LIBRARY, Scope, gallery_scope, saved_scope
from mediadesk.ui.sidebar_data import SidebarData

SCOPE_ROLE = Qt.ItemDataRole.UserRole + 1
_HINT = Scope(("hint",), "")  # marks the "none yet" line of an empty section (not selectable)
SECTIONS = (("library", "Library"), ("galleries", "Galleries"), ("saved", "Saved searches"))
_ENTRY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_GALLERY_FLAGS = _ENTRY_FLAGS | Qt.ItemFlag.ItemIsDropEnabled
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _set_text(item: QStandardItem, text: str) -> None:
    if item.text() != text:  # every set emits dataChanged, which the view answers
        item.setText(text)


class Sidebar(QTreeView):
    scope_selected = Signal(object)              # Scope
    assets_dropped = Signal(int, object)         # gallery id, [asset ids]
    files_dropped = Signal(object, object)       # gallery title or None, [paths]
    new_gallery_requested = Signal()
    rename_gallery_requested = Signal(int, str)
    delete_gallery_requested = Signal(int, str)
    export_gallery_requested = Signal(int, str)
    rename_saved_requested = Signal(int, str)
    delete_saved_requested = Signal(int, str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Library, galleries and saved searches")
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.setUniformRowHeights(True)
        # narrow windows: "President of Poland visits NATO" and "... visits NATO HQ" keep their
        # start and end ("President of…NATO HQ"); the full name is the entry's tooltip
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self._sections: dict[str, QStandardItem] = {}
        self._items: dict[tuple, tuple[QStandardItem, QStandardItem]] = {}
        self._model.setColumnCount(2)
        self._dim = self.palette().placeholderText()
        for key, title in SECTIONS:
            head = QStandardItem(title.upper())
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 0.85)
            head.setFont(font)
            head.setForeground(self.palette().placeholderText())
            tail = QStandardItem("")
            tail.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._model.appendRow([head, tail])
            self._sections[key] = head
        for scope in LIBRARY:
            self._add(self._sections["library"], scope)
        self.expandAll()
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self.select_key(LIBRARY[0].key)

    # -- contents ---------------------------------------------------------------------------------
    def _add(self, section: QStandardItem, scope: Scope, row: int | None = None) -> None:
        name = QStandardItem(scope.label)
        name.setData(scope, SCOPE_ROLE)
        name.setToolTip(scope.query or scope.label)
        flags = _GALLERY_FLAGS if scope.is_gallery else _ENTRY_FLAGS
        name.setFlags(flags)
        count = QStandardItem("")
        count.setData(scope, SCOPE_ROLE)
        count.setTextAlignment(_RIGHT)
        count.setForeground(self._dim)
        count.setFlags(flags)
        if row is None:
            section.appendRow([name, count])
        else:
            section.insertRow(row, [name, count])
        self._items[scope.key] = (name, count)

    def update_data(self, data: SidebarData) -> None:
        """Show new counts, galleries and saved searches; keep the current entry selected.

        Only what changed is touched, and the count column is sized once at the end: with
        ResizeToContents every setText re-measures all rows, which made a refresh of 5,000
        galleries take 30 s."""
        current = self.current_scope()
        header = self.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        try:
            for scope in LIBRARY:
                _set_text(self._items[scope.key][1], f"{data.library_counts.get(scope.key, 0):,}")
            self._replace(self._sections["galleries"],
                          [(gallery_scope(g.id, g.title), g.count) for g in data.galleries], "galleries")
            self._replace(self._sections["saved"],
                          [(saved_scope(s.id, s.name, s.query), n) for s, n in data.saved], "saved")
        finally:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for head in self._sections.values():
            if not self.isExpanded(head.index()):
                self.expand(head.index())
        if current is not None:
            if current.key in self._items:
                self.select_key(current.key, emit=False)
                renewed = self._items[current.key][0].data(SCOPE_ROLE)
                if renewed != current:  # renamed, or a saved search's text changed
                    self.scope_selected.emit(renewed)
            else:  # the gallery or saved search is gone
                self.select_key(LIBRARY[0].key)

    def _replace(self, section: QStandardItem, entries: list[tuple[Scope, int | None]], kind: str) -> None:
        keys = [scope.key for scope, _ in entries] or [_HINT.key]
        old = [section.child(r).data(SCOPE_ROLE).key for r in range(section.rowCount())]
        self.selectionModel().blockSignals(True)
        try:
            if keys != old:
                self._sync_rows(section, [scope for scope, _ in entries], old)
            for scope, count in entries:
                name, number = self._items[scope.key]
                _set_text(name, scope.label)
                if name.data(SCOPE_ROLE) != scope:
                    name.setData(scope, SCOPE_ROLE)
                    number.setData(scope, SCOPE_ROLE)
                _set_text(number, "" if count is None else f"{count:,}")
                tip = scope.label if scope.is_gallery else f"{scope.label}: {scope.query}"
                if name.toolTip() != tip:
                    name.setToolTip(tip)
            if not entries and not section.rowCount():
                hint = QStandardItem("None yet: right-click to add" if kind == "galleries"
                                     else "None yet: Save search…")
                hint.setToolTip("Right-click here and choose New Gallery…, or select assets and press "
                                "Ctrl+G" if kind == "galleries" else
                                "Type a search in the search box, then press Save search… to keep it here")
                hint.setFlags(Qt.ItemFlag.ItemIsEnabled)
                hint.setForeground(self.palette().placeholderText())
                hint.setData(_HINT, SCOPE_ROLE)
                section.appendRow([hint, QStandardItem("")])
                self.setFirstColumnSpanned(section.rowCount() - 1, section.index(), True)
        finally:
            self.selectionModel().blockSignals(False)

    def _sync_rows(self, section: QStandardItem, scopes: list[Scope], old: list[tuple]) -> None:
        """Make the section's rows follow ``scopes`` by removing, inserting and moving rows, so
        adding one gallery to 5,000 inserts one row instead of rebuilding the list."""
        wanted = {scope.key for scope in scopes}
        for row in reversed(range(len(old))):
            if old[row] not in wanted:
                section.removeRow(row)
                self._items.pop(old[row], None)
        for row, scope in enumerate(scopes):
            child = section.child(row)
            if child is not None and child.data(SCOPE_ROLE).key == scope.key:
                continue
            if scope.key in self._items:   # moved (a new date or title changes the order)
                section.insertRow(row, section.takeRow(self._items[scope.key][0].row()))
            else:
                self._add(section, scope, row)

    # -- selection -------------------------------------------------------------------------------
    def current_scope(self) -> Scope | None:
        scope = self.currentIndex().data(SCOPE_ROLE)
        return scope if isinstance(scope, Scope) and scope.key != _HINT.key else None

    def select_key(self, key: tuple, emit: bool = True) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        index = item[0].index()
        if not emit:
            self.selectionModel().blockSignals(True)
        self.setCurrentIndex(index)
        self.selectionModel().blockSignals(False)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        scope = current.data(SCOPE_ROLE)
        if isinstance(scope, Scope) and scope.key != _HINT.key:
            self.scope_selected.emit(scope)

    def gallery_at(self, pos: QPoint) -> Scope | None:
        scope = self.indexAt(pos).data(SCOPE_ROLE)
        return scope if isinstance(scope, Scope) and scope.is_gallery else None

    # -- drag and drop ----------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(ASSET_IDS_MIME) or local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        mime = event.mimeData()
        on_gallery = self.gallery_at(event.position().toPoint()) is not None
        if mime.hasFormat(ASSET_IDS_MIME):
            if on_gallery:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
            else:
                event.ignore()
        elif local_paths(mime):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()
        self.viewport().update()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        gallery = self.gallery_at(event.position().toPoint())
        ids = decode_asset_ids(mime)
        if ids and gallery is not None:
            self.assets_dropped.emit(gallery.gallery_id, ids)
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return
        paths = local_paths(mime)
        if paths:
            self.files_dropped.emit(gallery.label if gallery else None, paths)
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return
        event.ignore()

    # -- menus and keys -------------------------------------------------------------------------
    def _show_menu(self, pos: QPoint) -> None:
        self.context_menu(pos).exec(self.viewport().mapToGlobal(pos))

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu for the entry at ``pos`` (every entry with its own access letter)."""
        scope = self.indexAt(pos).data(SCOPE_ROLE)
        menu = QMenu(self)
        if isinstance(scope, Scope) and scope.is_gallery:
            gid, title = scope.gallery_id, scope.label
            menu.addAction("&Export Gallery…", lambda: self.export_gallery_requested.emit(gid, title))
            menu.addAction("&Rename Gallery…", lambda: self.rename_gallery_requested.emit(gid, title))
            menu.addAction("&Delete Gallery", lambda: self.delete_gallery_requested.emit(gid, title))
            menu.addSeparator()
        elif isinstance(scope, Scope) and scope.key[0] == "saved":
            sid, name = scope.key[1], scope.label
            menu.addAction("&Rename Saved Search…", lambda: self.rename_saved_requested.emit(sid, name))
            menu.addAction("&Delete Saved Search", lambda: self.delete_saved_requested.emit(sid, name))
            menu.addSeparator()
        menu.addAction("&New Gallery…", self.new_gallery_requested.emit)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        scope = self.current_scope()
        if scope is not None and scope.key[0] in ("gallery", "saved"):
            if event.key() == Qt.Key.Key_F2:
                if scope.is_gallery:
                    self.rename_gallery_requested.emit(scope.gallery_id, scope.label)
                else:
                    self.rename_saved_requested.emit(scope.key[1], scope.label)
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                if scope.is_gallery:
                    self.delete_gallery_requested.emit(scope.gallery_id, scope.label)
                else:
                    self.delete_saved_requested.emit(scope.key[1], scope.label)
                return
        super().keyPressEvent(event)
