"""Shown in the centre while the catalog is empty: import a folder, or build the demo library."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class WelcomePage(QWidget):
    import_requested = Signal()
    demo_requested = Signal()

    def __init__(self, catalog_path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel("This catalog is empty", self)
        title.setObjectName("welcomeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            "Import a folder of photos and videos: mediadesk reads their captions, people, places and "
            "rights notes, and makes thumbnails. The files stay where they are.\n\n"
            "Or open the demo library: NATO press photos and videos with real captions and an "
            "editorial-only rights note, built through the same import, to try everything safely.",
            self)
        text.setWordWrap(True)
        text.setMaximumWidth(560)
        self.import_button = QPushButton("Import a folder…", self)
        self.import_button.setObjectName("welcomeImport")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_requested)
        self.demo_button = QPushButton("Open the demo library", self)
        self.demo_button.setObjectName("welcomeDemo")
        self.demo_button.clicked.connect(self.demo_requested)
        where = QLabel(f"Catalog: {catalog_path}", self)
        where.setObjectName("welcomeCatalog")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(mid);")
        hint = QLabel("You can also drop files or folders anywhere on this window.", self)
        hint.setStyleSheet("color: palette(mid);")

        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addSpacing(8)
        column.addWidget(text)
        column.addSpacing(16)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(hint)
        column.addWidget(where)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column)
        outer.addStretch(1)
        wrapper = outer
        wrapper.setAlignment(Qt.AlignmentFlag.AlignVCenter)

    def set_busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        self.demo_button.setEnabled(not busy)
        self.demo_button.setText("Building the demo library…" if busy else "Open the demo library")
