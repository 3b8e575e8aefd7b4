"""An import as a photo desk runs it: the files into a gallery, then the stationery pad (a saved
caption template) and a rights profile on what the import added.

The window's Import dialog and ``mediadesk import --template NAME --rights-profile NAME`` call
:func:`ingest`. The import itself is not an edit (it cannot be undone, as a file copy cannot);
the template and the profile are each one undoable operation, so Ctrl+Z takes back the
captions of the whole shoot in one step. Both go only to the assets the import *added*: a file
the catalog already had (imported again, a duplicate, a move) keeps the captions and rights a
person gave it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.changes import Changes
from mediadesk.domain.errors import InvalidInput, MediadeskError
from mediadesk.jobs import Job
from mediadesk.services.edits import BatchResult, EditResult
from mediadesk.services.rights import assign_profile
from mediadesk.services.templates import apply_template_after_import, template_lines

if TYPE_CHECKING:     # the import service brings the media libraries: loaded when an import runs
    from mediadesk.services.importer import ImportReport


@dataclass(frozen=True)
class IngestOptions:
    gallery: str | None = None           # put the shoot in this gallery (created if new)
    template: str | None = None          # a saved template (the stationery pad) by name
    rights_profile_id: int | None = None  # give the new assets this profile


@dataclass
class IngestResult:
    report: ImportReport
    template: BatchResult | None = None
    rights: EditResult | None = None
    problems: list[str] = field(default_factory=list)   # what could not be done after the import

    shown_ids: list[int] = field(default_factory=list)  # asset_ids in file order (the shoot's order)
    roots: list[str] = field(default_factory=list)       # the files and folders imported

    @property
    def asset_ids(self) -> list[int]:
        """Every asset of this import (added, re-read, moved, already known), once, in order."""
        return list(dict.fromkeys([*self.report.asset_ids, *self.report.unchanged_ids]))

    @property
    def changes(self) -> Changes:
        out = Changes(added=True, galleries=True, rights=True, assets=frozenset(self.asset_ids))
        for part in (self.template, self.rights):
            if part is not None:
                out = out | part.changes
        return out


def check_options(catalog: Catalog, options: IngestOptions) -> None:
    """Refuse a template or profile that does not exist before any file is read."""
    if options.template:
        template_lines(catalog, options.template)        # NotFound names the known templates
    if options.rights_profile_id is not None:
        catalog.rights.get(options.rights_profile_id)     # NotFound names the id
        if not catalog.rights.may_assign():
            raise InvalidInput("you may not assign rights profiles in this catalog; import without one "
                               "and ask whoever manages the rights")


def ingest(catalog: Catalog, paths: Iterable[str], options: IngestOptions, *, job: Job | None = None,
           workers: int | None = None, time_limit: float | None = None,
           on_batch: Callable[[list[int], Changes], None] | None = None) -> IngestResult:
    """Import ``paths`` (into ``options.gallery``), then apply the template and the profile to
    the assets the import added. A problem after the import (a template line a file cannot
    fill, say) is reported in ``problems``; what was imported stays."""
    from mediadesk.services.importer import import_paths  # (PyAV, exiv2, Pillow: not at every start)

    check_options(catalog, options)
    roots = list(paths)
    report = import_paths(catalog, roots, gallery=options.gallery, job=job, workers=workers,
                          time_limit=time_limit, on_batch=on_batch)
    result = IngestResult(report, roots=roots)
    files = catalog.asset_files.files(result.asset_ids)
    result.shown_ids = [f.id for f in sorted(files, key=lambda f: f.path)]
    added = list(dict.fromkeys(report.added_ids))
    if not added or report.cancelled:
        return result
    if options.template:
        try:
            result.template = apply_template_after_import(catalog, options.template, added,
                                                          gallery=options.gallery)
        except MediadeskError as exc:
            result.problems.append(f'the template "{options.template}" was not applied: {exc}')
    if options.rights_profile_id is not None:
        try:
            result.rights = assign_profile(catalog, added, options.rights_profile_id)
        except MediadeskError as exc:
            result.problems.append(f"the rights profile was not assigned: {exc}")
    return result
