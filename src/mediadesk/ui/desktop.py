"""Showing a folder in the desktop's file manager, and saying so when there is none.

On Linux ``QDesktopServices.openUrl`` hands the folder to ``xdg-open`` and reports success even
when nothing can open folders (a server, a minimal window manager), so the click did nothing and
said nothing (issue 17). Here the desktop is asked first which program opens folders
(``xdg-mime query default inode/directory``); without one the caller shows
:func:`no_file_manager_text`, which gives the folder's path and puts it on the clipboard.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def file_manager_available() -> bool:
    """Something on this desktop opens folders (on Linux: xdg-open and a default for folders)."""
    if not sys.platform.startswith("linux"):
        return True
    if shutil.which("xdg-open") is None:
        return False
    query = shutil.which("xdg-mime")
    if query is None:
        return True   # cannot ask: let xdg-open try
    try:
        answer = subprocess.run([query, "query", "default", "inode/directory"], capture_output=True,
                                text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(answer.stdout.strip())


def open_folder(folder: str) -> bool:
    """Show ``folder`` in the file manager; False when there is none (then say so)."""
    return file_manager_available() and QDesktopServices.openUrl(QUrl.fromLocalFile(folder))


def show_folder(parent: QWidget, folder: str) -> str | None:
    """Show ``folder`` in the file manager; without one, a message box (not modal) says so and
    the message is returned (for a status line too)."""
    if open_folder(folder):
        return None
    text = no_file_manager_text(folder)
    box = QMessageBox(QMessageBox.Icon.Information, "Show in Folder", text, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("noFileManager")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return text


def no_file_manager_text(folder: str) -> str:
    """The message for a desktop without a file manager; the folder's path goes to the clipboard."""
    QGuiApplication.clipboard().setText(folder)
    return (f"No file manager is set up to open folders on this computer.\nThe folder is {folder}\n"
            "(its path is on the clipboard).")
