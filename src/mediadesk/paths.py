"""Where mediadesk keeps its files, following the platform's conventions (one module for all).

On Linux (XDG; the variables move them):

=========  ============================================  ==========================
what       where                                         moved by
=========  ============================================  ==========================
catalog    ``~/.local/share/mediadesk/catalog.mediadesk``  ``--catalog``, ``$MEDIADESK_CATALOG``, ``$XDG_DATA_HOME``
thumbnails ``<catalog>.thumbs/`` beside the catalog file  (moves with the catalog)
config     ``~/.config/mediadesk/``                      ``$XDG_CONFIG_HOME``
cache      ``~/.cache/mediadesk/``                       ``$XDG_CACHE_HOME``
logs       ``~/.local/state/mediadesk/log/mediadesk.log``  ``$XDG_STATE_HOME``
state      ``~/.local/state/mediadesk/`` (ledger heads seen)  ``$XDG_STATE_HOME``
=========  ============================================  ==========================

These five are the XDG Base Directory rules, read here directly (a variable counts when it holds
an absolute path, as the specification says): importing platformdirs costs a command-line start
more than everything a search does. macOS and Windows get their platform's folders through
platformdirs; ``tests/core/test_paths.py`` checks that both give the same folders on Linux.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mediadesk import APP_NAME

CATALOG_ENV = "MEDIADESK_CATALOG"
CATALOG_FILE = "catalog.mediadesk"
LOG_FILE = "mediadesk.log"


# the XDG rules apply where platformdirs applies them (its Unix class): not on macOS, Windows
# or Android
_XDG = (sys.platform not in ("win32", "darwin", "ios") and not sys.platform.startswith("cygwin")
        and not ("ANDROID_DATA" in os.environ and "ANDROID_ROOT" in os.environ))


def _xdg(variable: str, default: str) -> Path:
    """``$variable`` if it is an absolute path, else ``default`` under the home folder; with
    mediadesk's folder in it."""
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        base = os.path.expanduser(default)
    return Path(base, APP_NAME)


def _platformdirs(kind: str) -> Path:
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", "~/.local/share") if _XDG else _platformdirs("data")


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", "~/.config") if _XDG else _platformdirs("config")


def cache_dir() -> Path:
    return _xdg("XDG_CACHE_HOME", "~/.cache") if _XDG else _platformdirs("cache")


def log_dir() -> Path:
    return state_dir() / "log" if _XDG else _platformdirs("log")


def state_dir() -> Path:
    """Machine-local state: the newest ledger head seen per catalog (services/ledger_check.py)."""
    return _xdg("XDG_STATE_HOME", "~/.local/state") if _XDG else _platformdirs("state")


def log_file() -> Path:
    """The current log file (older ones beside it: ``mediadesk.log.1`` ... ``.5``)."""
    return log_dir() / LOG_FILE


def _is_team_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("postgresql://", "postgres://"))


def default_catalog_path() -> Path | str:
    """``$MEDIADESK_CATALOG`` if set (a file, or a team catalog's ``postgresql://`` URL), else
    ``catalog.mediadesk`` in the user data folder."""
    env = os.environ.get(CATALOG_ENV)
    if env:
        return env if _is_team_url(env) else Path(env).expanduser()
    return data_dir() / CATALOG_FILE


def resolve_catalog_path(explicit: str | os.PathLike | None) -> Path | str:
    """The catalog to open: a file path, or a team catalog's URL (kept as it was typed)."""
    if explicit and _is_team_url(explicit):
        return str(explicit)
    return Path(explicit).expanduser() if explicit else default_catalog_path()


def thumbs_dir_for(catalog: str | os.PathLike) -> Path:
    """The thumbnail cache of a catalog: ``<catalog name>.thumbs/`` beside the catalog file
    (the same rule as ``Catalog.thumbs_dir``)."""
    path = Path(catalog)
    return path.with_name(path.name + ".thumbs")


def all_paths(catalog: str | os.PathLike | None = None) -> dict[str, Path | str]:
    """Every place mediadesk reads or writes, for ``mediadesk --paths`` and bug reports."""
    cat = resolve_catalog_path(catalog)
    if isinstance(cat, str):   # a team catalog: its thumbnails are cached per catalog id
        import re
        return {"catalog": re.sub(r"://([^:@/]*):[^@/]*@", r"://\1:***@", cat),  # never a password
                "thumbnails": cache_dir() / "team", "config": config_dir(), "data": data_dir(),
                "cache": cache_dir(), "state": state_dir(), "logs": log_file()}
    return {
        "catalog": cat,
        "thumbnails": thumbs_dir_for(cat),
        "config": config_dir(),
        "data": data_dir(),
        "cache": cache_dir(),
        "state": state_dir(),
        "logs": log_file(),
    }
