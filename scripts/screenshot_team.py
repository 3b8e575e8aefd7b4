"""Screenshots of the window on a team catalog (issue 12): the window with its status label, File >
Open Team Catalog, a typed edit that met another desk's change, the server gone while typing, and
a storage root that is not mounted.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_team.py [--out /tmp/team-shots]

It starts a throwaway PostgreSQL (tests/support/pg_cluster.py) with a catalog of a few photos.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # the checkout, for tests.support

from screenshots import select_row, settle, wait

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from mediadesk.app import create_main_window
from mediadesk.catalog.connection import Catalog
from mediadesk.services.edits import Conflict
from mediadesk.services.importer import import_paths
from mediadesk.services.roots import add_root

from tests.support.pg_cluster import Cluster
from tests.support.ui_fixtures import make_sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/team-shots")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="mediadesk-team-shots-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(home / name.lower())
    app = QApplication.instance() or QApplication(sys.argv)
    with Cluster() as cluster:
        os.environ["PGPASSFILE"] = str(cluster.pgpass)
        url = cluster.create_database("press")
        folder = home / "press"
        make_sources(folder, photos=8, videos=1)
        with Catalog(url) as catalog:
            add_root(catalog, "press", folder)
            import_paths(catalog, [str(folder)], workers=0)
        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        window = create_main_window(url, settings)
        window.resize(1400, 900)
        window.show()
        wait(app, lambda: window.sidebar_data is not None and window.model.rowCount() > 0)
        select_row(window, 1)
        settle(app, 1.5)
        window.grab().save(str(out / "team-window.png"))

        dialog = window.catalog_menu.dialog()
        dialog.url.setText(url)
        dialog.show()
        settle(app)
        dialog.grab().save(str(out / "team-open-dialog.png"))
        dialog.close()

        asset = window.model.asset_at(1)
        assert asset is not None
        shown = window.outcomes.show_conflicts(
            [Conflict(asset.id, "caption", "Rutte meets Duda in Brussels", asset.caption, asset.caption,
                      "at another desk (ann), 2026-11-30 13:05 UTC (Edit caption)")], "Edit caption")
        settle(app)
        shown.grab().save(str(out / "team-conflict.png"))
        shown.close()

        with cluster.connect() as admin:              # the server turns this desk away
            admin.execute("ALTER DATABASE press ALLOW_CONNECTIONS false")
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'press'")
        window.history.apply({asset.id: {"caption": "Typed while the server was away"}}, "Edit caption",
                             {asset.id: {"caption": asset.caption}})
        wait(app, lambda: bool(window.history.pending), timeout=30)
        window.inspector.keep_unsaved([asset.id], {"caption": "Typed while the server was away"},
                                      {asset.id: {"caption": asset.caption}})
        settle(app, 1.0)
        window.grab().save(str(out / "team-lost.png"))
        with cluster.connect() as admin:
            admin.execute("ALTER DATABASE press ALLOW_CONNECTIONS true")
        window.history.retry_pending()
        wait(app, lambda: not window.history.pending, timeout=30)

        folder.rename(folder.with_name("press-unmounted"))   # the share is gone from this desk
        settle(app, 6.0)                                      # roots are checked every 5 s
        select_row(window, 2)
        settle(app, 1.5)
        window.grab().save(str(out / "team-offline.png"))
        window.shutdown()
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
