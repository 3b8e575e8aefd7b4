"""The command-line interface: one small module per command over the same services as the window.

Nothing in this package imports Qt; ``mediadesk`` with no command hands over to ``mediadesk.app``.
"""
