"""The worker pool (mediadesk/workers): results, errors, crashes, time limits, closing, and
workers that end with their parent (issue 19). Real processes throughout; the tasks are in
tests/support/worker_tasks.py so the workers can import them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from mediadesk.domain.errors import MediaError
from mediadesk.workers import PoolClosed, RemoteTraceback, TaskTimedOut, WorkerCrashed, WorkerPool, WorkersCannotStart
from mediadesk.workers.lifeline import EXIT_PARENT_GONE

import orphans  # the /proc helpers of stress/orphans.py
from tests.support import worker_tasks as wt
from tests.support.paths import REPO

LINUX = sys.platform.startswith("linux")


def _gone(pids: list[int], starts: dict[int, int], within: float = orphans.GONE_WITHIN) -> list[int]:
    """Wait (deadline loop) until none of ``pids`` lives; returns those still alive."""
    deadline = time.monotonic() + within
    while True:
        alive = [pid for pid in pids
                 if (p := orphans.read_proc(pid)) is not None and p.start == starts[pid] and not p.zombie]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.02)


# -- the caller's side -------------------------------------------------------------------------
def test_results_come_back_in_order_and_errors_as_raised():
    with WorkerPool(2, label="test") as pool:
        tasks = [pool.submit(wt.echo, i) for i in range(20)]
        failing = pool.submit(wt.fail, "bad file: x.jpg")
        assert [t.result() for t in tasks] == list(range(20))
        with pytest.raises(MediaError, match="bad file: x.jpg") as info:
            failing.result()
        assert isinstance(info.value.__cause__, RemoteTraceback)
        assert "worker_tasks.py" in str(info.value.__cause__)
        assert len(pool.worker_pids()) == 2 and os.getpid() not in pool.worker_pids()


def test_a_crash_fails_only_the_task_that_caused_it():
    with WorkerPool(2, label="test") as pool:
        before = [pool.submit(wt.echo, i) for i in range(3)]
        crash = pool.submit(wt.crash)
        after = [pool.submit(wt.echo, i) for i in range(3, 8)]
        with pytest.raises(WorkerCrashed) as info:
            crash.result()
        assert info.value.exit_code == -signal.SIGSEGV
        assert [t.result() for t in before + after] == list(range(8))


def test_a_crashed_task_is_retried_in_a_fresh_worker_when_asked(tmp_path):
    with WorkerPool(1, label="test", crash_retries=1) as pool:
        assert pool.submit(wt.crash_unless_retried, str(tmp_path / "flag")).result() == "second try"
        again = pool.submit(wt.crash)
        with pytest.raises(WorkerCrashed):
            again.result()
        assert again.crashes == 1
        assert pool.submit(wt.echo, "still working").result() == "still working"


def test_the_time_limit_ends_only_the_slow_task():
    with WorkerPool(2, label="test", time_limit=0.5) as pool:
        slow = pool.submit(wt.pid_after, 120)
        quick = [pool.submit(wt.echo, i) for i in range(6)]
        done = []
        while pool.pending:
            done.extend(pool.completed(timeout=0.25))
        assert set(done) == {slow, *quick}
        with pytest.raises(TaskTimedOut, match="longer than 0.5 s"):
            slow.result()
        assert [t.result() for t in quick] == list(range(6))


def test_what_cannot_be_pickled_fails_its_own_task_only():
    with WorkerPool(1, label="test") as pool:
        bad_result = pool.submit(wt.unpicklable)
        bad_argument = pool.submit(wt.echo, threading.Lock())
        good = pool.submit(wt.echo, "fine")
        with pytest.raises(RuntimeError, match="could not be sent back"):
            bad_result.result()
        with pytest.raises(TypeError):
            bad_argument.result()
        assert good.result() == "fine"


def test_workers_that_cannot_start_give_one_clear_error():
    with WorkerPool(1, label="test", preload=("mediadesk_no_such_module",)) as pool:
        task = pool.submit(wt.echo, 1)
        with pytest.raises(WorkersCannotStart, match="test worker processes could not start"):
            task.result()


def test_close_lets_a_running_task_finish_and_drops_the_queued_ones():
    pool = WorkerPool(1, label="test")
    running = pool.submit(wt.pid_after, 0.2)
    queued = pool.submit(wt.echo, 1)
    pool.close()
    assert running.result() > 0
    with pytest.raises(PoolClosed):
        queued.result()
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit(wt.echo, 2)


def test_close_can_kill_a_running_task_instead():
    pool = WorkerPool(1, label="test", kill_running_on_close=True)
    assert pool.submit(wt.echo, 0).result() == 0
    pid = pool.worker_pids()[0]
    start = orphans.read_proc(pid).start
    running = pool.submit(wt.pid_after, 120)
    pool.close()
    with pytest.raises(PoolClosed):
        running.result()
    assert _gone([pid], {pid: start}, within=0.0) == []


def test_only_the_thread_that_made_the_pool_gives_it_tasks():
    with WorkerPool(1, label="test") as pool:
        errors: list[Exception] = []

        def other() -> None:
            try:
                pool.submit(wt.echo, 1)
            except RuntimeError as exc:
                errors.append(exc)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert errors and "thread that made it" in str(errors[0])
        assert pool.submit(wt.echo, 2).result() == 2


# -- pipes -------------------------------------------------------------------------------------
def _fd_inodes(pid: int) -> tuple[dict[str, set[int]], set[str]]:
    """({pipe inode: {access modes of its ends held}}, {socket inodes}) of a process."""
    pipes: dict[str, set[int]] = {}
    sockets: set[str] = set()
    base = Path(f"/proc/{pid}")
    for fd in (base / "fd").iterdir():
        try:
            target = os.readlink(fd)
            flags = int((base / "fdinfo" / fd.name).read_text().split("flags:")[1].split()[0], 8)
        except (OSError, IndexError):
            continue
        if target.startswith("pipe:"):
            pipes.setdefault(target, set()).add(flags & 3)   # 0 read, 1 write
        elif target.startswith("socket:"):
            sockets.add(target)
    return pipes, sockets


@pytest.mark.skipif(not LINUX, reason="reads /proc")
def test_a_worker_holds_no_pipe_end_it_must_not():
    with WorkerPool(2, label="test") as pool:
        for task in [pool.submit(wt.echo, i) for i in range(2)]:
            task.result()
        parent_pipes, parent_sockets = _fd_inodes(os.getpid())
        seen_sockets: set[str] = set()
        for pid in pool.worker_pids():
            pipes, sockets = _fd_inodes(pid)
            both = [inode for inode, modes in pipes.items() if modes >= {0, 1}]
            assert not both, f"worker {pid} holds both ends of {both}: it would never read end-of-file"
            assert not sockets & parent_sockets, "a worker holds the parent's end of its pipe"
            assert not sockets & seen_sockets, "a worker holds another worker's pipe"
            seen_sockets |= sockets


# -- the parent dies ---------------------------------------------------------------------------
PARENT = textwrap.dedent("""
    from tests.support import worker_tasks as wt
    from mediadesk.workers import WorkerPool

    pool = WorkerPool(2, label="test")
    first = [pool.submit({first}) for _ in range(2)]
    signals = [t.result() for t in first]
    hold = [pool.submit(wt.pid_after, 600) for _ in range(2)]
    print(" ".join(map(str, pool.worker_pids())), *signals, flush=True)
    hold[0].result()
""")


def _kill_parent_and_wait(first: str) -> tuple[list[int], list[str], list[int]]:
    """A program with two workers busy for 10 minutes is SIGKILLed: (workers, what ``first``
    returned in each, workers still alive 5 s later)."""
    script = PARENT.format(first=first)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=REPO)  # ``python -c`` imports from its folder
    assert proc.stdout is not None
    try:
        words = proc.stdout.readline().split()
        pids, answers = [int(w) for w in words[:2]], words[2:]
        workers = [orphans.read_proc(pid) for pid in pids]
        assert all(w is not None and w.ppid == proc.pid for w in workers), workers
        starts = {w.pid: w.start for w in workers if w is not None}
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return pids, answers, _gone(pids, starts)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stdout.close()


@pytest.mark.skipif(not LINUX, reason="prctl is Linux's")
def test_workers_die_with_their_parent():
    pids, answers, alive = _kill_parent_and_wait("wt.death_signal")
    assert answers == [str(int(signal.SIGKILL))] * 2     # prctl took in every worker
    assert alive == [], f"workers {alive} outlived their parent"


@pytest.mark.skipif(not LINUX, reason="needs prctl to switch the first line off")
def test_without_prctl_the_parent_pipe_still_ends_the_workers():
    pids, answers, alive = _kill_parent_and_wait("wt.without_death_signal")
    assert sorted(int(a) for a in answers) == sorted(pids)
    assert alive == [], f"workers {alive} outlived their parent without the death signal"


def test_a_worker_whose_parent_is_already_gone_exits_at_once():
    """The parent died before the worker could set its death signal: getppid() tells."""
    code = ("import os\nfrom mediadesk.workers.lifeline import bind_to_parent\n"
            "bind_to_parent(os.getppid() + 1)\nprint('still here')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == EXIT_PARENT_GONE and "still here" not in proc.stdout, proc
