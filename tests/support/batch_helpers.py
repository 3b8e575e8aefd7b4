"""Real JPEG files imported into a catalog, for the batch captioning tests."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def make_jpegs(folder: Path, count: int = 3, *, size=(64, 48)) -> list[Path]:
    """JPEGs with Exif Make/Model (tags mediadesk does not manage) and distinct pixels."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        image = Image.new("RGB", size, (40 * i % 255, 120, 200))
        for x in range(0, size[0], 7):
            image.putpixel((x, (x * (i + 3)) % size[1]), (255, 255 - i, 0))
        exif = Image.Exif()
        exif[0x010F] = "Nikon"
        exif[0x0110] = "Z 9"
        path = folder / f"frame_{i + 1:03d}.jpg"
        image.save(path, quality=90, exif=exif)
        paths.append(path)
    return paths


def imported(catalog, folder: Path, count: int = 3, *, gallery: str | None = None) -> list[int]:
    from mediadesk.services.importer import import_paths

    make_jpegs(folder, count)
    report = import_paths(catalog, [str(folder)], gallery=gallery, workers=0)
    assert report.failed == 0, report.errors
    return sorted(report.asset_ids)
