"""Hostile and broken files (issue 7): 500 mutated files imported through the real importer.

The fuzzer lives in stress/fuzz_import.py (the stress run does 10,000 cases); here it runs a
CI-sized batch and asserts: the import returns (no crash, no hang: a per-file time limit), every
case is accounted for by its path, nothing from /etc/passwd reaches the catalog, and the
importing process stays under its memory cap.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.services.importer import import_paths

import fuzz_import as fz


def test_500_mutated_files_import_without_crash_hang_or_leak(tmp_path):
    tally = fz.run_fuzz(500, seed=7, workdir=tmp_path, batch=250, workers=2, time_limit=20)
    print(tally.report())
    assert tally.cases == 500
    assert not tally.errors, tally.errors            # import_paths itself never raised
    assert not tally.unaccounted, tally.unaccounted  # every failure is reported by its path
    assert not tally.leaks, tally.leaks              # no /etc/passwd text in the catalog
    assert tally.main_rss_mb < fz.MAIN_RSS_CAP_MB
    assert tally.outcomes["imported"] > 100          # the fuzzer is not just producing garbage
    assert sum(n for o, n in tally.outcomes.items() if o.startswith("failed")) > 20
    assert tally.outcomes.get("failed:time limit", 0) == 0


@pytest.mark.sqlite_only("the leak scan reads every column of the catalog file; the XMP is parsed before any "
                         "engine sees it, so the engines cannot differ here")
@pytest.mark.parametrize("where", ["inside", "sidecar"])
def test_external_entities_and_entity_bombs_never_reach_the_catalog(catalog, tmp_path, where):
    seed = fz.generated_seeds()["gen.jpg"]
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, make in fz.HOSTILE_XMP.items():
        packet = make()
        path = folder / f"{name}.jpg"
        if where == "inside":
            path.write_bytes(fz._insert_after_soi(seed[:2] + seed[2:], fz._app1_xmp(packet)) + name.encode())
        else:
            path.write_bytes(seed + name.encode())   # distinct bytes, so no duplicates
            Path(str(path) + ".xmp").write_bytes(packet)
    started = time.monotonic()
    report = import_paths(catalog, [str(folder)], workers=2, time_limit=20)
    assert time.monotonic() - started < 60
    assert report.imported + report.failed == len(fz.HOSTILE_XMP), report.to_json()
    assert fz.catalog_text_leaks(catalog.path, fz._passwd_markers()) == []
    assets = AssetStore(catalog).get_many(AssetStore(catalog).all_ids())
    for a in assets:
        assert "lollollol" not in (a.caption or "")
        assert "root:" not in (a.caption or "") + (a.credit or "")
