"""Batch captioning figures: a template on 10,000 catalog assets and its undo, the same assets
into a gallery and out again (undo), a keyword on all of them; write-back of N 24 MP JPEGs
(files/s).

    python benchmarks/bench_batch.py [--assets 10000] [--writeback 200] [--keep DIR]

Assets for the template run are inserted directly (no files); the write-back run makes 6000x4000
JPEGs (noise and gradients, quality 90) with benchmarks/corpus.py when it exists, else with
Pillow here, imports them, changes their captions in the catalog and writes them back.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.services.edits import apply_edits, undo
from mediadesk.services.gallery_membership import add_to_gallery
from mediadesk.services.importer import import_paths
from mediadesk.services.tagging import add_tags
from mediadesk.services.templates import add_template, apply_template
from mediadesk.services.writeback import writeback

HERE = Path(__file__).resolve().parent


def bench_template(folder: Path, count: int) -> None:
    catalog = open_catalog(folder / "bench.mediadesk")
    store = AssetStore(catalog)
    with catalog.transaction():
        for n in range(count):
            store.insert({
                "content_hash": hashlib.sha256(str(n).encode()).hexdigest(), "path": f"/shoot/f{n:05d}.jpg",
                "file_name": f"f{n:05d}.jpg", "size": 1000, "mtime": 1.0, "kind": "photo", "format": "JPEG",
                "caption": f"Frame {n}", "city": "Brussels", "country": "Belgium",
                "people": ["Mark Rutte", "Andrzej Duda"], "date_created": "2025-06-24T10:00:00+02:00",
            })
    ids = store.all_ids()
    add_template(catalog, "bench", "caption",
                 "{people} in {city}, {country} on {date:%d %B %Y}. {caption} ({seq:05})")
    add_template(catalog, "bench", "keywords", "NATO; summit", mode="append")
    t0 = time.perf_counter()
    result = apply_template(catalog, "bench", ids)
    t1 = time.perf_counter()
    reverted = undo(catalog)
    t2 = time.perf_counter()
    assert result is not None and reverted is not None
    print(f"template on {len(ids)} assets: {t1 - t0:.2f} s ({len(result.preview)} field changes, one operation)")
    print(f"undo of it:                {t2 - t1:.2f} s ({len(reverted.changed)} field changes)")
    with catalog.transaction():
        gallery_id = GalleryStore(catalog).create_unrecorded("Bench gallery")
    t0 = time.perf_counter()
    added = add_to_gallery(catalog, gallery_id, ids)
    t1 = time.perf_counter()
    reverted = undo(catalog)
    t2 = time.perf_counter()
    assert reverted is not None
    print(f"add {added.count} assets to a gallery: {t1 - t0:.2f} s; undo of it: {t2 - t1:.2f} s "
          f"({len(reverted.changed)} assets back out)")
    t0 = time.perf_counter()
    tagged = add_tags(catalog, ids, keywords=["Places|Europe|Belgium|Brussels"])
    print(f"tag add on {len(tagged.assets)} assets:  {time.perf_counter() - t0:.2f} s")
    catalog.close()


def _pillow_jpegs(folder: Path, count: int) -> None:
    from PIL import Image, ImageChops

    folder.mkdir(parents=True, exist_ok=True)
    w, h = 6000, 4000
    gradient = Image.linear_gradient("L").resize((w, h))
    base = Image.merge("RGB", (gradient, gradient.rotate(90, expand=False).resize((w, h)),
                               gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    noise = Image.effect_noise((w, h), 40).convert("RGB")
    image = ImageChops.add(base, noise, scale=1.5)
    first = folder / "big_0000.jpg"
    image.save(first, quality=90)
    data = first.read_bytes()
    for n in range(1, count):  # same pixels, different bytes (a comment segment) so hashes differ
        marker = b"\xff\xfe" + (len(f"bench {n}") + 2).to_bytes(2, "big") + f"bench {n}".encode()
        (folder / f"big_{n:04d}.jpg").write_bytes(data[:2] + marker + data[2:])


def bench_writeback(folder: Path, count: int) -> None:
    pics = folder / "big"
    corpus = HERE / "corpus.py"
    if len(list(pics.rglob("*.jpg"))) >= count:
        pass  # reuse the files of an earlier run (--keep DIR)
    elif corpus.exists():
        subprocess.run([sys.executable, str(corpus), "--out", str(pics), "--big", str(count),
                        "--small", "0", "--videos", "0"], check=True)
    else:
        _pillow_jpegs(pics, count)
    for old in folder.glob("wb.mediadesk*"):
        if old.is_file():
            old.unlink()
    catalog = open_catalog(folder / "wb.mediadesk")
    report = import_paths(catalog, [str(pics)])
    ids = sorted(report.asset_ids)[:count]
    stamp = time.strftime("%H:%M:%S")
    apply_edits(catalog, {i: {"caption": f"Kęstutis Budrys and Aleksandar Vučić in Łódź, frame {i} ({stamp})",
                              "city": "Łódź", "keywords": ["NATO", "Places|Europe|Poland"]} for i in ids})
    size = sum(a.size for a in AssetStore(catalog).get_many(ids)) / len(ids) / 1e6
    t0 = time.perf_counter()
    result = writeback(catalog, ids)
    seconds = time.perf_counter() - t0
    written = result.count("written")
    print(f"write-back of {written} 24 MP JPEGs (~{size:.1f} MB each): {seconds:.2f} s, "
          f"{written / seconds:.1f} files/s ({len(result.failed)} failed)")
    catalog.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--assets", type=int, default=10_000, help="catalog assets (0: skip)")
    parser.add_argument("--writeback", type=int, default=200, metavar="N", help="24 MP JPEGs (0: skip)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temp folder)")
    args = parser.parse_args()
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
        run(folder, args)
    else:
        with tempfile.TemporaryDirectory(prefix="mediadesk-bench-") as tmp:
            run(Path(tmp), args)


def run(folder: Path, args) -> None:
    if args.assets:
        bench_template(folder, args.assets)
    if args.writeback:
        bench_writeback(folder, args.writeback)


if __name__ == "__main__":
    main()
