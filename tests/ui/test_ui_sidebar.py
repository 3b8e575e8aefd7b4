"""The sidebar touches only what changed (a refresh of thousands of galleries must stay cheap)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from mediadesk.catalog.galleries import Gallery

from mediadesk.ui.asset_query import LIBRARY
from mediadesk.ui.sidebar import Sidebar
from mediadesk.ui.sidebar_data import SidebarData


def _data(galleries, bump: int = 0, title_of_7: str | None = None) -> SidebarData:
    items = [Gallery(i, title_of_7 if (i == 7 and title_of_7) else f"Gallery {i}", "2025-03-06", None,
                     None, None, None, i + (bump if i == 3 else 0)) for i in range(1, galleries + 1)]
    return SidebarData({s.key: 5 for s in LIBRARY}, items, [])


def test_refresh_touches_only_what_changed(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.update_data(_data(300))
    changed: list[int] = []
    sidebar.model().dataChanged.connect(lambda a, b, roles=(): changed.append(a.row()))

    sidebar.update_data(_data(300))
    assert changed == []                     # same data: nothing emitted, nothing re-measured

    sidebar.update_data(_data(300, bump=1))
    assert len(changed) == 1                 # one gallery's count changed: one item updated

    changed.clear()
    sidebar.update_data(_data(300, bump=1, title_of_7="Renamed gallery"))
    assert sidebar.model().rowCount(sidebar._sections["galleries"].index()) == 300
    assert sidebar._items[("gallery", 7)][0].text() == "Renamed gallery"
    assert set(changed) == {6}               # the renamed row only (its label and its scope)


def test_selected_gallery_survives_a_count_refresh(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.update_data(_data(50))
    key = next(k for k in sidebar._items if k[0] == "gallery")
    assert sidebar.select_key(key, emit=False)
    sidebar.update_data(_data(50, bump=4))
    assert sidebar.current_scope().key == key


def test_adding_and_removing_galleries_touches_only_those_rows(qtbot):
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.update_data(_data(300))
    section = sidebar._sections["galleries"]
    model = sidebar.model()
    kept = sidebar._items[("gallery", 150)][0]
    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda parent, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda parent, a, b: removed.append((a, b)))

    data = _data(300)
    extra = Gallery(301, "A new gallery", "2025-03-06", None, None, None, None, 0)
    galleries = [*data.galleries[:10], extra, *data.galleries[10:]]
    del galleries[200]                                        # gallery 200 deleted
    sidebar.update_data(SidebarData(data.library_counts, galleries, []))
    assert inserted == [(10, 10)] and removed == [(199, 199)]
    assert sidebar._items[("gallery", 150)][0] is kept        # the other rows are the same items
    titles = [section.child(r).text() for r in range(section.rowCount())]
    assert titles == [g.title for g in galleries]
    assert ("gallery", 200) not in sidebar._items

    moved = [galleries[-1], *galleries[:-1]]                 # a gallery whose date moved it to the top
    sidebar.update_data(SidebarData(data.library_counts, moved, []))
    assert [section.child(r).text() for r in range(section.rowCount())] == [g.title for g in moved]

    sidebar.update_data(SidebarData(data.library_counts, [], []))
    assert section.rowCount() == 1 and section.child(0).text().startswith("None yet")
    sidebar.update_data(_data(3))
    assert [section.child(r).text() for r in range(section.rowCount())] == ["Gallery 1", "Gallery 2", "Gallery 3"]
