"""Planning a publish: which assets may go online (and be downloaded), under which title.

The rights policy decides every asset for ``editorial-online`` (:func:`rights.policy.decide`, the
same function the export asks) and, for those allowed, whether a download may be offered
(:func:`rights.policy.decide_download`). Nothing is written: the window and ``publish --dry-run``
show the plan as a preview, and :func:`services.publish.run_publish` decides again at the moment
of writing. The page lists assets in the order things happened.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.galleries import Gallery
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.media.formats import is_camera_raw
from mediadesk.rights.policy import Decision, decide, decide_download
from mediadesk.services.publish_media import WEB_WIDTHS

PURPOSE = Purpose.EDITORIAL_ONLINE
RENDER_VERSION = 1            # bump when renditions change, so re-publishing makes them again
DEFAULT_SITE_TITLE = "Media galleries"


@dataclass(frozen=True)
class PublishOptions:
    title: str | None = None          # the page's title (default: the gallery's)
    base_url: str | None = None       # where the site will be served (absolute URLs in JSON-LD, OG)
    zip: bool = False                 # also pack the site as DIR.zip
    licence_page: str | None = None   # schema.org acquireLicensePage
    site_title: str = DEFAULT_SITE_TITLE
    who: str | None = None            # for the ledger (default: the system user)
    with_documents: bool = False      # the documents linked to the assets go on the page too (issue 16)

    def __post_init__(self) -> None:
        base = (self.base_url or "").strip() or None
        if base is not None:
            if not re.match(r"^https?://[^\s/]+", base):
                raise InvalidInput(f"the base URL must start with http:// or https://, not {base!r}")
            base = base if base.endswith("/") else base + "/"
        object.__setattr__(self, "base_url", base)
        page = (self.licence_page or "").strip() or None
        if page is not None and not re.match(r"^https?://\S+$", page):
            raise InvalidInput(f"the licence page must be an http(s) URL, not {page!r}")
        object.__setattr__(self, "licence_page", page)
        object.__setattr__(self, "title", " ".join((self.title or "").split()) or None)
        object.__setattr__(self, "site_title", " ".join(self.site_title.split()) or DEFAULT_SITE_TITLE)


@dataclass(frozen=True)
class PublishItem:
    asset: Asset
    profile: RightsProfile | None
    decision: Decision
    download: Decision | None = None
    problem: str | None = None        # allowed, but cannot be published (why)

    @property
    def online(self) -> bool:
        return self.decision.allowed and self.problem is None

    @property
    def reason(self) -> str:
        return self.problem or self.decision.reason

    @property
    def code(self) -> str:
        return "unavailable" if self.problem else self.decision.code

    @property
    def downloadable(self) -> bool:
        return self.download is not None and self.download.allowed

    @property
    def alt(self) -> tuple[str, bool]:
        """(the alt text, True when it is a fallback because the alt-text field is empty)."""
        a = self.asset
        if a.alt_text and a.alt_text.strip():
            return " ".join(a.alt_text.split()), False
        for value in (a.headline, a.title, a.caption):
            if value and value.strip():
                return " ".join(value.split()), True
        return f"{str(a.kind).capitalize()} {a.id}", True


@dataclass(frozen=True)
class PublishPlan:
    options: PublishOptions
    at: datetime
    slug: str
    title: str
    gallery: Gallery | None
    items: tuple[PublishItem, ...]

    @property
    def online(self) -> list[PublishItem]:
        return [i for i in self.items if i.online]

    @property
    def left_out(self) -> list[PublishItem]:
        return [i for i in self.items if not i.online]

    @property
    def warnings(self) -> list[str]:
        out = []
        for item in self.online:
            text, fallback = item.alt
            if fallback and item.asset.kind == AssetKind.PHOTO:
                out.append(f"asset {item.asset.id} ({item.asset.file_name}) has no alt text; the "
                           f"page uses “{text[:80]}” instead: add alt text for screen readers")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "purpose": PURPOSE.value, "title": self.title, "slug": self.slug, "at": self.at.isoformat(),
            "online": [{"id": i.asset.id, "download": i.downloadable,
                        "download_reason": i.download.reason if i.download else None}
                       for i in self.online],
            "left_out": [{"id": i.asset.id, "reason": i.reason, "code": i.code} for i in self.left_out],
            "warnings": self.warnings,
        }


def now() -> datetime:
    return datetime.now(UTC)


def slugify(text: str, limit: int = 60) -> str:
    """``President of Poland visits NATO`` -> ``president-of-poland-visits-nato`` (ASCII)."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L").replace("đ", "d")
                                       .replace("Đ", "D")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "gallery"


def stem_words(asset: Asset) -> str:
    """The readable part of a published file's name: title, headline or the original's name."""
    text = asset.title or asset.headline or os.path.splitext(asset.file_name)[0]
    return slugify(text, 40)


def _utc_key(date: str | None) -> str:
    """A sort key for ISO 8601 dates with or without an offset (moments compared in UTC)."""
    if not date:
        return ""
    try:
        moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return date
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


def _problem(asset: Asset, textless: frozenset[int] = frozenset()) -> str | None:
    if asset.kind == AssetKind.DOCUMENT:
        # published as a page of the text the catalog holds: the file need not be connected
        if asset.id in textless:
            return ("The document has no text that could be read (scanned, encrypted or damaged); "
                    "there is nothing to put on a web page")
        return None
    if asset.kind not in (AssetKind.PHOTO, AssetKind.VIDEO):
        return f"{asset.kind.capitalize()} files are not published on web pages (photos, videos and documents are)"
    if asset.missing or not os.path.isfile(asset.path):
        return (f"File not found: {asset.path} (moved, renamed or on a drive that is not "
                "connected); reconnect it and publish again")
    if asset.kind == AssetKind.PHOTO and is_camera_raw(asset.format):
        return (f"A camera raw file ({asset.format}) cannot be shown on a web page; import the "
                "JPEG made from it")
    return None


def _decide(asset: Asset, profile: RightsProfile | None, at: datetime,
            textless: frozenset[int] = frozenset()) -> PublishItem:
    decision = decide(asset, profile, PURPOSE, at)
    if not decision.allowed:
        return PublishItem(asset, profile, decision)
    download = None if asset.kind == AssetKind.DOCUMENT else decide_download(asset, profile, at)
    return PublishItem(asset, profile, decision, download, _problem(asset, textless))


def _textless(catalog: Catalog, assets: Sequence[Asset]) -> frozenset[int]:
    """The documents among ``assets`` whose text could not be read."""
    out = set()
    for a in assets:
        if a.kind == AssetKind.DOCUMENT:
            text = catalog.words.document(a.id)
            if text is None or not text.text_found or not "".join(text.pages).strip():
                out.add(a.id)
    return frozenset(out)


def plan_publish(catalog: Catalog, asset_ids: Sequence[int], options: PublishOptions, *,
                 gallery: Gallery | None = None, at: datetime | None = None) -> PublishPlan:
    """Decide every asset for ``editorial-online`` (and downloads); writes nothing."""
    at = at or now()
    title = options.title or (gallery.title if gallery else None)
    if not title:
        raise InvalidInput("give the page a title (--title TEXT) when publishing a search or asset ids")
    wanted = list(dict.fromkeys(asset_ids))
    if options.with_documents:
        wanted += [d for d in catalog.words.documents_of(wanted) if d not in wanted]
    assets = catalog.assets.get_many(wanted)
    textless = _textless(catalog, assets)
    # the page runs in the order things happened (as on a press office's page); undated last
    order = {a.id: n for n, a in enumerate(assets)}
    assets = sorted(assets, key=lambda a: (a.date_created is None, _utc_key(a.date_created), order[a.id]))
    profiles = {p.id: p for p in catalog.rights.list()}
    items = tuple(_decide(a, profiles.get(a.rights_profile_id) if a.rights_profile_id else None, at, textless)
                  for a in assets)
    return PublishPlan(options, at, slugify(title), title, gallery, items)


def redecide(catalog: Catalog, plan: PublishPlan, at: datetime) -> list[PublishItem]:
    fresh = {a.id: a for a in catalog.assets.get_many([i.asset.id for i in plan.items])}
    profiles = {p.id: p for p in catalog.rights.list()}
    textless = _textless(catalog, list(fresh.values()))
    items = []
    for item in plan.items:
        asset = fresh.get(item.asset.id)
        if asset is None:
            items.append(replace(item, problem="The asset was removed from the catalog"))
            continue
        items.append(_decide(asset, profiles.get(asset.rights_profile_id)
                             if asset.rights_profile_id else None, at, textless))
    return items


def render_key(item: PublishItem, fields: dict[str, Any]) -> str:
    """What a published asset's files depend on: when it is the same, the files are reused."""
    body = json.dumps({"v": RENDER_VERSION, "hash": item.asset.content_hash, "fields": fields,
                       "download": item.downloadable, "widths": WEB_WIDTHS, "kind": item.asset.kind},
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:12]
