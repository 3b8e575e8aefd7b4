"""Every file dialog of the window comes from here, and none of them ever opens a file it lists.

Why (issue 17): a file dialog guesses the type of each file it lists. Qt's QMimeDatabase (behind
QFileIconProvider and QFileSystemModel's "Type") reads the first bytes of any file whose name does
not settle its type, such as ``catalog.mediadesk`` and its ``-wal`` and ``-shm``; GTK's native
dialog, which runs inside this process, does the same through GIO. Closing that descriptor drops
every SQLite lock this process holds on the catalog. So the dialogs here:

- are Qt's own widgets dialogs (``DontUseNativeDialog``), never the platform's in-process dialog;
- list files through :class:`NameOnlyIconProvider`, which answers icon and type from the name
  alone (``QMimeDatabase.MatchMode.MatchExtension``) and so never opens a file;
- refuse a catalog file where mediadesk would read or write the chosen file itself (codes);
- remember the last folder per purpose (QSettings ``file_dialogs/<purpose>``).

Tests and the stress script drive the real dialogs without a modal loop: :meth:`FileDialogs.build`
returns the dialog, and :attr:`FileDialogs.execute` (``dialog.exec()`` by default) can be replaced.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QFileInfo, QMimeDatabase, QSettings, QStandardPaths
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QDialog, QFileDialog, QFileIconProvider, QLabel, QMessageBox, QWidget

from mediadesk.catalog.files import CatalogFiles, catalog_part

FOLDER, OPEN_FILE, OPEN_FILES, SAVE_FILE = "folder", "open-file", "open-files", "save-file"
_STARTS = {"pictures": QStandardPaths.StandardLocation.PicturesLocation,
           "documents": QStandardPaths.StandardLocation.DocumentsLocation,
           "home": QStandardPaths.StandardLocation.HomeLocation}
SETTINGS_GROUP = "file_dialogs"
CODES_FILTER = ("Code replacement files (*.txt *.tsv)", "All files (*)")


def supported_extensions() -> Mapping[str, str]:
    """The media library's extensions (imported when a dialog is first built, not when the window
    opens: mediadesk.media brings PyAV, exiv2 and Pillow, a third of a second of every start)."""
    from mediadesk.media import SUPPORTED_EXTENSIONS

    return SUPPORTED_EXTENSIONS


def media_filters() -> tuple[str, ...]:
    return ("Photos, videos, audio and documents (" + " ".join(f"*{e}" for e in sorted(supported_extensions())) + ")",
            "All files (*)")


@dataclass(frozen=True)
class Purpose:
    """What a dialog is for: its title, what it picks, and where it starts."""
    key: str                       # the settings key of the last folder
    title: str
    mode: str                      # FOLDER, OPEN_FILE, OPEN_FILES or SAVE_FILE
    filters: tuple[str, ...] = ()
    media_filters: bool = False     # filters for the photos, videos, audio and documents mediadesk reads
    suggested_name: str = ""       # SAVE_FILE: the name offered
    start: str = "home"            # where it opens the first time: pictures, documents, home
    uses_chosen_file: bool = False  # mediadesk itself reads or writes the chosen file


IMPORT_FOLDER = Purpose("import_folder", "Import a folder of photos and videos", FOLDER, start="pictures")
IMPORT_FILES = Purpose("import_files", "Import photos and videos", OPEN_FILES, start="pictures", media_filters=True)
EXPORT_FOLDER = Purpose("export_folder", "Save the bundle in", FOLDER, start="documents")
PUBLISH_FOLDER = Purpose("publish_folder", "Publish the site into the folder", FOLDER, start="documents")
CODES_IMPORT = Purpose("codes_import", "Import code replacements", OPEN_FILE, CODES_FILTER,
                       uses_chosen_file=True)
CODES_EXPORT = Purpose("codes_export", "Export code replacements", SAVE_FILE, CODES_FILTER,
                       suggested_name="codes.txt",
                       uses_chosen_file=True)
#: Every file dialog the application has (tests/ui/test_ui_catalog_locks.py runs each one).
PURPOSES = (IMPORT_FOLDER, IMPORT_FILES, EXPORT_FOLDER, PUBLISH_FOLDER, CODES_IMPORT, CODES_EXPORT)

_CATALOG_TYPES = {"": "mediadesk catalog", "-wal": "mediadesk catalog write-ahead log",
                  "-shm": "mediadesk catalog shared memory", "-journal": "mediadesk catalog journal"}


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from a file's name and kind (folder or file): no file is ever read.

    Qt calls it from the file system model's gatherer thread too, so it only hands out icons
    made here, on the GUI thread, and reads the MIME database by extension (thread-safe)."""

    def __init__(self) -> None:
        super().__init__()
        self._mime = QMimeDatabase()
        self._folder = super().icon(QAbstractFileIconProvider.IconType.Folder)
        self._file = super().icon(QAbstractFileIconProvider.IconType.File)
        self._kinds = {kind: QIcon.fromTheme(name, self._file) for kind, name in
                       (("photo", "image-x-generic"), ("video", "video-x-generic"), ("audio", "audio-x-generic"))}
        self._extensions: Mapping[str, str] = {}   # learnt when a dialog is built (GUI thread)

    def learn_extensions(self) -> None:
        if not self._extensions:
            self._extensions = supported_extensions()

    def icon(self, what):
        if not isinstance(what, QFileInfo):
            return super().icon(what)
        if what.isDir():
            return self._folder
        kind = self._extensions.get(os.path.splitext(what.fileName())[1].lower())
        return self._kinds.get(kind, self._file) if kind is not None else self._file

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        part = catalog_part(info.fileName())
        if part is not None:
            return _CATALOG_TYPES[part]
        mime = self._mime.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() if not mime.isDefault() else "File"


class FileDialogs:
    """Builds, runs and remembers the window's file dialogs (one instance per window)."""

    def __init__(self, settings: QSettings | None, catalog_path: str | None) -> None:
        self.settings = settings if settings is not None else QSettings()
        self.catalog_files = CatalogFiles(catalog_path)
        self.icon_provider = NameOnlyIconProvider()
        #: Runs a built dialog and returns its result code (tests drive it without a modal loop).
        self.execute: Callable[[QFileDialog], int] = lambda dialog: dialog.exec()
        #: Tells the user why a choice was refused (a modal message box by default).
        self.warn: Callable[[QWidget | None, str, str], object] = \
            lambda parent, title, text: QMessageBox.warning(parent, title, text)

    # -- building -----------------------------------------------------------------------------
    def build(self, purpose: Purpose, parent: QWidget | None = None, start: str | None = None) -> QFileDialog:
        """The dialog for ``purpose``, not yet shown; it starts at ``start``, else where it was last."""
        dialog = QFileDialog(parent, purpose.title)
        dialog.setObjectName(f"fileDialog_{purpose.key}")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)   # see the module docstring
        dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
        self.icon_provider.learn_extensions()
        dialog.setIconProvider(self.icon_provider)
        if purpose.mode == FOLDER:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        elif purpose.mode == OPEN_FILES:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        elif purpose.mode == OPEN_FILE:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        else:
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        filters = media_filters() if purpose.media_filters else purpose.filters
        if filters:
            dialog.setNameFilters(list(filters))
        for label in dialog.findChildren(QLabel):    # "Look in", "File name", "Files of type"
            field = label.buddy()
            if field is not None and not field.accessibleName():
                field.setAccessibleName(label.text().replace("&", "").rstrip(": "))
        self._place(dialog, purpose, start or self.last_path(purpose))
        return dialog

    def _place(self, dialog: QFileDialog, purpose: Purpose, where: str | None) -> None:
        """Open in ``where``'s folder with ``where`` selected (a folder: its parent, itself selected)."""
        where = os.path.abspath(os.path.expanduser(where)) if where else None
        if where and os.path.isdir(where) and purpose.mode == FOLDER and os.path.dirname(where) != where:
            dialog.setDirectory(os.path.dirname(where))
            dialog.selectFile(where)
        elif where and os.path.isdir(where):
            dialog.setDirectory(where)
        elif where and os.path.isdir(os.path.dirname(where)):
            dialog.setDirectory(os.path.dirname(where))
            if purpose.mode != FOLDER:
                dialog.selectFile(os.path.basename(where))
        else:
            dialog.setDirectory(self.default_folder(purpose))
        if purpose.mode == SAVE_FILE and not (where and not os.path.isdir(where)):
            dialog.selectFile(purpose.suggested_name)

    @staticmethod
    def default_folder(purpose: Purpose) -> str:
        folder = QStandardPaths.writableLocation(_STARTS[purpose.start])
        return folder if folder and os.path.isdir(folder) else os.path.expanduser("~")

    # -- asking -------------------------------------------------------------------------------
    def ask(self, purpose: Purpose, parent: QWidget | None = None, start: str | None = None) -> list[str]:
        """Show the dialog; the chosen paths ([] when cancelled or refused)."""
        dialog = self.build(purpose, parent, start)
        chosen: list[str] = []
        dialog.filesSelected.connect(chosen.extend)   # what was accepted, as the dialog emitted it
        try:
            accepted = self.execute(dialog) == QDialog.DialogCode.Accepted
            paths = [p for p in (chosen or dialog.selectedFiles()) if p] if accepted else []
        finally:
            dialog.deleteLater()
        if not paths:
            return []
        if purpose.uses_chosen_file:
            for path in paths:
                what = self.catalog_files.what(path)
                if what:
                    self.warn(parent, purpose.title,
                              f"{path}\n\nThis is {what}. mediadesk never reads or writes a catalog as an "
                              "ordinary file: that would drop the locks that keep it safe. "
                              "Choose another file.")
                    return []
        self.remember(purpose, paths[0])
        return paths

    def ask_one(self, purpose: Purpose, parent: QWidget | None = None, start: str | None = None) -> str | None:
        paths = self.ask(purpose, parent, start)
        return paths[0] if paths else None

    # -- remembering ----------------------------------------------------------------------------
    def last_path(self, purpose: Purpose) -> str | None:
        value = self.settings.value(f"{SETTINGS_GROUP}/{purpose.key}")
        return str(value) if value else None

    def remember(self, purpose: Purpose, path: str) -> None:
        self.settings.setValue(f"{SETTINGS_GROUP}/{purpose.key}", os.path.abspath(path))
