#!/usr/bin/env python3
"""Search latency on a large catalog: SearchIndex.ids / count and the CLI search path.

    python benchmarks/bench_search.py [--assets 100000] [--runs 30] [--catalog PATH] [--keep] [--json]

Makes a catalog of N assets by inserting rows directly (AssetStore.insert in one transaction,
so the FTS triggers run as in real use): captions, titles, headlines, people, places, keywords,
organisations and events from word lists, dates spread over 2010-2026, 10% videos, 70% with the
seed rights profile, about half of the assets in one of 300 galleries, and planted words with a
known frequency:

    zephyrine  10 assets (rare)     quorvex  1% (medium)     tallgrass  30% (common)
    nato       ~100% (credit line of every asset)

Each case runs --runs times (after one warm-up); median and p95 are printed. Cases: free text
(rare / medium / common / very common), prefixes, two words, a phrase, field filters, kind:,
gallery:, date ranges, rights:none, the empty query (what the window shows first), count(),
the CLI (``mediadesk search ... --limit 50 --json`` in-process through cli.main.main), and the
CLI as a user runs it: a whole ``mediadesk search ... --limit 50 --json`` process, and
``mediadesk --version`` / ``--help`` (interpreter start included; the bytecode cache is written
first, as an installed program has it).

``--json`` prints one JSON object instead of the table: ``machine``, ``load_average``,
``assets``, ``runs`` and ``cases``, a list of ``{"label", "api", "query", "rows", "median_ms",
"p95_ms", "cpu_median_ms", "target_ms"}`` (api: ids | count | cli | process).

A real catalog gets sampled ANALYZE statistics when it is opened after growing (Catalog
refreshes them); the benchmark catalog gets them the same way, by being opened through Catalog.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from _measure import loadavg, machine_summary, median, percentile, table  # noqa: E402
from corpus import CREATORS, EVENTS, PLACES, caption_fields  # noqa: E402

from mediadesk.catalog import search as search_mod  # noqa: E402
from mediadesk.catalog.assets import AssetStore  # noqa: E402
from mediadesk.catalog.connection import Catalog  # noqa: E402
from mediadesk.catalog.galleries import GalleryStore  # noqa: E402
from mediadesk.domain.query import parse_query  # noqa: E402

TARGET_MS = 30.0
TARGET_PROCESS_MS = {"search": 60.0, "--version": 50.0, "--help": 50.0}   # a whole `mediadesk` process
N_GALLERIES = 300


# -- catalog generation ---------------------------------------------------------------------------
def build_catalog(path: str, n: int, seed: int = 7, analyze: bool = False) -> dict:
    rng = random.Random(seed)
    catalog = Catalog(path)
    store = AssetStore(catalog)
    galleries = GalleryStore(catalog)
    t0 = time.perf_counter()
    rare = set(rng.sample(range(n), min(10, n)))
    gallery_titles = []
    with catalog.transaction():
        for g in range(N_GALLERIES):
            city = PLACES[g % len(PLACES)][0]
            title = f"{EVENTS[g % len(EVENTS)]} {city} {2010 + g % 17} #{g}"
            gallery_titles.append(title)
            galleries.create_unrecorded(title)
        gallery_ids = {gl.title: gl.id for gl in galleries.list()}
        members: dict[int, list[int]] = {}
        start = datetime(2010, 1, 1)
        span = int(16.5 * 365.25 * 86400)
        for i in range(n):
            when = start + timedelta(seconds=rng.randrange(span))
            offset = rng.choice(("+01:00", "+02:00", "-05:00", "+00:00"))
            f = caption_fields(rng, i, when, offset)
            if i in rare:
                f["caption"] = str(f["caption"]) + " Zephyrine observers attended."
            if rng.random() < 0.01:
                keywords = f["keywords"]
                assert isinstance(keywords, (list, tuple))
                f["keywords"] = [*keywords, "quorvex"]
            if rng.random() < 0.30:
                f["headline"] = str(f["headline"]) + " near the tallgrass field"
            if rng.random() < 0.03:
                f["date_created"] = None  # some assets have no date
            video = rng.random() < 0.10
            rec = dict(f)
            rec.update(
                content_hash=f"{rng.getrandbits(256):064x}", path=f"/press/{when:%Y/%m}/IMG_{i:06d}.jpg",
                file_name=f"IMG_{i:06d}.{'mp4' if video else 'jpg'}", size=rng.randrange(200_000, 9_000_000),
                mtime=when.timestamp(), kind="video" if video else "photo", format="MP4" if video else "JPEG",
                width=6000, height=4000, duration=rng.uniform(5, 300) if video else None,
                codec="h264" if video else None, frame_rate=25.0 if video else None,
                rights_profile_id=1 if rng.random() < 0.7 else None,
                field_sources={"caption": "xmp", "title": "xmp"}, has_thumbnail=True,
            )
            rec["creator"] = rng.choice(CREATORS)
            asset_id = store.insert(rec)
            if rng.random() < 0.5:
                members.setdefault(gallery_ids[gallery_titles[rng.randrange(N_GALLERIES)]], []).append(asset_id)
        for gid, ids in members.items():
            galleries.add_assets_unrecorded(gid, ids)
    insert_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    if analyze:
        catalog.conn.execute("ANALYZE")
    catalog.close()
    return {"insert_s": insert_s, "analyze_s": time.perf_counter() - t0, "galleries": gallery_titles}


# -- cases ----------------------------------------------------------------------------------------
def cases(gallery_titles: list[str]) -> list[tuple[str, str, str]]:
    """(label, api, query text). api: ids | count | cli"""
    g = gallery_titles[5]
    out = [
        ("empty query (window start)", "ids", ""),
        ("rare word (10 hits)", "ids", "zephyrine"),
        ("medium word (1%)", "ids", "quorvex"),
        ("common word (30%)", "ids", "tallgrass"),
        ("very common word (~100%)", "ids", "nato"),
        ("person surname", "ids", "rutte"),
        ("city", "ids", "vilnius"),
        ("prefix 'stolt'", "ids", "stolt"),
        ("prefix 'br' (very broad)", "ids", "br"),
        ("two words: rutte brussels", "ids", "rutte brussels"),
        ("two words: quorvex tallgrass", "ids", "quorvex tallgrass"),
        ("two words: nato summit", "ids", "nato summit"),
        ("phrase \"press conference\"", "ids", '"press conference"'),
        ("field people:kallas", "ids", "people:kallas"),
        ("kind:video", "ids", "kind:video"),
        ("kind:video + nato", "ids", "kind:video nato"),
        ("kind:video + rare", "ids", "kind:video zephyrine"),
        ("gallery exact title", "ids", f'gallery:"{g}"'),
        ("gallery:summit (LIKE)", "ids", "gallery:summit"),
        ("date:2020 year", "ids", "date:2020"),
        ("date range 2019-03..2019-06", "ids", "date:2019-03-01..2019-06-30"),
        ("date range + common word", "ids", "date:2019-03-01..2019-06-30 tallgrass"),
        ("rights:none", "ids", "rights:none"),
        ("rights:none + nato", "ids", "rights:none nato"),
        ("rights:editorial", "ids", "rights:editorial"),
        ("count: empty", "count", ""),
        ("count: rare", "count", "zephyrine"),
        ("count: common (30%)", "count", "tallgrass"),
        ("count: very common", "count", "nato"),
        ("count: kind:video nato", "count", "kind:video nato"),
        ("count: rights:none", "count", "rights:none"),
        ("CLI: rare", "cli", "zephyrine"),
        ("CLI: common", "cli", "tallgrass"),
        ("CLI: very common", "cli", "nato"),
        ("CLI: two words", "cli", "rutte brussels"),
        ("CLI: kind:video", "cli", "kind:video"),
        ("CLI process: rare", "process", "zephyrine"),
        ("CLI process: common", "process", "tallgrass"),
        ("CLI process: very common", "process", "nato"),
        ("CLI process: two words", "process", "rutte brussels"),
        ("CLI process: kind:video", "process", "kind:video"),
        ("CLI process: --version", "process", "--version"),
        ("CLI process: --help", "process", "--help"),
    ]
    return out


def target_ms(api: str, text: str) -> float:
    if api == "process":
        return TARGET_PROCESS_MS.get(text, TARGET_PROCESS_MS["search"])
    return TARGET_MS


def mediadesk_command() -> list[str]:
    """How a user starts mediadesk here: the console script beside this Python (a venv), else
    ``python -m mediadesk``."""
    script = os.path.join(os.path.dirname(sys.executable), "mediadesk")
    return [script] if os.access(script, os.X_OK) else [sys.executable, "-m", "mediadesk"]


def process_env() -> dict[str, str]:
    """The environment of a measured process: bytecode may be cached (an installed program has
    its .pyc files; PYTHONDONTWRITEBYTECODE would make every start compile mediadesk again)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def process_args(cat_path: str, text: str) -> list[str]:
    if text in ("--version", "--help"):
        return [*mediadesk_command(), text]
    return [*mediadesk_command(), "--catalog", cat_path, "search", *text.split(), "--limit", "50", "--json"]


def run_case(catalog: Catalog, cat_path: str, api: str, text: str) -> tuple[float, float, int]:
    if api == "process":
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(process_args(cat_path, text), stdout=out, stderr=err, env=process_env())
            _pid, status, usage = os.wait4(proc.pid, 0)   # (rusage: the child's CPU time to the µs)
            dt = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            assert proc.returncode == 0, err.read().decode(errors="replace")
            return dt, usage.ru_utime + usage.ru_stime, out.read().count(b'"id":')
    if api == "cli":
        from mediadesk.cli.main import main as cli_main

        args = ["--catalog", cat_path, "search", *([text] if text else []), "--limit", "50", "--json"]
        buf = io.StringIO()
        c0, t0 = time.process_time(), time.perf_counter()
        with contextlib.redirect_stdout(buf):
            rc = cli_main(args)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        assert rc == 0, rc
        return dt, dc, buf.getvalue().count('"id":')
    q = parse_query(text)
    assert not q.errors, q.errors
    index = search_mod.SearchIndex(catalog)
    c0, t0 = time.process_time(), time.perf_counter()
    if api == "ids":
        n = len(index.ids(q, order="date", limit=200))
    else:
        n = index.count(q)
    return time.perf_counter() - t0, time.process_time() - c0, n


def explain(catalog: Catalog, text: str) -> list[str]:
    """The plan of the last SELECT ... FROM assets that a search runs for this query."""
    seen: list[str] = []
    catalog.conn.set_trace_callback(seen.append)
    try:
        search_mod.SearchIndex(catalog).ids(parse_query(text), order="date", limit=200)
    finally:
        catalog.conn.set_trace_callback(None)
    sql = [s for s in seen if s.startswith("SELECT a.id")][-1]
    return [r[3] for r in catalog.conn.execute("EXPLAIN QUERY PLAN " + sql)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--assets", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--catalog", help="reuse/make the catalog here (kept)")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--explain", action="store_true", help="print EXPLAIN QUERY PLAN for every case")
    p.add_argument("--analyze", action="store_true",
                   help="run a full ANALYZE after building (Catalog otherwise refreshes sampled statistics on open)")
    p.add_argument("--only", metavar="TEXT", help="run only the cases whose label contains TEXT")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object (progress on stderr)")
    a = p.parse_args(argv)
    say = (lambda *x, **k: print(*x, **k, file=sys.stderr)) if a.json else print

    say(f"machine: {machine_summary()}; load average {loadavg():.1f}")
    tmp = tempfile.mkdtemp(prefix="mediadesk-search-")
    if not a.keep:  # also after an error or Ctrl-C
        atexit.register(shutil.rmtree, tmp, True)
    cat_path = a.catalog or os.path.join(tmp, "search.mdcat")
    if not os.path.exists(cat_path):
        info = build_catalog(cat_path, a.assets, analyze=a.analyze)
        analyzed = f"ANALYZE {info['analyze_s']:.1f} s, " if a.analyze else "no ANALYZE (as in real catalogs), "
        say(f"catalog: {a.assets} assets inserted in {info['insert_s']:.1f} s "
            f"({a.assets / info['insert_s']:.0f} rows/s incl. FTS trigger), {analyzed}"
            f"{os.path.getsize(cat_path) / 1e6:.0f} MB")
        galleries = info["galleries"]
    else:
        with Catalog(cat_path) as c:
            galleries = [r[0] for r in c.conn.execute("SELECT title FROM galleries ORDER BY id")]
            say(f"reusing catalog {cat_path}: {c.scalar('SELECT count(*) FROM assets')} assets")

    chosen = [case for case in cases(galleries) if not a.only or a.only.lower() in case[0].lower()]
    load_before = loadavg()
    catalog = Catalog(cat_path)
    results: list[dict] = []
    for label, api, text in chosen:
        times: list[float] = []
        cpu: list[float] = []
        hits = 0
        run_case(catalog, cat_path, api, text)   # warm-up (and the bytecode cache of a process)
        for _ in range(a.runs):
            dt, dc, hits = run_case(catalog, cat_path, api, text)
            times.append(dt * 1000)
            cpu.append(dc * 1000)
        result = {"label": label, "api": api, "query": text, "rows": hits,
                  "median_ms": round(median(times), 2), "p95_ms": round(percentile(times, 95), 2),
                  "cpu_median_ms": round(median(cpu), 2), "target_ms": target_ms(api, text)}
        results.append(result)
        if a.explain and api == "ids":
            say(f"  plan {label}: " + " / ".join(explain(catalog, text)))
        say(f"  {label:<34} median {result['median_ms']:7.2f} ms p95 {result['p95_ms']:7.2f} ms "
            f"cpu {result['cpu_median_ms']:7.2f} ms ({hits} rows)", flush=True)
    catalog.close()
    if a.json:
        print(json.dumps({"machine": machine_summary(), "load_average": [load_before, loadavg()],
                          "assets": a.assets, "runs": a.runs, "cases": results}, indent=1))
        return 0

    headers = ["case", "query", "rows", "median ms", "p95 ms", "CPU ms", "target"]
    rows = [[r["label"], (r["query"][:34] + "…") if len(r["query"]) > 35 else r["query"], r["rows"],
             f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}", f"{r['cpu_median_ms']:.2f}",
             f"{'PASS' if r['median_ms'] < r['target_ms'] else 'MISS'} <{r['target_ms']:.0f}"] for r in results]
    print()
    print(table(headers, rows, title=f"Search on {a.assets} assets, {a.runs} runs each, ids(limit=200) / "
                                     f"count() / CLI --limit 50 --json in-process / the whole CLI process "
                                     f"({os.cpu_count()} cores). 'CPU ms' = median process time (not inflated "
                                     "by other programs; wall ms is)."))
    misses = [r["label"] for r in results if r["median_ms"] >= r["target_ms"]]
    cpu_misses = [r["label"] for r in results if r["cpu_median_ms"] >= r["target_ms"]]
    print(f"{len(misses)} case(s) at or over target median wall: {', '.join(misses) or 'none'}")
    print(f"{len(cpu_misses)} case(s) at or over target median CPU: {', '.join(cpu_misses) or 'none'}")
    if a.keep or a.catalog:
        print(f"catalog kept: {cat_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
