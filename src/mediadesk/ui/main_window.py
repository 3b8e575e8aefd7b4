"""The main window: wires the components together (it holds no catalog logic of its own).

Threads (ui/runner.py): the GUI thread reads pages of rows and small things through
``catalog``, a read-only connection; the runner's reader lanes run result sets, counts and
inspector summaries; its writer lane runs every edit; imports, the demo library, exports and
publishing are the runner's jobs. All writes end in ``events.changed`` (Changes), and each
component redraws what the change touched. Closing stops the runner first: nothing it still
had in flight reaches the window after that.
"""

from __future__ import annotations

import os
from functools import partial
from itertools import pairwise

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mediadesk.domain.changes import Changes
from mediadesk.domain.query import parse_query
from mediadesk.services import chapters

from mediadesk.ui.about import show_about
from mediadesk.ui.actions import build_menus, create_actions
from mediadesk.ui.asset_mime import local_paths
from mediadesk.ui.asset_model import ASSET_ROLE, AssetModel
from mediadesk.ui.asset_query import ALL, Scope
from mediadesk.ui.catalog_events import CatalogEvents, is_external
from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.desk import Desk
from mediadesk.ui.desktop import show_folder
from mediadesk.ui.file_dialogs import FileDialogs
from mediadesk.ui.gallery_actions import GalleryActions
from mediadesk.ui.grid_view import DEFAULT_EDGE, AssetGridView
from mediadesk.ui.import_controller import ImportController
from mediadesk.ui.inspector import Inspector
from mediadesk.ui.ledger_dialog import install_ledger_action
from mediadesk.ui.preview import Preview
from mediadesk.ui.results import ResultsController
from mediadesk.ui.results_pane import ResultsPane
from mediadesk.ui.role_gate import RoleGate
from mediadesk.ui.runner import CatalogRunner
from mediadesk.ui.search_bar import HELP, SearchBar
from mediadesk.ui.selection import selected_ids
from mediadesk.ui.sidebar import Sidebar
from mediadesk.ui.sidebar_data import SidebarData, load_sidebar
from mediadesk.ui.table_view import AssetTableView
from mediadesk.ui.team_open import (
    CatalogMenu,
    CatalogOpener,
    RecentCatalogs,
    keep_open,
    shown_name,
    window_title,
)
from mediadesk.ui.team_watch import TeamChangeWatcher
from mediadesk.ui.team_window import EditOutcomes, TeamLink, change_watcher
from mediadesk.ui.thumbnail_loader import ThumbnailLoader
from mediadesk.ui.undo import HistoryController
from mediadesk.ui.visible_rows import VisibleRowsReporter
from mediadesk.ui.welcome import WelcomePage
from mediadesk.ui.window_state import restore_state, save_state, view_value

SIDEBAR_REFRESH_MS = 400

# The dialogs, the demo library and the import report are imported when they are first opened:
# with what they bring (the export, publishing and media libraries: PyAV, exiv2, Pillow) they
# would take a third of a second from every start of the window (issue 18).


class MainWindow(QMainWindow):
    def __init__(self, catalog_path: str, settings: QSettings | None = None) -> None:
        super().__init__()
        self._shut = False
        self.catalog_path = str(catalog_path)
        self.settings = settings if settings is not None else QSettings()
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"mediadesk — {window_title(self.catalog_path)}")
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        # -- core plumbing ------------------------------------------------------------------
        self.runner = CatalogRunner(self.catalog_path, self)   # opens (and upgrades) the catalog
        self.catalog = self.runner.catalog                      # read-only: no write on this thread
        self.events = CatalogEvents(self)
        self.reader = self.runner.lane("reader")
        self.writer = self.runner.writer
        self.counter = self.runner.lane("counts")   # sidebar counts never delay results
        self.watcher = change_watcher(self.catalog, self.events, self)
        self.watcher.suppress = lambda: self.runner.busy
        self.loader = ThumbnailLoader(parent=self)
        self.recent = RecentCatalogs(self.settings)
        self.rows = self.runner.lane("rows")
        self.model = AssetModel(self.catalog, self.rows, self)
        self.history = HistoryController(self.catalog, self.writer, self.events, self)
        self.galleries = GalleryActions(self.writer, self.events, self)
        self.importer = ImportController(self.runner, self)
        self.file_dialogs = FileDialogs(self.settings, self.catalog_path)   # the only file dialogs
        self.sidebar_data: SidebarData | None = None

        # -- widgets ----------------------------------------------------------------------------
        self.actions_ = create_actions(self, self.history.undo_action, self.history.redo_action)
        build_menus(self.menuBar(), self.actions_)
        self.grid = AssetGridView(self.catalog, self.loader)
        self.table = AssetTableView()
        self.grid.setModel(self.model)
        self.table.setModel(self.model)
        self.selection = self.grid.selectionModel()
        self.table.setSelectionModel(self.selection)  # one selection for both views
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._row_reporters = [VisibleRowsReporter(self.grid, self._grid_rows_shown),
                               VisibleRowsReporter(self.table, self.model.want_rows)]
        self.results = ResultsController(self.reader, self.model, self.selection, self.loader, self)
        self.pane = ResultsPane(self.grid, self.table, self.actions_.grid, self.actions_.table)
        self.welcome = WelcomePage(shown_name(self.catalog_path))
        self.centre = QStackedWidget()
        self.centre.addWidget(self.pane)
        self.centre.addWidget(self.welcome)
        self.sidebar = Sidebar()
        self.search = SearchBar()
        self.inspector = Inspector(self.reader)
        self.preview = Preview(self.catalog)
        self.inspector.install_on_text_editors(lambda w: install_code_expansion(w, self.catalog_path))

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.preview)
        self.right.addWidget(self.inspector)
        self.right.setStretchFactor(0, 2)
        self.right.setStretchFactor(1, 3)
        self.right.setSizes([340, 520])
        self.main = QSplitter(Qt.Orientation.Horizontal)
        self.main.setObjectName("mainSplitter")
        self.main.addWidget(self.sidebar)
        self.main.addWidget(self.centre)
        self.main.addWidget(self.right)
        self.main.setStretchFactor(1, 1)
        self.main.setCollapsible(1, False)
        self.main.setSizes([250, 730, 420])
        self.setCentralWidget(self.main)
        self._build_toolbar()
        self.statusBar().addPermanentWidget(self.importer.progress)
        self.role_gate = RoleGate(self, self.catalog, self.show_people)   # issue 13: roles on a team catalog
        self.role_gate.apply_to_inspector(self.inspector)
        self.ledger_action = install_ledger_action(
            self, lambda fn, done, on_error=None: self.reader.submit(fn, done, on_error=on_error))
        self.role_gate.gate(self.ledger_action, "ledger")
        self.outcomes = EditOutcomes(self, self.history, self.inspector)
        self.team = (TeamLink(self, self.catalog, self.watcher, self.history, self.loader)
                     if isinstance(self.watcher, TeamChangeWatcher) else None)
        if self.team is not None:   # a share went offline or came back: badges and the preview
            self.team.roots_changed.connect(self.grid.viewport().update)
            self.team.roots_changed.connect(self.preview.recheck_offline)
        self.catalog_menu = CatalogMenu(self, self.actions_, self.recent, self.open_catalog)
        for view in (self.grid, self.table):
            view.addAction(self.actions_.remove_from_gallery)

        self._sidebar_timer = QTimer(self, singleShot=True, interval=SIDEBAR_REFRESH_MS)
        self._sidebar_timer.timeout.connect(self.refresh_sidebar)
        self._selection_timer = QTimer(self, singleShot=True, interval=30)
        self._selection_timer.timeout.connect(self._on_selection_settled)
        self._connect()
        self.desk = Desk(self)      # marks, loupe, info dialog, stationery pad, import dialog, write-back
        self._set_tab_order()
        self._restore_view_settings()
        self.pane.set_title(ALL.label)
        self.results.refresh(keep_selection=False)
        self.refresh_sidebar()
        self._update_actions()

    def show_people(self) -> None:
        from mediadesk.ui.people_dialog import PeopleDialog

        PeopleDialog(lambda fn, done, on_error=None: self.writer.submit(fn, done, on_error=on_error),
                     self).exec()

    # -- construction helpers ------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        a = self.actions_
        bar.addAction(a.import_folder)
        bar.addAction(a.export)
        bar.addSeparator()
        bar.addAction(a.batch_edit)
        bar.addAction(a.find_replace)
        bar.addSeparator()
        bar.addWidget(self.search)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

    def _set_tab_order(self) -> None:
        """Tab follows the screen: the search, the sidebar, the results (header, then the view),
        the preview's controls, the inspector's fields top to bottom."""
        pane, player = self.pane, self.preview.player
        chain = [self.search.field, self.search.save_button, self.sidebar, *pane.header_widgets(),
                 self.grid, self.table, self.welcome.import_button, self.welcome.demo_button,
                 player.play_button, player.seek, player.mute, *self.preview.timed.focus_order(),
                 *self.preview.document.focus_order(), *self.inspector.focus_order()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        a = self.actions_
        a.import_folder.triggered.connect(self.choose_import_folder)
        a.import_files.triggered.connect(self.choose_import_files)
        a.demo.triggered.connect(self.build_demo)
        a.export.triggered.connect(self.export)
        a.publish.triggered.connect(self.publish)
        a.quit.triggered.connect(self.close)
        a.select_all.triggered.connect(lambda: self.pane.current_view().selectAll())
        a.batch_edit.triggered.connect(self.batch_edit)
        a.find_replace.triggered.connect(self.find_replace)
        a.new_gallery.triggered.connect(lambda: self.galleries.new_gallery(self.selected_ids()))
        a.remove_from_gallery.triggered.connect(self.remove_from_gallery)
        a.show_in_folder.triggered.connect(self.show_in_folder)
        a.codes.triggered.connect(self.edit_codes)
        a.grid.triggered.connect(lambda: self.set_table_mode(False))
        a.table.triggered.connect(lambda: self.set_table_mode(True))
        a.find.triggered.connect(self.search.focus)
        a.bigger.triggered.connect(lambda: self.pane.size_slider.setValue(self.pane.size_slider.value() + 24))
        a.smaller.triggered.connect(lambda: self.pane.size_slider.setValue(self.pane.size_slider.value() - 24))
        a.search_help.triggered.connect(lambda: QMessageBox.information(self, "Search syntax", HELP))
        a.about.triggered.connect(lambda: show_about(self, shown_name(self.catalog_path)))

        self.events.changed.connect(self._on_changed)
        self.results.results_changed.connect(self._on_results)
        self.results.reset.connect(lambda: self.pane.current_view().scrollToTop())
        self.selection.selectionChanged.connect(self._on_selection_changed)
        self.selection.currentChanged.connect(lambda *_: self._selection_timer.start())
        self.search.search_changed.connect(self.results.set_text)
        self.search.search_changed.connect(self.pane.set_search)
        self.search.search_changed.connect(lambda text: self.preview.set_query(parse_query(text)))
        self.preview.chapter_add_requested.connect(self._add_chapter)
        self.preview.chapter_rename_requested.connect(
            lambda video, chapter, title: self.history.run(
                lambda cat: chapters.rename(cat, video, chapters.index_of(cat, video, chapter), title),
                "Chapter renamed"))
        self.preview.chapter_delete_requested.connect(
            lambda video, chapter: self.history.run(
                lambda cat: chapters.delete(cat, video, chapters.index_of(cat, video, chapter)),
                "Chapter deleted"))
        self.search.leave_requested.connect(
            lambda: self.pane.current_view().setFocus(Qt.FocusReason.ShortcutFocusReason))
        self.pane.clear_search_requested.connect(self.search.clear_search)
        self.search.save_requested.connect(self.galleries.save_search)
        self.table.order_requested.connect(self.results.set_order)
        for view in (self.grid, self.table):   # Space, Return and double click: the loupe (ui/desk.py)
            view.customContextMenuRequested.connect(self._show_asset_menu)
        self.sidebar.scope_selected.connect(self._on_scope)
        self.sidebar.assets_dropped.connect(self._on_assets_dropped)
        self.sidebar.files_dropped.connect(lambda gallery, paths: self.import_paths(paths, gallery))
        self.sidebar.new_gallery_requested.connect(lambda: self.galleries.new_gallery(self.selected_ids()))
        self.sidebar.rename_gallery_requested.connect(self.galleries.rename)
        self.sidebar.delete_gallery_requested.connect(self.galleries.delete)
        self.sidebar.export_gallery_requested.connect(self.export_gallery)
        self.sidebar.rename_saved_requested.connect(self.galleries.rename_saved)
        self.sidebar.delete_saved_requested.connect(self.galleries.delete_saved)
        self.inspector.edit_requested.connect(self.history.apply)
        links = self.inspector.links
        links.link_requested.connect(lambda doc, ids: self.link_assets(doc, ids, remove=False))
        links.unlink_requested.connect(lambda doc, ids: self.link_assets(doc, ids, remove=True))
        links.open_requested.connect(self.show_asset)
        self.history.message.connect(self.show_message)
        self.galleries.message.connect(self.show_message)
        self.reader.failed.connect(lambda error: self.show_message(f"Could not read the catalog: {error}"))
        self.writer.failed.connect(lambda error: self.show_message(f"Not saved: {error}"))
        self.importer.changed.connect(self.events.changed)
        self.importer.finished.connect(self._on_import_finished)
        self.importer.failed.connect(self._on_import_failed)
        self.importer.running_changed.connect(self.welcome.set_busy)
        self.welcome.import_requested.connect(self.choose_import_folder)
        self.welcome.demo_requested.connect(self.build_demo)

    def _restore_view_settings(self) -> None:
        edge = view_value(self.settings, "thumbnail_size", DEFAULT_EDGE, int)
        self.pane.size_slider.setValue(edge)
        self.set_table_mode(view_value(self.settings, "table", False, bool))
        header = self.settings.value("view/table_header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)
        order = self.settings.value("view/order") or None
        if order:
            self.table.set_order(order)
            self.results.order = order

    def restore_layout(self) -> None:
        restore_state(self.settings, self, {"main": self.main, "right": self.right})

    def save_layout(self) -> None:
        save_state(self.settings, self, {"main": self.main, "right": self.right}, {
            "thumbnail_size": self.grid.edge(), "table": self.pane.is_table(),
            "table_header": self.table.horizontalHeader().saveState(), "order": self.results.order or "",
        })

    # -- selection, scope, results --------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return selected_ids(self.model, self.selection)

    def set_table_mode(self, table: bool) -> None:
        self.pane.show_table(table)
        (self.actions_.table if table else self.actions_.grid).setChecked(True)
        self._update_actions()

    def _on_scope(self, scope: Scope) -> None:
        self.pane.set_title(scope.label)
        self.results.set_scope(scope)
        self._update_actions()

    def _on_results(self, count: int, errors, complete: bool = True) -> None:
        self.search.show_errors(errors)
        self.pane.set_count(count, complete=complete)
        if count:
            self.centre.setCurrentWidget(self.pane)
        self._selection_timer.start()

    def settle_selection(self) -> None:
        """Act on a selection change now rather than after the short pause that lets arrow keys run."""
        if self._selection_timer.isActive():
            self._selection_timer.stop()
            self._on_selection_settled()

    def _on_selection_settled(self) -> None:
        ids = self.selected_ids()
        self.pane.set_count(len(self.model.ids()), len(ids), complete=self.results.complete)
        self.inspector.show_ids(ids)
        current = self.selection.currentIndex()
        row = current.row() if current.isValid() and self.selection.isRowSelected(current.row()) else None
        if row is None and ids:
            row = self.model.row_of(ids[0])
        asset = self.model.index(row, 0).data(ASSET_ROLE) if row is not None else None
        hit = self.model.hit(asset.id) if asset is not None else None
        self.preview.show_asset(asset, len(ids), start_at=hit.start if hit is not None else None)
        self._update_actions()

    def _update_actions(self) -> None:
        a = self.actions_
        has_selection = self.selection.hasSelection()
        scope = self.results.scope
        a.export.setEnabled(has_selection or scope.is_gallery)
        a.publish.setEnabled(has_selection or scope.is_gallery)
        a.batch_edit.setEnabled(has_selection)
        a.new_gallery.setEnabled(has_selection)
        a.remove_from_gallery.setEnabled(has_selection and scope.is_gallery)
        a.show_in_folder.setEnabled(has_selection)
        a.bigger.setEnabled(not self.pane.is_table())
        a.smaller.setEnabled(not self.pane.is_table())
        self.role_gate.apply(a)

    # -- changes ---------------------------------------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if self._shut:
            return   # closing: the catalog connections are going or gone
        external = is_external(changes)
        if not external:
            self.watcher.acknowledge()
        if changes.rights or external:
            self.model.reload_profiles()
        if external:
            self.model.invalidate_all()
        elif changes.assets:
            self.model.invalidate_assets(changes.assets)
        scope, text = self.results.scope, self.results.text
        filtered = bool(scope.query or text or scope.is_gallery)
        if changes.added or external or (changes.galleries and scope.is_gallery) \
                or (changes.fields and filtered):
            self.results.refresh(keep_selection=True)
        shown = self.preview.asset
        if shown is not None and (external or shown.id in changes.assets):
            self.preview.reload_words()   # chapters edited or undone, a transcript linked
        inspected = set(self.inspector.ids())
        if external or changes.rights or inspected & set(changes.assets):
            self.inspector.refresh()
            self._selection_timer.start()
        if changes.history or external:
            self.history.update_actions()
        self._sidebar_timer.start()

    def show_asset(self, asset_id: int) -> None:
        """Select an asset in the results when it is among them (a linked asset double-clicked)."""
        row = self.model.row_of(asset_id)
        if row is None:
            self.show_message(f"Asset {asset_id} is not among the assets shown; search id:{asset_id} to see it.")
            return
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag
        self.selection.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        self.pane.current_view().scrollTo(index)

    def link_assets(self, doc: int, ids: list[int], remove: bool) -> None:
        """Link (or unlink) a document and assets, undoably. The links service brings the
        subtitle aligner and the media libraries with it: imported at the first link, not at start."""
        from mediadesk.services.links import link

        self.history.run(lambda cat: link(cat, doc, ids, remove=remove).as_edit(),
                         "Unlinked" if remove else "Linked")

    def _add_chapter(self, video_id: int, at: float, title: str) -> None:
        """A chapter at the player's position, named for its moment, then renamed in place."""
        def then(_result: object) -> None:
            self.preview.reload_words()
            self.preview.timed.rename_at(at)

        self.history.run(lambda cat: chapters.add(cat, video_id, at, title), "Chapter added", then=then)

    def refresh_sidebar(self) -> None:
        self.counter.submit(load_sidebar, self._on_sidebar_data, key="sidebar")

    def _on_sidebar_data(self, data: SidebarData) -> None:
        self.sidebar_data = data
        self.sidebar.update_data(data)
        empty = data.total == 0 and not self.results.text
        self.centre.setCurrentWidget(self.welcome if empty else self.pane)

    # -- import ----------------------------------------------------------------------------------
    def choose_import_folder(self) -> None:
        self.desk.choose_import(files=False)   # the folder, then the Import dialog

    def choose_import_files(self) -> None:
        self.desk.choose_import(files=True)

    def import_paths(self, paths: list[str], gallery: str | None = None) -> None:
        self.show_message(f"Importing {len(paths)} item{'s' if len(paths) != 1 else ''}…")
        self.importer.import_paths(paths, gallery)

    def build_demo(self) -> None:
        from mediadesk import demo

        self.importer.run("Building the demo library",
                          lambda catalog, job, _on_batch: demo.build_demo_library(catalog, job=job))

    def _on_import_finished(self, report) -> None:
        from mediadesk.ui.import_report import ImportReportDialog, summary_line

        self.show_message(summary_line(report), 15000)
        self.events.changed.emit(Changes(added=True, galleries=True, rights=True))
        if report.errors or report.warnings or report.unsupported_files or report.skipped:
            dialog = ImportReportDialog(report, self)
            dialog.show()

    def _on_import_failed(self, error: str) -> None:
        self.show_message(f"Import failed: {error}", 0)
        box = QMessageBox(QMessageBox.Icon.Warning, "Import failed", error, QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal to the event loop: imports of other folders go on

    def dragEnterEvent(self, event) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
        else:
            event.ignore()

    # -- commands on the selection -----------------------------------------------------------------
    def _ids_for_command(self) -> list[int]:
        return self.selected_ids() or list(self.model.ids())

    def export(self) -> None:
        ids = self.selected_ids()
        scope = self.results.scope
        if not ids and scope.gallery_id is not None:
            self.export_gallery(scope.gallery_id, scope.label)
            return
        if not ids:
            self.show_message("Select the assets to export, or pick a gallery in the sidebar.")
            return
        title = scope.label if scope.is_gallery else None
        self.export_assets(ids, title)

    def export_gallery(self, gallery_id: int, title: str) -> None:
        self.export_assets(self.catalog.galleries.asset_ids(gallery_id), title)

    def export_assets(self, ids: list[int], title: str | None) -> None:
        from mediadesk.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.catalog_path, ids, self, gallery_title=title, dialogs=self.file_dialogs,
                              runner=self.runner)
        dialog.rights_changed.connect(self.events.changed.emit)   # a profile assigned as the fix
        dialog.open()

    def publish(self) -> None:
        """The gallery shown (or the selected assets) as a web page."""

        ids = self.selected_ids()
        scope = self.results.scope
        if not ids and not scope.is_gallery:
            self.show_message("Select the assets to publish, or pick a gallery in the sidebar.")
            return
        gallery = self.catalog.galleries.get(scope.gallery_id) if scope.gallery_id is not None else None
        if not ids:
            if gallery is None:
                self.show_message("That gallery no longer exists.")
                return
            ids = self.catalog.galleries.asset_ids(gallery.id)
        from mediadesk.ui.publish_dialog import PublishDialog  # publishing's services: at first use

        PublishDialog(self.catalog_path, ids, self, gallery=gallery, dialogs=self.file_dialogs,
                      runner=self.runner).open()

    def batch_edit(self) -> None:
        from mediadesk.ui.batch_editor import BatchEditorDialog

        ids = self.selected_ids()
        if ids:
            dialog = BatchEditorDialog(self.catalog_path, ids, self, runner=self.runner)
            dialog.applied.connect(self.events.changed.emit)
            dialog.open()

    def find_replace(self) -> None:
        from mediadesk.ui.find_replace_dialog import FindReplaceDialog

        dialog = FindReplaceDialog(self.catalog_path, self._ids_for_command(), self, runner=self.runner)
        dialog.applied.connect(self.events.changed.emit)
        dialog.open()

    def edit_codes(self) -> None:
        from mediadesk.ui.codes_dialog import CodesDialog

        CodesDialog(self.catalog_path, self, dialogs=self.file_dialogs, runner=self.runner).open()

    def remove_from_gallery(self) -> None:
        scope = self.results.scope
        ids = self.selected_ids()
        if scope.gallery_id is not None and ids:
            self.galleries.remove_assets(scope.gallery_id, ids, scope.label)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_actions()
        self._selection_timer.start()

    def _add_selection_to(self, gallery_id: int, title: str) -> None:
        self.galleries.add_assets(gallery_id, self.selected_ids(), title)

    def _on_assets_dropped(self, gallery_id: int, ids: list[int]) -> None:
        title = next((g.title for g in (self.sidebar_data.galleries if self.sidebar_data else [])
                      if g.id == gallery_id), "the gallery")
        self.galleries.add_assets(gallery_id, ids, title)

    def show_in_folder(self) -> None:
        ids = self.selected_ids()
        row = self.model.row_of(ids[0]) if ids else None
        asset = self.model.asset_at(row) if row is not None else None
        if asset is not None:
            said = show_folder(self, os.path.dirname(asset.path))
            if said:
                self.show_message(said.replace("\n", " "), 15000)

    def _show_asset_menu(self, pos) -> None:
        view = self.pane.current_view()
        self.asset_menu().exec(view.viewport().mapToGlobal(pos))

    def asset_menu(self) -> QMenu:
        """The grid's and table's context menu (every entry with its own access letter)."""
        a = self.actions_
        menu = QMenu(self)
        menu.addAction(a.export)
        menu.addAction(a.batch_edit)
        menu.addAction(a.find_replace)
        menu.addSeparator()
        add_to = menu.addMenu("&Add to Gallery")
        ids = self.selected_ids()
        for gallery in (self.sidebar_data.galleries if self.sidebar_data else [])[:40]:
            add_to.addAction(gallery.title.replace("&", "&&"),
                             partial(self._add_selection_to, gallery.id, gallery.title))
        if add_to.isEmpty():
            add_to.addAction(a.new_gallery)
        add_to.setEnabled(bool(ids))
        menu.addAction(a.new_gallery)
        menu.addAction(a.remove_from_gallery)
        self.desk.extend_menu(menu)
        menu.addSeparator()
        menu.addAction(a.show_in_folder)
        return menu

    # -- another catalog -------------------------------------------------------------------------
    def open_catalog(self, target: str) -> None:
        """A window on ``target`` (asking for a password or what to do when the server is away);
        this window closes once the new one is open."""
        from mediadesk.app import create_main_window

        if target == self.catalog_path:
            return
        window = CatalogOpener(lambda t: create_main_window(t, self.settings), self).open(target)
        if window is None:
            return
        keep_open(window)
        window.recent.add(target)
        window.restore_layout()
        window.show()
        self.close()

    # -- status and shutdown ---------------------------------------------------------------------
    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _grid_rows_shown(self, first: int, last: int) -> None:
        self.model.want_rows(first, last)
        self.grid.prefetch_thumbnails(first, last)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.importer.running and not self.confirm_stop_import():
            event.ignore()
            return
        self.save_layout()
        self.shutdown()
        super().closeEvent(event)

    def confirm_stop_import(self) -> bool:
        """Asked when closing during an import (replaceable: tests and scripts answer yes)."""
        yes, cancel = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel
        return QMessageBox.question(
            self, "Import running", "An import is still running. Stop it and quit?\n\n"
            "Everything imported so far stays in the catalog.", yes | cancel, cancel) == yes

    def shutdown(self) -> None:
        """Stop every thread and close the catalog (idempotent). The runner stops last but one:
        from then on no answer, change or progress of its lanes and jobs is delivered, so
        nothing in flight reaches a closed catalog."""
        if self._shut:
            return
        self._shut = True
        self._sidebar_timer.stop()
        self._selection_timer.stop()
        self.watcher.stop()
        self.importer.stop()
        self.preview.stop()
        self.desk.stop()
        self.loader.stop()
        if self.team is not None:
            self.team.stop()
        self.model.set_ids([])
        self.runner.stop()
