"""Drag-and-drop payload for assets dragged inside the window (e.g. onto a sidebar gallery)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData

ASSET_IDS_MIME = "application/x-mediadesk-asset-ids"


def encode_asset_ids(ids: list[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(ASSET_IDS_MIME, QByteArray(",".join(map(str, ids)).encode("ascii")))
    return mime


def decode_asset_ids(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(ASSET_IDS_MIME):
        return []
    raw = bytes(mime.data(ASSET_IDS_MIME).data()).decode("ascii", "replace")
    return [int(p) for p in raw.split(",") if p.strip().isdigit()]


def local_paths(mime: QMimeData) -> list[str]:
    """Files and folders dropped from outside the window (never our own asset drags)."""
    if mime.hasFormat(ASSET_IDS_MIME) or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]
