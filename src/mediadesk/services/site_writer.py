"""Writing into a published site's folder: staged, then renamed into place, never half-visible.

New and changed files are written into ``DIR/.mediadesk-staging-XXXX/`` (inside the site, so
the renames never cross a file system), flushed, listed as pending in the state file, then
renamed into place in an order that keeps every page whole: media first (their names carry a
content key, so a new file never replaces one an old page still shows), then the gallery page,
the shared style and script, and the index last. Only then are this gallery's stale files
removed. A file mediadesk did not write is never overwritten or removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from mediadesk.domain.errors import InvalidInput, MediaError
from mediadesk.fsutil import fsync_dir
from mediadesk.services.site_state import STAGING_PREFIX, SiteState

STALE_STAGING_SECONDS = 3600


class SiteWriter:
    def __init__(self, root: Path, state: SiteState) -> None:
        self.root = root
        self.state = state
        self.staged: list[str] = []
        self.sha256: dict[str, str] = {}
        self.warnings: list[str] = []
        _remove_stale_staging(root)
        try:
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
        except OSError as exc:
            raise MediaError(f"cannot write in {root}: {exc.strerror or exc}") from None

    def path(self, rel: str) -> Path:
        """Where to write ``rel`` (a site-relative path) in the staging folder."""
        target = self.staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def add(self, rel: str, data: bytes | None = None, *, sha256: str | None = None) -> None:
        """Stage ``rel``: its bytes are written here, or were written to :meth:`path` already
        (then ``sha256`` is their checksum, as the worker computed it)."""
        if data is not None:
            with open(self.path(rel), "wb") as fh:
                fh.write(data)
            sha256 = hashlib.sha256(data).hexdigest()
        if sha256 is None:
            raise ValueError(f"{rel}: staged without a checksum")
        self.staged.append(rel)
        self.sha256[rel] = sha256

    def unchanged(self, rel: str, data: bytes) -> bool:
        """True when the site already has exactly these bytes at ``rel``, written by mediadesk."""
        known = self.state.files.get(rel)
        if known is None or known["size"] != len(data) or self.state.status(rel) != "ours":
            return False
        return (self.root / rel).read_bytes() == data

    def check_targets(self, rels: list[str]) -> None:
        """Refuse (before anything moves) to replace a file mediadesk did not write or that was
        changed since it wrote it."""
        problems = []
        for rel in rels:
            status = self.state.status(rel)
            if status == "foreign":
                problems.append(f"{rel} (not written by mediadesk)")
            elif status == "changed":
                problems.append(f"{rel} (changed since mediadesk wrote it)")
        if problems:
            raise InvalidInput(f"publishing would replace {len(problems)} file(s) in {self.root} that "
                               f"mediadesk must not touch: {', '.join(problems[:5])}. Move them away "
                               "(or publish into another folder); nothing was changed")

    def flush(self) -> None:
        """fsync every staged file and folder, then list them as pending in the state file."""
        for rel in self.staged:
            fd = os.open(self.staging / rel, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        for folder in {(self.staging / rel).parent for rel in self.staged}:
            fsync_dir(folder)
        self.state.pending = list(self.staged)
        self.state.save()

    def commit(self, order: list[str]) -> None:
        """Rename the staged files into place in ``order`` (then any others) and record them."""
        ranked = {rel: n for n, rel in enumerate(order)}
        touched: set[Path] = set()
        for rel in sorted(self.staged, key=lambda r: ranked.get(r, -1)):
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / rel, target)
            touched.add(target.parent)
            self.state.record(rel, self.sha256[rel])
        for folder in touched:
            fsync_dir(folder)
        self.state.pending = []

    def remove(self, rels: list[str]) -> list[str]:
        """Delete mediadesk's own stale files; others (or edited ones) stay, with a warning."""
        removed = []
        for rel in sorted(rels):
            status = self.state.status(rel)
            if status == "ours":
                with contextlib.suppress(FileNotFoundError):
                    (self.root / rel).unlink()
                removed.append(rel)
            elif status == "changed":
                self.warnings.append(f"{rel} was changed since mediadesk wrote it; it is no longer "
                                     "on the page but was left in place")
            self.state.forget(rel)
        for folder in sorted({(self.root / rel).parent for rel in removed}, key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError):
                if folder != self.root and not any(folder.iterdir()):
                    folder.rmdir()
        return removed

    def close(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    abort = close


def _remove_stale_staging(root: Path) -> None:
    """Staging folders of publishes that were killed (untouched for an hour)."""
    now = time.time()
    for leftover in root.glob(STAGING_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime >= STALE_STAGING_SECONDS and leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)


def zip_site(root: Path, state: SiteState) -> Path:
    """``DIR.zip`` beside the site with every file mediadesk wrote there (for uploading to a
    CMS), written under a temporary name and renamed when complete."""
    target = root.with_name(root.name + ".zip")
    if target.exists() and not _is_our_zip(target):
        raise InvalidInput(f"{target} exists and is not a site zip mediadesk made; move it away")
    fd, tmp = tempfile.mkstemp(prefix=f".{root.name}.", suffix=".zip.partial", dir=root.parent)
    try:
        with os.fdopen(fd, "w+b") as fh:
            with zipfile.ZipFile(fh, "w") as zf:
                for rel in sorted(state.files):
                    # the site's own text files are packed; media files are stored as they are
                    compress = zipfile.ZIP_DEFLATED if rel.rsplit(".", 1)[-1] in ("html", "css", "js", "xmp") \
                        else zipfile.ZIP_STORED
                    zf.write(root / rel, rel, compress_type=compress)
                zf.comment = b"mediadesk site"
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def _is_our_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.comment == b"mediadesk site"
    except (OSError, zipfile.BadZipFile):
        return False
