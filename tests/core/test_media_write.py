"""embed_metadata / sidecars / fingerprints: lossless, charset-correct, keeps what it does not own."""

from __future__ import annotations

from pathlib import Path

import pyexiv2
import pytest

from mediadesk.domain.errors import MediaError
from mediadesk.media import (
    can_embed,
    embed_metadata,
    image_data_fingerprint,
    probe,
    read_metadata_bytes,
    xmp_sidecar_bytes,
)
from mediadesk.media.jpeg import iptc_digests, scan_jpeg
from mediadesk.media.xmp import fields_from_xmp, parse_packet

from tests.support.media_fixtures import exiftool, exiftool_json, jpeg_bytes, needs_exiftool, png_bytes, webp_bytes

FIELDS = {
    "caption": "NATO Secretary General Mark Rutte with Andrzej Duda in Łódź; Vučić watched",
    "title": "Joint press conference (opening remarks)",
    "headline": "Rutte meets Duda",
    "keywords": ["NATO", "Łódź", "Kęstutis Budrys"],
    "creator": "Kęstutis Budrys",
    "credit": "NATO / Müller",
    "source": "NATO",
    "copyright": "© 2025 NATO",
    "usage_terms": "Editorial use only",
    "instructions": "EMBARGO until 12:00 CET",
    "city": "Łódź",
    "state": "Łódzkie",
    "country": "Poland",
    "country_code": "POL",
    "sublocation": "Manufaktura",
    "people": ["Mark Rutte", "Andrzej Duda", "Aleksandar Vučić"],
    "organisations": ["NATO"],
    "event": "President of Poland visits NATO",
    "alt_text": "Two men shake hands in front of flags",
    "rating": 4,
    "date_created": "2025-03-06T14:05:00+01:00",
}


def _camera_jpeg() -> bytes:
    img = pyexiv2.ImageData(jpeg_bytes((320, 240)))
    img.modify_exif({"Exif.Image.Make": "Canon", "Exif.Image.Model": "EOS R5"})
    img.modify_xmp({"Xmp.xmp.CreatorTool": "Camera firmware 1.2",
                    "Xmp.photoshop.CaptionWriter": "desk"})
    img.modify_iptc({"Iptc.Application2.Urgency": "2"})
    out = img.get_bytes()
    img.close()
    return out


def test_round_trip_all_fields_lossless_and_keeps_unmanaged() -> None:
    original = _camera_jpeg()
    out, warnings = embed_metadata(original, FIELDS)
    assert warnings == []
    assert image_data_fingerprint(out) == image_data_fingerprint(original)
    back = read_metadata_bytes(out)
    for name, value in FIELDS.items():
        assert back[name] == value, name
    img = pyexiv2.ImageData(out)
    try:
        exif = img.read_exif()
        xmp = img.read_xmp()
        iptc = img.read_iptc()
    finally:
        img.close()
    assert exif["Exif.Image.Make"] == "Canon" and exif["Exif.Image.Model"] == "EOS R5"
    assert xmp["Xmp.xmp.CreatorTool"] == "Camera firmware 1.2"
    assert xmp["Xmp.photoshop.CaptionWriter"] == "desk"
    assert iptc["Iptc.Application2.Urgency"] == "2"
    assert iptc["Iptc.Envelope.CharacterSet"] == "\x1b%G"
    assert exif["Exif.Image.ImageDescription"] == FIELDS["caption"]


@needs_exiftool
def test_exiftool_reads_our_iim_and_xmp_exactly(tmp_path: Path) -> None:
    out, _ = embed_metadata(_camera_jpeg(), FIELDS)
    p = tmp_path / "w.jpg"
    p.write_bytes(out)
    got = exiftool_json(p)  # no -charset option: the 1:90 marker alone must make it UTF-8
    assert got["IPTC:Caption-Abstract"] == FIELDS["caption"]
    assert got["IPTC:By-line"] == "Kęstutis Budrys"
    assert got["IPTC:City"] == "Łódź"
    assert got["IPTC:Keywords"] == FIELDS["keywords"]
    assert got["IPTC:CodedCharacterSet"] == "UTF8"
    assert got["XMP-dc:Description"] == FIELDS["caption"]
    assert got["XMP-dc:Subject"] == FIELDS["keywords"]
    assert got["XMP-iptcExt:PersonInImage"] == FIELDS["people"]
    assert got["XMP-xmpRights:UsageTerms"] == "Editorial use only"
    assert got["XMP-photoshop:Instructions"] == FIELDS["instructions"]
    assert got["IFD0:Artist"] == "Kęstutis Budrys"
    assert got["ExifIFD:DateTimeOriginal"] == "2025:03:06 14:05:00"
    assert got["ExifIFD:OffsetTimeOriginal"] == "+01:00"
    assert got["IFD0:Make"] == "Canon"
    bag = exiftool("-X", "-XMP-dc:Subject", str(p)).stdout.decode()
    assert "<rdf:Bag>" in bag


def test_iim_truncation_at_character_boundary() -> None:
    caption = "a" * 1999 + "ęx"  # 'ę' is 2 bytes: only 1 byte is left, so it must go whole
    keyword = "Ł" * 40           # 80 bytes, limit 64 -> 32 characters
    out, warnings = embed_metadata(jpeg_bytes(), {"caption": caption, "keywords": [keyword]})
    assert warnings[0] == ("caption: IIM Caption-Abstract holds 2000 bytes; shortened from "
                           "2002 bytes (full text kept in XMP)")
    assert "keywords" in warnings[1] and "80 bytes" in warnings[1]
    img = pyexiv2.ImageData(out)
    iptc = img.read_iptc()
    xmp = img.read_xmp()
    img.close()
    assert iptc["Iptc.Application2.Caption"] == "a" * 1999
    assert iptc["Iptc.Application2.Keywords"] == ["Ł" * 32]
    assert xmp["Xmp.dc.description"] == {'lang="x-default"': caption}
    back = read_metadata_bytes(out)
    assert back["caption"] == caption  # XMP wins: the IIM is a byte-limited cut
    assert back["keywords"] == [keyword]


def test_absent_fields_untouched_empty_fields_removed() -> None:
    first, _ = embed_metadata(jpeg_bytes(), {"caption": "keep me", "keywords": ["a", "b"],
                                             "creator": "Someone"})
    second, _ = embed_metadata(first, {"keywords": [], "creator": None, "city": "Riga"})
    back = read_metadata_bytes(second)
    assert back == {"caption": "keep me", "city": "Riga"}
    img = pyexiv2.ImageData(second)
    assert "Iptc.Application2.Keywords" not in img.read_iptc()
    assert "Xmp.dc.subject" not in img.read_xmp()
    assert "Exif.Image.Artist" not in img.read_exif()
    img.close()


def test_existing_latin1_iim_is_reencoded_when_utf8_is_declared() -> None:
    img = pyexiv2.ImageData(jpeg_bytes())
    img.modify_iptc({"Iptc.Application2.Writer": "Müller"}, encoding="latin-1")
    data = img.get_bytes()
    img.close()
    out, _ = embed_metadata(data, {"caption": "Łódź"})
    img = pyexiv2.ImageData(out)
    iptc = img.read_iptc()  # utf-8: valid only if the writer was re-encoded
    img.close()
    assert iptc["Iptc.Application2.Writer"] == ["Müller"]
    assert iptc["Iptc.Envelope.CharacterSet"] == "\x1b%G"


@needs_exiftool
def test_iptc_digest_is_updated_so_xmp_keeps_winning(tmp_path: Path) -> None:
    p = tmp_path / "d.jpg"
    p.write_bytes(jpeg_bytes())
    exiftool("-overwrite_original", "-IPTC:Caption-Abstract=old", "-XMP-dc:Description=old",
             "-Photoshop:IPTCDigest=new", str(p))
    out, _ = embed_metadata(p.read_bytes(), {"caption": "new " + "x" * 2100})
    current, stored = iptc_digests(scan_jpeg(out))
    assert stored is not None and current == stored
    assert read_metadata_bytes(out)["caption"] == "new " + "x" * 2100


@pytest.mark.parametrize("make, fmt", [(png_bytes, "PNG"), (webp_bytes, "WEBP")])
def test_png_and_webp(make, fmt: str) -> None:
    data = make()
    out, _ = embed_metadata(data, {"caption": "Vučić", "keywords": ["Łódź"]})
    assert image_data_fingerprint(out) == image_data_fingerprint(data)
    back = read_metadata_bytes(out)
    assert back["caption"] == "Vučić" and back["keywords"] == ["Łódź"]
    assert can_embed(fmt)


def test_unsupported_format_and_damaged_input() -> None:
    assert not can_embed("HEIF") and not can_embed("MP4")
    gif = b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00;"
    with pytest.raises(MediaError, match="format GIF cannot carry embedded metadata safely; "
                                         "use a sidecar"):
        embed_metadata(gif, {"caption": "x"})
    with pytest.raises(MediaError):
        embed_metadata(b"\xff\xd8\xff\xe0garbage", {"caption": "x"})


def test_fingerprint_detects_changed_pixels() -> None:
    a = jpeg_bytes(color=(1, 2, 3))
    b = jpeg_bytes(color=(200, 2, 3))
    assert image_data_fingerprint(a) != image_data_fingerprint(b)
    assert image_data_fingerprint(png_bytes()) == image_data_fingerprint(png_bytes())


def test_sidecar_merge_keeps_other_properties(tmp_path: Path) -> None:
    base = xmp_sidecar_bytes({"caption": "first", "keywords": ["a"]})
    img = pyexiv2.ImageData(base)
    raw = img.read_raw_xmp()
    img.close()
    foreign = raw.replace('rdf:about=""', 'rdf:about="" xmlns:lr="http://ns.adobe.com/lightroom/1.0/"'
                          ' lr:privateRTKInfo="keep"', 1)
    merged = xmp_sidecar_bytes({"caption": "second", "people": ["Vučić"]},
                               existing=foreign.encode("utf-8"))
    text = merged.decode("utf-8")
    assert 'privateRTKInfo="keep"' in text
    fields = fields_from_xmp(parse_packet(merged))
    assert fields == {"caption": "second", "keywords": ["a"], "people": ["Vučić"]}
    with pytest.raises(MediaError):
        xmp_sidecar_bytes({"caption": "x"}, existing=b"<not xmp")


def test_sidecar_read_back_by_probe(tmp_path: Path) -> None:
    p = tmp_path / "photo.jpg"
    p.write_bytes(jpeg_bytes())
    (tmp_path / "photo.jpg.xmp").write_bytes(xmp_sidecar_bytes(FIELDS))
    res = probe(str(p))
    assert res.fields == FIELDS
    assert set(res.sources.values()) == {"sidecar"}
