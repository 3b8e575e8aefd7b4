"""Font files on this machine with the letters of European names (ł, č, ę, ø ...), for the text
cards of documents and the demo's press releases. Nothing is downloaded or shipped: the system's
DejaVu, Liberation, Noto or Arial, found in the usual font folders; None when there is none."""

from __future__ import annotations

import os
import sys
from functools import lru_cache

_REGULAR = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "Arial.ttf", "arial.ttf")
_BOLD = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "NotoSans-Bold.ttf", "Arial Bold.ttf",
         "arialbd.ttf")
_MAX_FILES_LOOKED_AT = 50_000


def _font_dirs() -> list[str]:
    home = os.path.expanduser("~")
    dirs = [os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share"), "fonts"),
            os.path.join(home, ".fonts")]
    for base in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":"):
        if base:
            dirs.append(os.path.join(base, "fonts"))
    if sys.platform == "darwin":
        dirs += ["/Library/Fonts", "/System/Library/Fonts", os.path.join(home, "Library", "Fonts")]
    elif sys.platform == "win32":
        dirs.append(os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"))
    return list(dict.fromkeys(dirs))


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """File name -> path of the font files found (the first of each name wins)."""
    found: dict[str, str] = {}
    seen = 0
    for top in _font_dirs():
        for folder, _dirs, files in os.walk(top):
            for name in files:
                seen += 1
                found.setdefault(name, os.path.join(folder, name))
            if seen > _MAX_FILES_LOOKED_AT:
                return found
    return found


def font_file(*, bold: bool = False) -> str | None:
    """The path of a sans-serif TrueType font with Latin Extended letters, or None."""
    index = _index()
    for name in _BOLD if bold else _REGULAR:
        if name in index:
            return index[name]
    return None
