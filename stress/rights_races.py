"""Races against the rights promise (issue 10): a revocation during an export, and two undos.

``export``: a library of JPEGs under an editorial profile is exported again and again while a
second connection revokes rights at a random moment during the run: it clears one asset's profile,
sets the profile's expiry into the past, or assigns a profile that does not allow the purpose.
Inside the revoking transaction it notes the newest ledger entry, which tells exactly whether the
revocation committed before or after the export's entry (both take the catalog's write lock).
Each round must hold: an export whose entry came after the revocation does not list the revoked
asset (or, for a profile change, does not exist); a bundle is at its final name exactly when its
ledger entry exists; an export stopped by the change leaves no bundle, no entry and no staging
folder behind.

``undo``: two connections undo at the same moment (released by a barrier) on a catalog with a
stack of edit operations. They must undo two different operations, each exactly once, and the
captions must end where undoing those two operations leaves them.

Command line (from the repository root, with the project's venv)::

    python stress/rights_races.py --race all --rounds 200
    python stress/rights_races.py --race export --rounds 50 --files 30 --verbose --keep /tmp/races

Exit status 0 when no round failed. ``tests/attacks/test_attack_races.py`` runs it at CI size.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from mediadesk.catalog import Catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.ledger import LedgerStore
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.media import embed_metadata
from mediadesk.services.edits import apply_edits, undo
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.export_publish import RightsChanged
from mediadesk.services.importer import import_paths

RACES = ("export", "undo")
EDITORIAL = 1          # the seeded editorial-only profile (credit "NATO" required and given)
PURPOSE = Purpose.EDITORIAL_ONLINE
REVOCATIONS = ("clear-asset", "expire-profile", "internal-only")


@dataclass
class Tally:
    race: str
    rounds: int = 0
    failures: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, what: str) -> None:
        self.outcomes[what] = self.outcomes.get(what, 0) + 1

    def fail(self, round_no: int, message: str) -> None:
        self.failures.append(f"round {round_no}: {message}")

    def line(self) -> str:
        shown = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return (f"{self.race}: {self.rounds} rounds, {len(self.failures)} failures "
                f"({shown}) in {self.seconds:.1f} s")


def _jpeg(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), ((n * 37) % 255, (n * 91) % 255, 120)).save(out, "JPEG", quality=85)
    data, _ = embed_metadata(out.getvalue(), {"caption": f"Race photo {n}", "credit": "NATO"}, fmt="JPEG")
    return data


def build_library(workdir: Path, files: int) -> tuple[Path, list[int], int]:
    """(catalog path, asset ids, id of an internal-only profile): JPEGs under the editorial profile."""
    media = workdir / "media"
    media.mkdir(parents=True)
    for n in range(files):
        (media / f"race_{n:03d}.jpg").write_bytes(_jpeg(n))
    path = workdir / "races.mediadesk"
    with Catalog(path) as catalog:
        report = import_paths(catalog, [str(media)], workers=0)
        if report.failed:
            raise RuntimeError(f"fixture import failed: {report.errors[:3]}")
        ids = AssetStore(catalog).all_ids()
        with catalog.transaction():
            internal = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
                id=None, name="Internal only", note="For internal use only.",
                allowed_purposes=frozenset({Purpose.INTERNAL})))
        apply_edits(catalog, {i: {"rights_profile_id": EDITORIAL} for i in ids}, description="race set-up")
    return path, ids, internal


def _restore(catalog: Catalog, ids: list[int]) -> None:
    with catalog.transaction():
        profile = RightsProfileStore(catalog).get(EDITORIAL)
        if profile.expires_at is not None:
            RightsProfileStore(catalog).update_unrecorded(RightsProfile(
                id=profile.id, name=profile.name, note=profile.note,
                allowed_purposes=profile.allowed_purposes, embargo_until=profile.embargo_until,
                expires_at=None, credit_line=profile.credit_line, credit_required=profile.credit_required))
    apply_edits(catalog, {i: {"rights_profile_id": EDITORIAL} for i in ids}, description="race reset")


def _revoke(path: Path, how: str, asset_id: int, internal: int, delay: float, out: dict) -> None:
    """In its own connection: wait, then revoke in one transaction that also notes the newest
    ledger entry (so the order against the export's entry is exact)."""
    time.sleep(delay)
    with Catalog(path) as catalog, catalog.transaction():
        if how == "clear-asset":
            apply_edits(catalog, {asset_id: {"rights_profile_id": None}}, description="race revoke")
        elif how == "internal-only":
            apply_edits(catalog, {asset_id: {"rights_profile_id": internal}}, description="race revoke")
        else:
            store = RightsProfileStore(catalog)
            p = store.get(EDITORIAL)
            store.update_unrecorded(RightsProfile(
                id=p.id, name=p.name, note=p.note, allowed_purposes=p.allowed_purposes,
                embargo_until=p.embargo_until, credit_line=p.credit_line,
                credit_required=p.credit_required,
                expires_at=datetime.now(UTC) - timedelta(days=1)))
        out["ledger_max"] = catalog.scalar("SELECT coalesce(max(id), 0) FROM export_ledger")


def export_race(rounds: int, *, files: int = 24, seed: int = 0, workdir: Path | None = None,
                log=None) -> Tally:
    rnd = random.Random(seed)
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="rights-race-")) if workdir is None else workdir / "export"
    tally = Tally("export")
    started = time.monotonic()
    try:
        path, ids, internal = build_library(workdir, files)
        out_dir = workdir / "bundles"
        out_dir.mkdir()
        with Catalog(path) as catalog:   # one uncut run: how long an export takes here
            t0 = time.monotonic()
            run_export(catalog, plan_export(catalog, ids, ExportOptions(purpose=PURPOSE)),
                       out_dir / "uncut", workers=0)
            duration = time.monotonic() - t0
        for n in range(1, rounds + 1):
            tally.rounds += 1
            how = REVOCATIONS[n % len(REVOCATIONS)]
            victim = rnd.choice(ids)
            target = out_dir / f"round_{n:04d}"
            seen: dict = {}
            zipped = n % 2 == 0
            final = target.with_name(target.name + ".zip") if zipped else target
            with Catalog(path) as catalog:
                _restore(catalog, ids)
                plan = plan_export(catalog, ids, ExportOptions(purpose=PURPOSE, zip=zipped))
                revoker = threading.Thread(target=_revoke, args=(
                    path, how, victim, internal, rnd.uniform(0, duration * 0.9), seen))
                revoker.start()
                outcome, error = "published", None
                try:
                    result = run_export(catalog, plan, target, workers=0)
                except RightsChanged as exc:
                    outcome, error, result = "stopped", str(exc), None
                revoker.join()
                if result is not None and result.ledger_id is None:
                    outcome = "nothing left to export"
                _check_round(tally, n, catalog, how, victim, final, result, seen, error)
            tally.count(f"{outcome}, revocation {'after' if _after(seen, result) else 'before'} the entry")
            if log:
                log(f"  export round {n}: {how} asset {victim}: {outcome}")
    finally:
        tally.seconds = time.monotonic() - started
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return tally


def _after(seen: dict, result) -> bool:
    return result is not None and result.ledger_id is not None and seen.get("ledger_max", 0) >= result.ledger_id


def _check_round(tally: Tally, n: int, catalog: Catalog, how: str, victim: int, final: Path,
                 result, seen: dict, error: str | None) -> None:
    entries = [e for e in LedgerStore(catalog).list() if e.bundle == str(final)]
    leftovers = [p.name for p in final.parent.iterdir() if p.name.startswith(final.name + ".partial")]
    if leftovers:
        tally.fail(n, f"staging left behind: {leftovers}")
    if result is None or result.ledger_id is None:
        if entries:
            tally.fail(n, f"stopped ({(error or 'nothing exported')[:80]}) but the ledger has entry "
                          f"{entries[0].id} for it")
        if final.exists():
            tally.fail(n, "stopped but a bundle is at its final name")
        return
    if len(entries) != 1 or entries[0].id != result.ledger_id:
        tally.fail(n, f"published with {len(entries)} ledger entries")
        return
    if not final.exists():
        tally.fail(n, "ledger entry without a bundle although the export reported success")
    entry = entries[0]
    if seen.get("ledger_max", 0) >= entry.id:
        return   # the revocation committed after the entry: the decision was made before it
    revoked = set(entry.assets) if how == "expire-profile" else {victim}
    shipped = revoked & set(entry.assets)
    if shipped:
        tally.fail(n, f"{how}: asset(s) {sorted(shipped)[:5]} exported in entry {entry.id} although "
                      f"their rights were revoked before it (ledger max {seen.get('ledger_max')} at the revocation)")


# -- two undos at once -------------------------------------------------------------------------------

def undo_race(rounds: int, *, seed: int = 0, workdir: Path | None = None, log=None) -> Tally:
    rnd = random.Random(seed)
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="undo-race-")) if workdir is None else workdir / "undo"
    tally = Tally("undo")
    started = time.monotonic()
    try:
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / "undo.mediadesk"
        with Catalog(path) as catalog, catalog.transaction():
            asset = AssetStore(catalog).insert({
                "content_hash": "0" * 64, "path": "/race/a.jpg", "file_name": "a.jpg", "size": 1,
                "mtime": 1.0, "kind": "photo", "caption": "v0"})
        for n in range(1, rounds + 1):
            tally.rounds += 1
            with Catalog(path) as catalog:
                base = catalog.scalar("SELECT caption FROM assets WHERE id = ?", (asset,))
                ops: list[int] = []
                for k in range(1, 4):
                    result = apply_edits(catalog, {asset: {"caption": f"r{n}-{k}"}}, description=f"r{n}-{k}")
                    assert result is not None and result.operation_id is not None
                    ops.append(result.operation_id)
            barrier = threading.Barrier(2)
            done: list = []

            def one(barrier: threading.Barrier = barrier, done: list = done) -> None:
                with Catalog(path) as own_catalog:
                    barrier.wait()
                    time.sleep(rnd.uniform(0, 0.002))
                    done.append(undo(own_catalog))

            threads = [threading.Thread(target=one) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            undone = sorted(r.operation_id for r in done if r is not None and r.operation_id is not None)
            with Catalog(path) as catalog:
                caption = catalog.scalar("SELECT caption FROM assets WHERE id = ?", (asset,))
                flags = dict(catalog.query(
                    f"SELECT id, undone FROM edit_operations WHERE id IN ({','.join('?' * len(ops))})",
                    tuple(ops)))
            before = len(tally.failures)
            if undone != sorted(ops[1:]):
                tally.fail(n, f"the two undos took operations {undone}, expected {sorted(ops[1:])}")
            if caption != f"r{n}-1":
                tally.fail(n, f"caption is {caption!r} after two undos, expected 'r{n}-1' (base {base!r})")
            if [flags[o] for o in ops] != [0, 1, 1]:
                tally.fail(n, f"undone flags {[flags[o] for o in ops]}, expected [0, 1, 1]")
            tally.count("ok" if len(tally.failures) == before else "failed")
            if log:
                log(f"  undo round {n}: undid {undone}")
    finally:
        tally.seconds = time.monotonic() - started
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--race", choices=(*RACES, "all"), default="all")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--files", type=int, default=24, help="photos in each export (export race)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", help="keep the catalogs and bundles here")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    workdir = Path(args.keep) if args.keep else None
    log = print if args.verbose else None
    tallies = []
    if args.race in ("export", "all"):
        tallies.append(export_race(args.rounds, files=args.files, seed=args.seed, workdir=workdir, log=log))
    if args.race in ("undo", "all"):
        tallies.append(undo_race(args.rounds, seed=args.seed, workdir=workdir, log=log))
    for tally in tallies:
        print(tally.line())
        for failure in tally.failures[:20]:
            print(f"  FAILED {failure}")
    print(json.dumps({t.race: {"rounds": t.rounds, "failures": len(t.failures), "outcomes": t.outcomes,
                               "seconds": round(t.seconds, 1)} for t in tallies}))
    return 1 if any(t.failures for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
