"""Hostile bundles for ``mediadesk verify``, built the way an attacker would build them.

A genuine bundle is exported first (a real catalog, real photos and a video, :func:`genuine`);
each ``build_*`` function then makes one attack from it in a folder of its own and returns the
path of the hostile bundle. Where the attack needs the rest of the bundle to look right, the
builder "reseals" it with mediadesk's own code (new sizes and SHA-256s in manifest.json, RIGHTS.txt
hash, manifest.csv), as anyone holding mediadesk could. Zips are written byte by byte
(:class:`RawZip`) so that any header field can lie.

Used by ``tests/attacks/test_verify_*.py`` and by ``benchmarks/bench_verify.py`` (which runs
``mediadesk verify`` on every bundle in :data:`HOSTILE`).
"""

from __future__ import annotations

import bz2
import copy
import functools
import hashlib
import io
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from mediadesk.services.bundle_verify import manifest_csv_bytes

LEDGER_FORMAT = "mediadesk-ledger-receipt/1"
DOCS = ("manifest.json", "manifest.csv", "RIGHTS.txt")


# -- running verify as a user would ------------------------------------------------------------
# Linux counts the high-water RSS of the address space a process had before exec() (its parent's,
# after fork) in its ru_maxrss, so a test runner's or benchmark's own memory would show up in
# every figure. A bare interpreter (-S, ~8 MB) forks and execs verify and reports wait4's figures.
_LAUNCHER = """
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
started = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
_pid, status, usage = os.wait4(pid, 0)
with open(out, "w") as fh:
    fh.write(f"{time.monotonic() - started} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


@dataclass(frozen=True)
class VerifyRun:
    status: int
    seconds: float
    peak_mb: float          # the verify process's own peak RSS (the ~8 MB launcher included)
    stdout: str
    stderr: str

    @property
    def report(self) -> dict | None:
        try:
            return json.loads(self.stdout)
        except ValueError:
            return None


def run_verify(bundle: Path, *, json_output: bool = True, timeout: float = 120) -> VerifyRun:
    """``mediadesk verify BUNDLE [--json]`` in a process of its own; ``subprocess.TimeoutExpired``
    if it runs past ``timeout`` (a hang)."""
    cmd = [sys.executable, "-m", "mediadesk", "verify", str(bundle)] + (["--json"] if json_output else [])
    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp) / "figures"
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, str(figures), *cmd],
                              capture_output=True, timeout=timeout)
        if figures.exists():
            seconds, peak_kb, status = figures.read_text().split()
        else:   # the launcher itself failed
            seconds, peak_kb, status = str(time.monotonic() - started), "0", str(proc.returncode)
    return VerifyRun(int(status), float(seconds), int(peak_kb) / 1024,
                     proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


# -- the genuine bundle --------------------------------------------------------------------------
@dataclass(frozen=True)
class Genuine:
    folder: Path
    zip: Path
    photo: str          # a photo whose rights note is embedded
    video: str          # a video whose rights note is in its sidecar (and its own XMP box)

    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text("utf-8"))


def genuine(workdir: Path) -> Genuine:
    """Export a real library (photos with Polish/Serbian captions, a video) as a folder and a zip."""
    from mediadesk.domain.rights import Purpose
    from mediadesk.services.export import ExportOptions, plan_export, run_export

    from tests.support.export_fixtures import build_library  # tests/ on sys.path (pytest's rootdir, or the benchmark)

    workdir.mkdir(parents=True, exist_ok=True)
    lib = build_library(workdir)
    with lib.open() as catalog:
        for out, zipped in ((workdir / "bundle", False), (workdir / "bundle.zip", True)):
            plan = plan_export(catalog, list(lib.ids.values()), ExportOptions(Purpose.EDITORIAL_ONLINE, zip=zipped))
            result = run_export(catalog, plan, out)
            assert result.bundle, result.failed
    entries = json.loads((workdir / "bundle" / "manifest.json").read_text("utf-8"))["files"]
    photo = next(e["file"] for e in entries if e["role"] == "media" and e["carrier"] == "embedded")
    video = next(e["file"] for e in entries if e["role"] == "media" and e["kind"] == "video")
    return Genuine(workdir / "bundle", workdir / "bundle.zip", photo, video)


def copy_folder(g: Genuine, out: Path) -> Path:
    shutil.copytree(g.folder, out)
    return out


def reseal(folder: Path, manifest: dict | None = None) -> dict:
    """Make manifest.json (given, or the folder's own) agree with the files present: sizes and
    SHA-256s of every listed regular file, the RIGHTS.txt hash, and manifest.csv."""
    manifest = manifest if manifest is not None else json.loads((folder / "manifest.json").read_text("utf-8"))
    for entry in manifest.get("files", []):
        path = folder / entry["file"] if isinstance(entry, dict) and isinstance(entry.get("file"), str) else None
        if path is not None and path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            entry["sha256"], entry["size"] = hashlib.sha256(data).hexdigest(), len(data)
    if (folder / "RIGHTS.txt").is_file():
        manifest["rights_file"]["sha256"] = hashlib.sha256((folder / "RIGHTS.txt").read_bytes()).hexdigest()
    write_manifest(folder, manifest)
    receipt = folder / "LEDGER.json"
    if receipt.is_file():   # an attacker re-points the receipt at the new manifest too
        data = json.loads(receipt.read_text("utf-8"))
        data["manifest_sha256"] = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
        receipt.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
    return manifest


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / "manifest.json").write_bytes(json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    (folder / "manifest.csv").write_bytes(manifest_csv_bytes(manifest))


def plain_jpeg(color=(10, 120, 200)) -> bytes:
    """A JPEG with no metadata at all (what "stripped" means)."""
    out = io.BytesIO()
    Image.new("RGB", (96, 64), color).save(out, "JPEG", quality=85)
    return out.getvalue()


def ledger_receipt(folder_or_manifest: Path | bytes, **override) -> bytes:
    manifest = (folder_or_manifest / "manifest.json").read_bytes() if isinstance(folder_or_manifest, Path) \
        else folder_or_manifest
    receipt = {"format": LEDGER_FORMAT, "entry_id": 7, "chain_hash": "ab" * 32,
               "manifest_sha256": hashlib.sha256(manifest).hexdigest(), "catalog_id": "cat-3f2a"}
    receipt.update(override)
    return json.dumps(receipt, indent=2).encode("utf-8")


# -- zips written byte by byte ------------------------------------------------------------------
class RawZip:
    """A zip writer that lets every header field lie (methods, sizes, flags, Unix modes, offsets)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh = open(path, "wb")  # noqa: SIM115 - the writer's file, closed in close()
        self.central: list[bytes] = []
        self.offsets: dict[str, int] = {}

    def add(self, name: str, payload: bytes, *, method: int = 0, size: int | None = None,
            crc: int | None = None, flags: int = 0, mode: int = 0o100644,
            local_name: str | None = None, at: str | None = None) -> None:
        """``payload`` is written as the member's (already compressed) data; ``size`` is the
        declared uncompressed size (default: the payload's), ``at`` points the central entry at
        another member's local header instead of writing one (overlapping members)."""
        raw = name.encode("utf-8")
        size = len(payload) if size is None else size
        crc = zlib.crc32(payload) if crc is None else crc
        flags |= 0x800
        if at is None:
            offset = self.fh.tell()
            local = (local_name or name).encode("utf-8")
            self.fh.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, flags, method, 0, 0x21,
                                      crc, len(payload), size, len(local), 0) + local + payload)
            self.offsets[name] = offset
            csize = len(payload)
        else:
            offset = self.offsets[at]
            csize = len(payload)
        self.central.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", (3 << 8) | 20, 20, flags, method,
                                        0, 0x21, crc, csize, size, len(raw), 0, 0, 0, 0,
                                        (mode & 0xFFFF) << 16, offset) + raw)

    def close(self) -> Path:
        start = self.fh.tell()
        for record in self.central:
            self.fh.write(record)
        end = self.fh.tell()
        n = len(self.central)
        self.fh.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, n, n, end - start, start, 0))
        self.fh.close()
        return self.path


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_members(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def write_zip(out: Path, members: list[tuple[str, bytes]], special: dict[str, dict] | None = None) -> Path:
    """A zip like mediadesk writes (media stored, documents and sidecars deflated), except for the
    members named in ``special``: their keyword arguments go to :meth:`RawZip.add` (``payload``
    replaces the data)."""
    special = special or {}
    z = RawZip(out)
    for name, data in members:
        opts = dict(special.get(name, {}))
        payload = opts.pop("payload", None)
        if payload is None:
            payload = data
            if name.endswith((".xmp", ".json", ".csv", ".txt")) and "method" not in opts:
                opts.update(method=8, size=len(data), crc=opts.get("crc", zlib.crc32(data)))
                payload = deflate(data)
        z.add(name, payload, **opts)
    return z.close()


@functools.lru_cache(maxsize=4)
def bzip2_zeros(size: int) -> bytes:
    """``size`` zero bytes as a bzip2 stream (1 GiB is 785 bytes; ~7 s to make)."""
    c = bz2.BZ2Compressor(9)
    block = bytes(16 << 20)
    out = [c.compress(block[:min(len(block), size - done)]) for done in range(0, size, len(block))]
    return b"".join(out) + c.flush()


# -- class 4: a manifest cannot excuse a file from the rights note --------------------------------
def build_forged_role_preview(g: Genuine, out: Path) -> Path:
    """A photo with its metadata stripped, listed with role "preview" (the issue's example)."""
    folder = copy_folder(g, out)
    (folder / "preview.jpg").write_bytes(plain_jpeg())
    manifest = g.manifest()
    entry = copy.deepcopy(next(e for e in manifest["files"] if e["file"] == g.photo))
    entry.update(file="preview.jpg", role="preview")
    manifest["files"].append(entry)
    reseal(folder, manifest)
    return folder


def build_photo_called_sidecar(g: Genuine, out: Path) -> Path:
    """The video's sidecar replaced by a stripped photo (role "sidecar" still), all resealed."""
    folder = copy_folder(g, out)
    (folder / (g.video + ".xmp")).write_bytes(plain_jpeg())
    reseal(folder)
    return folder


def build_photo_note_in_sidecar_only(g: Genuine, out: Path) -> Path:
    """A stripped photo listed as media whose note is said to travel in a sidecar (carrier
    "sidecar"), with a genuine sidecar beside it: only a C2PA-signed photo may do that."""
    folder = copy_folder(g, out)
    (folder / g.photo).write_bytes(plain_jpeg())
    video_sidecar = (folder / (g.video + ".xmp")).read_bytes()
    (folder / (g.photo + ".xmp")).write_bytes(video_sidecar)
    manifest = g.manifest()
    entry = next(e for e in manifest["files"] if e["file"] == g.photo)
    template = next(e for e in manifest["files"] if e["file"] == g.video + ".xmp")
    entry.update(carrier="sidecar", sidecar=g.photo + ".xmp")
    manifest["files"].append(dict(copy.deepcopy(template), file=g.photo + ".xmp", **{"for": g.photo}))
    reseal(folder, manifest)
    return folder


def build_document_as_media(g: Genuine, out: Path) -> Path:
    """A PDF listed as media, its rights note in a genuine-looking sidecar."""
    folder = copy_folder(g, out)
    manifest = g.manifest()
    video = next(e for e in manifest["files"] if e["file"] == g.video)
    sidecar = next(e for e in manifest["files"] if e["file"] == g.video + ".xmp")
    (folder / "dossier.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    shutil.copy(folder / sidecar["file"], folder / "dossier.pdf.xmp")
    manifest["files"] += [dict(copy.deepcopy(video), file="dossier.pdf", sidecar="dossier.pdf.xmp",
                               embedded_xmp=False),
                          dict(copy.deepcopy(sidecar), file="dossier.pdf.xmp", **{"for": "dossier.pdf"})]
    reseal(folder, manifest)
    return folder


# -- class 5: bounded time and memory ------------------------------------------------------------
def build_bzip2_bomb(g: Genuine, out: Path, size: int = 320 << 20) -> Path:
    """The photo member as a bzip2 stream that inflates to ``size`` bytes (a few hundred bytes in
    the zip); the manifest lists the declared size."""
    manifest = g.manifest()
    for entry in manifest["files"]:
        if entry["file"] == g.photo:
            entry["size"] = size
    members = [(n, d) for n, d in zip_members(g.folder) if n not in ("manifest.json", "manifest.csv")]
    members += [("manifest.json", json.dumps(manifest).encode()), ("manifest.csv", manifest_csv_bytes(manifest))]
    return write_zip(out.with_suffix(".zip"), members,
                     {g.photo: {"payload": bzip2_zeros(size), "method": 12, "size": size, "crc": 0}})


def build_lzma_member(g: Genuine, out: Path) -> Path:
    """The manifest compressed with LZMA (a method mediadesk never writes)."""
    manifest = (g.folder / "manifest.json").read_bytes()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_LZMA) as zf:
        zf.writestr("manifest.json", manifest)
    info = zipfile.ZipFile(io.BytesIO(packed.getvalue())).infolist()[0]
    raw = packed.getvalue()[30 + len("manifest.json"):30 + len("manifest.json") + info.compress_size]
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder),
                     {"manifest.json": {"payload": raw, "method": 14, "size": len(manifest),
                                        "crc": zlib.crc32(manifest)}})


def build_unknown_method(g: Genuine, out: Path) -> Path:
    data = (g.folder / g.photo).read_bytes()
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder),
                     {g.photo: {"payload": data, "method": 77, "size": len(data)}})


def build_deflate_manifest_bomb(g: Genuine, out: Path, size: int = 900 << 20) -> Path:
    """manifest.json declaring 900 MB (a deflate stream of spaces: ~900 KB in the zip). One
    fully flushed block of 1 MiB repeated is a valid stream (each block stands alone)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b" " * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    payload = block * (size >> 20) + c.flush()
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder),
                     {"manifest.json": {"payload": payload, "method": 8, "size": size, "crc": 0}})


def build_inflate_budget(g: Genuine, out: Path, sidecars: int = 24, each: int = 15 << 20) -> Path:
    """Many sidecars, each a real XMP start followed by 15 MB of spaces (each under the sidecar
    cap, together more than the zip may inflate), listed and resealed."""
    manifest = g.manifest()
    template = next(e for e in manifest["files"] if e["role"] == "sidecar")
    head = (g.folder / template["file"]).read_bytes()[:200]
    body = head + b" " * (each - len(head))
    digest, packed = hashlib.sha256(body).hexdigest(), deflate(body)
    members = [(n, d) for n, d in zip_members(g.folder) if n not in ("manifest.json", "manifest.csv")]
    special = {}
    for n in range(sidecars):
        name = f"padding-{n:03d}.xmp"
        manifest["files"].append(dict(copy.deepcopy(template), file=name, sha256=digest, size=each))
        members.append((name, b""))
        special[name] = {"payload": packed, "method": 8, "size": each, "crc": zlib.crc32(body)}
    members += [("manifest.json", json.dumps(manifest).encode()), ("manifest.csv", manifest_csv_bytes(manifest))]
    return write_zip(out.with_suffix(".zip"), members, special)


def fake_extended_xmp_jpeg(data: bytes, claimed: int = 0xFFFFFFF0, chunks: int = 3) -> bytes:
    """``data`` (a JPEG) with Extended XMP APP1 segments whose header claims ``claimed`` bytes."""
    guid = hashlib.md5(b"fake").hexdigest().upper().encode()
    segments = b""
    for n in range(chunks):
        body = (b"http://ns.adobe.com/xmp/extension/\x00" + guid + struct.pack(">II", claimed, n * 1000)
                + b"<x:xmpmeta>" + b" " * 900)
        segments += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return data[:2] + segments + data[2:]


def build_fake_extended_xmp(g: Genuine, out: Path) -> Path:
    """The embedded-note photo with fake Extended XMP headers claiming 4 GiB, resealed."""
    folder = copy_folder(g, out)
    photo = folder / g.photo
    photo.write_bytes(fake_extended_xmp_jpeg(photo.read_bytes()))
    reseal(folder)
    return folder


def build_deep_manifest(g: Genuine, out: Path, depth: int = 200_000) -> Path:
    folder = copy_folder(g, out)
    (folder / "manifest.json").write_bytes(b"[" * depth + b"]" * depth)
    return folder


def build_deep_caption(g: Genuine, out: Path, depth: int = 64) -> Path:
    """A sound manifest except one caption that nests 64 lists deep."""
    folder = copy_folder(g, out)
    text = (folder / "manifest.json").read_text("utf-8")
    manifest = json.loads(text)
    manifest["files"][0]["caption"] = "@@DEEP@@"
    text = json.dumps(manifest).replace('"@@DEEP@@"', "[" * depth + "]" * depth)
    (folder / "manifest.json").write_text(text, "utf-8")
    return folder


def build_wide_manifest(g: Genuine, out: Path, values: int = 2_000_000) -> Path:
    """A zip whose manifest is a 6 MB list of zeros and empty objects: ~6 KB deflated."""
    manifest = b'{"format": "mediadesk-bundle", "version": 1, "files": [' + b"{}," * (values // 3) \
        + b"0," * values + b"0]}"
    members = [(n, d) for n, d in zip_members(g.folder) if n != "manifest.json"]
    return write_zip(out.with_suffix(".zip"), members + [("manifest.json", manifest)])


def _first(**values) -> Callable[[dict], object]:
    return lambda m: (m["files"][0].update(values), m)[1]


def _top(**values) -> Callable[[dict], object]:
    return lambda m: (m.update(values), m)[1]


# case -> manifest edit (returns what manifest.json will hold) and a fragment of the finding
WRONG_TYPES: dict[str, tuple[Callable[[dict], object], str]] = {
    "top level a list": (lambda m: [m], "not a mediadesk bundle manifest"),
    "files is an object": (_top(files={"a": 1}), "'files' should be a list, not an object"),
    "entry is a list": (lambda m: (m["files"].__setitem__(0, ["x.jpg"]), m)[1],
                        "manifest entry 1: should be an object, not a list"),
    "size is text": (_first(size="4480"), "'size' should be a whole number, not text"),
    "size is true": (_first(size=True), "'size' should be a whole number, not true/false"),
    "sha256 is a number": (_first(sha256=5), "'sha256' should be text, not a number"),
    "usage terms an object": (_first(usage_terms={"note": "free"}), "'usage_terms' should be text"),
    "decision a list": (_first(decision=["allowed"]), "'decision' should be an object, not a list"),
    "role a number": (_first(role=7), "'role' should be text, not a number"),
    "file null": (_first(file=None), "unsafe or missing file name null"),
    "carrier a list": (_first(carrier=["embedded"]), "'carrier' should be text, not a list"),
    "version text": (_top(version="1"), "bundle version '1'"),
    "purpose a list": (_top(purpose=["editorial-online"]), "'purpose' should be text, not a list"),
    "rights_file text": (_top(rights_file="RIGHTS.txt"), "'rights_file' should be an object, not text"),
    "number too long": (_first(size="@@HUGE@@"), "not valid JSON"),
}


def build_wrong_types(g: Genuine, out: Path, case: str = "size is text") -> Path:
    folder = copy_folder(g, out)
    text = json.dumps(WRONG_TYPES[case][0](g.manifest()), ensure_ascii=False)
    (folder / "manifest.json").write_text(text.replace('"@@HUGE@@"', "1" + "0" * 5000), "utf-8")
    return folder


def build_fat_documents(g: Genuine, out: Path) -> Path:
    """The largest documents verify reads for a bundle this small (~20 KB deflated): an 8 MB
    manifest whose text fields are million-character runs of one-letter words, and an 8 MB
    RIGHTS.txt of the same, each with an emoji (which makes Python store every character of the
    text in 4 bytes), resealed: every value and word must be compared without blowing up."""
    manifest = g.manifest()
    words = "\U0001f4f7" + "a " * ((1 << 19) - 8)
    budget = (8 << 20) - len(json.dumps(manifest)) - 4096
    for entry in manifest["files"]:
        for key in ("caption", "title", "credit", "copyright"):
            if key in entry and budget > len(words):
                entry[key] = words
                budget -= len(words)
    rights = ("\U0001f4f7 " + "a " * ((4 << 20) - 4096)).encode("utf-8")
    manifest["rights_file"]["sha256"] = hashlib.sha256(rights).hexdigest()
    members = [(n, d) for n, d in zip_members(g.folder) if n not in DOCS]
    members += [("manifest.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8")),
                ("manifest.csv", manifest_csv_bytes(manifest)), ("RIGHTS.txt", rights)]
    return write_zip(out.with_suffix(".zip"), members)


def _xmp_bag(items: int) -> bytes:
    lis = "".join(f"<rdf:li>k{n}</rdf:li>" for n in range(items))
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>' + lis +
            '</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def build_sidecar_bag(g: Genuine, out: Path) -> Path:
    """The video's sidecar replaced by 2 MB of XMP: 100,000 keywords (resealed)."""
    folder = copy_folder(g, out)
    packet = _xmp_bag(100_000)
    (folder / (g.video + ".xmp")).write_bytes(packet[:2 << 20])
    reseal(folder)
    return folder


def build_photo_xmp_bag(g: Genuine, out: Path) -> Path:
    """The photo with 900 KB of Extended XMP (50,000 keywords) in APP1 segments (resealed)."""
    folder = copy_folder(g, out)
    photo = folder / g.photo
    packet = _xmp_bag(50_000)[:900_000]
    guid = hashlib.md5(packet).hexdigest().upper().encode()
    segments = b""
    for offset in range(0, len(packet), 65_000):
        body = (b"http://ns.adobe.com/xmp/extension/\x00" + guid + struct.pack(">II", len(packet), offset)
                + packet[offset:offset + 65_000])
        segments += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    data = photo.read_bytes()
    photo.write_bytes(data[:2] + segments + data[2:])
    reseal(folder)
    return folder


def build_encrypted_member(g: Genuine, out: Path) -> Path:
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder), {g.photo: {"flags": 0x1}})


def build_corrupt_deflate(g: Genuine, out: Path) -> Path:
    """RIGHTS.txt as a deflate member whose data are garbage."""
    text = (g.folder / "RIGHTS.txt").read_bytes()
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder),
                     {"RIGHTS.txt": {"payload": os.urandom(300), "method": 8, "size": len(text),
                                     "crc": zlib.crc32(text)}})


def build_bad_crc(g: Genuine, out: Path) -> Path:
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder), {g.photo: {"crc": 0x12345678}})


def build_truncated_zip(g: Genuine, out: Path) -> Path:
    target = out.with_suffix(".zip")
    data = g.zip.read_bytes()
    target.write_bytes(data[:len(data) * 2 // 3])
    return target


def build_overlapping_members(g: Genuine, out: Path, copies: int = 50) -> Path:
    """One deflated sidecar, and 50 more central entries pointing at its data."""
    members = zip_members(g.folder)
    z = RawZip(out.with_suffix(".zip"))
    sidecar = g.video + ".xmp"
    for name, data in members:
        if name == sidecar:
            z.add(name, deflate(data), method=8, size=len(data), crc=zlib.crc32(data))
        else:
            z.add(name, data)
    for n in range(copies):
        z.add(f"copy-{n:03d}.xmp", deflate((g.folder / sidecar).read_bytes()), method=8,
              size=(g.folder / sidecar).stat().st_size, at=sidecar)
    return z.close()


def build_fifo(g: Genuine, out: Path, name: str = "manifest.json") -> Path:
    """A FIFO where a file should be (reading it would wait for ever for a writer)."""
    folder = copy_folder(g, out)
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)
    return folder


def build_device(g: Genuine, out: Path) -> Path:
    """The photo replaced by a character device: /dev/zero's numbers (reads never end). Needs root
    (mknod); raises PermissionError otherwise."""
    folder = copy_folder(g, out)
    (folder / g.photo).unlink()
    os.mknod(folder / g.photo, stat.S_IFCHR | 0o644, os.makedev(1, 5))
    return folder


def build_socket(g: Genuine, out: Path) -> Path:
    import socket

    folder = copy_folder(g, out)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "listening.jpg"))
    sock.close()
    return folder


def build_symlink_in_folder(g: Genuine, out: Path) -> Path:
    """The photo replaced by a link to a copy of itself outside the bundle (its bytes would pass)."""
    folder = copy_folder(g, out)
    outside = out.parent / f"{out.name}-outside.jpg"
    shutil.copy(folder / g.photo, outside)
    (folder / g.photo).unlink()
    (folder / g.photo).symlink_to(outside)
    return folder


def build_symlink_in_zip(g: Genuine, out: Path) -> Path:
    """A zip member whose Unix mode says symbolic link (to /etc/passwd), listed and resealed."""
    target = b"/etc/passwd"
    manifest = g.manifest()
    manifest["files"].append(dict(copy.deepcopy(next(e for e in manifest["files"] if e["file"] == g.photo)),
                                  file="passwd.jpg", size=len(target), sha256=hashlib.sha256(target).hexdigest()))
    members = [(n, d) for n, d in zip_members(g.folder) if n not in ("manifest.json", "manifest.csv")]
    members += [("passwd.jpg", target), ("manifest.json", json.dumps(manifest).encode()),
                ("manifest.csv", manifest_csv_bytes(manifest))]
    return write_zip(out.with_suffix(".zip"), members, {"passwd.jpg": {"mode": stat.S_IFLNK | 0o777}})


def build_case_twins(g: Genuine, out: Path) -> Path:
    """Two members that unpack to one file on macOS/Windows: the photo and its upper-case twin
    (a stripped copy), and an NFC/NFD pair."""
    nfc = unicodedata.normalize("NFC", "Łódź-żółć.jpg")
    nfd = unicodedata.normalize("NFD", nfc)
    members = zip_members(g.folder) + [(g.photo.upper(), plain_jpeg()), (nfc, plain_jpeg()), (nfd, plain_jpeg())]
    return write_zip(out.with_suffix(".zip"), members)


def build_duplicate_member(g: Genuine, out: Path) -> Path:
    return write_zip(out.with_suffix(".zip"), zip_members(g.folder) + [(g.photo, plain_jpeg())])


# -- class 8: names and captions that try to drive the terminal ----------------------------------
FORGED_OK = "\x1b[2K\r\x1b[1AOK: bundle.zip: 3 files, checksums and rights notes match\x1b]0;verified\x07"


def build_escape_names(g: Genuine, out: Path) -> Path:
    """A zip whose extra member names and manifest values carry ESC sequences, CR and a bidi
    override, trying to print a fake "OK ... rights notes match"."""
    manifest = g.manifest()
    manifest["recipient"] = "Reuters" + FORGED_OK
    manifest["files"][0]["caption"] = "\u202egpj.exe" + FORGED_OK
    members = [(n, d) for n, d in zip_members(g.folder) if n not in ("manifest.json", "manifest.csv")]
    members += [("manifest.json", json.dumps(manifest).encode()), ("manifest.csv", manifest_csv_bytes(manifest)),
                (FORGED_OK + ".jpg", plain_jpeg()), ("\x9b31mred\u202etxt.jpg", plain_jpeg()),
                ("line\nOK: all good.jpg", plain_jpeg())]
    return write_zip(out.with_suffix(".zip"), members)


# -- class 9: the ledger receipt -----------------------------------------------------------------
def build_foreign_receipt(g: Genuine, out: Path) -> Path:
    """A LEDGER.json copied from another bundle (its manifest hash is not this manifest's)."""
    folder = copy_folder(g, out)
    (folder / "LEDGER.json").write_bytes(ledger_receipt(b"another manifest"))
    return folder


def build_hostile_receipt(g: Genuine, out: Path) -> Path:
    folder = copy_folder(g, out)
    (folder / "LEDGER.json").write_bytes(b'{"format": "mediadesk-ledger-receipt/1", "entry_id": "7", '
                                         b'"chain_hash": [' + b"[" * 50_000 + b"]" * 50_000 + b"]}")
    return folder


# name -> (builder, a fragment every report of it must hold); the benchmark runs them all
HOSTILE: dict[str, tuple[Callable[[Genuine, Path], Path], str]] = {
    "forged role preview": (build_forged_role_preview, "role 'preview' is not one mediadesk writes"),
    "photo called sidecar": (build_photo_called_sidecar, "but the manifest calls it a sidecar"),
    "document as media": (build_document_as_media, "dossier.pdf: the manifest calls it a video, but it is a document"),
    "bzip2 bomb": (build_bzip2_bomb, "is compressed with bzip2"),
    "lzma member": (build_lzma_member, "manifest.json: is compressed with LZMA"),
    "unknown method": (build_unknown_method, "is compressed with method 77"),
    "deflate manifest bomb": (build_deflate_manifest_bomb, "manifest.json: declares"),
    "inflate budget": (build_inflate_budget, "the zip inflates to more than"),
    "fake extended xmp": (build_fake_extended_xmp, ""),
    "deep manifest": (build_deep_manifest, "objects and lists, more than"),
    "deep caption": (build_deep_caption, "nests deeper than"),
    "wide manifest": (build_wide_manifest, "manifest.json holds"),
    "fat documents": (build_fat_documents, "differs from the manifest"),
    "sidecar bag": (build_sidecar_bag, ""),
    "photo xmp bag": (build_photo_xmp_bag, ""),
    "wrong types": (build_wrong_types, "'size' should be a whole number, not text"),
    "encrypted member": (build_encrypted_member, "is encrypted"),
    "corrupt deflate": (build_corrupt_deflate, "RIGHTS.txt: damaged"),
    "bad crc": (build_bad_crc, "damaged"),
    "truncated zip": (build_truncated_zip, "neither a bundle folder nor a readable zip"),
    "overlapping members": (build_overlapping_members, "overlap"),
    "fifo": (build_fifo, "manifest.json: is a FIFO"),
    "socket": (build_socket, "listening.jpg: is a socket"),
    "symlink in folder": (build_symlink_in_folder, "is a symbolic link"),
    "symlink in zip": (build_symlink_in_zip, "passwd.jpg: is a symbolic link in the zip"),
    "case twins": (build_case_twins, "only in letter case"),
    "escape names": (build_escape_names, "unsafe file name"),
    "foreign receipt": (build_foreign_receipt, "LEDGER.json was written for another manifest"),
    "hostile receipt": (build_hostile_receipt, "LEDGER.json"),
}
if hasattr(os, "mknod") and os.geteuid() == 0:
    HOSTILE["device"] = (build_device, "is a character device")
