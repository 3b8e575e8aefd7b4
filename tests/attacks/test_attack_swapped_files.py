"""Class 6: write-back adopted a picture swapped on disk; export trusted size and time.

The attack: the file of an asset is replaced by another picture that carries exactly the
catalog's metadata. Write-back took it as "completed an earlier write-back", recorded its hash,
and export then shipped the other picture under the asset's rights."""

from __future__ import annotations

import hashlib
import os

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.migrations import SEED_PROFILE_NOTE
from mediadesk.domain.rights import Purpose
from mediadesk.media import embed_metadata, image_data_fingerprint, read_metadata_bytes
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export, run_export
from mediadesk.services.importer import import_paths
from mediadesk.services.renditions import RenditionSpec
from mediadesk.services.writeback import catalog_fields, writeback

from tests.support.attack_helpers import jpeg_bytes
from tests.support.export_fixtures import build_library, video


def _one(catalog, tmp_path, seed=1):
    folder = tmp_path / "shoot"
    folder.mkdir(exist_ok=True)
    photo = folder / f"photo{seed}.jpg"
    photo.write_bytes(jpeg_bytes(seed, size=(96, 64), caption="Original caption", credit="NATO",
                                 usage_terms=SEED_PROFILE_NOTE))
    import_paths(catalog, [str(photo)], workers=0)
    asset = next(a for a in AssetStore(catalog).get_many(AssetStore(catalog).all_ids()) if a.path == str(photo))
    return photo, asset.id


def _catalog_bytes(catalog, asset_id, pixels: bytes) -> bytes:
    """``pixels`` (a JPEG) carrying exactly the catalog's values for the asset."""
    asset = AssetStore(catalog).get(asset_id)
    data, _ = embed_metadata(pixels, {k: (list(v) if isinstance(v, tuple) else v)
                                      for k, v in catalog_fields(asset).items()}, fmt="JPEG")
    return data


def test_write_back_refuses_another_picture_with_the_catalogs_metadata(catalog, tmp_path):
    photo, asset_id = _one(catalog, tmp_path)
    apply_edits(catalog, {asset_id: {"caption": "Caption typed in mediadesk"}})
    before = AssetStore(catalog).get(asset_id)
    assert before.pixel_fingerprint == image_data_fingerprint(photo.read_bytes(), "JPEG")
    photo.write_bytes(_catalog_bytes(catalog, asset_id, jpeg_bytes(99, size=(96, 64))))   # the swap
    report = writeback(catalog, [asset_id], workers=0)
    result = report.files[0]
    assert result.status == "skipped" and "changed on disk" in result.error
    after = AssetStore(catalog).get(asset_id)
    assert after.content_hash == before.content_hash          # nothing adopted
    plan = plan_export(catalog, [asset_id], ExportOptions(purpose=Purpose.EDITORIAL_ONLINE))
    out = run_export(catalog, plan, tmp_path / "bundle")
    assert out.bundle is None and "changed since it was imported" in out.failed[0]["reason"]


def test_write_back_still_completes_a_killed_write_of_the_same_picture(catalog, tmp_path):
    photo, asset_id = _one(catalog, tmp_path)
    apply_edits(catalog, {asset_id: {"caption": "Caption typed in mediadesk"}})
    # what a write-back killed after its rename (before it recorded the new hash) leaves
    photo.write_bytes(_catalog_bytes(catalog, asset_id, photo.read_bytes()))
    result = writeback(catalog, [asset_id], workers=0).files[0]
    assert result.status == "written" and any("earlier write-back" in w for w in result.warnings)
    assert AssetStore(catalog).get(asset_id).content_hash == hashlib.sha256(photo.read_bytes()).hexdigest()


def test_write_back_refuses_a_swap_that_kept_size_and_time(catalog, tmp_path):
    photo, asset_id = _one(catalog, tmp_path)
    apply_edits(catalog, {asset_id: {"caption": "Caption typed in mediadesk"}})
    st = photo.stat()
    data = bytearray(photo.read_bytes())
    data[-10] ^= 0xFF                                          # other image data, same size
    photo.write_bytes(bytes(data))
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns))       # and the time set back
    result = writeback(catalog, [asset_id], workers=0).files[0]
    assert result.status == "skipped" and "not the file that was imported" in result.error
    assert photo.read_bytes() == bytes(data)                   # not written


def _swap_keeping_size_and_time(photo):
    st = photo.stat()
    data = bytearray(photo.read_bytes())
    data[-10] ^= 0xFF
    photo.write_bytes(bytes(data))
    os.utime(photo, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_export_refuses_a_source_swapped_with_size_and_time_restored(library, tmp_path):
    pl = library.ids["pl"]
    _swap_keeping_size_and_time(library.files["pl"])
    with library.open() as catalog:
        for n, options in enumerate([ExportOptions(purpose=Purpose.EDITORIAL_ONLINE),
                                     ExportOptions(purpose=Purpose.EDITORIAL_ONLINE, zip=True),
                                     ExportOptions(purpose=Purpose.EDITORIAL_ONLINE,
                                                   rendition=RenditionSpec(long_edge=64))]):
            result = run_export(catalog, plan_export(catalog, [pl], options), tmp_path / f"b{n}")
            assert result.bundle is None, options
            assert "changed since it was imported" in result.failed[0]["reason"]
    assert not any(p.name.startswith("b") for p in tmp_path.iterdir())


def test_export_refuses_a_swapped_video_copy(tmp_path):
    lib = build_library(tmp_path)
    clip = lib.files["clip"]
    _swap_keeping_size_and_time(clip)
    with lib.open() as catalog:
        for n, zipped in enumerate([False, True]):
            options = ExportOptions(purpose=Purpose.EDITORIAL_ONLINE, zip=zipped)
            result = run_export(catalog, plan_export(catalog, [lib.ids["clip"]], options), tmp_path / f"v{n}")
            assert result.bundle is None and "changed" in result.failed[0]["reason"]


def test_write_back_through_a_symlink_writes_the_target_and_keeps_the_link(catalog, tmp_path):
    real_dir = tmp_path / "archive"
    real_dir.mkdir()
    real = real_dir / "original.jpg"
    real.write_bytes(jpeg_bytes(3, caption="Original caption", credit="NATO"))
    selects = tmp_path / "selects"
    selects.mkdir()
    link = selects / "pick.jpg"
    os.symlink(real, link)
    import_paths(catalog, [str(selects)], workers=0)
    [asset_id] = AssetStore(catalog).all_ids()
    apply_edits(catalog, {asset_id: {"caption": "Caption written through the link"}})
    result = writeback(catalog, [asset_id], workers=0).files[0]
    assert result.status == "written", result.error
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert read_metadata_bytes(real.read_bytes())["caption"] == "Caption written through the link"
    assert AssetStore(catalog).get(asset_id).content_hash == hashlib.sha256(real.read_bytes()).hexdigest()
    assert [p.name for p in selects.iterdir()] == ["pick.jpg"]   # no temporary file left


def test_a_sidecar_that_is_a_symlink_is_not_written_through(catalog, tmp_path):
    folder = tmp_path / "clips"
    folder.mkdir()
    clip = video(folder / "clip.mp4")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not overwrite")
    os.symlink(secret, folder / "clip.mp4.xmp")                  # planted beside the video
    import_paths(catalog, [str(folder)], workers=0)
    [asset_id] = AssetStore(catalog).all_ids()
    apply_edits(catalog, {asset_id: {"caption": "A video caption"}})
    result = writeback(catalog, [asset_id], workers=0).files[0]
    assert result.status == "failed" and "symbolic link" in result.error
    assert secret.read_text() == "do not overwrite"
    assert (folder / "clip.mp4.xmp").is_symlink() and clip.exists()
