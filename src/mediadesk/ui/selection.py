"""Selections as ids, through selection ranges (never one QModelIndex per selected cell)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel

from mediadesk.ui.asset_model import AssetModel


def selected_rows(selection: QItemSelectionModel) -> list[int]:
    rows: set[int] = set()
    ranges = selection.selection()
    for i in range(ranges.count()):
        rng = ranges.at(i)
        rows.update(range(rng.top(), rng.bottom() + 1))
    return sorted(rows)


def selected_ids(model: AssetModel, selection: QItemSelectionModel) -> list[int]:
    ids = model.ids()
    return [ids[r] for r in selected_rows(selection) if r < len(ids)]


def rows_of(model: AssetModel, asset_ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(asset_ids))
    if not wanted:
        return []
    if len(wanted) <= 32:  # array.index scans in C
        return sorted(r for r in (model.row_of(i) for i in wanted) if r is not None)
    want = set(wanted)
    return [row for row, aid in enumerate(model.ids()) if aid in want]


def select_rows(model: AssetModel, selection: QItemSelectionModel, rows: list[int],
                current_row: int | None = None) -> None:
    """Select whole rows (contiguous runs become one range each)."""
    items = QItemSelection()
    last_column = model.columnCount() - 1
    start = prev = -1
    for row in rows:
        if start < 0:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            items.select(model.index(start, 0), model.index(prev, last_column))
            start = prev = row
    if start >= 0:
        items.select(model.index(start, 0), model.index(prev, last_column))
    selection.select(items, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    if current_row is not None:
        selection.setCurrentIndex(model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
