"""Fixtures of the window tests: a small real library (six photos, one video, one gallery), the
window's own settings file, and the main window on that library (closed after the test)."""

from __future__ import annotations

import pytest

from tests.support.ui_fixtures import build_catalog, close_window, open_window


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def library(tmp_path):
    return build_catalog(tmp_path, photos=6, videos=1, gallery="President of Poland visits NATO")


@pytest.fixture
def window(qtbot, library, settings):
    win = open_window(qtbot, library, settings)
    yield win
    close_window(win)
