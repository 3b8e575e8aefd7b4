"""Issue 10, class 4: what a file is decides whether it needs the rights note, not its manifest role.

The issue's example: a photo with its metadata stripped passed `verify` once its manifest entry
said "preview". Every attack here is resealed (sizes, SHA-256s, RIGHTS.txt hash, manifest.csv
recomputed with mediadesk's own code), so only the lie about the file is left to catch.
"""

from __future__ import annotations

import ast
import io
import json
import tarfile
import zipfile

import pytest

from mediadesk.cli.main import main
from mediadesk.media import xmp_sidecar_bytes
from mediadesk.services.bundle_content import what_is
from mediadesk.services.bundle_manifest import ROLES

from tests.support import hostile_bundles as hb
from tests.support.paths import SOURCE

EXPORT_PY = SOURCE / "services" / "export.py"


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> hb.Genuine:
    return hb.genuine(tmp_path_factory.mktemp("genuine"))


def problems_of(path, capsys) -> list[str]:
    assert main(["verify", str(path), "--json"]) == 1
    return json.loads(capsys.readouterr().out)["problems"]


def test_a_stripped_photo_labelled_preview_fails(g, tmp_path, capsys):
    bundle = hb.build_forged_role_preview(g, tmp_path / "preview")
    problems = problems_of(bundle, capsys)
    assert problems == ["preview.jpg: role 'preview' is not one mediadesk writes (media, sidecar, chapters); "
                        "a manifest cannot excuse a file from the rights check"]


def test_a_stripped_photo_passed_off_as_a_sidecar_fails(g, tmp_path, capsys):
    problems = problems_of(hb.build_photo_called_sidecar(g, tmp_path / "sidecar"), capsys)
    assert any(p.startswith(f"{g.video}.xmp: is a photo (JPEG), but the manifest calls it a sidecar")
               for p in problems), problems


def test_a_stripped_photo_cannot_move_its_note_into_a_sidecar(g, tmp_path, capsys):
    problems = problems_of(hb.build_photo_note_in_sidecar_only(g, tmp_path / "moved"), capsys)
    assert any(p.startswith(f"{g.photo}: a photo must carry the rights note inside; only a photo with "
                            "content credentials (C2PA)") for p in problems), problems


def test_a_document_cannot_pass_for_a_video(g, tmp_path, capsys):
    """mediadesk exports documents (issue 16), as documents: one listed as a video is caught."""
    problems = problems_of(hb.build_document_as_media(g, tmp_path / "pdf"), capsys)
    assert problems == ["dossier.pdf: the manifest calls it a video, but it is a document (PDF)"]


def test_a_sidecar_must_belong_to_a_media_entry(g, tmp_path, capsys):
    folder = hb.copy_folder(g, tmp_path / "orphan")
    manifest = g.manifest()
    sidecar = next(e for e in manifest["files"] if e["role"] == "sidecar")
    (folder / "orphan.xmp").write_bytes((folder / sidecar["file"]).read_bytes())
    manifest["files"].append(dict(sidecar, file="orphan.xmp", **{"for": g.photo}))
    hb.reseal(folder, manifest)
    assert problems_of(folder, capsys) == [
        f"orphan.xmp: listed as the sidecar of {g.photo!r}, but no media entry names it as its sidecar"]


def test_every_role_the_export_writes_is_known_and_nothing_else(g):
    """The roles verify accepts are exactly the ``"role": "..."`` literals of services/export.py."""
    written = {node.values[i].value
               for node in ast.walk(ast.parse(EXPORT_PY.read_text("utf-8"))) if isinstance(node, ast.Dict)
               for i, key in enumerate(node.keys)
               if isinstance(key, ast.Constant) and key.value == "role" and isinstance(node.values[i], ast.Constant)}
    assert written == set(ROLES)
    assert {e["role"] for e in g.manifest()["files"]} <= set(ROLES)


def _zip_bytes(names: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    return out.getvalue()


def _tar_bytes() -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tf:
        info = tarfile.TarInfo("photo.jpg")
        data = hb.plain_jpeg()
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return out.getvalue()


@pytest.mark.parametrize("data, expected", [
    (hb.plain_jpeg(), ("photo", "JPEG")),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", ("video", "MP4")),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00", ("audio", "MP3")),
    (b"%PDF-1.7\n", ("document", "PDF")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ("document", "Microsoft Office (OLE)")),
    (_zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), ("document", "DOCX")),
    (_zip_bytes({"a.jpg": hb.plain_jpeg()}), ("archive", "zip")),
    (_tar_bytes(), ("archive", "tar")),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', ("photo", "SVG")),
    (xmp_sidecar_bytes({"usage_terms": "Editorial only"}), ("xmp", "XMP")),
    (b"just some text", None),
])
def test_what_a_file_is_comes_from_its_bytes(data, expected):
    assert what_is(data[:4096]) == expected
