"""Killing mediadesk leaves none of its processes behind (issue 19), CI size: one kill per kind
of job, once its workers are at work.

The harness is stress/orphans.py (the stress run kills at random moments, 20 times per kind).
Each run carries ``MEDIADESK_RUN_MARK`` in its environment; its workers are found by that mark in
/proc/PID/environ, the main process alone is SIGKILLed, and within 5 s no process of the run may
be left (by process group, by the descendants seen before the kill, by the mark). Then the
crash harness's checks run and the same job, run again, must complete.
"""

from __future__ import annotations

import sys

import pytest

import orphans

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _check(tally: orphans.OrphanTally) -> None:
    print(tally.line())
    assert tally.killed == 1 and tally.with_busy_workers == 1, tally.line()
    assert tally.ok, "\n".join(tally.failures)
    assert not tally.left_behind and tally.reruns_ok == 1


@pytest.mark.parametrize("kind", orphans.SUITE_KINDS)
def test_killing_the_program_ends_its_workers(kind, tmp_path):
    _check(orphans.kill_when_busy(kind, tmp_path, photos=12))


@pytest.mark.parametrize("kind", ["window-import", "window-export"])
def test_killing_the_window_ends_its_workers(kind, tmp_path):
    _check(orphans.kill_when_busy(kind, tmp_path, photos=12))
