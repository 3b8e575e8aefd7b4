"""Keeps the centre's result set in step with the sidebar scope, the search text and the sort.

Queries run on the reader thread (a million-row sort never freezes the window); the newest
request wins. A refresh keeps the selection and the current item where they still exist.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QObject, Signal

from mediadesk.domain.query import parse_query

from mediadesk.ui.asset_model import AssetModel
from mediadesk.ui.asset_query import ALL, Result, Scope, find_ids
from mediadesk.ui.runner import CatalogLane
from mediadesk.ui.selection import rows_of, select_rows, selected_ids
from mediadesk.ui.thumbnail_loader import ThumbnailLoader

KEEP_SELECTION_MAX = 5000
FIRST_SCREEN = 400   # a new search shows this many at once, then the rest when it is read
FIRST_ROWS = 200     # ... and the display rows of the first ones come with them (two pages)


class ResultsController(QObject):
    """A new search or scope is answered in two steps on a large catalog: the first screenful
    (``FIRST_SCREEN`` ids, cheap with an ordered index) is shown at once, then the whole list
    replaces it (rows appended below, nothing repainted on screen). ``pending`` is True until
    the whole list is in; ``complete`` says whether the count shown is final."""

    #: A result set is shown: (number of assets, tuple of search errors, complete?).
    results_changed = Signal(int, object, bool)
    #: The result set was replaced; views scroll back to the top.
    reset = Signal()

    def __init__(self, reader: CatalogLane, model: AssetModel, selection: QItemSelectionModel,
                 loader: ThumbnailLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader = reader
        self._model = model
        self._selection = selection
        self._loader = loader
        self.scope: Scope = ALL
        self.text = ""
        self.order: str | None = None
        self.pending = False
        self.complete = True

    def set_scope(self, scope: Scope) -> None:
        self.scope = scope
        self.refresh(keep_selection=False)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh(keep_selection=False)

    def set_order(self, order: str | None) -> None:
        if order != self.order:
            self.order = order
            self.refresh(keep_selection=True)

    def refresh(self, keep_selection: bool = True) -> None:
        scope, text, order = self.scope, self.text, self.order
        self.pending = True
        if keep_selection or scope.is_gallery:
            self._reader.submit(lambda catalog: find_ids(catalog, scope, text, order, rows=FIRST_ROWS),
                                lambda result: self._apply(result, keep_selection), key="results")
            return

        def first(result: Result) -> None:
            if len(result.ids) < FIRST_SCREEN:
                self._apply(result, keep_selection=False)
                return
            self._apply(result, keep_selection=False, complete=False)
            self._reader.submit(lambda catalog: find_ids(catalog, scope, text, order), self._apply_rest,
                                key="results")

        self._reader.submit(lambda catalog: find_ids(catalog, scope, text, order, limit=FIRST_SCREEN,
                                                     rows=FIRST_ROWS),
                            first, key="results")

    def _apply_rest(self, result: Result) -> None:
        shown = self._model.ids()
        if result.ids[:len(shown)] == shown:
            self.pending = False
            self.complete = True
            self._model.extend_ids(result.ids[len(shown):])
            self.results_changed.emit(len(result.ids), result.errors, True)
        else:  # the catalog changed between the two reads
            self._apply(result, keep_selection=True)

    def _apply(self, result: Result, keep_selection: bool, complete: bool = True) -> None:
        self.pending = not complete
        self.complete = complete
        query = parse_query(self.text)
        self._model.set_match_query(None if query.errors else query)   # hits in documents and subtitles
        keep: list[int] = []
        current = None
        if keep_selection:
            keep = selected_ids(self._model, self._selection)[:KEEP_SELECTION_MAX]
            index = self._selection.currentIndex()
            current = self._model.id_at(index.row()) if index.isValid() else None
        same = result.ids == self._model.ids()
        if same:
            self._model.invalidate_all()
        else:
            self._loader.new_generation()
            self._model.set_ids(result.ids, result.rows)
            if keep or current is not None:
                rows = rows_of(self._model, keep)
                current_row = self._model.row_of(current) if current is not None else None
                select_rows(self._model, self._selection, rows, current_row)
            else:
                self.reset.emit()
        self.results_changed.emit(len(result.ids), result.errors, complete)
