"""Class 2 in the window: a search with a part it cannot use shows the error and no assets
(before, it showed every asset with a warning above them, ready to be selected and exported)."""

from __future__ import annotations


def test_the_window_shows_the_error_not_everything(window, qtbot):
    qtbot.waitUntil(lambda: window.model.rowCount() == 7, timeout=5000)
    field = window.search.field
    field.clear()
    qtbot.keyClicks(field, "id:1O")
    qtbot.waitUntil(lambda: window.search.problem.isVisible() and "id:1O" in window.search.problem.text(),
                    timeout=5000)
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=5000)
    window.grid.selectAll()
    assert window.selected_ids() == []
    field.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 7 and not window.search.problem.isVisible(),
                    timeout=5000)
