"""The morning's job at the captioning desk (issue 17), from the keyboard only, counted.

Import a camera card of 12 frames into a new gallery, caption them with the stationery pad using
codes, fix one caption, tag two people, rate three. Every key goes to the widget that has the
focus, as a keyboard would send it (never to a widget the test picks); every chord (a key with
its modifiers, other than the characters of the text typed) is counted, and an event filter on
the application counts mouse presses. Photo Mechanic needs about 25 chords for the same job
(the issue's measurement); the README prints this count next to it.
"""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog

from mediadesk.catalog.connection import Catalog
from mediadesk.demo.card import write_camera_card
from mediadesk.services.codes import set_code
from mediadesk.services.templates import save_template

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

PHOTO_MECHANIC_CHORDS = 25
CODES = {"rutte": "NATO Secretary General Mark Rutte", "duda": "President of Poland Andrzej Duda",
         "hq": "NATO headquarters"}
# the press office's pad from yesterday: today's caption is typed over its caption
PAD = "NATO desk"
PAD_LINES = [("caption", "", "replace"), ("credit", "NATO", "replace"),
             ("copyright", "NATO", "replace"), ("city", "Brussels", "replace"),
             ("country", "Belgium", "replace")]


class MouseCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def eventFilter(self, _obj, event):
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.presses += 1
        return False


class Keyboard:
    """Sends keys to whatever has the focus now, and counts the chords."""

    def __init__(self, qtbot, window) -> None:
        self.qtbot = qtbot
        self.window = window
        self.chords: list[str] = []
        self.characters = 0

    def focus(self):
        if QApplication.focusWidget() is None:
            # the window manager's part, which offscreen Qt has none of: when a dialog closes,
            # the window under it (the modal dialog still open, else the main window) is activated
            (QApplication.activeModalWidget() or self.window).activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
        return QApplication.focusWidget()

    def chord(self, key, modifier=Qt.KeyboardModifier.NoModifier, name: str = "") -> None:
        self.chords.append(name or str(key))
        QTest.keyClick(self.focus(), key, modifier)

    def type(self, text: str) -> None:
        self.characters += len(text)
        QTest.keyClicks(self.focus(), text)


def test_the_mornings_job_takes_at_most_25_chords_and_no_mouse(window, qtbot, library, tmp_path):
    with Catalog(library) as catalog:
        for code, text in CODES.items():
            set_code(catalog, code, text)
        save_template(catalog, PAD, PAD_LINES)
    card = tmp_path / "card"
    write_camera_card(card, 12, size=(320, 214))
    keys = Keyboard(qtbot, window)
    mouse = MouseCounter()
    app = QApplication.instance()
    app.installEventFilter(mouse)

    def file_dialog(dialog: QFileDialog) -> int:
        # the window's own (Qt, not native) folder dialog: type the card's path, Return
        dialog.open()
        def in_the_dialog() -> bool:
            widget = QApplication.focusWidget()
            return widget is not None and widget.window() is dialog

        qtbot.waitUntil(in_the_dialog, timeout=5000)
        keys.type(str(card))
        keys.chord(Qt.Key.Key_Return, name="Return (folder)")
        if dialog.isVisible():           # the completer's popup took the first Return
            keys.chord(Qt.Key.Key_Return, name="Return (folder, again)")
        return dialog.result()

    window.file_dialogs.execute = file_dialog
    try:
        window.activateWindow()
        window.grid.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.grid, timeout=3000)

        # 1. import the card into a new gallery with the pad, today's caption typed into it
        keys.chord(Qt.Key.Key_I, CTRL_SHIFT, "Ctrl+Shift+I")
        dialog = window.desk.import_dialog
        assert dialog is not None and dialog.paths == [str(card)]
        qtbot.waitUntil(lambda: QApplication.focusWidget() in (dialog.gallery, dialog.gallery.lineEdit()),
                        timeout=3000)
        keys.type("Duda at NATO HQ")                                   # a new gallery
        keys.chord(Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier, "Alt+P (stationery pad)")
        keys.chord(Qt.Key.Key_N, name="N (NATO desk)")
        assert dialog.pad.currentData() == PAD
        keys.chord(Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier, "Alt+E (edit the pad)")
        qtbot.waitUntil(lambda: dialog.pad_dialog is not None, timeout=3000)   # (a mnemonic clicks animated)
        pad = dialog.pad_dialog
        qtbot.waitUntil(lambda: QApplication.focusWidget() is pad.lines["caption"].text, timeout=3000)
        keys.type("=rutte= welcomes =duda= at =hq=, frame {seq}.")
        keys.chord(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier, "Alt+S (save the pad)")
        qtbot.waitUntil(lambda: "Saved" in pad.status.text(), timeout=5000)
        keys.chord(Qt.Key.Key_Escape, name="Esc (close the pad)")
        qtbot.waitUntil(lambda: not pad.isVisible(), timeout=3000)
        keys.chord(Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier, "Alt+I (import)")
        qtbot.waitUntil(lambda: not window.importer.running and window.pane.title.text() == "Imported: card",
                        timeout=30000)
        qtbot.waitUntil(lambda: window.model.rowCount() == 12 and not window.results.pending, timeout=10000)
        assert keys.focus() is window.grid and window.grid.currentIndex().row() == 0   # ready for keys
        ids = list(window.model.ids())

        # 2. fix the caption of the fifth frame
        for _ in range(4):
            keys.chord(Qt.Key.Key_Right, name="Right")
        keys.chord(Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier, "Alt+C (caption)")
        keys.type(" Duda signs the guest book.")
        keys.chord(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, "Ctrl+Return (save, back to the grid)")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.grid, timeout=3000)

        # 3. tag the two people on it
        keys.chord(Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier, "Alt+P (people)")
        keys.type("Mark Rutte; Andrzej Duda")
        keys.chord(Qt.Key.Key_Return, name="Return (save, back to the grid)")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.grid, timeout=3000)

        # 4. rate three frames
        keys.chord(Qt.Key.Key_5, name="5")
        keys.chord(Qt.Key.Key_Right, name="Right")
        keys.chord(Qt.Key.Key_4, name="4")
        keys.chord(Qt.Key.Key_Right, name="Right")
        keys.chord(Qt.Key.Key_4, name="4")
        qtbot.waitUntil(lambda: not window.runner.busy, timeout=10000)
    finally:
        app.removeEventFilter(mouse)

    with Catalog(library) as catalog:
        frames = {a.file_name: a for a in catalog.assets.get_many(ids)}
    assert sorted(frames) == [f"DSC_{n}.JPG" for n in range(4711, 4723)]
    for n, name in enumerate(sorted(frames), start=1):
        asset = frames[name]
        assert asset.galleries == ("Duda at NATO HQ",)
        assert asset.credit == "NATO" and asset.city == "Brussels"
        expected = (f"NATO Secretary General Mark Rutte welcomes President of Poland Andrzej Duda at "
                    f"NATO headquarters, frame {n}.")
        assert asset.caption == expected + (" Duda signs the guest book." if n == 5 else "")
    assert frames["DSC_4715.JPG"].people == ("Mark Rutte", "Andrzej Duda")
    assert {name: frames[name].rating for name in frames if frames[name].rating} == {
        "DSC_4715.JPG": 5, "DSC_4716.JPG": 4, "DSC_4717.JPG": 4}
    print(f"\nthe morning's job: {len(keys.chords)} chords, {mouse.presses} mouse presses, "
          f"{keys.characters} characters of text; Photo Mechanic: about {PHOTO_MECHANIC_CHORDS} chords\n"
          + ", ".join(keys.chords))
    assert mouse.presses == 0
    assert len(keys.chords) <= PHOTO_MECHANIC_CHORDS
