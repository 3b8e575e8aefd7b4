"""Builds the QApplication and the main window (the UI layer replaces this minimal window)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from mediadesk import __version__
from mediadesk.catalog import open_catalog
from mediadesk.paths import resolve_catalog_path


def run_app(catalog: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    path = resolve_catalog_path(catalog)
    with open_catalog(path) as cat:
        count = cat.scalar("SELECT count(*) FROM assets")
    window = QMainWindow()
    window.setWindowTitle(f"mediadesk {__version__}")
    window.setCentralWidget(QLabel(f"Catalog {path}: {count} assets"))
    window.resize(1000, 700)
    window.show()
    return app.exec()
