"""Window benchmark on generated catalogs of 100,000 and 1,000,000 assets.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py [--sizes 100000 1000000] [--workdir DIR]

For each size it generates a catalog (rows inserted directly in one transaction; a few thousand
assets point at real JPEG thumbnails copied into the thumbnail cache, the newest ones among them so
the first screen shows pictures), then runs the window in a fresh process and prints:

- startup: process start -> window shown with the first screen of thumbnails painted
  (and the same from window creation);
- search: for a few queries, typing stopped (after the 150 ms debounce) -> view repainted with
  the new result set (its first screenful), and -> the whole list read (the count is final);
- scrolling: the grid and the table dragged end to end in 400 steps (each step lands on rows not
  read yet), while a 5 ms QTimer measures the longest the event loop was blocked;
- memory: resident set size after all of it (VmRSS) and its peak (VmHWM).

Generated catalogs are kept in the work directory and reused. Figures vary ~30% between runs on
a small machine; compare in interleaved runs (``--runs N`` measures N fresh processes per size and
reports the median of each figure). The measured process runs with the bytecode cache written
first, as an installed program has it (PYTHONDONTWRITEBYTECODE is dropped for it).

``--json`` prints one JSON object: ``machine``, ``load_average`` (before, after) and ``sizes``, a
list with per catalog size: ``assets``, ``first_screen_from_start_s``,
``first_screen_from_window_s``, ``search_queries``, ``search_repaint_ms`` and ``full_list_ms``
(lists in the order of the queries), ``search_rows``, ``scroll_grid_longest_block_ms``,
``scroll_grid_p99_gap_ms``, ``scroll_table_longest_block_ms``, ``scroll_table_p99_gap_ms``,
``rss_mb``, ``rss_peak_mb``, ``cpu_s`` (the window process's CPU time), and ``each_run`` (the
same figures of every run when ``--runs`` > 1). On a shared machine the wall-clock figures grow
with the load; beside them, the process's CPU time (every thread): ``first_screen_cpu_s``,
``search_repaint_cpu_ms``, ``full_list_cpu_ms``, and ``scroll_grid_longest_block_cpu_ms``,
``scroll_grid_p99_gap_cpu_ms`` (and ``scroll_table_...``): the most (and the 99th percentile of)
CPU time the process used between two ticks of the 5 ms timer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROCESS_START = time.time()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")

FIRST = ["Mark", "Andrzej", "Ursula", "Jens", "Emmanuel", "Olaf", "Giorgia", "Pedro", "Ulf", "Petr",
         "Kaja", "Alexander", "Donald", "Viktor", "Mette", "Keir", "Volodymyr", "Antonio"]
LAST = ["Rutte", "Duda", "von der Leyen", "Stoltenberg", "Macron", "Scholz", "Meloni", "Sánchez",
        "Kristersson", "Pavel", "Kallas", "Stubb", "Tusk", "Orbán", "Frederiksen", "Starmer",
        "Zelenskyy", "Costa"]
PLACES = [("Brussels", "Belgium"), ("Vilnius", "Lithuania"), ("Warsaw", "Poland"), ("Madrid", "Spain"),
          ("Washington", "United States"), ("Riga", "Latvia"), ("Tallinn", "Estonia"),
          ("Sarajevo", "Bosnia and Herzegovina"), ("Luleå", "Sweden"), ("The Hague", "Netherlands")]
EVENTS = ["Summit", "Defence ministers meeting", "Press conference", "Visit", "Exercise",
          "Foreign ministers meeting", "Doorstep statement", "Bilateral meeting"]


# -- catalog generation ---------------------------------------------------------------------
def make_thumbnails(folder: Path, count: int = 24) -> list[Path]:
    from PIL import Image, ImageDraw

    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        image = Image.new("RGB", (256, 171), (30 + n * 9 % 200, 60 + n * 5 % 150, 120))
        draw = ImageDraw.Draw(image)
        draw.rectangle((40 + n * 3, 50, 120 + n * 3, 160), fill=(220, 220, 225))
        draw.ellipse((60 + n * 3, 20, 100 + n * 3, 60), fill=(230, 190, 160))
        path = folder / f"t{n}.jpg"
        image.save(path, quality=85)
        files.append(path)
    return files


def generate(path: Path, size: int) -> None:
    from mediadesk.catalog.connection import Catalog
    from mediadesk.catalog.dialect.sqlite_fts import rebuild_index

    rng = random.Random(size)
    started = time.monotonic()
    thumbs = make_thumbnails(path.parent / f"thumb-sources-{size}")
    with Catalog(path) as catalog:
        conn = catalog.conn
        conn.execute("PRAGMA synchronous = OFF")
        galleries = max(1, size // 200)
        with catalog.transaction():
            conn.executemany(
                "INSERT INTO galleries (id, title, date, place, created_at) VALUES (?, ?, ?, ?, ?)",
                [(g + 1, f"{EVENTS[g % len(EVENTS)]} {PLACES[g % len(PLACES)][0]} #{g + 1}",
                  f"20{15 + g % 11}-{1 + g % 12:02d}-{1 + g % 28:02d}", PLACES[g % len(PLACES)][0],
                  "2025-01-01T00:00:00Z") for g in range(galleries)])
            rows, links = [], []
            with_thumb = max(3000, size // 300)
            for i in range(1, size + 1):
                # ids 1..with_thumb are the newest and have thumbnails; so does every 300th
                newest = i <= with_thumb
                year = 2025 - (i * 11 // size)
                date = (f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                        f"T{rng.randint(7, 20):02d}:{rng.randint(0, 59):02d}:00+01:00")
                if newest:
                    date = f"2026-{1 + (with_thumb - i) * 12 // with_thumb:02d}-15T10:{i % 60:02d}:00+01:00"
                a, b = rng.sample(range(len(LAST)), 2)
                person_a, person_b = f"{FIRST[a]} {LAST[a]}", f"{FIRST[b]} {LAST[b]}"
                city, country = PLACES[i % len(PLACES)]
                event = EVENTS[i % len(EVENTS)]
                video = i % 20 == 0
                chash = f"{i:064x}"
                has_thumb = newest or i % 300 == 0
                caption = (f"{person_a} and {person_b} during the {event.lower()} in {city}, {country}"
                           + ("" if i % 10 else f". Frame {i}."))
                rows.append((
                    chash,
                    f"/archive/{year}/{event.replace(' ', '_')}_{i // 500}/IMG_{i:07d}.{'mp4' if video else 'jpg'}",
                    f"IMG_{i:07d}.{'mp4' if video else 'jpg'}", 2_000_000 + i, 1_700_000_000.0 + i,
                    "video" if video else "photo", "MP4" if video else "JPEG", 6000, 4000,
                    rng.uniform(20, 600) if video else None, date, f"{event} in {city}",
                    None if i % 37 == 0 else caption, json.dumps(["NATO", event, city]),
                    json.dumps([person_a, person_b]), city, country, f"Photographer {i % 40}", "NATO",
                    None if i % 23 == 0 else 1, '{"caption": "xmp", "title": "iim"}',
                    1 if has_thumb else 0, "2025-06-01T00:00:00Z", "2025-06-01T00:00:00Z"))
                links.append((1 + (i - 1) % galleries, i, i))
                if has_thumb:
                    target = catalog.thumbnail_path(chash)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(thumbs[i % len(thumbs)], target)
                if len(rows) >= 20000:
                    _flush(conn, rows, links)
            _flush(conn, rows, links)
            rebuild_index(conn)   # rows inserted directly: the stores keep the search index otherwise
    # (on stderr: with --json, stdout is the one JSON object)
    print(f"  generated {size:,} assets in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)


def _flush(conn, rows, links) -> None:
    conn.executemany(
        "INSERT INTO assets (content_hash, path, file_name, size, mtime, kind, format, width, height,"
        " duration, date_created, title, caption, keywords, people, city, country, creator, credit,"
        " rights_profile_id, field_sources, has_thumbnail, imported_at, modified_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO gallery_assets (gallery_id, asset_id, position) VALUES (?, ?, ?)", links)
    rows.clear()
    links.clear()


# -- measuring the window (runs in a fresh process) ------------------------------------------
def measure(catalog_path: str, process_start: float) -> dict:
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from mediadesk.app import create_main_window

    from mediadesk.ui import asset_model

    def thumbnail_key(row: int) -> str | None:
        """The row's thumbnail key if it has one (the display row where the model has it; the
        Asset on older versions, so before/after runs measure the same thing)."""
        index = window.model.index(row, 0)
        if hasattr(asset_model, "ROW_ROLE"):
            item = index.data(asset_model.ROW_ROLE)
            return item[asset_model.R_HASH] if item is not None and item[asset_model.R_HAS_THUMB] else None
        asset = index.data(asset_model.ASSET_ROLE)
        return asset.content_hash if asset is not None and asset.has_thumbnail else None

    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    figures: dict = {}
    created = time.time()
    window = create_main_window(catalog_path, settings)
    window.resize(1400, 900)
    window.show()

    def visible_rows(view) -> list[int]:
        rows = []
        viewport = view.viewport().rect()
        first = view.indexAt(viewport.topLeft() + viewport.topLeft().__class__(5, 5))
        start = first.row() if first.isValid() else 0
        for row in range(start, min(start + 400, window.model.rowCount())):
            rect = view.visualRect(window.model.index(row, 0))
            if rect.top() > viewport.bottom():
                break
            if rect.intersects(viewport):
                rows.append(row)
        return rows

    def rows_loaded(view) -> bool:
        return all(window.model.is_loaded(row) for row in visible_rows(view))

    def first_screen_ready() -> bool:
        if window.model.rowCount() == 0 or not rows_loaded(window.grid):
            return False
        for row in visible_rows(window.grid):
            key = thumbnail_key(row)
            if key is not None and not window.loader.is_cached(key):
                return False
        return True

    def wait(condition, timeout=120.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            if time.monotonic() > end:
                raise SystemExit("timed out waiting for the window")
            time.sleep(0.001)

    wait(first_screen_ready)
    window.grid.viewport().repaint()
    painted = time.time()
    figures["visible_thumbnails"] = sum(1 for r in visible_rows(window.grid) if thumbnail_key(r) is not None)
    figures["startup_from_process_s"] = painted - process_start
    figures["startup_cpu_s"] = time.process_time()   # every thread of the process, since it started
    figures["startup_from_window_s"] = painted - created
    wait(lambda: window.sidebar_data is not None and not window.results.pending)
    figures["rows"] = window.model.rowCount()

    # -- search: result set changes and the view repaints --------------------------------------
    searches = {}
    shown: list[bool] = []
    window.results.results_changed.connect(lambda count, errors, complete: shown.append(complete))
    for text in ("rutte", "kind:video", "people:duda vilnius", "date:2024-03-01..2024-03-31",
                 'gallery:"Summit Brussels #1"', "rights:none", "tallinn exercise", ""):
        window.search.field.setText(text)
        shown.clear()
        cpu0, started = time.process_time(), time.perf_counter()
        window.search._emit()  # the debounce timer's timeout (150 ms after the last key)
        wait(lambda: bool(shown))                               # the new result set is in the view
        wait(lambda: rows_loaded(window.pane.current_view()))   # with its rows, not empty frames
        window.pane.current_view().viewport().repaint()
        first, first_cpu = time.perf_counter() - started, time.process_time() - cpu0
        wait(lambda: not window.results.pending)                # the whole list (count final)
        searches[text or "(all)"] = (round(first * 1000, 1),
                                     round((time.perf_counter() - started) * 1000, 1),
                                     window.model.rowCount(), round(first_cpu * 1000, 1),
                                     round((time.process_time() - cpu0) * 1000, 1))
    figures["search_ms"] = searches

    # -- scrolling end to end with an event-loop block monitor -------------------------------
    def scroll(view, steps: int = 400) -> dict:
        bar = view.verticalScrollBar()
        bar.setValue(0)
        app.processEvents()
        gaps = []
        cpu_gaps = []   # the process's CPU time (every thread) between two ticks
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed(), time.process_time()]

        def tick() -> None:
            now, cpu = clock.elapsed(), time.process_time()
            gaps.append(now - last[0])
            cpu_gaps.append((cpu - last[1]) * 1000)
            last[0], last[1] = now, cpu

        monitor = QTimer()
        monitor.setInterval(5)
        monitor.timeout.connect(tick)
        step = [0]
        done = [False]

        def advance() -> None:
            step[0] += 1
            bar.setValue(bar.maximum() * step[0] // steps)
            if step[0] >= steps:
                done[0] = True
                mover.stop()

        mover = QTimer()
        mover.setInterval(16)
        mover.timeout.connect(advance)
        started = time.perf_counter()
        monitor.start()
        mover.start()
        wait(lambda: done[0], timeout=600)
        end = time.perf_counter() + 0.3
        wait(lambda: time.perf_counter() > end)  # let the last thumbnails land
        monitor.stop()
        gaps.sort()
        cpu_gaps.sort()
        return {"steps": steps, "seconds": round(time.perf_counter() - started, 1),
                "max_block_ms": gaps[-1] if gaps else None,
                "p99_gap_ms": gaps[int(len(gaps) * 0.99)] if gaps else None,
                "max_block_cpu_ms": round(cpu_gaps[-1], 1) if cpu_gaps else None,
                "p99_gap_cpu_ms": round(cpu_gaps[int(len(cpu_gaps) * 0.99)], 1) if cpu_gaps else None,
                "at_end": bar.value() == bar.maximum()}

    figures["scroll_grid"] = scroll(window.grid)
    window.set_table_mode(True)
    app.processEvents()
    figures["scroll_table"] = scroll(window.table)
    window.set_table_mode(False)

    status = Path("/proc/self/status").read_text()
    for key in ("VmRSS", "VmHWM"):
        line = next(ln for ln in status.splitlines() if ln.startswith(key))
        figures[f"{key}_MB"] = round(int(line.split()[1]) / 1024, 1)
    figures["cpu_s"] = round(time.process_time(), 2)
    window.shutdown()
    return figures


def stable(size: int, f: dict) -> dict:
    """The figures of one run under the keys scripts read (see the module's docstring)."""
    queries = list(f["search_ms"])
    return {
        "assets": size,
        "rows": f["rows"],
        "first_screen_from_start_s": round(f["startup_from_process_s"], 3),
        "first_screen_from_window_s": round(f["startup_from_window_s"], 3),
        "first_screen_cpu_s": round(f["startup_cpu_s"], 3),
        "visible_thumbnails": f["visible_thumbnails"],
        "search_queries": queries,
        "search_repaint_ms": [f["search_ms"][q][0] for q in queries],
        "full_list_ms": [f["search_ms"][q][1] for q in queries],
        "search_rows": [f["search_ms"][q][2] for q in queries],
        "search_repaint_cpu_ms": [f["search_ms"][q][3] for q in queries],
        "full_list_cpu_ms": [f["search_ms"][q][4] for q in queries],
        "scroll_grid_longest_block_ms": f["scroll_grid"]["max_block_ms"],
        "scroll_grid_p99_gap_ms": f["scroll_grid"]["p99_gap_ms"],
        "scroll_table_longest_block_ms": f["scroll_table"]["max_block_ms"],
        "scroll_table_p99_gap_ms": f["scroll_table"]["p99_gap_ms"],
        "scroll_grid_longest_block_cpu_ms": f["scroll_grid"]["max_block_cpu_ms"],
        "scroll_grid_p99_gap_cpu_ms": f["scroll_grid"]["p99_gap_cpu_ms"],
        "scroll_table_longest_block_cpu_ms": f["scroll_table"]["max_block_cpu_ms"],
        "scroll_table_p99_gap_cpu_ms": f["scroll_table"]["p99_gap_cpu_ms"],
        "scroll_reached_the_end": f["scroll_grid"]["at_end"] and f["scroll_table"]["at_end"],
        "rss_mb": f["VmRSS_MB"],
        "rss_peak_mb": f["VmHWM_MB"],
        "cpu_s": f["cpu_s"],
    }


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over the runs (lists element by element)."""
    import statistics

    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, bool) or key in ("assets", "rows", "search_queries", "search_rows"):
            continue
        if isinstance(value, list):
            out[key] = [statistics.median(r[key][i] for r in runs) for i in range(len(value))]
        elif isinstance(value, (int, float)):
            out[key] = statistics.median(r[key] for r in runs)
    out["scroll_reached_the_end"] = all(r["scroll_reached_the_end"] for r in runs)
    if len(runs) > 1:
        out["each_run"] = runs
    return out


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # an installed program has its bytecode cached
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description="mediadesk window benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "mediadesk-bench"))
    parser.add_argument("--runs", type=int, default=1, help="fresh window processes per size (medians reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--measure", help=argparse.SUPPRESS)          # child process mode
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print("FIGURES " + json.dumps(measure(args.measure, args.started or PROCESS_START)), flush=True)
        return 0
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _measure import loadavg, machine_summary

    say = (lambda *a, **k: print(*a, **k, file=sys.stderr)) if args.json else print
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    load_before = loadavg()
    say(f"machine: {machine_summary()}; load average {load_before:.1f}")
    # the bytecode cache, as an installed program has it (not counted in the first run)
    subprocess.run([sys.executable, "-c", "import mediadesk.app, mediadesk.ui.main_window"], env=child_env(),
                   capture_output=True)
    results = []
    for size in args.sizes:
        path = workdir / f"bench-{size}.mediadesk"
        if not path.exists():
            say(f"generating a catalog of {size:,} assets in {path} …", flush=True)
            partial = path.with_name(path.name + ".partial")
            for leftover in workdir.glob(partial.name + "*"):
                leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
            generate(partial, size)
            for suffix in ("", "-wal", "-shm"):
                if Path(str(partial) + suffix).exists():
                    os.replace(str(partial) + suffix, str(path) + suffix)
            thumbs = partial.with_name(partial.name + ".thumbs")
            os.replace(thumbs, path.with_name(path.name + ".thumbs"))
        runs = []
        for _ in range(args.runs):
            started = time.time()
            out = subprocess.run([sys.executable, __file__, "--measure", str(path), "--started", str(started)],
                                 capture_output=True, text=True, env=child_env())
            line = next((ln for ln in out.stdout.splitlines() if ln.startswith("FIGURES ")), None)
            if line is None:
                print(out.stdout, out.stderr, file=sys.stderr)
                return 1
            figures = json.loads(line[len("FIGURES "):])
            if not args.json:
                report(size, figures)
            runs.append(stable(size, figures))
        results.append(median_of(runs))
        if args.runs > 1 and not args.json:
            m = results[-1]
            print(f"\nmedian of {args.runs} runs: first screen {m['first_screen_from_start_s']:.2f} s; "
                  f"search repaint {max(m['search_repaint_ms']):.0f} ms at most; whole list "
                  f"{max(m['full_list_ms']):.0f} ms at most; scroll grid {m['scroll_grid_longest_block_ms']} ms "
                  f"(p99 {m['scroll_grid_p99_gap_ms']}), table {m['scroll_table_longest_block_ms']} ms "
                  f"(p99 {m['scroll_table_p99_gap_ms']}); {m['rss_mb']} MB")
    if args.json:
        print(json.dumps({"machine": machine_summary(), "load_average": [load_before, loadavg()],
                          "sizes": results}, indent=1))
    return 0


def report(size: int, f: dict) -> None:
    print(f"\n== {size:,} assets ({f['rows']:,} shown) ==")
    print(f"first screen of thumbnails painted: {f['startup_from_process_s']:.2f} s from process start, "
          f"{f['startup_from_window_s']:.2f} s from window creation ({f['visible_thumbnails']} thumbnails; "
          f"process CPU {f['startup_cpu_s']:.2f} s)")
    print("search -> repainted with the new results (ms) / whole list read (ms) / results / CPU of each (ms):")
    for text, (ms, full, rows, ms_cpu, full_cpu) in f["search_ms"].items():
        print(f"  {text:32s} {ms:8.1f} ms {full:8.1f} ms  {rows:>9,}  cpu {ms_cpu:7.1f} / {full_cpu:7.1f} ms")
    for name in ("scroll_grid", "scroll_table"):
        s = f[name]
        print(f"{name.replace('_', ' ')} end to end ({s['steps']} steps, {s['seconds']} s): "
              f"longest event-loop block {s['max_block_ms']} ms, p99 gap {s['p99_gap_ms']} ms "
              f"(CPU between ticks: most {s['max_block_cpu_ms']} ms, p99 {s['p99_gap_cpu_ms']} ms), "
              f"reached the end: {s['at_end']}")
    print(f"memory: {f['VmRSS_MB']} MB resident, peak {f['VmHWM_MB']} MB")


if __name__ == "__main__":
    raise SystemExit(main())
