"""Opening a catalog from the window: File > Open Team Catalog, recent catalogs, the password
prompt and what happens when the server cannot be reached.

- :class:`TeamCatalogDialog` asks for a ``postgresql://USER@HOST[:PORT]/DB`` URL (libpq's own
  query parameters, such as ``sslmode=verify-full``, pass through).
- :class:`RecentCatalogs` remembers the catalogs opened (QSettings ``catalogs/recent``): files by
  their path, team catalogs by their URL *without* any password.
- :class:`CatalogOpener` opens a window on a catalog: when libpq finds no password (``~/.pgpass``,
  ``PGPASSFILE``, ``PGPASSWORD``) it asks for one and keeps it in this process's memory only
  (catalog/postgres/connect.py); when the server cannot be reached it says so and offers to try
  again or to open this desk's local catalog. Its questions are attributes, so tests answer them.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from mediadesk.catalog.postgres.connect import (
    is_team_url,
    redact,
    remember_password,
    split_password,
    without_password,
)
from mediadesk.domain.errors import CatalogUnreachable, MediadeskError, PasswordNeeded
from mediadesk.paths import CATALOG_FILE, data_dir

if TYPE_CHECKING:
    from mediadesk.ui.main_window import MainWindow

RECENT_KEY = "catalogs/recent"
RECENT_MAX = 8
RETRY, LOCAL, CANCEL = "retry", "local", "cancel"
URL_HINT = ("postgresql://USER@HOST[:PORT]/DATABASE, for example "
            "postgresql://ann@db.press.example/mediadesk?sslmode=verify-full")
PASSWORD_NOTE = ("The password comes from ~/.pgpass, PGPASSFILE or PGPASSWORD, as for every "
                 "PostgreSQL program. If none is found you are asked for it; mediadesk keeps it in "
                 "memory while it runs and never writes it anywhere.")


def local_catalog() -> str:
    """This desk's own catalog file (the one mediadesk opens without --catalog)."""
    return str(data_dir() / CATALOG_FILE)


def shown_name(target: str) -> str:
    """How a catalog is named in menus."""
    return redact(target) if is_team_url(target) else target


def window_title(target: str) -> str:
    """The catalog's part of the window title: a file's name, a team catalog's database and host."""
    if not is_team_url(target):
        return os.path.basename(target)
    parts = urllib.parse.urlsplit(without_password(target))
    return f"{parts.path.lstrip('/') or 'team catalog'} on {parts.hostname or 'this computer'} (team)"


_windows: list[QWidget] = []


def keep_open(window: QWidget) -> None:
    """Hold a window opened from another one (which closes) until it is destroyed."""
    _windows.append(window)
    window.destroyed.connect(lambda *_: _windows.remove(window) if window in _windows else None)


class RecentCatalogs:
    """The catalogs this person opened, newest first (never a password)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def list(self) -> list[str]:
        value = self.settings.value(RECENT_KEY) or []
        items = [value] if isinstance(value, str) else list(value)
        return [str(v) for v in items if v]

    def add(self, target: str) -> None:
        target = without_password(target) if is_team_url(target) else os.path.abspath(target)
        items = [target] + [t for t in self.list() if t != target]
        self.settings.setValue(RECENT_KEY, items[:RECENT_MAX])

    def newest_team(self) -> str:
        return next((t for t in self.list() if is_team_url(t)), "")


class TeamCatalogDialog(QDialog):
    """File > Open Team Catalog: the URL of a team catalog."""

    def __init__(self, recent: RecentCatalogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamCatalogDialog")
        self.setWindowTitle("Open Team Catalog")
        self.setMinimumWidth(560)
        intro = QLabel("A team catalog is shared by every desk of the office, live, on a PostgreSQL "
                       "server. Enter its address:", self)
        intro.setWordWrap(True)
        self.url = QLineEdit(recent.newest_team(), self)
        self.url.setObjectName("teamCatalogUrl")
        self.url.setAccessibleName("Team catalog URL")
        self.url.setPlaceholderText("postgresql://USER@HOST/DATABASE")
        hint = QLabel(URL_HINT + "\n\n" + PASSWORD_NOTE, self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        self.problem = QLabel(self)
        self.problem.setObjectName("teamCatalogProblem")
        self.problem.setStyleSheet("color: #b91c1c;")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.url)
        layout.addWidget(self.problem)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        text = self.url.text().strip()
        ok = is_team_url(text)
        self.problem.setText("" if ok or not text else
                             "A team catalog's address starts with postgresql:// (a catalog file is "
                             "opened with --catalog FILE).")
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(ok)

    def target(self) -> str:
        """The URL to open, without a password: one typed into the URL is kept in memory only."""
        url, password = split_password(self.url.text().strip())
        if password is not None:
            remember_password(url, password)
        return url


def ask_password(parent: QWidget | None, url: str, refused: bool) -> str | None:
    """The password for ``url``, or None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("teamPasswordDialog")
    dialog.setWindowTitle("Team catalog password")
    dialog.setLabelText(("The server refused the password. " if refused else "")
                         + f"Password for {redact(url)}:\n(kept in memory while mediadesk runs, "
                         "never written anywhere)")
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    field = dialog.findChild(QLineEdit)
    if field is not None:
        field.setAccessibleName("Password")
    try:
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_unreachable(parent: QWidget | None, target: str, message: str) -> str:
    """The server cannot be reached: RETRY, LOCAL (open this desk's own catalog) or CANCEL."""
    box = QMessageBox(QMessageBox.Icon.Warning, "The team catalog cannot be reached",
                      f"mediadesk cannot reach the team catalog {redact(target)}.\n\n{message}\n\n"
                      "Check the network (or ask whoever runs the server), then try again. You can "
                      "also work in this desk's own catalog meanwhile.", QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("teamUnreachable")
    retry = box.addButton("&Retry", QMessageBox.ButtonRole.AcceptRole)
    local = box.addButton("Open &Local Catalog", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(retry)
    box.exec()
    clicked = box.clickedButton()
    return RETRY if clicked is retry else LOCAL if clicked is local else CANCEL


class CatalogOpener:
    """Opens a window on a catalog, asking what it must ask (see the module)."""

    def __init__(self, make_window: Callable[[str], MainWindow], parent: QWidget | None = None) -> None:
        self.make_window = make_window
        self.parent = parent
        #: (url, refused before) -> password or None; (target, message) -> RETRY/LOCAL/CANCEL;
        #: (title, message) -> None for any other failure. Tests replace them.
        self.password: Callable[[str, bool], str | None] = lambda url, refused: ask_password(parent, url, refused)
        self.unreachable: Callable[[str, str], str] = lambda target, message: ask_unreachable(parent, target, message)
        self.failed: Callable[[str, str], object] = \
            lambda title, message: QMessageBox.critical(parent, title, message)

    def open(self, target: str) -> MainWindow | None:
        """The window on ``target`` (or on the local catalog, if the person chose it), or None."""
        asked = False
        while True:
            try:
                return self.make_window(target)
            except PasswordNeeded:
                password = self.password(target, asked)
                if password is None:
                    remember_password(target, None)
                    return None
                remember_password(target, password)
                asked = True
            except CatalogUnreachable as exc:
                choice = self.unreachable(target, str(exc))
                if choice == LOCAL:
                    target = local_catalog()
                elif choice != RETRY:
                    return None
            except MediadeskError as exc:
                self.failed("mediadesk cannot open the catalog", str(exc))
                return None


class CatalogMenu(QObject):
    """File > Open Team Catalog and File > Open Recent for a window; ``open_target(target)``
    opens the chosen catalog."""

    def __init__(self, window: QWidget, actions, recent: RecentCatalogs,
                 open_target: Callable[[str], None]) -> None:
        super().__init__(window)
        self._window = window
        self._recent = recent
        self._open = open_target
        self._menu = actions.recent
        #: runs the URL dialog and returns its result code (tests drive it without a modal loop)
        self.execute: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        actions.open_team.triggered.connect(self.ask_team)
        self._menu.aboutToShow.connect(self.fill_recent)
        self.fill_recent()

    def fill_recent(self) -> None:
        self._menu.clear()
        for target in self._recent.list():
            action = self._menu.addAction(shown_name(target).replace("&", "&&"))
            action.setData(target)
            action.triggered.connect(lambda _checked=False, t=target: self._open(t))
        if self._menu.isEmpty():
            self._menu.addAction("No other catalogs yet").setEnabled(False)

    def dialog(self) -> TeamCatalogDialog:
        return TeamCatalogDialog(self._recent, self._window)

    def ask_team(self) -> None:
        dialog = self.dialog()
        try:
            if self.execute(dialog) == QDialog.DialogCode.Accepted:
                self._open(dialog.target())
        finally:
            dialog.deleteLater()
