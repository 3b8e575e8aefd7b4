"""The stationery pad (Ctrl+T): many fields filled at once from a template saved by name
(Photo Mechanic's IPTC Stationery Pad, now its Metadata Template).

Each field has its own line: a box that says whether it is applied (ticked as soon as text is
typed, as in Photo Mechanic), the text (variables such as ``{date}`` and ``{city}``, and
``=codes=`` that expand while typing), and the mode: replace, append or prepend. A template is
saved under a name in the catalog (``template list`` shows it; the batch editor and ``import
--template`` use the same ones). Apply fills the selected assets as one undoable step (a preview
says how many fields will change first). Opened from the Import dialog there is nothing to apply
to yet: the pad is saved, and the import applies it to the shoot.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.templates import MODES, TemplateLine
from mediadesk.domain.fields import FIELD_BY_NAME, FieldType
from mediadesk.services.edits import BatchResult
from mediadesk.services.templates import TEMPLATE_FIELDS, apply_template_lines, save_template

from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.prompts import ask_text
from mediadesk.ui.runner import CatalogRunner

PREVIEW_LANE = "preview"
PREVIEW_DELAY_MS = 300
UNSAVED = "(not saved)"
# the captioner's order first (as in the info dialog), then the rest of the template fields
ORDER = ("caption", "headline", "title", "people", "keywords", "event", "sublocation", "city", "state",
         "country", "country_code", "creator", "credit", "copyright", "source", "usage_terms",
         "instructions", "organisations", "alt_text", "date_created")
PAD_FIELDS = tuple(dict.fromkeys((*[f for f in ORDER if f in TEMPLATE_FIELDS], *TEMPLATE_FIELDS)))


@dataclass
class PadLine:
    field: str
    apply: QCheckBox
    text: QLineEdit | QPlainTextEdit
    mode: QComboBox

    def value(self) -> str:
        return self.text.toPlainText() if isinstance(self.text, QPlainTextEdit) else self.text.text()

    def set_value(self, text: str) -> None:
        if isinstance(self.text, QPlainTextEdit):
            self.text.setPlainText(text)
        else:
            self.text.setText(text)


class StationeryPadDialog(QDialog):
    #: Apply committed: the Changes of the operation.
    applied = Signal(object)
    #: A template was saved under this name.
    saved = Signal(str)

    def __init__(self, catalog_path: str, asset_ids: list[int], parent: QWidget | None = None, *,
                 runner: CatalogRunner, template: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stationeryPad")
        self.catalog_path = str(catalog_path)
        self.runner = runner
        self.catalog = runner.catalog            # read-only: template names and lines
        self.asset_ids = list(asset_ids)
        self.previewed: BatchResult | None = None   # the last preview (a dry run)
        self._generation = 0
        self._loading = False
        self.lines: dict[str, PadLine] = {}
        count = len(self.asset_ids)
        self.setWindowTitle(f"Stationery pad — {count:,} selected" if count else "Stationery pad")
        self.resize(920, 760)
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self._reload_names(template)
        first = next(iter(self.lines.values()))
        first.text.setFocus()        # the caption: typing goes there, as in Photo Mechanic's pad

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.template = QComboBox(self)
        self.template.setObjectName("padTemplate")
        self.template.setAccessibleName("Template")
        self.template.currentIndexChanged.connect(self._template_chosen)
        template_label = QLabel("Te&mplate:", self)
        template_label.setBuddy(self.template)
        self.save_button = QPushButton("&Save", self)
        self.save_button.setToolTip("Save the ticked fields under the template's name")
        self.save_button.clicked.connect(lambda: self.save(self.template.currentText()))
        self.save_as_button = QPushButton("Save &As…", self)
        self.save_as_button.clicked.connect(self.save_as)
        head = QHBoxLayout()
        head.addWidget(template_label)
        head.addWidget(self.template, 1)
        head.addWidget(self.save_button)
        head.addWidget(self.save_as_button)

        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setColumnStretch(2, 1)
        for column, title in enumerate(("Apply", "Field", "Text (variables such as {date}, {city}, "
                                                           "{seq}; =codes= expand while typing)", "Mode")):
            heading = QLabel(f"<b>{title}</b>", body)
            grid.addWidget(heading, 0, column)
        for row, name in enumerate(PAD_FIELDS, start=1):
            spec = FIELD_BY_NAME[name]
            apply = QCheckBox(body)
            apply.setAccessibleName(f"Apply {spec.label.lower()}")
            apply.setObjectName(f"padApply_{name}")
            label = QLabel(spec.label, body)
            if spec.type is FieldType.LONGTEXT and name != "instructions":
                box = QPlainTextEdit(body)
                box.setTabChangesFocus(True)
                box.setFixedHeight(box.fontMetrics().lineSpacing() * (4 if name == "caption" else 2) + 12)
                box.textChanged.connect(lambda n=name: self._typed(n))
                text: QLineEdit | QPlainTextEdit = box
            else:
                text = QLineEdit(body)
                text.textEdited.connect(lambda _t, n=name: self._typed(n))
                if spec.type is FieldType.LIST:
                    text.setPlaceholderText("separate with ;")
            text.setObjectName(f"pad_{name}")
            text.setAccessibleName(spec.label)
            label.setBuddy(text)
            install_code_expansion(text, self.catalog_path)
            mode = QComboBox(body)
            mode.setAccessibleName(f"{spec.label}: replace, append or prepend")
            for value in MODES:
                mode.addItem(value.capitalize(), value)
            mode.currentIndexChanged.connect(self._schedule)
            apply.toggled.connect(self._schedule)
            top = Qt.AlignmentFlag.AlignTop   # a caption's box is taller: its box, label and mode start level
            grid.addWidget(apply, row, 0, top)
            grid.addWidget(label, row, 1, top)
            grid.addWidget(text, row, 2)
            grid.addWidget(mode, row, 3, top)
            self.lines[name] = PadLine(name, apply, text, mode)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.apply_button = self.buttons.addButton(
            f"Apply to {len(self.asset_ids):,} Selected", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setVisible(bool(self.asset_ids))
        self.apply_button.setEnabled(False)      # until the preview says what it changes
        self.apply_button.setDefault(bool(self.asset_ids))
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # -- templates ------------------------------------------------------------------------
    def _reload_names(self, chosen: str | None) -> None:
        self.template.blockSignals(True)
        self.template.clear()
        self.template.addItem(UNSAVED)
        self.template.addItems(self.catalog.templates.names())
        index = self.template.findText(chosen) if chosen else 0
        self.template.setCurrentIndex(max(0, index))
        self.template.blockSignals(False)
        self._template_chosen()

    def _template_chosen(self, *_args) -> None:
        name = self.template.currentText()
        saved = self.template.currentIndex() > 0
        self.save_button.setEnabled(saved)
        found = {line.field: line for line in self.catalog.templates.lines(name)} if saved else {}
        self._loading = True
        try:
            for field, line in self.lines.items():
                stored = found.get(field)
                line.set_value(stored.text if stored else "")
                line.mode.setCurrentIndex(max(0, line.mode.findData(stored.mode if stored else "replace")))
                line.apply.setChecked(stored is not None)
        finally:
            self._loading = False
        self._schedule()

    def _typed(self, field: str) -> None:
        if not self._loading:
            line = self.lines[field]
            line.apply.setChecked(bool(line.value().strip()) or line.apply.isChecked())
            self._schedule()

    def template_lines(self) -> list[TemplateLine]:
        """The ticked fields, in the pad's order."""
        name = self.template.currentText() if self.template.currentIndex() > 0 else ""
        return [TemplateLine(name, f, line.value(), line.mode.currentData())
                for f, line in self.lines.items() if line.apply.isChecked()]

    def save(self, name: str) -> None:
        lines = [(line.field, line.text, line.mode) for line in self.template_lines()]
        self.runner.submit(lambda catalog: save_template(catalog, name, lines),
                           lambda _saved: self._saved(name.strip()),
                           on_error=lambda error: self._say(error, error=True))

    def save_as(self) -> None:
        current = self.template.currentText() if self.template.currentIndex() > 0 else ""
        name = ask_text(self, "Save stationery pad", "Template name:", current)
        if name:
            self.save(name)

    def _saved(self, name: str) -> None:
        self._reload_names(name)
        self._say(f'Saved as "{name}": the import dialog, the batch editor and `import --template` offer it.')
        self.saved.emit(name)

    # -- preview and apply ----------------------------------------------------------------
    def _schedule(self, *_args) -> None:
        if not self._loading:
            self._timer.start()

    def refresh_preview(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        lines = self.template_lines()
        self.previewed = None
        if not self.asset_ids:
            self._say("Tick the fields the template fills, then Save. The import applies it to the shoot.")
            return
        self.apply_button.setEnabled(False)
        if not lines:
            self._say("Type in the fields to apply (each is ticked as you type).")
            return
        ids = list(self.asset_ids)
        self.runner.submit(lambda catalog: apply_template_lines(catalog, lines, ids, dry_run=True),
                           lambda result: self._show_preview(result, generation), lane=PREVIEW_LANE,
                           key="pad-preview", on_error=lambda error: self._preview_failed(error, generation))

    def _preview_failed(self, error: str, generation: int) -> None:
        if generation == self._generation:
            self._say(error, error=True)

    def _show_preview(self, result: BatchResult, generation: int) -> None:
        if generation != self._generation:
            return
        self.previewed = result
        notes = " ".join(result.warnings[:2])
        if not result.preview:
            self._say(f"Nothing would change: the assets already hold this. {notes}".strip())
            return
        self._say(f"Will change {len(result.preview):,} field(s) on {len(result.assets):,} of "
                  f"{len(self.asset_ids):,} asset(s), as one step you can undo. {notes}".strip())
        self.apply_button.setEnabled(True)

    @property
    def busy(self) -> bool:
        return self.runner.lane(PREVIEW_LANE).busy or self.runner.writer.busy

    def apply(self) -> None:
        lines = self.template_lines()
        ids = list(self.asset_ids)
        if not lines or not ids:
            return
        self.apply_button.setEnabled(False)
        self._say(f"Applying to {len(ids):,} asset(s)…")
        self.runner.submit(lambda catalog: apply_template_lines(catalog, lines, ids), self._applied,
                           on_error=lambda error: self._say(error, error=True))

    def _applied(self, result: BatchResult) -> None:
        if result.operation_id is not None:
            self.applied.emit(result.changes)
        self.accept()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b02a37;" if error else "")

    def done(self, code: int) -> None:  # Qt: the dialog is finished
        self._timer.stop()
        self._generation += 1
        super().done(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        super().closeEvent(event)
