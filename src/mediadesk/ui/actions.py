"""The window's commands as QActions (text, shortcut, tip) and the menus that hold them."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from mediadesk.ui.icons import icon


@dataclass
class Actions:
    import_folder: QAction
    import_files: QAction
    demo: QAction
    export: QAction
    publish: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    select_all: QAction
    batch_edit: QAction
    find_replace: QAction
    new_gallery: QAction
    remove_from_gallery: QAction
    show_in_folder: QAction
    codes: QAction
    grid: QAction
    table: QAction
    find: QAction
    bigger: QAction
    smaller: QAction
    search_help: QAction
    about: QAction
    open_team: QAction
    recent: QMenu | None = field(default=None)   # File > Open Recent (filled when it opens)


def _action(parent: QObject, text: str, shortcut=None, tip: str = "", icon_name: str | None = None) -> QAction:
    action = QAction(text, parent)
    if shortcut is not None:
        if isinstance(shortcut, (list, tuple)):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        else:
            action.setShortcut(QKeySequence(shortcut))
    if tip:
        plain = action.iconText()   # the text without its access letter or "…"
        action.setStatusTip(tip)
        action.setToolTip(f"{plain} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                          if shortcut is not None else plain)
    if icon_name is not None:
        action.setIcon(icon(icon_name))
    return action


def create_actions(window: QWidget, undo: QAction, redo: QAction) -> Actions:
    a = Actions(
        import_folder=_action(window, "&Import Folder…", "Ctrl+I", "Import a folder of photos and videos",
                              "import"),
        import_files=_action(window, "Import &Files…", "Ctrl+Shift+I", "Import chosen files"),
        demo=_action(window, "Build &Demo Library", None, "Import the NATO demo library into this catalog"),
        export=_action(window, "&Export…", "Ctrl+E", "Export the selection (or the gallery) as a rights-checked bundle",
                       "export"),
        publish=_action(window, "&Publish as Web Page…", "Ctrl+Shift+P",
                        "Publish the gallery (or the selection) as a static web page; the rights "
                        "policy decides what goes online"),
        quit=_action(window, "&Quit", QKeySequence.StandardKey.Quit, "Close mediadesk"),
        undo=undo,
        redo=redo,
        select_all=_action(window, "Select &All", QKeySequence.StandardKey.SelectAll, "Select every asset shown"),
        batch_edit=_action(window, "&Batch Edit…", "Ctrl+B", "Apply a caption template or fields to the selection"),
        find_replace=_action(window, "&Find and Replace…", "Ctrl+H", "Find and replace text in captions and fields"),
        new_gallery=_action(window, "&New Gallery from Selection…", "Ctrl+G", "Make a gallery of the selected assets"),
        remove_from_gallery=_action(window, "Re&move from Gallery", QKeySequence.StandardKey.Delete,
                                    "Take the selected assets out of this gallery (they stay in the catalog)"),
        show_in_folder=_action(window, "&Show in Folder", None, "Open the folder holding the file"),
        codes=_action(window, "Code Re&placements…", None, "Shortcodes that expand while typing captions"),
        grid=_action(window, "&Grid", "Ctrl+1", "Show thumbnails", "grid"),
        table=_action(window, "&Table", "Ctrl+2", "Show a sortable table", "table"),
        find=_action(window, "F&ind", QKeySequence.StandardKey.Find, "Search the catalog", "search"),
        bigger=_action(window, "&Larger Thumbnails", ["Ctrl++", "Ctrl+="], "Larger thumbnails"),
        smaller=_action(window, "&Smaller Thumbnails", "Ctrl+-", "Smaller thumbnails"),
        search_help=_action(window, "Search &Syntax", None, "How to write searches and filters"),
        about=_action(window, "&About mediadesk", None, "Version and licence"),
        open_team=_action(window, "Open &Team Catalog…", None,
                          "Open a catalog shared by the whole office on a PostgreSQL server"),
    )
    undo.setIcon(icon("undo"))
    redo.setIcon(icon("redo"))
    # Delete only acts in the views, never while typing in a field or in the sidebar
    a.remove_from_gallery.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    group = QActionGroup(window)
    for view in (a.grid, a.table):
        view.setCheckable(True)
        group.addAction(view)
    a.grid.setChecked(True)
    return a


def build_menus(menubar: QMenuBar, a: Actions) -> None:
    """The menu bar; every entry has an access letter (&File, &Import Folder…), none twice in a menu."""
    file = menubar.addMenu("&File")
    file.addAction(a.open_team)
    a.recent = file.addMenu("Open &Recent")
    a.recent.setObjectName("recentCatalogs")
    file.addSeparator()
    file.addActions([a.import_folder, a.import_files])
    file.addSeparator()
    file.addAction(a.export)
    file.addAction(a.publish)
    file.addSeparator()
    file.addAction(a.demo)
    file.addSeparator()
    file.addAction(a.quit)
    edit = menubar.addMenu("&Edit")
    edit.addActions([a.undo, a.redo])
    edit.addSeparator()
    edit.addAction(a.select_all)
    edit.addSeparator()
    edit.addActions([a.batch_edit, a.find_replace])
    edit.addSeparator()
    edit.addActions([a.new_gallery, a.remove_from_gallery])
    edit.addSeparator()
    edit.addAction(a.codes)
    view = menubar.addMenu("&View")
    view.addActions([a.grid, a.table])
    view.addSeparator()
    view.addActions([a.bigger, a.smaller])
    view.addSeparator()
    view.addAction(a.find)
    help_ = menubar.addMenu("&Help")
    help_.addActions([a.search_help, a.about])
