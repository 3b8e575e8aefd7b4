"""The window (PySide6): item models over ids, views, the inspector, dialogs and their wiring.

Only this package and ``mediadesk.app`` import Qt. Logic lives in ``services``/``catalog``; the
modules here turn it into widgets and keep the GUI thread free of file and long database work.
"""
