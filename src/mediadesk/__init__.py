"""mediadesk: a desktop media-asset manager for press offices and newsrooms."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mediadesk")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"

APP_NAME = "mediadesk"
