"""Helpers for the window tests: small real media libraries and a window on them (the fixtures
``settings``, ``library`` and ``window`` that use them are in tests/ui/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import av
from PIL import Image

from mediadesk.catalog.connection import Catalog
from mediadesk.services.importer import import_paths

EDITORIAL_NOTE = ("This media asset is free for editorial broadcast, print, online and radio use. "
                  "It is restricted for use for other purposes.")

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
 xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{caption}</rdf:li></rdf:Alt></dc:description>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
<photoshop:DateCreated>{date}</photoshop:DateCreated>
<Iptc4xmpExt:PersonInImage><rdf:Bag>{people}</rdf:Bag></Iptc4xmpExt:PersonInImage>
{rights}
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def make_photo(path: Path, caption: str, title: str = "", *, people=(), creator: str = "Jane Doe",
               date: str = "2025-03-12T10:00:00+01:00", editorial: bool = True,
               size=(320, 240), colour=(30, 90, 160)) -> Path:
    rights = (f'<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">{EDITORIAL_NOTE}'
              "</rdf:li></rdf:Alt></xmpRights:UsageTerms>" if editorial else "")
    xmp = _XMP.format(caption=caption, title=title or caption[:30], creator=creator, date=date,
                      people="".join(f"<rdf:li>{p}</rdf:li>" for p in people), rights=rights)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, quality=85, xmp=xmp.encode("utf-8"))
    return path


def make_video(path: Path, frames: int = 50, size=(160, 120)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as out:
        try:
            stream = out.add_stream("libx264", rate=25)
        except Exception:  # pragma: no cover - FFmpeg without x264
            stream = out.add_stream("mpeg4", rate=25)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for n in range(frames):
            frame = av.VideoFrame.from_image(Image.new("RGB", size, (n * 5 % 255, 60, 120)))
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def make_sources(folder: Path, photos: int = 6, videos: int = 1) -> Path:
    people = (("Mark Rutte",), ("Andrzej Duda",), ("Mark Rutte", "Andrzej Duda"))
    for n in range(photos):
        make_photo(folder / f"photo_{n:03d}.jpg",
                   f"Photo {n}: NATO Secretary General Mark Rutte at the press day number {n}",
                   f"Press day {n}", people=people[n % 3], editorial=n % 4 != 3,
                   date=f"2025-03-{n % 28 + 1:02d}T10:00:00+01:00", colour=(20 + n * 7 % 200, 90, 160))
    for n in range(videos):
        make_video(folder / f"clip_{n}.mp4")
    return folder


def build_catalog(tmp_path: Path, photos: int = 6, videos: int = 1, gallery: str | None = None) -> Path:
    sources = make_sources(tmp_path / "media", photos, videos)
    path = tmp_path / "catalog.mediadesk"
    with Catalog(path) as catalog:
        report = import_paths(catalog, [str(sources)], gallery=gallery, workers=0)
    assert not report.errors, report.errors
    return path


def open_window(qtbot, catalog_path: Path, settings):
    from mediadesk.app import create_main_window
    window = create_main_window(catalog_path, settings)
    window.importer.workers = 0
    window.galleries.confirm = lambda *args: True
    window.confirm_stop_import = lambda: True  # type: ignore[method-assign]  # the window asks a person
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: not window.results.pending and window.sidebar_data is not None, timeout=10000)
    return window


def close_window(window) -> None:
    window.shutdown()


# -- driving the window ----------------------------------------------------------------------
def rows_where(window, predicate):
    return [r for r in range(window.model.rowCount()) if predicate(window.model.asset_at(r))]


def select(window, rows):
    from PySide6.QtCore import QItemSelectionModel

    window.selection.clearSelection()
    for n, row in enumerate(rows):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        if n == 0:
            window.selection.setCurrentIndex(window.model.index(row, 0), flags)
        else:
            window.selection.select(window.model.index(row, 0), flags)


def wait_inspector(qtbot, window, ids):
    qtbot.waitUntil(lambda: window.inspector.summary is not None
                    and set(window.inspector.summary.ids) == set(ids), timeout=5000)
