"""Files as other tools write them, built byte by byte for the metadata-fidelity tests: JPEGs with
a raw XMP packet and a raw IIM record (no character set declared), MP4s with old-style QuickTime
user-data text, header-only Matroska files, and C2PA-signed JPEGs (c2pa-python, with a test
certificate made here)."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
from pathlib import Path

from PIL import Image

from mediadesk.media.bmff import boxes

XMP_NS = b"http://ns.adobe.com/xap/1.0/\x00"
PACKET_HEAD = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
               '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
               'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
               '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
               'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
               'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">')
PACKET_TAIL = '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'


def lang_alt(tag: str, text: str) -> str:
    return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></{tag}>'


def packet(body: str) -> bytes:
    return (PACKET_HEAD + body + PACKET_TAIL).encode("utf-8")


def plain_jpeg(color=(30, 90, 160), size=(48, 32)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def segment(marker: int, payload: bytes) -> bytes:
    assert len(payload) + 2 <= 0xFFFF
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def iim_record(datasets: list[tuple[int, int, bytes]]) -> bytes:
    return b"".join(b"\x1c" + bytes([rec, ds]) + struct.pack(">H", len(v)) + v for rec, ds, v in datasets)


def app13(record: bytes) -> bytes:
    irb = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record)) + record
    if len(record) & 1:
        irb += b"\x00"
    return segment(0xED, b"Photoshop 3.0\x00" + irb)


def jpeg_with(*, xmp: bytes | None = None, iim: bytes | None = None, exif: bytes | None = None) -> bytes:
    """A JPEG with the given raw XMP packet, IIM record and Exif (TIFF bytes) inserted as is."""
    base = plain_jpeg()
    segs = b""
    if exif is not None:
        segs += segment(0xE1, b"Exif\x00\x00" + exif)
    if xmp is not None:
        segs += segment(0xE1, XMP_NS + xmp)
    if iim is not None:
        segs += app13(iim)
    return base[:2] + segs + base[2:]


def exif_tiff(**tags: str) -> bytes:
    """A TIFF-structured Exif block (Pillow) with IFD0 text and Exif-IFD date tags."""
    ex = Image.Exif()
    names = {"artist": 0x013B, "copyright": 0x8298, "description": 0x010E}
    for name, value in tags.items():
        if name in names:
            ex[names[name]] = value
    sub = {}
    if "date" in tags:
        sub[0x9003] = tags["date"]
    if "offset" in tags:
        sub[0x9011] = tags["offset"]
    if sub:
        ex[0x8769] = sub
    return ex.tobytes()[6:]  # without "Exif\0\0"


# -- QuickTime user data ---------------------------------------------------------------------
def udta_atom(tag: bytes, raw: bytes, lang: int = 0x55C4) -> bytes:
    body = struct.pack(">HH", len(raw), lang) + raw
    return struct.pack(">I4s", 8 + len(body), tag) + body


def mp4_with_udta(plain_mp4: bytes, atoms: list[bytes]) -> bytes:
    """``plain_mp4`` with a moov/udta holding ``atoms`` appended inside moov (moov must be the
    last box, as PyAV writes it, so no chunk offset moves)."""
    top = list(boxes(plain_mp4, 0, len(plain_mp4)))
    kind, h, s, e = top[-1]
    assert kind == b"moov"
    body = b"".join(atoms)
    udta = struct.pack(">I4s", 8 + len(body), b"udta") + body
    return plain_mp4[:h] + struct.pack(">I4s", e - h + len(udta), b"moov") + plain_mp4[s:e] + udta


# -- Matroska ---------------------------------------------------------------------------------
def _ebml_id(eid: int) -> bytes:
    return eid.to_bytes((eid.bit_length() + 7) // 8, "big")


def _size(n: int) -> bytes:
    for length in range(1, 9):
        if n < (1 << (7 * length)) - 1:  # all ones would mean "unknown size"
            return (n | (1 << (7 * length))).to_bytes(length, "big")
    raise ValueError(n)


def el(eid: int, body: bytes) -> bytes:
    return _ebml_id(eid) + _size(len(body)) + body


def header_only_mkv(*, title: str, date_recorded: str, artist: str, seconds: float,
                    date_utc: dt.datetime, with_tracks: bool = False) -> bytes:
    """An EBML header and a Segment with Info (whose last element claims more bytes than the
    Info holds: FFmpeg refuses the file, "exceeds containing master element") and Tags; with
    ``with_tracks`` also Tracks and a Cluster whose size runs far past the end of the file
    (FFmpeg then recovers and opens it)."""
    ebml = el(0x1A45DFA3, el(0x4282, b"matroska") + el(0x4287, b"\x04") + el(0x4285, b"\x02"))
    ns = int((date_utc - dt.datetime(2001, 1, 1, tzinfo=dt.UTC)).total_seconds() * 1e9)
    info = el(0x1549A966, el(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
              + el(0x4489, struct.pack(">d", seconds * 1000)) + el(0x4461, struct.pack(">q", ns))
              + el(0x7BA9, title.encode()) + el(0x4D80, b"test")
              # WritingApp claims 100,000 bytes, far more than its Info holds (a damaged copy)
              + _ebml_id(0x5741) + (0x01 << 56 | 100_000).to_bytes(8, "big") + b"test")
    video = el(0xE0, el(0xB0, (640).to_bytes(2, "big")) + el(0xBA, (360).to_bytes(2, "big")))
    tracks = el(0x1654AE6B, el(0xAE, el(0xD7, b"\x01") + el(0x73C5, b"\x01\x02\x03\x04")
                               + el(0x83, b"\x01") + el(0x86, b"V_MPEG4/ISO/AVC")
                               + el(0x23E383, (40_000_000).to_bytes(4, "big")) + video))

    def simple(name: str, value: str) -> bytes:
        return el(0x67C8, el(0x45A3, name.encode()) + el(0x4487, value.encode()))

    tags = el(0x1254C367, el(0x7373, el(0x63C0, el(0x68CA, b"\x32"))
                             + simple("DATE_RECORDED", date_recorded) + simple("ARTIST", artist)))
    cluster = _ebml_id(0x1F43B675) + (0x01 << 56 | 0x00FFFFFFFFFFFF).to_bytes(8, "big") + b"\xe7\x81\x00"
    segment_body = info + tags + (tracks + cluster if with_tracks else b"")
    return ebml + _ebml_id(0x18538067) + (0x01 << 56 | len(segment_body)).to_bytes(8, "big") + segment_body


# -- C2PA ------------------------------------------------------------------------------------
def sign_jpeg(src: bytes, signer_name: str = "NATO Photo Desk") -> bytes:
    """``src`` signed with a C2PA manifest by a test certificate chain made on the spot."""
    import c2pa
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mediadesk test root")])
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, signer_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mediadesk tests")])

    def usage(ca: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                             crl_sign=ca, encipher_only=False, decipher_only=False)

    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(usage(True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, pem, None))
    manifest = {"claim_generator_info": [{"name": "mediadesk-tests", "version": "1"}],
                "title": "signed.jpg",
                "assertions": [{"label": "c2pa.actions", "data": {"actions": [
                    {"action": "c2pa.created", "digitalSourceType":
                     "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"}]}}]}
    out = io.BytesIO()
    c2pa.Builder(json.dumps(manifest)).sign(signer, "image/jpeg", io.BytesIO(src), out)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
