"""Catalogs with real files and rights for the export, ledger and verify tests (helpers, no fixtures)."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import av
from PIL import Image

from mediadesk.catalog import Catalog
from mediadesk.catalog.rights_profiles import RightsProfileStore
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.media import embed_metadata
from mediadesk.services.edits import apply_edits
from mediadesk.services.importer import import_paths

NATO_PROFILE_ID = 1  # seeded by the migrations: editorial only, credit "NATO" required
CAPTION_PL = "Prezydent Andrzej Duda w Krakowie; delegacje z Kraków i Łódź, zażółć gęślą jaźń"
CAPTION_RS = "Predsednik Aleksandar Vučić, Đorđević i Šešelj u Beogradu"
COPYRIGHT = "© NATO 2025 — Łódź/Kraków"


def jpeg(path: Path, size=(96, 64), color=(180, 40, 40), fields: dict | None = None) -> Path:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=90)
    data = out.getvalue()
    if fields:
        data, _ = embed_metadata(data, fields, fmt="JPEG")
    path.write_bytes(data)
    return path


def video(path: Path, seconds: float = 0.4) -> Path:
    """A tiny MPEG-4 clip written with PyAV (no ffmpeg binary needed)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for n in range(int(seconds * 10)):
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (n * 20 % 255, 90, 160)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@dataclass
class Library:
    catalog_path: Path
    ids: dict[str, int] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    profiles: dict[str, int] = field(default_factory=dict)

    def open(self) -> Catalog:
        return Catalog(self.catalog_path)


def build_library(tmp_path: Path, *, with_video: bool = True) -> Library:
    """Photos with Polish and Serbian captions (editorial-only NATO profile), one photo without
    a profile, one with a commercial profile, and (optionally) a video under the NATO profile."""
    src = tmp_path / "originals"
    src.mkdir()
    lib = Library(tmp_path / "catalog.mediadesk")
    lib.files["pl"] = jpeg(src / "krakow.jpg", color=(200, 30, 30),
                           fields={"caption": CAPTION_PL, "creator": "Jan Kowalski"})
    lib.files["rs"] = jpeg(src / "beograd.jpg", color=(30, 200, 30), fields={"title": "Vučić u Briselu"})
    lib.files["none"] = jpeg(src / "unknown.jpg", color=(30, 30, 200))
    lib.files["ad"] = jpeg(src / "campaign.jpg", color=(120, 120, 20))
    if with_video:
        lib.files["clip"] = video(src / "clip.mp4")
    catalog = lib.open()
    try:
        report = import_paths(catalog, [str(src)], workers=0)
        assert report.failed == 0, report.errors
        by_name = {r["file_name"]: r["id"] for r in catalog.query("SELECT id, file_name FROM assets")}
        for key, path in lib.files.items():
            lib.ids[key] = by_name[path.name]
        with catalog.transaction():
            lib.profiles["commercial"] = RightsProfileStore(catalog).create_unrecorded(RightsProfile(
                id=None, name="Campaign licence", note="Licensed for the 2025 recruitment campaign.",
                allowed_purposes=frozenset({Purpose.COMMERCIAL, Purpose.ADVERTISING, Purpose.MARKETING}),
                credit_line="Agencja Łódź"))
        edits = {
            lib.ids["pl"]: {"rights_profile_id": NATO_PROFILE_ID, "copyright": COPYRIGHT},
            lib.ids["rs"]: {"rights_profile_id": NATO_PROFILE_ID, "caption": CAPTION_RS,
                            "copyright": "© NATO — Đorđević"},
            lib.ids["ad"]: {"rights_profile_id": lib.profiles["commercial"], "caption": "Kampania Šešelj"},
        }
        if with_video:
            edits[lib.ids["clip"]] = {"rights_profile_id": NATO_PROFILE_ID, "caption": "Wideo z Łodzi",
                                      "copyright": COPYRIGHT}
        apply_edits(catalog, edits, description="test rights")
    finally:
        catalog.close()
    lib.profiles["nato"] = NATO_PROFILE_ID
    return lib


def exiftool_available() -> bool:
    return shutil.which("exiftool") is not None


def exiftool_fields(path: Path) -> dict:
    import json

    out = subprocess.run(
        ["exiftool", "-j", "-charset", "iptc=UTF8", "-XMP-xmpRights:UsageTerms", "-XMP-dc:Description",
         "-XMP-dc:Rights", "-XMP-photoshop:Credit", "-XMP-photoshop:Instructions",
         "-IPTC:Caption-Abstract", "-IPTC:CopyrightNotice", "-IPTC:Credit", "-IPTC:SpecialInstructions",
         str(path)],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)[0]


def now() -> datetime:
    return datetime.now(UTC)
