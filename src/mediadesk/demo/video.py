"""Encoding the demo library's media: JPEGs with camera Exif, and H.264 videos (PyAV).

The pictures come from :mod:`mediadesk.demo.drawing`. Everything is deterministic (seeded, no clock), so the
same version of mediadesk makes the same bytes and the importer's content hash dedups them.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence

import av
from PIL import Image, ImageDraw

from mediadesk.demo.drawing import _fit, _font, _text
from mediadesk.demo.scenes import Shot, render_scene

VIDEO_SIZE = (640, 360)
VIDEO_FPS = 5
JPEG_QUALITY = 88

def encode_jpeg(img: Image.Image, exif: Image.Exif) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY, exif=exif, optimize=True, dpi=(300, 300))
    return buf.getvalue()


def camera_exif(*, make: str, model: str, taken: str, artist: str, copyright: str,
                size: tuple[int, int]) -> Image.Exif:
    """Exif for a drawn picture: make/model, DateTimeOriginal with its offset, artist, copyright.

    ``taken`` is ISO 8601 with an offset ("2025-03-06T10:04:12+01:00")."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "mediadesk"
    exif[0x013B] = artist
    exif[0x8298] = copyright
    when = taken[:19].replace("-", ":", 2).replace("T", " ")
    exif[0x0132] = when
    sub = exif.get_ifd(0x8769)
    sub[0x9003] = when
    sub[0x9004] = when
    sub[0x9011] = taken[19:] or "+00:00"
    sub[0x9012] = taken[19:] or "+00:00"
    sub[0xA002], sub[0xA003] = size
    return exif


# -- video ----------------------------------------------------------------------------------------
def _timecode(frame: int, fps: int) -> str:
    s, f = divmod(frame, fps)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}:{f:02d}"


def _camera_path(frames: int, fps: int, pad: tuple[int, int], rng: random.Random) -> list[tuple[int, int]]:
    """Where the camera frames the stage on each frame: it holds a framing for a while, then
    reframes smoothly over two seconds (like a press-conference camera; static frames are also
    what keeps H.264 encoding fast)."""
    positions: list[tuple[int, int]] = []
    here = (pad[0] // 2, pad[1] // 2)
    while len(positions) < frames:
        positions += [here] * int(fps * rng.uniform(8, 25))
        there = (rng.randrange(0, pad[0] + 1), rng.randrange(0, pad[1] + 1))
        steps = fps * 2
        for k in range(1, steps + 1):
            t = (1 - math.cos(math.pi * k / steps)) / 2
            positions.append((round(here[0] + (there[0] - here[0]) * t), round(here[1] + (there[1] - here[1]) * t)))
        here = there
    return positions[:frames]


def encode_video(path: str, *, shot_people: tuple[str, ...], flags: tuple[str, ...], seed: str,
                 duration: int, speakers: Sequence[tuple[str, str]], title: str,
                 metadata: dict[str, str], fps: int = VIDEO_FPS, size: tuple[int, int] = VIDEO_SIZE,
                 check_cancelled: Callable[[], None] | None = None) -> None:
    """An H.264 MP4 of exactly ``duration`` seconds: the press-conference stage, a camera that
    reframes now and then, the speaker's name in a lower third and a burned-in timecode.
    ``metadata`` becomes the container's tags (title, comment, artist, copyright...)."""
    w, h = size
    pad = (w // 10, h // 10)
    people = tuple(shot_people) or ("speaker",)
    speakers = list(speakers) or [(people[0], "")]
    bases: dict[tuple[int, bool], Image.Image] = {}

    def base(who: int, gesturing: bool) -> Image.Image:
        key = (who, gesturing)
        if key not in bases:
            shot = Shot("podium", people, flags, seed, gesture=who if gesturing else -1)
            big = render_scene(shot, ((w + pad[0]) * 2, (h + pad[1]) * 2), framing=False)
            bases[key] = big.resize((w + pad[0], h + pad[1]), Image.Resampling.LANCZOS)
        return bases[key]

    small, tiny = max(10, h // 22), max(8, h // 30)
    bar_h = int(h * 0.075)
    title_bar = Image.new("RGB", (w, bar_h), (8, 12, 24))
    _text(ImageDraw.Draw(title_bar), (w * 0.02, bar_h / 2), _fit(title, tiny, w * 0.6), tiny,
          (230, 230, 230), anchor="lm")
    tag = "mediadesk demo"
    tag_x = w * 0.98 - ImageDraw.Draw(title_bar).textlength("00:00:00:00", font=_font(tiny)[0]) - w * 0.02
    _text(ImageDraw.Draw(title_bar), (tag_x, bar_h / 2), tag, tiny, (150, 170, 200), anchor="rm")
    third_box = (int(w * 0.05), int(h * 0.78), int(w * 0.62), int(h * 0.9))
    thirds: dict[int, Image.Image] = {}
    for n, (name, role) in enumerate(speakers):
        panel = Image.new("RGB", (third_box[2] - third_box[0], third_box[3] - third_box[1]), (0, 58, 128))
        d = ImageDraw.Draw(panel)
        d.rectangle([0, 0, max(2, w // 100), panel.height], fill=(250, 250, 250))
        _text(d, (w * 0.03, panel.height * 0.3), name, small, (255, 255, 255), anchor="lm")
        _text(d, (w * 0.03, panel.height * 0.74), role, tiny, (200, 215, 235), anchor="lm")
        thirds[n] = panel

    rng = random.Random("video:" + seed)
    frames = duration * fps
    segment = max(1, -(-frames // len(speakers)))
    camera = _camera_path(frames, fps, pad, rng)
    gesture_until, gesturing = 0, False
    container = av.open(path, "w", format="mp4")
    try:
        for k, v in metadata.items():
            if v:
                container.metadata[k] = v
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": "28", "g": str(fps * 10)}
        stream.codec_context.thread_count = 1  # one thread: the same bytes on every machine load
        for i in range(frames):
            if check_cancelled is not None and i % (fps * 10) == 0:
                check_cancelled()
            n = min(len(speakers) - 1, i // segment)
            name = speakers[n][0]
            who = people.index(name) if name in people else 0
            if i >= gesture_until:
                gesturing = not gesturing
                gesture_until = i + int(fps * rng.uniform(1.5, 6))
            dx, dy = camera[i]
            img = base(who, gesturing).crop((dx, dy, dx + w, dy + h))
            img.paste(title_bar, (0, 0))
            if i % segment < fps * 12:  # the name shows for the first seconds of each speaker
                img.paste(thirds[n], third_box[:2])
            _text(ImageDraw.Draw(img), (w * 0.98, bar_h / 2), _timecode(i, fps), tiny, (255, 214, 90),
                  anchor="rm")
            frame = av.VideoFrame.from_image(img)  # type: ignore[no-untyped-call]
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    finally:
        container.close()
