"""The assets in the centre: a list of ids and a paged row cache (grid and table share it).

The model holds ids only (``array('q')``). A row is read when a view first asks for it, a page of
``PAGE_SIZE`` rows per query; at most ``MAX_PAGES`` pages stay cached. A change to some assets
drops the pages that hold them and repaints those rows; nothing else is re-read.

A row is what the views paint and nothing more: a plain tuple of ``catalog.rows.DISPLAY_COLUMNS``
that the sqlite3 module builds in C (a page costs the reading thread no Python work per row, so it
never holds the GIL the GUI thread paints with). The whole Asset (inspector, drag and drop) is
read when asked for, one at a time (``asset_at``).
"""

from __future__ import annotations

import time
from array import array
from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.rows import DISPLAY_COLUMNS
from mediadesk.catalog.search import ORDERS
from mediadesk.domain.asset import Asset, AssetKind, format_duration
from mediadesk.domain.query import Query
from mediadesk.domain.rights import RightsProfile
from mediadesk.domain.search_matches import Match
from mediadesk.services.search_words import looks_in_words, match_line, matches_for

from mediadesk.ui.asset_mime import ASSET_IDS_MIME, encode_asset_ids
from mediadesk.ui.badges import Badge, badge_for, format_date
from mediadesk.ui.runner import CatalogLane

PAGE_SIZE = 100
MAX_PAGES = 40
PREFETCH_PAGES = 1   # pages read ahead of what is on screen (in the direction of the last scroll)

ASSET_ROLE = Qt.ItemDataRole.UserRole + 1     # the whole Asset (or None if it was deleted meanwhile), read when asked
ID_ROLE = Qt.ItemDataRole.UserRole + 2        # the asset id
BADGE_ROLE = Qt.ItemDataRole.UserRole + 3     # the rights Badge
ROW_ROLE = Qt.ItemDataRole.UserRole + 4       # the display row (a DISPLAY_COLUMNS tuple), None while it loads
HIT_ROLE = Qt.ItemDataRole.UserRole + 5       # the first Match of the search in the asset's words, or None

(R_ID, R_HASH, R_HAS_THUMB, R_WIDTH, R_HEIGHT, R_KIND, R_FORMAT, R_DURATION, R_MISSING, R_TITLE, R_HEADLINE,
 R_CAPTION, R_FILE, R_DATE, R_CREATOR, R_PATH, R_PROFILE_ID, R_PROFILE, R_REVIEW, R_GALLERIES,
 R_RATING, R_PICK, R_LABEL) = range(23)
assert DISPLAY_COLUMNS[R_GALLERIES] == "galleries" and DISPLAY_COLUMNS[R_LABEL] == "label"
assert len(DISPLAY_COLUMNS) == 23
ASSET_CACHE = 256     # whole assets kept for the inspector and drags
BADGE_SECONDS = 30    # badges depend on the clock (embargo, expiry): worked out again this often

# (header, ORDERS key ascending, ORDERS key descending); None: that order does not exist yet
COLUMNS: tuple[tuple[str, str | None, str | None], ...] = (
    ("Title", "title", "title-desc"),
    ("Caption", "caption", "caption-desc"),
    ("Date", "date-asc", "date"),
    ("Duration", "duration", "duration-desc"),
    ("Kind", "kind", "kind-desc"),
    ("Rights", "rights", "rights-desc"),
    ("Gallery", "gallery", "gallery-desc"),
    ("Creator", "creator", "creator-desc"),
    ("File", "file", "file-desc"),
)
TITLE, CAPTION, DATE, DURATION, KIND, RIGHTS, GALLERY, CREATOR, FILE = range(len(COLUMNS))


LOADING = object()   # row_to_paint(): the row's page is on its way
_ITEM_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
               | Qt.ItemFlag.ItemNeverHasChildren)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def hit_line(match) -> str:
    """A result's hit for a tooltip: "Found at [2:31] ...defence production..."."""
    return "Found: " + match_line(match)


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def title_stand_in(asset: Asset) -> str | None:
    """Where the Title column's text comes from when the asset has no title (None: it has one)."""
    return stand_in(asset.title, asset.headline)


def stand_in(title: str | None, headline: str | None) -> str | None:
    if title and title.strip():
        return None
    return "headline" if headline and headline.strip() else "file name"


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


_ROOT = QModelIndex()  # the invalid index: the model's root

class AssetModel(QAbstractTableModel):
    """Rows for the grid and the table.

    With a ``rows_worker`` (the window) pages are read on that worker: the views report which
    rows are on screen (:meth:`want_rows`), the pages holding them are read off the GUI thread,
    and ``data()`` answers None for a row whose page has not arrived yet (the delegate paints an
    empty frame for a moment). A newer request makes older ones that have not started stale.
    Without a worker (scripts, model tests) a page is read when ``data()`` first asks for it.
    """

    def __init__(self, catalog: Catalog, rows_worker: CatalogLane | None = None, parent=None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._store = catalog.assets
        self._worker = rows_worker
        self._ids = array("q")
        self._pages: OrderedDict[int, list[tuple | None]] = OrderedDict()
        self._assets: OrderedDict[int, Asset] = OrderedDict()   # whole assets by id (small LRU)
        self._badges: dict[tuple, Badge] = {}
        self._badges_at = 0.0
        self._generation = 0      # bumped when the id list changes: older pages are dropped
        self._latest_batch = 0    # read by the worker: a batch that is not the latest is skipped
        self._in_flight: set[int] = set()
        self._shown_first = -1    # the first row on screen at the last want_rows()
        self._heading = 0         # -1: the last scroll went up, 1: down, 0: not known (both ways)
        self._profiles: dict[int, RightsProfile] = {}
        self._match_query: Query | None = None   # whose hits in the words results show (issue 16)
        self._hits: dict[int, Match | None] = {}       # asset id -> its first Match (None: no hit)
        self._stand_in_font = _italic()         # a Title that is really the headline or file name
        self._stand_in_brush = QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        self.reload_profiles()

    # -- contents --------------------------------------------------------------------------
    def set_match_query(self, query: Query | None) -> None:
        """The search whose hits in documents and timed text the rows show (a video's moment)."""
        self._match_query = query if query is not None and looks_in_words(query) else None
        self._hits.clear()

    def hit(self, asset_id: int) -> Match | None:
        """The first Match of the search in this asset's words (None: none, or not known yet)."""
        return self._hits.get(asset_id)

    def set_ids(self, ids: Iterable[int], rows: tuple | list = ()) -> None:
        """A new result set; ``rows``: the display rows of its first ids, read with them."""
        self.beginResetModel()
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self._pages.clear()
        self._in_flight.clear()
        self._shown_first, self._heading = -1, 0
        self._generation += 1
        for page_no in range(len(rows) // PAGE_SIZE + (1 if len(rows) % PAGE_SIZE else 0)):
            page = list(rows[page_no * PAGE_SIZE:(page_no + 1) * PAGE_SIZE])
            if len(page) == min(PAGE_SIZE, len(self._ids) - page_no * PAGE_SIZE):   # whole pages only
                self._pages[page_no] = page
        self.endResetModel()
        self._find_hits([r for r in rows if r is not None])

    def extend_ids(self, more: array) -> None:
        """Append rows (the rest of a result set whose first screenful is shown)."""
        if not len(more):
            return
        start = len(self._ids)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._ids.extend(more)
        self.endInsertRows()

    def ids(self) -> array:
        return self._ids

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, asset_id: int) -> int | None:
        try:
            return self._ids.index(asset_id)
        except ValueError:
            return None

    def row_at(self, row: int) -> tuple | None:
        """The display row (read now if its page is not here)."""
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[row - page_no * PAGE_SIZE]

    def asset_at(self, row: int) -> Asset | None:
        """The whole Asset of a row (None if it was deleted), read on this thread when asked."""
        if not 0 <= row < len(self._ids):
            return None
        asset_id = self._ids[row]
        asset = self._assets.get(asset_id)
        if asset is None:
            found = self._store.get_many([asset_id])
            if not found:
                return None
            asset = self._assets[asset_id] = found[0]
            while len(self._assets) > ASSET_CACHE:
                self._assets.popitem(last=False)
        else:
            self._assets.move_to_end(asset_id)
        return asset

    def _load_page(self, page_no: int) -> list[tuple | None]:
        start = page_no * PAGE_SIZE
        page = self._store.display_rows(self._ids[start:start + PAGE_SIZE])
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _cached(self, row: int):
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            return LOADING
        return page[row - (row // PAGE_SIZE) * PAGE_SIZE]

    def loaded_row(self, row: int) -> tuple | None:
        """The display row if its page is here (None if not, or if the asset was deleted)."""
        item = self._cached(row)
        return None if item is LOADING else item

    def row_to_paint(self, row: int):
        """The display row, None if its asset is gone, or ``LOADING`` while its page is on its
        way from the rows worker (without a worker the page is read now)."""
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            return LOADING if self._worker is not None else self.row_at(row)
        return page[row % PAGE_SIZE]

    def is_loaded(self, row: int) -> bool:
        """The row's data is in memory (painting it will not wait)."""
        return self._worker is None or self._cached(row) is not LOADING

    def want_rows(self, first: int, last: int) -> None:
        """The rows on screen: read the pages holding them off the GUI thread, and the page
        after them in the direction the view last scrolled (either side until it has scrolled).
        Reading the page behind too would double the reads of a drag along the scroll bar,
        whose every step lands on rows not read yet."""
        if self._worker is None or not self._ids:
            return
        last = min(last, len(self._ids) - 1)
        if first < 0 or last < first:
            return
        if self._shown_first >= 0 and first != self._shown_first:
            self._heading = 1 if first > self._shown_first else -1
        self._shown_first = first
        top = max(0, first // PAGE_SIZE - (PREFETCH_PAGES if self._heading <= 0 else 0))
        bottom = min((len(self._ids) - 1) // PAGE_SIZE,
                     last // PAGE_SIZE + (PREFETCH_PAGES if self._heading >= 0 else 0))
        on_screen = range(first // PAGE_SIZE, last // PAGE_SIZE + 1)
        missing = [p for p in (*on_screen, *range(top, bottom + 1))
                   if p not in self._pages and p not in self._in_flight]
        missing = list(dict.fromkeys(missing))
        if not missing:
            return
        self._latest_batch += 1
        self._in_flight = set(missing)  # pages of older batches may be skipped: asked again if needed
        # what is on screen first (painted as soon as it arrives), then the pages either side
        first_part = [p for p in missing if p in on_screen]
        for part in (first_part, [p for p in missing if p not in on_screen]):
            if part:
                self._read_pages(part, self._latest_batch)

    def _read_pages(self, page_nos: list[int], batch: int) -> None:
        worker = self._worker
        if worker is None:
            return
        generation = self._generation
        chunks = {p: self._ids[p * PAGE_SIZE:(p + 1) * PAGE_SIZE] for p in page_nos}

        def read(catalog: Catalog):
            store = catalog.assets
            pages: dict[int, list[tuple | None]] = {}
            for page_no, ids in chunks.items():
                if pages and batch != self._latest_batch:
                    break  # scrolled on: keep what was read, skip the rest
                pages[page_no] = store.display_rows(ids)
            return pages

        worker.submit(read, lambda pages: self._on_pages(pages, generation))

    def _on_pages(self, pages: dict[int, list[tuple | None]], generation: int,
                  replace: bool = False) -> None:
        if generation != self._generation:
            return  # the result set changed meanwhile
        last_column = self.columnCount() - 1
        for page_no, page in pages.items():
            self._in_flight.discard(page_no)
            if page_no not in self._pages or replace:
                self._pages[page_no] = page
            # Announce the rows even when the page is already here (asset_at() read it on the GUI
            # thread meanwhile): views painted them as "loading" and must paint them again.
            self._pages.move_to_end(page_no)
            first = page_no * PAGE_SIZE
            self.dataChanged.emit(self.index(first, 0), self.index(first + len(page) - 1, last_column))
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self._find_hits([r for page in pages.values() for r in page if r is not None])

    def _find_hits(self, rows: list[tuple]) -> None:
        """Where the search's words are in these rows' documents and timed text (off the GUI
        thread); the rows are repainted with the moment or page when it is known."""
        query = self._match_query
        if query is None or self._worker is None:
            return
        worded = (AssetKind.VIDEO, AssetKind.DOCUMENT)
        wanted = [r[R_ID] for r in rows if r[R_KIND] in worded and r[R_ID] not in self._hits]
        if not wanted:
            return
        for asset_id in wanted:
            self._hits[asset_id] = None   # asked for: not again
        generation = self._generation

        def read(catalog: Catalog):
            found_at = matches_for(catalog, query, wanted, limit=1)
            return {i: (found[0] if found else None) for i, found in found_at.items()}

        def done(hits: dict[int, Match | None]) -> None:
            if generation != self._generation or query is not self._match_query:
                return
            self._hits.update(hits)
            for asset_id, match in hits.items():
                row = self.row_of(asset_id) if match is not None else None
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

        self._worker.submit(read, done)

    def reload_profiles(self) -> None:
        self._profiles = {p.id: p for p in self._catalog.rights.list() if p.id is not None}
        self._badges.clear()

    def badge(self, row: tuple) -> Badge:
        """The rights badge of a display row (the same for every row with its profile and note)."""
        now = time.monotonic()
        if now - self._badges_at > BADGE_SECONDS:
            self._badges.clear()
            self._badges_at = now
        key = (row[R_PROFILE_ID], row[R_REVIEW])
        badge = self._badges.get(key)
        if badge is None:
            badge = self._badges[key] = badge_for(row[R_PROFILE_ID], row[R_REVIEW], self._profiles)
        return badge

    def profiles(self) -> dict[int, RightsProfile]:
        return self._profiles

    def invalidate_assets(self, asset_ids: Iterable[int]) -> None:
        """Re-read the cached pages holding these assets and repaint their rows."""
        wanted = set(asset_ids)
        for asset_id in wanted:
            self._assets.pop(asset_id, None)
        stale = [page_no for page_no, page in self._pages.items()
                 if any(r is not None and r[R_ID] in wanted for r in page)]
        self._reread(stale)

    def invalidate_all(self) -> None:
        """Everything may have changed (another program wrote): re-read what is cached."""
        self._assets.clear()
        self._reread(list(self._pages))

    def _reread(self, page_nos: list[int]) -> None:
        if not page_nos:
            return
        if self._worker is None:
            for page_no in page_nos:
                del self._pages[page_no]
            self._emit_pages_changed(page_nos)
            return
        # keep showing the old rows until the new ones arrive (no flicker); forget far-away pages
        keep = sorted(page_nos, key=lambda p: -list(self._pages).index(p))[:8]
        for page_no in page_nos:
            if page_no not in keep:
                del self._pages[page_no]
        generation = self._generation
        chunks = {p: self._ids[p * PAGE_SIZE:(p + 1) * PAGE_SIZE] for p in keep}

        def read(catalog: Catalog):
            store = catalog.assets
            return {page_no: store.display_rows(ids) for page_no, ids in chunks.items()}

        self._worker.submit(read, lambda pages: self._on_pages(pages, generation, replace=True))

    def _emit_pages_changed(self, page_nos: list[int]) -> None:
        if not page_nos or not self._ids:
            return
        first = min(page_nos) * PAGE_SIZE
        last = min(len(self._ids) - 1, (max(page_nos) + 1) * PAGE_SIZE - 1)
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    # -- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            _, asc, desc = COLUMNS[section]
            sortable = asc in ORDERS or desc in ORDERS
            return f"Click to sort by {COLUMNS[section][0].lower()}" if sortable else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if role == ID_ROLE:
            return self._ids[row]
        if self._worker is not None:
            item = self._cached(row)
            if item is LOADING:
                return None  # on its way from the rows worker
        else:
            item = self.row_at(row)
        if role == ROW_ROLE:
            return item
        if role == ASSET_ROLE:
            return None if item is None else self.asset_at(row)
        if item is None:
            return "(removed)" if role == Qt.ItemDataRole.DisplayRole and index.column() == TITLE else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, index.column())
        if role == BADGE_ROLE:
            return self.badge(item)
        if role == HIT_ROLE:
            return self._hits.get(item[R_ID])
        if index.column() == TITLE and role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole):
            if stand_in(item[R_TITLE], item[R_HEADLINE]) is None:
                return None
            return self._stand_in_font if role == Qt.ItemDataRole.FontRole else self._stand_in_brush
        if role == Qt.ItemDataRole.ToolTipRole:
            column = index.column()
            caption = item[R_CAPTION]
            if column == RIGHTS:
                return self.badge(item).label
            if column == TITLE and (source := stand_in(item[R_TITLE], item[R_HEADLINE])):
                note = f"No title: this is the {source} (shown in grey italics)."
                return note + (f"\n\n{caption}" if caption else "")
            hit = self._hits.get(item[R_ID])
            if hit is not None and column in (CAPTION, TITLE, DURATION):
                return hit_line(hit)
            if column in (CAPTION, TITLE) and caption:
                return caption
            if column == FILE:
                return item[R_PATH]
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == DURATION:
            return _RIGHT_ALIGNED
        return None

    def stand_in_font(self) -> QFont:
        return self._stand_in_font

    def display_text(self, item: tuple, column: int) -> str:
        """What the table shows in ``column`` for a display row."""
        return self._display(item, column)

    def _display(self, item: tuple, column: int) -> str:
        if column == TITLE:
            return one_line(item[R_TITLE] or item[R_HEADLINE] or item[R_FILE])
        if column == CAPTION:
            return one_line(item[R_CAPTION])
        if column == DATE:
            return format_date(item[R_DATE])
        if column == DURATION:
            return format_duration(item[R_DURATION])
        if column == KIND:
            return item[R_KIND].capitalize()
        if column == RIGHTS:
            if item[R_PROFILE] is None:
                return "No rights profile"
            badge = self.badge(item)
            return item[R_PROFILE] if not badge.problem else f"{item[R_PROFILE]} ({badge.text.lower()})"
        if column == GALLERY:
            return item[R_GALLERIES] or ""
        if column == CREATOR:
            return item[R_CREATOR] or ""
        if column == FILE:
            return item[R_FILE]
        return ""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        # (a constant: combining Qt's flag enums in Python costs ~70 µs, and the views ask per cell)
        return _ITEM_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def mimeTypes(self) -> list[str]:
        return [ASSET_IDS_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes})
        ids = [self._ids[r] for r in rows]
        mime = encode_asset_ids(ids)
        paths = [item[R_PATH] for item in (self.row_at(r) for r in rows[:500]) if item is not None]
        mime.setUrls([QUrl.fromLocalFile(p) for p in paths])  # drag out to a mail or a folder
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction
