"""The preview of a document: its text, page by page for a PDF, with the search's words marked.

The text comes from the catalog (what the import extracted), never from the file: the GUI thread
opens no document. The marks follow the search's own rules (domain/text_match.py), so what the
search found is what is marked; the view opens at the first page that has a mark.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QTextEdit, QToolButton, QVBoxLayout, QWidget

from mediadesk.domain.text_match import Matcher, Term

MARK_BACKGROUND = QColor(255, 214, 10)
MARK_TEXT = QColor(20, 20, 20)


class DocumentView(QWidget):
    """Title, the page's text with marks, page buttons (paged documents) and a note when the
    document holds no text (scanned, encrypted, damaged)."""

    page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentView")
        self.pages: list[str] = []
        self.page = 0
        self.marks: list[list[tuple[int, int]]] = []
        self._matcher = Matcher([])
        self.title = QLabel(self)
        self.title.setObjectName("documentTitle")
        self.title.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.title.setFont(bold)
        self.note = QLabel(self)
        self.note.setObjectName("documentNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #a0281e")
        self.text = QTextBrowser(self)
        self.text.setObjectName("documentText")
        self.text.setAccessibleName("Text of the document")
        self.text.setOpenLinks(False)
        self.text.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        serif = QFont(self.text.font())
        serif.setPointSizeF(serif.pointSizeF() * 1.05)
        self.text.setFont(serif)
        self.previous = QToolButton(self)
        self.previous.setObjectName("previousPage")
        self.previous.setText("\u2039 Page")
        self.previous.setToolTip("Previous page (Ctrl+Page Up)")
        self.previous.setAccessibleName("Previous page")
        self.previous.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next = QToolButton(self)
        self.next.setObjectName("nextPage")
        self.next.setText("Page \u203a")
        self.next.setToolTip("Next page (Ctrl+Page Down)")
        self.next.setAccessibleName("Next page")
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        self.position = QLabel(self)
        self.position.setObjectName("pagePosition")
        self.hits = QLabel(self)
        self.hits.setObjectName("documentHits")
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.previous)
        bar.addWidget(self.position)
        bar.addWidget(self.next)
        bar.addStretch(1)
        bar.addWidget(self.hits)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.text, 1)
        layout.addLayout(bar)

    def focus_order(self) -> list[QWidget]:
        return [self.text, self.previous, self.next]

    def show_document(self, title: str, pages: list[str], *, paged: bool,
                      terms: list[Term] | None = None, note: str | None = None) -> None:
        """Show a document; ``paged``: page buttons (PDF), else one page of text."""
        self.title.setText(title)
        self.note.setText(note or "")
        self.note.setVisible(bool(note))
        self.pages = list(pages) if paged else ["\n\n".join(p for p in pages if p)]
        if not self.pages:
            self.pages = [""]
        for button in (self.previous, self.next, self.position):
            button.setVisible(len(self.pages) > 1)
        self.set_terms(terms or [], jump=True)

    def set_terms(self, terms: list[Term], *, jump: bool = False) -> None:
        """Mark these words (the search changed); ``jump``: go to the first page with a mark."""
        self._matcher = Matcher(terms)
        self.marks = [self._matcher.spans(page) for page in self.pages]
        total = sum(len(m) for m in self.marks)
        self.hits.setText(f"{total} match{'es' if total != 1 else ''} marked" if self._matcher else "")
        first = next((i for i, m in enumerate(self.marks) if m), 0) if jump else self.page
        self.show_page(first)

    def show_page(self, index: int) -> None:
        if not self.pages:
            return
        index = max(0, min(index, len(self.pages) - 1))
        changed = index != self.page
        self.page = index
        text = self.pages[index]
        self.text.setPlainText(text if text else "(no text on this page)")
        self.position.setText(f"Page {index + 1} of {len(self.pages)}")
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < len(self.pages) - 1)
        selections = []
        fmt = QTextCharFormat()
        fmt.setBackground(MARK_BACKGROUND)
        fmt.setForeground(MARK_TEXT)
        for start, end in self.marks[index] if text else []:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(_utf16(text, start))
            cursor.setPosition(_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.text.setExtraSelections(selections)
        if selections:   # the first mark in view
            cursor = QTextCursor(selections[0].cursor)
            cursor.clearSelection()
            self.text.setTextCursor(cursor)
            self.text.ensureCursorVisible()
        if changed:
            self.page_changed.emit(index)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_PageDown and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.show_page(self.page + 1)
        elif event.key() == Qt.Key.Key_PageUp and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.show_page(self.page - 1)
        else:
            super().keyPressEvent(event)

    def marked_text(self) -> list[str]:
        """The marked words of the page shown (for tests and screen readers' summaries)."""
        page = self.pages[self.page] if self.pages else ""
        return [page[s:e] for s, e in self.marks[self.page]] if self.marks else []


def _utf16(text: str, offset: int) -> int:
    """A Python offset as a Qt text position (UTF-16 units: a character beyond the BMP is two)."""
    head = text[:offset]
    return offset + sum(1 for ch in head if ord(ch) > 0xFFFF)
