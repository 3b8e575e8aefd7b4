"""The command line's log file: set up before anything can log, loading ``logging`` only then.

Warnings and errors of a command go to the rotating log file (logging_setup.configure_logging
("cli")); its messages to the person go to stderr. Importing ``logging`` and setting it up costs
a few milliseconds at every start, and a search never logs: see :func:`log_to_file_from_the_first_line`.
"""

from __future__ import annotations

import sys


def log_to_file_from_the_first_line() -> None:
    """Send warnings and errors to the log file (logging_setup.configure_logging("cli")) before
    anything can log. A command whose code imports no ``logging`` (search, show: only reads)
    cannot log yet, and importing and setting it up costs milliseconds at every start: then it
    is set up by the import that first loads ``logging``, whoever makes it (a library the
    command loads later, an error the command line reports)."""
    if "logging" in sys.modules:
        from mediadesk.logging_setup import configure_logging

        configure_logging("cli")
    elif not any(isinstance(finder, _SetUpLoggingWhenImported) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SetUpLoggingWhenImported())


class _SetUpLoggingWhenImported:
    """A finder on ``sys.meta_path`` for the one module ``logging``: it lets the other finders
    find it, and once it has run, sets up the log file. It removes itself at that first import."""

    def find_spec(self, name: str, path: object = None, target: object = None):
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec("logging")
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenSetUp(spec.loader)  # type: ignore[assignment]  # (a Loader by its methods)
        return spec


class _ThenSetUp:
    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        from mediadesk.logging_setup import configure_logging  # (it imports logging: done now)

        configure_logging("cli")


def log():
    """The command line's logger (sets up the log file now, if nothing had loaded logging)."""
    import logging

    return logging.getLogger("mediadesk.cli")
