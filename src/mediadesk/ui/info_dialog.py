"""The info dialog (Ctrl+I): one photo's caption, headline, people, keywords, place and rights,
in the order a captioner fills them, with the photo beside them; previous and next photo without
closing it (Photo Mechanic's IPTC Info).

Tab goes caption, headline, title, people, keywords, event, the place from sublocation to country
code, then creator, credit, copyright and the rights profile. ``=codes=`` expand while typing.
Nothing is written while typing: Save (Ctrl+Return), Previous (Alt+Left) and Next (Alt+Right)
save the photo's changed fields as one undoable edit, through the window's writer
(``edit_requested``, like the inspector). Esc closes; with unsaved changes it asks first.
With several assets selected the dialog steps through them; with one, through everything shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset
from mediadesk.domain.fields import FIELD_BY_NAME

from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.field_editors import FieldEditor
from mediadesk.ui.image_view import ImageLoader
from mediadesk.ui.loupe import marks_text

# (field, label with its access letter): the order a captioner works in
INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("caption", "&Caption"), ("headline", "&Headline"), ("title", "&Title"), ("people", "&People"),
    ("keywords", "&Keywords"), ("event", "&Event"), ("sublocation", "Sub&location"), ("city", "C&ity"),
    ("state", "&State/Province"), ("country", "C&ountry"), ("country_code", "Country co&de"),
    ("creator", "C&reator"), ("credit", "Credit li&ne"), ("copyright", "Cop&yright notice"),
)
EXPANDING = ("caption", "headline", "title", "people", "keywords", "event", "sublocation", "city",
             "state", "country")
NO_PROFILE = "No rights profile"
THUMB_EDGE = 256    # the thumbnail cache's size


class InfoDialog(QDialog):
    #: Save: ({asset id: {field: value}}, description for the undo menu), as the inspector sends.
    edit_requested = Signal(object, str)
    #: The photo now shown (the window makes it the grid's current item).
    asset_shown = Signal(int)

    def __init__(self, catalog: Catalog, catalog_path: str, asset_ids: list[int], start: int,
                 parent: QWidget | None = None, *, may_assign_rights: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("infoDialog")
        self.catalog = catalog              # read-only: the dialog only reads; the window writes
        self.asset_ids = list(asset_ids)
        self.at = self.asset_ids.index(start) if start in self.asset_ids else 0
        self.asset: Asset | None = None
        self.pending: dict[str, object] = {}
        # what this dialog sent to the writer per asset: shown again on Previous even when the
        # write has not committed yet (the writer lane runs them in order)
        self._sent: dict[int, dict[str, object]] = {}
        self.editors: dict[str, FieldEditor] = {}
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        self._may_assign = may_assign_rights
        self.resize(860, 720)
        self._build(catalog_path)
        self._thumbs = ImageLoader(self)
        self._thumbs.loaded.connect(self._on_thumbnail)
        self.load()

    # -- layout ---------------------------------------------------------------------------
    def _build(self, catalog_path: str) -> None:
        self.picture = QLabel(self)
        self.picture.setObjectName("infoPicture")
        self.picture.setFixedSize(THUMB_EDGE, THUMB_EDGE * 3 // 4)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #2b2d31; color: #d1d5db;")
        self.file_name = QLabel(self)
        self.file_name.setObjectName("infoFileName")
        self.file_name.setTextFormat(Qt.TextFormat.PlainText)
        self.file_name.setWordWrap(True)
        font = self.file_name.font()
        font.setBold(True)
        self.file_name.setFont(font)
        self.position = QLabel(self)
        self.marks = QLabel(self)
        self.marks.setTextFormat(Qt.TextFormat.RichText)
        side = QVBoxLayout()
        side.addWidget(self.picture)
        side.addWidget(self.file_name)
        side.addWidget(self.position)
        side.addWidget(self.marks)
        side.addStretch(1)

        body = QWidget(self)
        column = QVBoxLayout(body)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)      # rows keep their height; the room left goes below them
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, text in INFO_FIELDS:
            editor = FieldEditor(FIELD_BY_NAME[name], body)
            editor.committed.connect(self._on_committed)
            if name == "caption":
                editor.input.setFixedHeight(editor.input.fontMetrics().lineSpacing() * 6 + 14)
            if name in EXPANDING and not isinstance(editor.input, QComboBox):
                install_code_expansion(editor.input, catalog_path)
            label = QLabel(text, body)
            label.setBuddy(editor.input)
            form.addRow(label, editor)
            self.editors[name] = editor
        self.profile = QComboBox(body)
        self.profile.setObjectName("infoRightsProfile")
        self.profile.setAccessibleName("Rights profile")
        self.profile.activated.connect(self._on_profile_chosen)
        profile_label = QLabel("Rights pro&file", body)
        profile_label.setBuddy(self.profile)
        form.addRow(profile_label, self.profile)
        form.setRowVisible(self.profile, self._may_assign)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        top = QHBoxLayout()
        top.addLayout(side)
        top.addWidget(scroll, 1)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.previous_button = QPushButton("← Previous photo", self)
        self.previous_button.setObjectName("infoPrevious")
        self.previous_button.setToolTip("Save this photo's changes and show the previous one (Alt+Left)")
        self.next_button = QPushButton("Next photo →", self)
        self.next_button.setObjectName("infoNext")
        self.next_button.setToolTip("Save this photo's changes and show the next one (Alt+Right)")
        self.save_button = self.buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setToolTip("Save this photo's changes and close (Return in a one-line field, "
                                    "Ctrl+Return anywhere)")
        self.save_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.previous_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for key, slot in (("Alt+Left", lambda: self.go(-1)), ("Alt+Right", lambda: self.go(1)),
                          ("Ctrl+Return", self.accept), ("Ctrl+Enter", self.accept)):
            QShortcut(QKeySequence(key), self, slot)

        bottom = QHBoxLayout()
        bottom.addWidget(self.previous_button)
        bottom.addWidget(self.next_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)
        chain = [*(self.editors[name].input for name, _ in INFO_FIELDS), self.profile,
                 self.previous_button, self.next_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- showing a photo ------------------------------------------------------------------
    def load(self) -> None:
        """Show the photo at ``self.at`` as the catalog has it now (unsaved text is dropped)."""
        self.pending.clear()
        asset_id = self.asset_ids[self.at] if self.asset_ids else None
        found = self.catalog.assets.get_many([asset_id]) if asset_id is not None else []
        self.asset = found[0] if found else None
        total = len(self.asset_ids)
        self.previous_button.setEnabled(self.at > 0)
        self.next_button.setEnabled(self.at < total - 1)
        if self.asset is None:
            self.setWindowTitle("Info")
            self.file_name.setText("This asset is no longer in the catalog.")
            for editor in self.editors.values():
                editor.set_value(None)
                editor.set_read_only(True)
            return
        asset = self.asset
        self.setWindowTitle(f"Info — {asset.file_name}")
        self.file_name.setText(asset.file_name)
        self.file_name.setToolTip(asset.path)
        self.position.setText(f"{self.at + 1:,} of {total:,}")
        self.marks.setText(marks_text(asset))
        sent = self._sent.get(asset.id, {})
        for name, editor in self.editors.items():
            editor.set_read_only(False)
            editor.set_value(sent[name] if name in sent else asset.get(name))
        self._fill_profiles(asset)
        if "rights_profile_id" in sent:
            self.profile.setCurrentIndex(max(0, self.profile.findData(sent["rights_profile_id"])))
        self.picture.setPixmap(QPixmap())
        self.picture.setText(asset.kind.capitalize())
        if asset.has_thumbnail:
            self._thumbs.load((str(self.catalog.thumbnail_path(asset.content_hash)), THUMB_EDGE))
        self.status.clear()
        self.asset_shown.emit(asset.id)

    def _fill_profiles(self, asset: Asset) -> None:
        self.profile.clear()
        self.profile.addItem(NO_PROFILE, None)
        for profile in self.catalog.rights.list():
            self.profile.addItem(profile.name, profile.id)
            self.profile.setItemData(self.profile.count() - 1, profile.note, Qt.ItemDataRole.ToolTipRole)
        self.profile.setCurrentIndex(max(0, self.profile.findData(asset.rights_profile_id)))

    def _on_thumbnail(self, pixmap: QPixmap) -> None:
        self.picture.setPixmap(pixmap.scaled(self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    # -- editing and saving ---------------------------------------------------------------
    def _on_committed(self, name: str, value: object) -> None:
        self.pending[name] = value

    def _on_profile_chosen(self, _index: int) -> None:
        if self.asset is not None and self.profile.currentData() != self.asset.rights_profile_id:
            self.pending["rights_profile_id"] = self.profile.currentData()

    def changes(self) -> dict[str, object]:
        """What this photo's fields would save now (typed text not yet committed included)."""
        for editor in self.editors.values():
            if editor.is_dirty():
                editor.commit()
        return dict(self.pending)

    def save(self) -> bool:
        """Send this photo's changes as one edit; False when a field holds something invalid."""
        if self.asset is None:
            return True
        invalid = [e.spec.label for e in self.editors.values() if e.input.property("invalid")]
        if invalid:
            self.status.setText(f"<span style='color:#b91c1c'>{', '.join(invalid)}: see the message "
                                "under the field; nothing was saved.</span>")
            return False
        values = self.changes()
        if values:
            names = ", ".join(FIELD_BY_NAME[n].label.lower() if n in FIELD_BY_NAME else "rights profile"
                              for n in values)
            self.edit_requested.emit({self.asset.id: values}, f"Edit {names} of {self.asset.file_name}")
            self._sent.setdefault(self.asset.id, {}).update(values)
            self.pending.clear()
        return True

    def go(self, delta: int) -> None:
        target = self.at + delta
        if not 0 <= target < len(self.asset_ids) or not self.save():
            return
        self.at = target
        self.load()
        self.editors["caption"].input.setFocus()

    def accept(self) -> None:
        if self.save():
            super().accept()

    def reject(self) -> None:
        if self.asset is not None and self.changes() and not self.confirm_discard():
            return
        super().reject()

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Discard the changes to {self.asset.file_name if self.asset else 'this photo'}?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def done(self, code: int) -> None:  # Qt: the dialog is finished
        self._thumbs.stop()
        super().done(code)
