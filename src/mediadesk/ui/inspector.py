"""The inspector: every field of the selected asset(s), grouped, editable where it is catalog data.

It never writes: a finished edit becomes ``edit_requested`` (the window runs it through the edit
service, which records history for undo). With several assets selected an edit applies to all
of them. Each field shows which store its value came from, and warns where stores disagreed.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import AssetKind, format_duration
from mediadesk.domain.credentials import PREFIX as CREDENTIALS_PREFIX, credentials_summary
from mediadesk.domain.fields import DESCRIPTION, FIELDS, PEOPLE_PLACES, RIGHTS, FieldSpec

from mediadesk.ui.badges import format_date, format_size, rights_badge
from mediadesk.ui.change_history import ChangeHistory
from mediadesk.ui.field_editors import MULTIPLE_TEXT, FieldEditor
from mediadesk.ui.links_panel import LinksPanel
from mediadesk.ui.runner import CatalogLane
from mediadesk.ui.selection_summary import MULTIPLE, Summary, summarise

GROUPS = (DESCRIPTION, PEOPLE_PLACES, RIGHTS)
SOURCE_NAMES = {
    "xmp": "XMP", "iim": "IPTC-IIM", "exif": "Exif", "sidecar": "XMP sidecar",
    "quicktime": "QuickTime", "document": "the document", "typed": "typed here", "rights": "rights profile",
}
TECHNICAL = (
    ("file", "File"), ("folder", "Folder"), ("format", "Format"), ("size", "Size"),
    ("dimensions", "Dimensions"), ("duration", "Duration"), ("codec", "Codec"),
    ("frame_rate", "Frame rate"), ("galleries", "Galleries"), ("imported", "Imported"),
    ("credentials", "Content credentials"), ("warnings", "Warnings"),
)


class _FieldLabel(QWidget):
    """The field's name, and on the right the store its value came from (amber on conflict)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.name = QLabel(text, self)
        self.name.setObjectName("fieldLabel")
        self.source = QLabel(self)
        self.source.setObjectName("fieldSource")
        layout.addWidget(self.name)
        layout.addStretch(1)
        layout.addWidget(self.source)

    def set_source(self, source: str | None, conflict: dict | None) -> None:
        if conflict:
            stores = ", ".join(f"{SOURCE_NAMES.get(k, k)}: {_short(v)}" for k, v in conflict.items())
            shown = SOURCE_NAMES.get(source or "", source or "?")
            self.source.setText(f"⚠ stores disagree · from {shown}")
            self.source.setStyleSheet("color: #a15c00; font-size: 11px;")
            self.source.setToolTip(f"The file's metadata stores held different values.\n{stores}\n"
                                   f"Shown: the value from {shown}.")
        elif source:
            self.source.setText(f"from {SOURCE_NAMES.get(source, source)}")
            self.source.setStyleSheet("color: palette(mid); font-size: 11px;")
            self.source.setToolTip("Where this value was read from")
        else:
            self.source.clear()
            self.source.setToolTip("")


def _section_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("sectionTitle")
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.05)
    label.setFont(font)
    label.setContentsMargins(0, 10, 0, 2)
    label.setStyleSheet("border-bottom: 1px solid palette(midlight); padding-bottom: 3px;")
    return label


def _short(value, limit: int = 60) -> str:
    text = "; ".join(value) if isinstance(value, (list, tuple)) else str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Inspector(QWidget):
    #: The user finished an edit: ({asset id: {field: value}}, description for undo).
    edit_requested = Signal(object, str, object)   # edits, description, values read (or None)

    def __init__(self, reader: CatalogLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self._reader = reader
        self._ids: list[int] = []
        self.summary: Summary | None = None
        self.editors: dict[str, FieldEditor] = {}
        self._labels: dict[str, _FieldLabel] = {}
        self._tech: dict[str, QLabel] = {}

        self._stack = QStackedWidget(self)
        self._empty = QLabel("Select an asset to see and edit its details.\n\n"
                             "Several selected: an edit applies to all of them.", self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setObjectName("inspectorEmpty")
        self._stack.addWidget(self._empty)
        self._form_page = self._build_form()
        self._stack.addWidget(self._form_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

    # -- construction -------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setAccessibleName("Details of the selected assets")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 8, 10, 10)
        self.heading = QLabel(body)
        self.heading.setObjectName("inspectorHeading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheading = QLabel(body)
        self.subheading.setObjectName("inspectorSubheading")
        self.subheading.setWordWrap(True)
        self.subheading.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        for group in GROUPS:
            layout.addWidget(_section_title(group, body))
            box = QWidget(body)
            form = QFormLayout(box)
            form.setContentsMargins(0, 0, 0, 6)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setVerticalSpacing(2)
            for spec in (f for f in FIELDS if f.group == group):
                self._add_field(form, spec, box)
            if group == RIGHTS:
                self._add_rights_profile(form, box)
            layout.addWidget(box)
        self.changes = ChangeHistory(self._reader, _section_title("Changes", body), body)   # who and when
        layout.addWidget(self.changes)
        layout.addWidget(_section_title("Linked", body))
        self.links = LinksPanel(body)
        layout.addWidget(self.links)
        layout.addWidget(self._build_technical(body))
        layout.addStretch(1)
        scroll.setWidget(body)
        return scroll

    def _add_field(self, form: QFormLayout, spec: FieldSpec, parent: QWidget) -> None:
        label = _FieldLabel(spec.label, parent)
        editor = FieldEditor(spec, parent)
        editor.committed.connect(self._on_committed)
        label.name.setBuddy(editor.input)
        self._labels[spec.name] = label
        self.editors[spec.name] = editor
        form.addRow(label, editor)

    def _add_rights_profile(self, form: QFormLayout, parent: QWidget) -> None:
        label = _FieldLabel("Rights profile", parent)
        self.profile_combo = QComboBox(parent)
        self.profile_combo.setObjectName("field_rights_profile_id")
        self.profile_combo.setAccessibleName("Rights profile")
        label.name.setBuddy(self.profile_combo)
        self.profile_combo.activated.connect(self._on_profile_chosen)
        self.rights_status = QLabel(parent)
        self.rights_status.setWordWrap(True)
        box = QWidget(parent)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.profile_combo)
        column.addWidget(self.rights_status)
        form.insertRow(0, label, box)

    def _build_technical(self, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_section_title("File and technical", box))
        form = QFormLayout()
        column.addLayout(form)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, text in TECHNICAL:
            value = QLabel(box)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"tech_{key}")
            self._tech[key] = value
            form.addRow(QLabel(text, box), value)
        self._tech_form = form
        return box

    def focus_order(self) -> list[QWidget]:
        """The inspector's fields as they are on screen, top to bottom (the Tab order)."""
        order: list[QWidget] = [self._form_page]
        for group in GROUPS:
            if group == RIGHTS:
                order.append(self.profile_combo)   # the first row of its section
            order.extend(self.editors[spec.name].input for spec in FIELDS if spec.group == group)
        order += [self.links.list, self.links.unlink]   # the Linked section, below the fields
        return order

    def install_on_text_editors(self, hook, names=("caption", "headline", "title")) -> None:
        """Run ``hook(widget)`` on the inputs of the named fields (e.g. code expansion)."""
        for name in names:
            hook(self.editors[name].input)

    # -- showing a selection ---------------------------------------------------------------------
    def show_ids(self, ids: list[int]) -> None:
        self._ids = list(ids)
        self.refresh()

    def ids(self) -> list[int]:
        return list(self._ids)

    def refresh(self) -> None:
        if not self._ids:
            self.summary = None
            self._stack.setCurrentIndex(0)
            return
        ids = list(self._ids)
        self._reader.submit(lambda catalog: summarise(catalog, ids), self._show, key="inspector")

    def shows(self, ids: list[int]) -> bool:
        """Whether the fields hold exactly these assets now (not an earlier selection)."""
        return self.summary is not None and list(self.summary.ids) == list(ids) == self._ids

    def show_now(self, ids: list[int], catalog: Catalog) -> None:
        """Show ``ids`` before returning, read on ``catalog`` (the window's read-only connection):
        for a jump into a field, where typing must never go to the selection before this one."""
        self.show_ids(ids)             # supersedes any answer still on its way for earlier ids
        if ids:
            self._show(summarise(catalog, ids))

    def _show(self, summary: Summary) -> None:
        if list(summary.ids) != self._ids and summary.count:
            # some were removed meanwhile; keep what exists
            self._ids = list(summary.ids)
        self.summary = summary
        if not summary.count:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        asset = summary.asset
        iim_applies = AssetKind.PHOTO in summary.kinds   # IPTC-IIM is a photo's; videos and documents use XMP
        for name, editor in self.editors.items():
            value = summary.values.get(name)
            editor.iim_applies = iim_applies
            if not editor.is_dirty():
                editor.set_value(None if value is MULTIPLE else value, multiple=value is MULTIPLE)
            label = self._labels[name]
            if asset is not None:
                label.set_source(asset.field_sources.get(name), asset.conflicts.get(name))
            else:
                label.set_source(None, None)
        self._show_heading(summary)
        self._show_profiles(summary)
        self._show_technical(summary)
        self.changes.show_asset(asset.id if asset is not None else None)
        self.links.show_links(summary.asset, list(summary.links))
        self.links.setEnabled(summary.asset is not None)

    def _show_heading(self, summary: Summary) -> None:
        asset = summary.asset
        if asset is not None:
            self.heading.setText(asset.display_title)
            parts = [asset.kind.capitalize(), asset.format or ""]
            if asset.width and asset.height:
                parts.append(f"{asset.width} × {asset.height}")
            if asset.duration:
                parts.append(format_duration(asset.duration))
            parts.append(format_size(asset.size))
            self.subheading.setText(" · ".join(p for p in parts if p))
        else:
            self.heading.setText(f"{summary.count:,} assets selected")
            kinds = ", ".join(f"{n:,} {k}{'s' if n != 1 else ''}" for k, n in sorted(summary.kinds.items()))
            self.subheading.setText((kinds + " · " if kinds else "") +
                                    "edits apply to all of them")

    def _show_profiles(self, summary: Summary) -> None:
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        value = summary.values.get("rights_profile_id")
        if value is MULTIPLE:
            combo.addItem(MULTIPLE_TEXT, "multiple")
        combo.addItem("No rights profile", None)
        for profile in summary.profiles:
            combo.addItem(profile.name, profile.id)
            combo.setItemData(combo.count() - 1, profile.note, Qt.ItemDataRole.ToolTipRole)
        combo.setCurrentIndex(0 if value is MULTIPLE else max(0, combo.findData(value)))
        combo.blockSignals(False)
        asset = summary.asset
        if asset is not None:
            badge = rights_badge(asset, {p.id: p for p in summary.profiles if p.id is not None})
            review = asset.rights_review if asset.rights_review and asset.rights_review not in badge.label else ""
            self.rights_status.setText(badge.label + (f"\n⚠ {review}" if review else ""))
            linked = next((p for p in summary.profiles if p.id == asset.rights_profile_id), None)
            self.rights_status.setToolTip(linked.note if linked else "")
            colour = "#b91c1c" if badge.problem or review else "#2e7d32"
            self.rights_status.setStyleSheet(f"color: {colour};")
            # a long review note wraps over several lines: make the form row tall enough for it
            width = max(self.rights_status.width(), self.profile_combo.width(), 240)
            self.rights_status.setMinimumHeight(self.rights_status.heightForWidth(width))
        elif value is MULTIPLE:
            self.rights_status.setMinimumHeight(0)
            self.rights_status.setText("The selected assets have different rights profiles.")
            self.rights_status.setStyleSheet("")
        else:
            self.rights_status.setMinimumHeight(0)
            self.rights_status.setText("")

    def _show_technical(self, summary: Summary) -> None:
        asset = summary.asset
        values: dict[str, str] = {}
        if asset is not None:
            folder = os.path.dirname(asset.path)
            values = {
                "file": asset.file_name + ("  (file missing)" if asset.missing else ""),
                "folder": folder,
                "format": asset.format or "",
                "size": format_size(asset.size),
                "dimensions": f"{asset.width} × {asset.height} px" if asset.width and asset.height else "",
                "duration": format_duration(asset.duration),
                "codec": asset.codec or "",
                "frame_rate": f"{asset.frame_rate:g} fps" if asset.frame_rate else "",
                "galleries": "; ".join(asset.galleries),
                "imported": format_date(asset.imported_at[:16].replace("Z", "")) + " UTC"
                if asset.imported_at else "",
                "credentials": credentials_summary(asset.warnings) or "",
                "warnings": "\n".join(w for w in asset.warnings if not w.startswith(CREDENTIALS_PREFIX)),
            }
        else:
            values = {"file": f"{summary.count:,} files"}
        for key, label in self._tech.items():
            text = values.get(key, "")
            label.setText(text)
            self._tech_form.setRowVisible(label, bool(text))
        broken = ", invalid" in values.get("credentials", "")
        self._tech["credentials"].setStyleSheet("color: #b00020;" if broken else "")
        self._tech["credentials"].setToolTip(
            "C2PA content credentials in the file: who signed it and whether it is as signed. "
            "Embedding metadata (export with metadata inside, write-back) breaks them; export the "
            "original untouched with an XMP sidecar to keep them." if values.get("credentials") else "")

    # -- edits --------------------------------------------------------------------------------
    def _on_committed(self, name: str, value) -> None:
        if not self._ids:
            return
        label = self._labels[name].name.text().lower()
        editor = self.editors[name]
        read = ({asset_id: {name: editor.base_value} for asset_id in self._ids}
                if getattr(editor, "base_known", False) else None)
        self._request({name: value}, label, read)

    def _on_profile_chosen(self, _index: int) -> None:
        data = self.profile_combo.currentData()
        if data == "multiple" or not self._ids:
            return
        self._request({"rights_profile_id": data}, "rights profile")

    def _request(self, values: dict, label: str, read: dict | None = None) -> None:
        count = len(self._ids)
        description = f"Edit {label}" + (f" of {count:,} assets" if count > 1 else "")
        self.edit_requested.emit({asset_id: dict(values) for asset_id in self._ids}, description, read)

    def keep_unsaved(self, ids, values: dict, read: dict | None) -> None:
        """An edit of these assets was not saved (the team catalog is out of reach): what was
        typed stays in the fields while they still show the same assets (see FieldEditor)."""
        if sorted(ids) != sorted(self._ids):
            return
        for name, value in values.items():
            editor = self.editors.get(name)
            if editor is not None:
                base: dict = next(iter(read.values()), {}) if read else {}
                editor.keep_unsaved(value, base.get(name), known=name in base)

    def settle(self, ids, values: dict) -> None:
        """The edit was saved after all: its fields are no longer unsaved edits."""
        if sorted(ids) != sorted(self._ids):
            return
        for name, value in values.items():
            editor = self.editors.get(name)
            if editor is not None:
                editor.settle(value)

    def editor(self, name: str) -> FieldEditor:
        return self.editors[name]
