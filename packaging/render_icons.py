"""Render the application icon's PNG sizes from the SVG master (resources/icons/mediadesk.svg).

    python packaging/render_icons.py            # writes resources/icons/hicolor/<N>x<N>/apps/mediadesk.png
    python packaging/render_icons.py --check    # exit 1 if a PNG is missing or has the wrong size
    python packaging/render_icons.py --sheet out.png   # also a contact sheet of every icon (for review)

Rendering uses Qt's own SVG renderer (PySide6.QtSvg, offscreen), so no extra tool is needed. Run it
after editing the SVG and commit the PNGs: desktops (and the wheel) use the PNGs as they are.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
MASTER = ICONS / "mediadesk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / "mediadesk.png"


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def render(svg: Path, size: int, *, color: str | None = None):
    """The SVG drawn into a transparent size x size QImage (``currentColor`` replaced by color)."""
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    data = svg.read_bytes()
    if color:
        data = data.replace(b"currentColor", color.encode())
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def write_pngs() -> list[Path]:
    _app()
    written = []
    for size in SIZES:
        out = png_path(size)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(MASTER, size).save(str(out), "PNG"):
            raise SystemExit(f"could not write {out}")
        written.append(out)
    return written


def check() -> list[str]:
    from PIL import Image

    problems = []
    for size in SIZES:
        path = png_path(size)
        if not path.is_file():
            problems.append(f"missing: {path.relative_to(ROOT)}")
            continue
        with Image.open(path) as im:
            if im.size != (size, size):
                problems.append(f"{path.relative_to(ROOT)} is {im.size}, expected {size}x{size}")
    return problems


def contact_sheet(out: Path) -> None:
    """Every icon on a light and a dark strip: the app icon at 16-128 px, UI icons at 16/24/48."""
    _app()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    ui = sorted((ICONS / "ui").glob("*.svg"))
    width = max(60 * len(ui), 16 + 24 + 32 + 48 + 64 + 128 + 8 * 8) + 20
    sheet = QImage(width, 2 * (140 + 3 * 56) + 20, QImage.Format.Format_ARGB32)
    sheet.fill(Qt.GlobalColor.white)
    p = QPainter(sheet)
    for band, (bg, fg) in enumerate((("#ffffff", "#37414b"), ("#2b2f33", "#e3e6e8"))):
        top = band * (140 + 3 * 56 + 10)
        p.fillRect(0, top, width, 140 + 3 * 56, QColor(bg))
        x = 10
        for size in (16, 24, 32, 48, 64, 128):
            p.drawImage(x, top + 6, render(MASTER, size))
            x += size + 8
        for row, size in enumerate((16, 24, 48)):
            for i, svg in enumerate(ui):
                p.drawImage(10 + 60 * i, top + 140 + row * 56, render(svg, size, color=fg))
    p.end()
    sheet.save(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every PNG exists with the right size")
    parser.add_argument("--sheet", metavar="PNG", type=Path, help="also write a contact sheet of all icons")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or f"ok: {len(SIZES)} sizes")
        return 1 if problems else 0
    for path in write_pngs():
        print(path.relative_to(ROOT))
    if args.sheet:
        contact_sheet(args.sheet)
        print(args.sheet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
