#!/usr/bin/env python3
"""Search in a team catalog of N assets against the same catalog file, through the catalog's index.

    python benchmarks/bench_team_search.py [--assets 1000000] [--runs 5] [--json]

bench_search's catalog (realistic captions, people, places, galleries) is built as a SQLite file,
copied into a throwaway team catalog (``catalog copy``), and bench_search's in-process cases
(first page of 200 ids, counts) run on both, median of ``--runs`` each. Target (issue 12): median
under 50 ms over the cases on 1,000,000 assets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))   # the checkout, for the throwaway server (tests.support)

from _measure import loadavg, machine_summary  # noqa: E402
from bench_search import build_catalog, cases  # noqa: E402

from mediadesk.catalog.connection import Catalog  # noqa: E402
from mediadesk.domain.query import parse_query  # noqa: E402
from mediadesk.services.catalog_copy import copy_catalog  # noqa: E402
from mediadesk.services.roots import add_root  # noqa: E402

from tests.support.pg_cluster import Cluster  # noqa: E402


def _median_ms(catalog: Catalog, api: str, text: str, runs: int) -> float:
    query = parse_query(text)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        if api == "ids":
            catalog.index.ids(query, limit=200)
        else:
            catalog.index.count(query)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--assets", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mediadesk-bench-team-search-"))
    os.environ.setdefault("XDG_CONFIG_HOME", str(work / "config"))     # this run's mount table only
    os.environ.setdefault("XDG_CACHE_HOME", str(work / "cache"))
    source = work / "desk.mediadesk"
    info = build_catalog(str(source), args.assets, analyze=True)
    results: list[dict[str, float | str]] = []
    with Cluster(settings={"shared_buffers": "256MB"}) as cluster:
        os.environ["PGPASSFILE"] = str(cluster.pgpass)
        url = cluster.create_database("search")
        with Catalog(url) as team:       # bench_search's paths say /press/...: a root at / (no file is read)
            add_root(team, "system", "/", marker=False)
        started = time.perf_counter()
        copied = copy_catalog(source, url)
        copy_s = time.perf_counter() - started
        with Catalog(url, readonly=True) as team, Catalog(source, readonly=True) as desk:
            for label, api, text in cases(info["galleries"]):
                if api in ("ids", "count"):
                    results.append({"case": label, "api": api, "sqlite_ms": _median_ms(desk, api, text, args.runs),
                                    "team_ms": _median_ms(team, api, text, args.runs)})
                    if not args.json:
                        print(results[-1], flush=True)
    summary = {
        "assets": args.assets, "copy_s": round(copy_s, 1), "copy_ok": copied.ok, "cases": results,
        "team_median_ms": statistics.median(float(r["team_ms"]) for r in results),
        "sqlite_median_ms": statistics.median(float(r["sqlite_ms"]) for r in results),
        "load": loadavg(), "machine": machine_summary(),
    }
    print(json.dumps(summary, indent=2) if args.json else
          f"median over {len(results)} cases: team catalog {summary['team_median_ms']} ms, "
          f"SQLite {summary['sqlite_median_ms']} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
