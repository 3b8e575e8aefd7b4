"""The window (PySide6): item models over ids, views, the inspector, dialogs and their wiring.

Only this package and ``mediadesk.app`` import Qt. Logic lives in ``services``/``catalog``; the
modules here turn it into widgets and keep the GUI thread free of file and long database work.
"""

import sys

import PySide6.QtCore  # noqa: F401  (PySide6's import hook, patched below, comes with it)


def _quicker_feature_check() -> None:
    """PySide6 replaces ``__import__`` (for its opt-in ``from __feature__ import ...``) and, after
    every module imported from then on, asks whether the module "uses PySide6" by reading its
    whole source through ``inspect.getsource`` (linecache, tokenize): ~160 modules, 0.1-0.15 s of
    the window's start on a small machine (issue 18). The same test is made here on the file's
    bytes; a module without a ``.py`` file goes to PySide's own check. If a PySide6 version has
    no such function, nothing is changed."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_the_file", False):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as fh:
                    return b"PySide6" in fh.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside.reads_the_file = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)   # noqa: B010 (a module found at run time)


_quicker_feature_check()
