"""Orphans (issue 19): SIGKILL mediadesk at random moments; none of its processes may outlive it.

For each kind of job (import; export to a folder and to a zip, of originals and of renditions;
write-back; an import and an export started in the window) this builds the crash harness's
fixture (stress/crash_harness.py), measures one uncut run, then repeatedly:

1. starts the program in its own process group with ``MEDIADESK_RUN_MARK=<id>`` in its
   environment (every process it starts inherits the mark);
2. after a random delay (three times in four within the span the uncut run had workers, else
   anywhere in its duration), notes the process tree and SIGKILLs the main process only: what
   the out-of-memory killer, a crash or ``kill -9 PID`` do (killing the whole group, as the
   crash harness does, would take the workers with it and prove nothing);
3. within 5 s no process of that run may remain: none in its process group, none of the
   descendants noted before the kill (same pid and start time), none whose /proc/PID/environ
   carries the mark. A zombie (dead, waiting for init to collect it) holds nothing and does
   not count. Leftovers fail the round and are killed so later rounds start clean;
4. the crash harness's checks after a kill, then the re-run (marked too; none of its processes
   may remain after it ends) must complete the job.

Library use (tests/stress/test_orphans.py): ``run_kind(kind, kills, ...) -> OrphanTally`` and
``kill_when_busy(kind, workdir) -> OrphanTally`` (one kill once the workers are at work).
Command line: ``python stress/orphans.py [--kinds import,writeback,...] [--kills 20]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import crash_harness as ch  # beside this script (pytest: stress/ is on its pythonpath)

MARK = "MEDIADESK_RUN_MARK"
GONE_WITHIN = 5.0           # seconds after the kill by which no process of the run may remain
BUSY_LIBRARY = "exiv2"      # a worker that maps it has started real work (every job reads metadata)
RENDITION_EDGE = "1024"
WHILE_WORKING = 0.75        # share of kills aimed at the time the uncut run had workers


# -- processes, from /proc ---------------------------------------------------------------------
@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    pgid: int
    state: str
    start: int          # start time in clock ticks since boot: (pid, start) names one process
    cmd: str

    @property
    def zombie(self) -> bool:
        return self.state in ("Z", "X")

    @property
    def role(self) -> str:
        if "resource_tracker" in self.cmd:
            return "resource tracker"
        if "spawn_main" in self.cmd or "--multiprocessing-fork" in self.cmd:
            return "worker"
        return "program"

    def line(self) -> str:
        return f"pid {self.pid} ppid {self.ppid} pgid {self.pgid} {self.state} {self.role}: {self.cmd[:120]}"


def read_proc(pid: int) -> Proc | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode(errors="replace")
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return Proc(pid, int(fields[1]), int(fields[2]), fields[0], int(fields[19]), cmd)


def all_procs() -> list[Proc]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            proc = read_proc(int(name))
            if proc is not None:
                out.append(proc)
    return out


def environ_has(pid: int, entry: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            return entry in fh.read().split(b"\0")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False


def maps_library(pid: int, name: str) -> bool:
    try:
        with open(f"/proc/{pid}/maps", "rb") as fh:
            return name.encode() in fh.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False


def descendants(pid: int, procs: list[Proc] | None = None) -> list[Proc]:
    procs = all_procs() if procs is None else procs
    children: dict[int, list[Proc]] = {}
    for p in procs:
        children.setdefault(p.ppid, []).append(p)
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            out.append(child)
            todo.append(child.pid)
    return out


def marked(mark: str, procs: list[Proc] | None = None) -> list[Proc]:
    """Live processes whose environment carries ``MARK=mark`` (not this process)."""
    entry = f"{MARK}={mark}".encode()
    procs = all_procs() if procs is None else procs
    return [p for p in procs if p.pid != os.getpid() and not p.zombie and environ_has(p.pid, entry)]


def remaining(mark: str, pgid: int, known: list[Proc]) -> list[Proc]:
    """Live processes of the run: in its process group, seen as its descendants, or marked."""
    procs = all_procs()
    seen = {(p.pid, p.start) for p in known}
    out = {p.pid: p for p in procs
           if not p.zombie and p.pid != os.getpid() and (p.pgid == pgid or (p.pid, p.start) in seen)}
    out.update((p.pid, p) for p in marked(mark, procs))
    return sorted(out.values(), key=lambda p: p.pid)


def wait_until_gone(mark: str, pgid: int, known: list[Proc],
                    within: float = GONE_WITHIN) -> tuple[list[Proc], float]:
    """Poll until no process of the run is left or ``within`` seconds passed: (left, seconds)."""
    started = time.monotonic()
    while True:
        left = remaining(mark, pgid, known)
        spent = time.monotonic() - started
        if not left or spent >= within:
            return left, spent
        time.sleep(0.02)


def kill_leftovers(left: list[Proc]) -> None:
    for p in left:
        again = read_proc(p.pid)
        if again is not None and again.start == p.start:
            try:
                os.kill(p.pid, 9)
            except ProcessLookupError:
                pass


# -- kinds of job ------------------------------------------------------------------------------
class _Command(ch.Operation):
    """What a kind adds to the crash harness's operation: the command line to start."""

    def command(self) -> list[str]:
        return ch.mediadesk_argv(self.fx.catalog, self.args())


class ImportKind(_Command, ch.ImportOp):
    pass


class WritebackKind(_Command, ch.WritebackOp):
    pass


class ExportKind(_Command, ch.ExportOp):
    zip_bundle = False
    renditions = False

    def prepare(self) -> None:
        self.zip = self.zip_bundle

    def args(self) -> list[str]:
        return super().args() + (["--max-size", RENDITION_EDGE] if self.renditions else [])


def _export_kind(zip_bundle: bool, renditions: bool) -> type[ExportKind]:
    return type("ExportKind", (ExportKind,), {"zip_bundle": zip_bundle, "renditions": renditions})


class WindowImportKind(ImportKind):
    """The main window, offscreen, imports the media folder into the gallery, then quits."""

    def command(self) -> list[str]:
        return [sys.executable, str(Path(__file__).resolve()), "--window-child", "import",
                str(self.fx.catalog), str(self.fx.media)]


class WindowExportKind(ExportKind):
    """The export dialog of the window, offscreen, writes the bundle (a folder of originals)."""

    def command(self) -> list[str]:
        return [sys.executable, str(Path(__file__).resolve()), "--window-child", "export",
                str(self.fx.catalog), str(self.target())]


KINDS: dict[str, type[_Command]] = {
    "import": ImportKind,
    "export-folder-originals": _export_kind(False, False),
    "export-zip-originals": _export_kind(True, False),
    "export-folder-renditions": _export_kind(False, True),
    "export-zip-renditions": _export_kind(True, True),
    "writeback": WritebackKind,
    "window-import": WindowImportKind,
    "window-export": WindowExportKind,
}
SUITE_KINDS = ("import", "export-folder-originals", "export-zip-renditions", "writeback")


# -- the tally ---------------------------------------------------------------------------------
@dataclass
class OrphanTally(ch.Tally):
    with_workers: int = 0           # kills while worker processes were running
    with_busy_workers: int = 0      # ... and at least one of them was reading or writing a file
    with_tracker: int = 0           # kills while the resource tracker was running
    gone_seconds: list[float] = field(default_factory=list)
    left_behind: list[str] = field(default_factory=list)
    zombies: int = 0                # dead, not yet collected by init when the check ended

    def line(self) -> str:
        worst = max(self.gone_seconds, default=0.0)
        return (f"{self.op:<25} kills {self.killed:>3} (finished first {self.finished_first:>2})  "
                f"with workers {self.with_workers:>3} (busy {self.with_busy_workers:>3}), "
                f"tracker {self.with_tracker:>3}  left behind {len(self.left_behind):>2}  "
                f"gone within {worst:.2f} s max  re-runs completed {self.reruns_ok:>3}  "
                f"failures {len(self.failures):>2}"
                + (f"  zombies {self.zombies}" if self.zombies else "")
                + (f"  (uncut run {self.uncut_seconds:.2f} s)" if self.uncut_seconds else ""))

    def to_json(self) -> dict:
        return {"kind": self.op, "rounds": self.rounds, "killed": self.killed,
                "finished_first": self.finished_first, "with_workers": self.with_workers,
                "with_busy_workers": self.with_busy_workers, "with_tracker": self.with_tracker,
                "max_gone_seconds": round(max(self.gone_seconds, default=0.0), 3),
                "reruns_ok": self.reruns_ok, "left_behind": self.left_behind,
                "zombies": self.zombies,
                "failures": self.failures}


# -- one round ---------------------------------------------------------------------------------
def _env(workdir: Path, mark: str) -> dict[str, str]:
    """The run's environment: its mark, its own settings folders, Qt offscreen."""
    home = workdir / "home"
    env = dict(os.environ, **{MARK: mark}, QT_QPA_PLATFORM="offscreen")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        env[var] = str(home / sub)
    env.pop("MEDIADESK_CATALOG", None)
    return env


def _new_mark(kind: str, round_no: int) -> str:
    return f"{kind}-{round_no}-{uuid.uuid4().hex[:12]}"


def _note_tree(tally: OrphanTally, seen: list[Proc]) -> Callable:
    def note(proc) -> None:
        tree = descendants(proc.pid)
        seen.extend(tree)
        workers = [p for p in tree if p.role == "worker"]
        if workers:
            tally.with_workers += 1
            if any(maps_library(p.pid, BUSY_LIBRARY) for p in workers):
                tally.with_busy_workers += 1
        if any(p.role == "resource tracker" for p in tree):
            tally.with_tracker += 1
    return note


def _check_gone(tally: OrphanTally, op, mark: str, pgid: int, known: list[Proc], what: str) -> None:
    left, spent = wait_until_gone(mark, pgid, known)
    if what == "kill":
        tally.gone_seconds.append(spent)
    tally.zombies += sum(1 for p in all_procs() if p.zombie and p.pgid == pgid and p.pid != pgid)
    if left:
        tally.left_behind.extend(p.line() for p in left)
        tally.fail(op.round, f"{len(left)} process(es) of the run still there {spent:.1f} s after "
                   f"the {what}: " + "; ".join(p.line() for p in left[:3]))
        kill_leftovers(left)


def _after_kill_checks(tally: OrphanTally, op, fx: ch.Fixture, kind: str) -> None:
    """The crash harness's checks: catalog integrity, originals, bundles, sidecars, ledger."""
    res = ch.integrity(fx.catalog) if fx.catalog.exists() else "ok"
    if res != "ok":
        tally.fail(op.round, f"integrity_check: {res}")
    op.check_originals(tally, writeback=kind == "writeback")
    op.check_after_kill(tally)
    if fx.catalog.exists():
        op.check_ledger(tally)


def _rerun(tally: OrphanTally, op, fx: ch.Fixture, kind: str, workdir: Path) -> None:
    """The same job again, uncut (from the command line), and checked complete."""
    before = len(tally.failures)
    args = op.rerun_args()
    rerun = None
    if args is not None:
        mark = _new_mark(kind + "-rerun", op.round)
        rerun = ch.cli(fx.catalog, *args, env=_env(workdir, mark))
        if rerun.returncode not in op.ok_codes and kind != "writeback":
            tally.fail(op.round, f"re-run exited {rerun.returncode}: {rerun.stderr[-300:]}")
        left, _spent = wait_until_gone(mark, -1, [])
        if left:
            tally.fail(op.round, "processes of the finished re-run are still there: "
                       + "; ".join(p.line() for p in left[:3]))
            kill_leftovers(left)
    op.check_complete(tally, rerun)
    if fx.catalog.exists() and ch.integrity(fx.catalog) != "ok":
        tally.fail(op.round, "integrity_check failed after the re-run")
    if len(tally.failures) == before:
        tally.reruns_ok += 1


def _setup(kind: str, workdir: Path, photos: int,
           seed: int) -> tuple[OrphanTally, _Command, ch.Fixture, float, tuple[float, float] | None]:
    """The fixture and one uncut, marked run: its duration, and when its workers were seen
    (first, last; seconds from the start), spread the kills."""
    cls = KINDS[kind]
    tally = OrphanTally(kind)
    fx = ch.build_fixture(workdir, imported=cls.imported, photos=photos, seed=seed + 1)
    op = cls(fx, random.Random(seed))
    op.round = 1 if issubclass(cls, ch.EditOp) else 0
    op.prepare()
    mark = _new_mark(kind + "-uncut", op.round)
    started = time.monotonic()
    proc = ch.launch(op.command(), env=_env(workdir, mark))
    seen: list[float] = []
    while proc.poll() is None and time.monotonic() - started < 600:
        if any(p.role == "worker" for p in marked(mark)):
            seen.append(time.monotonic() - started)
        time.sleep(0.02)
    code = proc.wait(timeout=600)
    tally.uncut_seconds = time.monotonic() - started
    if code not in op.ok_codes:
        tally.fail(0, f"uncut run failed with exit code {code}")
    _check_gone(tally, op, mark, proc.pid, [], "uncut run's end")
    return tally, op, fx, tally.uncut_seconds, (seen[0], seen[-1]) if seen else None


def _one_round(tally: OrphanTally, op, fx: ch.Fixture, kind: str, workdir: Path,
               kill: Callable[..., bool]) -> None:
    op.prepare()
    mark = _new_mark(kind, op.round)
    proc = ch.launch(op.command(), env=_env(workdir, mark))
    seen: list[Proc] = []
    if kill(proc, _note_tree(tally, seen), mark):
        tally.killed += 1
        _check_gone(tally, op, mark, proc.pid, seen, "kill")
    else:
        tally.finished_first += 1
        _check_gone(tally, op, mark, proc.pid, seen, "run's end")
    _after_kill_checks(tally, op, fx, kind)
    _rerun(tally, op, fx, kind, workdir)


def run_kind(kind: str, kills: int, *, seed: int = 0, workdir: Path | None = None,
             photos: int = 24, log=None) -> OrphanTally:
    """``kills`` SIGKILLs of the main process at random moments of ``kind``'s job."""
    rnd = random.Random(seed)
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix=f"orphans-{kind}-")) if workdir is None else workdir / kind
    try:
        tally, op, fx, uncut, working = _setup(kind, workdir, photos, seed)
        if tally.failures:
            return tally
        base = op.round
        while tally.killed < kills and tally.rounds < kills * 3:
            tally.rounds += 1
            op.round = base + tally.rounds
            if working is not None and rnd.random() < WHILE_WORKING:
                delay = rnd.uniform(*working)
            else:
                delay = rnd.uniform(0.05, max(0.1, uncut))
            def kill(proc: subprocess.Popen, note: Callable, _mark: str, delay: float = delay) -> bool:
                return ch.kill_after(proc, delay, group=False, before_kill=note)

            _one_round(tally, op, fx, kind, workdir, kill)
            if log is not None:
                log(f"  {kind} round {op.round}: delay {delay:.2f} s; failures so far "
                    f"{len(tally.failures)}")
        return tally
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def busy_workers(mark: str) -> list[Proc]:
    """The run's worker processes (found by the mark in their environment), once every one of
    them has loaded exiv2, i.e. is at work or ready for it; [] before that."""
    workers = [p for p in marked(mark) if p.role == "worker"]
    return workers if workers and all(maps_library(p.pid, BUSY_LIBRARY) for p in workers) else []


def kill_when_busy(kind: str, workdir: Path, *, photos: int = 24, seed: int = 0,
                   wait_for: float = 120.0) -> OrphanTally:
    """One kill of the main process as soon as its workers are at work (found in /proc by the
    run's mark in their environment, with exiv2 loaded), then the same checks and the re-run."""
    workdir = workdir / kind
    cls = KINDS[kind]
    tally = OrphanTally(kind)
    fx = ch.build_fixture(workdir, imported=cls.imported, photos=photos, seed=seed + 1)
    op = cls(fx, random.Random(seed))
    op.round = 1 if issubclass(cls, ch.EditOp) else 0

    def when_busy(proc, note, mark: str) -> bool:
        deadline = time.monotonic() + wait_for
        while time.monotonic() < deadline and proc.poll() is None:
            if busy_workers(mark):
                return ch.kill_after(proc, 0, group=False, before_kill=note)
            time.sleep(0.01)
        if proc.poll() is None:
            tally.fail(op.round, f"no busy workers within {wait_for:.0f} s")
            return ch.kill_after(proc, 0, group=True)
        tally.fail(op.round, "the job ended before its workers were seen at work")
        return False

    tally.rounds = 1
    _one_round(tally, op, fx, kind, workdir, when_busy)
    return tally


# -- the window, as a child process ------------------------------------------------------------
def _gallery_ids(catalog: str) -> list[int]:
    conn = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=30)
    try:
        return [r[0] for r in conn.execute(
            "SELECT ga.asset_id FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id "
            "WHERE g.title = ? ORDER BY ga.asset_id", (ch.GALLERY,))]
    finally:
        conn.close()


def window_child(mode: str, catalog: str, target: str) -> int:
    """The real main window (offscreen) runs one import or export through its own controls'
    code paths, then quits; exit status 0 when the job finished."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from mediadesk.app import create_main_window

    from mediadesk.ui.export_dialog import ExportDialog

    window = create_main_window(catalog)
    window.show()
    app = QApplication.instance()
    assert app is not None, "the window child runs inside its QApplication"
    outcome = {"code": 1}

    def finish(ok: bool) -> None:
        outcome["code"] = 0 if ok else 1
        app.quit()

    if mode == "import":
        window.importer.finished.connect(lambda report: finish(not report.cancelled))
        window.importer.failed.connect(lambda _message: finish(False))
        QTimer.singleShot(0, lambda: window.import_paths([target], ch.GALLERY))
    else:
        dialog = ExportDialog(catalog, _gallery_ids(catalog), window, gallery_title=ch.GALLERY,
                              runner=window.runner)
        dialog.purpose.setCurrentIndex(dialog.purpose.findData(ch.PURPOSE))
        dialog.recipient.setText("Crash desk")
        dialog.folder.setText(str(Path(target).parent))
        dialog.bundle_name.setText(Path(target).name)
        dialog.show()

        def start() -> None:
            dialog.start_export()
            if dialog.export_job is None:
                finish(False)
                return
            dialog.export_job.ended.connect(
                lambda: finish(dialog.outcome is not None and bool(dialog.outcome.bundle)))

        QTimer.singleShot(0, start)
    app.exec()
    return outcome["code"]


# -- command line ------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help=f"comma-separated, of: {', '.join(KINDS)} (default: all)")
    parser.add_argument("--kills", type=int, default=20, help="kills per kind of job")
    parser.add_argument("--seed", type=int, default=20261119)
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--window-child", nargs=3, metavar=("MODE", "CATALOG", "TARGET"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.window_child:
        return window_child(*args.window_child)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        parser.error(f"unknown kind(s): {', '.join(unknown)}")
    workdir = Path(args.keep) if args.keep else None
    started = time.monotonic()
    tallies = []
    for kind in kinds:
        tally = run_kind(kind, args.kills, seed=args.seed, workdir=workdir, photos=args.photos,
                         log=print if args.verbose else None)
        tallies.append(tally)
        print(tally.line(), flush=True)
        for failure in tally.failures[:10]:
            print("    FAIL", failure, flush=True)
    print(f"total: {sum(t.killed for t in tallies)} kills, "
          f"{sum(len(t.left_behind) for t in tallies)} processes left behind, "
          f"{sum(len(t.failures) for t in tallies)} failures in {time.monotonic() - started:.0f} s")
    if args.json:
        print(json.dumps([t.to_json() for t in tallies], indent=2))
    return 0 if all(t.ok for t in tallies) else 1


if __name__ == "__main__":
    raise SystemExit(main())
