"""Rights-checked export bundles: plan (decide each asset, name its file), then run.

Planning asks the rights policy about every asset and gives each allowed one its file name;
nothing is written, so the window and ``export --dry-run`` show it as a preview. Running decides
again at the moment of writing (an embargo or an expiry may have passed since), writes only
allowed assets into a marked staging folder ``<out>.partial-XXXX`` beside the target (the bundle,
folder or zip, inside it), checks the staged bundle exactly as ``mediadesk verify`` would,
decides every asset once more inside the transaction that appends the ledger entry (a rights
change made meanwhile stops the export), writes the receipt LEDGER.json and only then renames
the bundle to its final name, so an incomplete bundle never looks complete. Originals get the
metadata embedded in memory with their image data proven unchanged; formats that cannot carry it
safely are copied byte for byte with an XMP sidecar.
"""
from __future__ import annotations

import getpass
import hashlib
import os
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mediadesk import __version__
from mediadesk.catalog.connection import Catalog
from mediadesk.domain.asset import Asset, AssetKind
from mediadesk.domain.credentials import credentials_summary, has_credentials
from mediadesk.domain.errors import InvalidInput, MediaError
from mediadesk.domain.rights import Purpose, RightsProfile
from mediadesk.domain.timed_text import Chapter, close_chapters
from mediadesk.jobs import Cancelled, Job
from mediadesk.media.formats import Carrier, carrier_for, extension_of, is_camera_raw
from mediadesk.media.timedtext import chapters_vtt
from mediadesk.rights.policy import Decision, decide, parse_purpose
from mediadesk.rights.stamp import stamp_fields
from mediadesk.services.bundle_verify import build_documents, verify_bundle
from mediadesk.services.bundle_writer import BundleWriter, copy_with_sidecar, remove_stale_partials
from mediadesk.services.export_publish import decide_and_record, publish_bundle
from mediadesk.services.naming import DEFAULT_PATTERN, NameAllocator, render_name, validate_pattern
from mediadesk.services.renditions import RENDITION_FORMAT, Produced, RenditionSpec, produce_embedded
from mediadesk.workers import Task, WorkerCrashed, WorkerPool

IN_PROCESS_BELOW = 8   # fewer pictures than this: no worker processes (starting them costs more)
CHAPTERS_SUFFIX = ".chapters.vtt"   # NAME.mp4.chapters.vtt: what mediadesk also reads beside a video


@dataclass(frozen=True)
class ExportOptions:
    purpose: Purpose
    recipient: str = ""
    rendition: RenditionSpec | None = None   # None: originals
    pattern: str = DEFAULT_PATTERN
    zip: bool = False
    gallery: str | None = None               # the {gallery} of every name (else the asset's first)
    who: str | None = None                   # for the ledger (default: the system user)
    # originals with C2PA content credentials go out untouched with an XMP sidecar (embedding
    # metadata would break the credentials); see media/c2pa.py
    keep_credentials: bool = False
    # the documents linked to the chosen assets (a press release with its photos) go too, each
    # decided by the rights policy like any asset (issue 16)
    with_documents: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "purpose", parse_purpose(self.purpose))
        object.__setattr__(self, "pattern", validate_pattern(self.pattern))
        object.__setattr__(self, "recipient", " ".join((self.recipient or "").split()))

    @property
    def mode(self) -> str:
        return "renditions" if self.rendition else "originals"


@dataclass(frozen=True)
class PlanItem:
    asset: Asset
    profile: RightsProfile | None
    decision: Decision
    file_name: str | None = None      # its name in the bundle (allowed and available only)
    carrier: str | None = None        # "embedded" | "sidecar"
    problem: str | None = None        # allowed, but the file cannot be exported (why)
    chapters: tuple[Chapter, ...] = ()   # a video's: NAME.chapters.vtt and XMP markers in its sidecar

    @property
    def will_export(self) -> bool:
        return self.decision.allowed and self.problem is None

    @property
    def status(self) -> str:
        if not self.decision.allowed:
            return "blocked"
        return "unavailable" if self.problem else "allowed"

    @property
    def reason(self) -> str:
        return self.problem or self.decision.reason

    def to_json(self) -> dict[str, Any]:
        return {"id": self.asset.id, "status": self.status, "reason": self.reason,
                "code": self.decision.code if not self.problem else "unavailable",
                "file": self.file_name, "carrier": self.carrier,
                "rights_profile": self.profile.name if self.profile else None}


@dataclass(frozen=True)
class ExportPlan:
    options: ExportOptions
    at: datetime
    items: tuple[PlanItem, ...]

    @property
    def allowed(self) -> list[PlanItem]:
        return [i for i in self.items if i.will_export]

    @property
    def blocked(self) -> list[PlanItem]:
        return [i for i in self.items if not i.decision.allowed]

    @property
    def unavailable(self) -> list[PlanItem]:
        return [i for i in self.items if i.decision.allowed and i.problem]

    def credential_warnings(self) -> list[str]:
        """One line per allowed asset with C2PA content credentials: whether this export breaks
        them (metadata embedded) or keeps them (untouched original with a sidecar)."""
        out = []
        for item in self.allowed:
            summary = credentials_summary(item.asset.warnings)
            if summary is None:
                continue
            if _untouched(item.asset, self.options):
                out.append(f"{item.file_name}: content credentials ({summary}) kept: the original "
                           "goes out untouched, its metadata in an XMP sidecar")
            else:
                out.append(f"{item.file_name}: embedding the metadata breaks its content credentials "
                           f"({summary}); export with --keep-credentials (or 'Keep content "
                           "credentials' in the dialog) to send the original untouched with an XMP sidecar")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "purpose": self.options.purpose.value, "recipient": self.options.recipient,
            "mode": self.options.mode, "at": self.at.isoformat(),
            "credentials": self.credential_warnings(),
            "allowed": [i.to_json() for i in self.allowed],
            "blocked": [{"id": i.asset.id, "reason": i.reason, "code": i.decision.code}
                        for i in self.blocked],
            "failed": [{"id": i.asset.id, "reason": i.reason} for i in self.unavailable],
        }


@dataclass
class ExportResult:
    bundle: str | None = None
    exported: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ledger_id: int | None = None
    manifest_sha256: str | None = None
    cancelled: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle, "exported": self.exported, "blocked": self.blocked,
            "failed": self.failed, "warnings": self.warnings, "ledger_id": self.ledger_id,
            "manifest_sha256": self.manifest_sha256, "cancelled": self.cancelled,
            "seconds": round(self.seconds, 3),
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _untouched(asset: Asset, options: ExportOptions) -> bool:
    """Exported byte for byte (with a sidecar) to keep its C2PA content credentials."""
    return options.keep_credentials and not options.rendition and has_credentials(asset.warnings)


def _carrier(asset: Asset, options: ExportOptions) -> str:
    """The manifest's carrier: "embedded" or "sidecar" (the format family decides; a rendition is
    a JPEG, which carries its metadata inside)."""
    if options.rendition and asset.kind == AssetKind.PHOTO:
        return carrier_for(RENDITION_FORMAT).manifest_value
    if _untouched(asset, options):
        return Carrier.SIDECAR.manifest_value
    return carrier_for(asset.format).manifest_value


def _unavailable(asset: Asset, options: ExportOptions) -> str | None:
    if asset.missing or not os.path.isfile(asset.path):
        return (f"File not found: {asset.path} (moved, renamed or on a drive that is not "
                "connected); reconnect it and export again")
    if options.rendition and asset.kind == AssetKind.PHOTO and is_camera_raw(asset.format):
        return (f"A rendition cannot be made of a camera raw file ({asset.format}); "
                "export originals instead")
    return None


def _output_ext(asset: Asset, options: ExportOptions) -> str:
    if options.rendition and asset.kind == AssetKind.PHOTO:
        return extension_of(RENDITION_FORMAT).lstrip(".")
    return os.path.splitext(asset.file_name)[1].lstrip(".").lower()


def _name_values(asset: Asset, options: ExportOptions, seq: str, at: datetime) -> dict[str, Any]:
    stem = os.path.splitext(asset.file_name)[0]
    return {
        "date": (asset.date_created or "")[:10] or at.strftime("%Y-%m-%d"),
        "gallery": options.gallery or (asset.galleries[0] if asset.galleries else ""),
        "seq": seq, "title": asset.title or asset.headline or stem, "id": asset.id,
        "original": stem,
    }


def plan_export(catalog: Catalog, asset_ids: Sequence[int], options: ExportOptions, *,
                at: datetime | None = None) -> ExportPlan:
    """Decide every asset and name the allowed ones; writes nothing."""
    at = at or _now()
    wanted = list(dict.fromkeys(asset_ids))
    if options.with_documents:
        wanted += [d for d in catalog.words.documents_of(wanted) if d not in wanted]
    assets = catalog.assets.get_many(wanted)
    profiles = {p.id: p for p in catalog.rights.list()}
    decided = []
    for asset in assets:
        profile = profiles.get(asset.rights_profile_id) if asset.rights_profile_id else None
        decision = decide(asset, profile, options.purpose, at)
        problem = _unavailable(asset, options) if decision.allowed else None
        decided.append((asset, profile, decision, problem))
    going = sum(1 for _a, _p, d, problem in decided if d.allowed and not problem)
    width = max(3, len(str(going)))
    names = NameAllocator()
    items: list[PlanItem] = []
    seq = 0
    for asset, profile, decision, problem in decided:
        if not decision.allowed or problem:
            items.append(PlanItem(asset, profile, decision, problem=problem))
            continue
        seq += 1
        carrier = _carrier(asset, options)
        name = render_name(options.pattern, _name_values(asset, options, str(seq).zfill(width), at),
                           _output_ext(asset, options), fallback=f"asset-{asset.id}")
        chapters = tuple(close_chapters([c for _, c in catalog.words.chapters(asset.id)], asset.duration)) \
            if asset.kind == AssetKind.VIDEO else ()
        also = ((".xmp",) if carrier == "sidecar" else ()) + ((CHAPTERS_SUFFIX,) if chapters else ())
        name = names.claim(name, also=also)
        items.append(PlanItem(asset, profile, decision, name, carrier, chapters=chapters))
    return ExportPlan(options, at, tuple(items))


def _target(out: str | os.PathLike, options: ExportOptions) -> Path:
    target = Path(out).expanduser().absolute()
    if options.zip and target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    if (target.exists() or target.is_symlink()) and not (
            target.is_dir() and not target.is_symlink() and not any(target.iterdir())):
        raise InvalidInput(f"{target} already exists; choose a new name for the bundle "
                           "(or remove the old one)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MediaError(f"cannot create the folder {target.parent}: {exc.strerror or exc}") from None
    return target


def _redecide(catalog: Catalog, plan: ExportPlan, at: datetime) -> list[PlanItem]:
    """The plan's items decided again from fresh catalog rows at the moment of writing."""
    fresh = {a.id: a for a in catalog.assets.get_many([i.asset.id for i in plan.items])}
    profiles = {p.id: p for p in catalog.rights.list()}
    items = []
    for item in plan.items:
        asset = fresh.get(item.asset.id)
        if asset is None:
            items.append(replace(item, problem="The asset was removed from the catalog"))
            continue
        profile = profiles.get(asset.rights_profile_id) if asset.rights_profile_id else None
        decision = decide(asset, profile, plan.options.purpose, at)
        problem = item.problem or (_unavailable(asset, plan.options) if decision.allowed else None)
        items.append(replace(item, asset=asset, profile=profile, decision=decision, problem=problem))
    return items


def run_export(catalog: Catalog, plan: ExportPlan, out: str | os.PathLike, *,
               job: Job | None = None, at: datetime | None = None,
               workers: int | None = None) -> ExportResult:
    """Write the bundle for ``plan`` at ``out`` (a folder, or a zip with ``options.zip``).

    Raises InvalidInput when ``out`` exists, MediaError on a write failure (nothing is left
    behind under the final name), export_publish.RightsChanged when an asset's rights changed
    while the bundle was written (nothing is published or entered in the ledger). Cancelling leaves nothing
    behind either."""
    started = time.monotonic()
    options = plan.options
    fixed_moment = at is not None
    at = at or _now()
    job = job or Job("Exporting")
    target = _target(out, options)
    items = _redecide(catalog, plan, at)
    result = ExportResult()
    for item in items:
        if not item.decision.allowed:
            result.blocked.append({"id": item.asset.id, "reason": item.decision.reason,
                                   "code": item.decision.code})
        elif item.problem or item.file_name is None:
            result.failed.append({"id": item.asset.id,
                                  "reason": item.problem or "not named in the plan; plan again"})
    going = [i for i in items if i.will_export and i.file_name]
    job.set_total(len(going))
    if not going:
        result.seconds = time.monotonic() - started
        return result
    remove_stale_partials(target)
    writer = BundleWriter(target, zip_bundle=options.zip)
    who = options.who or catalog.person or _system_user()   # a team catalog: the login the server stamps
    try:
        entries = _write_items(writer, going, options, job, result, workers)
        if not entries:
            writer.abort()
            result.seconds = time.monotonic() - started
            return result
        used = {i.profile.name: i.profile for i in going if i.profile is not None}
        manifest_sha256, documents = build_documents(
            entries, list(used.values()), purpose=options.purpose.value,
            recipient=options.recipient or None, mode=options.mode,
            rendition=options.rendition.to_json() if options.rendition else None,
            at=at, who=who, version=__version__)
        for name, data in documents:
            writer.add_bytes(name, data, compress=True)
        writer.close()
        report = verify_bundle(writer.staging, deep=False)
        if not report.ok:
            raise MediaError("the staged bundle did not pass its own check, so it was not kept: "
                             + "; ".join(report.problems[:5]))
        # The ledger entry is written before the bundle takes its final name: for an
        # organisation's legal record, an entry for a bundle that a crash kept from appearing is
        # harmless, a bundle that appeared with no entry is not.
        result.manifest_sha256 = manifest_sha256
        stamped = {i.asset.id: i.profile for i in going}
        exported = {e["asset_id"]: stamped[e["asset_id"]] for e in entries if e["role"] == "media"}
        entry = decide_and_record(
            catalog, exported, options.purpose, at if fixed_moment else None, who=who,
            recipient=options.recipient or None, bundle=str(target),
            blocked=result.blocked + [dict(f, failed=True) for f in result.failed],
            manifest_sha256=manifest_sha256, recorded_at=at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
        result.ledger_id = entry.id
    except Cancelled:
        writer.abort()
        result.cancelled = True
        result.exported = []
        result.seconds = time.monotonic() - started
        return result
    except BaseException:
        writer.abort()
        raise
    publish_bundle(catalog, writer, entry, who=who, purpose=options.purpose,
                   recipient=options.recipient or None, target=target)
    result.bundle = str(target)
    result.seconds = time.monotonic() - started
    return result


def _executor(workers: int | None, embedded: int) -> WorkerPool | None:
    """Worker processes for many pictures (exiv2 holds the GIL, so threads would not help);
    a file being written when the export stops is finished, then the staging is removed."""
    workers = min(2, os.cpu_count() or 1) if workers is None else workers
    if workers < 1 or embedded < IN_PROCESS_BELOW:
        return None
    return WorkerPool(workers, label="export")


def _write_items(writer: BundleWriter, going: list[PlanItem], options: ExportOptions, job: Job,
                 result: ExportResult, workers: int | None) -> list[dict[str, Any]]:
    """Produce and write every allowed file; returns the manifest entries of what was written."""
    entries: list[dict[str, Any]] = []
    queue = deque(going)
    pending: deque[tuple[PlanItem, dict[str, Any], Task | None]] = deque()
    pool = _executor(workers, sum(1 for i in going if i.carrier == "embedded"))
    ahead = 2 * (pool.size if pool else 1)
    try:
        while queue or pending:
            while queue and len(pending) < ahead:
                item = queue.popleft()
                assert item.file_name is not None   # only named items are going
                fields = stamp_fields(item.asset, item.profile)
                future = None
                if pool is not None and item.carrier == "embedded":
                    future = pool.submit(produce_embedded, item.asset, fields, options.rendition,
                                         writer.member_path(item.file_name))
                pending.append((item, fields, future))
            item, fields, future = pending.popleft()
            assert item.file_name is not None
            job.check_cancelled()
            try:
                if future is not None:
                    produced = future.result()
                elif item.carrier == "embedded":
                    produced = produce_embedded(item.asset, fields, options.rendition,
                                                writer.member_path(item.file_name))
                else:
                    produced = copy_with_sidecar(writer, item.asset, item.file_name, fields,
                                                 embed=not _untouched(item.asset, options),
                                                 chapters=list(item.chapters))
                if produced.data is not None:
                    writer.add_bytes(item.file_name, produced.data, compress=False)
            except MediaError as exc:
                result.failed.append({"id": item.asset.id, "reason": str(exc)})
                job.advance(1, label=item.file_name)
                continue
            result.warnings.extend(f"{item.file_name}: {w}" for w in produced.warnings)
            entries.extend(_manifest_entries(item, fields, produced, options))
            if item.chapters:
                entries.append(_write_chapters(writer, item))
            result.exported.append({"id": item.asset.id, "file": item.file_name,
                                    "sha256": produced.sha256, "sidecar": produced.sidecar_name})
            job.advance(1, label=item.file_name)
    except OSError as exc:
        raise MediaError(f"the bundle could not be written in {writer.target.parent}: "
                         f"{exc.strerror or exc} (disk full or no permission?)") from None
    except WorkerCrashed:
        raise MediaError("an export worker process stopped unexpectedly (out of memory?); "
                         "nothing was kept; try again with fewer files") from None
    finally:
        if pool is not None:
            pool.close()
    return entries


def _manifest_entries(item: PlanItem, fields: dict[str, Any], produced: Produced,
                      options: ExportOptions) -> list[dict[str, Any]]:
    asset, profile = item.asset, item.profile
    common = {
        "asset_id": asset.id, "caption": fields.get("caption"), "credit": fields.get("credit"),
        "copyright": fields.get("copyright"), "usage_terms": fields.get("usage_terms"),
        "rights_profile": profile.name if profile else None,
        "decision": {"code": item.decision.code, "allowed": True, "reason": item.decision.reason,
                     "purpose": options.purpose.value},
    }
    media = {
        "file": item.file_name, "role": "media", "sha256": produced.sha256, "size": produced.size,
        "kind": asset.kind, "carrier": item.carrier, "sidecar": produced.sidecar_name,
        "embedded_xmp": produced.embedded_xmp or item.carrier == "embedded",
        "pixels": produced.pixels, "width": produced.width, "height": produced.height,
        "title": fields.get("title"), "source_file": asset.file_name,
        "source_sha256": asset.content_hash, **common,
    }
    out = [media]
    if produced.sidecar_name:
        out.append({"file": produced.sidecar_name, "role": "sidecar", "for": item.file_name,
                    "sha256": produced.sidecar_sha256, "size": produced.sidecar_size, **common})
    return out


def _write_chapters(writer: BundleWriter, item: PlanItem) -> dict[str, Any]:
    """The video's chapters as a WebVTT chapters file beside it; its manifest entry."""
    name = f"{item.file_name}{CHAPTERS_SUFFIX}"
    data = chapters_vtt(list(item.chapters)).encode("utf-8")
    writer.add_bytes(name, data, compress=True)
    return {"file": name, "role": "chapters", "for": item.file_name, "asset_id": item.asset.id,
            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _system_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
