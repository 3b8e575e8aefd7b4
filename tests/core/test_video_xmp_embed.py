"""XMP appended to exported MP4/MOV copies: no media byte moves, old XMP is merged and retired."""

import json
import struct

import av
import pytest

from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.cli.main import main
from mediadesk.media.bmff import XMP_UUID, scan_bmff
from mediadesk.media.bmff_xmp import plan_xmp_embed, retype_free, xmp_box
from mediadesk.media.xmp import fields_from_xmp, parse_packet
from mediadesk.services.bundle_verify import verify_bundle

from tests.support.export_fixtures import build_library, video


def cli(capsys, lib, *args):
    capsys.readouterr()
    code = main(["--catalog", str(lib.catalog_path), *args])
    return code, json.loads(capsys.readouterr().out)

OLD_XMP = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
           '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description rdf:about="" xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"'
           ' xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/">'
           '<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">Free for any use</rdf:li></rdf:Alt>'
           '</xmpRights:UsageTerms><xmpDM:scene>Scene 7</xmpDM:scene>'
           '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def _frames(path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def _with_old_xmp(path):
    data = path.read_bytes() + xmp_box(OLD_XMP)
    path.write_bytes(data)
    return path


def test_plan_finds_old_xmp_and_refuses_a_box_running_to_the_end(tmp_path):
    clip = _with_old_xmp(video(tmp_path / "clip.mp4"))
    with open(clip, "rb") as fh:
        plan = plan_xmp_embed(fh, clip.stat().st_size, "MP4")
    assert plan.safe and plan.old_packet == OLD_XMP and len(plan.retype_at) == 1
    data = clip.read_bytes()
    assert data[plan.retype_at[0]:plan.retype_at[0] + 4] == b"uuid"

    # a last box whose size is 0 ("to the end of the file") would swallow an appended box
    tail = len(data) - len(xmp_box(OLD_XMP))
    open_ended = data[:tail] + struct.pack(">I4s", 0, b"free") + b"\0" * 32
    (tmp_path / "open.mp4").write_bytes(open_ended)
    with open(tmp_path / "open.mp4", "rb") as fh:
        plan = plan_xmp_embed(fh, len(open_ended), "MP4")
    assert not plan.safe and "runs to the end of the file" in plan.reason
    truncated = data[:len(data) // 2]
    (tmp_path / "cut.mp4").write_bytes(truncated)
    with open(tmp_path / "cut.mp4", "rb") as fh:
        plan = plan_xmp_embed(fh, len(truncated), "MP4")
    assert not plan.safe and "larger than the file" in plan.reason
    with open(clip, "rb") as fh:
        assert not plan_xmp_embed(fh, clip.stat().st_size, "MKV").safe


def test_retype_free_works_across_block_boundaries():
    data = bytes(range(40))
    blocks = [data[i:i + 7] for i in range(0, 40, 7)]
    out = b"".join(retype_free(b, i * 7, [5, 30]) for i, b in enumerate(blocks))
    assert out == data[:5] + b"free" + data[9:30] + b"free" + data[34:]


def test_export_merges_old_xmp_retires_it_and_keeps_every_frame(capsys, tmp_path):
    lib = build_library(tmp_path)
    _with_old_xmp(lib.files["clip"])
    with lib.open() as catalog:   # the file changed on disk: import it again so the catalog knows it
        from mediadesk.catalog.assets import AssetStore
        from mediadesk.services.edits import apply_edits
        from mediadesk.services.importer import import_paths
        import_paths(catalog, [str(lib.files["clip"])], workers=0)
        # its usage terms changed ("Free for any use"): the profile link was decided again (none,
        # flagged for review); a person looks and assigns the editorial profile again
        reread = AssetStore(catalog).get(lib.ids["clip"])
        assert reread.rights_profile_id is None and "Free for any use" in reread.rights_review
        apply_edits(catalog, {lib.ids["clip"]: {"rights_profile_id": lib.profiles["nato"]}})
    out = tmp_path / "bundle.zip"
    code, data = cli(capsys, lib, "export", "--purpose", "editorial-broadcast", "--out", str(out), "--zip",
                     "--json", str(lib.ids["clip"]))
    assert code == 0, data
    assert verify_bundle(out).ok
    import zipfile
    with zipfile.ZipFile(out) as z:
        name = data["exported"][0]["file"]
        exported = z.read(name)
        manifest = json.loads(z.read("manifest.json"))
    copy = tmp_path / "copy.mp4"
    copy.write_bytes(exported)
    original = lib.files["clip"].read_bytes()
    # same length up to the new box; the only changed bytes are the old box's type: uuid -> free
    assert len(exported) > len(original)
    diff = [i for i in range(len(original)) if exported[i] != original[i]]
    assert len(diff) == 4 and exported[diff[0]:diff[0] + 4] == b"free"
    assert _frames(copy) == _frames(lib.files["clip"])
    with open(copy, "rb") as fh:
        packet = scan_bmff(fh, len(exported))["xmp"]
    fields = fields_from_xmp(parse_packet(packet))
    assert fields["usage_terms"] == SEED_PROFILE_NOTE          # the catalog's note, not "Free for any use"
    assert b"Scene 7" in packet and exported.count(XMP_UUID) == 2   # old property kept; old box retired
    media = next(e for e in manifest["files"] if e["role"] == "media")
    assert media["embedded_xmp"] is True and media["sha256"] == data["exported"][0]["sha256"]


def test_a_video_that_cannot_take_xmp_keeps_its_bytes_and_its_sidecar(capsys, tmp_path):
    lib = build_library(tmp_path)
    clip = lib.files["clip"]
    data = clip.read_bytes()
    clip.write_bytes(data + struct.pack(">I4s", 0, b"free") + b"\0" * 16)   # a box "to the end"
    with lib.open() as catalog:
        from mediadesk.services.importer import import_paths
        import_paths(catalog, [str(clip)], workers=0)
    out = tmp_path / "bundle"
    code, result = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out", str(out), "--json",
                       str(lib.ids["clip"]))
    assert code == 0
    name = result["exported"][0]["file"]
    assert (out / name).read_bytes() == clip.read_bytes()
    assert (out / (name + ".xmp")).exists()
    assert any("XMP not embedded in the video" in w and "runs to the end of the file" in w
               for w in result["warnings"])
    assert verify_bundle(out).ok


@pytest.mark.parametrize("tamper", ["strip", "change"])
def test_verify_checks_the_embedded_xmp_against_the_manifest(capsys, tmp_path, tamper):
    import hashlib

    lib = build_library(tmp_path)
    out = tmp_path / "bundle"
    code, result = cli(capsys, lib, "export", "--purpose", "editorial-online", "--out", str(out), "--json",
                       str(lib.ids["clip"]))
    assert code == 0
    path = out / result["exported"][0]["file"]
    data = path.read_bytes()
    at = data.rindex(XMP_UUID) - 8
    if tamper == "strip":
        data = data[:at]
    else:
        data = data.replace(b"editorial broadcast, print, online", b"EDITORIAL BROADCAST, PRINT, ONLINE")
    path.write_bytes(data)
    manifest_path = out / "manifest.json"   # a forger who also fixes the checksum in the manifest
    manifest = json.loads(manifest_path.read_text("utf-8"))
    for entry in manifest["files"]:
        if entry["file"] == path.name:
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    report = verify_bundle(out)
    expected = "has none" if tamper == "strip" else "usage_terms in its embedded XMP differs"
    assert any(expected in p for p in report.problems), report.problems


def _with_udta_xmp(path):
    """Put the old XMP where QuickTime keeps it, moov/udta/XMP_ (moov is the last box here, so
    growing it moves no media byte)."""
    data = path.read_bytes()
    pos, moov_at = 0, None
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"moov":
            moov_at = pos
        pos += size
    size = struct.unpack(">I", data[moov_at:moov_at + 4])[0]
    assert moov_at + size == len(data), "the generated clip should end with its moov box"
    xmp = struct.pack(">I4s", 8 + len(OLD_XMP), b"XMP_") + OLD_XMP
    udta = struct.pack(">I4s", 8 + len(xmp), b"udta") + xmp
    path.write_bytes(data[:moov_at] + struct.pack(">I", size + len(udta)) + data[moov_at + 4:] + udta)
    return path


def test_quicktime_udta_xmp_is_found_merged_and_retired(capsys, tmp_path):
    lib = build_library(tmp_path)
    clip = _with_udta_xmp(lib.files["clip"])
    with open(clip, "rb") as fh:
        plan = plan_xmp_embed(fh, clip.stat().st_size, "MP4")
        assert plan.safe and plan.old_packet == OLD_XMP
        fh.seek(plan.retype_at[0])
        assert fh.read(4) == b"XMP_"
    with lib.open() as catalog:
        from mediadesk.services.edits import apply_edits
        from mediadesk.services.importer import import_paths
        import_paths(catalog, [str(clip)], workers=0)
        # the file's usage terms changed: a person assigns the profile again (issue 10, class 1)
        apply_edits(catalog, {lib.ids["clip"]: {"rights_profile_id": lib.profiles["nato"]}})
    out = tmp_path / "bundle"
    code, result = cli(capsys, lib, "export", "--purpose", "editorial-radio", "--out", str(out), "--json",
                       str(lib.ids["clip"]))
    assert code == 0
    exported = (out / result["exported"][0]["file"]).read_bytes()
    assert exported[plan.retype_at[0]:plan.retype_at[0] + 4] == b"free"
    assert _frames(out / result["exported"][0]["file"]) == _frames(clip)
    with open(out / result["exported"][0]["file"], "rb") as fh:
        packet = scan_bmff(fh, len(exported))["xmp"]
    assert fields_from_xmp(parse_packet(packet))["usage_terms"] == SEED_PROFILE_NOTE and b"Scene 7" in packet
    assert verify_bundle(out).ok
