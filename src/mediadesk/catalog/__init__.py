"""The catalog: the ``Catalog`` facade, its stores, and the engine seam (``dialect/``).

All SQL in mediadesk lives in this package; what only one engine does lives in its dialect module.
"""

from mediadesk.catalog.connection import Catalog, open_catalog

__all__ = ["Catalog", "open_catalog"]
