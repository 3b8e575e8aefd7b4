"""QIcons for the window, loaded through :mod:`mediadesk.resources` (the one place files are found).

``icon("import")`` gives a line icon drawn in the palette's text colour (the SVGs use
``currentColor``, so one set of files serves light and dark themes); the rights icons keep their
own green and red. ``app_icon()`` is the application icon with every PNG size plus the SVG.
Icons are cached per name and colour; a missing icon is a programming error and raises.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from mediadesk.resources import APP_ICON_SIZES, app_icon_png, icon_path

_SIZES = (16, 20, 24, 32, 48, 64)


def _text_color() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#37414b"
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()


def _render(renderer: QSvgRenderer, size: int, ratio: float, opacity: float = 1.0) -> QPixmap:
    px = int(round(size * ratio))
    image = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setOpacity(opacity)
    renderer.render(painter)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@functools.cache
def _icon(name: str, color: str) -> QIcon:
    data = icon_path(name).read_bytes().replace(b"currentColor", color.encode())
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r} is not a valid SVG")
    result = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            result.addPixmap(_render(renderer, size, ratio), QIcon.Mode.Normal, QIcon.State.Off)
            # a faded copy for disabled actions (Qt's automatic greying is weak on dark themes)
            result.addPixmap(_render(renderer, size, ratio, 0.4), QIcon.Mode.Disabled, QIcon.State.Off)
    return result


def icon(name: str, color: str | None = None) -> QIcon:
    """The window icon ``name`` (see mediadesk.resources.UI_ICONS), in ``color`` or the palette's text colour."""
    return _icon(name, color or _text_color())


@functools.cache
def app_icon() -> QIcon:
    """The application icon (window title bar, task bar, about box)."""
    result = QIcon()
    for size in APP_ICON_SIZES:
        result.addFile(str(app_icon_png(size)), QSize(size, size))
    return result


def app_pixmap(size: int) -> QPixmap:
    return app_icon().pixmap(size, size)
