"""The document preview and the timed-text panel as widgets (pytest-qt): marks follow the search's
rules, pages turn, the overlay shows the cue of the moment, clicks ask for a seek, chapter edits
come out as signals."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from mediadesk.domain.text_match import terms_of
from mediadesk.domain.timed_text import Chapter, Cue, TextTrack

from mediadesk.ui.document_view import DocumentView
from mediadesk.ui.timed_text_panel import TimedTextPanel, TrackChoice

PAGES = ["NATO Secretary General meets the President of Serbia, Mr Aleksandar Vučić.",
         "We need to ramp up DEFENCE production 😀 and kill the red tape; defence production matters.",
         "No hits here."]


def test_document_view_marks_words_and_opens_at_the_first_marked_page(qtbot):
    view = DocumentView()
    qtbot.addWidget(view)
    view.show_document("Remarks", PAGES, paged=True, terms=terms_of(["defence production"]))
    assert view.page == 1 and view.position.text() == "Page 2 of 3"
    assert view.marked_text() == ["DEFENCE production", "defence production"]
    selections = view.text.extraSelections()
    assert [s.cursor.selectedText() for s in selections] == ["DEFENCE production", "defence production"]
    assert view.hits.text() == "2 matches marked"
    view.set_terms(terms_of([unicodedata.normalize("NFD", "vučić")]), jump=True)
    assert view.page == 0 and [s.cursor.selectedText() for s in view.text.extraSelections()] == ["Vučić"]
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    assert view.page == 1 and view.text.extraSelections() == []
    qtbot.mouseClick(view.next, Qt.MouseButton.LeftButton)
    assert view.page == 2 and not view.next.isEnabled()


def test_document_view_unpaged_and_without_text(qtbot):
    view = DocumentView()
    qtbot.addWidget(view)
    view.show_document("Scan", [""], paged=False, note="No text layer: a scanned document")
    assert not view.next.isVisibleTo(view) and view.note.text().startswith("No text layer")
    assert view.text.toPlainText() == "(no text on this page)"


def _panel(qtbot):
    surface = QWidget()
    surface.resize(640, 360)
    qtbot.addWidget(surface)
    panel = TimedTextPanel()
    qtbot.addWidget(panel)
    panel.attach(surface)
    en = TextTrack([Cue(1.0, 4.0, "First of all, thank you"), Cue(151.0, 154.5, "defence production"),
                    Cue(152.0, 156.0, "overlapping cue")], language="en", origin="remarks.en.srt")
    pl = TextTrack([Cue(151.0, 154.5, "produkcja obronna")], language="pl", origin="remarks.pl.srt")
    chapters = [(7, Chapter(0.0, 252.0, "Opening remarks")), (8, Chapter(252.0, 570.0, "Q&A"))]
    panel.set_content([TrackChoice(1, en), TrackChoice(2, pl)], chapters, preferred_language="pl")
    return panel, surface


def test_panel_shows_the_cue_of_the_moment_in_the_chosen_language(qtbot):
    panel, surface = _panel(qtbot)
    surface.show()
    assert panel.current_track().track.language == "pl"
    panel.set_position(152.5)
    assert panel.overlay.text() == "produkcja obronna" and panel.overlay.isVisible()
    panel.language.setCurrentIndex(1)                 # English
    panel.set_position(152.5)
    assert panel.overlay.text() == "defence production\noverlapping cue"
    panel.set_position(160.0)
    assert not panel.overlay.isVisible()
    panel.language.setCurrentIndex(0)                 # Off
    panel.set_position(2.0)
    assert not panel.overlay.isVisible()


def test_clicking_a_chapter_or_a_cue_asks_for_a_seek(qtbot):
    panel, _ = _panel(qtbot)
    panel.language.setCurrentIndex(1)
    with qtbot.waitSignal(panel.seek_requested) as sought:
        panel._on_item_clicked(panel.chapter_list.topLevelItem(1))
    assert sought.args == [252000]
    with qtbot.waitSignal(panel.seek_requested) as sought:
        panel._on_item_clicked(panel.cue_list.topLevelItem(1))
    assert sought.args == [151000]
    assert panel.tabs.tabText(1) == "Transcript (3)"


def test_chapter_edits_are_requests(qtbot):
    panel, _ = _panel(qtbot)
    panel.set_position(300.0)
    assert panel.current_chapter()[0] == 8
    assert panel.chapter_list.topLevelItem(1).font(1).bold()
    with qtbot.waitSignal(panel.chapter_add_requested) as added:
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert added.args == [300.0]
    with qtbot.waitSignal(panel.chapter_rename_requested) as renamed:
        panel.chapter_list.topLevelItem(1).setText(1, "  Questions   and answers ")
    assert renamed.args == [8, "Questions and answers"]
    panel.chapter_list.setCurrentItem(panel.chapter_list.topLevelItem(0))
    with qtbot.waitSignal(panel.chapter_delete_requested) as deleted:
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert deleted.args == [7]
