"""Offscreen screenshots of the batch editor (template preview) and the find-and-replace preview.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_batch.py [--out DIR]

Builds a small catalog in a temporary folder (a press-office shoot: people, places, captions),
opens each dialog on it, waits for the preview and saves DIR/batch_editor.png and
DIR/find_replace.png (default DIR: build/screenshots).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.services.codes import set_code
from mediadesk.services.people import set_person
from mediadesk.services.templates import add_template

from mediadesk.ui.batch_editor import BatchEditorDialog
from mediadesk.ui.find_replace_dialog import FindReplaceDialog

SHOOT = [
    ("Mark Rutte", "Andrzej Duda"), ("Andrzej Duda",), ("Mark Rutte", "Aleksandar Vučić"),
    ("Kęstutis Budrys",), ("Mark Rutte", "Kęstutis Budrys"), ("Đorđe Đorđević",),
]
CAPTIONS = [
    "Press conference at NATO Headquarters. Vucic answered questions.",
    "Arrival of the President of Poland.",
    "Bilateral meeting; Vucic and the Secretary General.",
    "Foreign ministers' session.",
    "Family photo",
    "",
]


def build_catalog(folder: Path) -> tuple[Path, list[int]]:
    path = folder / "shots.mediadesk"
    cat = open_catalog(path)
    store = AssetStore(cat)
    ids = []
    with cat.transaction():
        for n, (people, caption) in enumerate(zip(SHOOT, CAPTIONS, strict=True), start=1):
            ids.append(store.insert({
                "content_hash": hashlib.sha256(f"shot{n}".encode()).hexdigest(),
                "path": f"/shoots/2025-06-24/NATO_{n:04d}.jpg", "file_name": f"NATO_{n:04d}.jpg",
                "size": 6_500_000, "mtime": 1.0, "kind": "photo", "format": "JPEG",
                "people": list(people), "caption": caption or None, "city": "Brussels",
                "country": "Belgium", "date_created": "2025-06-24T10:15:00+02:00",
                "creator": "NATO Photo",
            }))
        gallery = GalleryStore(cat).create_unrecorded("President of Poland visits NATO", date="2025-06-24")
        GalleryStore(cat).add_assets_unrecorded(gallery, ids)
    set_person(cat, "Mark Rutte", "NATO Secretary General")
    set_person(cat, "Andrzej Duda", "President of Poland")
    set_code(cat, "hq", "NATO Headquarters")
    add_template(cat, "Visit caption", "caption",
                 "{people} at =hq= in {city}, {country} on {date}. {event}. Photo: {creator} ({seq:03})")
    add_template(cat, "Visit caption", "credit", "NATO")
    cat.close()
    return path, ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="build/screenshots", metavar="DIR")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory(prefix="mediadesk-shots-") as tmp:
        catalog_path, ids = build_catalog(Path(tmp))

        editor = BatchEditorDialog(str(catalog_path), ids)
        editor.choose_template("Visit caption")
        editor.show()
        app.processEvents()
        editor.grab().save(str(out / "batch_editor.png"))
        editor.reject()

        finder = FindReplaceDialog(str(catalog_path), ids)
        finder.find_edit.setText("Vucic")
        finder.replace_edit.setText("Vučić")
        finder.word_box.setChecked(True)
        finder.refresh_preview()
        finder.show()
        app.processEvents()
        finder.grab().save(str(out / "find_replace.png"))
        finder.reject()
    print(f"wrote {out / 'batch_editor.png'} and {out / 'find_replace.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
