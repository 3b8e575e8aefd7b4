"""Mending a catalog from elsewhere (``mediadesk catalog repair``): remove the schema objects
mediadesk did not make (triggers, views, indexes planted in a file someone sent) and rebuild its
own indexes and the search index, in one transaction (catalog/schema.py)."""

from __future__ import annotations

import logging

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.schema import RepairReport

log = logging.getLogger(__name__)


def repair_catalog(catalog: Catalog) -> RepairReport:
    report = catalog.repair_schema()
    log.info("catalog repair of %s: %s; not repairable: %s", catalog.path, "; ".join(report.done) or "nothing to do",
             "; ".join(report.unrepairable) or "none")
    return report
