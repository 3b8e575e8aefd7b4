"""probe(): one call per file for the importer: kind, format, size, duration, reconciled
catalog fields with their sources and conflicts, warnings, and optionally a thumbnail.

The file's format family (media/formats/) does the work: the header and the name say which
family it is, and the family probes it. Images are read once (the caller may pass the bytes it
already read to hash them); exiv2 and Pillow both work on those bytes in memory. Video/audio
are opened by path (they can be GBs).
"""

from __future__ import annotations

import os

from mediadesk.domain.credentials import credentials_warning
from mediadesk.domain.errors import MediaError

from .c2pa import check_credentials
from .formats.base import ProbeResult
from .formats.registry import identify

__all__ = ["ProbeResult", "probe"]

_HEAD = 512


def _head(path: str, data: bytes | None) -> bytes:
    if data is not None:
        if len(data) == 0:
            raise MediaError("file is empty (0 bytes)")
        return data[:_HEAD]
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise MediaError("file is empty (0 bytes)")
    try:
        with open(path, "rb") as fh:
            return fh.read(_HEAD)
    except OSError as exc:
        raise MediaError(f"file cannot be read ({exc.strerror or exc})") from None


def probe(path: str, *, data: bytes | None = None, thumbnail_to: str | None = None) -> ProbeResult:
    """Probe one file. Raises MediaError (message for a person) when it cannot be used."""
    found = identify(path, _head(path, data))
    if found is None:
        raise MediaError("not a supported photo, video or audio file "
                         "(unknown extension and unrecognised content)")
    result = found.adapter.probe(path, data, found.format, thumbnail_to)
    credentials = check_credentials(path)
    if credentials is not None:
        result.warnings.append(credentials_warning(credentials.summary()))
    return result
