"""The About box: version, the libraries underneath, the catalog in use, the licence."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from mediadesk import __version__


def about_text(catalog_path: str) -> str:
    return (
        f"<h3>mediadesk {__version__}</h3>"
        "<p>Media-asset manager for press offices and newsrooms: catalog photos and videos, "
        "caption them, export rights-checked bundles.</p>"
        f"<p>Catalog: <code>{catalog_path}</code></p>"
        f"<p><small>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {PySide6.__version__}"
        "<br>Licensed under the GNU General Public License, version 3 or later.</small></p>"
    )


def show_about(parent: QWidget, catalog_path: str) -> None:
    QMessageBox.about(parent, "About mediadesk", about_text(catalog_path))
