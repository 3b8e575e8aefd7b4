from mediadesk.media.reconcile import reconcile


def test_camera_placeholder_description_does_not_beat_real_caption():
    fields, sources, conflicts = reconcile(
        exif={"caption": "OLYMPUS DIGITAL CAMERA         "},
        xmp={"caption": "NATO Secretary General Mark Rutte with Andrzej Duda, President of Poland"},
    )
    assert fields["caption"].startswith("NATO Secretary General")
    assert sources["caption"] == "xmp"
    assert "caption" not in conflicts


def test_camera_placeholder_alone_is_no_caption():
    fields, _, _ = reconcile(exif={"caption": "SONY DSC", "creator": "Jan Kowalski"})
    assert "caption" not in fields and fields["creator"] == "Jan Kowalski"


def test_real_exif_caption_still_wins_by_mwg():
    fields, sources, _ = reconcile(exif={"caption": "Rutte and Duda"}, xmp={"caption": "Other"})
    assert fields["caption"] == "Rutte and Duda" and sources["caption"] == "exif"
