"""Choosing one value per field when Exif, IIM, XMP, a sidecar and QuickTime tags disagree.

The rule is the Metadata Working Group's, as exiftool's MWG module implements it (and as
exiftool's MWG.jpg test image, labelled RIGHT-/WRONG-, expects):

1. A sidecar XMP beside the file wins for every field it has: it is the newest edit, made by a
   tool (digiKam, Lightroom, mediadesk for videos) that would not or could not touch the file.
2. Exif ImageDescription / Artist / Copyright / DateTimeOriginal win when not blank (MWG: Exif
   is the primary store for the properties it has; MWG writers update all three stores).
3. Between XMP and IIM: XMP wins when there is no IIM, or when the IPTC digest the last
   MWG-aware writer stored (Photoshop IRB 0x0425) is absent or matches the IIM as it is now.
   A digest that does not match means a legacy tool edited IIM after the XMP was written, so
   IIM is newer and wins, unless it is merely the byte-limited cut of the XMP text.
4. QuickTime text tags (videos) fill in what none of the above has; then a document's own
   properties (PDF Info, DOCX/ODT core properties, HTML meta, and what its text says: the first
   heading, "Source: NATO", the first date).
5. Dates: a value a reader could only half read (``weak``: an XMP date that is not valid ISO
   8601) gives way to another store's date that has a time; and a chosen date without a time
   zone takes the offset of another store that gives the same local time with one (Exif
   without OffsetTimeOriginal, XMP/IIM "+02:00"), so the catalog keeps the offset whenever any
   store knows it for that moment.

Every disagreement between stores that had a value is recorded in ``conflicts``; how a value
was read, when that was a decision (``notes``: Mac Roman IIM, an offset taken from another
store, a HEIF item read directly), is kept in its source: ``"iim (decoded as Mac Roman: ...)"``.
"""

from __future__ import annotations

import re

from mediadesk.domain.fields import FIELD_BY_NAME, Source

_LOCAL_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?)([+-]\d\d:\d\d)?$")

MWG_EXIF_FIRST = frozenset({"caption", "creator", "copyright", "date_created"})

# Text cameras put into Exif ImageDescription by default. MWG's "Exif first" would let it beat a
# real caption a photographer wrote in XMP/IIM, so it is treated as no value at all.
CAMERA_PLACEHOLDER_CAPTIONS = frozenset({
    "olympus digital camera", "sony dsc", "digital camera", "samsung digital camera",
    "kodak digital still camera", "minolta digital camera", "sanyo digital camera",
    "konica minolta digital camera", "casio digital camera", "hp digital camera",
    "exif_jpeg_picture", "default", "image", "picture", "photo", "<no description>",
    "vivitar digital camera", "lg digital camera", "ricoh digital camera",
})


def is_camera_placeholder(text: object) -> bool:
    return isinstance(text, str) and " ".join(text.split()).casefold() in CAMERA_PLACEHOLDER_CAPTIONS


def _norm(value: object) -> object:
    if isinstance(value, list):
        return tuple(sorted(" ".join(str(v).split()).casefold() for v in value))
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def _same(field: str, a: object, b: object) -> bool:
    """Equal for our purposes: whitespace/case-insensitive, IIM cuts of a longer XMP text, dates
    that differ only in precision (an Exif time without offset vs the same time with one)."""
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    if isinstance(na, str) and isinstance(nb, str):
        if field == "date_created":
            return na.startswith(nb) or nb.startswith(na)
        if is_truncation(field, a, b) or is_truncation(field, b, a):
            return True
    if isinstance(na, tuple) and isinstance(nb, tuple) and len(na) == len(nb):
        return all(x == y or x.startswith(y) or y.startswith(x) for x, y in zip(na, nb, strict=True))
    return False


def is_truncation(field: str, short: object, full: object) -> bool:
    """``short`` is an IIM byte-limited cut of ``full`` (exiftool's RecoverTruncatedIPTC)."""
    spec = FIELD_BY_NAME.get(field)
    if spec is None or spec.iim_max_bytes is None:
        return False
    if not (isinstance(short, str) and isinstance(full, str)):
        return False
    nbytes = len(short.encode("utf-8"))
    return (len(full) > len(short) and full.startswith(short)
            and nbytes >= spec.iim_max_bytes - 3 and len(full.encode("utf-8")) > spec.iim_max_bytes)


def reconcile(*, exif: dict[str, object] | None = None, iim: dict[str, object] | None = None,
              xmp: dict[str, object] | None = None, sidecar: dict[str, object] | None = None,
              quicktime: dict[str, object] | None = None, document: dict[str, object] | None = None,
              digest_current: str | None = None,
              digest_stored: str | None = None, weak: set[tuple[str, str]] | None = None,
              notes: dict[tuple[str, str], str] | None = None,
              ) -> tuple[dict[str, object], dict[str, str], dict[str, dict[str, object]]]:
    """(fields, sources, conflicts) from the per-store field dicts.

    ``weak``: (store, field) pairs read only in part (a malformed date); ``notes``: (store,
    field or "*") -> how that store's values were read, added to the field's source."""
    weak, notes = weak or set(), dict(notes or {})
    exif, iim, xmp = exif or {}, iim or {}, xmp or {}
    sidecar, quicktime, document = sidecar or {}, quicktime or {}, document or {}
    has_iim = bool(iim) or digest_current is not None
    digest_ok = digest_stored is None or digest_current is None or digest_stored == digest_current
    fields: dict[str, object] = {}
    sources: dict[str, str] = {}
    conflicts: dict[str, dict[str, object]] = {}
    names = list(dict.fromkeys([*sidecar, *exif, *xmp, *iim, *quicktime, *document]))
    for name in names:
        cands: dict[str, object] = {}
        for src, store in ((Source.SIDECAR, sidecar), (Source.EXIF, exif), (Source.XMP, xmp),
                           (Source.IIM, iim), (Source.QUICKTIME, quicktime), (Source.DOCUMENT, document)):
            if name in store and store[name] not in (None, "", []):
                if name == "caption" and src is Source.EXIF and is_camera_placeholder(store[name]):
                    continue
                cands[src.value] = store[name]
        if not cands:
            continue
        strong = {k: v for k, v in cands.items() if (k, name) not in weak}
        if strong and len(strong) < len(cands) and (name != "date_created" or _has_time(strong)
                                                    or not _has_time(cands)):
            chosen = _choose(name, strong, has_iim, digest_ok)
        else:
            chosen = _choose(name, cands, has_iim, digest_ok)
        fields[name] = cands[chosen]
        if name == "date_created":
            fields[name] = _with_offset(str(cands[chosen]), cands, chosen, notes)
        sources[name] = chosen
        note = notes.get((chosen, name)) or notes.get((chosen, "*"))
        if note:
            sources[name] = f"{chosen} ({note})"
        values = list(cands.items())
        if any(not _same(name, values[0][1], v) for _, v in values[1:]):
            conflicts[name] = dict(cands)
    return fields, sources, conflicts


def _has_time(cands: dict[str, object]) -> bool:
    return any("T" in str(v) for v in cands.values())


def _with_offset(value: str, cands: dict[str, object], chosen: str,
                 notes: dict[tuple[str, str], str]) -> str:
    """``value`` with the offset another store gives for the same local time, if it has none."""
    m = _LOCAL_TIME.match(value)
    if not m or m.group(2):
        return value
    local = m.group(1)
    for src, other in cands.items():
        om = _LOCAL_TIME.match(str(other))
        if src == chosen or not om or not om.group(2):
            continue
        a, b = local, om.group(1)
        if a == b or (len(a) != len(b) and (a.startswith(b) or b.startswith(a))):
            notes[(chosen, "date_created")] = f"time zone {om.group(2)} from {src}"
            return local + om.group(2)
    return value


def _choose(name: str, cands: dict[str, object], has_iim: bool, digest_ok: bool) -> str:
    if Source.SIDECAR.value in cands:
        return Source.SIDECAR.value
    if name in MWG_EXIF_FIRST and Source.EXIF.value in cands:
        return Source.EXIF.value
    x, i = cands.get(Source.XMP.value), cands.get(Source.IIM.value)
    if x is not None and (not has_iim or i is None or digest_ok):
        return Source.XMP.value
    if i is not None:
        if x is not None and is_truncation(name, i, x):
            return Source.XMP.value
        return Source.IIM.value
    if x is not None:
        return Source.XMP.value
    if Source.EXIF.value in cands:
        return Source.EXIF.value
    return next(iter(cands))
