"""Shared helpers for the benchmarks: process-tree memory sampler, timers, stats, tables, page cache."""

from __future__ import annotations

import contextlib
import os
import statistics
import threading
import time
from collections.abc import Iterator, Sequence


# -- memory -------------------------------------------------------------------------------------
def _status_kb(pid: int, key: bytes) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def children_of(pid: int) -> list[int]:
    """Direct children (all threads' children), via /proc/<pid>/task/*/children."""
    out: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
        except OSError:
            continue
    return out


def process_tree(pid: int) -> list[int]:
    seen = [pid]
    i = 0
    while i < len(seen):
        seen.extend(c for c in children_of(seen[i]) if c not in seen)
        i += 1
    return seen


class TreeSampler:
    """Samples the summed VmRSS (and PSS) of a process and all its descendants every ``interval``.

    RSS sums count shared pages (libraries, copy-on-write) once per process, so the RSS total is
    an upper bound; the PSS total splits shared pages between processes (closer to what the
    machine really gives up). Both peaks are reported.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.05, pss: bool = True) -> None:
        self.pid = pid or os.getpid()
        self.interval = interval
        self.pss = pss
        self.peak_rss_kb = 0
        self.peak_pss_kb = 0
        self.peak_procs = 0
        self.samples = 0
        self.cpu_s = 0.0          # CPU time of the sampling thread itself (subtract it from CPU totals)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        pids = process_tree(self.pid)
        rss = sum(_status_kb(p, b"VmRSS:") for p in pids)
        self.peak_rss_kb = max(self.peak_rss_kb, rss)
        if self.pss:
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(p) for p in pids))
        self.peak_procs = max(self.peak_procs, len(pids))
        self.samples += 1

    def _run(self) -> None:
        t0 = time.thread_time()
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)
        self.cpu_s = time.thread_time() - t0

    def start(self) -> TreeSampler:
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> TreeSampler:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()
        return self

    def __enter__(self) -> TreeSampler:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def peak_rss_mb(self) -> float:
        return self.peak_rss_kb / 1024

    @property
    def peak_pss_mb(self) -> float:
        return self.peak_pss_kb / 1024


# -- time ---------------------------------------------------------------------------------------
class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self._t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._t0


@contextlib.contextmanager
def timed(acc: dict[str, float], key: str) -> Iterator[None]:
    """Adds the elapsed time of the block to ``acc[key]``."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        acc[key] = acc.get(key, 0.0) + time.perf_counter() - t0


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- page cache ---------------------------------------------------------------------------------
def drop_caches() -> bool:
    """Write back and drop the page cache (root only). True when it worked."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as fh:
            fh.write("3\n")
        return True
    except OSError:
        return False


def evict_files(paths: Sequence[str]) -> None:
    """Best effort without root: ask the kernel to drop these files' cached pages."""
    for p in paths:
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


# -- tables -------------------------------------------------------------------------------------
def table(headers: Sequence[str], rows: Sequence[Sequence[object]], title: str | None = None) -> str:
    """Plain-text table; numbers right-aligned."""
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]

    def fmt(row: Sequence[str]) -> str:
        out = []
        for i, c in enumerate(row):
            numeric = c[:1].isdigit() or (c[:1] in "-+." and c[1:2].isdigit())
            out.append(c.rjust(widths[i]) if numeric else c.ljust(widths[i]))
        return "| " + " | ".join(out) + " |"

    lines = []
    if title:
        lines.append(title)
    lines.append(fmt(list(headers)))
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.extend(fmt(r) for r in cells)
    return "\n".join(lines)


def machine_summary() -> str:
    import platform
    import sqlite3

    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = _status_kb_meminfo() / 1024 / 1024
    return (f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {cpu or 'unknown CPU'}, "
            f"{mem_gb:.0f} GiB RAM, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def _status_kb_meminfo() -> int:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- CPU accounting and contention (the machine may be shared) ------------------------------------
def _psi_cpu_some_us() -> int:
    try:
        with open("/proc/pressure/cpu") as fh:
            for line in fh:
                if line.startswith("some"):
                    return int(line.rsplit("total=", 1)[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def loadavg() -> float:
    try:
        with open("/proc/loadavg") as fh:
            return float(fh.read().split()[0])
    except (OSError, ValueError):
        return float("nan")


class CpuMeter:
    """CPU seconds used by this process and its reaped descendants during the block (os.times),
    wall time, and the share of the wall time in which some task waited for a CPU (PSI
    /proc/pressure/cpu "some"): near 0% on an idle machine, near 100% when others compete.
    Wait for children (pool shutdown, communicate) inside the block, or their time is missed."""

    def __enter__(self) -> CpuMeter:
        self.load = loadavg()
        self._t = os.times()
        self._psi = _psi_cpu_some_us()
        self._w = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        t = os.times()
        self.wall = time.perf_counter() - self._w
        self.cpu = ((t.user - self._t.user) + (t.system - self._t.system)
                    + (t.children_user - self._t.children_user) + (t.children_system - self._t.children_system))
        self.contention = (_psi_cpu_some_us() - self._psi) / 1e6 / self.wall if self.wall else 0.0


def wait_quiet(max_wait: float, threshold: float = 0.25, quiet: bool = False) -> float:
    """Wait (up to ``max_wait`` s) until CPU pressure (PSI some, over 2 s) is below ``threshold``.
    Returns the last pressure seen. Other people's jobs on a shared machine distort timings."""
    deadline = time.monotonic() + max_wait
    while True:
        a = _psi_cpu_some_us()
        time.sleep(2.0)
        pressure = (_psi_cpu_some_us() - a) / 2e6
        if pressure < threshold or time.monotonic() >= deadline:
            return pressure
        if not quiet:
            print(f"  (waiting for a quieter machine: CPU pressure {pressure:.0%}, load {loadavg():.1f})",
                  flush=True)
            quiet = True
