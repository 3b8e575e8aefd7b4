"""The demo library: real files made on this machine, imported through the real import path.

``build_demo_library(catalog)`` draws the photos of demo/content.py (Exif written by Pillow when the
JPEG is first encoded, then IPTC-IIM and XMP through media.embed_metadata), encodes the videos
with PyAV (container tags plus an XMP sidecar ``clip.mp4.xmp``), then imports each gallery's
folder with ``import_paths(..., gallery=TITLE)`` and sets the galleries' dates, places and
descriptions. Nothing is downloaded and nothing is written into the catalog by hand: what the
catalog shows is what the importer read from the files.

Running it again adds nothing: files that exist are not made again (and would come out
byte-identical anyway: seeded drawing, fixed timestamps), and the importer recognises them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mediadesk.catalog.connection import Catalog
from mediadesk.demo import content, documents as words, scenes as drawing, video as encoding
from mediadesk.domain.changes import Changes
from mediadesk.jobs import Cancelled, Job
from mediadesk.media import embed_metadata, sidecar_path_for, xmp_sidecar_bytes
from mediadesk.services.importer import ImportReport, import_paths

MEDIA_FOLDER = "demo-media"

LABEL_DRAWING = "Drawing photos"
LABEL_ENCODING = "Encoding videos"
LABEL_IMPORTING = "Importing"
LABEL_WRITING = "Writing press releases"


def default_media_dir(catalog: Catalog) -> Path:
    """Where the demo files go unless told otherwise: ``demo-media/`` beside the catalog file."""
    return catalog.folder / MEDIA_FOLDER


@dataclass(frozen=True)
class _Planned:
    gallery: content.DemoGallery
    folder: Path


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")  # dot-names are skipped by the importer's scan
    tmp.write_bytes(data)
    os.replace(tmp, path)


def make_photo(gallery: content.DemoGallery, photo: content.DemoPhoto, path: Path) -> list[str]:
    """Draw one photo and write it with Exif, IIM and XMP; returns embed warnings."""
    fields = content.photo_fields(gallery, photo)
    shot = drawing.Shot(photo.scene, photo.people, photo.flags, seed=photo.file_name)
    img = drawing.draw_photo(shot, photo.caption)
    exif = encoding.camera_exif(make=content.CAMERA_MAKE, model=content.CAMERA_MODEL, taken=photo.taken,
                               artist=content.PHOTO_CREATOR, copyright="(c) NATO", size=img.size)
    jpeg = encoding.encode_jpeg(img, exif)
    data, warnings = embed_metadata(jpeg, fields, fmt="JPEG")  # also sets Exif copyright "© NATO"
    _write_atomically(path, data)
    return warnings


def make_video(gallery: content.DemoGallery, video: content.DemoVideo, path: Path,
               job: Job | None = None) -> None:
    """Encode one video (exactly video.duration seconds) and write its XMP sidecar."""
    fields = content.video_fields(gallery, video)
    tags = {
        "title": video.title, "comment": video.caption, "description": video.caption,
        "artist": content.VIDEO_CREATOR, "copyright": content.COPYRIGHT,
        "keywords": ", ".join(fields.get("keywords", [])),  # type: ignore[arg-type]
    }
    tmp = path.with_name(f".{path.name}.part")
    try:
        encoding.encode_video(
            str(tmp), shot_people=video.people, flags=video.flags, seed=video.file_name,
            duration=video.duration, speakers=video.speakers, title=video.title, metadata=tags,
            check_cancelled=job.check_cancelled if job is not None else None,
        )
        # the sidecar first: a video without its sidecar would import without usage terms
        _write_atomically(Path(sidecar_path_for(str(path))), xmp_sidecar_bytes(fields))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _plan(root: Path) -> list[_Planned]:
    return [_Planned(g, root / g.folder) for g in content.GALLERIES]


def _missing_photos(plan: list[_Planned]) -> Iterator[tuple[content.DemoGallery, content.DemoPhoto, Path]]:
    for p in plan:
        for photo in p.gallery.photos:
            path = p.folder / photo.file_name
            if not path.exists():
                yield p.gallery, photo, path


def _missing_videos(plan: list[_Planned]) -> Iterator[tuple[content.DemoGallery, content.DemoVideo, Path]]:
    for p in plan:
        for video in p.gallery.videos:
            path = p.folder / video.file_name
            if not path.exists() or not Path(sidecar_path_for(str(path))).exists():
                yield p.gallery, video, path


def _file_count(gallery: content.DemoGallery) -> int:
    """The files the import finds in a gallery's folder: photos, videos, releases, transcripts."""
    return (len(gallery.photos) + len(gallery.videos) + len(gallery.releases)
            + sum(1 for v in gallery.videos if v.transcript))


class _ImportPhase(Job):
    """Hands the importer a job that reports into the demo's job without resetting its totals."""

    def __init__(self, outer: Job) -> None:
        super().__init__(LABEL_IMPORTING)
        self.outer = outer
        self.advanced = 0

    def set_total(self, total: int | None) -> None:
        pass

    def set_label(self, label: str) -> None:
        pass

    def advance(self, n: int = 1, label: str | None = None) -> None:
        self.advanced += n
        self.outer.advance(n)

    def check_cancelled(self) -> None:
        self.outer.check_cancelled()

    @property
    def cancelled(self) -> bool:
        return self.outer.cancelled


def _merge(total: ImportReport, part: ImportReport) -> None:
    for name in ("imported", "updated", "moved", "duplicates", "unchanged", "unsupported", "failed",
                 "bytes_read"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.errors += part.errors
    total.warnings += part.warnings
    total.unsupported_files += part.unsupported_files
    total.asset_ids += part.asset_ids
    total.cancelled = total.cancelled or part.cancelled
    total.batch_id = part.batch_id


def build_demo_library(catalog: Catalog, *, job: Job | None = None,
                       media_dir: str | os.PathLike[str] | None = None,
                       on_batch: Callable[[list[int], Changes], None] | None = None) -> ImportReport:
    """Make the demo media (if not there yet) and import them gallery by gallery.

    Progress: "Drawing photos", "Encoding videos", "Importing" on ``job``; cancelling stops at
    the next file (files already made and batches already imported stay). Returns the combined
    import report of all galleries (``cancelled`` set when stopped early; ``seconds`` is the
    whole build: drawing, encoding and importing). ``on_batch`` is passed to the importer (the
    window refreshes as batches land)."""
    started = time.monotonic()
    job = job or Job(LABEL_DRAWING)
    root = Path(media_dir) if media_dir is not None else default_media_dir(catalog)
    plan = _plan(root)
    photos = list(_missing_photos(plan))
    videos = list(_missing_videos(plan))
    documents = [p for p in plan if words.words_missing(p.folder, p.gallery)]
    n_files = sum(_file_count(p.gallery) for p in plan)
    job.set_label(LABEL_DRAWING)
    job.set_total(len(photos) + len(videos) + len(documents) + n_files)
    report = ImportReport()
    try:
        for p in plan:
            p.folder.mkdir(parents=True, exist_ok=True)
        for gallery, photo, path in photos:
            job.check_cancelled()
            for warning in make_photo(gallery, photo, path):
                report.warnings.append({"path": str(path), "warning": warning})
            job.advance(1)
        job.set_label(LABEL_ENCODING)
        for gallery, video, path in videos:
            job.check_cancelled()
            make_video(gallery, video, path, job)
            job.advance(1)
        job.set_label(LABEL_WRITING)
        for p in documents:   # press releases, the chapters and the transcript beside videos
            job.check_cancelled()
            for item in p.gallery.releases:
                if not (p.folder / item.file_name).exists():
                    for warning in words.make_release(p.gallery, item, p.folder / item.file_name):
                        report.warnings.append({"path": str(p.folder / item.file_name), "warning": warning})
            for video in p.gallery.videos:
                words.make_video_words(p.gallery, video, p.folder / video.file_name)
            job.advance(1)
    except Cancelled:
        report.cancelled = True
        report.seconds = time.monotonic() - started
        return report

    job.set_label(LABEL_IMPORTING)
    words.free_use_profile(catalog)
    galleries = catalog.galleries
    for p in plan:
        if job.cancelled:
            report.cancelled = True
            break
        phase = _ImportPhase(job)
        part = import_paths(catalog, [str(p.folder)], gallery=p.gallery.title, job=phase,
                            on_batch=on_batch)
        _merge(report, part)
        expected = _file_count(p.gallery)
        if phase.advanced < expected:  # files the importer already had count as done
            job.advance(expected - phase.advanced)
        words.link_releases(catalog, p.gallery, p.folder)
        found = galleries.find(p.gallery.title)
        if found is not None:
            description = p.gallery.description or (words.release(p.gallery.releases[0].title).paragraphs[0]
                                                    if p.gallery.releases else "")
            with catalog.transaction():
                galleries.update_unrecorded(found.id, date=p.gallery.date, end_date=p.gallery.end_date,
                                            place=p.gallery.place, description=description)
        if part.cancelled:
            break
    report.seconds = time.monotonic() - started
    return report
