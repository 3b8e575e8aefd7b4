"""A tool the test set-up installs is missing: fail under CI, skip (with the reason) elsewhere.

``scripts/dev.sh test`` installs exiftool, ffmpeg, chromium and the rest, and CI runs exactly that,
so under ``CI=true`` a missing tool is a broken set-up and must be red, never a quiet skip. A
developer running pytest on a machine without them gets a skip that names what is missing."""

from __future__ import annotations

import os

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: object, reason: str) -> None:
    """Go on when ``condition`` holds; otherwise fail under CI and skip elsewhere."""
    if condition:
        return
    if under_ci():
        pytest.fail(f"{reason} (CI=true: the test set-up must provide it)", pytrace=False)
    pytest.skip(reason)


# a test that reads files back with exiftool (libimage-exiftool-perl): see the exiftool_installed fixture
needs_exiftool = pytest.mark.usefixtures("exiftool_installed")
