"""The header-only JPEG write path: everything from the first SOS on is copied untouched."""

import io

from PIL import Image

from mediadesk.media import embed_metadata, image_data_fingerprint, read_metadata_bytes, write as write_mod


def _jpeg(progressive: bool) -> bytes:
    img = Image.new("RGB", (400, 300))
    for x in range(0, 400, 10):
        img.paste((x % 255, 80, 255 - x % 255), (x, 0, x + 5, 300))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90, progressive=progressive)
    return buf.getvalue()


def test_progressive_jpeg_and_trailer_survive_byte_for_byte():
    data = _jpeg(progressive=True) + b"TRAILER-gain-map-bytes"
    sos = data.index(b"\xff\xda")
    out, warnings = embed_metadata(data, {"caption": "Vučić i Đorđević u Briselu", "usage_terms": "Editorial only"})
    assert warnings == []
    assert out[out.index(b"\xff\xda"):] == data[sos:]
    assert image_data_fingerprint(out) == image_data_fingerprint(data)
    fields = read_metadata_bytes(out)
    assert fields["caption"] == "Vučić i Đorđević u Briselu"
    assert fields["usage_terms"] == "Editorial only"
    Image.open(io.BytesIO(out)).load()


def test_split_path_writes_the_same_metadata_as_a_whole_file_write():
    data = _jpeg(progressive=False)
    fields = {"caption": "Łódź", "keywords": ["NATO", "Polska"], "creator": "Kęstutis Budrys",
              "date_created": "2025-03-06T14:05:00+01:00"}
    split_out, _ = embed_metadata(data, fields)
    whole_out, _ = write_mod._embed(data, fields, "JPEG")
    assert read_metadata_bytes(split_out) == read_metadata_bytes(whole_out)
    sos_split = split_out.index(b"\xff\xda")
    sos_whole = whole_out.index(b"\xff\xda")
    assert split_out[:sos_split] == whole_out[:sos_whole]
