#!/usr/bin/env python3
"""Import throughput: mediadesk against a naive Pillow baseline and exiftool, on one corpus.

    python benchmarks/bench_import.py [--big 200] [--small 600] [--corpus DIR] [--keep]

1. mediadesk import of the 24 MP set into a fresh catalog, through ``import_paths`` (what the CLI
   and the window call) and once through the CLI in a subprocess (start-up included):
   files/s, MB/s, peak memory of the whole process tree (main + spawned workers, VmRSS summed
   and PSS summed, sampled every 50 ms).
2. The same for the 3 MP set.
3. Naive baseline: read + sha256 + Pillow full decode + 256 px thumbnail (no draft) + JPEG
   encode, sequential and in a 2-process pool (and the same with draft, for reference).
4. exiftool: ``exiftool -j -fast DIR`` (one process) and one process per file.
5. Where the time goes: one process, per-file cost of each step of the worker and the writer.

Cold runs drop the page cache first (``sync; echo 3 > /proc/sys/vm/drop_caches``, root only);
when that is not possible only warm figures are printed.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import io
import json
import multiprocessing
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from _measure import CpuMeter, TreeSampler, drop_caches, machine_summary, table, timed, wait_quiet  # noqa: E402
from corpus import load_or_make  # noqa: E402

PY = sys.executable
TARGETS = {"big": 22.0, "small": 150.0}
MEM_TARGET_MB = 500.0

RESULTS: list[dict] = []


def _files(folder: str) -> list[str]:
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".jpg"))


def _mb(paths: list[str]) -> float:
    return sum(os.path.getsize(p) for p in paths) / 1e6


def record(label: str, set_name: str, cache: str, n: int, seconds: float, mb: float,
           sampler: TreeSampler | None = None, note: str = "", cpu: CpuMeter | None = None,
           parallel: int = 1) -> dict:
    """One result row. With ``cpu``: CPU ms per file (all processes) and the rate the same CPU
    work would give on an otherwise idle machine with ``parallel`` busy cores (an estimate)."""
    cores = min(parallel, os.cpu_count() or 1)
    if cpu is not None and sampler is not None:  # the memory sampler's own CPU is not the import's
        cpu.cpu = max(0.0, cpu.cpu - sampler.cpu_s)
    row = {"what": label, "set": set_name, "cache": cache, "files": n, "seconds": seconds,
           "files_s": n / seconds if seconds else 0.0, "mb_s": mb / seconds if seconds else 0.0,
           "rss_mb": sampler.peak_rss_mb if sampler else None,
           "pss_mb": sampler.peak_pss_mb if sampler else None,
           "procs": sampler.peak_procs if sampler else None, "note": note,
           "cpu_ms": cpu.cpu / n * 1000 if cpu and n else None,
           "idle_est": (cores * n / cpu.cpu) if cpu and cpu.cpu else None,
           "contention": cpu.contention if cpu else None, "load": cpu.load if cpu else None}
    RESULTS.append(row)
    mem = f", peak RSS {row['rss_mb']:.0f} MB / PSS {row['pss_mb']:.0f} MB ({row['procs']} procs)" if sampler else ""
    cpu_txt = (f", CPU {row['cpu_ms']:.0f} ms/file (~{row['idle_est']:.1f} files/s on {cores} idle cores), "
               f"CPU pressure {row['contention']:.0%}, load {row['load']:.1f}") if cpu else ""
    print(f"  {label} [{set_name}, {cache}]: {n} files in {seconds:.2f} s = {row['files_s']:.1f} files/s, "
          f"{row['mb_s']:.0f} MB/s{mem}{cpu_txt} {note}", flush=True)
    return row


# -- 1/2: mediadesk import ------------------------------------------------------------------------
def bench_import_api(folder: str, work: str, set_name: str, cache: str, workers: int | None) -> dict:
    from mediadesk.catalog.connection import Catalog
    from mediadesk.services.importer import import_paths

    paths = _files(folder)
    cat_path = os.path.join(work, f"api-{set_name}-{cache}-{time.monotonic_ns()}.mdcat")
    catalog = Catalog(cat_path)
    with TreeSampler() as sampler, CpuMeter() as t:
        report = import_paths(catalog, [folder], workers=workers)
    catalog.close()
    if report.imported != len(paths) or report.failed:
        print(f"  !! imported {report.imported} of {len(paths)}, failed {report.failed}: {report.errors[:3]}")
    return record("mediadesk import_paths", set_name, cache, report.imported, t.wall, _mb(paths), sampler,
                  f"(report.seconds {report.seconds:.2f})", cpu=t, parallel=workers or os.cpu_count() or 2)


def bench_import_cli(folder: str, work: str, set_name: str, cache: str) -> dict:
    paths = _files(folder)
    cat_path = os.path.join(work, f"cli-{set_name}-{cache}-{time.monotonic_ns()}.mdcat")
    cmd = [PY, "-m", "mediadesk", "--catalog", cat_path, "import", folder, "--json"]
    with CpuMeter() as t:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = TreeSampler(proc.pid).start()
        out, err = proc.communicate()
        sampler.stop()
    try:
        if proc.returncode != 0:
            raise ValueError(f"exit status {proc.returncode}")
        rep = json.loads(out)
    except ValueError as exc:
        print(f"  !! CLI run failed ({exc}); stdout starts {out[:200]!r}; stderr ends {err[-500:]!r}")
        return {}
    return record("mediadesk CLI (subprocess)", set_name, cache, rep["imported"], t.wall, _mb(paths), sampler,
                  f"(report.seconds {rep['seconds']:.2f})", cpu=t, parallel=os.cpu_count() or 2)


# -- 3: naive baseline ----------------------------------------------------------------------------
def naive_one(path: str, draft: bool = False) -> int:
    from PIL import Image

    with open(path, "rb") as fh:
        data = fh.read()
    hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(data)) as im:
        if draft:
            im.draft("RGB", (256, 256))
        im.load()
        im.thumbnail((256, 256))
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=85)
    return len(data)


def _naive_draft(path: str) -> int:
    return naive_one(path, True)


def bench_naive(folder: str, set_name: str, cache: str, procs: int, draft: bool = False) -> dict:
    paths = _files(folder)
    label = f"naive Pillow {'draft' if draft else 'full decode'}+thumb+sha256, {procs} proc"
    fn = _naive_draft if draft else naive_one
    with TreeSampler() as sampler, CpuMeter() as t:
        if procs == 1:
            for p in paths:
                fn(p)
        else:
            with ProcessPoolExecutor(procs, mp_context=multiprocessing.get_context("spawn")) as pool:
                list(pool.map(fn, paths, chunksize=2))
    return record(label, set_name, cache, len(paths), t.wall, _mb(paths), sampler, cpu=t, parallel=procs)


# -- 4: exiftool ----------------------------------------------------------------------------------
def bench_exiftool(folder: str, set_name: str, cache: str, per_file: int = 20) -> list[dict]:
    paths = _files(folder)
    rows = []
    with CpuMeter() as t:
        out = subprocess.run(["exiftool", "-j", "-fast", folder], capture_output=True, check=True).stdout
    n = len(json.loads(out))
    rows.append(record("exiftool -j -fast DIR (1 process)", set_name, cache, n, t.wall, _mb(paths), cpu=t))
    if cache == "warm":
        sample = paths[:per_file]
        with CpuMeter() as t:
            for p in sample:
                subprocess.run(["exiftool", "-j", "-fast", p], capture_output=True, check=True)
        rows.append(record("exiftool -j -fast FILE (process per file)", set_name, cache, len(sample),
                           t.wall, _mb(sample), note=f"= {t.wall / len(sample) * 1000:.0f} ms/file", cpu=t))
    return rows


# -- 5: where the time goes -----------------------------------------------------------------------
def profile_steps(folder: str, work: str, set_name: str, n: int) -> dict[str, float]:
    """Per-file cost (ms) of each step the worker and writer do, in one process, warm cache."""
    from PIL import Image

    from mediadesk.catalog.assets import AssetStore
    from mediadesk.catalog.connection import Catalog
    from mediadesk.media.images import read_image_stores
    from mediadesk.media.reconcile import reconcile
    from mediadesk.media.sidecar import read_sidecar_fields
    from mediadesk.media.thumbnails import THUMB_QUALITY, THUMB_SIZE, open_image, write_thumbnail
    from mediadesk.services.import_worker import process_file

    paths = _files(folder)[:n]
    thumbs = tempfile.mkdtemp(dir=work, prefix="prof-thumbs-")
    acc: dict[str, float] = {}
    records = []
    for path in paths:
        with timed(acc, "read file"), open(path, "rb") as fh:
            data = fh.read()
        with timed(acc, "sha256"):
            digest = hashlib.sha256(data).hexdigest()
        with timed(acc, "metadata: pyexiv2 + JPEG scan (read_image_stores)"):
            stores = read_image_stores(data, "JPEG")
        with timed(acc, "metadata: sidecar lookup + reconcile"):
            sidecar, _w = read_sidecar_fields(path)
            reconcile(exif=stores.exif, iim=stores.iim, xmp=stores.xmp, sidecar=sidecar,
                      digest_current=stores.digest_current, digest_stored=stores.digest_stored)
        with timed(acc, "thumb: Image.open (header, size check)"), open_image(data, stores.size) as im:
            _ = im.size
        with timed(acc, "thumb: open again + draft + decode at 1/8"):
            im = open_image(data, stores.size)
            im.draft("RGB", (THUMB_SIZE, THUMB_SIZE))
            im.load()
        with timed(acc, "thumb: resize to 256 px"):
            im.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
        with timed(acc, "thumb: JPEG encode"):
            buf = io.BytesIO()
            im.convert("RGB").save(buf, "JPEG", quality=THUMB_QUALITY)
        target = os.path.join(thumbs, digest[:2], digest + ".jpg")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with timed(acc, "thumb: write (atomic: fsync file + dir)"):
            write_thumbnail(target, buf.getvalue())
        with timed(acc, "(ref) thumb write without fsync"), open(target + ".nofsync", "wb") as fh:
            fh.write(buf.getvalue())
        with timed(acc, "(ref) full decode, no draft"), open_image(data, stores.size) as im2:
            im2.load()
    # the whole worker function, as the pool runs it (new thumbs dir: thumbnails are written)
    thumbs2 = tempfile.mkdtemp(dir=work, prefix="prof-thumbs2-")
    t0 = time.perf_counter()
    for path in paths:
        records.append(process_file(path, "photo", thumbs2))
    acc["= process_file() total (measured separately)"] = time.perf_counter() - t0
    with timed(acc, "pickle record out of worker (dumps+loads)"):
        for r in records:
            pickle.loads(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL))
    # the writer: batches of 64 rows, one transaction each, synchronous=FULL as the importer runs
    cat = Catalog(os.path.join(work, f"prof-{set_name}.mdcat"))
    store = AssetStore(cat)
    t0 = time.perf_counter()
    for start in range(0, len(records), 64):
        with cat.transaction():
            for r in records[start:start + 64]:
                existing = store.by_hash(r["content_hash"])
                assert existing is None
                store.insert(r)
    acc["writer: by_hash + insert + FTS trigger + commit (64/batch)"] = time.perf_counter() - t0
    cat.close()
    ms = {k: v / len(paths) * 1000 for k, v in acc.items()}
    return ms


def spawn_cost(work: str) -> float:
    """Seconds from creating a 2-worker spawn pool to both workers having imported the worker module."""
    from mediadesk.workers import WorkerPool

    t0 = time.perf_counter()
    with WorkerPool(2, label="bench") as pool:
        tasks = [pool.submit(_import_worker_module) for _ in range(2)]
        for task in tasks:
            task.result()
    return time.perf_counter() - t0


def _import_worker_module() -> int:
    import mediadesk.services.import_worker  # noqa: F401

    time.sleep(0.05)  # so both workers get one
    return os.getpid()


# -- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--big", type=int, default=200)
    p.add_argument("--small", type=int, default=600)
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (made if missing or too small; kept)")
    p.add_argument("--keep", action="store_true", help="keep the temporary corpus and catalogs")
    p.add_argument("--workers", type=int, default=None, help="importer workers (default: one per core)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip", default="", help="comma list of sections to skip: import,cli,naive,exiftool,profile")
    p.add_argument("--profile-files", type=int, default=40)
    p.add_argument("--wait-quiet", type=float, default=120, metavar="S",
                   help="before each run wait up to S s for CPU pressure < 25%% (shared machine); 0: don't")
    a = p.parse_args(argv)
    skip = set(filter(None, a.skip.split(",")))

    print(f"machine: {machine_summary()}")
    tmp_root = tempfile.mkdtemp(prefix="mediadesk-bench-")
    if not a.keep:  # also after an error or Ctrl-C
        atexit.register(shutil.rmtree, tmp_root, True)
    corpus_dir = a.corpus or os.path.join(tmp_root, "corpus")
    work = os.path.join(tmp_root, "work")
    os.makedirs(work)
    t0 = time.perf_counter()
    manifest = load_or_make(corpus_dir, a.big, a.small, 0, a.seed)
    print(f"corpus ready in {time.perf_counter() - t0:.1f} s")

    # the requested counts: a reused, bigger corpus is trimmed by linking the first N files
    sets: dict[str, str] = {}
    for name, count in (("big", a.big), ("small", a.small)):
        if count <= 0:
            continue
        src = manifest["sets"][name]["dir"]
        files = _files(src)
        if len(files) == count:
            sets[name] = src
        else:
            dst = os.path.join(tmp_root, f"{name}-{count}")
            os.makedirs(dst)
            for f in files[:count]:
                os.link(f, os.path.join(dst, os.path.basename(f)))
            sets[name] = dst
    for name, folder in sets.items():
        files = _files(folder)
        print(f"set {name}: {len(files)} files, {_mb(files):.0f} MB "
              f"({_mb(files) / len(files):.2f} MB each) in {folder}")

    can_drop = drop_caches()
    print(f"page cache drop: {'works (cold and warm runs)' if can_drop else 'not permitted (warm runs only)'}")
    caches = ["cold", "warm"] if can_drop else ["warm"]

    def prepare(cache: str, folder: str) -> None:
        if a.wait_quiet:
            wait_quiet(a.wait_quiet)
        if cache == "cold":
            drop_caches()
        else:  # make sure the files are cached
            for f in _files(folder):
                with open(f, "rb") as fh:
                    while fh.read(1 << 24):
                        pass

    print(f"\nspawn pool start-up (2 workers importing mediadesk.services.import_worker): "
          f"{spawn_cost(work):.2f} s")

    for name, folder in sets.items():
        print(f"\n== {name} set ==", flush=True)
        for cache in caches:
            if "import" not in skip:
                prepare(cache, folder)
                bench_import_api(folder, work, name, cache, a.workers)
            if "cli" not in skip:
                prepare(cache, folder)
                bench_import_cli(folder, work, name, cache)
        if "naive" not in skip:
            for cache in caches:
                for procs in (1, 2):
                    prepare(cache, folder)
                    bench_naive(folder, name, cache, procs)
            prepare("warm", folder)
            bench_naive(folder, name, "warm", 2, draft=True)
        if "exiftool" not in skip:
            for cache in caches:
                prepare(cache, folder)
                bench_exiftool(folder, name, cache)
        # keep the disk from filling with thumbnails of earlier runs
        for f in os.listdir(work):
            full = os.path.join(work, f)
            if not a.keep:
                shutil.rmtree(full) if os.path.isdir(full) else os.unlink(full)

    # -- summary table
    rows = []
    for r in RESULTS:
        rows.append([r["what"], r["set"], r["cache"], r["files"], f"{r['seconds']:.2f}", f"{r['files_s']:.1f}",
                     f"{r['mb_s']:.0f}", "" if r["rss_mb"] is None else f"{r['rss_mb']:.0f}",
                     "" if r["pss_mb"] is None else f"{r['pss_mb']:.0f}",
                     "" if r["cpu_ms"] is None else f"{r['cpu_ms']:.1f}",
                     "" if r["idle_est"] is None else f"{r['idle_est']:.1f}",
                     "" if r["contention"] is None else f"{r['contention']:.0%}"])
    print()
    print(table(["what", "set", "cache", "files", "s", "files/s", "MB/s", "peak RSS MB", "peak PSS MB",
                 "CPU ms/file", "est. files/s idle", "CPU pressure"], rows,
                title=f"Results ({os.cpu_count()} cores). 'est. files/s idle' = busy cores x files / CPU s "
                      "(what the same CPU work gives when nobody else uses the machine; ignores I/O waits)."))

    # -- targets
    print("\nTargets:")
    for name, target in TARGETS.items():
        for r in RESULTS:
            if r["set"] == name and r["what"].startswith("mediadesk"):
                verdict = "PASS" if r["files_s"] >= target else "MISS"
                est = r["idle_est"] or 0.0
                print(f"  {verdict}  {name:>5} {r['what']:<28} {r['cache']:<4} {r['files_s']:6.1f} files/s "
                      f"(target >= {target:.0f}; CPU pressure {r['contention']:.0%}; idle-machine estimate "
                      f"{est:.1f} files/s: {'PASS' if est >= target else 'MISS'})")
    for r in RESULTS:
        if r["what"].startswith("mediadesk") and r["rss_mb"] is not None:
            verdict = "PASS" if r["rss_mb"] < MEM_TARGET_MB else "MISS"
            print(f"  {verdict}  {r['set']:>5} {r['what']:<28} {r['cache']:<4} peak RSS {r['rss_mb']:5.0f} MB "
                  f"(PSS {r['pss_mb']:.0f} MB; target < {MEM_TARGET_MB:.0f} MB)")

    if "profile" not in skip:
        for name, folder in sets.items():
            prepare("warm", folder)
            n = min(a.profile_files if name == "big" else a.profile_files * 3, len(_files(folder)))
            ms = profile_steps(folder, work, name, n)
            total_parts = sum(v for k, v in ms.items() if not k.startswith(("(ref)", "=")))
            rows = [[k, f"{v:.2f}", f"{v / total_parts * 100:.0f}%" if not k.startswith(("(ref)", "=")) else ""]
                    for k, v in ms.items()]
            rows.append(["sum of the steps above (not ref/total)", f"{total_parts:.2f}", "100%"])
            rows.append(["=> one-core ceiling (1000 / process_file ms)",
                         f"{1000 / ms['= process_file() total (measured separately)']:.1f}/s", ""])
            print()
            print(table(["step (one process, warm cache)", "ms/file", "share"], rows,
                        title=f"Where the time goes: {name} set, {n} files"))

    if a.keep:
        print(f"\nkept: {tmp_root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
