"""A widget that shows one picture fitted and centred, and a worker that reads it off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget


class _Relay(QObject):
    loaded = Signal(int, QImage, str)  # generation, image, error


class _ReadImage(QRunnable):
    """Reads each (path, edge) step in turn: e.g. the cached thumbnail, then the picture."""

    def __init__(self, loader: ImageLoader, generation: int, steps: list[tuple[str, int]]) -> None:
        super().__init__()
        self._loader, self._generation, self._steps = loader, generation, steps

    def run(self) -> None:
        for path, edge in self._steps:
            if self._generation != self._loader._generation:
                return  # a newer picture was asked for
            reader = QImageReader(path)
            reader.setAutoTransform(True)
            size = reader.size()
            if size.isValid() and max(size.width(), size.height()) > edge:
                reader.setScaledSize(size.scaled(QSize(edge, edge), Qt.AspectRatioMode.KeepAspectRatio))
            image = reader.read()
            error = "" if not image.isNull() else reader.errorString()
            self._loader._relay.loaded.emit(self._generation, image, error)


class ImageLoader(QObject):
    """Reads one image at a time at screen size on a worker; a newer request makes older stale."""

    loaded = Signal(QPixmap)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)

    def load(self, *steps: tuple[str, int]) -> None:
        """Read each (path, edge) in turn; ``loaded`` fires after each (quick draft first)."""
        self._generation += 1
        self._pool.clear()  # not started yet: not needed any more
        self._pool.start(_ReadImage(self, self._generation, list(steps)))

    def cancel(self) -> None:
        self._generation += 1
        self._pool.clear()

    def _on_loaded(self, generation: int, image: QImage, error: str) -> None:
        if generation != self._generation:
            return
        if image.isNull():
            self.failed.emit(error or "unreadable image")
        else:
            self.loaded.emit(QPixmap.fromImage(image))

    def stop(self) -> None:
        self.cancel()
        self._pool.waitForDone(2000)


class ImageView(QWidget):
    """Paints a pixmap scaled to fit, centred on a neutral background; or a message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pixmap: QPixmap | None = None
        self._message = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        self._pixmap = pixmap
        self._message = ""
        self.update()

    def pixmap(self) -> QPixmap | None:
        return self._pixmap

    def set_message(self, message: str) -> None:
        self._pixmap = None
        self._message = message
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#2b2d31"))
        if self._pixmap is not None and not self._pixmap.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            size = self._pixmap.size().scaled(self.size() - QSize(16, 16), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(self.rect().center())
            painter.drawPixmap(target, self._pixmap)
        elif self._message:
            painter.setPen(QColor("#d1d5db"))
            painter.drawText(self.rect().adjusted(16, 16, -16, -16),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
