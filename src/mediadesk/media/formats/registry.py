"""The format registry: which family handles a file, by its extension and by its first bytes.

Every module of this package may define format families (subclasses of
:class:`~mediadesk.media.formats.base.MediaFormat`) and register them with ``@register``. The
registry imports every module of the package the first time it is asked anything, so adding a
format is adding one file (as Picard's ``picard/formats``, but found rather than listed). It
loads lazily so that the low-level readers (images, video, c2pa...) can ask it without an import
cycle: they are imported by the adapters, and ask only when called.

Identification (``identify``): the header decides, because extensions lie (a JPEG saved as
``.dat``, a PNG named ``.jpg``); the extension decides when the header is not recognised, and
when the header only names a generic container the extension's family refines (a NEF is a TIFF
inside, an ``.m4a`` an MP4). When several families recognise a header, the surest test wins
(:data:`~mediadesk.media.formats.base.SURE` for a fixed signature at offset 0).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from mediadesk.domain.asset import AssetKind

from .base import SURE, Carrier, MediaFormat

FormatClass = TypeVar("FormatClass", bound=type[MediaFormat])


class RegistryError(RuntimeError):
    """A format family contradicts another (an extension or format name claimed twice)."""


@dataclass(frozen=True)
class Identified:
    """A file's family and format name."""

    adapter: MediaFormat
    format: str

    @property
    def kind(self) -> AssetKind:
        return self.adapter.kind


_lock = threading.RLock()
_loaded = False
_loading = False
_families: list[MediaFormat] = []
_by_extension: dict[str, Identified] = {}
_by_format: dict[str, MediaFormat] = {}
_by_decoder: dict[str, MediaFormat] = {}


def register(cls: FormatClass) -> FormatClass:
    """Class decorator: add the family (one instance of ``cls``) to the registry."""
    with _lock:
        if any(type(f) is cls for f in _families):
            return cls
        adapter = cls()
        _check(adapter)
        _families.append(adapter)
        _index()
    return cls


def unregister(cls: type[MediaFormat]) -> None:
    """Remove a family (a plug-in switched off; tests that add a family for a while)."""
    with _lock:
        _families[:] = [f for f in _families if type(f) is not cls]
        _index()


def _check(adapter: MediaFormat) -> None:
    name = type(adapter).__name__
    for attr in ("family", "kind", "extensions", "formats"):
        if not hasattr(adapter, attr):
            raise RegistryError(f"format family {name} does not set {attr}")
    for ext, fmt in adapter.extensions.items():
        if ext != ext.lower() or not ext.startswith("."):
            raise RegistryError(f"{name}: extension {ext!r} must be lower case and start with a dot")
        if fmt not in adapter.formats:
            raise RegistryError(f"{name}: extension {ext} names {fmt}, which is not in its formats")
    for other in _families:
        clash = set(adapter.extensions) & set(other.extensions)
        if clash:
            raise RegistryError(f"{name} and {type(other).__name__} both claim {sorted(clash)}")
        clash = {f.upper() for f in adapter.formats} & {f.upper() for f in other.formats}
        if clash:
            raise RegistryError(f"{name} and {type(other).__name__} both report {sorted(clash)}")


def _index() -> None:
    _by_extension.clear()
    _by_format.clear()
    _by_decoder.clear()
    for adapter in _families:
        for ext, fmt in adapter.extensions.items():
            _by_extension[ext] = Identified(adapter, fmt)
        for fmt in adapter.formats:
            _by_format[fmt.upper()] = adapter
        for decoder in adapter.pillow_decoders:
            _by_decoder[decoder] = adapter


def _load() -> None:
    """Import every module of this package once (each registers its families)."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if not _loaded:
            discover()
            _loaded = True


def discover() -> None:
    """Import each module of this package not imported yet; each registers its families. Runs
    at first use, and again when a folder of format modules is added to the package's path."""
    global _loading
    with _lock:
        if _loading:
            return   # a module being imported asked the registry something: it sees what is there
        _loading = True
        try:
            package = sys.modules[__package__ or "mediadesk.media.formats"]
            for info in pkgutil.iter_modules(package.__path__):
                importlib.import_module(f"{package.__name__}.{info.name}")
        finally:
            _loading = False


def families() -> tuple[MediaFormat, ...]:
    _load()
    return tuple(_families)


def for_format(name: str | None) -> MediaFormat | None:
    """The family of a format name (``asset.format``), in any letter case; None if unknown."""
    _load()
    return _by_format.get(name.upper()) if name else None


def for_extension(ext: str) -> Identified | None:
    """The family and format of an extension (".JPG" or "jpg"); None if unsupported."""
    _load()
    ext = ext.lower()
    return _by_extension.get(ext if ext.startswith(".") else "." + ext)


def for_path(path: str) -> Identified | None:
    """The family and format a file name's extension implies (no I/O)."""
    ext = os.path.splitext(path)[1]
    return for_extension(ext) if ext else None


def for_decoder(pillow_format: str | None) -> MediaFormat | None:
    """The family of an image as Pillow decoded it (``Image.format``), or None."""
    _load()
    return _by_decoder.get(pillow_format) if pillow_format else None


def sniff(head: bytes) -> Identified | None:
    """Family and format from a file's first bytes (pass 512 or more); None when unrecognised."""
    _load()
    best: Identified | None = None
    best_score = 0
    for adapter in _families:
        found = adapter.sniff(head)
        if found is not None and found.score > best_score:
            best, best_score = Identified(adapter, found.format), found.score
            if best_score >= SURE:
                break   # fixed signatures do not overlap (tests/core/test_formats.py checks it)
    return best


def identify(path: str, head: bytes) -> Identified | None:
    """The family and format of the file at ``path`` starting with ``head``; None if neither its
    header nor its extension is known."""
    sniffed = sniff(head)
    by_ext = for_path(path)
    if sniffed is None:
        return by_ext
    if by_ext is not None and by_ext.adapter.claims(sniffed.format, by_ext.format):
        return by_ext
    return sniffed


# -- the small questions the rest of mediadesk asks (by format name, as the catalog stores it) --

def carrier_for(fmt: str | None) -> Carrier:
    """How an export carries the metadata of a file of format ``fmt`` (unknown: a sidecar)."""
    adapter = for_format(fmt)
    return adapter.carrier if adapter is not None else Carrier.SIDECAR


def can_embed(fmt: str | None) -> bool:
    """True when mediadesk writes metadata into files of this format (else: use a sidecar)."""
    adapter = for_format(fmt)
    return adapter is not None and fmt is not None and adapter.can_embed(fmt.upper())


def is_camera_raw(fmt: str | None) -> bool:
    adapter = for_format(fmt)
    return adapter is not None and adapter.camera_raw


def extension_of(fmt: str) -> str:
    """The usual extension of a format (".jpg" for "JPEG"), with its dot."""
    adapter = for_format(fmt)
    if adapter is None:
        raise KeyError(fmt)
    return adapter.extension(fmt.upper())


def kind_for_path(path: str) -> AssetKind | None:
    """Kind (photo, video, audio...) from the file name's extension; None if unsupported."""
    found = for_path(path)
    return found.kind if found is not None else None


def format_for_path(path: str) -> str | None:
    """Format name implied by the extension (used when magic bytes are inconclusive)."""
    found = for_path(path)
    return found.format if found is not None else None


def sniff_format(head: bytes) -> tuple[AssetKind, str] | None:
    """(kind, format name) from the first bytes (pass 512 or more); None when not recognised."""
    found = sniff(head)
    return (found.kind, found.format) if found is not None else None


def sniff_kind(head: bytes) -> AssetKind | None:
    """Kind from magic bytes, for files whose extension is wrong or missing."""
    found = sniff(head)
    return found.kind if found is not None else None


class _SupportedExtensions(Mapping[str, AssetKind]):
    """Every supported extension -> its kind, read from the registered families."""

    def __getitem__(self, ext: str) -> AssetKind:
        _load()
        return _by_extension[ext].kind

    def __iter__(self) -> Iterator[str]:
        _load()
        return iter(dict(_by_extension))

    def __len__(self) -> int:
        _load()
        return len(_by_extension)


SUPPORTED_EXTENSIONS: Mapping[str, AssetKind] = _SupportedExtensions()
