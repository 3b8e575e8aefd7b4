"""Chapters as XMP Dynamic Media markers: ``xmpDM:Tracks`` holding a track of type ``Chapter``
whose ``xmpDM:markers`` are the chapters (start and duration in milliseconds, frame rate
``f1000``), as Adobe Premiere and Bridge write and exiftool reads them.

exiv2 (pyexiv2) reads such structures but cannot create an array of structs, so the track is put
into a packet as text: an existing ``xmpDM:Tracks`` keeps every track that is not a chapter track
(markers of an editor's own, cue points) and the chapter track is replaced; a packet without one
gets it in its first ``rdf:Description``. The packet is parsed again afterwards (defusedxml), so
what is written is well-formed XMP.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from mediadesk.domain.timed_text import Chapter

XMPDM = "http://ns.adobe.com/xmp/1.0/DynamicMedia/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CHAPTER_TRACK_NAME = "Chapters"
_TRACKS = re.compile(r"<xmpDM:Tracks\b[^>]*?(?:/>|>.*?</xmpDM:Tracks>)", re.DOTALL)
_DESCRIPTION = re.compile(r"<rdf:Description\b[^>]*?(/?)>", re.DOTALL)
_WRAP = f'<w xmlns:xmpDM="{XMPDM}" xmlns:rdf="{RDF}">{{}}</w>'


def _ms(seconds: float) -> int:
    return max(0, int(round(seconds * 1000)))


def chapter_track_li(chapters: list[Chapter]) -> str:
    """The ``rdf:li`` of a chapter track (chapters closed: see timed_text.close_chapters)."""
    markers = []
    for ch in chapters:
        duration = f"<xmpDM:duration>{_ms(ch.end - ch.start)}</xmpDM:duration>" if ch.end is not None else ""
        markers.append(
            '<rdf:li rdf:parseType="Resource">'
            f"<xmpDM:startTime>{_ms(ch.start)}</xmpDM:startTime>{duration}"
            f"<xmpDM:name>{escape(' '.join(ch.title.split()))}</xmpDM:name>"
            "<xmpDM:type>Chapter</xmpDM:type></rdf:li>")
    return ('<rdf:li rdf:parseType="Resource">'
            f"<xmpDM:trackName>{CHAPTER_TRACK_NAME}</xmpDM:trackName>"
            "<xmpDM:trackType>Chapter</xmpDM:trackType><xmpDM:frameRate>f1000</xmpDM:frameRate>"
            f"<xmpDM:markers><rdf:Seq>{''.join(markers)}</rdf:Seq></xmpDM:markers></rdf:li>")


def _is_chapter_track(li: ET.Element) -> bool:
    kind = li.findtext(f"{{{XMPDM}}}trackType") or li.get(f"{{{XMPDM}}}trackType") or ""
    name = li.findtext(f"{{{XMPDM}}}trackName") or li.get(f"{{{XMPDM}}}trackName") or ""
    return kind.strip().lower() == "chapter" or name.strip() == CHAPTER_TRACK_NAME


def _other_tracks(tracks_xml: str) -> list[str]:
    """The ``rdf:li`` of every track in an ``xmpDM:Tracks`` element that is not a chapter track."""
    ET.register_namespace("xmpDM", XMPDM)
    ET.register_namespace("rdf", RDF)
    try:
        root = fromstring(_WRAP.format(tracks_xml), forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise ValueError("the existing xmpDM:Tracks is not well-formed XML") from None
    kept = []
    for bag in root.iter(f"{{{RDF}}}Bag"):
        for li in bag.findall(f"{{{RDF}}}li"):
            if not _is_chapter_track(li):
                text = ET.tostring(li, encoding="unicode")
                # tostring repeats the namespace declarations on the element: harmless, but the
                # packet already declares them where the track goes
                kept.append(text)
        break
    return kept


def with_chapter_track(packet: str, chapters: list[Chapter]) -> str:
    """``packet`` (an XMP packet's text) with its chapter track replaced by ``chapters`` (removed
    when the list is empty); every other track and property kept. Raises ValueError when the
    packet has no ``rdf:Description`` or its tracks cannot be parsed."""
    found = _TRACKS.search(packet)
    others = _other_tracks(found.group(0)) if found else []
    items = others + ([chapter_track_li(chapters)] if chapters else [])
    element = (f'<xmpDM:Tracks xmlns:xmpDM="{XMPDM}"><rdf:Bag>{"".join(items)}</rdf:Bag></xmpDM:Tracks>'
               if items else "")
    if found:
        result = packet[:found.start()] + element + packet[found.end():]
    else:
        if not element:
            return packet
        desc = _DESCRIPTION.search(packet)
        if desc is None:
            raise ValueError("the packet has no rdf:Description to hold the chapters")
        if desc.group(1):   # <rdf:Description .../>
            opening = desc.group(0)[:-2].rstrip() + ">"
            result = packet[:desc.start()] + opening + element + "</rdf:Description>" + packet[desc.end():]
        else:
            result = packet[:desc.end()] + element + packet[desc.end():]
    _check(result)
    return result


def _check(packet: str) -> None:
    start = packet.find("<x:xmpmeta")
    end = packet.rfind("</x:xmpmeta>")
    body = packet[start:end + len("</x:xmpmeta>")] if start >= 0 and end > start else packet
    try:
        fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ValueError(f"the chapters would make the packet malformed ({exc})") from None


def chapters_from_packet(packet: str) -> list[Chapter]:
    """The chapters of a packet's chapter track (what ``with_chapter_track`` wrote, or Premiere)."""
    found = _TRACKS.search(packet)
    if not found:
        return []
    try:
        root = fromstring(_WRAP.format(found.group(0)), forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        return []
    chapters: list[Chapter] = []
    for li in root.iter(f"{{{RDF}}}li"):
        if not _is_chapter_track(li) or li.find(f"{{{XMPDM}}}markers") is None:
            continue
        rate = (li.findtext(f"{{{XMPDM}}}frameRate") or "f1000").strip()
        per_second = _frames_per_second(rate)
        for marker in li.iter(f"{{{RDF}}}li"):
            start = marker.findtext(f"{{{XMPDM}}}startTime")
            name = marker.findtext(f"{{{XMPDM}}}name")
            if start is None or not name or not start.strip().isdigit():
                continue
            begin = int(start) / per_second
            duration = marker.findtext(f"{{{XMPDM}}}duration")
            end = begin + int(duration) / per_second if duration and duration.strip().isdigit() else None
            chapters.append(Chapter(begin, end, " ".join(name.split())))
        break
    return sorted(chapters, key=lambda c: c.start)


def _frames_per_second(rate: str) -> float:
    """``f1000`` -> 1000, ``f30000s1001`` -> 29.97; 1000 when unreadable."""
    m = re.fullmatch(r"f(\d+)(?:s(\d+))?", rate)
    if not m:
        return 1000.0
    value = int(m.group(1)) / int(m.group(2) or 1)
    return value if value > 0 else 1000.0
