"""A clean text card as the thumbnail of a document that has no page to render (DOCX, ODT, HTML,
Markdown, plain text; a PDF whose page cannot be drawn): a white page with the format, the
title in bold and the opening words, like a press release lying on a desk.

Drawn at twice the size and scaled down (smooth letters at 256 px); fonts from the system
(media/fonts.py), else Pillow's own.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ..fonts import font_file
from ..thumbnails import THUMB_QUALITY, THUMB_SIZE

_SCALE = 2
_INK = (34, 34, 40)
_GREY = (92, 96, 104)
_RULE = (205, 208, 214)
_BADGE = (0, 71, 133)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=16)
def _font(size: int, bold: bool) -> Font:
    path = font_file(bold=bold) or font_file(bold=False)
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def _wrap(text: str, font: Font, width: float, max_lines: int) -> list[str]:
    lines: list[str] = []
    words = text.split()
    line = ""
    for word in words:
        while font.getlength(word) > width and len(word) > 1:   # a word wider than the card
            cut = len(word)
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
        if len(lines) >= max_lines:
            break
    if line and len(lines) < max_lines:
        lines.append(line)
    if len(lines) >= max_lines and words:
        last = lines[max_lines - 1]
        while last and font.getlength(last + "\u2026") > width:
            last = last[:-1]
        lines[max_lines - 1] = last.rstrip() + "\u2026" if len(" ".join(lines).split()) < len(words) else last
    return lines[:max_lines]


def text_card(fmt: str, title: str | None, body: str, note: str | None = None) -> bytes:
    """JPEG bytes of a portrait card (A4 proportions, THUMB_SIZE high)."""
    height = THUMB_SIZE * _SCALE
    width = round(height / 1.4142)
    margin = 16 * _SCALE
    im = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, width - 1, height - 1), outline=_RULE, width=_SCALE)
    badge_font = _font(9 * _SCALE, True)
    label = fmt.upper()
    badge_w = badge_font.getlength(label) + 10 * _SCALE
    draw.rectangle((margin, margin, margin + badge_w, margin + 15 * _SCALE), fill=_BADGE)
    draw.text((margin + 5 * _SCALE, margin + 3 * _SCALE), label, font=badge_font, fill=(255, 255, 255))
    y = margin + 24 * _SCALE
    inner = width - 2 * margin
    if title:
        title_font = _font(12 * _SCALE, True)
        for line in _wrap(title, title_font, inner, 4):
            draw.text((margin, y), line, font=title_font, fill=_INK)
            y += 15 * _SCALE
        y += 4 * _SCALE
        draw.line((margin, y, width - margin, y), fill=_RULE, width=_SCALE)
        y += 8 * _SCALE
    body_font = _font(8 * _SCALE, False)
    bottom = height - margin - (14 * _SCALE if note else 0)
    room = max(0, (bottom - y) // (11 * _SCALE))
    for line in _wrap(" ".join(body.split()[:400]), body_font, inner, room):
        draw.text((margin, y), line, font=body_font, fill=_GREY)
        y += 11 * _SCALE
    if note:
        note_font = _font(8 * _SCALE, True)
        draw.text((margin, height - margin - 10 * _SCALE), note, font=note_font, fill=(160, 40, 30))
    small = im.resize((round(width / _SCALE), THUMB_SIZE), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=THUMB_QUALITY)
    return buf.getvalue()
