"""Thumbnails for the views: JPEGs from the disk cache read as QImage on worker threads.

- The GUI thread never opens a file: ``pixmap()`` answers from memory or returns None and
  queues a request; a worker reads the JPEG (scaled while decoding) into a QImage; the GUI
  thread turns it into a QPixmap, keeps it in an LRU and asks the views to repaint.
- Newest requests first: what was just painted is what the user is looking at. The queue is
  bounded; requests that fall off its end are simply asked again when their item is painted.
- Every request carries the loader's generation. ``new_generation()`` (a new result set, a new
  size) empties the queue and makes answers still in flight stale: they are dropped.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict, deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

MAX_PENDING = 256
CACHE_BYTES = 32 * 1024 * 1024   # ~450 thumbnails at 180 px: several screens of them
WORKERS = 2
IDLE_SECONDS = 5.0   # a worker with nothing to do waits this long for more before it ends


def _cost(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4


class _Relay(QObject):
    loaded = Signal(int, str, QImage, int)  # generation, key, image (null if unreadable), edge


class _Worker(QRunnable):
    def __init__(self, loader: ThumbnailLoader) -> None:
        super().__init__()
        self._loader = loader

    def run(self) -> None:
        loader = self._loader
        while True:
            item = loader._take()
            if item is None:
                return
            generation, key, path, edge = item
            if loader.fetch is not None and not os.path.exists(path):
                loader.fetch(key)     # a team catalog: into this desk's cache from the server
            reader = QImageReader(path)
            reader.setAutoTransform(True)
            size = reader.size()
            if size.isValid() and max(size.width(), size.height()) > edge:
                reader.setScaledSize(size.scaled(QSize(edge, edge), Qt.AspectRatioMode.KeepAspectRatio))
            image = reader.read()
            loader._relay.loaded.emit(generation, key, image, edge)


class ThumbnailLoader(QObject):
    #: Some thumbnails arrived; views repaint their visible items (coalesced, ~1 per frame).
    updated = Signal()

    def __init__(self, edge: int = 256, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edge = edge
        #: ``fetch(content_hash)`` brings a thumbnail missing from the disk cache (a team
        #: catalog's ThumbnailFetcher); called on the worker threads, never on the GUI thread
        self.fetch: Callable[[str], object] | None = None
        self._generation = 0
        self._lock = threading.Lock()
        self._more = threading.Condition(self._lock)   # a request arrived (or the loader stops)
        self._stopping = False
        self._queue: deque[tuple[int, str, str, int]] = deque()
        self._queued: set[str] = set()
        self._cache: OrderedDict[str, tuple[QPixmap, int]] = OrderedDict()  # key -> (pixmap, edge)
        self._cache_bytes = 0
        self._failed: set[str] = set()
        self._running = 0
        self._waiting = 0   # workers idle in _take(), waiting for a request
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(WORKERS)
        self._relay = _Relay()
        self._relay.loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)
        self._repaint = QTimer(self)
        self._repaint.setSingleShot(True)
        self._repaint.setInterval(16)
        self._repaint.timeout.connect(self.updated)

    # -- GUI thread ------------------------------------------------------------------------
    def pixmap(self, key: str, path: str) -> QPixmap | None:
        """The cached thumbnail for ``key``; otherwise None and the thumbnail is requested.

        A pixmap decoded for another size is still returned (drawn scaled) while the right
        size loads."""
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            if cached[1] == self._edge:
                return cached[0]
        if key not in self._failed:
            self._request(key, path)
        return cached[0] if cached is not None else None

    def is_cached(self, key: str) -> bool:
        return key in self._cache

    def _request(self, key: str, path: str) -> None:
        with self._lock:
            if key in self._queued:
                return
            self._queue.append((self._generation, key, path, self._edge))
            self._queued.add(key)
            while len(self._queue) > MAX_PENDING:
                _, old, _, _ = self._queue.popleft()
                self._queued.discard(old)
            # Workers stay a while when idle: starting one costs the GUI thread a thread hand-over
            # (and the GIL) every time, hundreds of times in a fast scroll.
            start = self._running < WORKERS and self._waiting == 0
            if start:
                self._running += 1
            else:
                self._more.notify()
        if start:
            self._pool.start(_Worker(self))

    def prefetch(self, items: list[tuple[str, str]]) -> None:
        """Thumbnails (key, path) likely to be painted next (the screen the user scrolls towards):
        read after everything painted has been, and dropped first when the queue is full."""
        start = False
        with self._lock:
            for key, path in items:
                if key in self._queued or key in self._failed or key in self._cache:
                    continue
                if len(self._queue) >= MAX_PENDING:
                    break
                self._queue.appendleft((self._generation, key, path, self._edge))
                self._queued.add(key)
            if self._queue:
                start = self._running < WORKERS and self._waiting == 0
                if start:
                    self._running += 1
                else:
                    self._more.notify()
        if start:
            self._pool.start(_Worker(self))

    def keep_only(self, keys: set[str]) -> None:
        """Forget the requests not yet started for thumbnails other than ``keys`` (rows scrolled
        past: decoding them would only compete with what is on screen now)."""
        with self._lock:
            if all(item[1] in keys for item in self._queue):
                return
            self._queue = deque(item for item in self._queue if item[1] in keys)
            self._queued = {item[1] for item in self._queue}

    def set_edge(self, edge: int) -> None:
        """Thumbnails are decoded to fit an ``edge`` x ``edge`` square."""
        if edge != self._edge:
            self._edge = edge
            self.new_generation()

    def new_generation(self) -> None:
        with self._lock:
            self._generation += 1
            self._queue.clear()
            self._queued.clear()

    def _on_loaded(self, generation: int, key: str, image: QImage, edge: int) -> None:
        with self._lock:
            self._queued.discard(key)
            current = generation == self._generation
        if image.isNull():
            self._failed.add(key)
            return
        if not current:
            return  # stale: a new result set or size was asked for since
        self.forget(key)
        pixmap = QPixmap.fromImage(image)
        self._cache[key] = (pixmap, edge)
        self._cache_bytes += _cost(pixmap)
        while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, (old, _) = self._cache.popitem(last=False)
            self._cache_bytes -= _cost(old)
        if not self._repaint.isActive():
            self._repaint.start()

    def forget(self, key: str) -> None:
        """The thumbnail file changed (re-import): read it again next time."""
        old = self._cache.pop(key, None)
        if old is not None:
            self._cache_bytes -= _cost(old[0])
        self._failed.discard(key)

    def stop(self) -> None:
        self.new_generation()
        with self._lock:
            self._stopping = True
            self._more.notify_all()
        self._pool.waitForDone(2000)

    # -- worker threads ----------------------------------------------------------------------
    def _take(self) -> tuple[int, str, str, int] | None:
        with self._lock:
            if not self._queue and not self._stopping:
                self._waiting += 1
                self._more.wait_for(lambda: self._queue or self._stopping, IDLE_SECONDS)
                self._waiting -= 1
            if not self._queue or self._stopping:
                self._running -= 1
                return None
            return self._queue.pop()  # newest first
