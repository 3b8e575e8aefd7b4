"""Where things are, for every test and for the scripts that reuse the tests' builders."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]          # the checkout
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"                        # files the tests read: old catalogs, odd media
CATALOG_FIXTURES = FIXTURES / "catalogs"             # schema-N.mediadesk: one per released schema
STRESS = REPO / "stress"                             # the release-size runs (on pytest's pythonpath)
SOURCE = REPO / "src" / "mediadesk"
INTEROP = REPO.parent / "shared" / "interop"         # real files made by other tools, beside the checkout
