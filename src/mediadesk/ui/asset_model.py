"""The assets in the centre: a list of ids and a paged row cache (grid and table share it).

The model holds ids only (``array('q')``). A row is read when a view first asks for it, a page of
``PAGE_SIZE`` rows per query; at most ``MAX_PAGES`` pages stay cached. A change to some assets
drops the pages that hold them and repaints those rows; nothing else is re-read.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.search import ORDERS
from mediadesk.domain.asset import Asset, format_duration
from mediadesk.domain.rights import RightsProfile

from mediadesk.ui.asset_mime import ASSET_IDS_MIME, encode_asset_ids
from mediadesk.ui.badges import format_date, rights_badge
from mediadesk.ui.runner import CatalogLane

PAGE_SIZE = 100
MAX_PAGES = 40
PREFETCH_PAGES = 1   # pages read ahead of and behind what is on screen

ASSET_ROLE = Qt.UserRole + 1     # the Asset (or None if it was deleted meanwhile)
ID_ROLE = Qt.UserRole + 2        # the asset id
BADGE_ROLE = Qt.UserRole + 3     # the rights Badge

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


_LOADING = object()


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def title_stand_in(asset: Asset) -> str | None:
    """Where the Title column's text comes from when the asset has no title (None: it has one)."""
    if asset.title and asset.title.strip():
        return None
    return "headline" if asset.headline and asset.headline.strip() else "file name"


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


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
        self._pages: OrderedDict[int, list[Asset | None]] = OrderedDict()
        self._generation = 0      # bumped when the id list changes: older pages are dropped
        self._latest_batch = 0    # read by the worker: a batch that is not the latest is skipped
        self._in_flight: set[int] = set()
        self._profiles: dict[int, RightsProfile] = {}
        self._stand_in_font = _italic()         # a Title that is really the headline or file name
        self._stand_in_brush = QBrush(QGuiApplication.palette().color(QPalette.PlaceholderText))
        self.reload_profiles()

    # -- contents --------------------------------------------------------------------------
    def set_ids(self, ids: Iterable[int]) -> None:
        self.beginResetModel()
        self._ids = ids if isinstance(ids, array) else array("q", ids)
        self._pages.clear()
        self._in_flight.clear()
        self._generation += 1
        self.endResetModel()

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

    def asset_at(self, row: int) -> Asset | None:
        if not 0 <= row < len(self._ids):
            return None
        page_no = row // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[row - page_no * PAGE_SIZE]

    def _load_page(self, page_no: int) -> list[Asset | None]:
        start = page_no * PAGE_SIZE
        ids = self._ids[start:start + PAGE_SIZE]
        found = {a.id: a for a in self._store.get_many(ids)}
        page = [found.get(i) for i in ids]
        self._pages[page_no] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _cached(self, row: int):
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            return _LOADING
        return page[row - (row // PAGE_SIZE) * PAGE_SIZE]

    def is_loaded(self, row: int) -> bool:
        """The row's data is in memory (painting it will not wait)."""
        return self._worker is None or self._cached(row) is not _LOADING

    def want_rows(self, first: int, last: int) -> None:
        """The rows on screen: read the pages holding them (and one either side) off the GUI thread."""
        if self._worker is None or not self._ids:
            return
        last = min(last, len(self._ids) - 1)
        if first < 0 or last < first:
            return
        top = max(0, first // PAGE_SIZE - PREFETCH_PAGES)
        bottom = min((len(self._ids) - 1) // PAGE_SIZE, last // PAGE_SIZE + PREFETCH_PAGES)
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
        generation = self._generation
        chunks = {p: self._ids[p * PAGE_SIZE:(p + 1) * PAGE_SIZE] for p in page_nos}

        def read(catalog: Catalog):
            store = catalog.assets
            pages = {}
            for page_no, ids in chunks.items():
                if pages and batch != self._latest_batch:
                    break  # scrolled on: keep what was read, skip the rest
                found = {a.id: a for a in store.get_many(ids)}
                pages[page_no] = [found.get(i) for i in ids]
            return pages

        self._worker.submit(read, lambda pages: self._on_pages(pages, generation))

    def _on_pages(self, pages: dict[int, list[Asset | None]], generation: int,
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

    def reload_profiles(self) -> None:
        self._profiles = {p.id: p for p in self._catalog.rights.list()}

    def profiles(self) -> dict[int, RightsProfile]:
        return self._profiles

    def invalidate_assets(self, asset_ids: Iterable[int]) -> None:
        """Re-read the cached pages holding these assets and repaint their rows."""
        wanted = set(asset_ids)
        stale = [page_no for page_no, page in self._pages.items()
                 if any(a is not None and a.id in wanted for a in page)]
        self._reread(stale)

    def invalidate_all(self) -> None:
        """Everything may have changed (another program wrote): re-read what is cached."""
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
            pages = {}
            for page_no, ids in chunks.items():
                found = {a.id: a for a in store.get_many(ids)}
                pages[page_no] = [found.get(i) for i in ids]
            return pages

        self._worker.submit(read, lambda pages: self._on_pages(pages, generation, replace=True))

    def _emit_pages_changed(self, page_nos: list[int]) -> None:
        if not page_nos or not self._ids:
            return
        first = min(page_nos) * PAGE_SIZE
        last = min(len(self._ids) - 1, (max(page_nos) + 1) * PAGE_SIZE - 1)
        self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    # -- Qt model interface ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):
        if orientation != Qt.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ToolTipRole:
            _, asc, desc = COLUMNS[section]
            sortable = asc in ORDERS or desc in ORDERS
            return f"Click to sort by {COLUMNS[section][0].lower()}" if sortable else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        if role == ID_ROLE:
            return self._ids[row]
        if self._worker is not None:
            asset = self._cached(row)
            if asset is _LOADING:
                return None  # on its way from the rows worker
        else:
            asset = self.asset_at(row)
        if role == ASSET_ROLE:
            return asset
        if asset is None:
            return "(removed)" if role == Qt.DisplayRole and index.column() == TITLE else None
        if role == Qt.DisplayRole:
            return self._display(asset, index.column())
        if role == BADGE_ROLE:
            return rights_badge(asset, self._profiles)
        if index.column() == TITLE and role in (Qt.FontRole, Qt.ForegroundRole):
            if title_stand_in(asset) is None:
                return None
            return self._stand_in_font if role == Qt.FontRole else self._stand_in_brush
        if role == Qt.ToolTipRole:
            column = index.column()
            if column == RIGHTS:
                return rights_badge(asset, self._profiles).label
            if column == TITLE and title_stand_in(asset):
                note = f"No title: this is the {title_stand_in(asset)} (shown in grey italics)."
                return note + (f"\n\n{asset.caption}" if asset.caption else "")
            if column in (CAPTION, TITLE) and asset.caption:
                return asset.caption
            if column == FILE:
                return asset.path
            return None
        if role == Qt.TextAlignmentRole and index.column() == DURATION:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def _display(self, asset: Asset, column: int) -> str:
        if column == TITLE:
            return one_line(asset.display_title)
        if column == CAPTION:
            return one_line(asset.caption)
        if column == DATE:
            return format_date(asset.date_created)
        if column == DURATION:
            return format_duration(asset.duration)
        if column == KIND:
            return asset.kind.capitalize()
        if column == RIGHTS:
            if asset.rights_profile is None:
                return "No rights profile"
            badge = rights_badge(asset, self._profiles)
            return asset.rights_profile if not badge.problem else f"{asset.rights_profile} ({badge.text.lower()})"
        if column == GALLERY:
            return "; ".join(asset.galleries)
        if column == CREATOR:
            return asset.creator or ""
        if column == FILE:
            return asset.file_name
        return ""

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.NoItemFlags
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsDragEnabled | Qt.ItemNeverHasChildren

    def mimeTypes(self) -> list[str]:
        return [ASSET_IDS_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes})
        ids = [self._ids[r] for r in rows]
        mime = encode_asset_ids(ids)
        paths = [a.path for a in (self.asset_at(r) for r in rows[:500]) if a is not None]
        mime.setUrls([QUrl.fromLocalFile(p) for p in paths])  # drag out to a mail or a folder
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.CopyAction
