"""A one-line progress display for long commands: files, files/s, ETA (stderr, only on a terminal)."""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Iterator

from mediadesk.jobs import Job, Progress
from mediadesk.terminal_text import for_terminal


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class TerminalProgress:
    """The line is redrawn with a carriage return, so it writes below the output guard
    (``unguarded``); what it shows is escaped like all other output."""

    def __init__(self, stream=None, interval: float = 0.2) -> None:
        stream = stream or sys.stderr
        self.stream = getattr(stream, "unguarded", stream)
        self.enabled = self.stream.isatty()
        self.interval = interval
        self._last = 0.0
        self._width = 0

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._last < self.interval and p.done != p.total):
            return
        self._last = now
        total = "?" if p.total is None else str(p.total)
        rate = f"{p.rate:.1f} files/s" if p.rate else "…"
        line = f"{p.done}/{total} files  {rate}  ETA {_clock(p.eta)}"
        if p.cancelled:
            line += "  stopping…"
        line = for_terminal(line)
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\n")
            self.stream.flush()


@contextlib.contextmanager
def cancel_on_ctrl_c(job: Job, what: str = "the current batch") -> Iterator[None]:
    """First Ctrl-C cancels the job (it stops at a safe point, keeping what was saved); a second
    one aborts at once."""

    def on_sigint(signum, frame):
        if job.cancelled:
            raise KeyboardInterrupt
        job.cancel()
        print(f"\nmediadesk: stopping after {what} (Ctrl-C again to abort)…", file=sys.stderr)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
