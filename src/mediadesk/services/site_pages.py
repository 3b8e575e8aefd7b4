"""The HTML of a published site: a gallery page, the index of galleries, and their JSON-LD.

Pure functions from plain values to bytes (no file system, no catalog): the publish service
decides what goes on a page and hands it here. Every catalog value goes through
:mod:`html_render`'s escaping; the JSON-LD is schema.org ``ImageObject`` / ``VideoObject`` with
the licence fields search engines read, plus Open Graph tags when a base URL is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mediadesk import __version__
from mediadesk.domain.asset import Asset, AssetKind, format_duration
from mediadesk.services.html_render import (
    Markup,
    attrs,
    escape,
    join,
    json_script,
    paragraphs,
    render,
)
from mediadesk.services.publish_media import MadeFile
from mediadesk.services.site_documents import document_object, documents_section

GENERATOR = f"mediadesk {__version__}"
SIZES = "(min-width: 1240px) 285px, (min-width: 900px) 30vw, (min-width: 600px) 45vw, 92vw"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?)?)?")


@dataclass(frozen=True)
class PageItem:
    """One asset as it appears on a page."""

    asset: Asset
    fields: dict[str, Any]          # what is embedded in its files (rights.stamp.stamp_fields)
    files: tuple[MadeFile, ...]
    download: bool
    alt: str
    playable: bool = True
    first_published: str = ""       # when this asset first went online on this page (ISO 8601)

    @property
    def anchor(self) -> str:
        return f"{self.asset.kind}-{self.asset.id}"

    def file(self, role: str) -> MadeFile | None:
        return next((f for f in self.files if f.role == role), None)

    def web(self) -> list[MadeFile]:
        return sorted((f for f in self.files if f.role == "web"), key=lambda f: f.width or 0)

    @property
    def note(self) -> str:
        return str(self.fields.get("usage_terms") or "")


@dataclass(frozen=True)
class GalleryPage:
    slug: str
    title: str
    date: str | None
    end_date: str | None
    place: str | None
    description: str | None
    items: tuple[PageItem, ...]
    site_title: str
    published_at: str               # ISO 8601 (UTC)
    base_url: str | None = None     # "https://press.example.org/media/" (ends with /) or None
    licence_page: str | None = None
    lang: str = "en"

    def url(self, relative: str) -> str:
        """A URL for JSON-LD and Open Graph: absolute under the base URL, else relative."""
        return f"{self.base_url}{self.slug}/{relative}" if self.base_url else relative

    @property
    def page_url(self) -> str:
        return f"{self.base_url}{self.slug}/" if self.base_url else "index.html"


@dataclass(frozen=True)
class IndexEntry:
    slug: str
    title: str
    date: str | None
    end_date: str | None
    place: str | None
    photos: int
    videos: int
    cover: dict[str, Any] | None = field(default=None)   # {"src", "srcset", "width", "height", "alt"}


# -- small formatters ------------------------------------------------------------------------------

def human_date(value: str | None, *, with_time: bool = False) -> str:
    """``6 March 2025`` (``6 March 2025, 09:58`` with the time as recorded); partial dates stay
    partial (``March 2025``); "" when there is none."""
    m = _ISO.match(value or "")
    if not m:
        return ""
    year, month, day, hour, minute = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
    if not month or not 1 <= int(month) <= 12:
        return year
    text = f"{MONTHS[int(month) - 1]} {year}"
    if day:
        text = f"{int(day)} {text}"
    if with_time and hour:
        text += f", {hour}:{minute}"
    return text


def date_range(start: str | None, end: str | None) -> str:
    first, last = human_date(start), human_date(end)
    return f"{first} – {last}" if first and last and last != first else first


def iso_duration(seconds: float | None) -> str | None:
    """ISO 8601 duration (``PT4M12S``) as schema.org wants it."""
    if seconds is None:
        return None
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def time_element(value: str | None, *, with_time: bool = False) -> Markup:
    text = human_date(value, with_time=with_time)
    if not text:
        return Markup("")
    return Markup(f"<time{attrs(datetime=value)}>{escape(text)}</time>")


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


def _credit(item: PageItem) -> str:
    parts = []
    creator = item.fields.get("creator")
    if creator:
        parts.append(f"{'Video' if item.asset.kind == AssetKind.VIDEO else 'Photo'}: {creator}")
    if item.fields.get("credit") and item.fields.get("credit") != creator:
        parts.append(f"Credit: {item.fields['credit']}")
    if item.fields.get("copyright"):
        parts.append(str(item.fields["copyright"]))
    return " · ".join(parts)


def _caption_text(item: PageItem) -> str:
    return str(item.fields.get("caption") or item.fields.get("headline") or "")


def _download(item: PageItem, what: str) -> Markup:
    if not item.download:
        return Markup("")
    file = item.file("download") or item.file("video")
    if file is None:
        return Markup("")
    if file.mime == "video/mp4":
        kind = "MP4 video"
    elif file.mime == "image/jpeg":
        kind = "JPEG"
    else:
        kind = file.name.rsplit(".", 1)[-1].upper()
    dims = f", {file.width} × {file.height} px" if file.width and file.height else ""
    label = Markup(f"Download {escape(what)}<span class=\"visually-hidden\"> “{escape(item.asset.display_title)}”"
                   f"</span> ({escape(kind)}{escape(dims)}, {escape(size_text(file.size))})")
    return Markup(f'<p class="download"><a{attrs(href="media/" + file.name, download=file.name)}>{label}</a></p>')


# -- the gallery page --------------------------------------------------------------------------------

def _photo_card(item: PageItem) -> Markup:
    web = item.web()
    small, large = web[0], web[-1]
    srcset = ", ".join(f"media/{f.name} {f.width}w" for f in web)
    return render(
        "photo.html", anchor=item.anchor, large="media/" + large.name,
        zoom_attrs=attrs(data_width=large.width, data_height=large.height),
        src="media/" + small.name, srcset=srcset, sizes=SIZES, width=small.width,
        height=small.height, alt=item.alt, caption=paragraphs(_caption_text(item), "caption"),
        date=time_element(item.asset.date_created, with_time=True), credit=_credit(item),
        note=item.note, download=_download(item, "original" if item.file("download") else "picture"))


def _video_card(item: PageItem) -> Markup:
    video, poster = item.file("video"), item.file("poster")
    if item.playable and video is not None:
        fallback = Markup(f'<p>This browser cannot play the video. <a href="media/{escape(video.name)}">'
                          "Open the video file</a>.</p>")
        video_attrs = attrs(controls=True, preload="none", playsinline=True, width=video.width,
                            height=video.height, poster=("media/" + poster.name) if poster else None)
        player = Markup(
            f"<video{video_attrs}>"
            f"<source{attrs(src='media/' + video.name, type='video/mp4')}>{fallback}</video>")
    else:
        player = Markup('<p class="not-playable">This video cannot be played in the browser; '
                        "download it to watch it.</p>")
    return render(
        "video.html", anchor=item.anchor, title=item.asset.display_title, player=player,
        date=time_element(item.asset.date_created) or "—", duration=_duration(item),
        caption=paragraphs(_caption_text(item), "caption"), credit=_credit(item), note=item.note,
        download=_download(item, "video"))


def _duration(item: PageItem) -> Markup:
    iso = iso_duration(item.asset.duration)
    if iso is None:
        return Markup("—")
    return Markup(f"<time{attrs(datetime=iso)}>{escape(format_duration(item.asset.duration))}</time>")


def _rights_box(page: GalleryPage) -> Markup:
    notes: dict[str, None] = {}
    for item in page.items:
        if item.note:
            notes.setdefault(item.note, None)
    if not notes:
        return Markup("")
    body = join(Markup(f'<p id="rights-{n}">{escape(note)}</p>') for n, note in enumerate(notes, 1))
    return render("rights_box.html", notes=body)


def rights_anchor(page: GalleryPage, note: str) -> str:
    notes = list(dict.fromkeys(i.note for i in page.items if i.note))
    return f"#rights-{notes.index(note) + 1}" if note in notes else "#usage-rights"


def gallery_html(page: GalleryPage) -> bytes:
    photos = [i for i in page.items if i.asset.kind not in (AssetKind.VIDEO, AssetKind.DOCUMENT)]
    videos = [i for i in page.items if i.asset.kind == AssetKind.VIDEO]
    documents = [i for i in page.items if i.asset.kind == AssetKind.DOCUMENT]
    photo_html = render("photos.html", count=len(photos),
                        cards=join(_photo_card(i) for i in photos)) if photos else Markup("")
    video_html = render(
        "videos.html", count=len(videos),
        rows=join(render("video_row.html", anchor=i.anchor, title=i.asset.display_title,
                         date=time_element(i.asset.date_created) or "—", duration=_duration(i))
                  for i in videos),
        cards=join(_video_card(i) for i in videos)) if videos else Markup("")
    meta = " · ".join(x for x in (date_range(page.date, page.end_date), page.place or "") if x)
    counts = _counts(len(photos), len(videos), len(documents))
    summary = " ".join((page.description or "").split())[:280] or f"{page.title}: {counts}"
    html = render(
        "gallery.html", lang=page.lang, title=page.title, site_title=page.site_title,
        summary=summary, generator=GENERATOR, og_extra=_open_graph(page, photos),
        json_ld=json_script(json_ld(page)), meta=meta,
        description=paragraphs(page.description), rights_box=_rights_box(page),
        photos=photo_html, videos=video_html, documents=documents_section(page, documents, human_date),
        footer=f"{counts}. Published {human_date(page.published_at)} with {GENERATOR}.")
    return html.encode("utf-8")


def _counts(photos: int, videos: int, documents: int = 0) -> str:
    parts = []
    if photos:
        parts.append(f"{photos} photo{'s' if photos != 1 else ''}")
    if videos:
        parts.append(f"{videos} video{'s' if videos != 1 else ''}")
    if documents:
        parts.append(f"{documents} document{'s' if documents != 1 else ''}")
    if len(parts) > 2:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return " and ".join(parts) or "nothing published"


def _open_graph(page: GalleryPage, photos: list[PageItem]) -> Markup:
    if not page.base_url:
        return Markup("")
    tags: list[tuple[str, str | int | None]] = [("og:url", page.page_url)]
    cover = next((i for i in photos if i.web()), None)
    if cover is not None:
        best = cover.web()[-1]
        tags += [("og:image", page.url("media/" + best.name)), ("og:image:width", best.width),
                 ("og:image:height", best.height), ("og:image:alt", cover.alt)]
    return join(Markup(f"<meta{attrs(property=k, content=v)}>") for k, v in tags)


# -- JSON-LD -------------------------------------------------------------------------------------

def _person_or_org(name: str | None, kind: str) -> dict[str, Any] | None:
    return {"@type": kind, "name": name} if name else None


def _object(page: GalleryPage, item: PageItem) -> dict[str, Any]:
    a, f = item.asset, item.fields
    video = a.kind == AssetKind.VIDEO
    web = item.web()
    poster = item.file("poster")
    main = item.file("video") if video else (item.file("download") or (web[-1] if web else None))
    thumb = poster if video else (web[0] if web else None)
    data: dict[str, Any] = {
        "@type": "VideoObject" if video else "ImageObject",
        "@id": page.url("#" + item.anchor) if page.base_url else "#" + item.anchor,
        "name": a.display_title,
        "caption": f.get("caption") or f.get("headline"),
        "description": f.get("caption") or f.get("headline") or a.display_title,
        "contentUrl": page.url("media/" + main.name) if main else None,
        "thumbnailUrl": page.url("media/" + thumb.name) if thumb else None,
        "creditText": f.get("credit"),
        "creator": _person_or_org(f.get("creator"), "Person" if not video else "Organization"),
        "copyrightNotice": f.get("copyright"),
        "license": page.url(rights_anchor(page, item.note)) if page.base_url else rights_anchor(page, item.note),
        "acquireLicensePage": page.licence_page,
        "dateCreated": a.date_created,
        "uploadDate": (item.first_published or page.published_at) if video else None,
        "datePublished": item.first_published or page.published_at,
        "duration": iso_duration(a.duration) if video else None,
        "width": (main.width if main else None) if not video else a.width,
        "height": (main.height if main else None) if not video else a.height,
        "encodingFormat": main.mime if main else None,
        "contentLocation": _place(a),
        "keywords": ", ".join(f.get("keywords") or []) or None,
    }
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _place(a: Asset) -> dict[str, Any] | None:
    name = ", ".join(x for x in (a.sublocation, a.city, a.country) if x)
    return {"@type": "Place", "name": name} if name else None


def json_ld(page: GalleryPage) -> dict[str, Any]:
    parts = [document_object(page, i, page.url(rights_anchor(page, i.note)) if page.base_url
                             else rights_anchor(page, i.note))
             if i.asset.kind == AssetKind.DOCUMENT else _object(page, i) for i in page.items]
    gallery = {
        "@type": "ImageGallery" if any(i.asset.kind != AssetKind.VIDEO for i in page.items) else "CollectionPage",
        "@id": page.page_url, "name": page.title,
        "description": page.description or None, "datePublished": page.published_at,
        "hasPart": [{"@id": p["@id"]} for p in parts],
    }
    return {"@context": "https://schema.org",
            "@graph": [{k: v for k, v in gallery.items() if v is not None}] + parts}


# -- the index ------------------------------------------------------------------------------------

def index_html(entries: list[IndexEntry], site_title: str, published_at: str) -> bytes:
    cards = []
    for e in entries:
        cover = Markup("")
        if e.cover:
            c = e.cover
            img = attrs(src=c["src"], srcset=c.get("srcset"),
                        sizes="(min-width: 1240px) 380px, (min-width: 700px) 45vw, 92vw",
                        width=c["width"], height=c["height"], alt="", loading="lazy", decoding="async")
            cover = Markup(f"<img{img}>")
        meta = " · ".join(x for x in (date_range(e.date, e.end_date), e.place or "") if x)
        cards.append(render("index_item.html", href=f"{e.slug}/index.html", cover=cover,
                            title=e.title, meta=meta, count=_counts(e.photos, e.videos)))
    html = render("index.html", lang="en", site_title=site_title,
                  summary=f"{len(entries)} galler{'y' if len(entries) == 1 else 'ies'} of photos and videos",
                  generator=GENERATOR, galleries=join(cards),
                  footer=f"Updated {human_date(published_at)} with {GENERATOR}.")
    return html.encode("utf-8")
