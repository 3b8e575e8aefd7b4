"""Video playback (Qt Multimedia): picture, play/pause, seek bar, time, mute.

Qt Multimedia (and the Qt Network it loads) is imported when the first video is shown, not when
the window opens: most sessions start on photos, and it costs ~0.1 s of every start (issue 18).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QVBoxLayout, QWidget

from mediadesk.domain.asset import format_duration

from mediadesk.ui.image_view import ImageView

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink


class VideoSurface(ImageView):
    """Paints the player's frames (a QVideoSink: works on every platform plugin, offscreen too,
    and can be grabbed for screenshots). Shows a poster until the first frame arrives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sink: QVideoSink | None = None   # made with the player
        self.frames = 0

    def make_sink(self) -> QVideoSink:
        from PySide6.QtMultimedia import QVideoSink

        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._on_frame)
        return self.sink

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        image = frame.toImage()
        if not image.isNull():
            self.frames += 1
            self.set_pixmap(QPixmap.fromImage(image))


class VideoPlayer(QWidget):
    error = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player: QMediaPlayer | None = None     # made at the first video (media())
        self.audio: QAudioOutput | None = None
        self._pending_ms: int | None = None   # a seek asked for before the file is open
        self.video = VideoSurface(self)

        self.play_button = QToolButton(self)
        self.play_button.setObjectName("playPause")
        self.play_button.setToolTip("Play / pause (Space)")
        self.play_button.setAutoRaise(True)
        self.play_button.clicked.connect(self.toggle)
        self.seek = QSlider(Qt.Orientation.Horizontal, self)
        self.seek.setObjectName("seek")
        self.seek.setToolTip("Drag to move through the video")
        self.seek.setAccessibleName("Position in the video")
        self.seek.setRange(0, 0)
        self.seek.sliderMoved.connect(lambda position: self.player.setPosition(position))
        self.seek.actionTriggered.connect(self._on_seek_action)
        self.time = QLabel("0:00 / 0:00", self)
        self.time.setObjectName("timeLabel")
        self.time.setMinimumWidth(self.time.fontMetrics().horizontalAdvance("00:00:00 / 00:00:00"))
        self.time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.mute = QToolButton(self)
        self.mute.setCheckable(True)
        self.mute.setAutoRaise(True)
        self.mute.setToolTip("Mute")
        self.mute.setAccessibleName("Mute")
        self.mute.toggled.connect(self._on_mute)

        controls = QHBoxLayout()
        controls.setContentsMargins(6, 2, 6, 4)
        controls.addWidget(self.play_button)
        controls.addWidget(self.seek, 1)
        controls.addWidget(self.time)
        controls.addWidget(self.mute)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.video, 1)
        layout.addLayout(controls)

        self._duration_hint = 0
        self._update_button()
        self._on_mute(False)

    @property
    def player(self) -> QMediaPlayer:
        """Qt's media player, made (and Qt Multimedia imported) when first needed."""
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._player = QMediaPlayer(self)
            self.audio = QAudioOutput(self)
            self.audio.setMuted(self.mute.isChecked())
            self._player.setAudioOutput(self.audio)
            self._player.setVideoOutput(self.video.make_sink())
            self._player.durationChanged.connect(self._on_duration)
            self._player.positionChanged.connect(self._on_position)
            self._player.playbackStateChanged.connect(self._update_button)
            self._player.errorOccurred.connect(self._on_error)
            self._player.mediaStatusChanged.connect(self._on_status)
        return self._player

    def load(self, path: str, duration_hint: float | None = None, poster: QPixmap | None = None,
             start_at: float | None = None) -> None:
        """Show this video, paused at the start or at ``start_at`` seconds (a search hit; the file
        is opened by Qt's media thread)."""
        self._pending_ms = int(start_at * 1000) if start_at else None
        self.video.frames = 0
        self.video.set_pixmap(poster)
        self._duration_hint = int((duration_hint or 0) * 1000)
        self.seek.setRange(0, self._duration_hint)
        self.seek.setValue(self._pending_ms or 0)
        self._show_time(self._pending_ms or 0, self._duration_hint)
        self.player.setSource(QUrl.fromLocalFile(path))

    def seek_to(self, ms: int) -> None:
        """Go to ``ms`` (a chapter or cue clicked, a search hit); before the file is loaded, when it is."""
        from PySide6.QtMultimedia import QMediaPlayer

        if self.player.mediaStatus() in (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia):
            self._pending_ms = ms
        else:
            self.player.setPosition(ms)
        self.seek.setValue(ms)
        self._show_time(ms, self.seek.maximum())

    def _on_status(self, status) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if self._pending_ms is not None and status in loaded:
            ms, self._pending_ms = self._pending_ms, None
            self.player.setPosition(ms)

    def unload(self) -> None:
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())

    def is_playing(self) -> bool:
        if self._player is None:
            return False
        from PySide6.QtMultimedia import QMediaPlayer

        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle(self) -> None:
        if self.is_playing():
            self.player.pause()
        else:
            from PySide6.QtMultimedia import QMediaPlayer

            if self.player.mediaStatus() == QMediaPlayer.MediaStatus.EndOfMedia:
                self.player.setPosition(0)
            self.player.play()

    def _on_seek_action(self, _action: int) -> None:
        if not self.seek.isSliderDown() and self._player is not None:  # page steps, keyboard
            self._player.setPosition(self.seek.sliderPosition())

    def _on_duration(self, duration: int) -> None:
        duration = duration or self._duration_hint
        self.seek.setRange(0, duration)
        self.seek.setPageStep(max(1000, duration // 10))
        self._show_time(self.player.position(), duration)

    def _on_position(self, position: int) -> None:
        if self._pending_ms is not None:
            return   # the file is still opening at the start; the seek to the hit comes when it is open
        if not self.seek.isSliderDown():
            self.seek.setValue(position)
        self._show_time(position, self.seek.maximum())

    def _show_time(self, position: int, duration: int) -> None:
        self.time.setText(f"{format_duration(position / 1000)} / {format_duration(duration / 1000)}")

    def _update_button(self, *_args) -> None:
        playing = self.is_playing()
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setText("Pause" if playing else "Play")

    def _on_mute(self, muted: bool) -> None:
        if self.audio is not None:
            self.audio.setMuted(muted)
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute.setIcon(self.style().standardIcon(icon))

    def _on_error(self, _error, message: str) -> None:
        self.error.emit(message or "this video cannot be played")
