"""mediadesk's folders on Linux are platformdirs' folders, read without importing it (issue 18)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from mediadesk import APP_NAME, paths

XDG = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rules are Linux's")


def platformdirs_folders() -> dict[str, Path]:
    return {kind: Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))
            for kind in ("data", "config", "cache", "log", "state")}


def mediadesk_folders() -> dict[str, Path]:
    return {"data": paths.data_dir(), "config": paths.config_dir(), "cache": paths.cache_dir(),
            "log": paths.log_dir(), "state": paths.state_dir()}


@pytest.mark.parametrize("setting", ["unset", "absolute", "relative", "empty"])
def test_the_folders_are_the_ones_platformdirs_names(setting, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for i, name in enumerate(XDG):
        if setting == "unset":
            monkeypatch.delenv(name, raising=False)
        elif setting == "absolute":
            monkeypatch.setenv(name, str(tmp_path / f"xdg{i}"))
        elif setting == "relative":
            monkeypatch.setenv(name, f"relative/xdg{i}")   # the specification says: ignore it
        else:
            monkeypatch.setenv(name, "")
    mine = mediadesk_folders()
    assert mine == platformdirs_folders()
    if setting == "absolute":
        assert mine["cache"] == tmp_path / "xdg2" / APP_NAME
        assert mine["log"] == tmp_path / "xdg3" / APP_NAME / "log"
    else:
        assert mine["data"] == tmp_path / "home" / ".local" / "share" / APP_NAME


def test_reading_the_folders_creates_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in XDG:
        monkeypatch.delenv(name, raising=False)
    mediadesk_folders()
    assert list(tmp_path.iterdir()) == []
