"""Beside the video player: the subtitles over the picture (in the chosen language), the chapter
list and the cues of the chosen track. Clicking a chapter or a cue asks the player to go there;
chapters are added at the player's position, renamed in place and deleted through signals (the
main window runs the edit service, so every change is in the edit history and can be undone).

Plain values in, signals out: the panel reads no catalog and opens no file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediadesk.domain.timed_text import Chapter, TextTrack, clock

_ID = Qt.ItemDataRole.UserRole
_START = Qt.ItemDataRole.UserRole + 1
OFF = "Off"


@dataclass(frozen=True)
class TrackChoice:
    """A track as the player offers it."""

    track_id: int
    track: TextTrack

    @property
    def label(self) -> str:
        lang = self.track.language or "unknown language"
        kind = "transcript" if self.track.kind == "transcript" else "subtitles"
        name = self.track.label or self.track.origin
        return f"{lang} \u2013 {kind} ({name})" if name else f"{lang} \u2013 {kind}"


class SubtitleOverlay(QLabel):
    """The current cue over the bottom of the picture, as a television shows it."""

    def __init__(self, surface: QWidget) -> None:
        super().__init__(surface)
        self.setObjectName("subtitleOverlay")
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        self.setWordWrap(True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setStyleSheet("QLabel { color: white; background: rgba(0, 0, 0, 170); padding: 4px 10px;"
                           " border-radius: 4px; font-size: 15px; }")
        self.hide()
        surface.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def show_text(self, text: str) -> None:
        if text == self.text() and self.isVisible() == bool(text):
            return
        self.setText(text)
        self.setVisible(bool(text))
        self._place()

    def _place(self) -> None:
        surface = self.parentWidget()
        if surface is None or not self.text():
            return
        width = int(surface.width() * 0.86)
        self.setFixedWidth(max(80, width))
        self.adjustSize()
        x = (surface.width() - self.width()) // 2
        y = surface.height() - self.height() - max(8, surface.height() // 14)
        self.move(max(0, x), max(0, y))
        self.raise_()


class TimedTextPanel(QWidget):
    seek_requested = Signal(int)                     # milliseconds
    chapter_add_requested = Signal(float)            # seconds: the player's position
    chapter_rename_requested = Signal(int, str)      # chapter id, new title
    chapter_delete_requested = Signal(int)           # chapter id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timedTextPanel")
        self.choices: list[TrackChoice] = []
        self.chapters: list[tuple[int, Chapter]] = []
        self.position = 0.0
        self.overlay: SubtitleOverlay | None = None
        self._starts: list[float] = []
        self._filling = False

        self.language = QComboBox(self)
        self.language.setObjectName("subtitleLanguage")
        self.language.setAccessibleName("Subtitles")
        self.language.setToolTip("Subtitles and transcripts of this video, by language")
        self.language.currentIndexChanged.connect(self._on_track_chosen)
        # a track's long label must not widen the window (usable at 1024x700)
        self.language.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.language.setMinimumContentsLength(8)
        language_label = QLabel("&Subtitles:", self)
        language_label.setBuddy(self.language)

        self.chapter_list = QTreeWidget(self)
        self.chapter_list.setObjectName("chapterList")
        self.chapter_list.setAccessibleName("Chapters")
        self.chapter_list.setHeaderLabels(["Time", "Chapter"])
        self.chapter_list.setRootIsDecorated(False)
        triggers = QAbstractItemView.EditTrigger
        self.chapter_list.setEditTriggers(triggers.EditKeyPressed | triggers.DoubleClicked)
        self.chapter_list.itemClicked.connect(self._on_item_clicked)
        self.chapter_list.itemActivated.connect(self._on_item_clicked)
        self.chapter_list.itemChanged.connect(self._on_chapter_edited)
        # the chapter actions in a tool bar: when the pane is narrow, what does not fit goes under
        # its extension arrow instead of widening the window (usable at 1024x700)
        self.chapter_bar = QToolBar(self)
        self.chapter_bar.setObjectName("chapterActions")
        self.chapter_bar.setAccessibleName("Chapter actions")
        self.chapter_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.chapter_bar.setIconSize(QSize(0, 0))
        add = self.chapter_bar.addAction("&Add chapter here")
        add.setToolTip("Start a chapter at the player's position")
        add.triggered.connect(lambda: self.chapter_add_requested.emit(self.position))
        rename = self.chapter_bar.addAction("&Rename")
        rename.setToolTip("Rename the chosen chapter (F2)")
        rename.triggered.connect(self._rename_current)
        delete = self.chapter_bar.addAction("&Delete")
        delete.setToolTip("Delete the chosen chapter (Delete)")
        delete.triggered.connect(self._delete_current)
        self.add_button = self.chapter_bar.widgetForAction(add)
        self.rename_button = self.chapter_bar.widgetForAction(rename)
        self.delete_button = self.chapter_bar.widgetForAction(delete)
        for button, name in ((self.add_button, "addChapter"), (self.rename_button, "renameChapter"),
                             (self.delete_button, "deleteChapter")):
            button.setObjectName(name)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)   # tool bar buttons take no focus by default
        self._chapter_actions = (add, rename, delete)
        chapters_tab = QWidget(self)
        chapters_layout = QVBoxLayout(chapters_tab)
        chapters_layout.setContentsMargins(0, 4, 0, 0)
        chapters_layout.addWidget(self.chapter_list, 1)
        chapters_layout.addWidget(self.chapter_bar)

        self.cue_list = QTreeWidget(self)
        self.cue_list.setObjectName("cueList")
        self.cue_list.setAccessibleName("Subtitle cues")
        self.cue_list.setHeaderLabels(["Time", "Text"])
        self.cue_list.setRootIsDecorated(False)
        self.cue_list.setUniformRowHeights(True)
        self.cue_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cue_list.itemClicked.connect(self._on_item_clicked)
        self.cue_list.itemActivated.connect(self._on_item_clicked)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("timedTextTabs")
        self.tabs.addTab(chapters_tab, "Chapters")
        self.tabs.addTab(self.cue_list, "Transcript")
        self.tabs.tabBar().setAccessibleName("Chapters or transcript")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(language_label)
        top.addWidget(self.language, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.set_content([], [])

    def focus_order(self) -> list[QWidget]:
        """The panel's controls as they are on screen (the window's Tab order)."""
        return [self.language, self.tabs.tabBar(), self.chapter_list, self.add_button, self.rename_button,
                self.delete_button, self.cue_list]

    # -- content --------------------------------------------------------------------------------

    def attach(self, surface: QWidget) -> None:
        """Show the subtitles over this widget (the player's picture)."""
        self.overlay = SubtitleOverlay(surface)

    def set_content(self, choices: list[TrackChoice], chapters: list[tuple[int, Chapter]],
                    *, preferred_language: str | None = None) -> None:
        """The video's tracks and chapters (chapters closed: see timed_text.close_chapters)."""
        self.choices = list(choices)
        self._filling = True
        self.language.clear()
        self.language.addItem(OFF, None)
        for choice in self.choices:
            self.language.addItem(choice.label, choice.track_id)
        wanted = 0
        if self.choices:
            wanted = 1
            if preferred_language:
                for i, choice in enumerate(self.choices, 1):
                    if (choice.track.language or "").split("-")[0] == preferred_language.split("-")[0]:
                        wanted = i
                        break
        self.language.setCurrentIndex(wanted)
        self.language.setEnabled(bool(self.choices))
        self._filling = False
        self._on_track_chosen(wanted)
        self.set_chapters(chapters)

    def set_chapters(self, chapters: list[tuple[int, Chapter]]) -> None:
        self.chapters = sorted(chapters, key=lambda c: c[1].start)
        self._filling = True
        self.chapter_list.clear()
        for chapter_id, chapter in self.chapters:
            item = QTreeWidgetItem([clock(chapter.start), chapter.title])
            item.setData(0, _ID, chapter_id)
            item.setData(0, _START, chapter.start)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(1, chapter.title)
            self.chapter_list.addTopLevelItem(item)
        self.chapter_list.resizeColumnToContents(0)
        self._filling = False
        has = bool(self.chapters)
        self._chapter_actions[1].setEnabled(has)
        self._chapter_actions[2].setEnabled(has)
        self._mark_current_chapter()

    def current_track(self) -> TrackChoice | None:
        track_id = self.language.currentData()
        return next((c for c in self.choices if c.track_id == track_id), None)

    def _on_track_chosen(self, _index: int) -> None:
        if self._filling:
            return
        choice = self.current_track()
        self.cue_list.clear()
        cues = choice.track.cues if choice else []
        self._starts = [c.start for c in cues]
        items = []
        for cue in cues:
            item = QTreeWidgetItem([clock(cue.start), " ".join(cue.text.split())])
            item.setData(0, _START, cue.start)
            items.append(item)
        self.cue_list.addTopLevelItems(items)
        self.cue_list.resizeColumnToContents(0)
        self.tabs.setTabText(1, f"Transcript ({len(cues)})" if cues else "Transcript")
        self.set_position(self.position)

    # -- the player's position ------------------------------------------------------------------

    def set_position(self, seconds: float) -> None:
        """The player moved: the overlay shows the cue(s) of this moment, the chapter is marked."""
        self.position = seconds
        if self.overlay is not None:
            self.overlay.show_text("\n".join(c.text for c in self.cues_at(seconds)))
        self._mark_current_chapter()

    def cues_at(self, seconds: float) -> list:
        choice = self.current_track()
        if choice is None:
            return []
        cues = choice.track.cues
        i = bisect.bisect_right(self._starts, seconds)
        active = [cues[j] for j in range(max(0, i - 24), i) if cues[j].end > seconds]
        return active

    def current_chapter(self) -> tuple[int, Chapter] | None:
        found = None
        for chapter_id, chapter in self.chapters:
            if chapter.start <= self.position + 1e-6:
                found = (chapter_id, chapter)
        return found

    def _mark_current_chapter(self) -> None:
        current = self.current_chapter()
        for i in range(self.chapter_list.topLevelItemCount()):
            item = self.chapter_list.topLevelItem(i)
            if item is None:
                continue
            font = item.font(1)
            font.setBold(current is not None and item.data(0, _ID) == current[0])
            item.setFont(1, font)

    # -- clicks and edits -----------------------------------------------------------------------

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        start = item.data(0, _START)
        if start is not None:
            self.seek_requested.emit(int(round(float(start) * 1000)))

    def _on_chapter_edited(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 1:
            return
        chapter_id = item.data(0, _ID)
        title = " ".join(item.text(1).split())
        old = next((c.title for i, c in self.chapters if i == chapter_id), None)
        if not title or title == old:
            self._filling = True
            item.setText(1, old or "")
            self._filling = False
            return
        self.chapter_rename_requested.emit(int(chapter_id), title)

    def rename_at(self, start: float) -> None:
        """Start renaming the chapter that starts at ``start`` (one just added)."""
        for i in range(self.chapter_list.topLevelItemCount()):
            item = self.chapter_list.topLevelItem(i)
            if item is not None and abs(float(item.data(0, _START)) - start) < 1e-3:
                self.tabs.setCurrentIndex(0)
                self.chapter_list.setCurrentItem(item)
                self.chapter_list.editItem(item, 1)
                return

    def _rename_current(self) -> None:
        item = self.chapter_list.currentItem() or self.chapter_list.topLevelItem(0)
        if item is not None:
            self.chapter_list.setCurrentItem(item)
            self.chapter_list.editItem(item, 1)

    def _delete_current(self) -> None:
        item = self.chapter_list.currentItem()
        if item is not None:
            self.chapter_delete_requested.emit(int(item.data(0, _ID)))

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Delete and self.chapter_list.hasFocus():
            self._delete_current()
        else:
            super().keyPressEvent(event)
