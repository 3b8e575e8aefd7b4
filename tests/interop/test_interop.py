"""mediadesk.media against files made by other tools (../shared/interop beside the checkout).

For every media file in MANIFEST.tsv: probe() must not crash; MediaError only where listed in
MEDIA_ERROR_OK with the reason. For files with exiftool's reading (expected/<path>.json), the
catalog fields must equal the value the MWG rule picks from exiftool's tags, except where
DELIBERATE lists a file/field on which mediadesk disagrees with exiftool on purpose.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from mediadesk.domain.errors import MediaError
from mediadesk.media import probe

from tests.support.paths import INTEROP

pytestmark = pytest.mark.interop


# file -> why probe() may raise MediaError for it
MEDIA_ERROR_OK: dict[str, str] = {
    "exiv2/images/exiv2-bug1247.jpg": "17-byte truncated JPEG; exiftool: 'JPEG format error'",
    "exiv2/images/1-string-format.jpg": "65-byte fuzzer file; exiftool: 'JPEG format error'",
    "exiv2/images/cve_2017_1000126_stack-oob-read.webp": "17-byte corrupt RIFF; exiftool: "
                                                          "'Error reading RIFF file'",
    "bep-imagemeta/corrupt/huge_tag_exif.jpg": "fuzzed; exiftool: 'JPEG format error'",
    "bep-imagemeta/corrupt/max_uint32_exif.jpg": "fuzzed; exiftool: 'JPEG format error'",
    "pillow/broken.png": "exiftool: 'PNG image did not start with IHDR'",
    "metadata-extractor-images/heic/IllegalArgumentException.HeifReader.processBoxes.heif":
        "exiftool: 'Invalid atom size'",
    "exiftool/images/XMP.svg": "SVG is not a media kind mediadesk catalogs",
    "exiftool/images/QuickTime.heic": "623-byte HEIC structure without image data: libheif "
                                      "cannot decode a thumbnail and it has no catalog fields",
    "bep-imagemeta/multi-xmp.heic": "759-byte HEIC without decodable image data and without "
                                    "catalog fields (only GCamera/hdrgm XMP)",
    "frameright/malformedchunks.png": "Pillow rejects the malformed chunks (exiftool only "
                                      "walks them) and the file has no catalog fields",
}

# (file, field) -> why mediadesk's value differs from exiftool's on purpose
DELIBERATE: dict[tuple[str, str], str] = {
    ("exiftool/images/XMP.jpg", "keywords"): "XMP.xmp beside XMP.jpg is its sidecar by "
        "mediadesk's convention (name.xmp) and wins over embedded values",
    ("exiftool/images/XMP.jpg", "copyright"): "sidecar XMP.xmp wins (see keywords)",
    ("exiftool/images/RIFF.avi", "duration"): "file stripped of media data; FFmpeg's AVI "
        "demuxer gives no duration (exiftool computes it from the avih header)",
    ("exiftool/images/M2TS.mts", "duration"): "header-only stream: exiftool says 0 s, FFmpeg "
        "estimates 0.1 s from the packet timestamps it sees",
    ("exiftool/images/JXL2.jxl", "creator"): "exiftool 12.57 reads only the JXL box structure; "
        "exiv2 reads the Exif box (Artist 'me', as in exiftool's own JXL_4.out)",
    ("exiftool/images/JXL2.jxl", "keywords"): "as creator: XMP box read by exiv2, not by "
        "exiftool 12.57 (dc:subject 'ExifTool test' per JXL_4.out)",
    ("pillow/multiple_exif.jpg", "caption"): "Exif split over two APP1 segments (not allowed "
        "by the Exif spec); exiftool joins them ('firstsecond'), exiv2 reads neither",
}

FIELDS_CHECKED = ("caption", "title", "creator", "credit", "copyright", "usage_terms",
                  "keywords", "people", "city", "country", "date_created")

# field -> (exif tag, iim tag, xmp tag); MWG order: Exif first (where it has the field), then
# XMP unless an IPTC digest says IIM changed since, then IIM.
TAGS: dict[str, tuple[str | None, str | None, str | None]] = {
    "caption": ("IFD0:ImageDescription", "IPTC:Caption-Abstract", "XMP-dc:Description"),
    "creator": ("IFD0:Artist", "IPTC:By-line", "XMP-dc:Creator"),
    "copyright": ("IFD0:Copyright", "IPTC:CopyrightNotice", "XMP-dc:Rights"),
    "title": (None, "IPTC:ObjectName", "XMP-dc:Title"),
    "credit": (None, "IPTC:Credit", "XMP-photoshop:Credit"),
    "usage_terms": (None, None, "XMP-xmpRights:UsageTerms"),
    "keywords": (None, "IPTC:Keywords", "XMP-dc:Subject"),
    "people": (None, None, "XMP-iptcExt:PersonInImage"),
    "city": (None, "IPTC:City", "XMP-photoshop:City"),
    "country": (None, "IPTC:Country-PrimaryLocationName", "XMP-photoshop:Country"),
}
IIM_LIMITS = {"caption": 2000, "creator": 32, "copyright": 128, "title": 64, "credit": 32,
              "keywords": 64, "city": 32, "country": 64}
DURATION_TAGS = ("QuickTime:Duration", "Matroska:Duration", "M2TS:Duration", "RIFF:Duration",
                 "Composite:Duration")


def _manifest() -> list[str]:
    if not (INTEROP / "MANIFEST.tsv").is_file():
        return []
    with open(INTEROP / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        return [r["local_path"] for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == "media"]


MEDIA = _manifest()


def _norm_text(v: object) -> object:
    if isinstance(v, list):
        return [_norm_text(x) for x in v]
    if v is None:
        return None
    return " ".join(str(v).replace("\x00", " ").split())


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or v == []


def _exif_date(exp: dict) -> str | None:
    v = exp.get("ExifIFD:DateTimeOriginal")
    if _blank(v) or not re.match(r"\d{4}:\d\d:\d\d", str(v)) or str(v).startswith("0000"):
        return None
    off = exp.get("ExifIFD:OffsetTimeOriginal")
    return _iso(str(v) + (str(off) if isinstance(off, str) and re.match(r"[+-]\d\d:\d\d$", off) else ""))


def _iso(v: str) -> str:
    m = re.match(r"(\d{4})(?::(\d\d))?(?::(\d\d))?(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?(?:\.\d+)?"
                 r"(Z|[+-]\d\d:?\d\d)?", v.strip())
    assert m, v
    y, mo, d, hh, mi, ss, off = m.groups()
    out = y
    for part, sep in ((mo, "-"), (d, "-")):
        if not part or part == "00":
            return out
        out += sep + part
    if hh:
        out += f"T{hh}:{mi}" + (f":{ss}" if ss else "")
        if off:
            out += "+00:00" if off == "Z" else (off if ":" in off else off[:3] + ":" + off[3:])
    return out


def _recover(iim: object, xmp: object, limit: int) -> object:
    """exiftool's RecoverTruncatedIPTC."""
    if xmp is None:
        return iim
    if isinstance(iim, list):
        xs = xmp if isinstance(xmp, list) else [xmp]
        return [_recover(a, xs[i] if i < len(xs) else None, limit) for i, a in enumerate(iim)]
    if isinstance(iim, str) and len(iim) == limit:
        x = xmp[0] if isinstance(xmp, list) else xmp
        if isinstance(x, str) and len(x) > limit and x.startswith(iim):
            return x
    return iim


# video: XMP first, then QuickTime text tags (Keys = Apple mdta, ItemList = iTunes, UserData = (c)xxx)
VIDEO_TAGS: dict[str, tuple[str, ...]] = {
    "caption": ("XMP-dc:Description", "Keys:Description", "ItemList:Description",
                "UserData:Description", "Keys:Comment", "ItemList:Comment", "UserData:Comment"),
    "title": ("XMP-dc:Title", "Keys:Title", "ItemList:Title", "UserData:Title"),
    "creator": ("XMP-dc:Creator", "Keys:Artist", "ItemList:Artist", "UserData:Artist",
                "Keys:Author", "UserData:Author"),
    "copyright": ("XMP-dc:Rights", "Keys:Copyright", "ItemList:Copyright", "UserData:Copyright"),
    "keywords": ("XMP-dc:Subject", "Keys:Keywords", "ItemList:Keyword", "UserData:Keywords"),
    "date_created": ("XMP-photoshop:DateCreated", "Keys:CreationDate", "ItemList:ContentCreateDate",
                     "UserData:ContentCreateDate", "QuickTime:CreateDate", "RIFF:DateTimeOriginal",
                     "Matroska:DateTimeOriginal"),
}


def video_expected(exp: dict, field: str) -> object:
    for tag in VIDEO_TAGS.get(field, TAGS.get(field, (None, None, None))[2:]):
        v = exp.get(tag) if tag else None
        if not _blank(v):
            if field == "date_created":
                text = str(v)
                return None if text.startswith("0000") else _iso(text)
            return v
    return None


def mwg_expected(exp: dict, field: str) -> object:
    """The value exiftool's MWG composite logic would give for our field."""
    cur, stored = exp.get("File:CurrentIPTCDigest"), exp.get("Photoshop:IPTCDigest")
    if field == "date_created":
        ex = _exif_date(exp)
        if ex:
            return ex
        x = exp.get("XMP-photoshop:DateCreated")
        if not _blank(x) and (cur is None or stored is None or cur == stored):
            return _iso(str(x))
        d = exp.get("IPTC:DateCreated")
        if _blank(d):
            return _iso(str(x)) if not _blank(x) else None
        t = exp.get("IPTC:TimeCreated")
        return _iso(f"{d} {t}" if t and not str(d).endswith(("00:00", ":00")) else str(d))
    exif_tag, iim_tag, xmp_tag = TAGS[field]
    ex = exp.get(exif_tag) if exif_tag else None
    if not _blank(ex):
        return ex
    iim = exp.get(iim_tag) if iim_tag else None
    xmp = exp.get(xmp_tag) if xmp_tag else None
    if cur is None or (xmp is not None and (stored is None or cur == stored)):
        value = xmp if xmp is not None else iim
    else:
        value = _recover(iim, xmp, IIM_LIMITS.get(field, 0))
        if value is None:
            value = xmp
    return value


def _ours(field: str, value: object) -> object:
    if value is None:
        return None
    if field == "creator" and isinstance(value, str):
        return [p.strip() for p in value.split(";") if p.strip()]
    return value


def _theirs(field: str, value: object) -> object:
    if value is None or _blank(value):
        return None
    if field == "creator":
        items = value if isinstance(value, list) else [value]
        return [p.strip() for s in items for p in str(s).split(";") if p.strip()]
    if field in ("keywords", "people"):
        return [str(v) for v in (value if isinstance(value, list) else [value]) if str(v).strip()]
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _dates_equal(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    return a == b or a.startswith(b) or b.startswith(a)


@pytest.mark.parametrize("rel", MEDIA or ["<none>"])   # "<none>": interop_dir skips or fails
def test_interop_file(rel: str, interop_dir: Path, tmp_path: Path) -> None:
    path = interop_dir / rel
    thumb = tmp_path / "t.jpg"
    try:
        res = probe(str(path), thumbnail_to=str(thumb))
    except MediaError as exc:
        assert rel in MEDIA_ERROR_OK, f"unexpected MediaError: {exc}"
        return
    assert rel not in MEDIA_ERROR_OK, "listed as unreadable but probe() succeeded; update the list"
    assert res.kind in ("photo", "video", "audio")
    exp_path = interop_dir / "expected" / (rel + ".json")
    if not exp_path.is_file():
        return
    exp = json.loads(exp_path.read_text(encoding="utf-8"))[0]
    problems = []
    for field in FIELDS_CHECKED:
        if (rel, field) in DELIBERATE:
            continue
        want = (video_expected(exp, field) if res.kind in ("video", "audio")
                else mwg_expected(exp, field))
        got = res.fields.get(field)
        if field == "date_created":
            ok = _dates_equal(got if isinstance(got, str) else None, want if isinstance(want, str) else None)
        else:
            ok = _norm_text(_ours(field, got)) == _norm_text(_theirs(field, want))
        if not ok:
            problems.append(f"{field}: mediadesk={got!r} exiftool(MWG)={want!r}")
    if res.kind in ("video", "audio") and (rel, "duration") not in DELIBERATE:
        want_d = next((exp[t] for t in DURATION_TAGS if isinstance(exp.get(t), (int, float))), None)
        if want_d is not None and (res.duration is None or abs(res.duration - float(want_d)) > 0.05):
            problems.append(f"duration: mediadesk={res.duration} exiftool={want_d}")
    assert not problems, "\n".join(problems)
