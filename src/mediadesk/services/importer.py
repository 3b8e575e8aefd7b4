"""Import files and folders into the catalog.

Flow: scan the roots (stat only) -> skip files the catalog already has at the same path, size and
mtime (so a second run resumes where a cancelled one stopped) -> hash, probe and thumbnail the
rest in worker processes on every core -> one writer commits rows in batches. Identity is the
content hash: the same bytes twice are a duplicate, the same bytes at a new path are a move.

Hostile files (issue 7, SECURITY.md): each worker holds one file at a time, so a file that
hangs a decoder past the time limit (60 s) gets its worker killed and replaced and is reported by
path, and a file that crashes a worker is retried once, then reported; the others go on. Workers
run under an address-space cap (2 GiB) so a memory-hungry file becomes "not enough memory".
A full disk stops the import with one clear CatalogError; committed batches are kept.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.rights_profiles import _normalise_note
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import CatalogError, MediadeskError
from mediadesk.jobs import Cancelled, Job
from mediadesk.services.import_words import attach_transcripts, stale_companions, store_words, transcript_of_name
from mediadesk.services.import_worker import NO_MEMORY, process_file
from mediadesk.services.rights_reread import file_rights, file_rights_json, redecide
from mediadesk.services.scan import Candidate, Problem, Skipped, Unsupported, scan
from mediadesk.workers import Task, TaskTimedOut, WorkerCrashed, WorkerPool, WorkersCannotStart

log = logging.getLogger(__name__)
BATCH_SIZE = 64           # rows per commit
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})
BATCH_SECONDS = 1.0       # or sooner, so the window shows progress while big files import
FILE_TIME_LIMIT = 60.0    # seconds one file may take in a worker before it is given up
WORKER_MEMORY_LIMIT = 2 << 30  # address space of one worker (RLIMIT_AS); None: no cap


def _env_number(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else None


@dataclass
class ImportReport:
    batch_id: int | None = None
    imported: int = 0
    updated: int = 0
    moved: int = 0
    duplicates: int = 0
    unchanged: int = 0
    unsupported: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    unsupported_files: list[str] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)   # catalog files, never opened: {path, reason}
    asset_ids: list[int] = field(default_factory=list)   # new, updated, moved and duplicate-of assets
    cancelled: bool = False
    seconds: float = 0.0
    bytes_read: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id, "imported": self.imported, "updated": self.updated,
            "moved": self.moved, "duplicates": self.duplicates, "unchanged": self.unchanged,
            "unsupported": self.unsupported, "failed": self.failed, "errors": self.errors,
            "warnings": self.warnings, "unsupported_files": self.unsupported_files,
            "skipped": self.skipped, "cancelled": self.cancelled, "seconds": round(self.seconds, 3),
        }


class _Writer:
    """Applies worker results to the catalog in batches (the one writer)."""

    def __init__(self, catalog: Catalog, report: ImportReport, gallery_id: int | None,
                 on_batch: Callable[[list[int], Changes], None] | None) -> None:
        self.catalog = catalog
        self.assets = catalog.assets
        self.galleries = catalog.galleries
        self.notes = catalog.rights.note_index()
        self.profile_names = {p.id: p.name for p in catalog.rights.list() if p.id is not None}
        self.report = report
        self.gallery_id = gallery_id
        self.on_batch = on_batch
        self.pending: list[dict[str, Any]] = []
        self.pending_existing: list[int] = []
        self.last_flush = time.monotonic()
        self.index = self.assets.file_index()
        self.transcripts: list[tuple[int, str]] = []   # (document id, path) named as a video's transcript

    def add(self, record: dict[str, Any]) -> None:
        if record.get("disk_full"):
            raise _disk_full(self.catalog, OSError(errno.ENOSPC, record.get("error", "no space left")))
        self.pending.append(record)
        if len(self.pending) >= BATCH_SIZE or time.monotonic() - self.last_flush > BATCH_SECONDS:
            self.flush()

    def add_existing(self, asset_id: int) -> None:
        self.pending_existing.append(asset_id)

    def flush(self) -> None:
        if not self.pending and not self.pending_existing:
            return
        touched: list[int] = []
        added = False
        with self.catalog.transaction():
            for record in self.pending:
                asset_id, was_added = self._apply(record)
                if asset_id is not None:
                    touched.append(asset_id)
                    added = added or was_added
            touched.extend(self.pending_existing)
            if self.gallery_id is not None and touched:
                self.galleries.add_assets_unrecorded(self.gallery_id, touched)
            # a team catalog keeps the thumbnails too: a desk that joins needs no originals
            self.catalog.thumbnails.store_files_unrecorded(
                r["content_hash"] for r in self.pending if r.get("has_thumbnail") and "error" not in r)
        self.report.asset_ids.extend(touched)
        self.pending.clear()
        self.pending_existing.clear()
        self.last_flush = time.monotonic()
        if self.on_batch is not None and touched:
            self.on_batch(touched, Changes(assets=frozenset(touched), added=added,
                                           galleries=self.gallery_id is not None))

    def _apply(self, r: dict[str, Any]) -> tuple[int | None, bool]:
        report = self.report
        if "error" in r:
            report.failed += 1
            report.errors.append({"path": r["path"], "error": r["error"]})
            return None, False
        for warning in r.get("warnings") or ():
            report.warnings.append({"path": r["path"], "warning": warning})
        report.bytes_read += r.get("size") or 0
        r["import_batch_id"] = report.batch_id
        r["rights_profile_id"] = self.notes.get(_normalise_note(r.get("usage_terms")))
        r["file_rights"] = file_rights_json(r)
        if transcript_of_name(r["path"]) is not None:
            self.transcripts.append((-1, r["path"]))   # the id is known once the row is written
        existing = self.assets.by_hash(r["content_hash"])
        if existing is not None:
            asset_id, old_path = existing
            if old_path == r["path"]:  # touched, same bytes (its subtitle files may have changed)
                self.assets.update_location(asset_id, r["path"], r["file_name"], r["size"], r["mtime"])
                store_words(self.catalog, asset_id, r)
                self._name_transcript(asset_id, r["path"])
                report.unchanged += 1
            elif not os.path.exists(old_path):
                self.assets.update_location(asset_id, r["path"], r["file_name"], r["size"], r["mtime"])
                store_words(self.catalog, asset_id, r)
                self._name_transcript(asset_id, r["path"])
                report.moved += 1
                report.updated += 1
            else:
                report.duplicates += 1
                report.warnings.append({"path": r["path"], "warning": f"same content as {old_path} "
                                        f"(asset {asset_id}); not added again"})
            return asset_id, False
        known = self.index.get(r["path"])
        if known is not None:  # same path, new content: re-read
            self._redecide_rights(known[0], r)
            self.assets.replace_from_file(known[0], r)
            store_words(self.catalog, known[0], r)
            self._name_transcript(known[0], r["path"])
            report.updated += 1
            return known[0], False
        asset_id = self.assets.insert(r)
        store_words(self.catalog, asset_id, r)
        self._name_transcript(asset_id, r["path"])
        self.index[r["path"]] = (asset_id, r["size"], r["mtime"], r["content_hash"])
        report.imported += 1
        return asset_id, True

    def _name_transcript(self, asset_id: int, path: str) -> None:
        self.transcripts = [(asset_id if p == path and i == -1 else i, p) for i, p in self.transcripts]

    def attach_transcripts(self) -> None:
        """Link and align the transcripts imported (after the last batch: their videos are in)."""
        found = [(i, p) for i, p in self.transcripts if i != -1]
        self.transcripts.clear()
        if not found:
            return
        with self.catalog.transaction():
            touched = attach_transcripts(self.catalog, found, self.report.warnings)
        if self.on_batch is not None and touched:
            self.on_batch(touched, Changes(assets=frozenset(touched)))


    def _redecide_rights(self, asset_id: int, r: dict[str, Any]) -> None:
        """Issue 10, class 1: a re-read that changes the file's usage terms, copyright or
        instructions decides the profile link again (services/rights_reread.py); otherwise the
        link stays as it is (a person's or the first import's)."""
        state = self.assets.rights_state(asset_id)
        decision = None if state is None else redecide(
            state=state, new_rights=file_rights(r), matched_profile=r["rights_profile_id"],
            explicit=self.catalog.history.latest_assignment(asset_id),
            file_mtime=r.get("mtime") or time.time(), profile_names=self.profile_names)
        if decision is None:
            del r["rights_profile_id"]
            return
        r["rights_profile_id"] = decision.profile_id
        r["rights_review"] = decision.review
        self.report.warnings.append({"path": r["path"], "warning": "rights: " + decision.review})


class DiskFull(CatalogError):
    """The disk holding the catalog (or its thumbnails) is full; committed work is kept."""


def _is_disk_full(catalog: Catalog, exc: BaseException | None) -> bool:
    """A full disk, here or in what the catalog layer wrapped."""
    while exc is not None:
        if isinstance(exc, DiskFull) or (isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS):
            return True
        if catalog.dialect.is_disk_full(exc):
            return True
        exc = exc.__cause__
    return False


def _disk_full(catalog: Catalog, exc: BaseException) -> DiskFull:
    if isinstance(exc, DiskFull):
        return exc
    return DiskFull(
        f"the disk holding the catalog is full: {catalog.path} (or its thumbnail folder) could not "
        f"be written ({exc}). Everything imported before this point is kept; free some space, "
        "then run the same import again to finish")


def _finish_batch(catalog: Catalog, report: ImportReport, status: str) -> None:
    counts = {k: v for k, v in report.to_json().items() if isinstance(v, int) and k != "batch_id"}
    if report.batch_id is not None:
        catalog.imports.finish(report.batch_id, status, counts)


def _log_report(report: ImportReport, roots: list[str], status: str) -> None:
    what = roots[0] if len(roots) == 1 else f"{len(roots)} folders and files"
    log.info("import of %s %s: %d imported, %d updated, %d duplicates, %d unchanged, %d unsupported, "
             "%d failed in %.1f s (%.1f MB/s); import run %s in the catalog%s", what, status,
             report.imported, report.updated, report.duplicates, report.unchanged, report.unsupported,
             report.failed, report.seconds, report.bytes_read / 1e6 / max(report.seconds, 1e-3),
             report.batch_id, "; the failures are listed in the import report" if report.errors else "")


def import_paths(catalog: Catalog, roots: Iterable[str], *, gallery: str | None = None,
                 job: Job | None = None, workers: int | None = None,
                 on_batch: Callable[[list[int], Changes], None] | None = None,
                 time_limit: float | None = None, memory_limit: int | None = None) -> ImportReport:
    """Import files and folders; returns the report. Cancelling keeps every committed batch.

    ``workers``: worker processes (default one per core; 0 reads in this process, without the
    limits). ``time_limit``: seconds one file may take before it is reported and skipped
    (default 60, or $MEDIADESK_FILE_TIME_LIMIT). ``memory_limit``: bytes of address space per
    worker (default 2 GiB, or $MEDIADESK_WORKER_MEMORY_MB).
    """
    if time_limit is None:
        time_limit = _env_number("MEDIADESK_FILE_TIME_LIMIT", FILE_TIME_LIMIT) or FILE_TIME_LIMIT
    if memory_limit is None:
        mb = _env_number("MEDIADESK_WORKER_MEMORY_MB", None)
        memory_limit = int(mb * 2**20) if mb else WORKER_MEMORY_LIMIT
    job = job or Job("Importing")
    started = time.monotonic()
    roots = [os.path.abspath(os.fspath(r)) for r in roots]
    report = ImportReport()
    gallery_id = None
    if gallery:
        with catalog.transaction():
            gallery_id = catalog.galleries.ensure_unrecorded(gallery)
    try:
        report.batch_id = catalog.imports.start(roots)
    except (catalog.dialect.Error, CatalogError) as exc:
        if _is_disk_full(catalog, exc):
            raise _disk_full(catalog, exc) from None
        raise
    writer = _Writer(catalog, report, gallery_id, on_batch)

    job.set_label("Looking for files")
    todo: list[Candidate] = []
    unchanged_videos: dict[int, Candidate] = {}
    status = "finished"
    failure: BaseException | None = None
    try:
        for item in scan(roots, skip_dirs=[str(catalog.thumbs_dir)], catalog=catalog.path):
            if isinstance(item, Skipped):
                report.skipped.append({"path": item.path, "reason": item.reason})
            elif isinstance(item, Problem):
                report.failed += 1
                report.errors.append({"path": item.path, "error": item.error})
            elif isinstance(item, Unsupported):
                report.unsupported += 1
                report.unsupported_files.append(item.path)
            else:
                if item.note:
                    report.warnings.append({"path": item.path, "warning": item.note})
                known = writer.index.get(item.path)
                if known is not None and known[1] == item.size and abs(known[2] - item.mtime) < 1e-6:
                    report.unchanged += 1
                    if gallery_id is not None:
                        writer.add_existing(known[0])
                    if item.kind == AssetKind.VIDEO:
                        unchanged_videos[known[0]] = item
                else:
                    todo.append(item)
            job.check_cancelled()
        # a video whose subtitle or chapter files changed is read again, though it did not change
        for asset_id in sorted(stale_companions(catalog, {i: c.path for i, c in unchanged_videos.items()})):
            report.unchanged -= 1
            todo.append(unchanged_videos[asset_id])
        job.set_total(len(todo))
        job.set_label(f"Importing {len(todo)} files")
        _run(todo, str(catalog.thumbs_dir), writer, job, workers, time_limit, memory_limit)
    except (Cancelled, KeyboardInterrupt):
        report.cancelled = True
        status = "cancelled"
    except BaseException as exc:
        failure = exc
        status = "failed"
        if _is_disk_full(catalog, exc):
            raise _disk_full(catalog, exc) from None
        raise
    finally:
        report.seconds = time.monotonic() - started
        try:
            if failure is None or not _is_disk_full(catalog, failure):
                writer.flush()
                if failure is None:
                    writer.attach_transcripts()
            _finish_batch(catalog, report, status)
        except (catalog.dialect.Error, OSError, CatalogError) as exc:
            # Nothing more can be written (the disk is full, or the catalog went away): what
            # was committed stays; the batch row keeps no finish time. Report the first error.
            if failure is None:
                if _is_disk_full(catalog, exc):
                    raise _disk_full(catalog, exc) from None
                raise
        finally:
            _log_report(report, roots, status)
    return report


def _run(todo: list[Candidate], thumbs_dir: str, writer: _Writer, job: Job, workers: int | None,
         time_limit: float, memory_limit: int | None) -> None:
    if not todo:
        return
    os.makedirs(thumbs_dir, exist_ok=True)
    if workers == 0:
        # In this process: no time limit and no memory cap (tests, debugging). Every other
        # import, even of one file, goes through worker processes so a file that hangs or
        # crashes a decoder cannot take the program down with it.
        for item in todo:
            job.check_cancelled()
            writer.add(process_file(item.path, item.kind, thumbs_dir))
            job.advance(1, item.path)
        return
    workers = max(1, min(workers or os.cpu_count() or 2, len(todo)))
    # One file per worker (workers/pool.py): a file past the time limit gets its worker killed
    # and replaced, a file that crashes a worker is retried once in a fresh one, then named.
    pool = WorkerPool(workers, label="import", time_limit=time_limit, memory_limit=memory_limit,
                      crash_retries=1, kill_running_on_close=True,
                      preload=(process_file.__module__,))
    try:
        with pool:
            _run_pool(pool, todo, thumbs_dir, writer, job, time_limit)
    except WorkersCannotStart as exc:
        raise MediadeskError(f"{exc}, or import with --workers 0 to read files in this process") from None


def timeout_message(seconds: float) -> str:
    return (f"reading took longer than {seconds:g} s; the file may be damaged "
            "(it was skipped; open it in another program to check)")


CRASH_MESSAGE = ("the reader crashed on this file twice; it is probably damaged "
                 "(open it in another program to check)")


def _run_pool(pool: WorkerPool, todo: list[Candidate], thumbs_dir: str, writer: _Writer, job: Job,
              time_limit: float) -> None:
    """Every file to the workers (in scan order), every record to the writer as it comes."""
    for item in todo:
        pool.submit(process_file, item.path, item.kind, thumbs_dir, tag=item)
    while pool.pending:
        for task in pool.completed(timeout=0.25):
            item = task.tag
            writer.add(_outcome(task, item, time_limit))
            job.advance(1, item.path)
        job.check_cancelled()


def _outcome(task: Task, item: Candidate, time_limit: float) -> dict[str, Any]:
    """The file's record, or the error that names it: too slow, or it crashed a worker twice
    (a native decoder crashed, or the memory cap or the out-of-memory killer ended it)."""
    try:
        record: dict[str, Any] = task.result()
        return record
    except TaskTimedOut:
        return {"path": item.path, "error": timeout_message(time_limit)}
    except WorkerCrashed as exc:
        detail = CRASH_MESSAGE
        if exc.exit_code == -9:
            detail += "; the reader was killed, probably for using too much memory"
        return {"path": item.path, "error": detail}
    except MemoryError:
        return {"path": item.path, "error": NO_MEMORY}
    except Exception as exc:
        return {"path": item.path, "error": f"unexpected error while reading: {type(exc).__name__}: {exc}"}
