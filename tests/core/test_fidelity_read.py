"""Metadata fidelity (issue 15 and the metadata part of issue 10): each class of file that other
tools write and mediadesk used to misread, built here byte by byte, read by mediadesk and by
exiftool, and the two compared. Where mediadesk differs from exiftool on purpose, the test says
why."""

from __future__ import annotations

import datetime as dt

import pyexiv2
import pytest

from mediadesk.media import probe
from mediadesk.media.iim import MAC_ROMAN_BY_BYTES, MAC_ROMAN_BY_XMP
from mediadesk.media.images import read_image_stores
from mediadesk.services.importer import import_paths

from tests.support.export_fixtures import video
from tests.support.fidelity_fixtures import (
    exif_tiff,
    header_only_mkv,
    iim_record,
    jpeg_with,
    lang_alt,
    mp4_with_udta,
    packet,
    udta_atom,
    write,
)
from tests.support.heif_fixtures import heic_bytes, with_wide_iloc
from tests.support.media_fixtures import exiftool_json, needs_exiftool

RIGHTS_BODY = (lang_alt("dc:description", "Rutte and Duda at NATO HQ")
               + lang_alt("xmpRights:UsageTerms", "EDITORIAL USE ONLY. Not for advertising.")
               + lang_alt("dc:rights", "© NATO")
               + "<photoshop:Instructions>EMBARGO until 10:00 CET</photoshop:Instructions>")


# -- HEIC whose Exif and XMP items exiv2 does not locate ----------------------------------
@needs_exiftool
def test_heic_items_exiv2_skips_are_read(tmp_path):
    xmp = packet("<dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>"
                 "<dc:subject><rdf:Bag><rdf:li>summit</rdf:li><rdf:li>NATO</rdf:li></rdf:Bag></dc:subject>"
                 "<photoshop:City>Brussels</photoshop:City><photoshop:Country>Belgium</photoshop:Country>"
                 "<photoshop:DateCreated>2025-03-05T10:11:12+01:00</photoshop:DateCreated>")
    data = with_wide_iloc(heic_bytes(exif=b"Exif\x00\x00" + exif_tiff(artist="Jane Exif", copyright="(c) NATO 2025"),
                                     xmp=xmp))
    path = write(tmp_path / "phone.heic", data)
    img = pyexiv2.ImageData(data)
    try:
        assert not img.read_exif().get("Exif.Image.Artist") and not img.read_xmp()  # the class
    finally:
        img.close()
    res = probe(str(path))
    assert res.fields["creator"] == "Jane Exif"               # MWG: Exif Artist first
    assert res.fields["copyright"] == "(c) NATO 2025"
    assert res.fields["keywords"] == ["summit", "NATO"]
    assert res.fields["city"] == "Brussels" and res.fields["country"] == "Belgium"
    assert res.fields["date_created"] == "2025-03-05T10:11:12+01:00"
    assert "HEIF Exif item" in res.sources["creator"] and "HEIF XMP item" in res.sources["city"]
    theirs = exiftool_json(path)
    assert theirs["IFD0:Artist"] == res.fields["creator"] and theirs["XMP-photoshop:City"] == "Brussels"


def test_heic_with_an_unreadable_exif_item_says_so(tmp_path):
    data = bytearray(with_wide_iloc(heic_bytes(exif=b"Exif\x00\x00" + exif_tiff(artist="x"))))
    at = data.find(b"MM\x00*")
    data[at:at + 4] = b"????"  # the Exif item holds no TIFF header any more
    res = probe(str(write(tmp_path / "broken.heic", bytes(data))))
    assert any("Exif item" in w for w in res.warnings), res.warnings


# -- QuickTime user data in the short "international text" layout --------------------------
@needs_exiftool
def test_mp4_old_style_udta_text_is_read(tmp_path):
    plain = video(tmp_path / "plain.mp4").read_bytes()
    data = mp4_with_udta(plain, [
        udta_atom(b"\xa9nam", "\ufeffConférence de presse".encode("utf-16-be")),  # FFmpeg garbles UTF-16
        udta_atom(b"\xa9des", b"Opening remarks at NATO HQ"),            # FFmpeg ignores ©des
        udta_atom(b"\xa9ART", "NATO Multimédia".encode("mac_roman"), lang=0),    # Mac language code
        udta_atom(b"\xa9day", b"2025-03-05T10:11:12+01:00"),
    ])
    path = write(tmp_path / "clip.mp4", data)
    res = probe(str(path))
    assert res.fields["title"] == "Conférence de presse"
    assert res.fields["caption"] == "Opening remarks at NATO HQ"
    assert res.fields["creator"] == "NATO Multimédia"
    assert res.fields["date_created"] == "2025-03-05T10:11:12+01:00"
    assert "©nam" in res.sources["title"] and "©des" in res.sources["caption"]
    theirs = exiftool_json(path, "-n")
    assert theirs["UserData:Title"] == res.fields["title"] and theirs["UserData:Artist"] == res.fields["creator"]


# -- Matroska that FFmpeg refuses ---------------------------------------------------------
@needs_exiftool
def test_header_only_mkv_is_catalogued_from_its_header(tmp_path, catalog):
    path = write(tmp_path / "in" / "summit.mkv", header_only_mkv(
        title="NATO summit opening", date_recorded="2025-06-24T10:15:00+02:00",
        artist="NATO Multimedia", seconds=12.5,
        date_utc=dt.datetime(2025, 6, 24, 8, 15, tzinfo=dt.UTC)))
    res = probe(str(path))
    assert res.kind == "video" and res.duration == pytest.approx(12.5)
    assert res.fields == {"title": "NATO summit opening", "creator": "NATO Multimedia",
                          "date_created": "2025-06-24T10:15:00+02:00"}
    assert any("FFmpeg cannot open this file" in w for w in res.warnings)
    theirs = exiftool_json(path, "-n")
    assert theirs["Matroska:Title"] == res.fields["title"]
    assert theirs["Matroska:DateTimeOriginal"].replace(":", "-", 2).replace("T", "T") \
        .startswith("2025-06-24T10:15:00")
    report = import_paths(catalog, [str(path.parent)], workers=0)
    assert report.imported == 1 and report.failed == 0 and report.warnings


# -- IIM in Mac Roman without a character-set declaration ---------------------------------
def _iim(caption: bytes, city: bytes | None = None) -> bytes:
    sets = [(2, 120, caption)] + ([(2, 90, city)] if city else [])
    return iim_record(sets)


@needs_exiftool
def test_mac_roman_iim_decoded_with_the_xmp_as_witness(tmp_path):
    text = "Réunion à Genève, über alles"
    path = write(tmp_path / "mac.jpg", jpeg_with(
        iim=_iim(text.encode("mac_roman")), xmp=packet(lang_alt("dc:description", text))))
    res = probe(str(path))
    assert res.fields["caption"] == text
    assert res.conflicts == {}  # IIM and XMP now agree
    stores = read_image_stores(path.read_bytes(), "JPEG")
    assert stores.iim["caption"] == text and stores.notes[("iim", "*")] == MAC_ROMAN_BY_XMP
    # exiftool reads IIM without a declaration as Latin-1 ("RŽunion"): mediadesk does not
    assert exiftool_json(path)["IPTC:Caption-Abstract"] != text


def test_mac_roman_iim_detected_by_its_bytes_and_noted_in_the_source(tmp_path):
    text = "Café au lait in München"
    res = probe(str(write(tmp_path / "mac.jpg", jpeg_with(iim=_iim(text.encode("mac_roman"))))))
    assert res.fields["caption"] == text
    assert res.sources["caption"] == f"iim ({MAC_ROMAN_BY_BYTES})"


def test_latin1_iim_stays_latin1(tmp_path):
    for text in ("Café au lait in München", "Ærøskøbing — Übung für Straße", "© 2004 Nobody"):
        res = probe(str(write(tmp_path / "latin.jpg", jpeg_with(iim=_iim(text.encode("cp1252"))))))
        assert res.fields["caption"] == text and res.sources["caption"] == "iim"


# -- dates: the offset kept whenever a store knows it ---------------------------------------
def test_exif_date_without_offset_takes_the_xmp_offset(tmp_path):
    path = write(tmp_path / "d.jpg", jpeg_with(
        exif=exif_tiff(date="2025:03:05 10:11:12"),
        xmp=packet("<photoshop:DateCreated>2025-03-05T10:11:12+02:00</photoshop:DateCreated>")))
    res = probe(str(path))
    assert res.fields["date_created"] == "2025-03-05T10:11:12+02:00"
    assert res.sources["date_created"] == "exif (time zone +02:00 from xmp)"


def test_exif_date_without_offset_takes_the_iim_offset(tmp_path):
    path = write(tmp_path / "d.jpg", jpeg_with(
        exif=exif_tiff(date="2025:03:05 10:11:12"),
        iim=iim_record([(2, 55, b"20250305"), (2, 60, b"101112-0500")])))
    assert probe(str(path)).fields["date_created"] == "2025-03-05T10:11:12-05:00"


def test_a_different_moment_does_not_lend_its_offset(tmp_path):
    path = write(tmp_path / "d.jpg", jpeg_with(
        exif=exif_tiff(date="2025:03:05 10:11:12"),
        xmp=packet("<photoshop:DateCreated>2025-03-05T09:11:12+01:00</photoshop:DateCreated>")))
    assert probe(str(path)).fields["date_created"] == "2025-03-05T10:11:12"


def test_exif_offset_time_original_is_kept(tmp_path):
    path = write(tmp_path / "d.jpg", jpeg_with(exif=exif_tiff(date="2025:03:05 10:11:12", offset="+01:00")))
    assert probe(str(path)).fields["date_created"] == "2025-03-05T10:11:12+01:00"


def test_malformed_xmp_date_yields_to_iim_date_time_and_offset(tmp_path):
    path = write(tmp_path / "d.jpg", jpeg_with(
        xmp=packet("<photoshop:DateCreated>2025:03:05 10:11:88</photoshop:DateCreated>"),
        iim=iim_record([(2, 55, b"20250305"), (2, 60, b"101112+0100")])))
    res = probe(str(path))
    assert res.fields["date_created"] == "2025-03-05T10:11:12+01:00" and res.sources["date_created"] == "iim"


def test_iim_time_without_zone_is_not_read_as_utc(tmp_path):
    path = write(tmp_path / "d.jpg", jpeg_with(iim=iim_record([(2, 55, b"20250305"), (2, 60, b"101112")])))
    assert probe(str(path)).fields["date_created"] == "2025-03-05T10:11:12"


# -- hostile XMP packets: recover what can be read, report the rest -----------------------
HOSTILE = {
    "control-character entity": packet(RIGHTS_BODY + "<photoshop:Headline>bad&#x1;head</photoshop:Headline>"),
    "invalid UTF-8": packet(RIGHTS_BODY + "<photoshop:Headline>bad_X_</photoshop:Headline>").replace(
        b"_X_", b"\xff\xfe\xc3"),
    "deep nesting": packet(RIGHTS_BODY + "<photoshop:Headline>deep</photoshop:Headline><dc:x>"
                           + "<rdf:Description>" * 1500 + "</rdf:Description>" * 1500 + "</dc:x>"),
}


@needs_exiftool
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_xmp_keeps_the_rights_and_reports_the_rest(kind, tmp_path):
    path = write(tmp_path / "h.jpg", jpeg_with(xmp=HOSTILE[kind]))
    res = probe(str(path))
    assert res.fields["usage_terms"] == "EDITORIAL USE ONLY. Not for advertising."
    assert res.fields["copyright"] == "© NATO"
    assert res.fields["instructions"] == "EMBARGO until 10:00 CET"
    assert res.fields["caption"] == "Rutte and Duda at NATO HQ"
    assert any(w.startswith("XMP packet") for w in res.warnings), res.warnings
    theirs = exiftool_json(path)
    assert theirs.get("XMP-xmpRights:UsageTerms") == res.fields["usage_terms"]


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_xmp_sidecar_is_recovered_too(kind, tmp_path):
    photo = write(tmp_path / "p.jpg", jpeg_with())
    (tmp_path / "p.jpg.xmp").write_bytes(HOSTILE[kind])
    res = probe(str(photo))
    assert res.fields["usage_terms"] == "EDITORIAL USE ONLY. Not for advertising."
    assert res.sources["usage_terms"] == "sidecar"
    assert any(w.startswith("sidecar p.jpg.xmp: XMP packet") for w in res.warnings)


def test_an_empty_packet_is_no_warning(tmp_path):
    res = probe(str(write(tmp_path / "e.jpg", jpeg_with(xmp=packet("")))))
    assert not [w for w in res.warnings if "XMP" in w]


# -- sidecars named by other tools ----------------------------------------------------------
@pytest.mark.parametrize("name", ["IMG_0001.XMP", "img_0001.xmp.xml", "img_0001.jpg.xmp.xml",
                                  "IMG_0001.JPG.XMP"])
def test_sidecar_names_of_other_tools(name, tmp_path):
    photo = write(tmp_path / "img_0001.jpg", jpeg_with())
    (tmp_path / name).write_bytes(packet(lang_alt("xmpRights:UsageTerms", "EDITORIAL ONLY")))
    res = probe(str(photo))
    assert res.fields.get("usage_terms") == "EDITORIAL ONLY" and res.sources["usage_terms"] == "sidecar"


def test_sidecars_are_not_counted_as_unsupported_files(tmp_path, catalog):
    media = tmp_path / "media"
    write(media / "a.jpg", jpeg_with())
    (media / "A.XMP").write_bytes(packet(lang_alt("dc:title", "T")))
    (media / "a.xmp.xml").write_bytes(packet(lang_alt("dc:title", "T")))
    report = import_paths(catalog, [str(media)], workers=0)
    assert report.imported == 1 and report.unsupported == 0


# -- a file with metadata blocks nobody could read says so --------------------------------
def test_unreadable_exif_block_is_reported(tmp_path):
    res = probe(str(write(tmp_path / "x.jpg", jpeg_with(exif=b"garbage, not TIFF" * 4))))
    assert any("metadata could not be read" in w for w in res.warnings), res.warnings
