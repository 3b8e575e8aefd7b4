"""Reading what can be read from an XMP packet that exiv2 rejects or silently drops.

exiv2 gives back nothing at all (no error) for a packet with one control-character reference
(``&#x1;``, not allowed in XML 1.0), one invalid UTF-8 byte, or nesting deeper than its parser
takes; exiftool reads such packets. Dropping the whole packet would drop the usage terms with
it, so a packet that yields nothing is read again in two steps:

1. **Sanitised**: control-character references and raw control characters are removed and
   invalid UTF-8 bytes are read as Windows-1252 (what a Latin-1 writer meant), then exiv2
   parses the result.
2. **Tolerant extraction**: when that still yields nothing (deep nesting, broken structure),
   the simple properties mediadesk catalogues (XMP_KEYS: caption, title, creator, keywords,
   places, and always the rights-bearing ``xmpRights:UsageTerms``, ``dc:rights`` and
   ``photoshop:Instructions``) are found by their qualified names with bounded regular
   expressions and built in the shape exiv2 would have returned.

Every recovery is reported as a warning (what was done, what was left unread).
"""

from __future__ import annotations

import codecs
import html
import re

from .xmp_keys import XMP_KEYS

MAX_RECOVER_BYTES = 16 * 1024 * 1024
MAX_EXTRACT_CHARS = 4 * 1024 * 1024   # the tolerant search looks at the first 4 M characters

# exiv2 prefix -> namespace URI, for the prefixes used in XMP_KEYS
NAMESPACES: dict[str, str] = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "iptc": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "iptcExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
}
RIGHTS_KEYS = ("Xmp.xmpRights.UsageTerms", "Xmp.dc.rights", "Xmp.photoshop.Instructions")

_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XMLNS = re.compile(r"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']""")
_LANG = re.compile(r"""xml:lang\s*=\s*["']([^"']*)["']""")

_TAG = re.compile(r"<[^>]*>")
_PROPERTY = re.compile(r"<(?!rdf:|x:|\?)[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*[\s/>]")


def _lang(attributes: str) -> str:
    found = _LANG.search(attributes)
    return found.group(1) if found else "x-default"


def _cp1252_bytes(err: UnicodeError) -> tuple[str | bytes, int]:
    if not isinstance(err, UnicodeDecodeError):   # registered for decoding only
        raise err
    bad = err.object[err.start:err.end]
    return bad.decode("cp1252", errors="replace"), err.end


codecs.register_error("mediadesk-cp1252", _cp1252_bytes)


def _allowed(cp: int) -> bool:
    return (cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD
            or 0x10000 <= cp <= 0x10FFFF)


def sanitise(text_or_bytes: bytes | str) -> tuple[str, list[str]]:
    """The packet as text with what XML 1.0 forbids taken out; and what was changed."""
    notes: list[str] = []
    if isinstance(text_or_bytes, bytes):
        try:
            text = text_or_bytes.decode("utf-8")
        except UnicodeDecodeError:
            text = text_or_bytes.decode("utf-8", errors="mediadesk-cp1252")
            notes.append("invalid UTF-8 bytes were read as Windows-1252")
    else:
        text = text_or_bytes
    removed = 0

    def ref(m: re.Match[str]) -> str:
        nonlocal removed
        cp = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        if _allowed(cp):
            return m.group(0)
        removed += 1
        return ""

    text = _CHAR_REF.sub(ref, text)
    text, raw = _RAW_CONTROL.subn("", text)
    if removed or raw:
        notes.append(f"{removed + raw} control character(s) were removed")
    return text, notes


def has_properties(text: str) -> bool:
    """True when the packet holds at least one property (element or attribute) to read."""
    if "rdf:RDF" not in text and "rdf:Description" not in text:
        return False
    if _PROPERTY.search(text):
        return True
    # properties written as attributes of rdf:Description
    return bool(re.search(r"<rdf:Description\b[^>]*\s(?!rdf:|xmlns)[A-Za-z_][\w.-]*:[\w.-]+\s*=", text))


def _unescape(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).replace("\x00", " ").strip()


def _element(text: str, qname: str) -> str | None:
    """Inner text of the first ``<qname ...>...</qname>``; str.find only, so a hostile packet
    with thousands of unclosed tags costs one pass, not one pass per tag."""
    open_tag, close_tag = f"<{qname}", f"</{qname}"
    pos = 0
    while True:
        start = text.find(open_tag, pos)
        if start < 0:
            return None
        after = text[start + len(open_tag):start + len(open_tag) + 1]
        if after and (after in ">/" or after.isspace()):
            break
        pos = start + 1
    head_end = text.find(">", start)
    if head_end < 0:
        return None
    if text[head_end - 1] == "/":  # <dc:x rdf:resource="..."/>
        m = re.search(r"""rdf:resource\s*=\s*["']([^"']*)["']""", text[start:head_end])
        return html.escape(m.group(1)) if m else None
    close = text.find(close_tag, head_end)
    return text[head_end + 1:close] if close >= 0 else None


def _items(inner: str) -> list[tuple[str, str]]:
    """(attributes, text) of each rdf:li in ``inner``, in one pass."""
    out: list[tuple[str, str]] = []
    pos = 0
    while len(out) < 10_000:
        start = inner.find("<rdf:li", pos)
        if start < 0:
            break
        head_end = inner.find(">", start)
        if head_end < 0:
            break
        attrs = inner[start + len("<rdf:li"):head_end]
        if attrs.endswith("/"):
            pos = head_end + 1
            continue
        close = inner.find("</rdf:li", head_end)
        if close < 0:
            break
        out.append((attrs, inner[head_end + 1:close]))
        pos = close + 1
    return out


def _attribute(text: str, qname: str) -> str | None:
    m = re.search(rf"<rdf:Description\b[^>]*?\s{re.escape(qname)}\s*=\s*(\"([^\"]*)\"|'([^']*)')", text)
    if not m:
        return None
    return m.group(2) if m.group(2) is not None else m.group(3)


def extract_simple(text: str) -> dict[str, object]:
    """XMP_KEYS properties found by name, shaped as pyexiv2's ``read_xmp()`` would give them."""
    text = text[:MAX_EXTRACT_CHARS]
    prefixes: dict[str, list[str]] = {}
    for prefix, uri in _XMLNS.findall(text):
        prefixes.setdefault(uri, []).append(prefix)
    out: dict[str, object] = {}
    for key, kind in XMP_KEYS.values():
        _, ns, local = key.split(".", 2)
        for prefix in prefixes.get(NAMESPACES.get(ns, ""), []) or [ns]:
            qname = f"{prefix}:{local}"
            inner = _element(text, qname)
            if inner is None:
                attr = _attribute(text, qname)
                if attr is not None:
                    out[key] = html.unescape(attr).strip()
                    break
                continue
            items = _items(inner)
            if kind == "langalt":
                alt = {f'lang="{_lang(a)}"': _unescape(v) for a, v in items}
                value: object = alt or {'lang="x-default"': _unescape(inner)}
            elif kind in ("bag", "seq"):
                value = [_unescape(v) for _a, v in items] if items else [_unescape(inner)]
            else:
                value = _unescape(items[0][1]) if items else _unescape(inner)
            out[key] = value
            break
    return out
