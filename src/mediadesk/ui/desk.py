"""The captioning desk in the window (issue 17): marks from the keyboard, the loupe, the info
dialog, the stationery pad, the Import dialog, write-back, and thumbnail labels.

It wires the commands of ui/desk_actions.py to the window's parts; every write goes through a
service on the runner's writer lane (marks and edits through ``HistoryController``, so each
keystroke is one step of Edit > Undo) or a runner job (import, write-back). The window keeps
its own wiring; this module adds the desk's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMenu, QPlainTextEdit, QToolBar, QWidget

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.marks import PICKED, REJECTED
from mediadesk.services.edits import EditResult
from mediadesk.services.ingest import IngestResult
from mediadesk.services.marks import set_label, set_pick, set_rating, toggle_label, toggle_pick

from mediadesk.ui.asset_query import import_scope
from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.desk_actions import DeskActions, build_desk_menus, create_desk_actions
from mediadesk.ui.field_editors import FieldEditor
from mediadesk.ui.file_dialogs import IMPORT_FILES, IMPORT_FOLDER
from mediadesk.ui.grid_marks import DEFAULT_LABEL_MODE, LABEL_MODES
from mediadesk.ui.import_dialog import ImportDialog
from mediadesk.ui.info_dialog import InfoDialog
from mediadesk.ui.loupe import Loupe
from mediadesk.ui.selection import selected_rows
from mediadesk.ui.stationery_pad import StationeryPadDialog
from mediadesk.ui.window_state import view_value
from mediadesk.ui.writeback_dialog import WritebackDialog

if TYPE_CHECKING:
    from mediadesk.ui.main_window import MainWindow

Work = Callable[[Catalog], EditResult]
_SELECT_ROW = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


class _FieldJump(QObject):
    """After a jump from the grid to a field (Alt+C, Alt+P, Alt+K): Return (Ctrl+Return in the
    caption) saves and goes back to the grid; Esc goes back when nothing is left to revert."""

    def __init__(self, editor: FieldEditor, back: Callable[[], None]) -> None:
        super().__init__(editor)
        self.editor = editor
        self.back = back
        self.armed = False
        editor.input.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.armed:
            return False
        if event.type() == QEvent.Type.FocusOut:
            self.armed = False
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key, ctrl = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            multi_line = isinstance(self.editor.input, QPlainTextEdit)
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (ctrl or not multi_line):
                self.editor.commit()
                self.armed = False
                self.back()
                return True
            if key == Qt.Key.Key_Escape and not self.editor.is_dirty():
                self.armed = False
                self.back()
                return True
        return False


class Desk(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.actions: DeskActions = create_desk_actions(window)
        menubar = window.menuBar()
        menus = {m.title(): m for m in menubar.findChildren(QMenu) if m.parent() is menubar}
        self.image_menu = build_desk_menus(menubar, self.actions, menus["&File"], menus["&View"],
                                           menus["&Help"].menuAction())
        self.loupe = Loupe(window.catalog, window.model, window)
        window.centre.addWidget(self.loupe)
        self._before_loupe: QAbstractItemView | None = None
        self._full_screen: tuple[bool, list[int]] | None = None
        self.info_dialog: InfoDialog | None = None
        self.pad_dialog: StationeryPadDialog | None = None
        self.import_dialog: ImportDialog | None = None
        self.writeback_dialog: WritebackDialog | None = None
        self.writeback_workers: int | None = None
        self._jumps = {name: _FieldJump(window.inspector.editor(name), self.back_to_view)
                       for name in ("caption", "people", "keywords")}
        window.inspector.install_on_text_editors(
            lambda widget: install_code_expansion(widget, window.catalog_path), ("people", "keywords"))
        for view in (window.grid, window.table, self.loupe):
            view.addActions(self.actions.view_keys())
        self._connect()
        mode = view_value(window.settings, "thumbnail_label", DEFAULT_LABEL_MODE, str)
        self.set_label_mode(mode if mode in dict(LABEL_MODES) else DEFAULT_LABEL_MODE, remember=False)

    def _connect(self) -> None:
        a, w = self.actions, self.w
        for stars, action in enumerate(a.ratings):
            action.triggered.connect(lambda _=False, n=stars: self.rate(n))
        a.pick.triggered.connect(lambda: self.mark_pick(PICKED))
        a.reject.triggered.connect(lambda: self.mark_pick(REJECTED))
        a.unpick.triggered.connect(lambda: self.mark_pick(None))
        a.toggle_pick.triggered.connect(self.toggle_pick)
        for action in a.labels:
            name = action.data()
            action.triggered.connect(lambda _=False, name=name: self.toggle_label(name))
        a.no_label.triggered.connect(lambda: self.label(None))
        a.info.triggered.connect(self.open_info)
        a.pad.triggered.connect(self.open_pad)
        a.edit_caption.triggered.connect(lambda: self.jump("caption"))
        a.edit_people.triggered.connect(lambda: self.jump("people"))
        a.edit_keywords.triggered.connect(lambda: self.jump("keywords"))
        a.loupe.triggered.connect(self.open_loupe)
        a.full_screen.triggered.connect(self.toggle_full_screen)
        a.writeback.triggered.connect(self.open_writeback)
        for mode, action in a.label_modes.items():
            action.triggered.connect(lambda _=False, m=mode: self.set_label_mode(m))
        for view in (w.grid, w.table):
            view.play_toggle_requested.connect(self.open_loupe)
            view.activated_asset.connect(self.open_loupe)
            view.doubleClicked.connect(lambda _index: self.open_loupe())
        self.loupe.closed.connect(self.close_loupe)
        self.loupe.row_changed.connect(self._loupe_moved)
        w.importer.ingested.connect(self.show_import)
        w.selection.selectionChanged.connect(lambda *_: self.update_actions())

    # -- which assets a command is for -----------------------------------------------------
    def target_ids(self) -> list[int]:
        """The photo in the loupe when it is open, else the selection."""
        if self.loupe_open():
            asset = self.loupe.current_asset()
            return [asset.id] if asset is not None else []
        return self.w.selected_ids()

    def update_actions(self) -> None:
        has = bool(self.target_ids())
        a = self.actions
        for action in (*a.ratings, a.pick, a.reject, a.unpick, a.toggle_pick, *a.labels, a.no_label,
                       a.info, a.pad, a.writeback):
            action.setEnabled(has)

    # -- marks -------------------------------------------------------------------------------
    def _mark(self, work: Callable[[Catalog, list[int]], EditResult], description: str) -> None:
        ids = self.target_ids()
        if not ids:
            self.w.show_message("Select the photos to mark first.")
            return
        self.w.history.run(lambda catalog: work(catalog, ids), description)

    def rate(self, stars: int) -> None:
        self._mark(lambda c, ids: set_rating(c, ids, stars), f"Rated {'★' * stars}" if stars else "Rating cleared")

    def mark_pick(self, pick: int | None) -> None:
        words = {PICKED: "Picked", REJECTED: "Rejected", None: "Pick cleared"}
        self._mark(lambda c, ids: set_pick(c, ids, pick), words[pick])

    def toggle_pick(self) -> None:
        self._mark(toggle_pick, "Tag toggled")

    def toggle_label(self, name: str) -> None:
        self._mark(lambda c, ids: toggle_label(c, ids, name), f"{name} label")

    def label(self, name: str | None) -> None:
        self._mark(lambda c, ids: set_label(c, ids, name), f"{name} label" if name else "Label cleared")

    # -- thumbnail labels --------------------------------------------------------------------
    def set_label_mode(self, mode: str, *, remember: bool = True) -> None:
        """View > Thumbnail Label: the file name, the frame number or the title under each picture."""
        self.w.grid.delegate.label_mode = mode
        self.actions.label_modes[mode].setChecked(True)
        if remember:
            self.w.settings.setValue("view/thumbnail_label", mode)
        self.w.grid.viewport().update()

    # -- the loupe ---------------------------------------------------------------------------
    def loupe_open(self) -> bool:
        return self.w.centre.currentWidget() is self.loupe

    def open_loupe(self) -> None:
        w = self.w
        view = w.pane.current_view()
        index = view.currentIndex()
        rows = selected_rows(w.selection)
        if not index.isValid() or not w.selection.isRowSelected(index.row()):
            if not rows:
                w.show_message("Select a photo to see it large.")
                return
            index = w.model.index(rows[0], 0)
        walk = rows if len(rows) > 1 else list(range(w.model.rowCount()))
        self._before_loupe = view
        w.preview.player.player.pause()
        w.preview.hide()            # the loupe shows the photo; the inspector keeps the right side
        w.centre.setCurrentWidget(self.loupe)
        self.loupe.open(walk, index.row())
        self.loupe.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.update_actions()

    def _loupe_moved(self, row: int) -> None:
        """The views' current item follows the loupe; inside a multiple selection the selection
        stays, otherwise the photo shown becomes the selection (the inspector follows it)."""
        w = self.w
        index = w.model.index(row, 0)
        if len(selected_rows(w.selection)) > 1 and w.selection.isRowSelected(row):
            w.selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        else:
            w.selection.setCurrentIndex(index, _SELECT_ROW)

    def close_loupe(self) -> None:
        if not self.loupe_open():
            return
        if self._full_screen is not None:
            self.toggle_full_screen()
        self.loupe.leave()
        self.w.preview.show()
        self.w.centre.setCurrentWidget(self.w.pane)
        view = self._before_loupe or self.w.pane.current_view()
        index = view.currentIndex()
        if index.isValid():
            view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.update_actions()

    def toggle_full_screen(self) -> None:
        """F: the loupe over the whole screen (sidebar, inspector, toolbar and bars hidden), or back."""
        w = self.w
        if self._full_screen is None:
            if not self.loupe_open():
                self.open_loupe()
                if not self.loupe_open():
                    return
            self._full_screen = (w.isFullScreen(), w.main.sizes())
            for widget in self._chrome():
                widget.hide()
            w.showFullScreen()
            self.loupe.setFocus()
        else:
            was_full, sizes = self._full_screen
            self._full_screen = None
            for widget in self._chrome():
                widget.show()
            w.main.setSizes(sizes)
            if not was_full:
                w.showNormal()
            self.loupe.setFocus()

    def _chrome(self) -> list[QWidget]:
        w = self.w
        return [w.sidebar, w.right, w.menuBar(), w.statusBar(), *w.findChildren(QToolBar)]

    @property
    def full_screen(self) -> bool:
        return self._full_screen is not None

    # -- the info dialog and the field jumps -------------------------------------------------
    def open_info(self) -> None:
        w = self.w
        if self.loupe_open():
            asset = self.loupe.current_asset()
            ids, start = ([asset.id], asset.id) if asset else ([], None)
        else:
            ids = w.selected_ids()
            current = w.selection.currentIndex()
            start = w.model.id_at(current.row()) if current.isValid() else (ids[0] if ids else None)
        if not ids:
            w.show_message("Select the photos to caption first.")
            return
        walk = ids if len(ids) > 1 else list(w.model.ids())
        first = start if start is not None and start in walk else ids[0]
        dialog = InfoDialog(w.catalog, w.catalog_path, walk, first, w, may_assign_rights=w.catalog.rights.may_assign())
        dialog.edit_requested.connect(w.history.apply)
        many = len(ids) > 1
        dialog.asset_shown.connect(lambda asset_id: self._follow(asset_id, many))
        dialog.finished.connect(lambda _code: self._info_closed())
        self.info_dialog = dialog
        dialog.open()
        dialog.editors["caption"].input.setFocus()

    def _follow(self, asset_id: int, within_selection: bool) -> None:
        row = self.w.model.row_of(asset_id)
        if row is None:
            return
        if self.loupe_open():
            return
        index = self.w.model.index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.NoUpdate if within_selection
                 else _SELECT_ROW)
        self.w.selection.setCurrentIndex(index, flags)
        self.w.pane.current_view().scrollTo(index)

    def _info_closed(self) -> None:
        self.info_dialog = None
        (self.loupe if self.loupe_open() else self.w.pane.current_view()).setFocus()

    def jump(self, name: str) -> None:
        """Alt+C / Alt+P / Alt+K: into the inspector's field for the selection."""
        if not self.w.selected_ids():
            self.w.show_message("Select the photos first.")
            return
        if self.loupe_open():
            self.close_loupe()
        # arrow keys a moment ago: the inspector must hold this selection before typing goes in
        self.w.settle_selection()
        ids = self.w.selected_ids()
        if not self.w.inspector.shows(ids):
            self.w.inspector.show_now(ids, self.w.catalog)
        editor = self.w.inspector.editor(name)
        self._before_loupe = self.w.pane.current_view()
        self._jumps[name].armed = True
        editor.input.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(editor.input, QPlainTextEdit):
            editor.input.moveCursor(editor.input.textCursor().MoveOperation.End)
        elif isinstance(editor.input, QLineEdit):
            editor.input.end(False)
        self._jumps[name].armed = True   # (setFocus cleared nothing, but a FocusOut may have)

    def back_to_view(self) -> None:
        self.w.pane.current_view().setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the stationery pad and write-back ---------------------------------------------------
    def open_pad(self) -> None:
        ids = self.target_ids()
        if not ids:
            self.w.show_message("Select the photos to fill first.")
            return
        dialog = StationeryPadDialog(self.w.catalog_path, ids, self.w, runner=self.w.runner)
        dialog.applied.connect(self.w.events.changed.emit)
        self.pad_dialog = dialog
        dialog.open()

    def open_writeback(self) -> None:
        ids = self.target_ids()
        if not ids:
            self.w.show_message("Select the assets whose files should get the catalog's metadata.")
            return
        dialog = WritebackDialog(ids, self.w, runner=self.w.runner, workers=self.writeback_workers)
        dialog.written.connect(self.w.events.changed.emit)
        self.writeback_dialog = dialog
        dialog.open()

    # -- import ------------------------------------------------------------------------------
    def choose_import(self, files: bool = False) -> None:
        """File > Import Folder / Import Files: the file dialog, then the Import dialog."""
        w = self.w
        if files:
            paths = w.file_dialogs.ask(IMPORT_FILES, w)
        else:
            folder = w.file_dialogs.ask_one(IMPORT_FOLDER, w)
            paths = [folder] if folder else []
        if paths:
            self.ask_import(paths)

    def ask_import(self, paths: list[str], gallery: str | None = None) -> ImportDialog:
        dialog = ImportDialog(paths, self.w, runner=self.w.runner, settings=self.w.settings, gallery=gallery)
        dialog.accepted.connect(lambda: self._import(paths, dialog))
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _import(self, paths: list[str], dialog: ImportDialog) -> None:
        self.w.show_message(f"Importing {len(paths)} item{'s' if len(paths) != 1 else ''}…")
        self.w.importer.import_paths(paths, options=dialog.options())

    def show_import(self, result: IngestResult) -> None:
        """After an import the view shows exactly that import, the first photo current."""
        w = self.w
        w.events.changed.emit(result.changes)
        for problem in result.problems:
            w.show_message(problem, 15000)
        ids = result.shown_ids or result.asset_ids
        if not ids or result.report.cancelled:
            return
        first = os.path.basename(os.path.normpath(result.roots[0])) if result.roots else "files"
        more = f" and {len(result.roots) - 1} more" if len(result.roots) > 1 else ""
        scope = import_scope(result.report.batch_id, f"Imported: {first}{more}", ids)
        w.sidebar.clearSelection()
        w.sidebar.setCurrentIndex(w.sidebar.model().index(-1, -1))

        def shown(count: int, _errors, complete: bool = True) -> None:
            if w.results.scope is not scope or not count:
                return
            w.results.results_changed.disconnect(shown)
            index = w.model.index(0, 0)
            w.selection.setCurrentIndex(index, _SELECT_ROW)
            view = w.pane.current_view()
            view.scrollTo(index)
            view.setFocus(Qt.FocusReason.OtherFocusReason)

        w.results.results_changed.connect(shown)
        w.pane.set_title(scope.label)
        w.results.set_scope(scope)

    # -- context menu ------------------------------------------------------------------------
    def extend_menu(self, menu: QMenu) -> None:
        a = self.actions
        entries = menu.actions()
        if entries:
            menu.insertActions(entries[0], [a.info, a.pad])
            menu.insertSeparator(entries[0])
        else:
            menu.addActions([a.info, a.pad])
            menu.addSeparator()
        rating = QMenu("Ra&ting", menu)
        rating.addActions(a.ratings)
        colour = QMenu("Colour &Label", menu)
        colour.addActions([*a.labels, a.no_label])
        menu.addSeparator()
        menu.addMenu(rating)
        menu.addActions([a.pick, a.reject])
        menu.addMenu(colour)
        menu.addSeparator()
        menu.addAction(a.writeback)

    def stop(self) -> None:
        self.loupe.stop()
