"""Issue 10, class 5: `verify` in bounded time and memory on any input, every attack a finding.

Each test builds its hostile bundle from a genuine export (``hostile_bundles.py``). The bombs
run `mediadesk verify` as a process of its own and check its peak memory (wait4's ru_maxrss):
before the fix the 320 MiB bzip2 bomb took 720 MB and the fake Extended XMP photo 4.2 GB.
Wall time is measured in ``benchmarks/bench_verify.py``, never asserted here.
"""

from __future__ import annotations

import json
import os
import tracemalloc
import zipfile

import pytest

from mediadesk.cli.main import main
from mediadesk.media.jpeg import extended_xmp, scan_jpeg
from mediadesk.services.bounded_json import JsonRefused, load_bounded_json
from mediadesk.services.bundle_verify import verify_bundle

from tests.support import hostile_bundles as hb
from tests.support.environment import require

MEMORY_LIMIT_MB = 200


@pytest.fixture(scope="module")
def g(tmp_path_factory) -> hb.Genuine:
    return hb.genuine(tmp_path_factory.mktemp("genuine"))


def findings(path, capsys) -> list[str]:
    """`mediadesk verify PATH --json` in this process: exit status 1 and the problems."""
    assert main(["verify", str(path), "--json"]) == 1
    return json.loads(capsys.readouterr().out)["problems"]


def has(problems: list[str], fragment: str) -> bool:
    return any(fragment in p for p in problems)


def test_the_genuine_bundles_pass(g, capsys):
    for path in (g.folder, g.zip):
        assert main(["verify", str(path), "--json"]) == 0, capsys.readouterr().out
        capsys.readouterr()


@pytest.mark.parametrize("name", sorted(hb.HOSTILE))
def test_every_hostile_bundle_is_reported_without_a_traceback(g, tmp_path, capsys, name):
    build, fragment = hb.HOSTILE[name]
    path = build(g, tmp_path / "hostile")
    status = main(["verify", str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    if fragment:
        assert status == 1 and not report["ok"]
        assert has(report["problems"], fragment), report["problems"]
    else:                          # harmless to a bounded reader: the bundle is still genuine
        assert status == (0 if report["ok"] else 1)


def test_a_bzip2_bomb_is_refused_unread_in_bounded_memory(g, tmp_path):
    bomb = hb.build_bzip2_bomb(g, tmp_path / "bomb", size=320 << 20)
    assert bomb.stat().st_size < 100_000
    run = hb.run_verify(bomb)
    assert run.status == 1 and "Traceback" not in run.stderr, run.stderr
    assert has(run.report["problems"], f"{g.photo}: is compressed with bzip2"), run.report
    assert run.peak_mb < MEMORY_LIMIT_MB, f"verify took {run.peak_mb:.0f} MB on a {bomb.stat().st_size} B zip"


def test_lzma_and_unknown_methods_are_refused_unread(g, tmp_path, capsys):
    assert has(findings(hb.build_lzma_member(g, tmp_path / "lzma"), capsys),
               "manifest.json: is compressed with LZMA; mediadesk writes only stored and deflate")
    assert has(findings(hb.build_unknown_method(g, tmp_path / "m77"), capsys), "is compressed with method 77")


def test_a_deflated_manifest_that_declares_900_mb_is_not_inflated(g, tmp_path):
    bomb = hb.build_deflate_manifest_bomb(g, tmp_path / "deflate")
    run = hb.run_verify(bomb)
    assert run.status == 1 and has(run.report["problems"], "manifest.json: declares 943,718,400 bytes")
    assert run.peak_mb < MEMORY_LIMIT_MB


def test_the_whole_zip_has_an_inflate_budget(g, tmp_path, capsys):
    """24 sidecars of 15 MB, each under the per-member caps, 360 MB together from 380 KB."""
    problems = findings(hb.build_inflate_budget(g, tmp_path / "budget"), capsys)
    assert has(problems, "the zip inflates to more than 256 MiB in total")
    assert has(problems, "not read to the end (the zip's inflate budget is spent)")


def test_fake_extended_xmp_headers_allocate_nothing(g):
    """The shared JPEG reader bounds the Extended XMP total by the bytes present."""
    data = hb.fake_extended_xmp_jpeg((g.folder / g.photo).read_bytes(), claimed=0xFFFFFFF0)
    tracemalloc.start()
    try:
        layout = scan_jpeg(data)
        assert extended_xmp(layout) is None
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert layout.xmp_extended and peak < 1_000_000, peak


def test_fake_extended_xmp_photo_is_verified_in_bounded_memory(g, tmp_path):
    run = hb.run_verify(hb.build_fake_extended_xmp(g, tmp_path / "extxmp"))
    assert run.status == 0 and run.report["ok"], run.stdout   # the note is intact; the lie is harmless
    assert run.peak_mb < MEMORY_LIMIT_MB


def test_a_genuine_extended_xmp_packet_is_still_read():
    """A complete packet is reassembled as before (the bound only refuses lengths not present)."""
    packet = b"<x:xmpmeta>" + b"k" * 150_000 + b"</x:xmpmeta>"
    guid = b"0" * 32
    segments = b""
    for offset in range(0, len(packet), 60_000):
        body = (b"http://ns.adobe.com/xmp/extension/\x00" + guid + len(packet).to_bytes(4, "big")
                + offset.to_bytes(4, "big") + packet[offset:offset + 60_000])
        segments += b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body
    data = hb.plain_jpeg()
    assert extended_xmp(scan_jpeg(data[:2] + segments + data[2:])) == packet


@pytest.mark.parametrize("build, fragment", [
    (hb.build_deep_manifest, "objects and lists, more than"),
    (hb.build_deep_caption, "manifest.json nests deeper than 20 levels"),
    (hb.build_wide_manifest, "manifest.json holds"),
    (hb.build_fat_documents, "differs from the manifest"),
])
def test_deep_wide_and_fat_manifests_in_bounded_memory(g, tmp_path, build, fragment):
    path = build(g, tmp_path / "json")
    run = hb.run_verify(path)
    assert run.status == 1 and "Traceback" not in run.stderr, run.stderr
    assert has(run.report["problems"], fragment), run.report["problems"]
    assert run.peak_mb < MEMORY_LIMIT_MB


@pytest.mark.parametrize("case", sorted(hb.WRONG_TYPES))
def test_a_wrong_typed_manifest_is_a_finding(g, tmp_path, capsys, case):
    problems = findings(hb.build_wrong_types(g, tmp_path / "types", case), capsys)
    assert has(problems, hb.WRONG_TYPES[case][1]), problems


@pytest.mark.parametrize("build, fragment", [
    (hb.build_encrypted_member, "is encrypted; mediadesk never encrypts bundle members"),
    (hb.build_corrupt_deflate, "RIGHTS.txt: damaged, reading it failed"),
    (hb.build_bad_crc, "Bad CRC-32"),
    (hb.build_truncated_zip, "neither a bundle folder nor a readable zip"),
    (hb.build_overlapping_members, "its data overlap another member's in the zip"),
    (hb.build_duplicate_member, "appears twice in the zip"),
])
def test_encrypted_damaged_and_overlapping_members(g, tmp_path, capsys, build, fragment):
    assert has(findings(build(g, tmp_path / "zip"), capsys), fragment)


@pytest.mark.parametrize("where", ["manifest.json", "photo"])
def test_a_fifo_in_a_bundle_folder_is_never_opened(g, tmp_path, where):
    name = g.photo if where == "photo" else where
    run = hb.run_verify(hb.build_fifo(g, tmp_path / "fifo", name=name), timeout=60)  # a hang fails here
    assert run.status == 1
    assert has(run.report["problems"], f"{name}: is a FIFO (named pipe), not a file; it was not opened")


def test_a_device_in_a_bundle_folder_is_never_opened(g, tmp_path):
    try:
        bundle = hb.build_device(g, tmp_path / "device")
    except PermissionError:
        require(False, "creating a device node needs root (mknod)")
        raise
    run = hb.run_verify(bundle, timeout=60)         # /dev/zero's numbers: reading never ends
    assert run.status == 1
    assert has(run.report["problems"], f"{g.photo}: is a character device, not a file")


def test_a_socket_in_a_bundle_folder_is_a_finding(g, tmp_path, capsys):
    assert has(findings(hb.build_socket(g, tmp_path / "sock"), capsys), "listening.jpg: is a socket")


def test_the_bundle_path_itself_may_not_be_a_fifo(tmp_path, capsys):
    fifo = tmp_path / "bundle.zip"
    os.mkfifo(fifo)
    assert has(findings(fifo, capsys), "is a FIFO (named pipe), neither a bundle folder nor a zip")


def test_symbolic_links_in_a_folder_and_in_a_zip(g, tmp_path, capsys):
    problems = findings(hb.build_symlink_in_folder(g, tmp_path / "link"), capsys)
    assert has(problems, f"{g.photo}: is a symbolic link, not a file; it was not opened")
    zipped = hb.build_symlink_in_zip(g, tmp_path / "zlink")
    assert zipfile.ZipFile(zipped).getinfo("passwd.jpg").external_attr >> 28 == 0o12
    assert has(findings(zipped, capsys), "passwd.jpg: is a symbolic link in the zip, not a file")


def test_case_and_normalisation_twins_in_a_zip(g, tmp_path, capsys):
    problems = findings(hb.build_case_twins(g, tmp_path / "twins"), capsys)
    assert has(problems, f"{g.photo.upper()}: differs from {g.photo} only in letter case;")
    assert has(problems, "only in letter case or Unicode normalisation (accents composed or decomposed)")


def test_media_compressed_in_a_zip_is_not_read(g, tmp_path, capsys):
    data = (g.folder / g.photo).read_bytes()
    bundle = hb.write_zip(tmp_path / "deflated.zip", hb.zip_members(g.folder),
                          {g.photo: {"payload": hb.deflate(data), "method": 8, "size": len(data)}})
    assert has(findings(bundle, capsys), f"{g.photo}: is compressed in the zip; mediadesk stores media")


def test_the_export_self_check_still_passes_its_own_bundles(g):
    assert verify_bundle(g.folder, deep=False).ok and verify_bundle(g.zip, deep=False).ok


@pytest.mark.parametrize("text, fragment", [
    (b'["' + b'\\"' * 2_000_000, "not valid JSON"),          # unterminated: scanned once, not n^2
    (b"[" * 30 + b"]" * 30, "nests deeper than 20"),
    (b"[" + b"0," * 100_000 + b"0]", "holds about 100,002 values"),
    (b"[" + b"{}," * 1000 + b"{}]", "holds 1,002 objects and lists"),
    (b"[]]", "brackets do not pair up"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1" + b"0" * 5000 + b"]", "not valid JSON"),
])
def test_bounded_json_refuses_before_parsing(text, fragment):
    with pytest.raises(JsonRefused, match=fragment.replace("(", r"\(")):
        load_bounded_json(text, what="x", max_bytes=10 << 20, max_depth=20, max_values=50_000,
                          max_containers=500)


def test_bounded_json_reads_strings_with_brackets_and_escapes():
    value = load_bounded_json(b'{"a": ["x]\\"[", {"b": null}], "c": "\\\\"}', what="x", max_bytes=100,
                              max_depth=3, max_values=10, max_containers=3)
    assert value == {"a": ['x]"[', {"b": None}], "c": "\\"}
