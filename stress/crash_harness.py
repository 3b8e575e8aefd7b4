"""Crash safety: SIGKILL mediadesk commands at random moments and check nothing was lost.

For each operation (import, export, edit, undo, writeback) the harness builds a fixture (generated
JPEGs with metadata, a PNG, a short video, and a catalog), records the SHA-256 of every original,
measures one uncut run of the real command-line tool, then repeatedly:

1. runs the command as a subprocess (its own process group) and SIGKILLs the whole group after a
   random delay spread over the measured duration;
2. checks: ``PRAGMA integrity_check`` is ``ok``; every original is byte-identical to before (for
   write-back: identical, or a complete file whose image data fingerprint equals the original's,
   never a partial file); sidecars parse; no bundle exists at its final name unless
   ``verify`` passes; the ledger chain verifies; an edit/undo is all-or-nothing;
3. runs the same command again without interruption and checks the job is complete (every file
   imported; the bundle complete and in the ledger; every caption edited/undone; every file
   written back, with no temporary files left in the media folders).

Library use (the tests): ``run_op(op, kills, seed=..., workdir=...) -> Tally``.
Command line: ``python stress/crash_harness.py --op import|export|edit|undo|writeback|all --kills N``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

OPS = ("import", "export", "edit", "undo", "writeback")
GALLERY = "Crash test"
TOKEN_PREFIX = "Round"
PURPOSE = "editorial-online"
TEMP_SUFFIXES = (".mdtmp",)


# -- helpers -------------------------------------------------------------------------------------
def command_exists(name: str) -> bool:
    """``python -m mediadesk NAME --help`` succeeds (the command has landed)."""
    proc = subprocess.run([sys.executable, "-m", "mediadesk", *name.split(), "--help"],
                          capture_output=True, timeout=120)
    return proc.returncode == 0


OP_COMMANDS = {"import": "import", "export": "export", "edit": "caption replace",
               "undo": "undo", "writeback": "writeback"}


def available_ops() -> list[str]:
    return [op for op in OPS if command_exists(OP_COMMANDS[op])]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(catalog: Path, *args: str, timeout: float = 300,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mediadesk", "--catalog", str(catalog), *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def integrity(catalog: Path) -> str:
    conn = sqlite3.connect(str(catalog), timeout=30)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def make_jpeg(seed: int, size=(1600, 1200), **fields) -> bytes:
    from PIL import Image, ImageDraw

    from mediadesk.media import embed_metadata

    rnd = random.Random(seed)
    img = Image.new("RGB", size, (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(img)
    for _ in range(60):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        draw.rectangle((x, y, x + rnd.randrange(20, 300), y + rnd.randrange(20, 300)),
                       fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    noise = Image.effect_noise(size, 40).convert("RGB")
    img = Image.blend(img, noise, 0.25)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    data = buf.getvalue()
    if fields:
        data, _ = embed_metadata(data, fields)
    return data


def make_video(path: Path) -> bool:
    ffmpeg = shutil.which("ffmpeg")
    if not ffmpeg:
        return False
    proc = subprocess.run([ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                           "testsrc=size=320x240:rate=25", "-t", "2", "-pix_fmt", "yuv420p",
                           str(path)], capture_output=True)
    return proc.returncode == 0 and path.exists()


@dataclass
class Fixture:
    root: Path
    media: Path
    catalog: Path
    originals: dict[str, str]       # path -> sha256 before anything ran
    fingerprints: dict[str, str]    # photo path -> image data fingerprint
    count: int


def build_media(media: Path, photos: int = 24, seed: int = 1) -> None:
    from PIL import Image

    from mediadesk.catalog.migrations import SEED_PROFILE_NOTE

    (media / "day1").mkdir(parents=True, exist_ok=True)
    (media / "day2").mkdir(parents=True, exist_ok=True)
    for i in range(photos):
        folder = media / ("day1" if i % 2 else "day2")
        (folder / f"photo_{i:03d}.jpg").write_bytes(make_jpeg(
            seed * 1000 + i, caption=f"{TOKEN_PREFIX}0 caption of photo {i}",
            usage_terms=SEED_PROFILE_NOTE, credit="NATO", city="Brussels"))
    Image.new("RGB", (640, 480), (20, 90, 160)).save(media / "day1" / "chart.png")
    make_video(media / "day2" / "clip.mp4")


def snapshot(media: Path) -> tuple[dict[str, str], dict[str, str]]:
    from mediadesk.media import image_data_fingerprint

    hashes, prints = {}, {}
    for path in sorted(media.rglob("*")):
        if path.is_file() and not path.name.endswith(".xmp"):
            hashes[str(path)] = sha256(path)
            if path.suffix.lower() in (".jpg", ".png"):
                prints[str(path)] = image_data_fingerprint(path.read_bytes())
    return hashes, prints


def build_fixture(root: Path, *, imported: bool, photos: int = 24, seed: int = 1) -> Fixture:
    root.mkdir(parents=True, exist_ok=True)
    media = root / "media"
    build_media(media, photos, seed)
    catalog = root / "catalog.mediadesk"
    if imported:
        proc = cli(catalog, "import", str(media), "--gallery", GALLERY, "--json")
        if proc.returncode != 0:
            raise RuntimeError(f"fixture import failed: {proc.stderr}")
    hashes, prints = snapshot(media)
    return Fixture(root, media, catalog, hashes, prints, len(hashes))


def ledger_problems(catalog: Path) -> list[str]:
    """The ledger's chain checked through a read-only catalog (``Catalog(readonly=True)`` is read
    only in SQLite itself and migrates nothing: the harness must not change what it checks)."""
    from mediadesk.catalog.connection import Catalog

    with Catalog(catalog, readonly=True, schema="report") as cat:
        if cat.ledger._kind() is None:
            return []
        return cat.ledger.verify()


# -- the tally -----------------------------------------------------------------------------------
@dataclass
class Tally:
    op: str
    rounds: int = 0
    killed: int = 0                # SIGKILL arrived while the command was running
    finished_first: int = 0        # the command finished before the kill was due
    reruns_ok: int = 0
    failures: list[str] = field(default_factory=list)
    notes: Counter = field(default_factory=Counter)
    uncut_seconds: float = 0.0

    def fail(self, round_no: int, message: str) -> None:
        self.failures.append(f"{self.op} round {round_no}: {message}")

    @property
    def ok(self) -> bool:
        return not self.failures

    def line(self) -> str:
        notes = ", ".join(f"{k} {v}" for k, v in sorted(self.notes.items()))
        return (f"{self.op:<10} rounds {self.rounds:>4}  killed {self.killed:>4}  finished-before-kill "
                f"{self.finished_first:>3}  re-runs completed {self.reruns_ok:>4}  failures "
                f"{len(self.failures):>3}  (uncut run {self.uncut_seconds:.2f} s)"
                + (f"  [{notes}]" if notes else ""))


# -- one operation ---------------------------------------------------------------------------------
class Operation:
    """Knows its command, how to prepare a round, and what "complete" means."""

    name = ""
    imported = True
    ok_codes: tuple[int, ...] = (0,)

    def __init__(self, fx: Fixture, rnd: random.Random) -> None:
        self.fx = fx
        self.rnd = rnd
        self.round = 0

    def prepare(self) -> None:  # state before the command of this round
        pass

    def args(self) -> list[str]:
        raise NotImplementedError

    def check_after_kill(self, tally: Tally) -> None:
        pass

    def check_complete(self, tally: Tally, rerun: subprocess.CompletedProcess) -> None:
        pass

    def rerun_args(self) -> list[str] | None:
        return self.args()

    # shared checks
    def check_originals(self, tally: Tally, *, writeback: bool = False) -> None:
        from mediadesk.media import image_data_fingerprint

        for path, digest in self.fx.originals.items():
            p = Path(path)
            if not p.exists():
                tally.fail(self.round, f"original {path} is gone")
                continue
            if sha256(p) == digest:
                continue
            if not writeback:
                tally.fail(self.round, f"original {path} changed")
                continue
            old_print = self.fx.fingerprints.get(path)
            try:
                new_print = image_data_fingerprint(p.read_bytes())
            except Exception as exc:
                tally.fail(self.round, f"original {path} is no longer a valid file: {exc}")
                continue
            if old_print is None or new_print != old_print:
                tally.fail(self.round, f"original {path}: image data changed by write-back")
            else:
                pass

    def check_sidecars(self, tally: Tally) -> None:
        from mediadesk.media.xmp import parse_packet

        for side in self.fx.media.rglob("*.xmp"):
            try:
                parse_packet(side.read_bytes())
            except Exception as exc:
                tally.fail(self.round, f"sidecar {side} does not parse: {exc}")

    def temp_files(self) -> list[Path]:
        return [p for p in self.fx.media.rglob("*") if p.name.endswith(TEMP_SUFFIXES)]

    def check_ledger(self, tally: Tally, *, with_cli: bool = False) -> None:
        problems = ledger_problems(self.fx.catalog)
        if problems:
            tally.fail(self.round, "ledger does not verify: " + "; ".join(problems))
        if with_cli:
            proc = cli(self.fx.catalog, "ledger", "--verify")
            if proc.returncode != 0:
                tally.fail(self.round, f"`ledger --verify` exited {proc.returncode}: {proc.stderr[-300:]}")

    def captions(self) -> dict[int, str]:
        conn = sqlite3.connect(str(self.fx.catalog), timeout=30)
        try:
            return {r[0]: r[1] or "" for r in conn.execute(
                "SELECT id, caption FROM assets WHERE kind = 'photo' AND caption IS NOT NULL")}
        finally:
            conn.close()

    def replace_token(self, old: str, new: str) -> list[str]:
        return ["caption", "replace", "--find", old, "--replace", new, "--field", "caption",
                "--gallery", GALLERY, "--json"]


class ImportOp(Operation):
    name = "import"
    imported = False

    def prepare(self) -> None:
        for p in (self.fx.catalog, Path(str(self.fx.catalog) + "-wal"), Path(str(self.fx.catalog) + "-shm")):
            p.unlink(missing_ok=True)
        shutil.rmtree(str(self.fx.catalog) + ".thumbs", ignore_errors=True)

    def args(self) -> list[str]:
        return ["import", str(self.fx.media), "--gallery", GALLERY, "--json"]

    def check_complete(self, tally: Tally, rerun) -> None:
        conn = sqlite3.connect(str(self.fx.catalog), timeout=30)
        try:
            paths = {r[0] for r in conn.execute("SELECT path FROM assets")}
            in_gallery = conn.execute(
                "SELECT count(*) FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id "
                "WHERE g.title = ?", (GALLERY,)).fetchone()[0]
        finally:
            conn.close()
        missing = set(self.fx.originals) - paths
        if missing:
            tally.fail(self.round, f"after the re-run {len(missing)} files are not in the catalog: "
                       f"{sorted(missing)[:3]}")
        if in_gallery != len(self.fx.originals):
            tally.fail(self.round, f"gallery holds {in_gallery} assets, expected {len(self.fx.originals)}")


class ExportOp(Operation):
    name = "export"
    ok_codes = (0, 3)   # 3: some assets were blocked (the PNG and the video have no rights profile)

    def __init__(self, fx: Fixture, rnd: random.Random) -> None:
        super().__init__(fx, rnd)
        self.out_dir = fx.root / "bundles"
        self.out_dir.mkdir(exist_ok=True)
        self.zip = False

    def target(self) -> Path:
        return self.out_dir / (f"bundle_{self.round:04d}" + (".zip" if self.zip else ""))

    def prepare(self) -> None:
        self.zip = self.round % 2 == 1

    def args(self) -> list[str]:
        extra = ["--zip"] if self.zip else []
        return ["export", "--purpose", PURPOSE, "--gallery", GALLERY, "--recipient", "Crash desk",
                "--out", str(self.target()), *extra, "--json"]

    def verify(self, path: Path) -> tuple[bool, str]:
        from mediadesk.services.bundle_verify import verify_bundle

        report = verify_bundle(path)
        return report.ok, "; ".join(report.problems[:3])

    def receipt_problem(self, bundle: Path) -> str | None:
        """Why the bundle's LEDGER.json does not prove it is in the ledger (None: it does)."""
        from mediadesk.catalog.connection import Catalog
        from mediadesk.services.ledger_check import check_receipt

        with Catalog(self.fx.catalog, readonly=True, schema="report") as cat:
            check = check_receipt(cat, bundle)
        if check.problems:
            return "; ".join(check.problems[:2])
        entry = check.receipt["entry_id"] if check.receipt else None
        conn = sqlite3.connect(str(self.fx.catalog), timeout=30)
        try:
            row = conn.execute("SELECT bundle FROM export_ledger WHERE id = ?", (entry,)).fetchone()
        finally:
            conn.close()
        return None if row and row[0] == str(bundle) else f"its ledger entry {entry} names another bundle"

    def check_after_kill(self, tally: Tally) -> None:
        for entry in self.out_dir.iterdir():
            if entry.name.startswith("bundle_") and ".partial" not in entry.name and not entry.name.startswith("."):
                ok, why = self.verify(entry)
                if not ok:
                    tally.fail(self.round, f"{entry.name} is at its final name but incomplete: {why}")

    def rerun_args(self) -> list[str] | None:
        target = self.target()
        if target.exists():
            # Killed after the bundle was published: the job is done; it must be in the ledger.
            self.already_there = True
            return None
        self.already_there = False
        return self.args()

    def check_complete(self, tally: Tally, rerun) -> None:
        target = self.target()
        if not target.exists():
            tally.fail(self.round, f"re-run did not produce {target.name}: "
                       f"{(rerun.stderr if rerun else '')[-300:]}")
            return
        ok, why = self.verify(target)
        if not ok:
            tally.fail(self.round, f"{target.name} does not verify after the re-run: {why}")
        conn = sqlite3.connect(str(self.fx.catalog), timeout=30)
        try:
            recorded = conn.execute("SELECT count(*) FROM export_ledger WHERE bundle = ?",
                                    (str(target),)).fetchone()[0]
        finally:
            conn.close()
        problem = self.receipt_problem(target)
        if problem:
            tally.fail(self.round, f"{target.name} is complete but {problem} (an export that "
                       "reached the recipient folder must be in the ledger)")
        elif recorded > 1:
            # a run killed between its ledger entry and the rename leaves an entry whose bundle
            # never appeared (by design: never a bundle without an entry); the re-run adds its own
            tally.notes["ledger entries of killed runs (no bundle)"] += recorded - 1
        stale = [p.name for p in self.out_dir.iterdir() if ".partial" in p.name or p.name.endswith(TEMP_SUFFIXES)]
        if stale:
            tally.notes["staging leftovers after re-run"] = len(stale)


class EditOp(Operation):
    name = "edit"

    def prepare(self) -> None:
        self.old = f"{TOKEN_PREFIX}{self.round - 1}" if self.round > 1 else f"{TOKEN_PREFIX}0"
        self.new = f"{TOKEN_PREFIX}{self.round}"
        self.total = len(self.captions())

    def token_in(self, caption: str) -> str:
        return caption.split(" ", 1)[0]

    def args(self) -> list[str]:
        return self.replace_token(self.old + " ", self.new + " ")

    def check_after_kill(self, tally: Tally) -> None:
        tokens = Counter(self.token_in(c) for c in self.captions().values())
        if len(tokens) != 1 or next(iter(tokens)) not in (self.old, self.new):
            tally.fail(self.round, f"batch edit was not all-or-nothing: {dict(tokens)}")

    def check_complete(self, tally: Tally, rerun) -> None:
        tokens = Counter(self.token_in(c) for c in self.captions().values())
        if tokens != Counter({self.new: self.total}):
            tally.fail(self.round, f"after the re-run captions are {dict(tokens)}, expected all {self.new}")


class UndoOp(EditOp):
    name = "undo"

    def prepare(self) -> None:
        # an uncut edit Round0 -> RoundX, then the undo that is killed must bring Round0 back
        self.old = f"{TOKEN_PREFIX}0"
        self.new = f"{TOKEN_PREFIX}{self.round}"
        proc = cli(self.fx.catalog, *self.replace_token(self.old + " ", self.new + " "))
        if proc.returncode != 0:
            raise RuntimeError(f"edit before undo failed: {proc.stderr}")
        self.total = len(self.captions())

    def args(self) -> list[str]:
        return ["undo", "--json"]

    def rerun_args(self) -> list[str] | None:
        tokens = {self.token_in(c) for c in self.captions().values()}
        if tokens == {self.old}:
            return None  # the undo had committed before the kill: the job is done
        return self.args()

    def check_complete(self, tally: Tally, rerun) -> None:
        tokens = Counter(self.token_in(c) for c in self.captions().values())
        if tokens != Counter({self.old: self.total}):
            tally.fail(self.round, f"after undo captions are {dict(tokens)}, expected all {self.old}")


class WritebackOp(EditOp):
    name = "writeback"

    def prepare(self) -> None:
        captions = self.captions()
        self.old = self.token_in(next(iter(captions.values())))
        self.new = f"{TOKEN_PREFIX}{self.round}"
        proc = cli(self.fx.catalog, *self.replace_token(self.old + " ", self.new + " "))
        if proc.returncode != 0:
            raise RuntimeError(f"edit before write-back failed: {proc.stderr}")

    def args(self) -> list[str]:
        return ["writeback", "--gallery", GALLERY, "--json"]

    def check_after_kill(self, tally: Tally) -> None:
        self.check_sidecars(tally)

    def check_complete(self, tally: Tally, rerun) -> None:
        from mediadesk.media import probe

        if rerun is not None and rerun.returncode not in (0,):
            try:
                data = json.loads(rerun.stdout)
                files = data.get("files") or data.get("results") or []
                why = "; ".join(sorted({f"{Path(f.get('path', '?')).name}: {f.get('error')}"
                                        for f in files if f.get("error")})[:3])
            except (ValueError, AttributeError):
                why = (rerun.stdout + rerun.stderr)[-400:]
            tally.fail(self.round, f"write-back re-run exited {rerun.returncode}: {why}")
        for path in self.fx.fingerprints:
            if not path.endswith(".jpg"):
                continue
            caption = str(probe(path).fields.get("caption") or "")
            if self.token_in(caption) != self.new:
                tally.fail(self.round, f"{Path(path).name} holds {caption[:20]!r} after the re-run, "
                           f"expected {self.new}")
                break
        stray = self.temp_files()
        if stray:
            tally.fail(self.round, f"temporary files left in the media folders after the re-run: "
                       f"{[p.name for p in stray[:3]]}")


OP_CLASSES = {c.name: c for c in (ImportOp, ExportOp, EditOp, UndoOp, WritebackOp)}


# -- the loop --------------------------------------------------------------------------------------
def mediadesk_argv(catalog: Path, args: list[str]) -> list[str]:
    return [sys.executable, "-m", "mediadesk", "--catalog", str(catalog), *args]


def launch(argv: list[str], *, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a command in its own process group (so the group can be killed or inspected)."""
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=env)


def kill_after(proc: subprocess.Popen, delay: float, *, group: bool = True,
               before_kill=None) -> bool:
    """SIGKILL ``proc`` after ``delay`` seconds unless it finished first; True if it was killed.
    ``group``: the whole process group (workers too), else the main process only.
    ``before_kill(proc)`` runs just before the signal (stress/orphans.py notes the process tree)."""
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        pass
    if before_kill is not None:
        before_kill(proc)
    try:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    return True


def _run_and_kill(catalog: Path, args: list[str], delay: float) -> tuple[bool, subprocess.Popen]:
    proc = launch(mediadesk_argv(catalog, args))
    return kill_after(proc, delay), proc


def run_op(op: str, kills: int, *, seed: int = 0, workdir: Path | None = None,
           photos: int = 24, log=None) -> Tally:
    rnd = random.Random(seed)
    own_dir = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix=f"crash-{op}-")) if workdir is None else workdir / op
    tally = Tally(op)
    try:
        cls = OP_CLASSES[op]
        fx = build_fixture(workdir, imported=cls.imported, photos=photos, seed=seed + 1)
        operation = cls(fx, rnd)
        # one uncut run to measure the duration (round 0)
        operation.round = 0 if op != "edit" else 0
        if op in ("edit", "undo", "writeback"):
            operation.round = 1
        operation.prepare()
        started = time.monotonic()
        first = cli(fx.catalog, *operation.args())
        tally.uncut_seconds = time.monotonic() - started
        if first.returncode not in operation.ok_codes:
            tally.fail(0, f"uncut run failed ({first.returncode}): {first.stderr[-400:]}")
            return tally
        if op == "undo":   # round 1's undo ran uncut; bring the edit back for the next round
            pass
        base = operation.round
        while tally.killed < kills and tally.rounds < kills * 3:
            tally.rounds += 1
            operation.round = base + tally.rounds
            operation.prepare()
            delay = rnd.uniform(0.05, max(0.1, tally.uncut_seconds))
            killed, _proc = _run_and_kill(fx.catalog, operation.args(), delay)
            if killed:
                tally.killed += 1
            else:
                tally.finished_first += 1
            res = integrity(fx.catalog) if fx.catalog.exists() else "ok"
            if res != "ok":
                tally.fail(operation.round, f"integrity_check: {res}")
            operation.check_originals(tally, writeback=op == "writeback")
            operation.check_after_kill(tally)
            if fx.catalog.exists():
                operation.check_ledger(tally)
            rerun_args = operation.rerun_args()
            rerun = cli(fx.catalog, *rerun_args) if rerun_args is not None else None
            if rerun is not None and rerun.returncode not in operation.ok_codes and op != "writeback":
                tally.fail(operation.round, f"re-run exited {rerun.returncode}: {rerun.stderr[-300:]}")
            before = len(tally.failures)
            operation.check_complete(tally, rerun)
            if fx.catalog.exists() and integrity(fx.catalog) != "ok":
                tally.fail(operation.round, "integrity_check failed after the re-run")
            if len(tally.failures) == before:
                tally.reruns_ok += 1
            if log is not None:
                log(f"  {op} round {operation.round}: delay {delay:.2f}s "
                    f"{'killed' if killed else 'finished'}; failures so far {len(tally.failures)}")
        if fx.catalog.exists():
            operation.check_ledger(tally, with_cli=True)
        return tally
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--op", default="all", choices=(*OPS, "all"))
    parser.add_argument("--kills", type=int, default=100, help="kills per operation")
    parser.add_argument("--seed", type=int, default=20261101)
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    ops = available_ops() if args.op == "all" else [args.op]
    workdir = Path(args.keep) if args.keep else None
    tallies = []
    started = time.monotonic()
    for op in ops:
        tally = run_op(op, args.kills, seed=args.seed, workdir=workdir, photos=args.photos,
                       log=print if args.verbose else None)
        tallies.append(tally)
        print(tally.line(), flush=True)
        for failure in tally.failures[:10]:
            print("    FAIL", failure, flush=True)
    skipped = [op for op in OPS if op not in ops and args.op == "all"]
    print(f"total: {sum(t.killed for t in tallies)} kills, "
          f"{sum(len(t.failures) for t in tallies)} failures in {time.monotonic() - started:.0f} s"
          + (f"; not available yet: {', '.join(skipped)}" if skipped else ""))
    if args.json:
        print(json.dumps([{"op": t.op, "rounds": t.rounds, "killed": t.killed,
                           "finished_first": t.finished_first, "reruns_ok": t.reruns_ok,
                           "failures": t.failures, "notes": dict(t.notes)} for t in tallies], indent=2))
    return 0 if all(t.ok for t in tallies) else 1


if __name__ == "__main__":
    raise SystemExit(main())
