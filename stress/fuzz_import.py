"""Hostile and broken files: mutate real files and import them; nothing may crash, hang or leak.

Seeds: the media files in ../shared/interop (MANIFEST.tsv, kind "media") and generated JPEG (with
Exif, IPTC-IIM and XMP), PNG, TIFF, WebP and MP4 files. Mutators: byte flips, truncations,
JPEG APP1/APP13 segment lengths set to nonsense, huge declared dimensions (PNG IHDR, JPEG SOF),
XMP nested 10,000 levels deep, XML entity expansion ("billion laughs"), external entities that
point at /etc/passwd, 1 MB captions, IPTC-IIM datasets with bogus lengths, MP4 boxes with bogus
sizes. Hostile XMP goes both inside the file and into a sidecar beside it (``name.ext.xmp``).

Each batch of cases is imported with ``import_paths`` (worker processes, a per-file time limit,
the worker memory cap) and checked: the import returns; every case is accounted for by its path
(in the catalog, or in the report's errors, warnings or unsupported files); no text from
/etc/passwd is anywhere in the catalog; the main process stays under a memory cap.

Library use (the tests): ``run_fuzz(cases, seed=..., workdir=...) -> FuzzTally``.
Command line: ``python stress/fuzz_import.py --cases 10000 --seed 1``
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import resource
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTEROP = ROOT.parent / "shared" / "interop"
MEDIA_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".gif", ".heic", ".mp4", ".mov",
                  ".avi", ".mkv", ".mts", ".psd", ".jxl", ".svg", ".cr2", ".nef", ".dng", ".m4a",
                  ".mp3", ".wav"}
MAIN_RSS_CAP_MB = 1500          # the importing process itself
PASSWD = Path("/etc/passwd")


# -- seeds -----------------------------------------------------------------------------------------
def _xmp_packet(body: str, dtd: str = "") -> bytes:
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>{dtd}'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
            f'{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def _caption_xml(text: str) -> str:
    return f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></dc:description>'


def generated_seeds() -> dict[str, bytes]:
    from PIL import Image

    from mediadesk.media import embed_metadata

    def img(mode="RGB", size=(160, 120)):
        im = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else 128)
        im.paste((20, 20, 220) if mode == "RGB" else 20, (0, 0, size[0] // 2, size[1] // 3))
        return im

    out: dict[str, bytes] = {}
    buf = io.BytesIO()
    img().save(buf, "JPEG", quality=85)
    jpeg, _ = embed_metadata(buf.getvalue(), {
        "caption": "Fuzz seed caption with Łódź and café", "usage_terms": "Editorial use only",
        "keywords": ["fuzz", "seed"], "people": ["Mark Rutte"], "city": "Brussels", "credit": "NATO",
        "headline": "Seed", "date_created": "2025-03-06T14:05:00+01:00"})
    out["gen.jpg"] = jpeg
    for fmt, ext in (("PNG", "png"), ("TIFF", "tif"), ("WEBP", "webp")):
        buf = io.BytesIO()
        img().save(buf, fmt)
        try:
            data, _ = embed_metadata(buf.getvalue(), {"caption": f"{fmt} seed caption", "credit": "NATO"})
        except Exception:
            data = buf.getvalue()
        out[f"gen.{ext}"] = data
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "gen.mp4"
            subprocess.run([ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                            "testsrc=size=160x120:rate=10", "-t", "1", "-pix_fmt", "yuv420p",
                            "-metadata", "title=Fuzz seed video", str(target)], capture_output=True)
            if target.exists():
                out["gen.mp4"] = target.read_bytes()
    return out


def interop_seeds(limit_bytes: int = 600_000) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    manifest = INTEROP / "MANIFEST.tsv"
    if not manifest.exists():
        return out
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 6 or cols[5] != "media":
            continue
        path = INTEROP / cols[0]
        if path.suffix.lower() in MEDIA_SUFFIXES and path.is_file() and path.stat().st_size <= limit_bytes:
            out[cols[0].replace("/", "__")] = path.read_bytes()
    return out


# -- mutators --------------------------------------------------------------------------------------
def _jpeg_segments(data: bytes) -> list[tuple[int, int, int]]:
    """(offset of marker, marker byte, length) of each segment before SOS."""
    segs = []
    i = 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xDA:
            break
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        segs.append((i, marker, length))
        i += 2 + length
    return segs


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _app1_xmp(packet: bytes) -> bytes:
    body = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    body = body[:65533]
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def _insert_after_soi(jpeg: bytes, segment: bytes) -> bytes:
    return jpeg[:2] + segment + jpeg[2:]


def m_byte_flips(data: bytes, rnd: random.Random, ext: str):
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 24)):
        pos = rnd.randrange(len(buf))
        buf[pos] = rnd.randrange(256) if rnd.random() < 0.5 else buf[pos] ^ (1 << rnd.randrange(8))
    return bytes(buf), None


def m_header_flips(data: bytes, rnd: random.Random, ext: str):
    """Flips in the first 512 bytes, where the structure lives."""
    buf = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        pos = rnd.randrange(min(512, len(buf)))
        buf[pos] = rnd.randrange(256)
    return bytes(buf), None


def m_truncate(data: bytes, rnd: random.Random, ext: str):
    cut = rnd.choice([rnd.randrange(1, max(2, len(data))), rnd.randrange(1, min(len(data), 600) + 1),
                      len(data) - rnd.randrange(1, min(len(data) - 1, 64) + 1) if len(data) > 2 else 1])
    return data[:max(1, cut)], None


def m_jpeg_segment_length(data: bytes, rnd: random.Random, ext: str):
    if not data.startswith(b"\xff\xd8"):
        return m_header_flips(data, rnd, ext)
    segs = [s for s in _jpeg_segments(data) if s[1] in (0xE1, 0xED, 0xE0, 0xE2, 0xFE)] or _jpeg_segments(data)
    if not segs:
        return m_truncate(data, rnd, ext)
    off, _marker, length = rnd.choice(segs)
    new = rnd.choice([0, 1, 2, 3, 0xFFFF, length + rnd.randint(1, 5000), max(0, length - rnd.randint(1, 40))])
    buf = bytearray(data)
    buf[off + 2:off + 4] = struct.pack(">H", new & 0xFFFF)
    return bytes(buf), None


def m_huge_dimensions(data: bytes, rnd: random.Random, ext: str):
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        w = rnd.choice([0x7FFFFFFF, 1 << 20, 65535, 50000])
        h = rnd.choice([0x7FFFFFFF, 1 << 20, 65535, 50000])
        ihdr = struct.pack(">II", w, h) + data[24:29]
        return data[:8] + _png_chunk(b"IHDR", ihdr) + data[33:], None
    if data.startswith(b"\xff\xd8"):
        buf = bytearray(data)
        for off, marker, _length in _jpeg_segments(data):
            if marker in (0xC0, 0xC1, 0xC2):
                buf[off + 5:off + 9] = struct.pack(">HH", rnd.choice([65535, 65000, 0]), rnd.choice([65535, 60000, 0]))
                return bytes(buf), None
        # baseline SOF may follow DHT/DQT after scanning: look for it directly
        i = data.find(b"\xff\xc0")
        if i > 0:
            buf[i + 5:i + 9] = struct.pack(">HH", 65535, 65535)
            return bytes(buf), None
    return m_header_flips(data, rnd, ext)


def deep_xmp(levels: int = 10_000) -> bytes:
    inner = "<rdf:Description>" * 0
    nest = "".join(f'<dc:x{i % 7}><rdf:Bag><rdf:li rdf:parseType="Resource">' for i in range(levels // 3))
    close = "".join(f'</rdf:li></rdf:Bag></dc:x{(levels // 3 - 1 - i) % 7}>' for i in range(levels // 3))
    return _xmp_packet(inner + nest + "deep" + close)


def billion_laughs() -> bytes:
    ents = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                      for i in range(1, 10)]
    dtd = "<!DOCTYPE x:xmpmeta [" + "".join(ents) + "]>"
    return _xmp_packet(_caption_xml("&lol9;"), dtd)


def external_entity() -> bytes:
    dtd = f'<!DOCTYPE x:xmpmeta [<!ENTITY xxe SYSTEM "file://{PASSWD}">]>'
    return _xmp_packet(_caption_xml("leak:&xxe;") + "<photoshop:Credit>&xxe;</photoshop:Credit>", dtd)


def parameter_entity() -> bytes:
    dtd = (f'<!DOCTYPE x:xmpmeta [<!ENTITY % ext SYSTEM "file://{PASSWD}"> %ext; '
           '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>')
    return _xmp_packet(_caption_xml("param"), dtd)


def long_caption(n: int) -> bytes:
    return _xmp_packet(_caption_xml("Long " + "x" * n))


HOSTILE_XMP = {
    "deep_xmp": lambda: deep_xmp(10_000),
    "billion_laughs": billion_laughs,
    "xxe": external_entity,
    "param_entity": parameter_entity,
    "long_caption_1mb": lambda: long_caption(1 << 20),
}


def m_hostile_xmp(data: bytes, rnd: random.Random, ext: str):
    """Hostile XMP inside the file (JPEG APP1 / PNG iTXt) and/or in a sidecar beside it."""
    kind = rnd.choice(sorted(HOSTILE_XMP))
    packet = HOSTILE_XMP[kind]()
    where = rnd.choice(["inside", "sidecar", "both"])
    sidecar = packet if where in ("sidecar", "both") else None
    if where in ("inside", "both"):
        if data.startswith(b"\xff\xd8"):
            data = _insert_after_soi(data, _app1_xmp(packet))
        elif data.startswith(b"\x89PNG\r\n\x1a\n"):
            itxt = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + packet
            data = data[:33] + _png_chunk(b"iTXt", itxt) + data[33:]
        else:
            sidecar = packet
    return data, sidecar


def _iim_dataset(record: int, number: int, value: bytes, declared: int | None = None) -> bytes:
    n = len(value) if declared is None else declared
    if n < 0x8000:
        return bytes([0x1C, record, number]) + struct.pack(">H", n) + value
    return bytes([0x1C, record, number]) + struct.pack(">H", 0x8004) + struct.pack(">I", n) + value


def m_iim_bogus(data: bytes, rnd: random.Random, ext: str):
    """An APP13 Photoshop/IIM block whose datasets declare lengths that do not fit."""
    if not data.startswith(b"\xff\xd8"):
        return m_byte_flips(data, rnd, ext)
    datasets = _iim_dataset(1, 90, b"\x1b%G")
    style = rnd.choice(["short", "long", "extended", "huge_value", "garbage"])
    if style == "short":
        datasets += _iim_dataset(2, 120, b"Caption", declared=5000)
    elif style == "long":
        datasets += _iim_dataset(2, 120, b"x" * 30000)
    elif style == "extended":
        datasets += _iim_dataset(2, 120, b"abc", declared=0x7FFFFFFF)
    elif style == "huge_value":
        datasets += _iim_dataset(2, 25, ("kw" * 20000).encode())[:60000]
    else:
        datasets += bytes(rnd.randrange(256) for _ in range(200))
    res = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(datasets)) + datasets
    if len(res) % 2:
        res += b"\x00"
    body = b"Photoshop 3.0\x00" + res
    body = body[:65533]
    seg = b"\xff\xed" + struct.pack(">H", len(body) + 2) + body
    return _insert_after_soi(data, seg), None


def m_box_sizes(data: bytes, rnd: random.Random, ext: str):
    """ISO-BMFF (MP4/MOV/HEIC): a box size set to 0, 1 (64-bit size follows), huge or tiny."""
    if data[4:8] not in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
        return m_byte_flips(data, rnd, ext)
    offsets = []
    for name in (b"ftyp", b"moov", b"mvhd", b"trak", b"mdia", b"stbl", b"stsz", b"stco", b"udta", b"meta", b"mdat"):
        i = data.find(name)
        if i >= 4:
            offsets.append(i - 4)
    if not offsets:
        return m_byte_flips(data, rnd, ext)
    buf = bytearray(data)
    off = rnd.choice(offsets)
    buf[off:off + 4] = struct.pack(">I", rnd.choice([0, 1, 7, 0xFFFFFFFF, 0x7FFFFFF0, len(data) * 4]))
    if rnd.random() < 0.3:  # a sample table claiming billions of entries
        i = data.find(b"stsz")
        if i > 0:
            buf[i + 12:i + 16] = struct.pack(">I", 0x7FFFFFFF)
    return bytes(buf), None


def m_long_strings(data: bytes, rnd: random.Random, ext: str):
    """A 1 MB caption in a sidecar, and ~60 KB strings inside the file where it can carry them."""
    if data.startswith(b"\xff\xd8"):
        data = _insert_after_soi(data, _app1_xmp(long_caption(60_000)))
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        data = data[:33] + _png_chunk(b"tEXt", b"Description\x00" + b"y" * (1 << 20)) + data[33:]
    return data, long_caption(1 << 20)


MUTATORS = {
    "byte_flips": m_byte_flips,
    "header_flips": m_header_flips,
    "truncate": m_truncate,
    "jpeg_segment_length": m_jpeg_segment_length,
    "huge_dimensions": m_huge_dimensions,
    "hostile_xmp": m_hostile_xmp,
    "iim_bogus": m_iim_bogus,
    "box_sizes": m_box_sizes,
    "long_strings": m_long_strings,
}


def _ext_of(name: str) -> str:
    return os.path.splitext(name)[1].lower() or ".bin"


def choose(seeds: dict[str, bytes], rnd: random.Random) -> tuple[str, str]:
    """A (seed, mutator) pair that makes sense together."""
    mutator = rnd.choice(sorted(MUTATORS))
    names = sorted(seeds)
    if mutator in ("jpeg_segment_length", "iim_bogus"):
        names = [n for n in names if seeds[n].startswith(b"\xff\xd8")] or names
    elif mutator == "box_sizes":
        names = [n for n in names if seeds[n][4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free")] or names
    elif mutator == "huge_dimensions":
        names = [n for n in names if seeds[n][:2] == b"\xff\xd8" or seeds[n][:4] == b"\x89PNG"] or names
    return rnd.choice(names), mutator


# -- running ---------------------------------------------------------------------------------------
@dataclass
class FuzzTally:
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)       # imported / failed:<class> / unsupported / duplicate
    by_mutator: Counter = field(default_factory=Counter)     # (mutator, outcome)
    unaccounted: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)      # "unexpected error while reading" (parser bugs)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    seconds: float = 0.0
    main_rss_mb: float = 0.0
    worker_rss_mb: float = 0.0
    errors: list[str] = field(default_factory=list)          # the import itself raised

    @property
    def ok(self) -> bool:
        return not (self.unaccounted or self.leaks or self.errors) and self.main_rss_mb < MAIN_RSS_CAP_MB

    def report(self) -> str:
        lines = [f"{self.cases} cases in {self.seconds:.1f} s; main process peak RSS {self.main_rss_mb:.0f} MB, "
                 f"worker peak RSS {self.worker_rss_mb:.0f} MB"]
        for outcome, n in self.outcomes.most_common():
            lines.append(f"  {outcome:<34} {n:>6}")
        lines.append(f"  unaccounted (not reported by path) {len(self.unaccounted):>4}")
        lines.append(f"  /etc/passwd leaks into the catalog {len(self.leaks):>4}")
        lines.append(f"  import raised                      {len(self.errors):>4}")
        if self.unexpected:
            lines.append(f"  parser bugs caught ('unexpected error'): {len(self.unexpected)}, e.g.")
            for u in sorted(set(self.unexpected))[:8]:
                lines.append(f"    {u}")
        return "\n".join(lines)


def classify_error(message: str) -> str:
    m = message.lower()
    for key, label in (("longer than", "failed:time limit"), ("crashed", "failed:reader crashed"),
                       ("not enough memory", "failed:memory"), ("decompression bomb", "failed:bomb"),
                       ("over the", "failed:size limit"), ("unexpected error", "failed:unexpected error"),
                       ("empty", "failed:empty"), ("truncat", "failed:truncated")):
        if key in m:
            return label
    return "failed:cannot read"


def _passwd_markers() -> list[str]:
    try:
        lines = [ln for ln in PASSWD.read_text().splitlines() if ln.count(":") >= 6]
    except OSError:
        return ["root:x:0:0"]
    return [ln for ln in lines[:3] if len(ln) > 10] or ["root:x:0:0"]


def catalog_text_leaks(catalog_path: Path, markers: list[str]) -> list[str]:
    conn = sqlite3.connect(str(catalog_path))
    try:
        leaks = []
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%'"):
            cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            for col in cols:
                for marker in markers:
                    try:
                        hit = conn.execute(f'SELECT count(*) FROM "{table}" WHERE instr(CAST("{col}" AS TEXT), ?) > 0',
                                           (marker,)).fetchone()[0]
                    except sqlite3.Error:
                        continue
                    if hit:
                        leaks.append(f"{table}.{col} contains {marker[:12]!r}")
        return leaks
    finally:
        conn.close()


def run_fuzz(cases: int, *, seed: int = 1, workdir: Path | None = None, batch: int = 250,
             workers: int = 2, time_limit: float = 20.0, memory_limit: int | None = None,
             log=None) -> FuzzTally:
    from mediadesk.catalog import open_catalog
    from mediadesk.services.importer import import_paths

    rnd = random.Random(seed)
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="fuzz-")) if workdir is None else workdir
    tally = FuzzTally()
    started = time.monotonic()
    markers = _passwd_markers()
    try:
        seeds = {**interop_seeds(), **generated_seeds()}
        catalog_path = workdir / "fuzz.mediadesk"
        done = 0
        batch_no = 0
        while done < cases:
            batch_no += 1
            folder = workdir / f"batch_{batch_no:04d}"
            folder.mkdir(parents=True)
            made: dict[str, str] = {}   # path -> mutator
            for _ in range(min(batch, cases - done)):
                seed_name, mutator = choose(seeds, rnd)
                data, sidecar = MUTATORS[mutator](seeds[seed_name], rnd, _ext_of(seed_name))
                stem = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.splitext(seed_name)[0])[:60]
                path = folder / f"c{done:05d}_{mutator}_{stem}{_ext_of(seed_name)}"
                path.write_bytes(data)
                if sidecar is not None:
                    Path(str(path) + ".xmp").write_bytes(sidecar)
                made[str(path)] = mutator
                done += 1
            t0 = time.monotonic()
            with open_catalog(catalog_path) as cat:
                try:
                    report = import_paths(cat, [str(folder)], workers=workers, time_limit=time_limit,
                                          memory_limit=memory_limit)
                except Exception as exc:
                    tally.errors.append(f"batch {batch_no}: {type(exc).__name__}: {exc}")
                    continue
                in_catalog = {r[0] for r in cat.conn.execute(
                    "SELECT path FROM assets WHERE import_batch_id = ?", (report.batch_id,))}
                all_paths = {r[0] for r in cat.conn.execute("SELECT path FROM assets")}
            spent = time.monotonic() - t0
            tally.slowest.append((spent, folder.name))
            errors = {e["path"]: e["error"] for e in report.errors}
            warned = {w["path"] for w in report.warnings}
            unsupported = set(report.unsupported_files)
            for made_path, mutator in made.items():
                if made_path in errors:
                    outcome = classify_error(errors[made_path])
                    if outcome == "failed:unexpected error":
                        tally.unexpected.append(re.sub(r"c\d{5}_\S+", "<file>", errors[made_path])[:200])
                elif made_path in in_catalog or made_path in all_paths:
                    outcome = "imported"
                elif made_path in unsupported:
                    outcome = "unsupported"
                elif made_path in warned:
                    outcome = "duplicate"
                else:
                    outcome = "UNACCOUNTED"
                    tally.unaccounted.append(made_path)
                tally.outcomes[outcome] += 1
                tally.by_mutator[(mutator, outcome)] += 1
            tally.cases = done
            tally.leaks.extend(catalog_text_leaks(catalog_path, markers))
            if log is not None:
                log(f"batch {batch_no}: {done}/{cases} cases, {spent:.1f} s")
            shutil.rmtree(folder, ignore_errors=True)
        tally.leaks = sorted(set(tally.leaks))
    finally:
        tally.seconds = time.monotonic() - started
        tally.main_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tally.worker_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    workdir = Path(args.keep) if args.keep else None
    if workdir:
        workdir.mkdir(parents=True, exist_ok=True)
    tally = run_fuzz(args.cases, seed=args.seed, workdir=workdir, batch=args.batch, workers=args.workers,
                     time_limit=args.time_limit, log=print if args.verbose else None)
    print(tally.report())
    print("by mutator:")
    for mutator in sorted(MUTATORS):
        parts = {o: n for (m, o), n in tally.by_mutator.items() if m == mutator}
        print(f"  {mutator:<20} " + ", ".join(f"{o} {n}" for o, n in sorted(parts.items())))
    for line in tally.unaccounted[:10]:
        print("UNACCOUNTED", line)
    for line in tally.leaks[:10]:
        print("LEAK", line)
    for line in tally.errors[:10]:
        print("RAISED", line)
    return 0 if tally.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
