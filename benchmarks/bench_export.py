"""Benchmark: export N 24-MP originals with embedded rights metadata, against a plain copy.

    python benchmarks/bench_export.py [--count 200] [--corpus DIR] [--workers 2]

Makes (or reuses) a corpus of distinct 24 MP JPEGs (one encoded picture; each copy gets its own
JPEG comment segment, so the files differ but decoding is not the cost), imports them into a
fresh catalog, assigns the editorial-only profile, and prints files/s for a plain copy and for
``run_export`` (originals, metadata embedded in memory, image data proven unchanged, bundle
verified before its rename). Uses ``benchmarks/corpus.py`` when it is there and --corpus is empty.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

from mediadesk.catalog import Catalog
from mediadesk.domain.rights import Purpose
from mediadesk.fsutil import fsync_dir
from mediadesk.media import embed_metadata
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.importer import import_paths

CAPTION = ("NATO Secretary General Mark Rutte welcomes Andrzej Duda, President of Poland, "
           "Kraków and Łódź delegations; Vučić, Đorđević, Šešelj in Brussels")


def _base_jpeg(width: int = 6000, height: int = 4000) -> bytes:
    small = Image.effect_noise((width // 8, height // 8), 60).convert("RGB")
    big = small.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.DETAIL)
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    picture = Image.blend(big, noise, 0.25)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    data, _warnings = embed_metadata(out.getvalue(), {"caption": CAPTION, "creator": "NATO Photo"},
                                     fmt="JPEG")
    return data


def make_corpus(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("bench_*.jpg"))
    if len(existing) >= count:
        return existing[:count]
    print(f"making {count} 24 MP JPEGs in {folder} …", flush=True)
    base = _base_jpeg()
    for n in range(count):
        comment = f"mediadesk benchmark file {n}".encode()
        segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        (folder / f"bench_{n:04d}.jpg").write_bytes(base[:2] + segment + base[2:])
    return sorted(folder.glob("bench_*.jpg"))[:count]


def plain_copy(files: list[Path], dest: Path) -> float:
    dest.mkdir()
    start = time.perf_counter()
    for f in files:
        target = dest / f.name
        shutil.copyfile(f, target)
        with open(target, "rb+") as fh:
            os.fsync(fh.fileno())
    fsync_dir(dest)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "mediadesk-bench-24mp")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    files = make_corpus(args.corpus, args.count)
    mb = sum(f.stat().st_size for f in files) / len(files) / 1e6
    print(f"corpus: {len(files)} files, {mb:.1f} MB each")
    with tempfile.TemporaryDirectory(prefix="mediadesk-bench-") as tmp:
        work = Path(tmp)
        catalog = Catalog(work / "bench.mediadesk")
        t0 = time.perf_counter()
        report = import_paths(catalog, [str(p) for p in files])
        print(f"import: {report.imported} files in {time.perf_counter() - t0:.1f} s")
        ids = [r[0] for r in catalog.conn.execute("SELECT id FROM assets ORDER BY id")]
        apply_edits(catalog, {i: {"rights_profile_id": 1} for i in ids}, description="bench")
        for f in files[:3]:  # warm the page cache like the export will see it
            f.read_bytes()
        copies, exports = [], []
        options = ExportOptions(purpose=Purpose.EDITORIAL_ONLINE, recipient="benchmark")
        for r in range(args.rounds):  # interleaved, the machine is noisy
            copies.append(len(files) / plain_copy(files, work / f"copy{r}"))
            plan = plan_export(catalog, ids, options)
            t0 = time.perf_counter()
            result = run_export(catalog, plan, work / f"bundle{r}", workers=args.workers)
            exports.append(len(result.exported) / (time.perf_counter() - t0))
            if result.failed or len(result.exported) != len(ids):
                print(f"export problem: {result.failed[:3]}", file=sys.stderr)
                return 1
            shutil.rmtree(work / f"copy{r}")
            shutil.rmtree(work / f"bundle{r}")
            print(f"round {r + 1}: plain copy {copies[-1]:.0f} files/s, export {exports[-1]:.1f} files/s")
        catalog.close()
    print(f"plain copy (fsynced): median {statistics.median(copies):.0f} files/s")
    print(f"export originals with embedded metadata ({args.workers} workers): "
          f"median {statistics.median(exports):.1f} files/s "
          f"({statistics.median(exports) / statistics.median(copies):.2f} of plain copy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
