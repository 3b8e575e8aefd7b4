"""Entry script of the PyInstaller build: the same ``run`` as the ``mediadesk`` command.

``multiprocessing.freeze_support()`` must run first: the worker processes (mediadesk/workers) are
started with the *spawn* method, which in a frozen application re-executes this binary with
``--multiprocessing-fork``; freeze_support turns that process into the worker and never returns
there. Without it every worker would start another copy of mediadesk.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from mediadesk.cli.main import run

    sys.exit(run())
