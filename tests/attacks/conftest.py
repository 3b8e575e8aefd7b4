"""Fixtures for the attack tests (issue 10): each test builds its hostile file, catalog, bundle or
race itself. Shared pieces come from tests/ (export_fixtures) and attack_helpers.py, imported
module by module as the other tests do; the stress scripts are importable too."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from attack_helpers import Cli
from export_fixtures import build_library

STRESS = Path(__file__).resolve().parents[2] / "stress"
if str(STRESS) not in sys.path:
    sys.path.insert(0, str(STRESS))


@pytest.fixture
def library(tmp_path):
    """Photos under the editorial NATO profile, one without a profile, one commercial
    (tests/export_fixtures.build_library)."""
    return build_library(tmp_path, with_video=False)


@pytest.fixture
def cli(capsys, library):
    return Cli(capsys, library.catalog_path)
