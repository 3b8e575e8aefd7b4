"""Where one step of the table's end-to-end scroll goes (a probe for tuning, not a benchmark).

    QT_QPA_PLATFORM=offscreen python benchmarks/table_scroll_probe.py CATALOG [--profile] [--grid]

Scrolls the table as ``bench_ui.scroll()`` does (400 steps, one every 16 ms, a 5 ms timer
recording gaps) and prints the gaps and CPU gaps, and per event-loop gap over 12 ms what ran in
it: paint events (time, height of the dirty rect), page arrivals (``_on_pages``), ``want_rows`` calls.
``--profile`` runs cProfile over the scroll and prints the top functions (slows everything).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import tempfile
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("catalog")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--profile-paint", action="store_true", help="cProfile inside paint events only")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--wide", action="store_true", help="a 2000 px window, the side panes closed")
    parser.add_argument("--switch-ms", type=float, help="sys.setswitchinterval (the GIL's hand-over)")
    args = parser.parse_args()
    if args.switch_ms:
        sys.setswitchinterval(args.switch_ms / 1000)

    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from mediadesk.app import create_main_window

    from mediadesk.ui import asset_model, table_view

    events: list[tuple[str, float, float, int]] = []   # (what, start, duration ms, a count)

    view_cls = table_view.AssetTableView
    orig_paint = view_cls.paintEvent

    paint_profiler = cProfile.Profile() if args.profile_paint else None

    def paint_event(self, event):
        t0, c0 = time.perf_counter(), time.thread_time()
        if paint_profiler is not None:
            paint_profiler.enable()
        orig_paint(self, event)
        if paint_profiler is not None:
            paint_profiler.disable()
        events.append(("paint", t0, (time.perf_counter() - t0) * 1000, event.rect().height()))
        events.append(("paintcpu", t0, (time.thread_time() - c0) * 1000, event.rect().height()))

    view_cls.paintEvent = paint_event  # type: ignore[method-assign]
    orig_on_pages = asset_model.AssetModel._on_pages

    def on_pages(self, pages, generation, replace=False):
        t0 = time.perf_counter()
        orig_on_pages(self, pages, generation, replace)
        events.append(("pages", t0, (time.perf_counter() - t0) * 1000, len(pages)))

    asset_model.AssetModel._on_pages = on_pages  # type: ignore[method-assign]
    orig_want = asset_model.AssetModel.want_rows

    def want_rows(self, first, last):
        t0 = time.perf_counter()
        orig_want(self, first, last)
        events.append(("want", t0, (time.perf_counter() - t0) * 1000, last - first))

    asset_model.AssetModel.want_rows = want_rows  # type: ignore[method-assign]

    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = create_main_window(args.catalog, settings)
    window.resize(1400, 900)
    window.show()

    def wait(condition, timeout=120.0) -> None:
        end = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            if time.monotonic() > end:
                raise SystemExit("timed out")
            time.sleep(0.001)

    wait(lambda: window.model.rowCount() > 0 and not window.results.pending)
    end = time.monotonic() + 1.0
    wait(lambda: time.monotonic() > end)
    if args.wide:
        window.resize(2000, 900)
        window.main.setSizes([0, 2000, 0])
    if not args.grid:
        window.set_table_mode(True)
    app.processEvents()
    view = window.grid if args.grid else window.table
    bar = view.verticalScrollBar()
    bar.setValue(0)
    app.processEvents()
    events.clear()
    gc_started = [0.0, 0.0]
    gui_thread = threading.get_ident()

    def on_gc(phase, info):   # (count: the collection's CPU ms; "-worker": on another thread)
        if phase == "start":
            gc_started[:] = [time.perf_counter(), time.thread_time()]
        else:
            where = "" if threading.get_ident() == gui_thread else "-worker"
            events.append((f"gc{info['generation']}{where}", gc_started[0],
                           (time.perf_counter() - gc_started[0]) * 1000,
                           round((time.thread_time() - gc_started[1]) * 1000)))

    gc.callbacks.append(on_gc)
    ticks: list[tuple[float, float, float]] = []   # (time, gap ms, cpu ms)
    clock = QElapsedTimer()
    clock.start()
    last = [time.perf_counter(), time.process_time()]

    def tick() -> None:
        now, cpu = time.perf_counter(), time.process_time()
        ticks.append((now, (now - last[0]) * 1000, (cpu - last[1]) * 1000))
        last[0], last[1] = now, cpu

    monitor = QTimer()
    monitor.setInterval(5)
    monitor.timeout.connect(tick)
    step = [0]
    done = [False]

    def advance() -> None:
        step[0] += 1
        t0 = time.perf_counter()
        bar.setValue(bar.maximum() * step[0] // args.steps)
        events.append(("step", t0, (time.perf_counter() - t0) * 1000, step[0]))
        if step[0] >= args.steps:
            done[0] = True
            mover.stop()

    mover = QTimer()
    mover.setInterval(16)
    mover.timeout.connect(advance)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    monitor.start()
    mover.start()
    wait(lambda: done[0], timeout=600)
    end = time.monotonic() + 0.3
    wait(lambda: time.monotonic() > end)
    monitor.stop()
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    if paint_profiler is not None:
        pstats.Stats(paint_profiler).sort_stats("tottime").print_stats(20)
    gaps = sorted(g for _, g, _ in ticks)
    cpus = sorted(c for _, _, c in ticks)
    print(f"gaps: max {gaps[-1]:.1f} p99 {gaps[int(len(gaps) * .99)]:.1f} p95 {gaps[int(len(gaps) * .95)]:.1f}"
          f" median {gaps[len(gaps) // 2]:.1f}; cpu max {cpus[-1]:.1f} p99 {cpus[int(len(cpus) * .99)]:.1f}")
    collections = [f"gc{n}{where}" for where in ("", "-worker") for n in range(3)]
    for kind in ("paint", "paintcpu", "pages", "want", "step", *collections):
        durations = sorted(d for k, _, d, _ in events if k == kind)
        if durations:
            count = [n for k, _, _, n in events if k == kind]
            print(f"{kind:6s} n={len(durations):4d} total {sum(durations):7.0f} ms  "
                  f"median {durations[len(durations) // 2]:5.1f}"
                  f"  p95 {durations[int(len(durations) * .95)]:5.1f}  max {durations[-1]:5.1f}  "
                  f"(count: median {sorted(count)[len(count) // 2]} max {max(count)})")
    long_ones = [(t, g) for t, g, _ in ticks if g > 12]
    for t, g in long_ones[:25]:
        start = t - g / 1000
        inside = [f"{k}:{d:.1f}ms/{n}" for k, s, d, n in events if start - 0.001 <= s <= t]
        print(f"gap {g:5.1f} ms: {' '.join(inside)}")
    window.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
