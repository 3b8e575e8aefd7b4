"""The captioning desk's commands (issue 17) as QActions, and the Image menu that holds them.

Keys follow Photo Mechanic and Lightroom, which press photographers have in their fingers:
0-5 rate, P pick, X reject, U neither, T toggles the pick (Photo Mechanic's tag), 6-9 red,
yellow, green and blue labels; Ctrl+I the info dialog, Ctrl+T the stationery pad; Alt+C, Alt+P
and Alt+K jump to the caption, people and keywords fields; Enter or Space the loupe, F full
screen. The single-key marks act only in the grid, the table and the loupe (never while typing
in a field or in the sidebar).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from mediadesk.domain.marks import LABELS, MAX_RATING

from mediadesk.ui.grid_marks import LABEL_MODES


@dataclass
class DeskActions:
    ratings: list[QAction]          # 0 (clear) .. 5 stars
    pick: QAction
    reject: QAction
    unpick: QAction
    toggle_pick: QAction
    labels: list[QAction]           # one per domain.marks.LABELS
    no_label: QAction
    info: QAction
    pad: QAction
    edit_caption: QAction
    edit_people: QAction
    edit_keywords: QAction
    loupe: QAction
    full_screen: QAction
    writeback: QAction
    label_modes: dict[str, QAction]

    def view_keys(self) -> list[QAction]:
        """The actions that are single keys: active only where the focus is in a view."""
        return [*self.ratings, self.pick, self.reject, self.unpick, self.toggle_pick, *self.labels,
                self.no_label, self.full_screen]


def _action(parent: QObject, text: str, key: str | None = None, tip: str = "") -> QAction:
    action = QAction(text, parent)
    if key:
        action.setShortcut(QKeySequence(key))
    if tip:
        action.setStatusTip(tip)
        shown = action.iconText()
        action.setToolTip(f"{shown} ({key})" if key else shown)
    return action


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def create_desk_actions(window: QWidget) -> DeskActions:
    ratings = [_action(window, "&0 No Rating", "0", "Clear the rating of the selection")]
    for stars in range(1, MAX_RATING + 1):
        ratings.append(_action(window, f"&{stars} {'★' * stars}", str(stars),
                               f"Rate the selection {stars} star{'s' if stars > 1 else ''}"))
    labels = []
    for label in LABELS:
        action = _action(window, f"&{label.name}", label.key or None,
                         f"Give the selection the {label.name.lower()} label (again: take it off)")
        action.setIcon(_swatch(label.colour))
        action.setData(label.name)
        labels.append(action)
    a = DeskActions(
        ratings=ratings,
        pick=_action(window, "&Pick", "P", "Mark the selection picked"),
        reject=_action(window, "&Reject", "X", "Mark the selection rejected"),
        unpick=_action(window, "&Neither Picked nor Rejected", "U", "Take the pick or reject off"),
        toggle_pick=_action(window, "&Tag (Toggle Pick)", "T",
                            "Pick the selection, or take the pick off when all are picked (Photo Mechanic's tag)"),
        labels=labels,
        no_label=_action(window, "N&o Label", None, "Take the colour label off"),
        info=_action(window, "&Info…", "Ctrl+I",
                     "Caption, headline, people, keywords, place and rights of the selection, one photo at a time"),
        pad=_action(window, "Stationery Pa&d…", "Ctrl+T",
                    "Fill many fields of the selection at once from a saved template"),
        edit_caption=_action(window, "Edit &Caption", "Alt+C",
                             "Go to the caption field (Ctrl+Return saves and comes back)"),
        edit_people=_action(window, "Edit P&eople", "Alt+P", "Go to the people field (Return saves and comes back)"),
        edit_keywords=_action(window, "Edit &Keywords", "Alt+K",
                              "Go to the keywords field (Return saves and comes back)"),
        loupe=_action(window, "L&oupe", "Return", "Show the current photo large (also Space or a double click; "
                                                    "Esc comes back)"),
        full_screen=_action(window, "&Full Screen", "F", "The loupe over the whole screen (F or Esc comes back)"),
        writeback=_action(window, "&Write Metadata to Files…", None,
                          "Write the catalog's captions and marks into the original files (a preview first)"),
        label_modes={},
    )
    # Return, Space and F act in the views through their own key handling (the loupe opens on the
    # current asset); the menu shows the key without a second shortcut fighting for it.
    a.loupe.setShortcut(QKeySequence())
    a.loupe.setText("L&oupe\tReturn")
    group = QActionGroup(window)
    for mode, text in LABEL_MODES:
        action = QAction(text, window)
        action.setCheckable(True)
        action.setData(mode)
        group.addAction(action)
        a.label_modes[mode] = action
    for action in a.view_keys():
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return a


def build_desk_menus(menubar: QMenuBar, a: DeskActions, file_menu: QMenu, view_menu: QMenu,
                     before: QAction) -> QMenu:
    """The Image menu (before ``before``, the Help menu), Write Metadata in File, the thumbnail
    label, loupe and full screen in View."""
    after_publish = _after(file_menu, "&Publish")
    if after_publish is not None:
        file_menu.insertAction(after_publish, a.writeback)
    else:
        file_menu.addAction(a.writeback)
    view_menu.addSeparator()
    labels = view_menu.addMenu("Thumbnail La&bel")
    labels.addActions(list(a.label_modes.values()))
    view_menu.addActions([a.loupe, a.full_screen])
    image = QMenu("&Image", menubar)
    image.addAction(a.info)
    image.addAction(a.pad)
    image.addSeparator()
    image.addActions([a.edit_caption, a.edit_people, a.edit_keywords])
    image.addSeparator()
    rating = image.addMenu("Ra&ting")
    rating.addActions(a.ratings)
    pick = image.addMenu("&Pick")
    pick.addActions([a.pick, a.reject, a.unpick, a.toggle_pick])
    colour = image.addMenu("Colour &Label")
    colour.addActions([*a.labels, a.no_label])
    menubar.insertMenu(before, image)
    return image


def _after(menu: QMenu, text: str) -> QAction | None:
    """The entry after the one whose text starts with ``text`` (insertAction puts it before that)."""
    entries = menu.actions()
    for n, action in enumerate(entries):
        if action.text().startswith(text):
            return entries[n + 1] if n + 1 < len(entries) else None
    return None
