"""A camera card as a press photographer brings it back: numbered JPEG frames with the camera's
Exif (make, model, time taken without a zone) and no caption yet.

The frames are drawn on this machine like the demo library (demo/scenes.py: a visit to NATO
headquarters: arrival, handshake, podium, meeting); the captioning desk's walkthrough, its test
and its screenshots import them.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from mediadesk.demo.scenes import Shot, render_scene

SCENES = ("arrival", "handshake", "podium", "meeting")
PEOPLE = ("Mark Rutte", "Andrzej Duda")
FLAGS = ("PL", "NATO")
_MAKE, _MODEL, _IFD_EXIF, _TAKEN = 0x010F, 0x0110, 0x8769, 0x9003


def write_camera_card(folder: Path, count: int = 12, *, size: tuple[int, int] = (1600, 1067),
                      first_frame: int = 4711, day: str = "2025:05:14") -> list[Path]:
    """``count`` frames ``DSC_<n>.JPG`` in ``folder``, a minute apart from 09:20."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = []
    for n in range(count):
        shot = Shot(SCENES[n // 3 % len(SCENES)], PEOPLE, FLAGS, f"card-{first_frame + n}")
        image = render_scene(shot, size)
        exif = Image.Exif()
        exif[_MAKE], exif[_MODEL] = "Nikon", "Z 9"
        minutes = 20 + n
        exif.get_ifd(_IFD_EXIF)[_TAKEN] = f"{day} {9 + minutes // 60:02d}:{minutes % 60:02d}:00"
        path = folder / f"DSC_{first_frame + n:04d}.JPG"
        image.convert("RGB").save(path, quality=88, exif=exif)
        frames.append(path)
    return frames
