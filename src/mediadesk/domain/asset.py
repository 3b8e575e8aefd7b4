"""The Asset value type, as the catalog returns it and the CLI prints it."""

from __future__ import annotations

import copy
import enum
from dataclasses import dataclass, field, fields

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any


class AssetKind(enum.StrEnum):
    """What an asset is, as people sort it. A ``StrEnum``: JSON, SQL and the CLI see the plain
    words ("photo", "video", "audio", "document"), and ``AssetKind.PHOTO == "photo"``.
    Which file formats make which kind is the format adapters' knowledge (media/formats/)."""

    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Asset:
    """One catalogued file (photo, video, audio or document) with its metadata, as the catalog
    returns it: immutable; an edit is a new Asset (``dataclasses.replace``) written by a service."""

    id: int
    kind: AssetKind
    path: str
    file_name: str
    content_hash: str
    size: int
    mtime: float
    format: str | None = None
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    codec: str | None = None
    frame_rate: float | None = None
    date_created: str | None = None
    title: str | None = None
    headline: str | None = None
    caption: str | None = None
    alt_text: str | None = None
    keywords: tuple[str, ...] = ()
    event: str | None = None
    rating: int | None = None
    label: str | None = None               # colour label (domain/marks.py), xmp:Label in files
    pick: int | None = None                # 1 picked, -1 rejected, None neither (the catalog's own)
    people: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    sublocation: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    country_code: str | None = None
    creator: str | None = None
    credit: str | None = None
    source: str | None = None
    copyright: str | None = None
    usage_terms: str | None = None
    instructions: str | None = None
    rights_profile_id: int | None = None
    rights_profile: str | None = None
    rights_review: str | None = None       # why a person should look at the rights (a re-read changed them)
    import_batch_id: int | None = None
    galleries: tuple[str, ...] = ()
    field_sources: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    has_thumbnail: bool = False
    missing: bool = False
    imported_at: str = ""
    modified_at: str = ""
    pixel_fingerprint: str | None = None   # media.image_data_fingerprint of the catalog's picture
    language: str | None = None            # a document's language (BCP 47; issue 16)
    page_count: int | None = None          # a document's pages

    def __post_init__(self) -> None:
        if type(self.kind) is not AssetKind:   # a row or a test gives the plain word
            object.__setattr__(self, "kind", AssetKind(self.kind))

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def to_json(self) -> dict[str, Any]:
        """Every field by name, tuples as lists; what dataclasses.asdict gives, without its
        recursive copy of every value (a search printing thousands of assets pays for that)."""
        data: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, dict):
                value = _copy_dict(value)
            data[name] = value
        return data

    @property
    def display_title(self) -> str:
        return self.title or self.headline or self.file_name


_FIELD_NAMES = tuple(f.name for f in fields(Asset))


def _copy_dict(value: dict[str, Any]) -> dict[str, Any]:
    """A copy the caller may change: field_sources maps names to words (a flat copy is whole);
    conflicts hold values of any shape (a deep one)."""
    if all(type(v) is str for v in value.values()):
        return dict(value)
    return copy.deepcopy(value)


def format_duration(seconds: float | None) -> str:
    """A duration as people read it on a press page: m:ss, or h:mm:ss from an hour; "" if unknown."""
    if seconds is None:
        return ""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
