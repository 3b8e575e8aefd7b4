"""Every focusable widget has an accessible name, labels are buddies of their fields, Tab follows
the screen: in the main window and in every dialog the application has (issue 17)."""

import importlib
import inspect
import itertools
import pkgutil

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QToolBar,
    QWidget,
)

from mediadesk.services.edits import Conflict
from mediadesk.services.importer import ImportReport

import mediadesk.ui
from mediadesk.ui.batch_editor import BatchEditorDialog
from mediadesk.ui.codes_dialog import CodesDialog
from mediadesk.ui.conflict_dialog import ConflictDialog
from mediadesk.ui.crash_dialog import CrashReporter
from mediadesk.ui.export_dialog import ExportDialog
from mediadesk.ui.file_dialogs import PURPOSES
from mediadesk.ui.find_replace_dialog import FindReplaceDialog
from mediadesk.ui.import_dialog import ImportDialog
from mediadesk.ui.import_report import ImportReportDialog
from mediadesk.ui.info_dialog import InfoDialog
from mediadesk.ui.prompts import text_dialog
from mediadesk.ui.publish_dialog import PublishDialog
from mediadesk.ui.stationery_pad import StationeryPadDialog
from mediadesk.ui.writeback_dialog import WritebackDialog

from tests.support.ui_fixtures import close_window, open_window, rows_where, select, wait_inspector

ROW = 12   # px: widgets whose tops are this close are on one line of the screen


def focusable(widget: QWidget, root: QWidget) -> bool:
    return (bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisibleTo(root)
            and widget.focusProxy() is None)


def name_of(widget: QWidget) -> str:
    """What a screen reader announces: the accessible name, or a button's own text."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


def unnamed(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
            for w in root.findChildren(QWidget) if focusable(w, root) and not name_of(w)]


def label_problems(root: QWidget) -> list[str]:
    """Form labels whose buddy is not their field's first focusable widget."""
    problems = []
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            shown = label.widget() if label is not None else None
            if shown is None or field is None:
                continue
            text = shown if isinstance(shown, QLabel) else shown.findChild(QLabel)
            if text is None or not text.text().strip():
                continue
            first = _first_focusable(field.widget() or field.layout(), root)
            if first is not None and text.buddy() is not first:
                problems.append(f"“{text.text()}” is not the buddy of {type(first).__name__} {name_of(first)!r}")
    return problems


def _first_focusable(item, root: QWidget) -> QWidget | None:
    if isinstance(item, QWidget):
        if focusable(item, root):
            return item
        return next((w for w in item.findChildren(QWidget) if focusable(w, root)), None)
    if isinstance(item, QLayout):
        for index in range(item.count()):
            child = item.itemAt(index)
            if child is None:
                continue
            found = _first_focusable(child.widget() or child.layout(), root)
            if found is not None:
                return found
    return None


def tab_chain(root: QWidget) -> list[QWidget]:
    wanted = [w for w in root.findChildren(QWidget) if focusable(w, root) and w.isEnabled()]
    chain: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not None and widget is not root and len(chain) < 1000:
        if widget in wanted and widget not in chain:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    missing = [name_of(w) for w in wanted if w not in chain]
    assert not missing, f"not reachable with Tab: {missing}"
    return chain


def reading_order_problems(root: QWidget, regions: list[QWidget] | None = None) -> list[str]:
    """Consecutive Tab stops that go back up the screen, or leftwards on one line (within a region;
    a dialog's buttons come last, wherever the dialog puts them)."""
    def region(widget):
        parent = widget.parentWidget()
        while parent is not None and parent is not root:
            if isinstance(parent, QDialogButtonBox):
                return len(regions or []) + 1
            parent = parent.parentWidget()
        for number, area in enumerate(regions or []):
            if area is widget or area.isAncestorOf(widget):
                return number
        return 0

    problems = []
    chain = tab_chain(root)
    for a, b in itertools.pairwise(chain):
        ra, rb = region(a), region(b)
        pa, pb = a.mapTo(root, a.rect().topLeft()), b.mapTo(root, b.rect().topLeft())
        if ra != rb:
            ok = rb > ra
        elif abs(pb.y() - pa.y()) <= ROW:
            ok = pb.x() > pa.x()
        else:
            ok = pb.y() > pa.y()
        if not ok:
            problems.append(f"Tab goes from {name_of(a)!r} ({pa.x()},{pa.y()}) back to {name_of(b)!r} "
                            f"({pb.x()},{pb.y()})")
    return problems


def check(root: QWidget, regions: list[QWidget] | None = None) -> None:
    assert not unnamed(root), unnamed(root)
    assert not label_problems(root), label_problems(root)
    assert not reading_order_problems(root, regions), reading_order_problems(root, regions)


def test_main_window_with_a_photo_a_video_a_search_and_the_table(window, qtbot):
    regions = [window.findChild(QToolBar), window.sidebar, window.centre, window.right]
    for kind in ("photo", "video"):
        row = rows_where(window, lambda a, kind=kind: a.kind == kind)[0]
        select(window, [row])
        wait_inspector(qtbot, window, [window.model.id_at(row)])
        check(window, regions)
    names = {name_of(w) for w in window.findChildren(QWidget) if focusable(w, window)}
    assert {"Search", "Library, galleries and saved searches", "Assets (thumbnails)", "Caption", "Rating",
            "Rights profile", "Thumbnail size", "Position in the video", "Mute"} <= names, names
    qtbot.keyClicks(window.search.field, "rutte")            # the chip and Save search… are shown
    qtbot.waitUntil(window.pane.search_chip.isVisible, timeout=5000)
    check(window, regions)
    window.set_table_mode(True)
    check(window, regions)


def test_the_welcome_page_of_an_empty_catalog(qtbot, tmp_path, settings):
    window = open_window(qtbot, tmp_path / "empty.mediadesk", settings)
    try:
        assert window.centre.currentWidget() is window.welcome
        check(window, [window.findChild(QToolBar), window.sidebar, window.centre, window.right])
    finally:
        close_window(window)


def _dialogs(window):
    ids = [window.model.id_at(r) for r in range(window.model.rowCount())]
    report = ImportReport(imported=1, failed=1, errors=[{"path": "/x/broken.jpg", "error": "truncated"}],
                          skipped=[{"path": "/x/catalog.mediadesk", "reason": "a mediadesk catalog"}])
    export = ExportDialog(window.catalog_path, ids, window, dialogs=window.file_dialogs)
    export.renditions.setChecked(True)
    yield export
    yield BatchEditorDialog(window.catalog_path, ids, window)
    yield FindReplaceDialog(window.catalog_path, ids, window)
    yield CodesDialog(window.catalog_path, window, dialogs=window.file_dialogs)
    yield PublishDialog(window.catalog_path, ids, window, dialogs=window.file_dialogs)
    yield ImportReportDialog(report, window)
    yield InfoDialog(window.catalog, window.catalog_path, ids, ids[0], window)
    yield StationeryPadDialog(window.catalog_path, ids, window, runner=window.runner)
    yield ImportDialog([str(window.catalog_path)], window, runner=window.runner)
    yield WritebackDialog(ids, window, runner=window.runner, workers=0)
    yield text_dialog(window, "New gallery", "Gallery title (the event):")
    yield CrashReporter(None).message_box("ValueError: something", "Traceback …")
    yield window.catalog_menu.dialog()
    yield ConflictDialog([Conflict(ids[0], "caption", "Mine", "Theirs", "Before", "at another desk (ann)")],
                         "Edit caption", window)
    for purpose in PURPOSES:
        yield window.file_dialogs.build(purpose, window)
    yield from _people_dialogs(window)


def _people_dialogs(window):
    """People and Roles as a team catalog's server would fill it (issue 13)."""
    from mediadesk.catalog.postgres.people import Person

    from mediadesk.ui.ledger_dialog import LedgerDialog
    from mediadesk.ui.people_dialog import AddPersonDialog, PeopleDialog

    people = [Person("kari", ("admin",), True, 2), Person("ola", ("press-officer", "editor"), False, 0)]
    yield PeopleDialog(lambda fn, done, on_error=None: done(people), window)
    yield AddPersonDialog(window)
    yield LedgerDialog(lambda fn, done, on_error=None: done(fn(window.catalog)), window)


def test_every_dialog(window, qtbot):
    seen = set()
    for dialog in _dialogs(window):
        dialog.show()
        qtbot.waitExposed(dialog)
        try:
            check(dialog)
        finally:
            seen.add(type(dialog))
            dialog.reject() if isinstance(dialog, QDialog) else dialog.close()
    # every dialog class the application defines is walked here
    defined = set()
    for info in pkgutil.iter_modules(mediadesk.ui.__path__, "mediadesk.ui."):
        module = importlib.import_module(info.name)
        defined |= {cls for _, cls in inspect.getmembers(module, inspect.isclass)
                    if issubclass(cls, QDialog) and cls.__module__ == module.__name__}
    assert defined <= seen, defined - seen
