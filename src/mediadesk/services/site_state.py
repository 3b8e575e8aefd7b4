"""What mediadesk wrote into a published site's folder: ``.mediadesk-site.json``.

The state file lists every file mediadesk put there (path relative to the site, SHA-256, size,
modification time) and, per gallery, what its page shows (each asset's render key and files).
Re-publishing reads it to skip unchanged work, to remove only its own stale files, and to tell
a file somebody else put there (or changed since) from its own: those are left alone, with a
warning. Files staged for moving into place are listed as ``pending`` first, so a publish that
is killed half-way still knows them as its own next time.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediadesk.domain.errors import MediaError
from mediadesk.fsutil import atomic_write_bytes, sha256_file

STATE_NAME = ".mediadesk-site.json"
STAGING_PREFIX = ".mediadesk-staging-"
FORMAT = 1


@dataclass
class SiteState:
    root: Path
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    galleries: dict[str, dict[str, Any]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    site_title: str | None = None
    existed: bool = False

    @classmethod
    def load(cls, root: Path) -> SiteState:
        path = root / STATE_NAME
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(root)
        except OSError as exc:
            raise MediaError(f"{path} cannot be read: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
                raise ValueError("unknown format")
        except (ValueError, AttributeError) as exc:
            raise MediaError(f"{path} is damaged ({exc}); mediadesk cannot tell its own files from "
                             "others' there. Move it away to publish this folder anew") from None
        state = cls(root, dict(data["files"]), dict(data.get("galleries") or {}),
                    list(data.get("pending") or []), data.get("site_title"), True)
        state._adopt_pending()
        return state

    def _adopt_pending(self) -> None:
        """Files a killed publish had staged and may have moved into place are ours."""
        for rel in self.pending:
            path = self.root / rel
            if path.is_file() and rel not in self.files:
                self.record(rel)
        self.pending = []

    # -- what is on disk -------------------------------------------------------------------------
    def record(self, rel: str, sha256: str | None = None) -> None:
        path = self.root / rel
        st = path.stat()
        self.files[rel] = {"sha256": sha256 or sha256_file(path), "size": st.st_size,
                           "mtime_ns": st.st_mtime_ns}

    def status(self, rel: str) -> str:
        """``missing``, ``ours`` (as mediadesk wrote it), ``changed`` (ours, edited since) or
        ``foreign`` (there, but mediadesk did not write it)."""
        path = self.root / rel
        try:
            st = path.lstat()
        except FileNotFoundError:
            return "missing"
        known = self.files.get(rel)
        if known is None or not path.is_file() or path.is_symlink():
            return "foreign"
        if st.st_size == known["size"] and st.st_mtime_ns == known["mtime_ns"]:
            return "ours"
        if st.st_size == known["size"] and sha256_file(path) == known["sha256"]:
            return "ours"
        return "changed"

    def forget(self, rel: str) -> None:
        self.files.pop(rel, None)

    # -- saving --------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "generator": "mediadesk", "site_title": self.site_title,
                "files": dict(sorted(self.files.items())), "galleries": self.galleries,
                "pending": sorted(self.pending)}

    def save(self) -> str:
        """Write the state atomically; returns its SHA-256."""
        data = json.dumps(self.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write_bytes(self.root / STATE_NAME, data, verify=False)
        return hashlib.sha256(data).hexdigest()


def gallery_manifest_sha256(slug: str, files: dict[str, str], assets: list[int]) -> str:
    """The checksum a ledger entry carries for one published gallery: its files and assets."""
    body = json.dumps({"gallery": slug, "files": dict(sorted(files.items())), "assets": assets},
                      sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def foreign_files(root: Path, state: SiteState, folders: list[str]) -> list[str]:
    """Files in the site's top level and in the folders mediadesk manages that it did not
    write (relative paths, sorted); its own state file and staging folders are not counted."""
    found: list[str] = []
    for folder in [""] + folders:
        base = root / folder if folder else root
        if not base.is_dir():
            continue
        walk = os.walk(base) if folder else [(str(base), [], [e.name for e in os.scandir(base) if e.is_file()])]
        for dirpath, dirnames, names in walk:
            dirnames[:] = [d for d in dirnames if not d.startswith(STAGING_PREFIX)]
            for name in names:
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                if rel == STATE_NAME or rel.startswith(STAGING_PREFIX) or rel in state.files:
                    continue
                found.append(rel)
    return sorted(found)
