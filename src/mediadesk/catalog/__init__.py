"""The SQLite catalog. All SQL in mediadesk lives in this package."""

from mediadesk.catalog.connection import Catalog, open_catalog

__all__ = ["Catalog", "open_catalog"]
