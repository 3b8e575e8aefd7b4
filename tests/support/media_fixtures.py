"""Helpers shared by the tests/test_media_*.py files: small generated media and exiftool calls."""

from __future__ import annotations

import io
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image

from tests.support.environment import needs_exiftool

EXIFTOOL = shutil.which("exiftool")
__all__ = ["needs_exiftool"]   # re-exported: the media tests take it from here


def jpeg_bytes(size: tuple[int, int] = (64, 48), color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    im = Image.new("RGB", size, color)
    im.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 3))  # asymmetric, to see orientation
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def png_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (10, 200, 10, 128)).save(buf, "PNG")
    return buf.getvalue()


def webp_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 20, 200)).save(buf, "WEBP", lossless=True)
    return buf.getvalue()


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A ~100-byte PNG whose header declares width x height pixels (never decodable)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b""))
            + chunk(b"IEND", b""))


def exiftool(*args: str) -> subprocess.CompletedProcess:
    assert EXIFTOOL
    return subprocess.run([EXIFTOOL, "-q", "-q", *args], check=True, capture_output=True)


def exiftool_json(path: Path, *args: str) -> dict:
    out = exiftool("-j", "-G1", *args, str(path)).stdout
    return json.loads(out.decode("utf-8"))[0]
