"""Crash safety (issue 7), CI size: at least 10 SIGKILLs per operation at random moments.

The harness is stress/crash_harness.py (the stress run does 100 kills per operation). Each kill
is followed by: PRAGMA integrity_check, the SHA-256 of every original (write-back: identical or a
complete file with the same image data), no incomplete bundle at a final name, the ledger chain,
all-or-nothing edits; then the same command is run again and must finish the job.
"""

from __future__ import annotations

import pytest

import crash_harness as ch

KILLS = 10


@pytest.mark.parametrize("op", ch.OPS)
def test_sigkill_at_random_moments_loses_nothing(op, tmp_path):
    tally = ch.run_op(op, KILLS, seed=1234, workdir=tmp_path, photos=10)
    print(tally.line())
    assert tally.killed >= KILLS, tally.line()
    assert tally.ok, "\n".join(tally.failures[:20])
