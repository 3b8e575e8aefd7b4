"""Exports, publishing and write-back with their line in the log.

One INFO line per operation (what, how many, how long, where its report is), as imports
(services/importer.py) and batch edits (services/edits.py) write theirs. The command line and the
window call these rather than the bare use cases, so every run is in the log (the window logs at
INFO; the command line from ``MEDIADESK_LOG_LEVEL=INFO``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from mediadesk.catalog.connection import Catalog
from mediadesk.services.export import ExportPlan, ExportResult, run_export
from mediadesk.services.publish import PublishPlan, PublishResult, run_publish
from mediadesk.services.writeback import WritebackReport, writeback

log = logging.getLogger(__name__)


def export_bundle(catalog: Catalog, plan: ExportPlan, out: str | os.PathLike[str], **options: Any) -> ExportResult:
    """``services.export.run_export``, logged."""
    result = run_export(catalog, plan, out, **options)
    purpose = plan.options.purpose.value
    if result.cancelled:
        log.info("export for %s to %s cancelled after %.1f s; nothing was kept", purpose, out, result.seconds)
    elif result.bundle is None:
        log.info("export for %s to %s: nothing written (%d blocked, %d could not be read) in %.1f s",
                 purpose, out, len(result.blocked), len(result.failed), result.seconds)
    else:
        log.info("export for %s: %d files to %s, %d blocked, %d failed in %.1f s; report: the bundle's "
                 "manifest.json and RIGHTS.txt, ledger entry %s", purpose, len(result.exported),
                 result.bundle, len(result.blocked), len(result.failed), result.seconds, result.ledger_id)
    return result


def publish_site(catalog: Catalog, plan: PublishPlan, out: str | os.PathLike[str], **options: Any) -> PublishResult:
    """``services.publish.run_publish``, logged."""
    result = run_publish(catalog, plan, out, **options)
    if result.cancelled:
        log.info("publishing to %s cancelled after %.1f s; the site was left as it was", out, result.seconds)
    else:
        log.info("publishing to %s: %d assets online (%d added, %d changed, %d removed), %d left out, "
                 "%d files written in %.1f s; page %s, ledger entry %s", out, len(result.published),
                 len(result.added), len(result.changed), len(result.removed), len(result.left_out),
                 result.files_written, result.seconds, result.page or result.site, result.ledger_id)
    return result


def write_back(catalog: Catalog, asset_ids: Sequence[int], **options: Any) -> WritebackReport:
    """``services.writeback.writeback``, logged."""
    report = writeback(catalog, asset_ids, **options)
    what = "write-back (dry run)" if report.dry_run else "write-back"
    log.info("%s of %d assets: %d written, %d would be written, %d unchanged, %d failed, %d skipped in "
             "%.1f s%s", what, len(asset_ids), report.count("written"), report.count("would-write"),
             report.count("unchanged"), report.count("failed"), report.count("skipped"), report.seconds,
             "; cancelled" if report.cancelled else "")
    return report
