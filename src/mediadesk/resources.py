"""Files the application needs at run time (icons, desktop entry, metainfo), found in one place.

The files live in the repository's top-level ``resources/`` folder. A wheel carries them as
``mediadesk/resources/`` (see packaging/mediadesk_build.py); the PyInstaller bundle puts them at
``<bundle>/mediadesk/resources/``. :func:`resource_root` looks, in order, at

1. ``$MEDIADESK_RESOURCES`` (for packagers who install the files elsewhere),
2. ``mediadesk/resources/`` beside this module (an installed wheel, and the frozen app),
3. ``sys._MEIPASS/mediadesk/resources`` (a PyInstaller bundle, whatever ``__file__`` says),
4. ``<repo>/resources`` (a source checkout, plain or installed with ``pip install -e``).

No Qt here: the command line and the core use these paths too; ``mediadesk.ui.icons`` makes
QIcons from them.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

ENV = "MEDIADESK_RESOURCES"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
UI_ICONS = (
    "import", "export", "grid", "table", "search", "gallery", "video", "photo",
    "rights-ok", "rights-blocked", "undo", "redo",
)
APP_ID = "org.mediadesk.MediaDesk"
_MARKER = Path("icons") / "mediadesk.svg"  # a file every complete resources folder has


class ResourceNotFound(FileNotFoundError):
    pass


def _candidates() -> list[Path]:
    here = Path(__file__).resolve().parent
    found = []
    env = os.environ.get(ENV)
    if env:
        found.append(Path(env).expanduser())
    found.append(here / "resources")
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        found.append(Path(meipass) / "mediadesk" / "resources")
    found.append(here.parents[1] / "resources")  # src/mediadesk/resources.py -> <repo>/resources
    return found


@functools.cache
def resource_root() -> Path:
    """The folder that holds ``icons/``, ``linux/``; raises ResourceNotFound if there is none."""
    candidates = _candidates()
    for folder in candidates:
        if (folder / _MARKER).is_file():
            return folder
    raise ResourceNotFound(
        "mediadesk's resources folder is missing (looked in: " + ", ".join(map(str, candidates)) + ")"
    )


def resource_path(relative: str | os.PathLike) -> Path:
    """``resource_root() / relative``, which must exist (ResourceNotFound otherwise)."""
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise ValueError(f"not a relative resource path: {relative}")
    path = resource_root() / rel
    if not path.exists():
        raise ResourceNotFound(f"no resource {rel.as_posix()} in {resource_root()}")
    return path


def icon_path(name: str) -> Path:
    """A window icon by name (``"import"``, ``"rights-ok"`` ...): ``icons/ui/<name>.svg``.

    ``"mediadesk"`` (or ``"app"``) is the application icon's SVG master.
    """
    if name in ("mediadesk", "app"):
        return resource_path(_MARKER)
    return resource_path(Path("icons") / "ui" / f"{name}.svg")


def app_icon_png(size: int) -> Path:
    """The application icon as a PNG of size x size pixels (one of APP_ICON_SIZES)."""
    if size not in APP_ICON_SIZES:
        raise ValueError(f"no {size} px application icon; sizes are {APP_ICON_SIZES}")
    return resource_path(Path("icons") / "hicolor" / f"{size}x{size}" / "apps" / "mediadesk.png")


def desktop_entry_path() -> Path:
    return resource_path(Path("linux") / f"{APP_ID}.desktop")


def metainfo_path() -> Path:
    return resource_path(Path("linux") / f"{APP_ID}.metainfo.xml")
