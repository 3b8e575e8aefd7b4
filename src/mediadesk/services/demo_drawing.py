"""Drawing the demo library's pictures (Pillow; no downloads).

The pictures are plainly illustrations: flat shapes on a gradient, silhouettes for people,
coloured rectangles for flags, a compass-rose star drawn from polygons (not any real emblem) and
a caption strip that says "Illustration · mediadesk demo". Each shot is framed differently
(seeded crop, zoom and light) so a gallery grid does not show ten copies of one image.

Everything is deterministic: randomness is seeded from the file name and no clock is read, so the
same version of mediadesk makes the same bytes (and the importer's content hash dedups them).
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PHOTO_SIZE = (1600, 1067)

RGB = tuple[int, int, int]

# -- fonts ----------------------------------------------------------------------------------------
_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "arial.ttf", "Arial.ttf", "segoeui.ttf",
               "Helvetica.ttc", "LiberationSans-Regular.ttf")
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                        "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@lru_cache(maxsize=None)
def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """(font, full_unicode): a system sans with Latin Extended glyphs, else Pillow's own font."""
    for name in _FONT_FILES:
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int,
          fill, anchor: str = "la") -> float:
    """Draw text; returns its width. Pillow's built-in font lacks ł, å, č: fold those to ASCII."""
    font, unicode_ok = _font(size)
    if not unicode_ok:
        text = unicodedata.normalize("NFKD", text.translate(_ASCII))
        text = "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "replace").decode()
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)
    return draw.textlength(text, font=font)


def _fit(text: str, size: int, width: float) -> str:
    font, _ = _font(size)
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip(" ,") + "…"


# -- colours and primitives ---------------------------------------------------------------------
def _mix(a: Sequence[int], b: Sequence[int], t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def _shade(c: Sequence[int], f: float) -> RGB:
    return tuple(max(0, min(255, int(v * f))) for v in c)  # type: ignore[return-value]


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _glow(img: Image.Image, centre: tuple[float, float], radius: float, colour: RGB,
          strength: float) -> None:
    """A soft pool of light (drawn small, blurred, scaled up: cheap at any size)."""
    w, h = img.size
    k = 8
    mask = Image.new("L", (w // k, h // k), 0)
    cx, cy, r = centre[0] / k, centre[1] / k, radius / k
    ImageDraw.Draw(mask).ellipse([cx - r, cy - r * 0.7, cx + r, cy + r * 0.7], fill=int(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(r * 0.45)).resize((w, h), Image.Resampling.BILINEAR)
    img.paste(Image.new("RGB", (w, h), colour), (0, 0), mask)


def compass_star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float,
                 light: RGB, dark: RGB, ring: RGB | None = None) -> None:
    """An eight-point compass-rose star, each point split into a light and a dark half."""
    if ring is not None:
        rr = r * 0.62
        draw.ellipse([cx - rr, cy - rr, cx + rr, cy + rr], outline=ring, width=max(2, int(r * 0.05)))
    for i in range(8):
        theta = math.radians(-90 + 45 * i)
        length = r if i % 2 == 0 else r * 0.46
        half = r * (0.15 if i % 2 == 0 else 0.1)
        tip = (cx + length * math.cos(theta), cy + length * math.sin(theta))
        left = (cx + half * math.cos(theta - math.pi / 2), cy + half * math.sin(theta - math.pi / 2))
        right = (cx + half * math.cos(theta + math.pi / 2), cy + half * math.sin(theta + math.pi / 2))
        draw.polygon([(cx, cy), left, tip], fill=light)
        draw.polygon([(cx, cy), tip, right], fill=dark)


def _flag_design(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], code: str) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if code == "PL":
        draw.rectangle([x0, y0, x1, y0 + h / 2], fill=(245, 245, 245))
        draw.rectangle([x0, y0 + h / 2, x1, y1], fill=(220, 20, 60))
    elif code == "BE":
        for i, c in enumerate(((20, 20, 20), (253, 218, 36), (239, 51, 64))):
            draw.rectangle([x0 + w * i / 3, y0, x0 + w * (i + 1) / 3, y1], fill=c)
    elif code == "SE":
        draw.rectangle(box, fill=(0, 106, 167))
        draw.rectangle([x0 + w * 5 / 16, y0, x0 + w * 7 / 16, y1], fill=(254, 204, 2))
        draw.rectangle([x0, y0 + h * 4 / 10, x1, y0 + h * 6 / 10], fill=(254, 204, 2))
    elif code == "BA":
        draw.rectangle(box, fill=(0, 35, 149))
        draw.polygon([(x0 + w * 0.28, y0), (x0 + w * 0.78, y0), (x0 + w * 0.78, y1)], fill=(254, 203, 0))
        for i in range(7):
            sx, sy = x0 + w * (0.2 + 0.075 * i), y0 + h * (0.02 + 0.15 * i)
            draw.ellipse([sx - w * 0.018, sy - w * 0.018, sx + w * 0.018, sy + w * 0.018], fill=(250, 250, 250))
    else:  # "NATO": the alliance blue with a white compass-rose star
        draw.rectangle(box, fill=(0, 58, 128))
        compass_star(draw, x0 + w * 0.42, y0 + h * 0.5, h * 0.36, (255, 255, 255), (190, 205, 225))


def flag_on_pole(img: Image.Image, x: float, ground: float, height: float, code: str,
                 rng: random.Random) -> None:
    """A flag hanging from a pole top, with soft vertical folds."""
    draw = ImageDraw.Draw(img)
    pw = max(3, height * 0.012)
    draw.rectangle([x - pw, ground - height, x + pw, ground], fill=(200, 190, 160))
    draw.ellipse([x - pw * 2.2, ground - height - pw * 4, x + pw * 2.2, ground - height], fill=(214, 190, 110))
    fw, fh = height * 0.36, height * 0.5
    box = (x + pw, ground - height + pw * 3, x + pw + fw, ground - height + pw * 3 + fh)
    _flag_design(draw, box, code)
    folds = Image.new("L", (max(1, int(fw)), max(1, int(fh))), 0)
    fd = ImageDraw.Draw(folds)
    for i in range(4):
        fx = fw * (0.12 + 0.24 * i + rng.uniform(-0.04, 0.04))
        fd.rectangle([fx, 0, fx + fw * 0.07, fh], fill=70)
    folds = folds.filter(ImageFilter.GaussianBlur(max(1, fw * 0.03)))
    img.paste((0, 0, 0), (int(box[0]), int(box[1])), folds)


@dataclass(frozen=True)
class Look:
    """How one person is drawn: same name, same look in every picture."""

    suit: RGB
    skin: RGB
    hair: RGB | None   # None: bald
    tie: RGB
    shirt: RGB = (240, 240, 236)


_SUITS = ((28, 36, 58), (40, 42, 48), (58, 62, 70), (22, 26, 30), (48, 58, 84), (70, 64, 58))
_SKINS = ((236, 200, 172), (222, 184, 150), (198, 152, 118), (240, 212, 190), (170, 120, 90))
_HAIRS = ((200, 200, 200), (120, 90, 60), (60, 48, 40), (230, 230, 225), (40, 36, 34), None)
_TIES = ((150, 30, 40), (30, 70, 140), (90, 100, 120), (120, 40, 90), (40, 110, 80))


def look_for(name: str) -> Look:
    rng = random.Random("look:" + name)
    return Look(rng.choice(_SUITS), rng.choice(_SKINS), rng.choice(_HAIRS), rng.choice(_TIES))


def figure(img: Image.Image, x: float, feet: float, h: float, look: Look, *,
           reach: tuple[float, float] | None = None, gesture: bool = False,
           helmet: RGB | None = None, coat: bool = False, facing: int = 0) -> None:
    """A standing silhouette, feet at (x, feet), h tall. ``reach``: where the right hand goes."""
    d = ImageDraw.Draw(img)
    r = h * 0.074
    head_y = feet - h + r
    sh_y = feet - h + r * 2.45
    hip_y = feet - h * 0.47
    sw, hw = h * 0.135, h * 0.105
    suit = look.suit
    dark = _shade(suit, 0.7)
    # legs and shoes
    lw = h * 0.05
    for side in (-1, 1):
        lx = x + side * h * 0.048
        d.polygon([(lx - lw, hip_y), (lx + lw, hip_y), (lx + lw * 0.85, feet - h * 0.02),
                   (lx - lw * 0.85, feet - h * 0.02)], fill=dark)
        d.ellipse([lx - lw * 1.2 + side * lw * 0.3, feet - h * 0.035, lx + lw * 1.2 + side * lw * 0.3, feet + h * 0.01],
                  fill=(18, 18, 20))
    # torso (a coat is longer)
    bottom = hip_y + (h * 0.16 if coat else h * 0.04)
    d.polygon([(x - sw * 0.8, sh_y), (x + sw * 0.8, sh_y), (x + sw, sh_y + r * 0.6), (x + hw * 1.05, bottom),
               (x - hw * 1.05, bottom), (x - sw, sh_y + r * 0.6)], fill=suit)
    for side in (-1, 1):
        cx = x + side * (sw - r * 0.45)
        d.ellipse([cx - r * 0.5, sh_y, cx + r * 0.5, sh_y + r * 1.1], fill=suit)
    # shirt, tie
    if not helmet:
        d.polygon([(x - r * 0.55, sh_y - r * 0.1), (x + r * 0.55, sh_y - r * 0.1), (x, sh_y + r * 1.9)],
                  fill=look.shirt)
        d.polygon([(x - r * 0.14, sh_y), (x + r * 0.14, sh_y), (x + r * 0.2, sh_y + r * 1.75),
                   (x, sh_y + r * 2.0), (x - r * 0.2, sh_y + r * 1.75)], fill=look.tie)
        d.line([(x - r * 0.55, sh_y - r * 0.1), (x - r * 0.05, sh_y + r * 2.2)], fill=dark, width=max(1, int(r * 0.12)))
        d.line([(x + r * 0.55, sh_y - r * 0.1), (x + r * 0.05, sh_y + r * 2.2)], fill=dark, width=max(1, int(r * 0.12)))
    # arms
    aw = max(2, int(h * 0.052))
    left_sh, right_sh = (x - sw, sh_y + r * 0.5), (x + sw, sh_y + r * 0.5)
    left_hand = (x - sw - h * 0.02, hip_y + h * 0.03)
    if reach is not None:
        right_hand = reach
    elif gesture:
        right_hand = (x + sw + h * 0.07, sh_y + h * 0.02)
    else:
        right_hand = (x + sw + h * 0.02, hip_y + h * 0.03)
    for shoulder, hand in ((left_sh, left_hand), (right_sh, right_hand)):
        if gesture and hand is right_hand and reach is None:
            elbow = (x + sw + h * 0.03, hip_y - h * 0.06)
            d.line([shoulder, elbow, hand], fill=suit, width=aw, joint="curve")
        else:
            d.line([shoulder, hand], fill=suit, width=aw)
        d.ellipse([hand[0] - aw * 0.55, hand[1] - aw * 0.55, hand[0] + aw * 0.55, hand[1] + aw * 0.55],
                  fill=look.skin)
    # neck, head, hair
    d.rectangle([x - r * 0.42, head_y + r * 0.6, x + r * 0.42, sh_y + r * 0.2], fill=_shade(look.skin, 0.88))
    hx = x + facing * r * 0.12
    d.ellipse([hx - r * 0.82, head_y - r, hx + r * 0.82, head_y + r], fill=look.skin)
    d.chord([hx - r * 0.82, head_y - r, hx + r * 0.82, head_y + r], 300, 60, fill=_shade(look.skin, 0.9))
    if helmet is not None:
        d.chord([hx - r * 0.98, head_y - r * 1.15, hx + r * 0.98, head_y + r * 0.5], 180, 360, fill=helmet)
    elif look.hair is not None:
        d.chord([hx - r * 0.86, head_y - r * 1.06, hx + r * 0.86, head_y + r * 0.45], 180, 360, fill=look.hair)
    else:
        d.arc([hx - r * 0.84, head_y - r * 0.6, hx + r * 0.84, head_y + r * 0.7], 160, 200, fill=(180, 180, 180),
              width=max(1, int(r * 0.2)))
        d.arc([hx - r * 0.84, head_y - r * 0.6, hx + r * 0.84, head_y + r * 0.7], 340, 20, fill=(180, 180, 180),
              width=max(1, int(r * 0.2)))


def lectern(img: Image.Image, cx: float, top: float, w: float, h: float, colour: RGB) -> None:
    d = ImageDraw.Draw(img)
    d.polygon([(cx - w * 0.55, top), (cx + w * 0.55, top), (cx + w * 0.42, top + h), (cx - w * 0.42, top + h)],
              fill=colour)
    d.rectangle([cx - w * 0.58, top - h * 0.04, cx + w * 0.58, top + h * 0.03], fill=_shade(colour, 1.25))
    compass_star(d, cx, top + h * 0.3, w * 0.2, (255, 255, 255), (180, 196, 220))
    d.line([(cx, top - h * 0.02), (cx - w * 0.08, top - h * 0.28)], fill=(30, 30, 30), width=max(2, int(w * 0.02)))
    d.ellipse([cx - w * 0.12, top - h * 0.33, cx - w * 0.04, top - h * 0.25], fill=(20, 20, 20))


# -- scenes -------------------------------------------------------------------------------------
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
    for i, (x, look) in enumerate(zip(_pair_positions(w, rng, 2, 0.34), looks)):
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
    for i, (x, look) in enumerate(zip(xs, looks)):
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
        d.rectangle([w * 0.64, h * (0.2 + 0.07 * i), w * (0.88 - 0.06 * i), h * (0.23 + 0.07 * i)], fill=(200, 215, 235))
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
            d.ellipse([ax - hr * 2.4, ay - hr * 0.2, ax + hr * 2.4, ay + hr * 3], fill=_mix((20, 22, 30), (60, 60, 70), rng.random()))
            d.ellipse([ax - hr, ay - hr * 2, ax + hr, ay + hr * 0.2], fill=rng.choice(((40, 30, 25), (90, 70, 50), (150, 150, 150), (20, 20, 20))))


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
    d.polygon([(vx, vy), (vx + w * 0.3, vy), (vx + w * 0.33, vy + h * 0.09), (vx - w * 0.02, vy + h * 0.09)], fill=olive)
    d.rectangle([vx + w * 0.08, vy - h * 0.06, vx + w * 0.2, vy], fill=_shade(olive, 0.9))
    d.line([(vx + w * 0.08, vy - h * 0.035), (vx - w * 0.1, vy - h * 0.05)], fill=_shade(olive, 0.8), width=10)
    for i in range(6):
        cx = vx + w * (0.01 + 0.055 * i)
        d.ellipse([cx - h * 0.03, vy + h * 0.07, cx + h * 0.03, vy + h * 0.13], fill=(30, 30, 30))
    flag_on_pole(img, w * 0.08, h * 0.8, h * 0.5, (shot.flags or ("SE",))[0], rng)
    n = 4
    looks = [Look(_shade(look.suit, 0.8), look.skin, look.hair, look.tie) for look in _people_looks(shot, n)]
    for i, (x, look) in enumerate(zip(_pair_positions(w * 0.8, rng, n, 0.13), looks)):
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
    for i, (x, look) in enumerate(zip(_pair_positions(w, rng, n, 0.17), looks)):
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
                                      _people_looks(shot, max(1, len(shot.people))))):
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
