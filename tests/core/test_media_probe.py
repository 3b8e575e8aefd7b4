"""probe() on generated photos: charsets, reconcile, sidecars, dates, damage, bombs."""

from __future__ import annotations

from pathlib import Path

import pyexiv2
import pytest
from PIL import Image

from mediadesk.domain.errors import MediaError
from mediadesk.media import (
    SUPPORTED_EXTENSIONS,
    embed_metadata,
    kind_for_path,
    probe,
    sidecar_path_for,
    sniff_kind,
    xmp_sidecar_bytes,
)

from tests.support.media_fixtures import bomb_png, exiftool, jpeg_bytes, needs_exiftool, png_bytes


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _with_raw_iptc(data: bytes, values: dict[str, str | list[str]], encoding: str) -> bytes:
    """IIM written byte-for-byte in ``encoding`` by exiv2, with no 1:90 declaration."""
    img = pyexiv2.ImageData(data)
    try:
        img.modify_iptc(values, encoding=encoding)
        return img.get_bytes()
    finally:
        img.close()


def test_registry() -> None:
    assert kind_for_path("a/B.JPG") == "photo"
    assert kind_for_path("clip.MP4") == "video"
    assert kind_for_path("x.m4a") == "audio"
    assert kind_for_path("notes.dat") is None and kind_for_path("notes.txt") == "document"
    assert SUPPORTED_EXTENSIONS[".heic"] == "photo"
    assert sniff_kind(jpeg_bytes()[:64]) == "photo"
    assert sniff_kind(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom") == "video"
    assert sniff_kind(b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42") == "audio"
    assert sniff_kind(b"hello world") is None


def test_probe_plain_jpeg_with_thumbnail(tmp_path: Path) -> None:
    p = _write(tmp_path, "a.jpg", jpeg_bytes((640, 480)))
    thumb = tmp_path / "t.jpg"
    res = probe(str(p), thumbnail_to=str(thumb))
    assert (res.kind, res.format, res.width, res.height) == ("photo", "JPEG", 640, 480)
    assert res.thumbnail_written and thumb.is_file()
    with Image.open(thumb) as t:
        assert t.size == (256, 192) and t.format == "JPEG"
    assert res.fields == {} and res.conflicts == {}


def test_probe_with_data_does_not_need_the_file(tmp_path: Path) -> None:
    data = jpeg_bytes()
    res = probe(str(tmp_path / "gone.jpg"), data=data)
    assert res.width == 64


def test_orientation_swaps_size_and_rotates_thumbnail(tmp_path: Path) -> None:
    img = pyexiv2.ImageData(jpeg_bytes((60, 40)))
    img.modify_exif({"Exif.Image.Orientation": "6"})
    data = img.get_bytes()
    img.close()
    p = _write(tmp_path, "o.jpg", data)
    res = probe(str(p), thumbnail_to=str(tmp_path / "t.jpg"))
    assert (res.width, res.height) == (40, 60)
    with Image.open(tmp_path / "t.jpg") as t:
        assert t.size == (40, 60)


@pytest.mark.parametrize("text", ["Kęstutis Budrys", "Vučić", "Łódź", "Müller"])
def test_iim_utf8_without_marker_is_read_as_utf8(tmp_path: Path, text: str) -> None:
    data = _with_raw_iptc(jpeg_bytes(), {"Iptc.Application2.Caption": text}, "utf-8")
    res = probe(str(_write(tmp_path, "u.jpg", data)))
    assert res.fields["caption"] == text
    assert res.sources["caption"] == "iim"


@pytest.mark.parametrize("text", ["Müller", "Café Øresund", "Señora Ñandú"])
def test_iim_latin1_without_marker(tmp_path: Path, text: str) -> None:
    data = _with_raw_iptc(jpeg_bytes(), {"Iptc.Application2.Caption": text,
                                         "Iptc.Application2.Keywords": [text, "plain"]}, "latin-1")
    res = probe(str(_write(tmp_path, "l.jpg", data)))
    assert res.fields["caption"] == text
    assert res.fields["keywords"] == [text, "plain"]


def test_iim_utf8_with_marker_and_trailing_nul(tmp_path: Path) -> None:
    data = _with_raw_iptc(jpeg_bytes(), {"Iptc.Envelope.CharacterSet": "\x1b%G",
                                         "Iptc.Application2.City": "Łódź\x00\x00 "}, "utf-8")
    res = probe(str(_write(tmp_path, "m.jpg", data)))
    assert res.fields["city"] == "Łódź"


@needs_exiftool
@pytest.mark.parametrize("charset_args", [
    ("-charset", "iptc=UTF8", "-IPTC:CodedCharacterSet=UTF8"),  # with the 1:90 marker
    ("-charset", "iptc=UTF8"),                                  # UTF-8, no marker
])
def test_iim_written_by_exiftool(tmp_path: Path, charset_args: tuple[str, ...]) -> None:
    p = _write(tmp_path, "e.jpg", jpeg_bytes())
    exiftool("-overwrite_original", *charset_args, "-IPTC:By-line=Kęstutis Budrys",
             "-IPTC:Caption-Abstract=Vučić in Łódź", "-IPTC:Keywords=Müller",
             "-IPTC:Keywords=Łódź", str(p))
    res = probe(str(p))
    assert res.fields["creator"] == "Kęstutis Budrys"
    assert res.fields["caption"] == "Vučić in Łódź"
    assert res.fields["keywords"] == ["Müller", "Łódź"]


@needs_exiftool
def test_iim_latin1_written_by_exiftool(tmp_path: Path) -> None:
    p = _write(tmp_path, "e.jpg", jpeg_bytes())
    exiftool("-overwrite_original", "-charset", "iptc=Latin", "-IPTC:City=Müller Straße", str(p))
    assert probe(str(p)).fields["city"] == "Müller Straße"


@needs_exiftool
def test_xmp_and_iim_disagree_xmp_wins_and_conflict_is_recorded(tmp_path: Path) -> None:
    p = _write(tmp_path, "c.jpg", jpeg_bytes())
    exiftool("-overwrite_original", "-IPTC:Caption-Abstract=old caption",
             "-XMP-dc:Description=new caption", "-XMP-dc:Title=Only XMP", str(p))
    res = probe(str(p))
    assert res.fields["caption"] == "new caption"
    assert res.sources["caption"] == "xmp"
    assert res.conflicts["caption"] == {"xmp": "new caption", "iim": "old caption"}
    assert "title" not in res.conflicts


@needs_exiftool
def test_mwg_stale_digest_means_iim_was_edited_later(tmp_path: Path) -> None:
    p = _write(tmp_path, "d.jpg", jpeg_bytes())
    exiftool("-overwrite_original", "-IPTC:Caption-Abstract=synced", "-XMP-dc:Description=synced",
             "-Photoshop:IPTCDigest=new", str(p))
    # a legacy tool edits IIM only (exiv2 leaves the old digest in place)
    img = pyexiv2.ImageData(p.read_bytes())
    img.modify_iptc({"Iptc.Application2.Caption": "edited by legacy tool"})
    p.write_bytes(img.get_bytes())
    img.close()
    res = probe(str(p))
    assert res.fields["caption"] == "edited by legacy tool"
    assert res.sources["caption"] == "iim"
    assert set(res.conflicts["caption"]) == {"xmp", "iim"}


@needs_exiftool
def test_mwg_exif_description_wins(tmp_path: Path) -> None:
    p = _write(tmp_path, "x.jpg", jpeg_bytes())
    exiftool("-overwrite_original", "-EXIF:ImageDescription=from exif",
             "-XMP-dc:Description=from xmp", "-EXIF:Artist=   ", "-XMP-dc:Creator=A",
             "-XMP-dc:Creator=B", str(p))
    res = probe(str(p))
    assert res.fields["caption"] == "from exif" and res.sources["caption"] == "exif"
    assert res.fields["creator"] == "A; B"  # blank Exif Artist is ignored (MWG)


def test_sidecar_wins_and_both_names_are_read(tmp_path: Path) -> None:
    data, _ = embed_metadata(jpeg_bytes(), {"caption": "embedded", "city": "Vilnius",
                                            "headline": "embedded headline"})
    p = _write(tmp_path, "s.jpg", data)
    (tmp_path / "s.xmp").write_bytes(xmp_sidecar_bytes({"headline": "from s.xmp",
                                                        "caption": "from s.xmp"}))
    Path(sidecar_path_for(str(p))).write_bytes(xmp_sidecar_bytes({"caption": "from s.jpg.xmp"}))
    res = probe(str(p))
    assert res.fields["caption"] == "from s.jpg.xmp"
    assert res.fields["headline"] == "from s.xmp"
    assert res.fields["city"] == "Vilnius"
    assert res.sources["caption"] == "sidecar" and res.sources["city"] == "xmp"
    assert "embedded" in res.conflicts["caption"].values()


def test_dates_keep_offset_and_partial_iim(tmp_path: Path) -> None:
    img = pyexiv2.ImageData(jpeg_bytes())
    img.modify_exif({"Exif.Photo.DateTimeOriginal": "2025:03:06 14:05:00",
                     "Exif.Photo.OffsetTimeOriginal": "+01:00"})
    data = img.get_bytes()
    img.close()
    assert probe(str(_write(tmp_path, "d1.jpg", data))).fields["date_created"] == \
        "2025-03-06T14:05:00+01:00"
    partial = _with_raw_iptc(jpeg_bytes(), {"Iptc.Application2.DateCreated": "2010-05-00"}, "utf-8")
    assert probe(str(_write(tmp_path, "d2.jpg", partial))).fields["date_created"] == "2010-05"
    iim = _with_raw_iptc(jpeg_bytes(), {"Iptc.Application2.DateCreated": "2024-02-29",
                                        "Iptc.Application2.TimeCreated": "10:20:30-05:00"}, "utf-8")
    assert probe(str(_write(tmp_path, "d3.jpg", iim))).fields["date_created"] == \
        "2024-02-29T10:20:30-05:00"


def test_truncated_jpeg_gives_warning_not_error(tmp_path: Path) -> None:
    data, _ = embed_metadata(jpeg_bytes((800, 600)), {"caption": "still here"})
    cut = data[: len(data) - (len(data) // 3)]
    p = _write(tmp_path, "t.jpg", cut)
    res = probe(str(p), thumbnail_to=str(tmp_path / "th.jpg"))
    assert res.fields["caption"] == "still here"
    assert res.thumbnail_written
    assert any("truncated" in w for w in res.warnings)


def test_zero_byte_and_garbage(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="empty"):
        probe(str(_write(tmp_path, "z.jpg", b"")))
    with pytest.raises(MediaError, match="empty"):
        probe(str(tmp_path / "z2.jpg"), data=b"")
    with pytest.raises(MediaError):
        probe(str(_write(tmp_path, "g.jpg", b"this is not a picture at all" * 10)),
              thumbnail_to=str(tmp_path / "x.jpg"))
    with pytest.raises(MediaError):
        probe(str(_write(tmp_path, "g.bin", b"\x01\x02garbage")))
    with pytest.raises(MediaError, match="cannot be read"):
        probe(str(tmp_path / "missing.jpg"))


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, "bomb.png", bomb_png())
    with pytest.raises(MediaError, match=r"30000x30000 pixels \(900 MP\), over the 200 MP limit"):
        probe(str(p), thumbnail_to=str(tmp_path / "t.jpg"))
    assert not (tmp_path / "t.jpg").exists()
    with pytest.raises(MediaError, match="over the 200 MP limit"):
        probe(str(_write(tmp_path, "b2.png", bomb_png(15000, 14000))))


def test_png_with_alpha_and_gif_first_frame(tmp_path: Path) -> None:
    res = probe(str(_write(tmp_path, "a.png", png_bytes())), thumbnail_to=str(tmp_path / "t1.jpg"))
    assert (res.format, res.width, res.height, res.thumbnail_written) == ("PNG", 32, 24, True)
    frames = [Image.new("P", (20, 10), i) for i in range(3)]
    gif = tmp_path / "anim.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:])
    res = probe(str(gif), thumbnail_to=str(tmp_path / "t2.jpg"))
    assert (res.format, res.width, res.height) == ("GIF", 20, 10)


def test_sixteen_bit_and_cmyk_thumbnails(tmp_path: Path) -> None:
    Image.new("I;16", (40, 30), 40000).save(tmp_path / "g16.png")
    Image.new("CMYK", (40, 30), (0, 100, 200, 0)).save(tmp_path / "c.jpg")
    for name in ("g16.png", "c.jpg"):
        res = probe(str(tmp_path / name), thumbnail_to=str(tmp_path / (name + ".t.jpg")))
        assert res.thumbnail_written
        with Image.open(tmp_path / (name + ".t.jpg")) as t:
            assert t.mode == "RGB"


def test_wrong_extension_is_sniffed(tmp_path: Path) -> None:
    res = probe(str(_write(tmp_path, "photo.dat", jpeg_bytes())))
    assert (res.kind, res.format) == ("photo", "JPEG")
