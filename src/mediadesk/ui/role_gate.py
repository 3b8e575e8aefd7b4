"""The window and this person's roles (issue 13): who is signed in (status bar), the actions
their roles do not allow greyed out with a tooltip naming the role they need, the inspector's
fields and rights profile read-only where they may not change them, and People and Roles for
admins. A desk catalog's one person holds every role: nothing is greyed out there.

The server stays the last word: an action that slips through (a role revoked while the window
is open) is refused by it with the same message (domain/permissions.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from mediadesk.domain.permissions import OPERATIONS, ROLES, allows

# the window's actions (ui/actions.py names) -> the operation each is
ACTION_OPERATIONS = {
    "import_folder": "import", "import_files": "import", "demo": "import",
    "export": "export", "publish": "publish",
    "batch_edit": "edit", "find_replace": "batch",
    "new_gallery": "gallery", "remove_from_gallery": "gallery",
    "codes": "codes",
}


def refusal_tip(operation: str) -> str:
    op = OPERATIONS[operation]
    needs = " or ".join(op.roles)
    return f"{op.phrase[:1].upper()}{op.phrase[1:]} needs the {needs} role"


def roles_text(roles: frozenset[str]) -> str:
    """The roles held, viewer left out when another is held (every role includes reading)."""
    held = [r for r in ROLES if r in roles]
    if len(held) > 1:
        held = [r for r in held if r != "viewer"]
    return ", ".join(held) if held else "no role"


class RoleGate:
    def __init__(self, window: QMainWindow, catalog, open_people: Callable[[], None]) -> None:
        self.window = window
        self.roles = frozenset(catalog.roles)
        self.person = catalog.person
        self.team = catalog.url is not None
        self.label: QLabel | None = None
        self.people_action: QAction | None = None
        self._extra: list[tuple[QAction, str]] = []
        if not self.team:
            return
        self.label = QLabel(f"{self.person} · {roles_text(self.roles)}")
        self.label.setObjectName("personRoles")
        self.label.setToolTip(f"Signed in to the team catalog as {self.person}; roles: "
                              f"{roles_text(self.roles)}. Actions these roles do not allow are greyed out.")
        self.label.setAccessibleName(f"Signed in as {self.person}, roles {roles_text(self.roles)}")
        window.statusBar().addPermanentWidget(self.label)
        self.people_action = QAction("People and &Roles…", window)
        self.people_action.setObjectName("peopleAndRoles")
        self.people_action.setStatusTip("Who works in this team catalog and in which roles (admins)")
        self.people_action.triggered.connect(open_people)
        menus = [m for m in (a.menu() for a in window.menuBar().actions()) if isinstance(m, QMenu)]
        for menu in menus:
            menu.setToolTipsVisible(True)    # a greyed-out entry says which role it needs
        if menus:
            file_menu = menus[0]
            quit_action = next((a for a in file_menu.actions() if a.menuRole() == QAction.MenuRole.QuitRole
                                or a.text().replace("&", "") == "Quit"), None)
            if quit_action is None:
                file_menu.addSeparator()
                file_menu.addAction(self.people_action)
            else:
                file_menu.insertAction(quit_action, self.people_action)
                file_menu.insertSeparator(quit_action)

    def gate(self, action: QAction, operation: str) -> None:
        """Another action that is ``operation`` (greyed out by :meth:`apply` when not allowed)."""
        self._extra.append((action, operation))

    def allows(self, operation: str) -> bool:
        return allows(self.roles, operation)

    def apply(self, actions) -> None:
        """Grey out what this person may not do (call after every enabling pass)."""
        if not self.team:
            return
        gated = [(getattr(actions, name), operation) for name, operation in ACTION_OPERATIONS.items()]
        for action, operation in gated + self._extra:
            if not self.allows(operation):
                tip = refusal_tip(operation)
                action.setEnabled(False)
                action.setToolTip(tip)
                action.setStatusTip(tip)
        if self.people_action is not None:
            allowed = self.allows("people")
            self.people_action.setEnabled(allowed)
            self.people_action.setToolTip("People and Roles" if allowed else refusal_tip("people"))

    def apply_to_inspector(self, inspector) -> None:
        if not self.team:
            return
        if not self.allows("edit"):
            tip = refusal_tip("edit")
            for editor in inspector.editors.values():
                editor.set_read_only(True)
                editor.input.setToolTip(tip)
        if not self.allows("rights-assign"):
            inspector.profile_combo.setEnabled(False)
            inspector.profile_combo.setToolTip(refusal_tip("rights-assign"))
