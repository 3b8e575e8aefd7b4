"""Embedding XMP in an MP4/MOV copy without moving a single media byte.

A top-level ``uuid`` box with the XMP UUID is where Adobe's XMP specification (part 3) puts XMP
in ISO BMFF and QuickTime files, and where exiftool, Adobe Bridge and our own reader look.
Chunk offsets (``stco``/``co64``) are absolute file positions, so *appending* a box after the
last one leaves every sample where it was; a file whose last box runs "to the end of the file"
(size 0) would swallow the new box, so such files are refused (they keep their sidecar).

XMP the file already has (a top-level XMP ``uuid`` box, or ``moov/udta/XMP_``) is merged into
the new packet, so other applications' properties survive, and the old boxes are renamed
``free`` in place: same size, same position, ignored by every reader. Nothing is re-muxed.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .bmff import CONTAINERS, MAX_MOOV, MAX_XMP, XMP_UUID, boxes
from .formats.base import Carrier
from .formats.registry import carrier_for

_MAX_TOP_BOXES = 10_000


@dataclass
class XmpEmbedPlan:
    """What embedding into a copy of one file takes: where old XMP boxes' type fields are
    (file offsets to overwrite with ``free``) and the old packet to merge, or why it is unsafe."""

    safe: bool
    reason: str = ""
    retype_at: list[int] = field(default_factory=list)
    old_packet: bytes | None = None


def _top_boxes(fh: BinaryIO, file_size: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, start, header size, box size) of each top-level box; raises ValueError when the
    structure cannot be trusted for appending."""
    pos = 0
    for _ in range(_MAX_TOP_BOXES):
        if pos == file_size:
            return
        if pos + 8 > file_size:
            raise ValueError("the file ends inside a box header")
        fh.seek(pos)
        head = fh.read(16)
        size, kind = struct.unpack(">I4s", head[:8])
        header = 8
        if size == 1:
            if len(head) < 16:
                raise ValueError("the file ends inside a box header")
            (size,) = struct.unpack(">Q", head[8:16])
            header = 16
        elif size == 0:
            raise ValueError(f"the last box ({kind.decode('latin-1')!r}) runs to the end of the file, "
                             "so nothing can be appended after it")
        if size < header or pos + size > file_size:
            raise ValueError(f"box {kind.decode('latin-1')!r} at byte {pos} is larger than the file "
                             "(truncated or damaged)")
        yield kind, pos, header, size
        pos += size
    raise ValueError(f"more than {_MAX_TOP_BOXES} top-level boxes")


def _moov_xmp(moov: bytes, base: int, plan: XmpEmbedPlan) -> None:
    """Find XMP boxes inside ``moov`` (udta/XMP_ and XMP uuid boxes) and note them."""
    def visit(start: int, end: int, depth: int, path: tuple[bytes, ...]) -> None:
        if depth > 8:
            return
        for kind, head, body, box_end in boxes(moov, start, end):
            is_xmp = (kind == b"XMP_" and b"udta" in path) or \
                     (kind == b"uuid" and moov[body:body + 16] == XMP_UUID)
            if is_xmp:
                plan.retype_at.append(base + head + 4)
                if plan.old_packet is None:
                    plan.old_packet = moov[body + (16 if kind == b"uuid" else 0):box_end]
            elif kind in CONTAINERS:
                inner = body + 4 if kind == b"meta" and moov[body:body + 4] == b"\x00\x00\x00\x00" else body
                visit(inner, box_end, depth + 1, path + (kind,))

    visit(0, len(moov), 0, ())


def plan_xmp_embed(fh: BinaryIO, file_size: int, fmt: str) -> XmpEmbedPlan:
    """Can XMP be appended to a copy of this file, and which old XMP boxes must be retired?"""
    if carrier_for(fmt) is not Carrier.BOX_AND_SIDECAR:   # the format family decides
        return XmpEmbedPlan(False, f"{fmt or 'this format'} files carry their metadata in a sidecar")
    plan = XmpEmbedPlan(True)
    seen_moov = False
    try:
        for kind, start, header, size in _top_boxes(fh, file_size):
            if kind == b"uuid" and size - header >= 16:
                fh.seek(start + header)
                if fh.read(16) == XMP_UUID:
                    plan.retype_at.append(start + 4)
                    if plan.old_packet is None and size - header - 16 <= MAX_XMP:
                        plan.old_packet = fh.read(size - header - 16)
            elif kind == b"moov":
                seen_moov = True
                if size - header > MAX_MOOV:
                    raise ValueError("its movie header is over 64 MiB")
                fh.seek(start + header)
                _moov_xmp(fh.read(size - header), start + header, plan)
    except ValueError as exc:
        return XmpEmbedPlan(False, str(exc))
    if not seen_moov:
        return XmpEmbedPlan(False, "no movie header (moov) box: not a complete MP4/MOV file")
    return plan


def xmp_box(packet: bytes) -> bytes:
    """A top-level ``uuid`` box holding the XMP packet."""
    size = 8 + 16 + len(packet)
    if size >= 2**32:
        return struct.pack(">I4sQ", 1, b"uuid", size + 8) + XMP_UUID + packet
    return struct.pack(">I4s", size, b"uuid") + XMP_UUID + packet


def retype_free(block: bytes, offset: int, positions: Iterable[int]) -> bytes:
    """``block`` (the file's bytes from ``offset``) with every 4-byte box type at ``positions``
    that falls in it, even in part, overwritten with ``free``."""
    end = offset + len(block)
    hits = [p for p in positions if p < end and p + 4 > offset]
    if not hits:
        return block
    out = bytearray(block)
    for p in hits:
        for i, byte in enumerate(b"free"):
            if offset <= p + i < end:
                out[p + i - offset] = byte
    return bytes(out)
