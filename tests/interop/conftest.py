"""Interop tests read real files made by other tools from ../shared/interop beside the checkout.

Without that folder they are skipped with the reason, except under CI=true, where the folder is
part of the set-up and its absence fails the run. A folder that is there but has no MANIFEST.tsv,
or lists no media, always fails: the files are there, the test must read them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.support.environment import require
from tests.support.paths import INTEROP


@pytest.fixture(scope="session")
def interop_dir() -> Path:
    require(INTEROP.is_dir(), f"the interop files are not at {INTEROP} (../shared/interop beside the checkout)")
    manifest = INTEROP / "MANIFEST.tsv"
    assert manifest.is_file(), f"{INTEROP} has no MANIFEST.tsv"
    with open(manifest, newline="", encoding="utf-8") as fh:
        media = [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "media"]
    assert media, f"{manifest} lists no media file"
    return INTEROP
