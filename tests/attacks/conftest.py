"""Fixtures for the attack tests (issue 10): each test builds its hostile file, catalog, bundle or
race itself. Shared pieces are in tests/support (export_fixtures, attack_helpers, hostile_bundles);
the stress scripts are on pytest's pythonpath (pyproject.toml)."""

from __future__ import annotations

import pytest

from tests.support.attack_helpers import Cli
from tests.support.export_fixtures import build_library


@pytest.fixture
def library(tmp_path):
    """Photos under the editorial NATO profile, one without a profile, one commercial
    (tests/support/export_fixtures.build_library)."""
    return build_library(tmp_path, with_video=False)


@pytest.fixture
def cli(capsys, library):
    return Cli(capsys, library.catalog_path)
