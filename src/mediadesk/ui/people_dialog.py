"""People and Roles (admins, team catalogs): every person, a tick per role they hold, enabled or
disabled, their open connections; add a person, disable or enable one. Every change runs on the
window's writer lane through services/users.py, so the server decides (a refusal is shown, and
the table is read again)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.permissions import ROLES
from mediadesk.services import users

_NAME, _STATE, _CONNECTIONS = 0, len(ROLES) + 1, len(ROLES) + 2


class AddPersonDialog(QDialog):
    """A login, its roles and a password typed twice (hashed on this desk before it leaves)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add Person")
        form = QFormLayout(self)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("their login, e.g. ola.nordmann")
        self.name.setAccessibleName("Login")
        form.addRow("&Login:", self.name)
        self.boxes: dict[str, QCheckBox] = {}
        roles = QGroupBox("Roles", self)
        row = QVBoxLayout(roles)
        for role in ROLES:
            box = QCheckBox(role, roles)
            self.boxes[role] = box
            row.addWidget(box)
        form.addRow(roles)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.again.setAccessibleName("Password again")
        form.addRow("&Password:", self.password)
        form.addRow("&Again:", self.again)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b00020;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def roles(self) -> list[str]:
        return [r for r, box in self.boxes.items() if box.isChecked()]

    def _check(self) -> None:
        if not self.name.text().strip():
            self.problem.setText("Give the person's login.")
        elif not self.roles():
            self.problem.setText("Tick at least one role.")
        elif len(self.password.text()) < 8:
            self.problem.setText("The password needs at least 8 characters.")
        elif self.password.text() != self.again.text():
            self.problem.setText("The two passwords differ.")
        else:
            self.accept()


class PeopleDialog(QDialog):
    def __init__(self, submit: Callable[..., Any], parent: QWidget | None = None) -> None:
        """``submit(fn, done, on_error=...)`` runs ``fn(catalog)`` on the writer lane."""
        super().__init__(parent)
        self._submit = submit
        self._people: list[users.Person] = []
        self._filling = False
        self.setWindowTitle("People and Roles")
        self.resize(900, 420)
        layout = QVBoxLayout(self)
        intro = QLabel("Each person signs in with a login of their own. A tick gives a role; the "
                       "catalog's server enforces them, whatever program a person uses.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(ROLES) + 3, self)
        self.table.setHorizontalHeaderLabels(["Person", *ROLES, "Sign-in", "Connections"])
        viewer_header = self.table.horizontalHeaderItem(1)
        if viewer_header is not None:
            viewer_header.setToolTip("Every role includes reading: tick viewer for someone who only "
                                     "browses and searches")
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("People and their roles")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(_NAME, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(ROLES) + 3):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add Person…", self)
        self.disable_button = QPushButton("&Disable", self)
        self.disable_button.setToolTip("No more sign-ins; their open connections are closed; their "
                                       "history and ledger entries stay")
        self.enable_button = QPushButton("&Enable", self)
        close = QPushButton("Close", self)
        for button in (self.add_button, self.disable_button, self.enable_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_person)
        self.disable_button.clicked.connect(lambda: self._change_selected(users.disable_person, "Disabled"))
        self.enable_button.clicked.connect(lambda: self._change_selected(users.enable_person, "Enabled"))
        close.clicked.connect(self.accept)
        self.reload()

    # -- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        self._submit(users.list_people, self.show_people, on_error=self._refused)

    def show_people(self, people: list[users.Person]) -> None:
        self._people = list(people)
        self._filling = True
        try:
            self.table.setRowCount(len(people))
            for row, person in enumerate(people):
                name = QTableWidgetItem(person.name)
                self.table.setItem(row, _NAME, name)
                for column, role in enumerate(ROLES, start=1):
                    tick = QTableWidgetItem()
                    tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                                  | Qt.ItemFlag.ItemIsSelectable)
                    tick.setCheckState(Qt.CheckState.Checked if role in person.roles else Qt.CheckState.Unchecked)
                    tick.setData(Qt.ItemDataRole.AccessibleTextRole, f"{person.name} {role}")
                    self.table.setItem(row, column, tick)
                state = QTableWidgetItem("enabled" if person.enabled else "disabled")
                if not person.enabled:
                    state.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, _STATE, state)
                self.table.setItem(row, _CONNECTIONS, QTableWidgetItem(str(person.connections)))
        finally:
            self._filling = False
        if not people:
            self.status.setText("Nobody yet: Add Person… gives someone a login and roles.")
        self._update_buttons()

    def _selected(self) -> users.Person | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self._people[rows.pop()] if len(rows) == 1 else None

    def _update_buttons(self) -> None:
        person = self._selected()
        self.disable_button.setEnabled(person is not None and person.enabled)
        self.enable_button.setEnabled(person is not None and not person.enabled)

    # -- changing ------------------------------------------------------------------------------
    def _refused(self, message: str) -> None:
        self.status.setText(message)
        self.reload_quietly()

    def reload_quietly(self) -> None:
        self._submit(users.list_people, self.show_people, on_error=self.status.setText)

    def _done(self, message: str) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self.status.setText(message)
            self.reload_quietly()
        return done

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or not 1 <= item.column() <= len(ROLES):
            return
        person = self._people[item.row()]
        role = ROLES[item.column() - 1]
        if item.checkState() == Qt.CheckState.Checked:
            self._submit(lambda c: users.grant_role(c, person.name, role),
                         self._done(f"{person.name} now holds the {role} role."), on_error=self._refused)
        else:
            self._submit(lambda c: users.revoke_role(c, person.name, role),
                         self._done(f"{person.name} no longer holds the {role} role."), on_error=self._refused)

    def _change_selected(self, change: Callable[..., Any], verb: str) -> None:
        person = self._selected()
        if person is None:
            return
        if verb == "Disabled" and QMessageBox.question(
                self, "Disable", f"Disable {person.name}? They cannot sign in any more and their open "
                "connections are closed now; their history stays.") != QMessageBox.StandardButton.Yes:
            return
        self._submit(lambda c: change(c, person.name), self._done(f"{verb} {person.name}."),
                     on_error=self._refused)

    def add_person(self) -> None:
        dialog = AddPersonDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, roles, password = dialog.name.text().strip(), dialog.roles(), dialog.password.text()
        self._submit(lambda c: users.add_person(c, name, roles, password),
                     self._done(f"Added {name}: {', '.join(roles)}."), on_error=self._refused)
