"""The catalog's descriptive fields: one declaration used by the catalog, media I/O, CLI and UI.

Each metadata field has a name (the catalog column and JSON key), a label, a type, the
IPTC-IIM byte limit where the field has an IIM dataset, and the group the inspector shows it in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FieldType(enum.Enum):
    TEXT = "text"          # single line
    LONGTEXT = "longtext"  # multi-line (caption, instructions)
    LIST = "list"          # list of strings (keywords, people, organisations)
    DATE = "date"          # ISO 8601, possibly partial, with offset where known
    INT = "int"


class Source(enum.StrEnum):
    """Which store a metadata value came from."""

    XMP = "xmp"
    IIM = "iim"
    EXIF = "exif"
    SIDECAR = "sidecar"
    QUICKTIME = "quicktime"
    DOCUMENT = "document"  # a document's own properties (PDF Info, DOCX/ODT, HTML meta) and text
    TYPED = "typed"  # entered by a person in mediadesk
    RIGHTS = "rights"  # filled from a rights profile


@dataclass(frozen=True)
class FieldSpec:
    """One metadata field: its name, label, type, inspector group and IIM byte limit."""

    name: str
    label: str
    type: FieldType
    group: str
    iim_max_bytes: int | None = None


DESCRIPTION = "Description"
PEOPLE_PLACES = "People and places"
RIGHTS = "Rights"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "Title", FieldType.TEXT, DESCRIPTION, 64),
    FieldSpec("headline", "Headline", FieldType.TEXT, DESCRIPTION, 256),
    FieldSpec("caption", "Caption", FieldType.LONGTEXT, DESCRIPTION, 2000),
    FieldSpec("alt_text", "Alt text", FieldType.TEXT, DESCRIPTION),
    FieldSpec("keywords", "Keywords", FieldType.LIST, DESCRIPTION, 64),
    FieldSpec("event", "Event", FieldType.TEXT, DESCRIPTION),
    FieldSpec("date_created", "Date created", FieldType.DATE, DESCRIPTION),
    FieldSpec("rating", "Rating", FieldType.INT, DESCRIPTION),
    FieldSpec("label", "Colour label", FieldType.TEXT, DESCRIPTION),   # xmp:Label (domain/marks.py)
    FieldSpec("people", "People", FieldType.LIST, PEOPLE_PLACES),
    FieldSpec("organisations", "Organisations", FieldType.LIST, PEOPLE_PLACES),
    FieldSpec("sublocation", "Sublocation", FieldType.TEXT, PEOPLE_PLACES, 32),
    FieldSpec("city", "City", FieldType.TEXT, PEOPLE_PLACES, 32),
    FieldSpec("state", "State/Province", FieldType.TEXT, PEOPLE_PLACES, 32),
    FieldSpec("country", "Country", FieldType.TEXT, PEOPLE_PLACES, 64),
    FieldSpec("country_code", "Country code", FieldType.TEXT, PEOPLE_PLACES, 3),
    FieldSpec("creator", "Creator", FieldType.TEXT, RIGHTS, 32),
    FieldSpec("credit", "Credit line", FieldType.TEXT, RIGHTS, 32),
    FieldSpec("source", "Source", FieldType.TEXT, RIGHTS, 32),
    FieldSpec("copyright", "Copyright notice", FieldType.TEXT, RIGHTS, 128),
    FieldSpec("usage_terms", "Usage terms", FieldType.LONGTEXT, RIGHTS),
    FieldSpec("instructions", "Instructions", FieldType.LONGTEXT, RIGHTS, 256),
)

FIELD_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
METADATA_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS)
LIST_FIELDS: frozenset[str] = frozenset(f.name for f in FIELDS if f.type is FieldType.LIST)
TEXT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in FIELDS if f.type in (FieldType.TEXT, FieldType.LONGTEXT)
)
