"""The demo library's scenes: a shot (who, where, which flags, framing) drawn as a picture.

Built from the primitives in :mod:`mediadesk.demo.drawing`; deterministic for a given shot and seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

from mediadesk.demo.drawing import (
    PHOTO_SIZE,
    RGB,
    Look,
    _fit,
    _flag_design,
    _font,
    _glow,
    _gradient,
    _mix,
    _shade,
    _text,
    compass_star,
    figure,
    flag_on_pole,
    lectern,
    look_for,
)


@dataclass
class Shot:
    """What one picture shows."""

    scene: str
    people: tuple[str, ...]
    flags: tuple[str, ...]
    seed: str
    gesture: int = -1          # index of the person gesturing (video: who is speaking)


def _backdrop(img: Image.Image, rng: random.Random, base: RGB) -> None:
    w, h = img.size
    img.paste(_gradient((w, h), _shade(base, 1.25), _shade(base, 0.55)))
    d = ImageDraw.Draw(img)
    for i in range(-2, 14):  # panel seams
        x = w * (i / 12) + rng.uniform(-4, 4)
        d.line([(x, 0), (x, h * 0.72)], fill=_shade(base, 0.85), width=2)
    star_x = w * rng.uniform(0.35, 0.65)
    compass_star(d, star_x, h * 0.3, h * 0.17, _shade(base, 1.7), _shade(base, 1.35), ring=_shade(base, 1.45))
    _glow(img, (w * rng.uniform(0.3, 0.7), h * 0.3), w * 0.35, (255, 250, 235), 0.22)


def _floor(img: Image.Image, top: float, colour: RGB) -> None:
    w, h = img.size
    img.paste(_gradient((w, int(h - top)), _shade(colour, 0.8), _shade(colour, 1.15)), (0, int(top)))


def _pair_positions(w: float, rng: random.Random, n: int, spread: float = 0.22) -> list[float]:
    centre = w * rng.uniform(0.45, 0.55)
    if n == 1:
        return [centre]
    step = w * spread * rng.uniform(0.9, 1.1)
    return [centre + step * (i - (n - 1) / 2) for i in range(n)]


def _people_looks(shot: Shot, n: int) -> list[Look]:
    names = list(shot.people) + [f"{shot.seed}:extra{i}" for i in range(max(0, n - len(shot.people)))]
    return [look_for(name) for name in names[:n]]


def scene_handshake(img: Image.Image, shot: Shot, rng: random.Random, outdoor: bool = False) -> None:
    w, h = img.size
    ground = h * 0.86
    if outdoor:
        img.paste(_gradient((w, h), (120, 165, 215), (214, 226, 236)))
        d = ImageDraw.Draw(img)
        for i in range(9):  # glass facade: leaning panels
            x0 = w * (i / 8) - w * 0.05
            d.polygon([(x0, h * 0.18), (x0 + w * 0.1, h * 0.12), (x0 + w * 0.11, ground), (x0 + w * 0.01, ground)],
                      fill=_mix((150, 175, 200), (90, 110, 135), (i % 3) / 3))
            d.line([(x0 + w * 0.1, h * 0.12), (x0 + w * 0.11, ground)], fill=(220, 230, 240), width=4)
        _floor(img, ground - h * 0.06, (170, 168, 160))
        ImageDraw.Draw(img).polygon([(w * 0.36, ground - h * 0.06), (w * 0.64, ground - h * 0.06),
                                     (w * 0.75, h), (w * 0.25, h)], fill=(150, 30, 40))
    else:
        _backdrop(img, rng, (30, 62, 120))
        _floor(img, ground - h * 0.1, (90, 80, 72))
    codes = shot.flags or ("NATO",)
    n_flags = 6 if outdoor else 4
    for i in range(n_flags):
        fx = w * (0.08 + 0.84 * i / (n_flags - 1)) + rng.uniform(-10, 10)
        if abs(fx - w / 2) < w * 0.2:
            continue
        flag_on_pole(img, fx, ground - h * 0.07, h * 0.62, codes[i % len(codes)], rng)
    a, b = _people_looks(shot, 2)
    xa, xb = w * 0.5 - h * 0.18, w * 0.5 + h * 0.18
    ht = h * 0.66
    meet = ((xa + xb) / 2, ground - ht * 0.48)
    figure(img, xa, ground, ht, a, reach=meet, facing=1)
    figure(img, xb, ground, ht * rng.uniform(0.95, 1.02), b, facing=-1)
    d = ImageDraw.Draw(img)
    d.line([(xb - ht * 0.135, ground - ht + ht * 0.074 * 2.95), meet], fill=b.suit, width=max(2, int(ht * 0.052)))


def scene_podium(img: Image.Image, shot: Shot, rng: random.Random) -> None:
    w, h = img.size
    _backdrop(img, rng, (24, 56, 112))
    ground = h * 0.95
    _floor(img, h * 0.8, (60, 56, 60))
    codes = shot.flags or ("NATO",)
    for i, fx in enumerate((w * 0.06, w * 0.15, w * 0.85, w * 0.94)):
        flag_on_pole(img, fx, h * 0.82, h * 0.6, codes[i % len(codes)], rng)
    looks = _people_looks(shot, 2)
    for i, (x, look) in enumerate(zip(_pair_positions(w, rng, 2, 0.34), looks, strict=False)):
        figure(img, x, ground, h * 0.72, look, gesture=(i == shot.gesture), facing=1 if i == 0 else -1)
        lectern(img, x, h * 0.56, h * 0.2, h * 0.4, (26, 48, 92))


def scene_meeting(img: Image.Image, shot: Shot, rng: random.Random) -> None:
    w, h = img.size
    _backdrop(img, rng, (52, 70, 98))
    d = ImageDraw.Draw(img)
    for i in range(2):  # paintings on the wall
        px = w * (0.2 + 0.55 * i) + rng.uniform(-30, 30)
        d.rectangle([px, h * 0.12, px + w * 0.16, h * 0.34], fill=(150, 120, 70))
        d.rectangle([px + 10, h * 0.12 + 10, px + w * 0.16 - 10, h * 0.34 - 10],
                    fill=_mix((70, 90, 120), (190, 160, 110), rng.random()))
    n = max(2, min(4, len(shot.people) + (1 if len(shot.people) < 2 else 0)))
    looks = _people_looks(shot, n)
    table_top = h * 0.66
    xs = _pair_positions(w, rng, n, 0.62 / max(1, n - 1) if n > 2 else 0.5)
    for i, (x, look) in enumerate(zip(xs, looks, strict=False)):
        figure(img, x, h * 1.12, h * 0.78, look, facing=1 if x < w / 2 else -1, gesture=(i == shot.gesture))
    d = ImageDraw.Draw(img)
    d.polygon([(w * -0.05, h), (w * 0.08, table_top), (w * 0.92, table_top), (w * 1.05, h)], fill=(235, 232, 225))
    d.rectangle([w * 0.08, table_top - 6, w * 0.92, table_top + 4], fill=(120, 90, 60))
    for i, code in enumerate(shot.flags or ("NATO",)):  # desk flags
        fx = w * 0.47 + i * w * 0.05
        d.line([(fx, table_top + h * 0.02), (fx, table_top - h * 0.14)], fill=(200, 190, 150), width=4)
        _flag_design(d, (fx + 2, table_top - h * 0.14, fx + 2 + h * 0.07, table_top - h * 0.09), code)
    for i in range(n):  # glasses and folders on the table
        gx = xs[i] + rng.uniform(-40, 40)
        d.rectangle([gx - 60, table_top + h * 0.08, gx + 40, table_top + h * 0.12], fill=(40, 70, 120))
        d.rectangle([gx + 60, table_top + h * 0.03, gx + 78, table_top + h * 0.08], fill=(200, 220, 235))


def scene_lecture(img: Image.Image, shot: Shot, rng: random.Random) -> None:
    w, h = img.size
    img.paste(_gradient((w, h), (30, 34, 48), (12, 14, 20)))
    d = ImageDraw.Draw(img)
    d.rectangle([w * 0.46, h * 0.1, w * 0.94, h * 0.45], fill=(30, 80, 150))  # screen
    compass_star(d, w * 0.56, h * 0.275, h * 0.1, (255, 255, 255), (170, 190, 220))
    for i in range(3):
        d.rectangle([w * 0.64, h * (0.2 + 0.07 * i), w * (0.88 - 0.06 * i), h * (0.23 + 0.07 * i)],
                    fill=(200, 215, 235))
    _glow(img, (w * 0.3, h * 0.45), w * 0.3, (255, 240, 210), 0.35)
    _floor(img, h * 0.7, (70, 50, 40))
    codes = shot.flags or ("NATO",)
    for i, fx in enumerate((w * 0.05, w * 0.12)):
        flag_on_pole(img, fx, h * 0.72, h * 0.55, codes[i % len(codes)], rng)
    speaker = _people_looks(shot, 1)[0]
    sx = w * rng.uniform(0.26, 0.36)
    figure(img, sx, h * 0.86, h * 0.6, speaker, gesture=True, facing=1)
    lectern(img, sx, h * 0.52, h * 0.17, h * 0.34, (70, 45, 35))
    for row in range(2):  # audience, backs of heads
        for i in range(9):
            ax = w * (i / 8) + rng.uniform(-25, 25) + (row * w / 16)
            ay = h * (0.94 + row * 0.09)
            hr = h * (0.055 + row * 0.012)
            d.ellipse([ax - hr * 2.4, ay - hr * 0.2, ax + hr * 2.4, ay + hr * 3],
                      fill=_mix((20, 22, 30), (60, 60, 70), rng.random()))
            d.ellipse([ax - hr, ay - hr * 2, ax + hr, ay + hr * 0.2],
                      fill=rng.choice(((40, 30, 25), (90, 70, 50), (150, 150, 150), (20, 20, 20))))


def scene_snowfield(img: Image.Image, shot: Shot, rng: random.Random) -> None:
    w, h = img.size
    img.paste(_gradient((w, h), (160, 172, 186), (220, 226, 232)))
    d = ImageDraw.Draw(img)
    horizon = h * 0.55
    for i in range(40):  # treeline
        tx = w * i / 39 + rng.uniform(-20, 20)
        th = h * rng.uniform(0.08, 0.16)
        d.polygon([(tx - th * 0.3, horizon), (tx, horizon - th), (tx + th * 0.3, horizon)], fill=(48, 64, 58))
    _floor(img, horizon, (226, 230, 236))
    vx = w * rng.uniform(0.55, 0.7)  # armoured vehicle
    vy = horizon + h * 0.12
    olive = (74, 82, 62)
    d.polygon([(vx, vy), (vx + w * 0.3, vy), (vx + w * 0.33, vy + h * 0.09), (vx - w * 0.02, vy + h * 0.09)],
              fill=olive)
    d.rectangle([vx + w * 0.08, vy - h * 0.06, vx + w * 0.2, vy], fill=_shade(olive, 0.9))
    d.line([(vx + w * 0.08, vy - h * 0.035), (vx - w * 0.1, vy - h * 0.05)], fill=_shade(olive, 0.8), width=10)
    for i in range(6):
        cx = vx + w * (0.01 + 0.055 * i)
        d.ellipse([cx - h * 0.03, vy + h * 0.07, cx + h * 0.03, vy + h * 0.13], fill=(30, 30, 30))
    flag_on_pole(img, w * 0.08, h * 0.8, h * 0.5, (shot.flags or ("SE",))[0], rng)
    n = 4
    looks = [Look(_shade(look.suit, 0.8), look.skin, look.hair, look.tie) for look in _people_looks(shot, n)]
    for i, (x, look) in enumerate(zip(_pair_positions(w * 0.8, rng, n, 0.13), looks, strict=False)):
        figure(img, x, h * 0.95 - i % 2 * h * 0.03, h * 0.55, look, coat=True, facing=1 if i % 2 else -1)
    for _ in range(160):  # a few snowflakes
        sx, sy = rng.uniform(0, w), rng.uniform(0, h)
        d.ellipse([sx - 2, sy - 2, sx + 2, sy + 2], fill=(245, 248, 252))


def scene_factory(img: Image.Image, shot: Shot, rng: random.Random) -> None:
    w, h = img.size
    img.paste(_gradient((w, h), (118, 124, 130), (70, 74, 80)))
    d = ImageDraw.Draw(img)
    for i in range(12):  # roof trusses and windows
        x = w * i / 11
        d.line([(x, 0), (x + w * 0.04, h * 0.25)], fill=(60, 64, 70), width=6)
        d.rectangle([x + 10, h * 0.28, x + w * 0.06, h * 0.36], fill=(200, 214, 226))
    d.line([(0, h * 0.25), (w, h * 0.25)], fill=(60, 64, 70), width=10)
    _floor(img, h * 0.62, (120, 122, 118))
    d.line([(0, h * 0.78), (w, h * 0.74)], fill=(230, 190, 40), width=8)
    for i in range(4):  # machines
        mx = w * (0.04 + 0.26 * i) + rng.uniform(-20, 20)
        mw, mh = w * 0.17, h * rng.uniform(0.2, 0.3)
        d.rectangle([mx, h * 0.64 - mh, mx + mw, h * 0.64], fill=(48, 92, 140) if i % 2 else (160, 164, 170))
        d.rectangle([mx + mw * 0.1, h * 0.64 - mh * 0.8, mx + mw * 0.5, h * 0.64 - mh * 0.45], fill=(30, 40, 50))
        d.rectangle([mx, h * 0.64 - mh * 0.12, mx + mw, h * 0.64 - mh * 0.05], fill=(230, 190, 40))
    flag_on_pole(img, w * 0.93, h * 0.7, h * 0.45, (shot.flags or ("BE",))[0], rng)
    n = max(3, len(shot.people))
    looks = _people_looks(shot, n)
    for i, (x, look) in enumerate(zip(_pair_positions(w, rng, n, 0.17), looks, strict=False)):
        figure(img, x, h * 0.97, h * 0.58, look, helmet=(235, 235, 230) if i else None,
               gesture=(i == 0), facing=-1)


def scene_troops(img: Image.Image, shot: Shot, rng: random.Random) -> None:
    w, h = img.size
    img.paste(_gradient((w, h), (132, 170, 214), (226, 230, 226)))
    d = ImageDraw.Draw(img)
    d.polygon([(0, h * 0.5)] + [(w * i / 10, h * (0.42 + 0.06 * math.sin(i * 1.3 + rng.random())))
                                 for i in range(11)] + [(w, h * 0.6), (0, h * 0.6)], fill=(110, 130, 110))
    _floor(img, h * 0.58, (150, 140, 110))
    d.rectangle([w * 0.6, h * 0.36, w * 0.95, h * 0.58], fill=(210, 205, 190))  # barracks
    for i in range(6):
        d.rectangle([w * (0.62 + 0.055 * i), h * 0.42, w * (0.65 + 0.055 * i), h * 0.48], fill=(70, 80, 90))
    for i, fx in enumerate((w * 0.08, w * 0.16, w * 0.24)):
        flag_on_pole(img, fx, h * 0.62, h * 0.45, (shot.flags or ("NATO",))[i % len(shot.flags or ("NATO",))], rng)
    camo = (84, 96, 66)
    soldiers = [Look(camo, look_for(f"{shot.seed}:soldier{i}").skin, None, camo, shirt=camo) for i in range(4)]
    for i, x in enumerate(_pair_positions(w * 1.1, rng, 4, 0.12)):
        figure(img, x + w * 0.05, h * 0.9, h * 0.5, soldiers[i], helmet=(70, 80, 56), facing=-1)
    for i, (x, look) in enumerate(zip(_pair_positions(w * 0.7, rng, max(1, len(shot.people)), 0.14),
                                      _people_looks(shot, max(1, len(shot.people))), strict=False)):
        figure(img, x + w * 0.05, h * 0.97, h * 0.6, look, coat=True, facing=1, gesture=(i == 0))


SCENES: dict[str, Callable[[Image.Image, Shot, random.Random], None]] = {
    "arrival": lambda img, shot, rng: scene_handshake(img, shot, rng, outdoor=True),
    "handshake": scene_handshake,
    "podium": scene_podium,
    "meeting": scene_meeting,
    "lecture": scene_lecture,
    "snowfield": scene_snowfield,
    "factory": scene_factory,
    "troops": scene_troops,
}
FLAGS = ("NATO", "PL", "BE", "SE", "BA")


def render_scene(shot: Shot, size: tuple[int, int], *, framing: bool = True) -> Image.Image:
    """The scene drawn at ``size``; with ``framing``, from a seeded camera position and zoom."""
    rng = random.Random("shot:" + shot.seed)
    w, h = size
    if not framing:
        img = Image.new("RGB", size)
        SCENES[shot.scene](img, shot, rng)
        return img
    zoom = rng.uniform(1.0, 1.4)              # the drawing is larger than the frame...
    cw, ch = int(w * 1.3), int(h * 1.3)
    canvas = Image.new("RGB", (cw, ch))
    SCENES[shot.scene](canvas, shot, rng)
    fw, fh = cw / zoom, ch / zoom              # ...and the "camera" frames a part of it
    x0 = rng.uniform(0, cw - fw)
    y0 = rng.uniform(0, ch - fh) * 0.6 + (ch - fh) * 0.2
    img = canvas.resize(size, Image.Resampling.BILINEAR, box=(x0, y0, x0 + fw, y0 + fh))
    tint = rng.choice(((255, 236, 210), (210, 228, 255), (255, 255, 255)))
    img = Image.blend(img, Image.new("RGB", size, tint), rng.uniform(0.03, 0.09))
    return img


def caption_strip(img: Image.Image, caption: str) -> None:
    """A dark band at the foot of the picture: the caption and "Illustration · mediadesk demo"."""
    w, h = img.size
    band = int(h * 0.075)
    region = img.crop((0, h - band, w, h))
    img.paste(Image.blend(region, Image.new("RGB", region.size, (8, 12, 24)), 0.72), (0, h - band))
    d = ImageDraw.Draw(img)
    size = max(10, int(band * 0.34))
    tag = "Illustration · mediadesk demo"
    font, _ = _font(size)
    tag_w = d.textlength(tag, font=font)
    _text(d, (w - band * 0.4, h - band / 2), tag, size, (170, 190, 220), anchor="rm")
    _text(d, (band * 0.4, h - band / 2), _fit(caption, size, w - tag_w - band * 1.4), size,
          (245, 245, 245), anchor="lm")


def draw_photo(shot: Shot, caption: str, size: tuple[int, int] = PHOTO_SIZE) -> Image.Image:
    if shot.gesture < 0:  # someone is speaking in about half the pictures
        pick = random.Random("gesture:" + shot.seed).randrange(-2, max(1, len(shot.people)))
        shot = Shot(shot.scene, shot.people, shot.flags, shot.seed, gesture=max(-1, pick))
    img = render_scene(shot, size)
    caption_strip(img, caption)
    return img
