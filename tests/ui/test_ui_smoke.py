


def test_window_opens_and_shows_assets(window, qtbot):
    assert window.model.rowCount() == 7
    assert window.centre.currentWidget() is window.pane
    qtbot.waitUntil(lambda: window.loader.is_cached(window.model.asset_at(0).content_hash), timeout=5000)
