"""XMP sidecars: where mediadesk writes them, where it looks for them, and how they are built.

Convention: mediadesk WRITES ``name.ext.xmp`` (clip.mp4.xmp; unambiguous when clip.mp4 and
clip.mov sit side by side, and what darktable/digiKam write) and READS ``name.ext.xmp`` and
``name.xmp`` (Lightroom, Capture One, Photo Mechanic), also as ``name.ext.xmp.xml`` /
``name.xmp.xml`` (other tools) and in any letter case (``IMG_0001.XMP`` beside
``img_0001.jpg``, written on a case-insensitive disk). When several exist, ``name.ext.xmp``
wins field by field, then ``name.ext.xmp.xml``, ``name.xmp``, ``name.xmp.xml``.
"""

from __future__ import annotations

import os
from collections import OrderedDict

from mediadesk.domain.errors import MediaError

from .xmp import fields_from_xmp, read_packet
from .xmpwrite import EMPTY_PACKET, edit_packet, field_changes, packet_text

MAX_SIDECAR_BYTES = 16 * 1024 * 1024


def sidecar_path_for(path: str) -> str:
    """The sidecar name mediadesk writes: the full file name plus ".xmp"."""
    return path + ".xmp"


SIDECAR_SUFFIXES = (".xmp", ".xmp.xml")
_LISTINGS: OrderedDict[str, tuple[int, dict[str, list[str]]]] = OrderedDict()
_MAX_LISTINGS = 64


def _sidecar_names(folder: str) -> dict[str, list[str]]:
    """Lower-case name -> real names of the sidecar-like files in ``folder``; one listing per
    folder (kept while the folder's mtime is unchanged), not one per imported file."""
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        return {}
    cached = _LISTINGS.get(folder)
    if cached is not None and cached[0] == stamp:
        _LISTINGS.move_to_end(folder)
        return cached[1]
    names: dict[str, list[str]] = {}
    try:
        with os.scandir(folder) as it:
            for entry in it:
                low = entry.name.lower()
                if low.endswith(SIDECAR_SUFFIXES):
                    names.setdefault(low, []).append(entry.name)
    except OSError:
        return {}
    _LISTINGS[folder] = (stamp, names)
    if len(_LISTINGS) > _MAX_LISTINGS:
        _LISTINGS.popitem(last=False)
    return names


def sidecar_candidates(path: str) -> list[str]:
    """Existing sidecars for ``path``, the one that wins first."""
    folder, name = os.path.split(path)
    stem = os.path.splitext(name)[0]
    wanted = [name + sfx for sfx in SIDECAR_SUFFIXES] + [stem + sfx for sfx in SIDECAR_SUFFIXES]
    listing: dict[str, list[str]] | None = None
    found: list[str] = []
    for want in wanted:
        exact = os.path.join(folder, want)
        hits = [exact] if os.path.isfile(exact) else []
        if not hits:
            if listing is None:
                listing = _sidecar_names(folder or ".")
            hits = [os.path.join(folder, real) for real in sorted(listing.get(want.lower(), ()))]
        for cand in hits:
            if cand != path and cand not in found and os.path.isfile(cand):
                found.append(cand)
    # on case-insensitive file systems the upper-case names are the same files
    unique: list[str] = []
    seen: set[tuple[int, int]] = set()
    for cand in found:
        try:
            st = os.stat(cand)
        except OSError:
            continue
        ident = (st.st_dev, st.st_ino)
        if ident not in seen:
            seen.add(ident)
            unique.append(cand)
    return unique


def read_sidecar_fields(path: str) -> tuple[dict[str, object], list[str]]:
    """Catalog fields from the sidecar(s) of ``path`` and warnings for unreadable ones."""
    fields: dict[str, object] = {}
    warnings: list[str] = []
    for cand in reversed(sidecar_candidates(path)):  # lower priority first, winner overlays
        try:
            if os.path.getsize(cand) > MAX_SIDECAR_BYTES:
                warnings.append(f"sidecar {os.path.basename(cand)} is over 16 MB and was ignored")
                continue
            with open(cand, "rb") as fh:
                raw = fh.read()
            parsed, problems = read_packet(raw)
            warnings += [f"sidecar {os.path.basename(cand)}: {p}" for p in problems]
            fields.update(fields_from_xmp(parsed))
        except OSError as exc:
            warnings.append(f"sidecar {os.path.basename(cand)} could not be read: {exc}")
    return fields, warnings


def xmp_sidecar_bytes(fields: dict[str, object], *, existing: bytes | None = None) -> bytes:
    """A complete XMP sidecar packet (UTF-8) holding ``fields``.

    With ``existing`` (the current sidecar's bytes) the fields are merged into it and every
    other property is kept. Fields present with None/""/[] are removed; absent ones untouched.
    Raises MediaError if ``existing`` is not parseable XMP (rather than discarding it)."""
    base = packet_text(existing) if existing else EMPTY_PACKET
    try:
        packet = edit_packet(base, field_changes(fields))
    except ValueError as exc:
        raise MediaError(f"the existing sidecar is not valid XMP and was left alone ({exc})") from None
    return packet.encode("utf-8")
