"""probe() on small videos and audio generated with PyAV."""

from __future__ import annotations

import array
import math
from fractions import Fraction
from pathlib import Path

import av
import pytest
from PIL import Image

from mediadesk.domain.errors import MediaError
from mediadesk.media import probe, sidecar_path_for, xmp_sidecar_bytes

from tests.support.paths import FIXTURES


def _make_video(path: Path, *, seconds: float = 2.0, fps: int = 10, size=(96, 64),
                codec: str = "libx264", metadata: dict[str, str] | None = None,
                rotation: int | None = None) -> None:
    with av.open(str(path), "w") as out:
        if metadata:
            out.metadata.update(metadata)
        try:
            stream = out.add_stream(codec, rate=fps)
        except (av.error.FFmpegError, ValueError):
            stream = out.add_stream("mpeg4", rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        if rotation is not None:
            stream.set_display_rotation(rotation)
        for i in range(int(seconds * fps)):
            im = Image.new("RGB", size, ((i * 10) % 255,) * 3)
            im.paste((0, 0, 255), (0, 0, size[0] // 2, size[1] // 3))
            frame = av.VideoFrame.from_image(im)
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _make_audio(path: Path, seconds: float = 1.5) -> None:
    rate = 22050
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=rate)
        samples = int(seconds * rate)
        pts = 0
        chunk = 1024
        while pts < samples:
            n = min(chunk, samples - pts)
            data = array.array("f", (math.sin(k / 20.0) * 0.3 for k in range(pts, pts + n)))
            frame = av.AudioFrame(format="fltp", layout="mono", samples=n)
            frame.planes[0].update(data.tobytes())
            frame.sample_rate = rate
            frame.pts = pts
            for packet in stream.encode(frame):
                out.mux(packet)
            pts += n
        for packet in stream.encode():
            out.mux(packet)


def test_h264_mp4_probe_and_poster(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    _make_video(clip, metadata={"title": "Joint press conference", "comment": "Rutte and Duda",
                                "artist": "Kęstutis Budrys", "copyright": "© NATO"})
    thumb = tmp_path / "poster.jpg"
    res = probe(str(clip), thumbnail_to=str(thumb))
    assert (res.kind, res.format) == ("video", "MP4")
    assert (res.width, res.height) == (96, 64)
    assert res.duration == pytest.approx(2.0, abs=0.15)
    assert res.codec in ("h264", "mpeg4")
    assert res.frame_rate == pytest.approx(10.0)
    assert res.thumbnail_written
    with Image.open(thumb) as im:
        assert im.size == (96, 64) and im.format == "JPEG"
    assert res.fields["title"] == "Joint press conference"
    assert res.fields["caption"] == "Rutte and Duda"
    assert res.fields["creator"] == "Kęstutis Budrys"
    assert res.sources["caption"] == "quicktime"


def test_rotated_video_reports_displayed_size(tmp_path: Path) -> None:
    clip = tmp_path / "portrait.mp4"
    _make_video(clip, rotation=-90, size=(96, 64))
    res = probe(str(clip), thumbnail_to=str(tmp_path / "p.jpg"))
    assert (res.width, res.height) == (64, 96)
    with Image.open(tmp_path / "p.jpg") as im:
        assert im.size == (64, 96)


def test_video_sidecar_wins_over_tags(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mov"
    _make_video(clip, codec="mpeg4", metadata={"title": "container title"})
    Path(sidecar_path_for(str(clip))).write_bytes(
        xmp_sidecar_bytes({"title": "Sidecar title", "people": ["Vučić"]}))
    res = probe(str(clip))
    assert res.format == "MOV"
    assert res.fields["title"] == "Sidecar title" and res.sources["title"] == "sidecar"
    assert res.fields["people"] == ["Vučić"]
    assert res.conflicts["title"] == {"sidecar": "Sidecar title", "quicktime": "container title"}


def test_audio_m4a(tmp_path: Path) -> None:
    song = tmp_path / "interview.m4a"
    _make_audio(song)
    res = probe(str(song), thumbnail_to=str(tmp_path / "none.jpg"))
    assert (res.kind, res.format, res.codec) == ("audio", "M4A", "aac")
    assert res.duration == pytest.approx(1.5, abs=0.1)
    assert res.width is None and not res.thumbnail_written


def test_broken_video(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40)
    with pytest.raises(MediaError):
        probe(str(bad))


def test_a_stream_without_a_codec_context_gets_no_poster_and_a_warning(tmp_path: Path) -> None:
    """Found by the fuzzer (stress/fuzz_import.py, seed 1, case 639: box sizes of a generated MP4
    mutated): PyAV gives the video stream no codec context, and the poster code crashed on it."""
    damaged = FIXTURES / "mp4-stream-without-codec-context.mp4"
    with av.open(str(damaged)) as container:
        assert container.streams.video and container.streams.video[0].codec_context is None
    result = probe(str(damaged), thumbnail_to=str(tmp_path / "thumb.jpg"))
    assert (result.kind, result.format) == ("video", "MP4") and not result.thumbnail_written
    assert any("no video frame could be decoded" in w for w in result.warnings)
