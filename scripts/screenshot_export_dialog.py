"""Screenshot of the Export dialog with a blocked asset (offscreen): builds a small catalog.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_export_dialog.py [--out export_dialog.png]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image

from PySide6.QtWidgets import QApplication

from mediadesk.catalog import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.media import embed_metadata
from mediadesk.services.edits import apply_edits
from mediadesk.services.importer import import_paths

from mediadesk.ui.export_dialog import ExportDialog

PHOTOS = [
    ("rutte_duda_handshake.jpg", "Mark Rutte welcomes Andrzej Duda, President of Poland", 1, (40, 70, 120)),
    ("press_point.jpg", "Joint press point: Mark Rutte and Andrzej Duda", 1, (90, 90, 60)),
    ("vucic_residence.jpg", "Aleksandar Vučić at the Secretary General's residence", 1, (120, 40, 40)),
    ("delegation_unknown.jpg", "Polish delegation from Kraków and Łódź (agency photo)", None, (60, 120, 60)),
]


def build(folder: Path) -> tuple[Path, list[int]]:
    src = folder / "photos"
    src.mkdir()
    for name, caption, _profile, colour in PHOTOS:
        buf = io.BytesIO()
        Image.new("RGB", (300, 200), colour).save(buf, "JPEG")
        data, _ = embed_metadata(buf.getvalue(), {"title": caption, "caption": caption}, fmt="JPEG")
        (src / name).write_bytes(data)
    path = folder / "demo.mediadesk"
    with Catalog(path) as catalog:
        import_paths(catalog, [str(src)], workers=0)
        ids = {r["file_name"]: r["id"] for r in catalog.query("SELECT id, file_name FROM assets")}
        apply_edits(catalog, {ids[name]: {"rights_profile_id": profile, "credit": "NATO"}
                              for name, _c, profile, _col in PHOTOS})
        with catalog.transaction():
            gallery = GalleryStore(catalog).create_unrecorded("President of Poland visits NATO", date="2025-03-06")
            GalleryStore(catalog).add_assets_unrecorded(gallery, [ids[p[0]] for p in PHOTOS])
    return path, [ids[p[0]] for p in PHOTOS]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="export_dialog.png")
    ap.add_argument("--purpose", default="advertising", help="purpose shown in the screenshot")
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        path, ids = build(Path(tmp))
        dialog = ExportDialog(str(path), ids, gallery_title="President of Poland visits NATO")
        dialog.folder.setText(str(Path(tmp) / "exports"))
        dialog.recipient.setText("Gazeta Wyborcza, photo desk")
        index = dialog.purpose.findText(args.purpose, flags=__import__("PySide6.QtCore").QtCore.Qt.MatchContains)
        dialog.purpose.setCurrentIndex(max(0, index))
        dialog.refresh_preview()
        dialog.show()
        app.processEvents()
        dialog.grab().save(args.out)
        dialog.reject()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
