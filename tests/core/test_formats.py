"""Formats as adapters: every family is one file in media/formats/, registers itself, and is the
only place that knows its extensions and names; adding a family (a document format) is one file."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import mediadesk
from mediadesk.catalog.assets import AssetStore
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.query import KINDS
from mediadesk.media import formats
from mediadesk.media.formats import SUPPORTED_EXTENSIONS, Carrier, registry
from mediadesk.media.formats.base import SURE
from mediadesk.media.formats.still import StillImage
from mediadesk.services.bundle_content import what_is
from mediadesk.services.importer import import_paths

from tests.support.media_fixtures import jpeg_bytes, png_bytes, webp_bytes

SRC = Path(mediadesk.__file__).resolve().parent
FORMATS_DIR = Path(formats.__file__).resolve().parent
# the package's machinery, not families
INFRASTRUCTURE = {"__init__", "base", "registry", "still", "audiovisual"}


def _pad(head: bytes, fill: bytes = b"\0") -> bytes:
    return (head + fill * 600)[:600]


def _ftyp(brand: bytes) -> bytes:
    return _pad(b"\x00\x00\x00\x18ftyp" + brand)


# a file's first bytes -> (kind, format), as the importer has always recognised them
HEADS = [
    (jpeg_bytes()[:512], "photo", "JPEG"),
    (png_bytes()[:512], "photo", "PNG"),
    (webp_bytes()[:512], "photo", "WEBP"),
    (_pad(b"II*\x00\x08\x00\x00\x00"), "photo", "TIFF"),
    (_pad(b"MM\x00*\x00\x00\x00\x08"), "photo", "TIFF"),
    (_pad(b"II*\x00\x10\x00\x00\x00CR\x02\x00"), "photo", "CR2"),
    (_pad(b"IIRO\x08\x00"), "photo", "ORF"),
    (_pad(b"IIU\x00\x18\x00"), "photo", "RW2"),
    (_pad(b"FUJIFILMCCD-RAW 0201"), "photo", "RAF"),
    (_pad(b"GIF89a"), "photo", "GIF"),
    (_pad(b"GIF87a", fill=b"G"), "photo", "GIF"),       # 0x47 every 188 bytes: still a GIF
    (_pad(b"BM6\x00"), "photo", "BMP"),
    (_pad(b"BM", fill=b"G"), "photo", "BMP"),           # sync bytes do not beat a BMP signature
    (_pad(b"8BPS\x00\x01"), "photo", "PSD"),
    (_pad(b"\xff\x0a\xfa"), "photo", "JXL"),
    (_pad(b"\x00\x00\x00\x0cJXL \r\n\x87\n"), "photo", "JXL"),
    (_ftyp(b"heic"), "photo", "HEIF"),
    (_ftyp(b"mif1"), "photo", "HEIF"),
    (_ftyp(b"avif"), "photo", "AVIF"),
    (_ftyp(b"crx "), "photo", "CR3"),
    (_ftyp(b"qt  "), "video", "MOV"),
    (_ftyp(b"3gp4"), "video", "3GP"),
    (_ftyp(b"isom"), "video", "MP4"),
    (_ftyp(b"mp42"), "video", "MP4"),
    (_ftyp(b"M4A "), "audio", "M4A"),
    (_pad(b"\x00\x00\x00\x08wide"), "video", "MOV"),
    (_pad(b"RIFF\x00\x00\x00\x00AVI LIST"), "video", "AVI"),
    (_pad(b"\x1a\x45\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm"), "video", "WEBM"),
    (_pad(b"\x1a\x45\xdf\xa3\x9fB\x86\x81\x01B\x82\x88matroska"), "video", "MKV"),
    (_pad(b"\x00\x00\x00\x00G" + b"\x00" * 191 + b"G"), "video", "M2TS"),
    (_pad(b"G" + b"\x00" * 187 + b"G"), "video", "M2TS"),
    (_pad(b"\x00\x00\x01\xba\x44"), "video", "MPEG"),
    (_pad(b"RIFF\x00\x00\x00\x00WAVEfmt "), "audio", "WAV"),
    (_pad(b"ID3\x04\x00"), "audio", "MP3"),
    (_pad(b"\xff\xfb\x90\x64"), "audio", "MP3"),
    (_pad(b"fLaC\x00\x00\x00\x22"), "audio", "FLAC"),
    (_pad(b"OggS\x00\x02"), "audio", "OGG"),
    (_pad(b"FORM\x00\x00\x00\x00AIFF"), "audio", "AIFF"),
]


def _family_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules([str(FORMATS_DIR)])
                  if info.name not in INFRASTRUCTURE)


def test_every_module_in_formats_registers_its_families_and_nothing_else_does():
    modules = _family_modules()
    assert len(modules) >= 12
    by_module: dict[str, list[str]] = {}
    for family in formats.families():
        module = type(family).__module__
        assert module.startswith("mediadesk.media.formats."), f"{type(family).__name__} lives outside media/formats"
        by_module.setdefault(module.rsplit(".", 1)[1], []).append(type(family).__name__)
    assert sorted(by_module) == modules, "a module in media/formats registers no family (forgot @register?)"
    for name in INFRASTRUCTURE - {"__init__"}:
        assert name not in by_module


def test_families_say_what_the_rest_of_mediadesk_asks():
    kinds = {family.kind for family in formats.families()}
    assert kinds == {AssetKind.PHOTO, AssetKind.VIDEO, AssetKind.AUDIO, AssetKind.DOCUMENT}
    for family in formats.families():
        assert family.formats and family.family
        assert set(family.extensions.values()) <= set(family.formats)
        for fmt in family.formats:
            assert formats.for_format(fmt) is family
            assert formats.for_format(fmt.lower()) is family
        if isinstance(family, StillImage):   # embedded carrier <=> mediadesk writes stores in place
            assert (family.carrier is Carrier.EMBEDDED) == bool(family.embedded_stores)
    assert {f for f in formats.families() if f.carrier is Carrier.EMBEDDED} == {
        formats.for_format(n) for n in ("JPEG", "TIFF", "PNG", "WEBP")}
    assert formats.carrier_for("MOV") is Carrier.BOX_AND_SIDECAR
    assert formats.carrier_for("NEF") is Carrier.SIDECAR and formats.is_camera_raw("nef")
    assert formats.carrier_for(None) is Carrier.SIDECAR and formats.for_format("SVG") is None
    assert formats.extension_of("JPEG") == ".jpg" and formats.extension_of("mov") == ".mov"
    assert len(SUPPORTED_EXTENSIONS) == 70 and SUPPORTED_EXTENSIONS[".cr3"] == "photo"
    assert SUPPORTED_EXTENSIONS[".pdf"] == "document" and formats.carrier_for("PDF") is Carrier.SIDECAR


@pytest.mark.parametrize(("head", "kind", "fmt"), HEADS, ids=[f"{h[2]}-{i}" for i, h in enumerate(HEADS)])
def test_headers_are_recognised_by_their_family(head, kind, fmt):
    assert formats.sniff_format(head) == (kind, fmt)


def test_sure_signatures_never_overlap():
    """The registry stops at the first family sure of a header: that is only right when no two
    families are sure of the same bytes."""
    for head, _kind, fmt in HEADS:
        sure = [type(f).__name__ for f in formats.families()
                if (found := f.sniff(head)) is not None and found.score >= SURE]
        assert len(sure) <= 1, f"{fmt}: {sure}"


def test_unknown_bytes_and_names():
    assert formats.sniff_format(b"hello world" * 60) is None
    assert formats.sniff_format(b"") is None
    assert formats.identify("notes.dat", b"hello") is None
    assert formats.identify("notes.txt", b"hello").format == "TEXT"          # text has no signature
    assert formats.identify("notes.txt", b"BMW press release").format == "TEXT"   # "BM": not a bitmap
    assert formats.kind_for_path("a/B.JPG") == AssetKind.PHOTO and formats.kind_for_path("noext") is None


@pytest.mark.parametrize(("name", "head", "expected"), [
    ("shot.NEF", _pad(b"II*\x00\x08\x00\x00\x00"), ("photo", "NEF")),     # raw is TIFF inside
    ("shot.dng", _pad(b"MM\x00*\x00\x00\x00\x08"), ("photo", "DNG")),
    ("shot.tif", _pad(b"II*\x00\x08\x00\x00\x00"), ("photo", "TIFF")),
    ("clip.mov", _ftyp(b"isom"), ("video", "MOV")),                      # generic brand, QuickTime name
    ("clip.3gp", _ftyp(b"mp42"), ("video", "3GP")),
    ("talk.m4a", _ftyp(b"isom"), ("audio", "M4A")),
    ("talk.mp3", _ftyp(b"isom"), ("video", "MP4")),                      # the header wins over a wrong name
    ("photo.png", jpeg_bytes()[:512], ("photo", "JPEG")),
    ("photo.dat", jpeg_bytes()[:512], ("photo", "JPEG")),
    ("clip.wmv", b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", ("video", "WMV")),  # known by name only
])
def test_the_name_refines_a_generic_header(name, head, expected):
    found = formats.identify(name, head)
    assert found is not None and (found.kind, found.format) == expected


# -- nothing outside media/formats knows a format's extensions or names --------------------------

def _offences(path: Path, extensions: set[str], names: set[str], kinds: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: list[str] = []

    def literal(node: ast.AST) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def members(node: ast.AST) -> list[str]:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [v for v in map(literal, node.elts) if v is not None]
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("frozenset", "set", "tuple") and node.args:
            return members(node.args[0])
        value = literal(node)
        return [value] if value is not None else []

    for node in ast.walk(tree):
        if not isinstance(node, (ast.expr, ast.stmt)):
            continue   # the module, operators, contexts: no line, no literal
        value = literal(node)
        if value is not None and value.lower() in extensions:
            parent = parents.get(node)
            naming = isinstance(parent, ast.JoinedStr) or (
                isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add))
            if not naming:   # building the name of a file mediadesk writes is not recognising one
                found.append(f"{node.lineno}: extension literal {value!r}")
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for side in sides:
                hits = [v for v in members(side) if v in names]
                if hits:
                    found.append(f"{node.lineno}: compares a format name {hits}")
            subjects = [s for s in sides if isinstance(s, (ast.Attribute, ast.Name))
                        and str(getattr(s, "attr", None) or getattr(s, "id", "")).endswith("kind")]
            if subjects and any(v in kinds for side in sides for v in members(side)):
                found.append(f"{node.lineno}: compares a kind with a string (use AssetKind)")
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and sum(v in names for v in members(node)) >= 2:
            found.append(f"{node.lineno}: a table of format names")
        if isinstance(node, ast.Dict) and any(literal(k) in names for k in node.keys if k is not None):
            found.append(f"{node.lineno}: a table keyed by format names")
    return found


def test_no_module_outside_media_formats_knows_extensions_or_format_names():
    """No exceptions today. What the rule leaves alone on purpose: names of files mediadesk
    writes (``f"{stem}.jpg"``), Pillow's and FFmpeg's own names in calls (``im.save(buf, "JPEG")``),
    format names passed as values (``embed_metadata(data, fields, fmt="JPEG")``)."""
    extensions = {ext for f in formats.families() for ext in f.extensions}
    names = {n for f in formats.families() for n in f.formats}
    kinds = {k.value for k in AssetKind}
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        if FORMATS_DIR in path.parents:
            continue
        rel = path.relative_to(SRC).as_posix()
        problems += [f"{rel}:{offence}" for offence in _offences(path, extensions, names, kinds)]
    assert problems == [], "ask the format family (media/formats) instead:\n" + "\n".join(problems)


def test_the_rule_catches_what_it_is_meant_to(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'RAW = (".nef", ".cr2")\n'
        'if fmt == "JPEG": pass\n'
        'if fmt in ("MP4", "MOV"): pass\n'
        'WRITABLE = {"PNG": 1}\n'
        'if asset.kind == "video": pass\n'
        'ok = f"{stem}.jpg"; ok2 = stem + ".jpg"; im.save(buf, "JPEG")\n', encoding="utf-8")
    extensions = {".nef", ".cr2", ".jpg"}
    found = _offences(sample, extensions, {"JPEG", "MP4", "MOV", "PNG"}, {"video"})
    assert sorted(int(f.split(":")[0]) for f in found) == [1, 1, 2, 3, 3, 4, 5], found


# -- a new family is one file ----------------------------------------------------------------------

RTF_FAMILY = '''
"""Rich Text Format documents (a test's family): an XMP packet in the file is its metadata."""

from mediadesk.domain.asset import AssetKind
from mediadesk.media.formats import MediaFormat, ProbeResult, Sniffed, register
from mediadesk.media.reconcile import reconcile
from mediadesk.media.sidecar import read_sidecar_fields
from mediadesk.media.xmp import fields_from_xmp, find_packet, read_packet


@register
class Rtf(MediaFormat):
    family = "RTF"
    kind = AssetKind.DOCUMENT
    extensions = {".rtf": "RTF"}
    formats = ("RTF",)

    def sniff(self, head):
        return Sniffed("RTF") if head.startswith(b"{" + bytes([92]) + b"rtf") else None

    def probe(self, path, data, fmt, thumbnail_to):
        with open(path, "rb") as fh:
            packet = find_packet(fh.read())
        xmp, warnings = read_packet(packet) if packet else ({}, [])
        sidecar, side_warn = read_sidecar_fields(path)
        result = ProbeResult(kind=self.kind, format=fmt, warnings=warnings + side_warn)
        result.fields, result.sources, result.conflicts = reconcile(xmp=fields_from_xmp(xmp), sidecar=sidecar)
        return result
'''

RTF = (b"{\\rtf1\\ansi {\\*\\xmp "
       b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
       b'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Press kit: NATO summit</rdf:li></rdf:Alt></dc:title>'
       b"</rdf:Description></rdf:RDF></x:xmpmeta>"
       b'<?xpacket end="w"?>} Press kit\\par}\n')


@pytest.fixture
def rtf_family(tmp_path):
    """media/formats/rtf.py, as a plug-in folder on the package's path: the only change."""
    folder = tmp_path / "plugin_formats"
    folder.mkdir()
    (folder / "rtf.py").write_text(RTF_FAMILY, encoding="utf-8")
    path = formats.__path__
    path.append(str(folder))
    formats.discover()
    family = formats.for_format("RTF")
    try:
        yield family
    finally:
        path.remove(str(folder))
        if family is not None:
            registry.unregister(type(family))
        sys.modules.pop("mediadesk.media.formats.rtf", None)
        importlib.invalidate_caches()


def test_a_document_family_is_one_file(rtf_family, catalog, tmp_path):
    assert rtf_family is not None and rtf_family.kind == AssetKind.DOCUMENT
    assert "document" in KINDS
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kit.rtf").write_bytes(RTF)
    (folder / "kit-copy.bin").write_bytes(RTF + b"\n")   # a wrong name: the header says RTF
    report = import_paths(catalog, [str(folder)], workers=0)
    assert report.imported == 2, report.to_json()
    assets = AssetStore(catalog).get_many(AssetStore(catalog).all_ids())
    assert sorted((a.kind, a.format, a.title) for a in assets) == [
        ("document", "RTF", "Press kit: NATO summit")] * 2
    assert formats.carrier_for("RTF") is Carrier.SIDECAR
    assert what_is(RTF) == ("document", "RTF")
