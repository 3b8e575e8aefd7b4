"""Import files and folders into the catalog.

Flow: scan the roots (stat only) -> skip files the catalog already has at the same path, size and
mtime (so a second run resumes where a cancelled one stopped) -> hash, probe and thumbnail the
rest in worker processes on every core -> one writer commits rows in batches. Identity is the
content hash: the same bytes twice are a duplicate, the same bytes at a new path are a move.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import GalleryStore
from mediadesk.catalog.rights_profiles import RightsProfileStore, _normalise_note
from mediadesk.domain.changes import Changes
from mediadesk.jobs import Cancelled, Job
from mediadesk.services.import_worker import init_worker, process_file
from mediadesk.services.scan import Candidate, Problem, Unsupported, scan

BATCH_SIZE = 64           # rows per commit
BATCH_SECONDS = 1.0       # or sooner, so the window shows progress while big files import
IN_PROCESS_BELOW = 8      # a handful of files: no pool start-up cost


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
            "cancelled": self.cancelled, "seconds": round(self.seconds, 3),
        }


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Writer:
    """Applies worker results to the catalog in batches (the one writer)."""

    def __init__(self, catalog: Catalog, report: ImportReport, gallery_id: int | None,
                 on_batch: Callable[[list[int], Changes], None] | None) -> None:
        self.catalog = catalog
        self.assets = AssetStore(catalog)
        self.galleries = GalleryStore(catalog)
        self.notes = RightsProfileStore(catalog).note_index()
        self.report = report
        self.gallery_id = gallery_id
        self.on_batch = on_batch
        self.pending: list[dict[str, Any]] = []
        self.pending_existing: list[int] = []
        self.last_flush = time.monotonic()
        self.index = self.assets.file_index()

    def add(self, record: dict[str, Any]) -> None:
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
                self.galleries.add_assets(self.gallery_id, touched)
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
        existing = self.assets.by_hash(r["content_hash"])
        if existing is not None:
            asset_id, old_path = existing
            if old_path == r["path"]:  # touched, same bytes
                self.assets.update_location(asset_id, r["path"], r["file_name"], r["size"], r["mtime"])
                report.unchanged += 1
            elif not os.path.exists(old_path):
                self.assets.update_location(asset_id, r["path"], r["file_name"], r["size"], r["mtime"])
                report.moved += 1
                report.updated += 1
            else:
                report.duplicates += 1
                report.warnings.append({"path": r["path"], "warning": f"same content as {old_path} "
                                        f"(asset {asset_id}); not added again"})
            return asset_id, False
        known = self.index.get(r["path"])
        if known is not None:  # same path, new content: re-read
            self.assets.replace_from_file(known[0], r)
            report.updated += 1
            return known[0], False
        asset_id = self.assets.insert(r)
        self.index[r["path"]] = (asset_id, r["size"], r["mtime"], r["content_hash"])
        report.imported += 1
        return asset_id, True


def _start_batch(catalog: Catalog, roots: list[str]) -> int:
    with catalog.transaction():
        cur = catalog.conn.execute(
            "INSERT INTO import_batches (started_at, roots) VALUES (?, ?)",
            (_now(), json.dumps(roots, ensure_ascii=False)),
        )
        return cur.lastrowid


def _finish_batch(catalog: Catalog, report: ImportReport, status: str) -> None:
    counts = {k: v for k, v in report.to_json().items() if isinstance(v, int) and k != "batch_id"}
    with catalog.transaction():
        catalog.conn.execute(
            "UPDATE import_batches SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
            (_now(), status, json.dumps(counts), report.batch_id),
        )


def import_paths(catalog: Catalog, roots: Iterable[str], *, gallery: str | None = None,
                 job: Job | None = None, workers: int | None = None,
                 on_batch: Callable[[list[int], Changes], None] | None = None) -> ImportReport:
    """Import files and folders; returns the report. Cancelling keeps every committed batch."""
    job = job or Job("Importing")
    started = time.monotonic()
    roots = [os.path.abspath(os.fspath(r)) for r in roots]
    report = ImportReport()
    gallery_id = None
    if gallery:
        with catalog.transaction():
            gallery_id = GalleryStore(catalog).ensure(gallery)
    report.batch_id = _start_batch(catalog, roots)
    writer = _Writer(catalog, report, gallery_id, on_batch)

    job.set_label("Looking for files")
    todo: list[Candidate] = []
    status = "finished"
    try:
        for item in scan(roots, skip_dirs=[str(catalog.thumbs_dir)]):
            if isinstance(item, Problem):
                report.failed += 1
                report.errors.append({"path": item.path, "error": item.error})
            elif isinstance(item, Unsupported):
                report.unsupported += 1
                report.unsupported_files.append(item.path)
            else:
                known = writer.index.get(item.path)
                if known is not None and known[1] == item.size and abs(known[2] - item.mtime) < 1e-6:
                    report.unchanged += 1
                    if gallery_id is not None:
                        writer.add_existing(known[0])
                else:
                    todo.append(item)
            job.check_cancelled()
        job.set_total(len(todo))
        job.set_label(f"Importing {len(todo)} files")
        _run(todo, str(catalog.thumbs_dir), writer, job, workers)
    except (Cancelled, KeyboardInterrupt):
        report.cancelled = True
        status = "cancelled"
    finally:
        try:
            writer.flush()
        finally:
            report.seconds = time.monotonic() - started
            _finish_batch(catalog, report, status)
    return report


def _run(todo: list[Candidate], thumbs_dir: str, writer: _Writer, job: Job, workers: int | None) -> None:
    if not todo:
        return
    os.makedirs(thumbs_dir, exist_ok=True)
    if len(todo) < IN_PROCESS_BELOW or workers == 0:
        for item in todo:
            job.check_cancelled()
            writer.add(process_file(item.path, item.kind, thumbs_dir))
            job.advance(1, item.path)
        return
    workers = workers or os.cpu_count() or 2
    # spawn, not fork: the window's process must never be forked (Qt and threads do not survive it)
    ctx = multiprocessing.get_context("spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker)

    pool = new_pool()
    in_flight: dict[Future, Candidate] = {}
    retry: list[Candidate] = []
    crashed_once: set[str] = set()
    queue = iter(todo)
    limit = workers * 4
    try:
        while True:
            while len(in_flight) < limit:
                item = retry.pop() if retry else next(queue, None)
                if item is None:
                    break
                in_flight[pool.submit(process_file, item.path, item.kind, thumbs_dir)] = item
            if not in_flight:
                break
            done, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                item = in_flight.pop(fut)
                try:
                    record = fut.result()
                except BrokenProcessPool:
                    # A native decoder crashed a worker; every file in flight failed with it.
                    # Retry each once in a fresh pool; a file that crashes twice is reported.
                    broken = True
                    if item.path in crashed_once:
                        writer.add({"path": item.path, "error": "the reader crashed on this file twice; "
                                    "it is probably damaged (open it in another program to check)"})
                        job.advance(1, item.path)
                    else:
                        crashed_once.add(item.path)
                        retry.append(item)
                    continue
                writer.add(record)
                job.advance(1, item.path)
            if broken:
                retry.extend(in_flight.values())
                in_flight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
            job.check_cancelled()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
