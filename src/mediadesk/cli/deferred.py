"""Standard-library modules the command line loads at their first use, not at its start.

Python 3.11's ``dataclasses`` imports ``inspect`` (with ``ast``, ``dis`` and ``tokenize``: ~5 ms,
a tenth of a `mediadesk search` process) only to write a signature into the docstring of a
dataclass that has none; mediadesk's dataclasses have theirs. So before a command's modules are
imported, ``inspect`` is put in ``sys.modules`` as a stand-in module that imports the real one at
the first use of any of its names and from then on holds the real module's names: code that
uses ``inspect`` (a library, a dataclass without a docstring) gets it, a search never pays for it.
``tests/core/test_cli_startup.py`` checks both.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types

DEFERRED = ("inspect",)
_lock = threading.Lock()


class _StandIn(types.ModuleType):
    """A module imported at the first use of one of its names."""

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") and name.endswith("__") and name != "__all__":
            raise AttributeError(name)   # (what the import system asks of any module)
        return getattr(self._load(), name)

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def _load(self) -> types.ModuleType:
        module_name = self.__name__
        with _lock:
            if sys.modules.get(module_name) is self:
                del sys.modules[module_name]
            real = importlib.import_module(module_name)
            # the stand-in holds the real names from now on (whoever imported it keeps it)
            self.__dict__.update({k: v for k, v in vars(real).items() if k != "__name__"})
        return real


def defer(names: tuple[str, ...] = DEFERRED) -> None:
    """Put stand-ins for these modules in ``sys.modules`` (those not imported yet)."""
    from importlib.machinery import PathFinder

    for name in names:
        if name in sys.modules:
            continue
        spec = PathFinder.find_spec(name)
        if spec is None:
            continue
        stand_in = _StandIn(name)
        stand_in.__spec__ = spec
        stand_in.__file__ = spec.origin
        sys.modules[name] = stand_in


def loaded(name: str) -> bool:
    """Whether the module ``name`` was really imported (not only a stand-in)."""
    module = sys.modules.get(name)
    return module is not None and not isinstance(module, _StandIn)
