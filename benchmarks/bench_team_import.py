#!/usr/bin/env python3
"""Import into a team catalog against the same import into a SQLite catalog, on the same files.

    python benchmarks/bench_team_import.py [--small 600] [--rounds 3] [--corpus DIR] [--json]

The corpus is corpus.py's 3 MP camera-like JPEGs with captions. Each round imports the folder into
a fresh SQLite catalog and into a fresh team catalog (a database made from a template on a
throwaway PostgreSQL, the folder a storage root), the two interleaved so that a noisy neighbour
costs both alike. The page cache is warm for both (the first, untimed import reads the files
once). Prints the median files/s of each and their ratio (target, issue 12: >= 0.9).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))   # the checkout, for the throwaway server (tests.support)

from _measure import loadavg, machine_summary  # noqa: E402
from corpus import load_or_make  # noqa: E402

from mediadesk.catalog.connection import Catalog  # noqa: E402
from mediadesk.catalog.postgres.connect import connect  # noqa: E402
from mediadesk.catalog.postgres.migrations import migrate  # noqa: E402
from mediadesk.services.importer import import_paths  # noqa: E402
from mediadesk.services.roots import add_root  # noqa: E402

from tests.support.pg_cluster import Cluster  # noqa: E402


def _rate(catalog: Catalog, folder: Path) -> float:
    started = time.perf_counter()
    report = import_paths(catalog, [str(folder)])
    seconds = time.perf_counter() - started
    if report.failed or not report.imported:
        raise SystemExit(f"the import failed: {report.to_json()}")
    return report.imported / seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--small", type=int, default=600)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--corpus", metavar="DIR")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="mediadesk-bench-team-import-"))
    os.environ.setdefault("XDG_CONFIG_HOME", str(work / "config"))     # this run's mount table only
    os.environ.setdefault("XDG_CACHE_HOME", str(work / "cache"))
    corpus = Path(args.corpus or work / "corpus")
    load_or_make(str(corpus), 0, args.small, 0, quiet=not sys.stdout.isatty())
    folder = corpus / "small"
    desk: list[float] = []
    team: list[float] = []
    load = loadavg()
    with Cluster() as cluster:
        os.environ["PGPASSFILE"] = str(cluster.pgpass)
        template = "import_template"
        conn = connect(cluster.create_database(template))
        migrate(conn, "bench")
        conn.close()
        with Catalog(work / "warm.mediadesk") as warm:          # the files into the page cache
            import_paths(warm, [str(folder)])
        for n in range(args.rounds):
            with Catalog(work / f"desk-{n}.mediadesk") as catalog:
                desk.append(_rate(catalog, folder))
            with Catalog(cluster.create_database(f"team_{n}", template=template)) as catalog:
                # the template's copies share its catalog id, and so this desk's thumbnail cache:
                # empty it, or a round would find the thumbnails of the one before
                shutil.rmtree(catalog.thumbs_dir, ignore_errors=True)
                add_root(catalog, "press", corpus)
                team.append(_rate(catalog, folder))
    result = {
        "files": args.small, "rounds": args.rounds,
        "sqlite_files_per_s": [round(r, 1) for r in desk], "team_files_per_s": [round(r, 1) for r in team],
        "sqlite_median": round(statistics.median(desk), 1), "team_median": round(statistics.median(team), 1),
        "ratio": round(statistics.median(team) / statistics.median(desk), 3),
        "load_before": load, "load_after": loadavg(), "machine": machine_summary(),
    }
    print(json.dumps(result, indent=2) if args.json else
          f"SQLite {result['sqlite_median']} files/s, team catalog {result['team_median']} files/s, "
          f"ratio {result['ratio']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
