#!/usr/bin/env python3
"""Make a benchmark corpus: camera-like JPEGs (24 MP and 3 MP) and short H.264 videos.

    python benchmarks/corpus.py --out DIR [--big 200] [--small 600] [--videos 10] [--seed 1]

Layout: DIR/big/*.jpg (6000x4000), DIR/small/*.jpg (2121x1414), DIR/video/*.mp4 (640x360, 2-3 s),
DIR/corpus.json (what was made, with the parameters, so benchmarks can reuse the folder).

The pixels look like a photograph to a JPEG encoder (and therefore to a decoder): a smooth
gradient, soft low-frequency shapes, mid-frequency texture and per-pixel sensor-like grain; at
quality 92 a 24 MP file is ~6-7 MB like a real camera file, so decode and hash costs are
realistic. Flat-colour test images would be ~10x smaller and decode several times faster.

Speed: a few base images per set are built once (random bytes -> Gaussian LUT -> Pillow
arithmetic; no numpy) and every file is a different crop + tint + mirror of one of them, so
every file has different bytes. Work is spread over all cores (one task per base image).

Metadata: camera Exif written by Pillow when encoding (Make, Model, DateTimeOriginal,
OffsetTimeOriginal, ExposureTime, FNumber, ISOSpeedRatings, Orientation, Artist, Copyright), then
IPTC-IIM + XMP captions (title, headline, caption, keywords, people, place, event, credit,
usage terms...) written losslessly with ``mediadesk.media.embed_metadata``.

Deterministic: the same --seed gives byte-identical photos (videos too, x264 runs one thread).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from statistics import NormalDist

from PIL import Image, ImageChops, ImageDraw, ImageFilter, TiffImagePlugin

BIG_SIZE = (6000, 4000)
SMALL_SIZE = (2121, 1414)
VIDEO_SIZE = (640, 360)
PAD = 192            # bases are this much larger than the output, for crop offsets
N_BASES = 4          # distinct base images per set
QUALITY = 92

# -- word lists (also used by bench_search.py) -----------------------------------------------
PEOPLE = [
    "Mark Rutte", "Andrzej Duda", "Ursula von der Leyen", "Jens Stoltenberg", "Emmanuel Macron",
    "Olaf Scholz", "Giorgia Meloni", "Pedro Sanchez", "Petr Pavel", "Alexander Stubb",
    "Ulf Kristersson", "Mette Frederiksen", "Kaja Kallas", "Edgars Rinkevics", "Gitanas Nauseda",
    "Keir Starmer", "Justin Trudeau", "Antony Blinken", "Lloyd Austin", "Rob Bauer",
    "Christopher Cavoli", "Mircea Geoana", "Radmila Shekerinska", "Boris Ruge", "Ruben Brekelmans",
    "Ben Hodges", "Anna Larsson", "Jan Novak", "Maria Kowalska", "Pierre Dubois", "Hanna Virtanen",
    "Lars Jensen", "Sofia Rossi", "Tomas Berzins", "Ieva Kazlauskaite", "Eva Horvath",
]
PLACES = [
    ("Brussels", "Brussels Capital", "Belgium", "BEL"), ("Warsaw", "Masovia", "Poland", "POL"),
    ("Vilnius", "Vilnius County", "Lithuania", "LTU"), ("Riga", "Riga", "Latvia", "LVA"),
    ("Tallinn", "Harju", "Estonia", "EST"), ("Washington", "District of Columbia", "United States", "USA"),
    ("The Hague", "South Holland", "Netherlands", "NLD"), ("Madrid", "Madrid", "Spain", "ESP"),
    ("Rome", "Lazio", "Italy", "ITA"), ("Oslo", "Oslo", "Norway", "NOR"),
    ("Helsinki", "Uusimaa", "Finland", "FIN"), ("Stockholm", "Stockholm", "Sweden", "SWE"),
    ("Bucharest", "Bucharest", "Romania", "ROU"), ("Ankara", "Ankara", "Turkey", "TUR"),
    ("Norfolk", "Virginia", "United States", "USA"), ("Mons", "Hainaut", "Belgium", "BEL"),
    ("Naples", "Campania", "Italy", "ITA"), ("Brunssum", "Limburg", "Netherlands", "NLD"),
]
ORGS = ["NATO", "European Union", "United Nations", "OSCE", "NATO Parliamentary Assembly",
        "Allied Command Transformation", "SHAPE", "NATO Defence College", "NSPA", "JFC Naples"]
EVENTS = ["NATO Summit", "Defence Ministers Meeting", "Foreign Ministers Meeting", "Military Committee",
          "Press conference", "Exercise Steadfast Defender", "Exercise BALTOPS", "Bilateral meeting",
          "Official visit", "North Atlantic Council", "Cyber Defence Pledge Conference",
          "NATO Public Forum", "Exercise Trident Juncture", "Wreath-laying ceremony"]
KEYWORDS = ["summit", "meeting", "press", "conference", "defence", "ministers", "security", "exercise",
            "troops", "ceremony", "handshake", "flag", "podium", "delegation", "signing", "visit",
            "airbase", "navy", "frigate", "tank", "helicopter", "training", "cyber", "innovation",
            "partnership", "alliance", "headquarters", "family photo", "arrival", "departure",
            "briefing", "speech", "interview", "parliament", "soldiers", "aircraft", "fighter jet",
            "submarine", "logistics", "medical", "engineers", "paratroopers", "winter", "sea", "forest"]
VERBS = ["arrives at", "meets", "speaks at", "welcomes", "addresses", "visits", "opens", "leaves",
         "inspects", "chairs", "attends", "signs an agreement at", "briefs journalists at"]
NOUNS = ["the press", "allied troops", "ministers", "the delegation", "the media", "soldiers",
         "the North Atlantic Council", "partners", "young leaders", "veterans", "students"]
CAMERAS = [("Canon", "Canon EOS R5"), ("Nikon", "NIKON Z 9"), ("SONY", "ILCE-7M4"),
           ("FUJIFILM", "X-T5"), ("Canon", "Canon EOS 5D Mark IV"), ("NIKON CORPORATION", "NIKON D850")]
CREATORS = ["NATO Photo", "Anna Larsson", "Jan Novak", "Pierre Dubois", "Hanna Virtanen", "Lars Jensen"]
USAGE_NOTE = ("This media asset is free for editorial broadcast, print, online and radio use. "
              "It is restricted for use for other purposes.")


def caption_fields(rng: random.Random, index: int, when: datetime, offset: str) -> dict[str, object]:
    """Realistic press-office caption fields for one asset (catalog field names)."""
    people = rng.sample(PEOPLE, rng.choice((0, 1, 1, 2, 2, 3)))
    city, state, country, code = rng.choice(PLACES)
    event = rng.choice(EVENTS)
    subject = people[0] if people else rng.choice(("NATO Secretary General", "Allied troops", "The delegation"))
    caption = (f"{subject} {rng.choice(VERBS)} the {event} in {city}, {country}, on "
               f"{when:%d %B %Y}. {rng.choice(('Here', 'Pictured'))} with {rng.choice(NOUNS)}.")
    creator = rng.choice(CREATORS)
    return {
        "title": f"{event} {city} {when:%Y-%m-%d} #{index}",
        "headline": f"{subject} at the {event}",
        "caption": caption,
        "keywords": rng.sample(KEYWORDS, rng.randrange(2, 7)),
        "people": people,
        "organisations": rng.sample(ORGS, rng.randrange(0, 3)),
        "event": f"{event} {when:%Y}",
        "city": city, "state": state, "country": country, "country_code": code,
        "creator": creator,
        "credit": "NATO",
        "source": "NATO Multimedia",
        "copyright": f"(c) NATO {when:%Y}",
        "usage_terms": USAGE_NOTE if rng.random() < 0.7 else None,
        "date_created": when.strftime("%Y-%m-%dT%H:%M:%S") + offset,
    }


# -- pixels ------------------------------------------------------------------------------------
_LUTS: dict[float, list[int]] = {}


def _gauss_lut(sigma: float) -> list[int]:
    """Uniform byte -> 128 + sigma * N(0, 1), clipped: Gaussian noise from random bytes."""
    if sigma not in _LUTS:
        nd = NormalDist()
        _LUTS[sigma] = [max(0, min(255, round(128 + sigma * nd.inv_cdf((u + 0.5) / 256))))
                        for u in range(256)]
    return _LUTS[sigma]


def _noise(rng: random.Random, size: tuple[int, int], mode: str, sigma: float) -> Image.Image:
    bands = len(mode)
    im = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))
    return im.point(_gauss_lut(sigma) * bands)


def _add(im: Image.Image, noise: Image.Image) -> Image.Image:
    if noise.mode == "L":
        noise = Image.merge("RGB", (noise, noise, noise))
    return ImageChops.add(im, noise, 1.0, -128)


def make_base(rng: random.Random, size: tuple[int, int], *, texture: float = 12.0,
              grain: float = 3.0, chroma: float = 1.5) -> Image.Image:
    """A photograph-like RGB image: gradient sky, soft shapes, texture and sensor grain."""
    w, h = size
    sw, sh = max(64, w // 8), max(64, h // 8)
    palette = [tuple(rng.randrange(40, 220) for _ in range(3)) for _ in range(5)]
    grad = Image.linear_gradient("L").resize((sw, sh))
    im = Image.composite(Image.new("RGB", (sw, sh), palette[1]), Image.new("RGB", (sw, sh), palette[0]), grad)
    draw = ImageDraw.Draw(im)
    for _ in range(rng.randrange(25, 45)):
        x, y = rng.randrange(-sw // 4, sw), rng.randrange(-sh // 4, sh)
        bw, bh = rng.randrange(sw // 20, sw // 2), rng.randrange(sh // 20, sh // 2)
        base = rng.choice(palette)
        col = tuple(max(0, min(255, c + rng.randrange(-50, 51))) for c in base)
        k = rng.random()
        if k < 0.4:
            draw.ellipse((x, y, x + bw, y + bh), fill=col)
        elif k < 0.7:
            draw.rectangle((x, y, x + bw, y + bh), fill=col)
        else:
            draw.polygon([(x + rng.randrange(bw), y + rng.randrange(bh)) for _ in range(rng.randrange(3, 7))],
                         fill=col)
    im = im.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.5)))
    im = im.resize((w, h), Image.Resampling.BICUBIC)
    # mid-frequency texture (~3 px features), then per-pixel luminance grain and a little chroma noise
    tex = _noise(rng, (max(1, w // 3), max(1, h // 3)), "L", texture).resize((w, h), Image.Resampling.BICUBIC)
    im = _add(im, tex)
    im = _add(im, _noise(rng, (w, h), "L", grain))
    if chroma:
        im = _add(im, _noise(rng, (w, h), "RGB", chroma))
    return im


def _variant(base: Image.Image, rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A cheap, distinct variant: crop at an offset, tint per channel, sometimes mirror."""
    bw, bh = base.size
    x, y = rng.randrange(bw - size[0] + 1), rng.randrange(bh - size[1] + 1)
    im = base.crop((x, y, x + size[0], y + size[1]))
    lut: list[int] = []
    for _ in range(3):
        gain, off = rng.uniform(0.88, 1.12), rng.uniform(-12, 12)
        lut.extend(max(0, min(255, round(v * gain + off))) for v in range(256))
    im = im.point(lut)
    if rng.random() < 0.3:
        im = im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return im


def _rational(value: float, den: int = 1) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * den), den)


def camera_exif(rng: random.Random, when: datetime, offset: str, artist: str) -> Image.Exif:
    make, model = rng.choice(CAMERAS)
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0112] = rng.choice((1, 1, 1, 1, 1, 6, 8))       # Orientation (portraits are rotated)
    exif[0x0131] = "mediadesk benchmarks/corpus.py"        # Software
    exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")      # DateTime
    exif[0x013B] = artist                                   # Artist
    exif[0x8298] = f"(c) NATO {when:%Y}"                    # Copyright
    ifd = exif.get_ifd(0x8769)
    ifd[0x829A] = TiffImagePlugin.IFDRational(1, rng.choice((60, 125, 250, 500, 1000, 2000)))  # ExposureTime
    ifd[0x829D] = _rational(rng.choice((1.8, 2.8, 4.0, 5.6, 8.0, 11.0)), 10)  # FNumber
    ifd[0x8827] = rng.choice((100, 200, 400, 800, 1600, 3200, 6400))          # ISOSpeedRatings
    ifd[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")                          # DateTimeOriginal
    ifd[0x9004] = when.strftime("%Y:%m:%d %H:%M:%S")                          # DateTimeDigitized
    ifd[0x9011] = offset                                                      # OffsetTimeOriginal
    ifd[0x920A] = _rational(rng.choice((24, 35, 50, 70, 85, 135, 200)), 1)    # FocalLength
    return exif


def _when(rng: random.Random) -> tuple[datetime, str]:
    start = datetime(2015, 1, 1)
    when = start + timedelta(seconds=rng.randrange(int(11 * 365.25 * 86400)))
    return when, rng.choice(("+01:00", "+02:00", "-05:00", "+00:00", "+03:00"))


def _encode_photo(im: Image.Image, rng: random.Random, index: int) -> bytes:
    from mediadesk.media import embed_metadata

    when, offset = _when(rng)
    fields = caption_fields(rng, index, when, offset)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=QUALITY, exif=camera_exif(rng, when, offset, str(fields["creator"])))
    data, _warnings = embed_metadata(buf.getvalue(), {k: v for k, v in fields.items() if v is not None},
                                     fmt="JPEG")
    return data


# -- tasks (run in worker processes) -------------------------------------------------------------
def _photo_task(args: tuple[str, str, int, int, list[int], tuple[int, int]]) -> tuple[int, int]:
    out_dir, set_name, seed, base_no, indices, size = args
    rng = random.Random(f"{seed}:{set_name}:base:{base_no}")
    scale = size[0] / BIG_SIZE[0]
    base = make_base(rng, (size[0] + max(16, round(PAD * scale)), size[1] + max(16, round(PAD * scale))))
    total = 0
    for i in indices:
        frng = random.Random(f"{seed}:{set_name}:file:{i}")
        data = _encode_photo(_variant(base, frng, size), frng, i)
        path = os.path.join(out_dir, f"{set_name}_{i:05d}.jpg")
        with open(path, "wb") as fh:
            fh.write(data)
        total += len(data)
    return len(indices), total


def _video_task(args: tuple[str, int, int]) -> tuple[int, int]:
    import av

    out_dir, seed, index = args
    rng = random.Random(f"{seed}:video:{index}")
    w, h = VIDEO_SIZE
    fps = 25
    frames = rng.randrange(2 * fps, 3 * fps + 1)
    base = make_base(rng, (w + frames * 4 + 64, h + 64), texture=8.0, grain=2.0, chroma=0.0)
    when, offset = _when(rng)
    fields = caption_fields(rng, index, when, offset)
    path = os.path.join(out_dir, f"video_{index:05d}.mp4")
    with av.open(path, "w") as container:
        container.metadata["title"] = str(fields["title"])
        container.metadata["comment"] = str(fields["caption"])
        container.metadata["artist"] = str(fields["creator"])
        container.metadata["creation_time"] = when.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        stream.codec_context.thread_count = 1     # deterministic output
        dy = rng.randrange(0, 64)
        for n in range(frames):
            frame = av.VideoFrame.from_image(base.crop((n * 4, dy, n * 4 + w, dy + h)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return 1, os.path.getsize(path)


def make_corpus(out: str, big: int = 200, small: int = 600, videos: int = 10, seed: int = 1,
                jobs: int | None = None, quiet: bool = False) -> dict:
    """Make the corpus in ``out``; returns the manifest (also written to out/corpus.json)."""
    jobs = jobs or os.cpu_count() or 2
    manifest: dict = {"seed": seed, "sets": {}}
    plan = [("big", big, BIG_SIZE), ("small", small, SMALL_SIZE)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for set_name, count, size in plan:
            if count <= 0:
                continue
            t0 = time.perf_counter()
            out_dir = os.path.join(out, set_name)
            os.makedirs(out_dir, exist_ok=True)
            n_bases = min(N_BASES, count)
            tasks = [(out_dir, set_name, seed, b, list(range(b, count, n_bases)), size) for b in range(n_bases)]
            done = 0
            nbytes = 0
            for n, b in pool.map(_photo_task, tasks):
                done += n
                nbytes += b
            secs = time.perf_counter() - t0
            manifest["sets"][set_name] = {"dir": out_dir, "files": done, "bytes": nbytes,
                                          "size": list(size), "seconds": round(secs, 1)}
            if not quiet:
                print(f"{set_name:>5}: {done} JPEG {size[0]}x{size[1]}, {nbytes / done / 1e6:.2f} MB each "
                      f"({nbytes / 1e6:.0f} MB) in {secs:.1f} s", flush=True)
        if videos > 0:
            t0 = time.perf_counter()
            out_dir = os.path.join(out, "video")
            os.makedirs(out_dir, exist_ok=True)
            done = nbytes = 0
            for n, b in pool.map(_video_task, [(out_dir, seed, i) for i in range(videos)]):
                done += n
                nbytes += b
            secs = time.perf_counter() - t0
            manifest["sets"]["video"] = {"dir": out_dir, "files": done, "bytes": nbytes,
                                         "size": list(VIDEO_SIZE), "seconds": round(secs, 1)}
            if not quiet:
                print(f"video: {done} H.264 MP4 {VIDEO_SIZE[0]}x{VIDEO_SIZE[1]}, 2-3 s, "
                      f"{nbytes / done / 1e3:.0f} KB each in {secs:.1f} s", flush=True)
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    with open(os.path.join(out, "corpus.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
    if not quiet:
        print(f"corpus in {out}: {manifest['seconds']} s with {jobs} processes", flush=True)
    return manifest


def load_or_make(out: str, big: int, small: int, videos: int, seed: int = 1, quiet: bool = False) -> dict:
    """Reuse ``out`` when its manifest has at least the requested files with the same seed."""
    try:
        with open(os.path.join(out, "corpus.json")) as fh:
            manifest = json.load(fh)
        sets = manifest["sets"]
        if (manifest["seed"] == seed and sets.get("big", {}).get("files", 0) >= big
                and sets.get("small", {}).get("files", 0) >= small
                and sets.get("video", {}).get("files", 0) >= videos):
            if not quiet:
                print(f"reusing corpus in {out}", flush=True)
            return manifest
    except (OSError, ValueError, KeyError):
        pass
    return make_corpus(out, big, small, videos, seed, quiet=quiet)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--big", type=int, default=200, metavar="N", help="24 MP JPEGs (default 200)")
    p.add_argument("--small", type=int, default=600, metavar="N", help="3 MP JPEGs (default 600)")
    p.add_argument("--videos", type=int, default=10, metavar="N", help="H.264 videos (default 10)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=None, help="processes (default: all cores)")
    a = p.parse_args(argv)
    make_corpus(a.out, a.big, a.small, a.videos, a.seed, a.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
