"""One signal that says what changed in the catalog, and a watcher for other programs' writes."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.changes import Changes

EXTERNAL = "external"  # key in Changes.extra: the change came from another program


def external_changes() -> Changes:
    """Another program committed: we do not know what it touched, so everything may have."""
    return Changes(added=True, galleries=True, rights=True, history=True, extra={EXTERNAL: True})


def is_external(changes: Changes) -> bool:
    return bool(changes.extra.get(EXTERNAL))


class CatalogEvents(QObject):
    """The window's event hub. Every write (edits, imports, galleries, undo) ends in ``changed``."""

    #: Emitted after a write committed. Payload: a ``mediadesk.domain.changes.Changes`` saying
    #: which assets/fields changed, whether result sets (``added``), galleries, rights or the
    #: undo history may differ. ``extra["external"]`` is set for another program's writes.
    changed = Signal(object)


class ExternalChangeWatcher(QObject):
    """Polls ``PRAGMA data_version`` on the GUI's connection; another connection's commit bumps it.

    Our own worker threads use their own connections, so their commits show up here too; they
    already announce precise Changes, so the watcher stays quiet while ``suppress`` says so.
    """

    def __init__(self, catalog: Catalog, events: CatalogEvents, interval_ms: int = 1000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._events = events
        self._version = catalog.data_version()
        self.suppress = lambda: False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()

    def acknowledge(self) -> None:
        """Our own writes are already announced: remember the version they left."""
        self._version = self._catalog.data_version()

    def poll(self) -> None:
        version = self._catalog.data_version()
        if version == self._version:
            return
        self._version = version
        if not self.suppress():
            self._events.changed.emit(external_changes())

    def stop(self) -> None:
        self._timer.stop()
