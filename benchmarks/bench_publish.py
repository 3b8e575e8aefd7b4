"""Benchmark: publish N 24-MP photos as a web page, against a naive rendition path; re-publish.

    python benchmarks/bench_publish.py [--count 200] [--corpus DIR] [--workers 2] [--naive-sample N]

Uses the 24 MP corpus of bench_export.py (one encoded camera-like picture, each copy its own
bytes), imports it into a fresh catalog under the editorial profile, then measures, in the same
run on the same files:

- naive: what a straightforward script does, one process: full decode, turn upright, resize the
  full picture to each web width (480, 960, 1600 px) with LANCZOS, encode each, and encode the
  full-size picture as the download; no metadata is embedded (less work than mediadesk does);
- mediadesk: ``run_publish`` into a new folder (the same renditions and downloads, every file
  with the rights note embedded and read back, the page, the ledger entry, staged and renamed);
- re-publish: ``run_publish`` again into the same folder with nothing changed.

The naive path is timed on ``--naive-sample`` files (default: all) and compared per file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_export import make_corpus

from mediadesk.catalog import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.services.edits import apply_edits
from mediadesk.services.importer import import_paths
from mediadesk.services.publish import PublishOptions, plan_publish, run_publish
from mediadesk.services.publish_media import DOWNLOAD_QUALITY, WEB_QUALITY, WEB_WIDTHS

GALLERY = "Benchmark summit"


def naive(files: list[Path], out: Path) -> float:
    out.mkdir()
    start = time.perf_counter()
    for f in files:
        with Image.open(f) as im:
            im.load()
            picture = ImageOps.exif_transpose(im).convert("RGB")
        for width in WEB_WIDTHS:
            height = round(picture.height * width / picture.width)
            small = picture.resize((width, height), Image.Resampling.LANCZOS)
            small.save(out / f"{f.stem}-{width}.jpg", "JPEG", quality=WEB_QUALITY, optimize=True,
                       progressive=True)
        picture.save(out / f"{f.stem}.jpg", "JPEG", quality=DOWNLOAD_QUALITY)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "mediadesk-bench-24mp")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--naive-sample", type=int, default=None,
                    help="time the naive path on this many of the files (default: all)")
    args = ap.parse_args(argv)
    files = make_corpus(args.corpus, args.count)
    print(f"corpus: {len(files)} files, {sum(f.stat().st_size for f in files) / len(files) / 1e6:.1f} MB each")
    with tempfile.TemporaryDirectory(prefix="mediadesk-bench-publish-") as tmp:
        work = Path(tmp)
        catalog = Catalog(work / "bench.mediadesk")
        t0 = time.perf_counter()
        import_paths(catalog, [str(p) for p in files], gallery=GALLERY)
        print(f"import: {time.perf_counter() - t0:.1f} s")
        gallery = GalleryStore(catalog).require(GALLERY)
        ids = GalleryStore(catalog).asset_ids(gallery.id)
        apply_edits(catalog, {i: {"rights_profile_id": 1, "alt_text": "A benchmark picture"} for i in ids},
                    description="bench")
        sample = files[:args.naive_sample or len(files)]
        naive_s = naive(sample, work / "naive")
        naive_rate = len(sample) / naive_s
        print(f"naive (full decode, resize x{len(WEB_WIDTHS)}, full-size download; 1 process): "
              f"{len(sample)} files in {naive_s:.1f} s = {naive_rate:.2f} files/s")
        shutil.rmtree(work / "naive")

        plan = plan_publish(catalog, ids, PublishOptions(), gallery=gallery)
        cpu0 = os.times()
        t0 = time.perf_counter()
        result = run_publish(catalog, plan, work / "site", workers=args.workers)
        publish_s = time.perf_counter() - t0
        cpu = sum(os.times()[:4]) - sum(cpu0[:4])
        if result.left_out or len(result.published) != len(ids):
            print(f"publish problem: {result.left_out[:3]}", file=sys.stderr)
            return 1
        rate = len(ids) / publish_s
        print(f"mediadesk publish ({args.workers} workers): {len(ids)} files in {publish_s:.1f} s = "
              f"{rate:.2f} files/s (CPU {cpu:.0f} s); {rate / naive_rate:.1f}x the naive path")

        t0 = time.perf_counter()
        plan = plan_publish(catalog, ids, PublishOptions(), gallery=gallery)
        again = run_publish(catalog, plan, work / "site", workers=args.workers)
        republish_s = time.perf_counter() - t0
        print(f"re-publish unchanged: {republish_s:.2f} s ({again.files_written} files written; "
              f"target < 2 s)")
        catalog.close()
    ok = rate >= 2 * naive_rate and republish_s < 2
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
