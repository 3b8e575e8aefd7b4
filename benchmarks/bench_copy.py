#!/usr/bin/env python3
"""``mediadesk catalog copy`` of a big desk catalog into a team catalog and back.

    python benchmarks/bench_copy.py --assets 100000 --json     # a PostgreSQL of its own (tests/support/pg_cluster.py)

The desk catalog is bench_search's (realistic captions, keywords, people, places, galleries;
files under /press, which becomes the storage root "press"). Timed: the copy into an empty team
catalog (rows, search index, verification of counts and the ledger chain; the timing includes
opening both) and the copy back into a new catalog file. Target (issue 12): 100,000 assets in under 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))   # the checkout, for the throwaway server (tests.support)

from _measure import machine_summary  # noqa: E402
from bench_search import build_catalog  # noqa: E402

from mediadesk.catalog.connection import Catalog  # noqa: E402
from mediadesk.services.catalog_copy import copy_catalog  # noqa: E402
from mediadesk.services.roots import add_root  # noqa: E402

from tests.support.pg_cluster import Cluster  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--assets", type=int, default=100_000)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mediadesk-bench-copy-"))
    os.environ.setdefault("XDG_CONFIG_HOME", str(work / "config"))   # this run's mount table only
    source = work / "desk.mediadesk"
    t0 = time.perf_counter()
    build_catalog(str(source), args.assets)
    build_s = time.perf_counter() - t0
    with Cluster() as cluster:
        os.environ["PGPASSFILE"] = str(cluster.pgpass)
        url = cluster.create_database("copy_bench")
        _root_at_slash(url)
        t0 = time.perf_counter()
        report = copy_catalog(source, url)
        to_team_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        back = copy_catalog(url, work / "back.mediadesk")
        back_s = time.perf_counter() - t0
    result = {
        "assets": args.assets, "build_s": round(build_s, 1),
        "to_team_s": round(to_team_s, 1), "to_team_ok": report.ok,
        "back_s": round(back_s, 1), "back_ok": back.ok,
        "counts": report.counts, "machine": machine_summary(),
    }
    print(json.dumps(result, indent=2) if args.json else
          f"{args.assets:,} assets: into the team catalog {to_team_s:.1f} s, back {back_s:.1f} s")
    return 0 if report.ok and back.ok else 1


def _root_at_slash(url: str) -> None:
    """bench_search's paths say /press/...; the team catalog gets a root "system" mapped at /
    without a marker (the copy needs every path to lie in a root; no file is read)."""
    with Catalog(url) as dst:
        add_root(dst, "system", "/", marker=False)


if __name__ == "__main__":
    raise SystemExit(main())
