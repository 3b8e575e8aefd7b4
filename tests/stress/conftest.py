"""The CI-sized runs of the stress scripts (kills at random moments, the import fuzzer, killed
jobs' workers) are long by nature: every test here is ``slow``, so the quick tier
(``-m "not slow"``) leaves them to the whole suite, which CI runs."""

from __future__ import annotations

from pathlib import Path

import pytest

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parent == _HERE:
            item.add_marker(pytest.mark.slow)
