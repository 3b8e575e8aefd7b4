"""Where mediadesk keeps its files, following the platform's conventions (one module for all)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from mediadesk import APP_NAME

CATALOG_ENV = "MEDIADESK_CATALOG"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_catalog_path() -> Path:
    """``$MEDIADESK_CATALOG`` if set, else ``catalog.mediadesk`` in the user data folder."""
    env = os.environ.get(CATALOG_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / "catalog.mediadesk"


def resolve_catalog_path(explicit: str | os.PathLike | None) -> Path:
    return Path(explicit).expanduser() if explicit else default_catalog_path()
