"""What one worker process does for one file: hash it, read its metadata, make its thumbnail.

Runs in a worker process (mediadesk/workers), so it never touches the catalog: it gets a path and
returns plain values.
An image is read once; the same bytes are hashed, parsed for metadata and decoded for the thumbnail.
"""

from __future__ import annotations

import errno
import hashlib
import os
import traceback
from typing import Any

from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import MediaError
from mediadesk.fsutil import sha256_file
from mediadesk.media import image_data_fingerprint, probe
from mediadesk.media.formats import can_embed
from mediadesk.media.timedtext import companion_signature

MAX_IMAGE_BYTES = 1 << 30  # 1 GiB: larger "images" are refused rather than read into memory
HASH_CHUNK = 1 << 20
NO_MEMORY = "not enough memory to read this file; it may be damaged or far too large"


def _usable(thumb: str) -> bool:
    """A cached thumbnail that is there and not empty (the cache is not fsynced: a power cut
    may leave an empty file, which is then simply made again)."""
    try:
        return os.path.getsize(thumb) > 0
    except OSError:
        return False


def thumb_path(thumbs_dir: str, content_hash: str) -> str:
    return os.path.join(thumbs_dir, content_hash[:2], content_hash + ".jpg")


def _pixel_fingerprint(data: bytes | None, fmt: str | None) -> str | None:
    """The image-data fingerprint of a picture write-back may rewrite (write-back adopts a file
    changed on disk only when its image data is this one); None when it cannot be made."""
    if data is None or fmt is None or not can_embed(fmt):
        return None
    try:
        return image_data_fingerprint(data, fmt)
    except (MediaError, ValueError):
        return None


def process_file(path: str, kind: str, thumbs_dir: str) -> dict[str, Any]:
    """Returns a record for the catalog, or {"path", "error"} for a file that cannot be read."""
    try:
        st = os.stat(path)
        data: bytes | None = None
        if kind == AssetKind.PHOTO:
            if st.st_size > MAX_IMAGE_BYTES:
                return {"path": path, "error": f"image file is {st.st_size / 2**30:.1f} GiB, over the "
                        f"{MAX_IMAGE_BYTES / 2**30:.0f} GiB limit for images; not read"}
            with open(path, "rb") as fh:
                data = fh.read()
            content_hash = hashlib.sha256(data).hexdigest()
        else:
            content_hash = sha256_file(path, HASH_CHUNK)
        thumb = thumb_path(thumbs_dir, content_hash)
        want_thumb = not _usable(thumb)   # the format family decides whether it can make one
        if want_thumb:
            os.makedirs(os.path.dirname(thumb), exist_ok=True)
        result = probe(path, data=data, thumbnail_to=thumb if want_thumb else None)
        record: dict[str, Any] = dict(result.fields)
        record.update(
            path=path, file_name=os.path.basename(path), content_hash=content_hash,
            size=st.st_size, mtime=st.st_mtime, kind=result.kind, format=result.format,
            width=result.width, height=result.height, duration=result.duration,
            codec=result.codec, frame_rate=result.frame_rate,
            field_sources=dict(result.sources), conflicts=dict(result.conflicts),
            warnings=list(result.warnings),
            has_thumbnail=result.thumbnail_written or _usable(thumb),
            pixel_fingerprint=_pixel_fingerprint(data, result.format),
        )
        if result.words is not None:
            record.update(words=result.words, language=result.words.language,
                          page_count=result.words.page_count)
        if result.kind == AssetKind.VIDEO:
            record["companions"] = companion_signature(path)
        return record
    except MediaError as exc:
        return {"path": path, "error": str(exc)}
    except PermissionError:
        return {"path": path, "error": "permission denied: mediadesk may not read this file; check its permissions"}
    except FileNotFoundError:
        return {"path": path, "error": "the file disappeared while it was being imported"}
    except MemoryError:
        return {"path": path, "error": NO_MEMORY}
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            # the thumbnail could not be written: the disk of the catalog is full, which is not
            # this file's fault; the importer stops with a clear message
            return {"path": path, "error": f"no space left for the thumbnail: {exc.strerror or exc}",
                    "disk_full": True}
        return {"path": path, "error": f"cannot be read: {exc.strerror or exc}"}
    except Exception as exc:  # a parser bug must not stop the import: report it with its type
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({last[0].name}:{last[0].lineno})" if last else ""
        return {"path": path, "error": f"unexpected error while reading: {type(exc).__name__}: {exc}{where}"}
