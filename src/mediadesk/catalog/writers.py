"""The mark of a store's writing method: a tool for the services, never for ui/ or cli/.

Services (mediadesk/services) are the only writers: each use case takes a transaction, calls
these methods, records the history and returns ``Changes``. ``tests/core/test_one_door.py`` reads
the marks and fails when ui/ or cli/ reach a marked method (or run SQL, or open a transaction).
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

MARK = "__store_writer__"


def store_writer(fn: F) -> F:
    """Mark ``fn`` as a writing method of a store (or a module-level writer of catalog/)."""
    setattr(fn, MARK, True)
    return fn


def is_store_writer(fn: object) -> bool:
    return bool(getattr(fn, MARK, False))
