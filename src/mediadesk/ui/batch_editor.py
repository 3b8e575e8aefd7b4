"""The batch editor: pick a saved caption template (or write one here), see what it does to each
selected asset (old -> new), apply it as one undoable operation.

The preview is worked out on a lane of the window's runner and Apply runs on its writer lane
(ui/runner.py): a template on 10,000 assets never freezes the window, and this dialog never
writes from the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.templates import MODES, TemplateLine
from mediadesk.domain.fields import FIELD_BY_NAME
from mediadesk.services.edits import BatchResult
from mediadesk.services.templates import KNOWN_VARIABLES, TEMPLATE_FIELDS, add_template, apply_template_lines

from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.find_replace_dialog import ChangePreview, file_names
from mediadesk.ui.prompts import ask_text
from mediadesk.ui.runner import CatalogRunner

PREVIEW_LANE = "preview"

AD_HOC = "Write a template here"
PREVIEW_DELAY_MS = 250
VARIABLE_HINTS = ("{event}", "{date}", "{date:%d %B %Y}", "{city}", "{country}", "{people}",
                  "{people:names}", "{creator}", "{title}", "{caption}", "{seq}", "{seq:03}",
                  "{filename}", "{gallery}")


class BatchEditorDialog(QDialog):
    """Template picker (saved templates + ad-hoc field/text/mode), live preview, Apply."""

    #: Emitted after Apply committed; payload: the ``Changes`` of the operation.
    applied = Signal(object)

    def __init__(self, catalog_path: str, asset_ids: list[int], parent: QWidget | None = None, *,
                 runner: CatalogRunner | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Batch caption {len(asset_ids)} asset(s)")
        self.catalog_path = str(catalog_path)
        self._own_runner = runner is None   # opened on its own (scripts, tests): it has its runner
        self.runner = runner if runner is not None else CatalogRunner(self.catalog_path, self)
        self.catalog: Catalog = self.runner.catalog   # read-only: template names and lines
        self.asset_ids = list(asset_ids)
        self._preview_generation = 0
        self.names = file_names(self.catalog, self.asset_ids)
        self.outcome: BatchResult | None = None

        self.template_combo = QComboBox(objectName="batchTemplate", accessibleName="Template")  # type: ignore[call-arg]
        self.template_combo.addItem(AD_HOC)
        self.template_combo.addItems(self.catalog.templates.names())
        self.template_combo.currentIndexChanged.connect(self._template_chosen)
        self.saved_lines = QLabel()
        self.saved_lines.setWordWrap(True)
        self.saved_lines.setStyleSheet("color:#444;")

        self.field_combo = QComboBox(objectName="batchField", accessibleName="Field")  # type: ignore[call-arg]
        for name in TEMPLATE_FIELDS:
            self.field_combo.addItem(FIELD_BY_NAME[name].label, name)
        self.mode_combo = QComboBox(objectName="batchMode", accessibleName="Mode")  # type: ignore[call-arg]
        for mode in MODES:
            self.mode_combo.addItem(mode.capitalize(), mode)
        self.text_edit = QPlainTextEdit(accessibleName="Template text")  # type: ignore[call-overload]
        self.text_edit.setPlaceholderText("e.g. {people} in {city}, {country} on {date}. =rutte=")
        self.text_edit.setFixedHeight(64)
        install_code_expansion(self.text_edit, self.catalog_path)
        self.variable_combo = QComboBox(objectName="batchVariable", accessibleName="Insert a variable")  # type: ignore[call-arg]
        self.variable_combo.addItem("Insert variable…")
        self.variable_combo.addItems(list(VARIABLE_HINTS))
        self.variable_combo.setToolTip("Known variables: " + ", ".join("{" + v + "}" for v in KNOWN_VARIABLES))
        self.variable_combo.activated.connect(self._insert_variable)
        self.save_button = QPushButton("Save as template…")
        self.save_button.clicked.connect(self.save_as_template)

        form = self.form = QFormLayout()
        form.addRow("Template:", self.template_combo)
        form.addRow("", self.saved_lines)
        field_row = QHBoxLayout()
        field_row.addWidget(self.field_combo, 1)
        mode_label = QLabel("Mode:")
        mode_label.setBuddy(self.mode_combo)
        field_row.addWidget(mode_label)
        field_row.addWidget(self.mode_combo)
        field_label = QLabel("Field:")
        field_label.setBuddy(self.field_combo)
        form.addRow(field_label, field_row)
        form.addRow("Text:", self.text_edit)
        tools = QHBoxLayout()
        tools.addWidget(self.variable_combo)
        tools.addStretch(1)
        tools.addWidget(self.save_button)
        form.addRow("", tools)

        self.preview = ChangePreview()
        self.preview.setAccessibleName("Preview of the changes")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(1000, 640)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.text_edit.textChanged.connect(self._timer.start)
        self.field_combo.currentIndexChanged.connect(self._timer.start)
        self.mode_combo.currentIndexChanged.connect(self._timer.start)
        self._template_chosen()

    # -- choosing ----------------------------------------------------------------------------
    def choose_template(self, name: str) -> None:
        index = self.template_combo.findText(name)
        if index < 0:
            raise ValueError(f"no template {name!r} in the picker")
        self.template_combo.setCurrentIndex(index)

    def _template_chosen(self, *_args) -> None:
        ad_hoc = self.template_combo.currentIndex() == 0
        for row in (2, 3, 4):  # field/mode, text, variables: only for a template written here
            self.form.setRowVisible(row, ad_hoc)
        if ad_hoc:
            self.saved_lines.setText("Choose the field, the mode and the text; variables and =codes= "
                                     "are filled per asset.")
        else:
            lines = self.catalog.templates.lines(self.template_combo.currentText())
            self.saved_lines.setText("<br>".join(
                f"<b>{FIELD_BY_NAME[line.field].label}</b> ({line.mode}): {_escape(line.text)}"
                for line in lines))
        self.refresh_preview()

    def _insert_variable(self, index: int) -> None:
        if index > 0:
            self.text_edit.insertPlainText(self.variable_combo.itemText(index))
            self.text_edit.setFocus()
        self.variable_combo.setCurrentIndex(0)

    def lines(self) -> list[TemplateLine]:
        if self.template_combo.currentIndex() > 0:
            return self.catalog.templates.lines(self.template_combo.currentText())
        text = self.text_edit.toPlainText()
        if not text.strip():
            return []
        return [TemplateLine("", self.field_combo.currentData(), text, self.mode_combo.currentData())]

    # -- preview and apply ---------------------------------------------------------------------
    def refresh_preview(self) -> None:
        self._timer.stop()
        self.outcome = None
        self.apply_button.setEnabled(False)
        self._preview_generation += 1
        generation = self._preview_generation
        lines = self.lines()
        if not lines:
            self.preview.show_changes([], self.names)
            self._say("Write the template text to see what it does to each asset.")
            return
        ids = list(self.asset_ids)
        self._say("Working out what the template does to each asset…")
        self.runner.submit(lambda catalog: apply_template_lines(catalog, lines, ids, dry_run=True),
                           lambda result: self._show_preview(result, generation), lane=PREVIEW_LANE,
                           key="batch-preview", on_error=lambda error: self._preview_failed(error, generation))

    def _preview_failed(self, error: str, generation: int) -> None:
        if generation == self._preview_generation:
            self.preview.show_changes([], self.names)
            self._say(error, error=True)

    def _show_preview(self, result: BatchResult, generation: int) -> None:
        if generation != self._preview_generation:
            return   # the template changed meanwhile: a newer preview is on its way
        self.outcome = result
        self.preview.show_changes(result.preview, self.names)
        notes = " ".join(result.warnings[:3]) + (" …" if len(result.warnings) > 3 else "")
        if not result.preview:
            self._say("Nothing would change: the assets already hold this text. " + notes)
            return
        more = (f" (showing the first {len(result.preview) - self.preview.truncated})"
                if self.preview.truncated else "")
        self._say(f"{len(result.preview)} field(s) on {len(result.assets)} of {len(self.asset_ids)} "
                  f"asset(s) will change{more}. Apply makes this one step you can undo. {notes}".strip())
        self.apply_button.setEnabled(True)

    @property
    def busy(self) -> bool:
        """A preview or a change of this dialog is still running."""
        return self.runner.lane(PREVIEW_LANE).busy or self.runner.writer.busy

    def apply(self) -> None:
        lines = self.lines()
        ids = list(self.asset_ids)
        self.apply_button.setEnabled(False)
        self._say(f"Applying the template to {len(ids):,} asset(s)…")
        self.runner.submit(lambda catalog: apply_template_lines(catalog, lines, ids), self._applied,
                           on_error=self._apply_failed)

    def _applied(self, result: BatchResult) -> None:
        if result.operation_id is not None:
            self.applied.emit(result.changes)
        self.accept()

    def _apply_failed(self, error: str) -> None:
        self._say(error, error=True)
        self.apply_button.setEnabled(self.outcome is not None and bool(self.outcome.preview))

    def save_as_template(self) -> None:
        lines = self.lines()
        if not lines:
            self._say("Write the template text first.", error=True)
            return
        name = ask_text(self, "Save template", "Template name:")
        if not name:
            return
        line = lines[0]

        def saved(_line: TemplateLine) -> None:
            self._say(f'Saved as template "{name.strip()}".')
            if self.template_combo.findText(name.strip()) < 0:
                self.template_combo.addItem(name.strip())

        self.runner.submit(lambda catalog: add_template(catalog, name, line.field, line.text, line.mode),
                           saved, on_error=lambda error: self._say(error, error=True))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b02a37;" if error else "")

    def done(self, code: int) -> None:  # Qt override: the dialog is finished
        self._timer.stop()
        self._preview_generation += 1
        if self._own_runner:
            self.runner.stop()
        super().done(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        if self._own_runner:
            self.runner.stop()
        super().closeEvent(event)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
