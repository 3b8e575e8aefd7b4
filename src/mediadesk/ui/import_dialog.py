"""The Import dialog: what the shoot is before it comes in (Photo Mechanic's Ingest dialog).

After the folder or files are chosen (File > Import Folder, Ctrl+Shift+I): the gallery to put the
shoot in (an existing one, or a new name typed here), the stationery pad to caption it with (a
saved template; Edit… opens the pad and saves it), and the rights profile to give it, offered
only to those the catalog lets assign one (``RightsProfileStore.may_assign``). The import runs
as a job of the window's runner (services/ingest.py); the dialog only says what to do, and
remembers the pad and the profile for the next shoot.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.services.ingest import IngestOptions

from mediadesk.ui.runner import CatalogRunner
from mediadesk.ui.stationery_pad import StationeryPadDialog

NO_PAD = "None"
FILE_PROFILES = "As the files say (their usage terms)"
SETTINGS_PAD, SETTINGS_PROFILE = "import/pad", "import/rights_profile"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def describe(paths: list[str]) -> str:
    if len(paths) == 1:
        kind = "folder" if os.path.isdir(paths[0]) else "file"
        return f"the {kind} {paths[0]}"
    return f"{len(paths):,} files and folders (first: {paths[0]})"


class ImportDialog(QDialog):
    def __init__(self, paths: list[str], parent: QWidget | None = None, *, runner: CatalogRunner,
                 settings: QSettings | None = None, gallery: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle("Import")
        self.paths = list(paths)
        self.runner = runner
        self.catalog = runner.catalog        # read-only: galleries, templates, profiles
        self.settings = settings
        self.pad_dialog: StationeryPadDialog | None = None
        self.may_assign = self.catalog.rights.may_assign()

        source = QLabel(f"Import {describe(self.paths)}", self)
        source.setWordWrap(True)
        source.setObjectName("importSource")
        self.gallery = QComboBox(self)
        self.gallery.setObjectName("importGallery")
        self.gallery.setEditable(True)
        self.gallery.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.gallery.setAccessibleName("Gallery")
        self.gallery.addItem("")
        self.gallery.addItems([g.title for g in self.catalog.galleries.list()])
        self.gallery.setCurrentText(gallery or "")
        line = self.gallery.lineEdit()
        if line is not None:
            line.setPlaceholderText("No gallery: type a name to make one, or pick one")
        self.pad = QComboBox(self)
        self.pad.setObjectName("importPad")
        self.pad.setAccessibleName("Stationery pad")
        self.edit_pad = QPushButton("&Edit…", self)
        self.edit_pad.setAccessibleName("Edit the stationery pad")
        self.edit_pad.clicked.connect(self.open_pad)
        pad_row = QHBoxLayout()
        pad_row.addWidget(self.pad, 1)
        pad_row.addWidget(self.edit_pad)
        self.profile = QComboBox(self)
        self.profile.setObjectName("importRightsProfile")
        self.profile.setAccessibleName("Rights profile")
        self.profile.addItem(FILE_PROFILES, None)
        for profile in self.catalog.rights.list():
            self.profile.addItem(profile.name, profile.id)
            self.profile.setItemData(self.profile.count() - 1, profile.note, Qt.ItemDataRole.ToolTipRole)
        self._reload_pads(self._remembered(SETTINGS_PAD))
        remembered = self._remembered(SETTINGS_PROFILE)
        if remembered:
            self.profile.setCurrentIndex(max(0, self.profile.findText(remembered)))
        self.pad_summary = QLabel(self)
        self.pad_summary.setObjectName("importPadSummary")
        self.pad_summary.setWordWrap(False)   # a wrapped label may be squeezed: rows were cut off
        self.pad_summary.setTextFormat(Qt.TextFormat.RichText)
        self.pad.currentIndexChanged.connect(self._show_pad)
        self._show_pad()
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.note.setText("The pad and the profile go to the photos this import adds; photos already "
                          "in the catalog keep their captions and rights. Each is one step you can undo."
                          + ("" if self.may_assign else " Rights profiles are given by whoever manages "
                             "rights in this catalog."))

        form = QFormLayout()
        gallery_label = QLabel("&Gallery:", self)
        gallery_label.setBuddy(self.gallery)
        pad_label = QLabel("Stationery &pad:", self)
        pad_label.setBuddy(self.pad)
        profile_label = QLabel("&Rights profile:", self)
        profile_label.setBuddy(self.profile)
        form.addRow(gallery_label, self.gallery)
        form.addRow(pad_label, pad_row)
        form.addRow("", self.pad_summary)
        form.addRow(profile_label, self.profile)
        form.setRowVisible(self.profile, self.may_assign)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(source)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())
        self.gallery.setFocus()

    def _remembered(self, key: str) -> str:
        value = self.settings.value(key, "") if self.settings is not None else ""
        return str(value or "")

    def _reload_pads(self, chosen: str | None) -> None:
        self.pad.clear()
        self.pad.addItem(NO_PAD, None)
        for name in self.catalog.templates.names():
            self.pad.addItem(name, name)
        self.pad.setCurrentIndex(max(0, self.pad.findData(chosen)) if chosen else 0)

    def _show_pad(self, *_args) -> None:
        """What the chosen pad fills, one line per field (as the pad shows it)."""
        name = self.pad.currentData()
        lines = self.catalog.templates.lines(name) if name else []
        if not lines:
            self.pad_summary.setText("<span style='color:#555'>No fields are filled on import.</span>")
            self.pad_summary.setMinimumHeight(0)
            return
        rows = "".join(
            f"<tr><td style='color:#555; padding-right:8px'>{_html(FIELD_BY_NAME[line.field].label)}"
            f"{'' if line.mode == 'replace' else ' (' + line.mode + ')'}</td>"
            f"<td>{_html(_short(line.text, 70))}</td></tr>"
            for line in lines)
        self.pad_summary.setText(f"<table>{rows}</table>")
        # every row shown: a rich-text label's minimum is less than its table's height
        self.pad_summary.setMinimumHeight(self.pad_summary.sizeHint().height())
        layout = self.layout()
        if layout is not None:          # another pad chosen: the dialog grows to show it whole
            layout.activate()
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def open_pad(self) -> None:
        """The stationery pad on the chosen template; what it saves is chosen here."""
        self.pad_dialog = StationeryPadDialog(self.runner.catalog_path, [], self, runner=self.runner,
                                              template=self.pad.currentData())
        self.pad_dialog.saved.connect(self._reload_pads)
        self.pad_dialog.open()

    def options(self) -> IngestOptions:
        gallery = " ".join(self.gallery.currentText().split()) or None
        profile = self.profile.currentData() if self.may_assign else None
        return IngestOptions(gallery=gallery, template=self.pad.currentData(), rights_profile_id=profile)

    def accept(self) -> None:
        if self.settings is not None:
            self.settings.setValue(SETTINGS_PAD, self.pad.currentData() or "")
            self.settings.setValue(SETTINGS_PROFILE, self.profile.currentText()
                                   if self.profile.currentData() is not None else "")
        super().accept()
