"""Window layout remembered between runs (QSettings: geometry and layout only)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter


def _bytes(value) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_state(settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter],
               extra: dict[str, object]) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    for name, splitter in splitters.items():
        settings.setValue(f"window/splitter/{name}", splitter.saveState())
    for key, value in extra.items():
        settings.setValue(f"view/{key}", value)
    settings.sync()


def restore_state(settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]) -> bool:
    geometry = _bytes(settings.value("window/geometry"))
    if geometry is not None:
        window.restoreGeometry(geometry)
    state = _bytes(settings.value("window/state"))
    if state is not None:
        window.restoreState(state)
    for name, splitter in splitters.items():
        saved = _bytes(settings.value(f"window/splitter/{name}"))
        if saved is not None:
            splitter.restoreState(saved)
    return geometry is not None


def view_value(settings: QSettings, key: str, default, kind=str):
    value = settings.value(f"view/{key}", default)
    try:
        if kind is bool:
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        return kind(value) if value is not None else default
    except (TypeError, ValueError):
        return default
