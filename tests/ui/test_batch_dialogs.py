import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from mediadesk.catalog import open_catalog
from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.codes import CodeStore
from mediadesk.catalog.history import HistoryStore
from mediadesk.services.codes import set_code
from mediadesk.services.templates import add_template

from mediadesk.ui.batch_editor import BatchEditorDialog
from mediadesk.ui.code_expander import install_code_expansion
from mediadesk.ui.codes_dialog import CodesDialog
from mediadesk.ui.find_replace_dialog import FindReplaceDialog

from tests.support.factories import insert


@pytest.fixture
def three(catalog_path):
    cat = open_catalog(catalog_path)
    ids = [insert(cat, caption=f"Frame {i}", city="Vilnius", people=["Kęstutis Budrys"]) for i in range(3)]
    add_template(cat, "visit", "caption", "{people} in {city} ({seq:02})")
    add_template(cat, "visit", "credit", "NATO")
    cat.close()
    return ids


def test_batch_editor_previews_and_applies_one_operation(qtbot, catalog_path, three):
    dialog = BatchEditorDialog(str(catalog_path), three)
    qtbot.addWidget(dialog)
    dialog.choose_template("visit")
    qtbot.waitUntil(lambda: dialog.outcome is not None)    # the preview is worked out off the GUI thread
    assert dialog.preview.rowCount() == 6
    assert dialog.preview.cell_text(0, 2) == "Frame 0"
    assert dialog.preview.cell_text(0, 3) == "Kęstutis Budrys in Vilnius (01)"
    assert dialog.apply_button.isEnabled()
    with qtbot.waitSignal(dialog.applied) as signal:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].assets == frozenset(three)
    with open_catalog(catalog_path) as cat:
        assert [a.caption for a in AssetStore(cat).get_many(three)] == [
            f"Kęstutis Budrys in Vilnius ({n:02})" for n in (1, 2, 3)]
        assert len(HistoryStore(cat).operations()) == 1


def test_batch_editor_ad_hoc_and_errors(qtbot, catalog_path, three):
    dialog = BatchEditorDialog(str(catalog_path), three)
    qtbot.addWidget(dialog)
    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("headline"))
    qtbot.keyClicks(dialog.text_edit, "{venue}")
    qtbot.waitUntil(lambda: "unknown template variable" in dialog.status.text())
    assert not dialog.apply_button.isEnabled()
    dialog.text_edit.setPlainText("Summit in {city}")
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 3)
    assert dialog.preview.cell_text(2, 3) == "Summit in Vilnius"


def test_find_replace_preview_shows_old_and_new(qtbot, catalog_path, three):
    dialog = FindReplaceDialog(str(catalog_path), three)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.find_edit, r"Frame (\d)")
    dialog.regex_box.setChecked(True)
    qtbot.keyClicks(dialog.replace_edit, r"Kadras \1")
    qtbot.waitUntil(lambda: dialog.preview.rowCount() == 3)
    assert dialog.preview.cell_text(1, 2) == "Frame 1"
    assert dialog.preview.cell_text(1, 3) == "Kadras 1"
    assert "line-through" in dialog.preview.cellWidget(1, 2).text()  # the changed part is marked
    with qtbot.waitSignal(dialog.applied):
        dialog.apply_button.click()
    with open_catalog(catalog_path) as cat:
        assert AssetStore(cat).get(three[2]).caption == "Kadras 2"


def test_code_expansion_while_typing(qtbot, catalog_path):
    with open_catalog(catalog_path) as cat:
        set_code(cat, "rutte", "NATO Secretary General Mark Rutte")
    line = QLineEdit()
    text = QPlainTextEdit()
    for widget in (line, text):
        qtbot.addWidget(widget)
        install_code_expansion(widget, str(catalog_path))
    qtbot.keyClicks(line, "With =rutte= and =nobody=")
    qtbot.waitUntil(lambda: "Mark Rutte" in line.text())
    assert line.text() == "With NATO Secretary General Mark Rutte and =nobody="
    qtbot.keyClicks(text, "=rutte=")
    qtbot.waitUntil(lambda: text.toPlainText() == "NATO Secretary General Mark Rutte")


def test_codes_dialog_add_import_export(qtbot, catalog_path, tmp_path):
    dialog = CodesDialog(str(catalog_path))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code_edit, "duda")
    qtbot.keyClicks(dialog.expansion_edit, "Andrzej Duda, President of Poland")
    qtbot.keyClick(dialog.expansion_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy)    # changes are written on the runner's writer lane
    assert dialog.table.rowCount() == 1
    path = tmp_path / "in.txt"
    path.write_text("vucic\tAleksandar Vučić\n", encoding="utf-8")
    dialog.import_file(str(path))
    out = tmp_path / "out.txt"
    dialog.export_file(str(out))
    qtbot.waitUntil(lambda: not dialog.busy)
    assert out.read_text(encoding="utf-8") == (
        "duda\tAndrzej Duda, President of Poland\nvucic\tAleksandar Vučić\n")
    dialog.table.item(1, 1).setText("Aleksandar Vučić, President of Serbia")
    qtbot.waitUntil(lambda: not dialog.busy)
    with open_catalog(catalog_path) as cat:
        assert CodeStore(cat).get("vucic") == "Aleksandar Vučić, President of Serbia"
