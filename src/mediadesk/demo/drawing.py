"""Drawing primitives for the demo library's pictures (Pillow; no downloads): fonts, gradients,
flags, a compass-rose star, figures and lecterns. The scenes are in :mod:`mediadesk.demo.scenes`.

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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

PHOTO_SIZE = (1600, 1067)

RGB = tuple[int, int, int]

# -- fonts ----------------------------------------------------------------------------------------
_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "arial.ttf", "Arial.ttf", "segoeui.ttf",
               "Helvetica.ttc", "LiberationSans-Regular.ttf")
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                        "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@cache
def _font(size: int) -> tuple[ImageFont.FreeTypeFont | ImageFont.ImageFont, bool]:
    """(font, full_unicode): a system sans with Latin Extended glyphs, else Pillow's own font."""
    for name in _FONT_FILES:
        try:
            return ImageFont.truetype(name, size), True
        except OSError:
            continue
    return ImageFont.load_default(size=size), False


def _text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int,
          fill: RGB | tuple[int, ...], anchor: str = "la") -> float:
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
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


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
