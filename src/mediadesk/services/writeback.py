"""Write catalog metadata back into the original files, on request only.

Per asset: read the file, compare what it holds with the catalog, and write only the fields that
differ. Photos that can carry metadata get it embedded (XMP, IIM with the UTF-8 marker and byte
limits, Exif where it has the field; every other tag kept; pixels never re-encoded): the new
bytes are read back and must show the catalog's values and the same image-data fingerprint, then
they replace the file atomically (temporary file, fsync, rename) with the file's permissions.
Existing sidecars of such a file get the same fields so no store is left stale. Videos, audio,
formats exiv2 cannot write safely, read-only files and files signed with C2PA content
credentials (embedding would break the signature) get an XMP sidecar (``name.ext.xmp``, merged
into an existing one) instead.

A file that changed on disk since it was imported is not written (its newer metadata would be
overwritten with older catalog values): import it again first. Size and time are not proof: the
bytes must hash to the catalog's content hash. After a write the catalog stores the file's new
size, mtime and hash, so the next import sees it as unchanged. A file whose size and time differ
is adopted as "an earlier write-back that was killed before it could record" only when its
metadata is the catalog's and its image data fingerprint is the catalog's picture's
(``pixel_fingerprint``): a different picture carrying the same metadata is a changed file.
A file reached through a symbolic link is written at the link's target (the link stays); a
sidecar that is a symbolic link is not written through.

Keywords: the catalog keeps hierarchical keywords as paths (``Places|Europe|Belgium``); files
get every level in dc:subject and IIM Keywords (see services.tagging).
"""

from __future__ import annotations

import glob
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mediadesk.catalog.asset_files import AssetFileStore
from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import MediaError
from mediadesk.domain.fields import LIST_FIELDS, METADATA_FIELDS
from mediadesk.fsutil import atomic_write_bytes
from mediadesk.jobs import Job
from mediadesk.media import (
    embed_metadata,
    image_data_fingerprint,
    probe,
    read_metadata_bytes,
    same_image_data,
    sidecar_path_for,
    xmp_sidecar_bytes,
)
from mediadesk.media.c2pa import has_manifest
from mediadesk.media.formats import can_embed
from mediadesk.media.sidecar import read_sidecar_fields, sidecar_candidates
from mediadesk.services.edits import normalise
from mediadesk.services.tagging import flat_keywords
from mediadesk.workers import Task, WorkerCrashed, WorkerPool

EMBEDDED = "embedded"
SIDECAR = "sidecar"
MAX_EMBED_BYTES = 1 << 30
IN_PROCESS_BELOW = 8  # a handful of files: no process start-up cost
_MTIME_SLACK = 1e-6


@dataclass
class FileResult:
    asset_id: int
    path: str
    target: str = EMBEDDED                 # embedded | sidecar
    written_to: str = ""                   # the file that was (or would be) written
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, in file, catalog)
    status: str = "unchanged"              # unchanged | would-write | written | failed | skipped
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    new_facts: tuple[int, float, str] | None = None  # size, mtime, sha256 after an embedded write
    fingerprint: str | None = None         # image-data fingerprint, for an asset that had none

    def to_json(self) -> dict[str, Any]:
        return {
            "asset_id": self.asset_id, "path": self.path, "target": self.target,
            "written_to": self.written_to, "status": self.status,
            "changes": [{"field": f, "file": _plain(o), "catalog": _plain(n)} for f, o, n in self.changes],
            "warnings": self.warnings, "error": self.error,
        }


@dataclass
class WritebackReport:
    dry_run: bool
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False
    changes: Changes = Changes()

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status in ("failed", "skipped")]

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run, "seconds": round(self.seconds, 3), "cancelled": self.cancelled,
            "written": self.count("written"), "would_write": self.count("would-write"),
            "unchanged": self.count("unchanged"), "failed": self.count("failed"),
            "skipped": self.count("skipped"), "files": [f.to_json() for f in self.files],
        }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# -- what the file should hold ----------------------------------------------------------------

def catalog_fields(asset: Asset) -> dict[str, Any]:
    """The asset's metadata as files carry it (keyword paths flattened into their levels)."""
    out: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = asset.get(name)
        if name == "keywords":
            value = flat_keywords(value)
        elif name in LIST_FIELDS:
            value = list(value)
        out[name] = value
    return out


def _key(name: str, value: Any) -> Any:
    value = normalise(name, value)
    if name in LIST_FIELDS:
        return frozenset(v.casefold() for v in value)
    return value


def diff_fields(in_file: dict[str, Any], wanted: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, value in the file, catalog value) for the fields that differ."""
    out = []
    for name, value in wanted.items():
        old = in_file.get(name)
        if _key(name, old) != _key(name, value):
            out.append((name, normalise(name, old), normalise(name, value)))
    return out


def _file_value(name: str, value: Any) -> Any:
    """A value in the form embed_metadata/xmp_sidecar_bytes take (None removes the field)."""
    if name in LIST_FIELDS:
        return list(value or [])
    return value


# -- one file ---------------------------------------------------------------------------------

def _writable(path: str, st: os.stat_result) -> tuple[bool, bool]:
    """(file may be rewritten, folder takes new files). A file without any write bit is
    read-only by intent (archive copies), even for a user who could override it."""
    folder = os.path.dirname(path) or "."
    file_ok = os.access(path, os.W_OK) and bool(st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return file_ok, os.access(folder, os.W_OK)


def _stale(asset: Asset, st: os.stat_result) -> bool:
    return st.st_size != asset.size or abs(st.st_mtime - asset.mtime) > _MTIME_SLACK


def _remove_stale_temps(path: str) -> None:
    """Temp files that a killed write-back left beside ``path`` (fsutil.atomic_write_bytes names
    them ``.<name>.XXXX.mdtmp``); a finished or failed write removes its own."""
    folder, name = os.path.split(path)
    for tmp in glob.glob(os.path.join(glob.escape(folder or "."), f".{glob.escape(name[:40])}.*.mdtmp")):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _finished_by_earlier_run(asset: Asset, st: os.stat_result, result: FileResult) -> bool:
    """A file that differs from the catalog's size/time but already holds exactly the catalog's
    values *and the catalog's picture* (its image-data fingerprint) was written by a write-back
    that was killed before it could record the new facts: record them now instead of refusing
    the file for ever. Another picture carrying the same metadata is not adopted (issue 10,
    class 6): its hash would be recorded and export would ship it under this asset's rights."""
    if not can_embed(asset.format) or st.st_size > MAX_EMBED_BYTES:
        return False
    if not asset.pixel_fingerprint:
        return False   # nothing to prove the picture is the catalog's
    try:
        with open(asset.path, "rb") as fh:
            data = fh.read()
        if diff_fields(read_metadata_bytes(data), catalog_fields(asset)):
            return False
        if image_data_fingerprint(data, asset.format) != asset.pixel_fingerprint:
            return False
    except (OSError, MediaError, ValueError):
        return False
    result.new_facts = (st.st_size, st.st_mtime, hashlib.sha256(data).hexdigest())
    result.status = "written"
    result.warnings.append("completed an earlier write-back that was interrupted")
    return True


def _process(asset: Asset, dry_run: bool) -> FileResult:
    result = FileResult(asset.id, asset.path, written_to=asset.path)
    path = asset.path
    try:
        st = os.stat(path)
    except FileNotFoundError:
        result.status, result.error = "skipped", (
            f"{path} is not there any more; import its new location, then write back")
        return result
    except OSError as exc:
        result.status, result.error = "skipped", f"{path} cannot be read: {exc.strerror or exc}"
        return result
    if not dry_run:
        _remove_stale_temps(path)
    if _stale(asset, st) and (dry_run or not _finished_by_earlier_run(asset, st, result)):
        result.status, result.error = "skipped", (
            f"{path} changed on disk since it was imported (size or time differ); import it again "
            "so its newer metadata is not overwritten, then write back")
        return result
    file_ok, folder_ok = _writable(os.path.realpath(path), st)
    wanted = catalog_fields(asset)
    embed = can_embed(asset.format) and file_ok and folder_ok and st.st_size <= MAX_EMBED_BYTES
    if embed and has_manifest(path):
        embed = False
        result.warnings.append("the file carries C2PA content credentials, which embedding metadata "
                               "would break: the metadata goes into an XMP sidecar instead")
    try:
        if embed:
            _embedded(asset, wanted, result, dry_run, st)
        else:
            if not folder_ok:
                result.status, result.error = "skipped", (
                    f"{path} cannot be written and its folder is read-only, so no sidecar can be put "
                    "beside it; make the folder writable or copy the files elsewhere")
                return result
            if asset.kind == AssetKind.PHOTO and not file_ok:
                result.warnings.append("the file is read-only: the metadata goes into an XMP sidecar")
            _sidecar(asset, wanted, result, dry_run)
    except MediaError as exc:
        result.status, result.error = "failed", f"{path}: {exc}; the file was left as it was"
    except OSError as exc:
        result.status, result.error = "failed", (
            f"{path}: writing failed ({exc.strerror or exc}); the original was left as it was")
    return result


def _embedded(asset: Asset, wanted: dict[str, Any], result: FileResult, dry_run: bool,
              st: os.stat_result) -> None:
    with open(asset.path, "rb") as fh:
        data = fh.read()
    expected = result.new_facts[2] if result.new_facts else asset.content_hash   # adopted just now
    if hashlib.sha256(data).hexdigest() != expected:
        # same size and time, other bytes: a swapped file is not the asset the catalog describes
        result.status, result.error = "skipped", (
            f"{asset.path} is not the file that was imported (its content differs, though its size "
            "and time may not); import it again, then write back")
        return
    if not asset.pixel_fingerprint:
        try:
            result.fingerprint = image_data_fingerprint(data, asset.format)
        except MediaError:
            pass
    current = read_metadata_bytes(data)
    result.changes = diff_fields(current, wanted)
    if not result.changes:
        return
    if dry_run:
        result.status = "would-write"
        return
    fields = {name: _file_value(name, new) for name, _old, new in result.changes}
    new_data, warnings = embed_metadata(data, fields, fmt=asset.format)
    result.warnings.extend(warnings)
    back = read_metadata_bytes(new_data)
    wrong = [name for name, _o, new in result.changes if _key(name, back.get(name)) != _key(name, new)]
    if wrong:
        raise MediaError(f"reading the new metadata back gave different values for {', '.join(wrong)}")
    if not same_image_data(data, new_data, asset.format):
        raise MediaError("the image data would have changed (not a lossless write)")
    if os.stat(asset.path).st_mtime != st.st_mtime:
        raise MediaError("the file changed while it was being written back; try again")
    # Through a symbolic link the target is written (the link stays a link): os.replace on the
    # link's own path would put a copy in its place and leave the target stale.
    real = os.path.realpath(asset.path)
    _remove_stale_temps(real)
    atomic_write_bytes(real, new_data, keep_mode_of=real)
    new_st = os.stat(asset.path)
    result.new_facts = (new_st.st_size, new_st.st_mtime, hashlib.sha256(new_data).hexdigest())
    result.status = "written"
    for other in sidecar_candidates(asset.path):  # keep existing sidecars in step
        if os.path.islink(other):
            result.warnings.append(f"the sidecar {os.path.basename(other)} is a symbolic link; "
                                   "it was not written through")
            continue
        with open(other, "rb") as fh:
            existing = fh.read()
        atomic_write_bytes(other, xmp_sidecar_bytes(fields, existing=existing), keep_mode_of=other)
        result.warnings.append(f"the sidecar {os.path.basename(other)} was updated too")


def _sidecar(asset: Asset, wanted: dict[str, Any], result: FileResult, dry_run: bool) -> None:
    result.target = SIDECAR
    target = sidecar_path_for(asset.path)
    result.written_to = target
    current = dict(probe(asset.path).fields)
    result.changes = diff_fields(current, wanted)
    if not result.changes:
        return
    if dry_run:
        result.status = "would-write"
        return
    fields = {name: _file_value(name, new) for name, _old, new in result.changes}
    if os.path.islink(target):
        raise MediaError(f"the sidecar {target} is a symbolic link; mediadesk does not write "
                         "through it (replace it with a real file)")
    existing = None
    if os.path.exists(target):
        with open(target, "rb") as fh:
            existing = fh.read()
    packet = xmp_sidecar_bytes(fields, existing=existing)
    atomic_write_bytes(target, packet, keep_mode_of=target if existing is not None else None)
    side, _warn = read_sidecar_fields(asset.path)
    for name, _old, new in result.changes:
        if new in (None, (), []):
            if name in current and name not in side:
                result.warnings.append(
                    f"{name} is empty in the catalog, but the file itself still holds a value "
                    "a sidecar cannot remove")
            continue
        if _key(name, side.get(name)) != _key(name, new):
            raise MediaError(f"the sidecar {target} reads back a different {name}")
    result.status = "written"


# -- the service ------------------------------------------------------------------------------

def _results(assets: list[Asset], dry_run: bool, workers: int, job: Job) -> Iterator[FileResult]:
    """FileResults in the order of ``assets``; in worker processes unless ``workers`` is 0 or
    the selection is small (exiv2 holds the GIL, so threads would not run in parallel)."""
    if workers == 0 or len(assets) < IN_PROCESS_BELOW:
        for asset in assets:
            if job.cancelled:
                return
            yield _process(asset, dry_run)
        return
    queue = list(reversed(assets))
    # One file per worker (workers/pool.py): a writer process that dies (a file that crashes
    # exiv2) is named for its own file only, and a fresh one takes the next file. A write in
    # progress when the job stops is finished before the workers end.
    with WorkerPool(workers, label="write-back") as pool:
        running: list[tuple[Asset, Task]] = []
        while queue or running:
            while queue and len(running) < workers * 2 and not job.cancelled:
                asset = queue.pop()
                running.append((asset, pool.submit(_process, asset, dry_run)))
            if not running:
                return
            asset, task = running.pop(0)
            try:
                result = task.result()
            except WorkerCrashed:
                result = FileResult(asset.id, asset.path, status="failed", error=(
                    f"{asset.path}: the metadata writer crashed while this file was being "
                    "processed; the original was left as it was"))
            yield result


def writeback(catalog: Catalog, asset_ids: Sequence[int], *, dry_run: bool = False,
              job: Job | None = None, workers: int | None = None,
              on_file: Callable[[FileResult], None] | None = None) -> WritebackReport:
    """Write (or with ``dry_run`` list) the catalog's metadata into the assets' files.

    ``workers``: processes (default: one per core; 0: in this process)."""
    started = time.monotonic()
    job = job or Job("Writing metadata")
    report = WritebackReport(dry_run)
    assets = catalog.assets.get_many(list(asset_ids))
    job.set_total(len(assets))
    workers = (os.cpu_count() or 1) if workers is None else workers
    files = catalog.asset_files
    pending: list[FileResult] = []

    def flush() -> None:
        done = [r for r in pending if r.new_facts is not None or r.fingerprint is not None]
        if done:
            with catalog.transaction():
                for r in done:
                    if r.fingerprint is not None:
                        files.record_fingerprint(r.asset_id, r.fingerprint)
                    if r.new_facts is not None:
                        _record(catalog, files, r)
        pending.clear()

    try:
        for result in _results(assets, dry_run, workers, job):
            report.files.append(result)
            pending.append(result)
            if on_file is not None:
                on_file(result)
            job.advance(1, label=os.path.basename(result.path))
            if len(pending) >= 64:
                flush()
        report.cancelled = job.cancelled and len(report.files) < len(assets)
    finally:
        flush()
        report.seconds = time.monotonic() - started
    touched = frozenset(r.asset_id for r in report.files if r.status == "written")
    report.changes = Changes(assets=touched, extra={"files_written": True}) if touched else Changes()
    return report


def _record(catalog: Catalog, files: AssetFileStore, result: FileResult) -> None:
    if result.new_facts is None:
        return
    size, mtime, content_hash = result.new_facts
    old = files.files([result.asset_id])
    owner = files.hash_owner(content_hash)
    if owner is not None and owner != result.asset_id:
        result.warnings.append(f"the rewritten file now has the same content as asset {owner}")
        return
    files.record_rewrite(result.asset_id, size=size, mtime=mtime, content_hash=content_hash)
    if old:
        before = catalog.thumbnail_path(old[0].content_hash)
        after = catalog.thumbnail_path(content_hash)
        if before.exists() and not after.exists():
            after.parent.mkdir(parents=True, exist_ok=True)
            os.replace(before, after)  # same pixels, same thumbnail
        catalog.thumbnails.store_files_unrecorded([content_hash])   # a team catalog's copy
