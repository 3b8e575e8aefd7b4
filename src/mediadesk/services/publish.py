"""Publishing a gallery as a static web page: an export for ``editorial-online``.

Planning asks the rights policy about every asset (the same :func:`rights.policy.decide` the
export asks, for the purpose ``editorial-online``) and, for the ones that may go online, whether
a download may be offered too (:func:`rights.policy.decide_download`); nothing is written, so
the window and ``publish --dry-run`` show it as a preview. Running decides again at the moment
of writing, makes the files that changed (in worker processes), writes the pages, appends the
ledger entry and moves everything into place (services.site_writer); an asset the policy blocks
is left off the page with its reason in the report and nothing of it is written, and an
embargoed asset leaves no trace on the page. Re-publishing into the same folder updates it:
assets added, changed and removed, stale files deleted, files mediadesk did not write left
alone with a warning (services.site_state).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import AssetKind
from mediadesk.domain.errors import InvalidInput, MediaError
from mediadesk.jobs import Cancelled, Job
from mediadesk.rights.stamp import stamp_fields
from mediadesk.services.export_publish import decide_and_record
from mediadesk.services.html_render import static_bytes
from mediadesk.services.publish_media import MadeFile, MadeMedia, MediaTask, make_media
from mediadesk.services.publish_plan import (
    DEFAULT_SITE_TITLE,
    PURPOSE,
    PublishItem,
    PublishOptions,
    PublishPlan,
    now,
    plan_publish,
    redecide,
    render_key,
    slugify,
    stem_words,
)
from mediadesk.services.site_documents import PAGE_ROLE, document_html
from mediadesk.services.site_pages import (
    GENERATOR,
    GalleryPage,
    IndexEntry,
    PageItem,
    gallery_html,
    human_date,
    index_html,
)
from mediadesk.services.site_state import SiteState, foreign_files, gallery_manifest_sha256
from mediadesk.services.site_writer import SiteWriter, zip_site
from mediadesk.workers import Task, WorkerCrashed, WorkerPool

__all__ = [  # the plan's names are this module's API too (the CLI and the window plan, then run)
    "DEFAULT_SITE_TITLE", "PublishItem", "PublishOptions", "PublishPlan", "PublishResult",
    "plan_publish", "preview_changes", "run_publish", "slugify",
]

STATIC_FILES = ("site.css", "gallery.js")
IN_PROCESS_BELOW = 4          # fewer files to make than this: no worker processes


@dataclass
class PublishResult:
    site: str | None = None           # DIR/index.html
    page: str | None = None           # DIR/<slug>/index.html
    published: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    files_written: int = 0
    files_removed: int = 0
    ledger_id: int | None = None
    zip: str | None = None
    cancelled: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site, "page": self.page, "published": self.published,
            "left_out": self.left_out, "warnings": self.warnings, "added": self.added,
            "changed": self.changed, "removed": self.removed, "files_written": self.files_written,
            "files_removed": self.files_removed, "ledger_id": self.ledger_id, "zip": self.zip,
            "cancelled": self.cancelled, "seconds": round(self.seconds, 3),
        }


def media_pool(workers: int | None, tasks: int) -> WorkerPool | None:
    """The worker processes that make renditions (mediadesk's one pool: they die with it)."""
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    if workers < 1 or tasks < IN_PROCESS_BELOW:
        return None
    return WorkerPool(workers, label="publish")


def _page_slug(state: SiteState, plan: PublishPlan) -> str:
    """The plan's slug, or slug-2, -3 ... when another gallery of the site already has it."""
    gallery_id = plan.gallery.id if plan.gallery else None
    slug, n = plan.slug, 1
    while True:
        known = state.galleries.get(slug)
        if known is None or known.get("title") == plan.title or (
                gallery_id is not None and known.get("gallery_id") == gallery_id):
            return slug
        n += 1
        slug = f"{plan.slug}-{n}"


def _target(out: str | os.PathLike) -> Path:
    root = Path(out).expanduser().absolute()
    if root.exists() and not root.is_dir():
        raise InvalidInput(f"{root} is a file; publish into a folder")
    return root


def _make_folder(root: Path) -> None:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediaError(f"cannot create the folder {root}: {exc.strerror or exc}") from None


def preview_changes(plan: PublishPlan, out: str | os.PathLike) -> dict[str, list[int]]:
    """What publishing the plan into ``out`` would add, change and remove (asset ids)."""
    root = Path(out).expanduser().absolute()
    state = SiteState.load(root) if (root / ".mediadesk-site.json").is_file() else SiteState(root)
    old = state.galleries.get(_page_slug(state, plan), {}).get("assets", {})
    new = {str(i.asset.id): render_key(i, stamp_fields(i.asset, i.profile)) for i in plan.online}
    return {"added": sorted(int(a) for a in new if a not in old),
            "changed": sorted(int(a) for a in new if a in old and old[a]["key"] != new[a]),
            "removed": sorted(int(a) for a in old if a not in new)}


# -- running ---------------------------------------------------------------------------------------

def run_publish(catalog: Catalog, plan: PublishPlan, out: str | os.PathLike, *,
                job: Job | None = None, at: datetime | None = None,
                workers: int | None = None) -> PublishResult:
    """Publish the plan's gallery into the site folder ``out`` (created or updated)."""
    started = time.monotonic()
    fixed_at = at            # None: the rights are decided again at the moment of the ledger entry
    at = at or now()
    job = job or Job("Publishing")
    published_at = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    root = _target(out)
    state = SiteState.load(root)
    slug = _page_slug(state, plan)
    items = redecide(catalog, plan, at)
    result = PublishResult()
    previous = state.galleries.get(slug, {})
    old_assets: dict[str, dict[str, Any]] = previous.get("assets", {})
    items = [_keep_published(i, slug, state, old_assets, result) for i in items]
    result.left_out = [{"id": i.asset.id, "reason": i.reason, "code": i.code}
                       for i in items if not i.online]
    online = [i for i in items if i.online]
    if not online and not previous:
        result.seconds = time.monotonic() - started
        return result
    _make_folder(root)
    writer = SiteWriter(root, state)
    try:
        fields = {i.asset.id: stamp_fields(i.asset, i.profile) for i in online}
        profiles = {i.asset.id: i.profile for i in online}
        keys = {i.asset.id: render_key(i, fields[i.asset.id]) for i in online}
        stems = {i.asset.id: f"{stem_words(i.asset)}-{keys[i.asset.id]}" for i in online}
        reused, tasks = _reuse(state, slug, online, old_assets, keys, writer, fields, stems)
        documents = [t for t in tasks if t.asset.kind == AssetKind.DOCUMENT]
        tasks = [t for t in tasks if t.asset.kind != AssetKind.DOCUMENT]
        job.set_total(len(tasks))
        made = _make_all(tasks, job, workers, result)
        made.update(_document_pages(catalog, plan, slug, documents, writer, published_at))
        for media in made.values():
            for f in media.files:
                if f.role != PAGE_ROLE:   # a document's page was staged when it was made
                    writer.add(f"{slug}/media/{f.name}", sha256=f.sha256)
        made.update(reused)
        page_items = _page_items(online, made, fields, old_assets, published_at)
        result.warnings.extend(plan.warnings)
        new_assets = {str(pi.asset.id): {"key": keys[pi.asset.id], "playable": pi.playable,
                                         "first_published": pi.first_published,
                                         "files": [f.__dict__ for f in pi.files]}
                      for pi in page_items}
        gallery_rels = [f"{slug}/media/{f.name}" for pi in page_items for f in pi.files]
        if page_items:
            page = GalleryPage(
                slug=slug, title=plan.title, date=plan.gallery.date if plan.gallery else _first_date(page_items),
                end_date=plan.gallery.end_date if plan.gallery else None,
                place=plan.gallery.place if plan.gallery else None,
                description=plan.gallery.description if plan.gallery else None,
                items=tuple(page_items), site_title=plan.options.site_title, published_at=published_at,
                base_url=plan.options.base_url, licence_page=plan.options.licence_page)
            page_time = _stage_page(writer, f"{slug}/index.html", page, previous.get("published_at"))
            gallery_rels.append(f"{slug}/index.html")
            state.galleries[slug] = _gallery_entry(plan, page_items, new_assets, page_time)
        else:
            state.galleries.pop(slug, None)      # nothing may stay online: the page comes down
        state.site_title = plan.options.site_title
        for name in STATIC_FILES:
            _stage_if_changed(writer, f"static/{name}", static_bytes(name))
        # the index says when a gallery on it last changed, so an unchanged site stays unchanged
        updated = max((str(g.get("published_at") or "") for g in state.galleries.values()), default="")
        _stage_if_changed(writer, "index.html", index_html(_index_entries(state), plan.options.site_title,
                                                           updated or published_at))
        old_rels = {f"{slug}/media/{f['name']}" for a in old_assets.values() for f in a["files"]}
        if previous:
            old_rels.add(f"{slug}/index.html")
        stale = sorted(old_rels - set(gallery_rels))
        writer.check_targets(writer.staged)
        job.check_cancelled()
        writer.flush()
        manifest = gallery_manifest_sha256(
            slug, {rel: writer.sha256.get(rel) or state.files[rel]["sha256"] for rel in gallery_rels},
            [pi.asset.id for pi in page_items])
        # the same final check as every export: each published asset is decided again inside the
        # transaction that writes the ledger entry; a change since the plan stops the publish
        entry = decide_and_record(
            catalog, {pi.asset.id: profiles[pi.asset.id] for pi in page_items}, PURPOSE, fixed_at,
            who=plan.options.who or catalog.person or _system_user(),
            recipient=f"web page {plan.options.base_url or ''}{slug}/",
            bundle=str(root / slug / "index.html"), blocked=result.left_out,
            manifest_sha256=manifest, recorded_at=at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        result.ledger_id = entry.id
        order = [r for r in writer.staged if "/media/" in r] + [f"{slug}/index.html"] + \
            [f"static/{n}" for n in STATIC_FILES] + ["index.html"]
        writer.commit(order)
        result.files_written = len(writer.staged)
        result.files_removed = len(writer.remove(stale))
        state.save()
    except Cancelled:
        writer.abort()
        result.cancelled = True
        result.seconds = time.monotonic() - started
        return result
    except OSError as exc:
        writer.abort()
        raise MediaError(f"the site could not be written in {root}: {exc.strerror or exc} "
                         "(disk full or no permission?)") from None
    except BaseException:
        writer.abort()
        raise
    writer.close()
    result.warnings.extend(writer.warnings)
    foreign = foreign_files(root, state, [slug, "static"])
    if foreign:
        result.warnings.append(f"{len(foreign)} file(s) in {root} were not written by mediadesk and "
                               f"were left alone: {', '.join(foreign[:5])}"
                               + (" …" if len(foreign) > 5 else ""))
    result.site = str(root / "index.html")
    result.page = str(root / slug / "index.html") if page_items else None
    result.published = [{"id": pi.asset.id, "page": f"{slug}/index.html#{pi.anchor}",
                         "files": [f"{slug}/media/{f.name}" for f in pi.files],
                         "download": pi.download} for pi in page_items]
    result.added = sorted(int(a) for a in new_assets if a not in old_assets)
    result.changed = sorted(int(a) for a in new_assets
                            if a in old_assets and old_assets[a]["key"] != new_assets[a]["key"])
    result.removed = sorted(int(a) for a in old_assets if a not in new_assets)
    if plan.options.zip:
        result.zip = str(zip_site(root, state))
    result.seconds = time.monotonic() - started
    return result


def _document_pages(catalog: Catalog, plan: PublishPlan, slug: str, tasks: list[MediaTask],
                    writer: SiteWriter, published_at: str) -> dict[int, MadeMedia]:
    """The web page of each document to publish (its text and rights note), staged."""
    made: dict[int, MadeMedia] = {}
    frame = GalleryPage(slug=slug, title=plan.title, date=None, end_date=None, place=None, description=None,
                        items=(), site_title=plan.options.site_title, published_at=published_at,
                        base_url=plan.options.base_url, licence_page=plan.options.licence_page)
    for task in tasks:
        text = catalog.words.document(task.asset.id)
        if text is None:
            continue
        name = f"{task.stem}.html"
        item = PageItem(task.asset, task.fields, (), False, "", first_published=published_at)
        data = document_html(frame, item, text.pages, text.paged, human_date, GENERATOR)
        writer.add(f"{slug}/media/{name}", data)
        made[task.asset.id] = MadeMedia(task.asset.id, (MadeFile(name, PAGE_ROLE, hashlib.sha256(data).hexdigest(),
                                                                 len(data), mime="text/html"),))
    return made


def _keep_published(item: PublishItem, slug: str, state: SiteState, old_assets: dict[str, Any],
                    result: PublishResult) -> PublishItem:
    """An asset the policy allows whose file cannot be read now (a drive not connected) keeps
    the files published before, when nothing about it changed since; otherwise it is left out."""
    if not item.decision.allowed or item.problem is None or item.asset.kind not in (AssetKind.PHOTO, AssetKind.VIDEO):
        return item
    old = old_assets.get(str(item.asset.id))
    if not old:
        return item
    kept = replace(item, problem=None)
    if old["key"] != render_key(kept, stamp_fields(kept.asset, kept.profile)) or not all(
            state.status(f"{slug}/media/{f['name']}") == "ours" for f in old["files"]):
        return item
    result.warnings.append(f"asset {item.asset.id}: {item.problem}; the files published before "
                           "were kept (nothing about the asset changed since)")
    return kept


def _stage_if_changed(writer: SiteWriter, rel: str, data: bytes) -> None:
    if not writer.unchanged(rel, data):
        writer.add(rel, data)


def _stage_page(writer: SiteWriter, rel: str, page: GalleryPage, last_published: str | None) -> str:
    """Stage a gallery page; returns its publication time. A page whose content did not change
    keeps the time it was last published (and its file stays as it is); a changed page takes
    this publish's time."""
    if last_published:
        kept = gallery_html(replace(page, published_at=last_published))
        if writer.unchanged(rel, kept):
            return last_published
    _stage_if_changed(writer, rel, gallery_html(page))
    return page.published_at


def _reuse(state: SiteState, slug: str, online: list[PublishItem], old_assets: dict[str, Any],
           keys: dict[int, str], writer: SiteWriter, fields: dict[int, dict[str, Any]],
           stems: dict[int, str]) -> tuple[dict[int, MadeMedia], list[MediaTask]]:
    """Assets whose files are on the site as mediadesk wrote them (same key) are not made again."""
    reused: dict[int, MadeMedia] = {}
    tasks: list[MediaTask] = []
    media_dir = writer.path(f"{slug}/media/x").parent
    for item in online:
        old = old_assets.get(str(item.asset.id))
        if old and old["key"] == keys[item.asset.id] and all(
                state.status(f"{slug}/media/{f['name']}") == "ours" for f in old["files"]):
            reused[item.asset.id] = MadeMedia(item.asset.id, tuple(MadeFile(**f) for f in old["files"]),
                                              playable=old.get("playable", True))
            continue
        tasks.append(MediaTask(item.asset, fields[item.asset.id], stems[item.asset.id],
                               str(media_dir), item.downloadable))
    return reused, tasks


def _make_all(tasks: list[MediaTask], job: Job, workers: int | None,
              result: PublishResult) -> dict[int, MadeMedia]:
    """Make every task's files (worker processes for many); failures become left-out lines."""
    made: dict[int, MadeMedia] = {}
    pool = media_pool(workers, len(tasks))
    try:
        futures: list[tuple[MediaTask, Task | None]] = [
            (t, pool.submit(make_media, t) if pool else None) for t in tasks]
        for task, future in futures:
            job.check_cancelled()
            try:
                media = future.result() if future is not None else make_media(task)
            except MediaError as exc:
                result.left_out.append({"id": task.asset.id, "reason": str(exc), "code": "failed"})
            else:
                made[task.asset.id] = media
                result.warnings.extend(f"asset {task.asset.id}: {w}" for w in media.warnings)
            job.advance(1, label=task.asset.file_name)
    except WorkerCrashed:
        raise MediaError("a publishing worker process stopped unexpectedly (out of memory?); "
                         "nothing was changed on the site; try again") from None
    finally:
        if pool is not None:
            pool.close()
    return made


def _page_items(online: list[PublishItem], made: dict[int, MadeMedia], fields: dict[int, dict],
                old_assets: dict[str, Any], published_at: str) -> list[PageItem]:
    items = []
    for item in online:
        media = made.get(item.asset.id)
        if media is None:
            continue
        old = old_assets.get(str(item.asset.id), {})
        if item.asset.kind == AssetKind.PHOTO and not media.by_role("web"):
            continue
        items.append(PageItem(item.asset, fields[item.asset.id], media.files, item.downloadable,
                              item.alt[0], media.playable,
                              old.get("first_published") or published_at))
    return items


def _first_date(items: list[PageItem]) -> str | None:
    dates = sorted(i.asset.date_created[:10] for i in items if i.asset.date_created)
    return dates[0] if dates else None


def _gallery_entry(plan: PublishPlan, items: list[PageItem], assets: dict[str, Any],
                   published_at: str) -> dict[str, Any]:
    cover = None
    photo = next((i for i in items if i.asset.kind == AssetKind.PHOTO and i.web()), None)
    poster = next((i for i in items if i.file("poster")), None)
    if photo is not None:
        web = photo.web()
        cover = {"files": [{"name": f.name, "width": f.width, "height": f.height} for f in web]}
    elif poster is not None and (p := poster.file("poster")) is not None:
        cover = {"files": [{"name": p.name, "width": p.width, "height": p.height}]}
    g = plan.gallery
    return {"title": plan.title, "gallery_id": g.id if g else None,
            "date": g.date if g else _first_date(items), "end_date": g.end_date if g else None,
            "place": g.place if g else None, "published_at": published_at,
            "photos": sum(1 for i in items if i.asset.kind == AssetKind.PHOTO),
            "videos": sum(1 for i in items if i.asset.kind == AssetKind.VIDEO),
            "cover": cover, "assets": assets}


def _index_entries(state: SiteState) -> list[IndexEntry]:
    entries = []
    for slug, g in state.galleries.items():
        cover = None
        if g.get("cover"):
            files = g["cover"]["files"]
            small = files[min(1, len(files) - 1)]
            cover = {"src": f"{slug}/media/{small['name']}", "width": small["width"],
                     "height": small["height"],
                     "srcset": ", ".join(f"{slug}/media/{f['name']} {f['width']}w" for f in files)}
        entries.append(IndexEntry(slug, g["title"], g.get("date"), g.get("end_date"), g.get("place"),
                                  g.get("photos", 0), g.get("videos", 0), cover))
    entries.sort(key=lambda e: (e.date or "", e.title), reverse=True)
    return entries


def _system_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
