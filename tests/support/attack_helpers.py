"""Pieces the attack tests share (imported by name: ``from attack_helpers import jpeg_bytes``)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from mediadesk.cli.main import main
from mediadesk.media import embed_metadata


def jpeg_bytes(seed: int = 0, size=(64, 48), **fields) -> bytes:
    """A small real JPEG with the given metadata fields embedded (XMP, IIM, Exif)."""
    out = io.BytesIO()
    Image.new("RGB", size, ((seed * 53) % 255, (seed * 101) % 255, 90)).save(out, "JPEG", quality=88)
    data = out.getvalue()
    if fields:
        data, _ = embed_metadata(data, fields, fmt="JPEG")
    return data


class Cli:
    """Runs ``mediadesk`` in-process on one catalog and returns (exit status, stdout, stderr)."""

    def __init__(self, capsys, catalog_path: Path) -> None:
        self.capsys = capsys
        self.catalog_path = catalog_path

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            code = main(["--catalog", str(self.catalog_path), *map(str, args)])
        except SystemExit as exc:   # argparse refuses an argument this way
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> tuple[int, object]:
        code, out, err = self(*args, "--json")
        return code, (json.loads(out) if out.strip() else {"stderr": err})
