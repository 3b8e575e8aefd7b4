"""What the tests share: builders of real media, catalogs and bundles, the window helpers, the
browser and exiftool helpers, and the places of things (``paths``). Import it as
``tests.support.NAME``; fixtures live in the conftest.py files, not here."""
