"""What a catalog holds, in numbers (``mediadesk catalog info``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mediadesk.catalog.connection import Catalog

# table -> the name ``catalog info`` gives its count
COUNTED = {
    "assets": "assets", "galleries": "galleries", "gallery_assets": "gallery_members",
    "rights_profiles": "rights_profiles", "edit_operations": "edit_operations",
    "export_ledger": "ledger_entries", "caption_templates": "template_lines",
    "code_replacements": "codes", "people_directory": "people", "saved_searches": "saved_searches",
    "import_batches": "imports",
}


def counts(catalog: Catalog) -> dict[str, int]:
    out = {name: int(catalog.scalar(f"SELECT count(*) FROM {table}")) for table, name in COUNTED.items()}
    if catalog.url is not None:
        out["thumbnails"] = int(catalog.scalar("SELECT count(*) FROM thumbnails"))
    return out


def server(catalog: Catalog) -> dict[str, Any]:
    """A team catalog's server, as this desk sees it (no password, ever)."""
    if catalog.url is None:
        return {}
    row = catalog.execute("SELECT current_user, current_database(), version()").fetchone()
    return {"user": row[0], "database": row[1], "version": str(row[2]).split(",")[0],
            "tls": bool(catalog.conn.pgconn.ssl_in_use), "desk": catalog.desk}
