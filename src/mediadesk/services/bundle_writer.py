"""Writing a bundle so that it never looks complete before it is: staging, publishing, aborting.

A bundle (folder or zip) is staged inside a marked staging folder ``<name>.partial-XXXX/`` beside
the target; only :meth:`BundleWriter.publish` gives it its final name. Also the byte-for-byte
copy (with an XMP sidecar, and XMP appended to MP4/MOV copies) for the formats whose metadata
mediadesk does not rewrite in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator
from glob import escape as glob_escape
from pathlib import Path
from typing import Any, BinaryIO, cast

from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.errors import MediaError
from mediadesk.domain.timed_text import Chapter
from mediadesk.fsutil import fsync_dir
from mediadesk.media import xmp_sidecar_bytes
from mediadesk.media.bmff_xmp import XmpEmbedPlan, plan_xmp_embed, retype_free, xmp_box
from mediadesk.media.xmp_tracks import with_chapter_track
from mediadesk.services.bundle_verify import safe_member_name
from mediadesk.services.ledger_check import RECEIPT_NAME
from mediadesk.services.renditions import Produced, check_packet_read_back

STAGING_MARKER = ".mediadesk-staging"
MARKER_FORMAT = "mediadesk-staging/1"


class TargetAppeared(MediaError):
    """Something took the bundle's name while it was being written."""


class BundleWriter:
    """Writes a bundle under a temporary name beside its target; :meth:`publish` renames it.

    The bundle (folder or zip) is staged inside a staging folder ``<name>.partial-XXXX/`` that
    carries mediadesk's marker file (``.mediadesk-staging``); the bundle itself never holds the
    marker. Until the rename nothing carries the final name; :meth:`abort` removes the staging
    folder, and :func:`remove_stale_partials` removes only marked staging folders."""

    def __init__(self, target: Path, *, zip_bundle: bool) -> None:
        self.target = target
        self.zip_bundle = zip_bundle
        self._stamp = time.localtime()[:6]
        self._zip: zipfile.ZipFile | None = None
        self._fh: BinaryIO | None = None
        try:
            self.root = Path(tempfile.mkdtemp(prefix=f"{target.name}.partial-", dir=target.parent))
            marker = json.dumps({"format": MARKER_FORMAT, "target": str(target), "pid": os.getpid(),
                                 "created": time.time()}).encode()
            with open(self.root / STAGING_MARKER, "xb") as fh:
                fh.write(marker)
            self.staging = self.root / target.name
            if zip_bundle:
                self._fh = open(self.staging, "x+b")  # noqa: SIM115 - the zip's file, closed in close()
                self._zip = zipfile.ZipFile(self._fh, "w", allowZip64=True)
            else:
                self.staging.mkdir()
        except OSError as exc:
            raise MediaError(f"cannot write in {target.parent}: {exc.strerror or exc}") from None

    def _info(self, name: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._stamp)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def _check(self, name: str) -> None:
        if not safe_member_name(name):  # names come sanitised from naming; never trust blindly
            raise MediaError(f"refused to write {name!r}: not a plain file name")

    def member_path(self, name: str) -> str | None:
        """Where a worker may write ``name`` itself (folders only; a zip is written here)."""
        self._check(name)
        return None if self._zip is not None else str(self.staging / name)

    def add_bytes(self, name: str, data: bytes, *, compress: bool) -> None:
        self._check(name)
        if self._zip is not None:
            self._zip.writestr(self._info(name, compress), data)
            return
        with open(self.staging / name, "xb") as fh:
            fh.write(data)

    @contextlib.contextmanager
    def stream(self, name: str) -> Iterator[BinaryIO]:
        self._check(name)
        if self._zip is not None:
            with self._zip.open(self._info(name, False), "w", force_zip64=True) as fh:
                yield cast(BinaryIO, fh)
            return
        with open(self.staging / name, "xb") as fh:
            yield fh

    def discard(self, name: str) -> bool:
        """Remove a member written to a folder; a zip cannot drop one (returns False)."""
        if self._zip is not None:
            return False
        with contextlib.suppress(OSError):
            (self.staging / name).unlink()
        return True

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
        if not self.zip_bundle:
            # Files are flushed to disk here, all together, rather than one fsync per file as
            # they are written: the kernel writes them back in one sweep instead of a journal
            # commit per file, and nothing is lost by waiting, because the bundle only takes its
            # final name after this.
            for entry in os.scandir(self.staging):
                fd = os.open(entry.path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            fsync_dir(self.staging)

    def add_receipt(self, data: bytes) -> None:
        """LEDGER.json (the ledger entry's id and chain hash) into the closed bundle, fsynced."""
        if self.zip_bundle:
            with open(self.staging, "r+b") as fh:
                with zipfile.ZipFile(fh, "a", allowZip64=True) as zf:
                    zf.writestr(self._info(RECEIPT_NAME, True), data)
                fh.flush()
                os.fsync(fh.fileno())
            return
        with open(self.staging / RECEIPT_NAME, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        fsync_dir(self.staging)

    def publish(self) -> None:
        target = self.target
        if target.is_dir() and not target.is_symlink() and not any(target.iterdir()):
            target.rmdir()
        if target.exists() or target.is_symlink():
            raise TargetAppeared(f"{target} appeared while the bundle was written")
        os.rename(self.staging, target)
        fsync_dir(target.parent)
        remove_partial(self.root)

    def keep_aside(self, label: str) -> Path | None:
        """Move the staged bundle out of the staging folder to ``<name>.<label>`` beside the
        target (unmarked, so no later export removes it); the staging folder goes."""
        self.close_quietly()
        stem, dot, ext = self.target.name.rpartition(".") if self.zip_bundle else (self.target.name, "", "")
        kept = self.target.with_name(f"{stem}.{label}{dot}{ext}")
        n = 1
        while kept.exists() or kept.is_symlink():
            n += 1
            kept = self.target.with_name(f"{stem}.{label}-{n}{dot}{ext}")
        try:
            os.rename(self.staging, kept)
        except OSError:
            return None
        remove_partial(self.root)
        return kept

    def close_quietly(self) -> None:
        with contextlib.suppress(Exception):
            if self._zip is not None:
                self._zip.close()
        with contextlib.suppress(Exception):
            if self._fh is not None:
                self._fh.close()
        self._zip = self._fh = None

    def abort(self) -> None:
        self.close_quietly()
        remove_partial(self.root)


def _hash_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _changed(asset: Asset) -> MediaError:
    return MediaError(f"{asset.path} changed since it was imported; import it again so its rights "
                      "and caption are checked against the current file")


def _embed_plan(asset: Asset) -> XmpEmbedPlan:
    try:
        with open(asset.path, "rb") as fh:
            return plan_xmp_embed(fh, os.fstat(fh.fileno()).st_size, asset.format or "")
    except OSError as exc:   # the copy below reports a missing or unreadable file properly
        return XmpEmbedPlan(False, str(exc))


def _embedded_packet(plan: XmpEmbedPlan, fields: dict[str, Any]) -> bytes:
    """The fields as an XMP packet, merged into the file's own XMP when it has readable XMP."""
    if plan.old_packet:
        try:
            return xmp_sidecar_bytes(fields, existing=plan.old_packet)
        except MediaError:
            pass   # unreadable old XMP: it is retired (renamed free) and a fresh packet goes in
    return xmp_sidecar_bytes(fields)


def copy_with_sidecar(writer: BundleWriter, asset: Asset, name: str, fields: dict[str, Any], *,
                      embed: bool = True, chapters: list[Chapter] | None = None) -> Produced:
    """Copy the file (checked against the catalog's hash) plus ``name.xmp``.

    Copies of formats whose family's carrier is "box + sidecar" (MP4/MOV) also get the XMP
    embedded as a box appended at the end (see
    :mod:`mediadesk.media.bmff_xmp`: no media byte moves, old XMP boxes are renamed ``free``);
    every other format, and a file whose structure makes appending unsafe, is copied byte for
    byte. The sidecar is written either way, so every receiver finds the rights note.
    ``embed=False``: no box either (an original whose content credentials must stay intact)."""
    plan = _embed_plan(asset) if asset.kind == AssetKind.VIDEO and embed else XmpEmbedPlan(False)
    box = b""
    if plan.safe:
        box = xmp_box(_embedded_packet(plan, fields))
        check_packet_read_back(box[24:], fields, f"{name}: the embedded XMP")
    try:
        if writer.zip_bundle and _hash_file(asset.path) != asset.content_hash:
            raise _changed(asset)  # a zip member cannot be taken back: check before writing
        h = hashlib.sha256()
        out = hashlib.sha256()
        size = 0
        with open(asset.path, "rb") as src, writer.stream(name) as dst:
            for block in iter(lambda: src.read(1 << 20), b""):
                h.update(block)
                if plan.retype_at:
                    block = retype_free(block, size, plan.retype_at)
                out.update(block)
                dst.write(block)
                size += len(block)
            if box:
                out.update(box)
                dst.write(box)
    except FileNotFoundError:
        writer.discard(name)
        raise MediaError(f"File not found: {asset.path}; reconnect it and export again") from None
    except PermissionError:
        writer.discard(name)
        raise MediaError(f"{asset.path} cannot be read: permission denied") from None
    if h.hexdigest() != asset.content_hash:
        if not writer.discard(name):
            raise MediaError(f"{asset.path} changed while it was being exported; export again")
        raise _changed(asset)
    sidecar = xmp_sidecar_bytes(fields)
    if chapters:   # a video's chapters travel as xmpDM:Tracks markers too (media/xmp_tracks.py)
        sidecar = with_chapter_track(sidecar.decode("utf-8"), chapters).encode("utf-8")
    check_packet_read_back(sidecar, fields, f"{name}: the XMP sidecar")
    sidecar_name = name + ".xmp"
    writer.add_bytes(sidecar_name, sidecar, compress=True)
    return Produced(sha256=out.hexdigest(), size=size + len(box), pixels="unchanged" if box else "copied",
                    width=asset.width,
                    height=asset.height, sidecar_name=sidecar_name,
                    sidecar_sha256=hashlib.sha256(sidecar).hexdigest(), sidecar_size=len(sidecar),
                    embedded_xmp=bool(box),
                    warnings=() if plan.safe or asset.kind != AssetKind.VIDEO or not plan.reason else
                    (f"XMP not embedded in the video ({plan.reason}); the sidecar carries it",))


STALE_PARTIAL_SECONDS = 3600
MAX_MARKER_BYTES = 4096


def _marked(folder: Path) -> bool:
    """True when ``folder`` is a staging folder mediadesk made: a real folder holding a regular
    marker file with mediadesk's staging format (a folder of the user's that merely has the name
    pattern, ``Report.partial-2019``, is never touched)."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return False
        marker = folder / STAGING_MARKER
        st = marker.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_MARKER_BYTES:
            return False
        data = json.loads(marker.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == MARKER_FORMAT


def remove_stale_partials(target: Path) -> list[Path]:
    """Remove staging folders of exports to ``target`` that were killed (not merely running).

    A killed export leaves ``<name>.partial-XXXX/`` behind. It never looks like a bundle, but it
    takes space; one whose marker is untouched for an hour is not being written by anyone any
    more. Only folders carrying mediadesk's marker are removed."""
    removed: list[Path] = []
    now = time.time()
    for leftover in target.parent.glob(glob_escape(target.name) + ".partial-*"):
        if not _marked(leftover):
            continue
        try:
            if now - (leftover / STAGING_MARKER).lstat().st_mtime < STALE_PARTIAL_SECONDS:
                continue
        except OSError:
            continue
        remove_partial(leftover)
        removed.append(leftover)
    return removed


def remove_partial(path: Path) -> None:
    """Remove a staging folder (used when an export stops, or after it published)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
