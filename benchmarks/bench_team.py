#!/usr/bin/env python3
"""A press office on one team catalog: N desks at once, each a process, for S seconds.

    python benchmarks/bench_team.py --catalog postgresql://USER@HOST/DB --desktops 20 --seconds 60 --json
    python benchmarks/bench_team.py --throwaway --desktops 20 --seconds 60   # a PostgreSQL of its own

Each desk is a separate process with its own connection, its own desk id and its own change feed
(LISTEN/NOTIFY, catalog/postgres/live.py) and mixes what a desk does:

    typed edit   read a caption, "type" for 0-150 ms, save it as a typed edit (a conflict when
                 another desk changed it meanwhile: counted, never saved over theirs)
    tags         add a keyword of its own to 20 assets (one batch)
    template     a caption template filling the headline of 10 assets (one batch)
    import       import a folder of 4 new JPEGs from the shared storage root
    export       export 3 assets of the shared folder (rights checked, ledger entry)
    search       a word or two from the corpus, first page and count
    undo         an edit of the desk's own asset, undone

At the end every desk's own record of what it committed is checked against the catalog:
``lost_updates`` counts writes reported saved that the history does not hold, final values that
are not the newest write in the history, and keywords that went missing (must be 0).
``propagation_p95_ms`` is the time from a change's entry in the change log (inside the
committing transaction) to another desk's notification handler reading it (same clock: one
machine). JSON (``--json``): ops_per_s, per operation count / ops_per_s / p50_ms / p95_ms,
conflicts_reported, lost_updates, propagation_p50_ms / p95_ms, notifications.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing as mp
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))   # the checkout, for the throwaway server (tests.support)

from _measure import machine_summary, percentile  # noqa: E402

CORPUS_ASSETS = 2000        # assets the desks edit and search
HOT = 300                   # the typed edits and batches pick among these (conflicts happen)
IMPORT_BATCHES = 60         # folders of new files per desk
FILES_PER_IMPORT = 4
SHARED_FILES = 40           # real files every desk may export
WORDS = ("nato", "summit", "rutte", "brussels", "vilnius", "press conference", "kallas", "tallgrass",
         "stolt", "zephyrine", "kind:video", "rights:editorial", "date:2020")
WEIGHTS = {"typed_edit": 40, "tags": 10, "template": 8, "import": 4, "export": 4, "search": 28, "undo": 6}


# -- setup (the parent) ---------------------------------------------------------------------------
def _jpeg(path: Path, n: int) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (n * 37 % 256, n * 91 % 256, n * 13 % 256)).save(out, "JPEG", quality=80)
    path.write_bytes(out.getvalue())


def setup(url: str, work: Path, desktops: int) -> dict:
    """A corpus in the team catalog (made in a SQLite catalog, copied in), a shared folder as the
    storage root "share", files for the desks' imports, and the shared files imported."""
    os.environ["MEDIADESK_DESK"] = "bench-setup"
    from bench_search import build_catalog

    from mediadesk.catalog.connection import Catalog
    from mediadesk.catalog.roots import MountTable
    from mediadesk.catalog.transfer import sqlite_to_postgres
    from mediadesk.services.importer import import_paths
    from mediadesk.services.rights import assign_profile
    from mediadesk.services.roots import add_root

    share = work / "share"
    (share / "common").mkdir(parents=True)
    for n in range(SHARED_FILES):
        _jpeg(share / "common" / f"common_{n:03d}.jpg", n)
    for d in range(desktops):
        for b in range(IMPORT_BATCHES):
            folder = share / f"desk{d:02d}" / f"batch{b:03d}"
            folder.mkdir(parents=True)
            for f in range(FILES_PER_IMPORT):
                _jpeg(folder / f"d{d}_b{b}_f{f}.jpg", 1000 + d * 10_000 + b * 10 + f)
    with Catalog(url) as team:
        if team.assets.count():
            raise SystemExit(f"{team.location} holds assets already: the benchmark needs an empty team catalog")
        desk_file = work / "corpus.mediadesk"
        build_catalog(str(desk_file), CORPUS_ASSETS)   # paths under /press: a root mapped there, unchecked
        team.execute("INSERT INTO storage_roots (name, marker, created_at) VALUES ('press', 'bench', 'now')")
        MountTable().set(team.catalog_id, "press", Path("/press"))
        with Catalog(desk_file) as src:
            sqlite_to_postgres(src, team.conn, mounts={"press": Path("/press")})
        team.catalog_id = str(team.ledger.catalog_id())
        MountTable().set(team.catalog_id, "press", Path("/press"))
        team.paths.refresh()
        add_root(team, "share", share)
        report = import_paths(team, [str(share / "common")], workers=0)
        common = report.asset_ids
        assign_profile(team, common, 1)      # the seed profile: editorial use allowed
        first = min(team.assets.all_ids())
        return {"share": str(share), "common": common, "first": first, "catalog_id": team.catalog_id,
                "mounts": {k: str(v) for k, v in MountTable().mounts(team.catalog_id).items()}}


# -- one desk (a process) -------------------------------------------------------------------------
def desk(index: int, url: str, seconds: float, info: dict, config_home: str, out: mp.Queue,
         go: Any) -> None:
    os.environ["MEDIADESK_DESK"] = f"bench-desk-{index:02d}"
    os.environ["XDG_CONFIG_HOME"] = config_home      # the mount table the setup wrote
    os.environ["XDG_CACHE_HOME"] = os.path.join(config_home, f"cache-{index}")
    from mediadesk.catalog.connection import Catalog
    from mediadesk.catalog.postgres.live import ChangeFeed
    from mediadesk.catalog.templates import TemplateLine
    from mediadesk.domain.errors import MediadeskError
    from mediadesk.domain.query import parse_query
    from mediadesk.domain.rights import Purpose
    from mediadesk.services.edits import apply_edits, undo
    from mediadesk.services.export import ExportOptions, plan_export, run_export
    from mediadesk.services.importer import import_paths
    from mediadesk.services.tagging import add_tags
    from mediadesk.services.templates import apply_template_lines

    rng = random.Random(index * 7919)
    me = os.environ["MEDIADESK_DESK"]
    catalog = Catalog(url)
    hot = list(range(info["first"], info["first"] + HOT))
    own_asset = info["first"] + HOT + index            # only this desk edits its instructions
    stop = threading.Event()
    latencies: list[float] = []

    def listen() -> None:
        with ChangeFeed(url) as feed:
            while not stop.is_set():
                try:
                    found = feed.wait(0.5)
                except MediadeskError:
                    feed.reconnect()
                    continue
                now = time.time()
                latencies.extend((now - c.at.timestamp()) * 1000 for c in found.items if c.desk != me)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    times: dict[str, list[float]] = {name: [] for name in WEIGHTS}
    committed: list[tuple[int | None, int, str, str]] = []     # (operation id, asset, field, value)
    tags: list[tuple[int, str]] = []
    conflicts = 0
    errors: list[str] = []
    names, weights = zip(*WEIGHTS.items(), strict=True)
    exports = Path(tempfile.mkdtemp(prefix=f"bench-desk{index}-"))
    batch = 0
    n = 0
    go.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        op = rng.choices(names, weights)[0]
        n += 1
        t0 = time.perf_counter()
        try:
            if op == "typed_edit":
                aid = rng.choice(hot)
                read = catalog.assets.field_values(aid, ["caption"])["caption"]
                time.sleep(rng.uniform(0, 0.15))                     # typing
                value = f"{me} typed {n}"
                t0 = time.perf_counter()
                result = apply_edits(catalog, {aid: {"caption": value}}, expected={aid: {"caption": read}})
                conflicts += len(result.conflicts)
                if result.operation_id is not None:
                    committed.append((result.operation_id, aid, "caption", value))
            elif op == "tags":
                ids = rng.sample(hot, 20)
                word = f"{me}-tag-{n}"
                res = add_tags(catalog, ids, keywords=[word])
                if res.applied:
                    tags.extend((aid, word) for aid in ids)
            elif op == "template":
                ids = rng.sample(hot, 10)
                value = f"{me} template {n}"
                res = apply_template_lines(catalog, [TemplateLine(name="", field="headline", text=value,
                                                                  mode="replace")], ids)
                if res.applied:
                    committed.extend((res.operation_id, aid, "headline", value) for aid in ids)
            elif op == "import":
                if batch < IMPORT_BATCHES:
                    folder = Path(info["share"]) / f"desk{index:02d}" / f"batch{batch:03d}"
                    batch += 1
                    import_paths(catalog, [str(folder)], workers=0)
            elif op == "export":
                ids = rng.sample(info["common"], 3)
                plan = plan_export(catalog, ids, ExportOptions(purpose=Purpose.EDITORIAL_ONLINE,
                                                               recipient=f"Partner of {me}"))
                run_export(catalog, plan, exports / f"bundle{n}", workers=0)
            elif op == "search":
                query = parse_query(rng.choice(WORDS))
                catalog.index.ids(query, limit=200)
                catalog.index.count(query)
            elif op == "undo":
                apply_edits(catalog, {own_asset: {"instructions": f"{me} private {n}"}})
                undo(catalog)
        except MediadeskError as exc:
            errors.append(f"{op}: {exc}")
            continue
        times[op].append((time.perf_counter() - t0) * 1000)
    stop.set()
    listener.join(5)
    catalog.close()
    shutil.rmtree(exports, ignore_errors=True)
    out.put({"desk": index, "times": times, "committed": committed, "tags": tags,
             "conflicts": conflicts, "errors": errors[:20], "latencies": latencies})


# -- the check at the end -------------------------------------------------------------------------
def check(url: str, results: list[dict]) -> tuple[int, list[str]]:
    """Every desk's committed writes against the catalog: (lost updates, examples)."""
    from mediadesk.catalog.connection import Catalog
    from mediadesk.services.edits import normalise

    lost: list[str] = []
    with Catalog(url, readonly=True) as catalog:
        for r in results:
            for op_id, aid, field, value in r["committed"]:
                rows = [c for c in catalog.history.changes_of(op_id) if c.asset_id == aid and c.field == field]
                if not rows or normalise(field, rows[-1].new) != value:
                    lost.append(f"desk {r['desk']}: operation {op_id} ({field} of asset {aid}) is not in the history")
        touched = {(aid, field) for r in results for _op, aid, field, _v in r["committed"]}
        for aid, field in sorted(touched):
            history = catalog.history.for_asset(aid, field)
            newest = history[-1].new if history else None
            now = catalog.assets.field_values(aid, [field])[field]
            if normalise(field, newest) != normalise(field, now):
                lost.append(f"asset {aid} {field}: {now!r} is not the newest write in the history ({newest!r})")
        keywords = {}
        for r in results:
            for aid, word in r["tags"]:
                if aid not in keywords:
                    keywords[aid] = set(catalog.assets.field_values(aid, ["keywords"])["keywords"])
                if word not in keywords[aid]:
                    lost.append(f"asset {aid}: keyword {word} (committed by desk {r['desk']}) is missing")
    return len(lost), lost[:10]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--catalog", help="an EMPTY team catalog: postgresql://USER@HOST[:PORT]/DB")
    p.add_argument("--throwaway", action="store_true",
                   help="start a PostgreSQL of its own (tests/support/pg_cluster.py)")
    p.add_argument("--desktops", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if not a.catalog and not a.throwaway:
        p.error("give --catalog URL (an empty team catalog) or --throwaway")
    work = Path(tempfile.mkdtemp(prefix="mediadesk-team-bench-"))
    config_home = work / "config"
    os.environ["XDG_CONFIG_HOME"] = str(config_home)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    cluster = None
    try:
        url = a.catalog
        if a.throwaway:
            from tests.support.pg_cluster import Cluster

            cluster = Cluster(durable=True,   # (its own folder: the postgres user must reach it)
                              settings={"max_connections": str(max(100, a.desktops * 4 + 20))}).start()
            url = cluster.create_database("team")
            os.environ["PGPASSFILE"] = str(cluster.pgpass)
        t0 = time.monotonic()
        info = setup(url, work, a.desktops)
        setup_s = time.monotonic() - t0
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        go = ctx.Event()
        procs = [ctx.Process(target=desk, args=(i, url, a.seconds, info, str(config_home), out, go))
                 for i in range(a.desktops)]
        for proc in procs:
            proc.start()
        time.sleep(min(10, 0.5 * a.desktops))          # let every desk connect before the clock starts
        go.set()
        results = [out.get(timeout=a.seconds + 600) for _ in procs]
        for proc in procs:
            proc.join(60)
        lost, examples = check(url, results)
        ops = {}
        total = 0
        for name in WEIGHTS:
            samples = [t for r in results for t in r["times"][name]]
            total += len(samples)
            ops[name] = {"count": len(samples), "ops_per_s": round(len(samples) / a.seconds, 2),
                         "p50_ms": round(percentile(samples, 50), 1) if samples else None,
                         "p95_ms": round(percentile(samples, 95), 1) if samples else None}
        latencies = [t for r in results for t in r["latencies"]]
        summary = {
            "desktops": a.desktops, "seconds": a.seconds, "setup_s": round(setup_s, 1),
            "ops_per_s": round(total / a.seconds, 1), "operations": ops,
            "conflicts_reported": sum(r["conflicts"] for r in results),
            "lost_updates": lost, "lost_update_examples": examples,
            "propagation_p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
            "propagation_p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "notifications": len(latencies),
            "errors": [e for r in results for e in r["errors"]][:20],
            "machine": machine_summary(),
        }
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    if a.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{a.desktops} desks for {a.seconds:.0f} s on {summary['machine']}: {summary['ops_per_s']} ops/s")
        for name, o in ops.items():
            print(f"  {name:<11} {o['count']:>6}  {o['ops_per_s']:>7} /s  p50 {o['p50_ms']} ms  p95 {o['p95_ms']} ms")
        print(f"  conflicts reported {summary['conflicts_reported']}, lost updates {lost}, propagation "
              f"p50 {summary['propagation_p50_ms']} ms / p95 {summary['propagation_p95_ms']} ms "
              f"({summary['notifications']} notifications)")
        for line in examples + summary["errors"]:
            print("  !", line)
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
