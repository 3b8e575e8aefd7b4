"""One INFO line in the log per import, export, publish, write-back and batch edit (issue 11):
what, how many, how long, where the report is."""

from __future__ import annotations

import logging

import pytest

from mediadesk.domain.rights import Purpose
from mediadesk.services.activity import export_bundle, publish_site, write_back
from mediadesk.services.edits import apply_edits
from mediadesk.services.export import ExportOptions, plan_export
from mediadesk.services.importer import import_paths
from mediadesk.services.publish import PublishOptions, plan_publish
from mediadesk.services.templates import add_template, apply_template

from tests.support.export_fixtures import build_library


@pytest.fixture
def lib(tmp_path):
    return build_library(tmp_path, with_video=False)


def _lines(caplog, prefix: str) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.INFO and r.getMessage().startswith(prefix)]


def test_each_operation_leaves_one_line(lib, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mediadesk")
    ids = list(lib.ids.values())
    with lib.open() as catalog:
        report = import_paths(catalog, [str(lib.files["pl"].parent)], workers=0)
        [line] = _lines(caplog, f"import of {lib.files['pl'].parent} finished: ")
        assert f"{report.unchanged} unchanged" in line and f"import run {report.batch_id}" in line
        assert " s (" in line

        add_template(catalog, "visit", "caption", "Visit, {seq}")
        apply_template(catalog, "visit", ids)
        apply_edits(catalog, {ids[0]: {"caption": "one asset is no batch"}})
        [line] = _lines(caplog, "batch edit: ")
        assert f"on {len(ids)} assets" in line and "`mediadesk undo` takes it back" in line

        plan = plan_export(catalog, ids, ExportOptions(purpose=Purpose.EDITORIAL_ONLINE))
        result = export_bundle(catalog, plan, tmp_path / "bundle", workers=0)
        [line] = _lines(caplog, "export for editorial-online: ")
        assert f"{len(result.exported)} files to {result.bundle}" in line
        assert f"{len(result.blocked)} blocked" in line and f"ledger entry {result.ledger_id}" in line

        site = publish_site(catalog, plan_publish(catalog, ids, PublishOptions(title="Visit")),
                            tmp_path / "site", workers=0)
        [line] = _lines(caplog, f"publishing to {tmp_path / 'site'}: ")
        assert f"{len(site.published)} assets online" in line and f"ledger entry {site.ledger_id}" in line

        written = write_back(catalog, ids[:1], dry_run=True, workers=0)
        [line] = _lines(caplog, "write-back (dry run) of 1 assets: ")
        assert f"{written.count('would-write')} would be written" in line
