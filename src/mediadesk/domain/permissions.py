"""People and roles (issue 13): which role each operation needs, and the refusal.

A team catalog's server enforces the roles (catalog/postgres/roles.py holds its grants); this
module is what the desk knows of them, so the CLI and the window refuse before any work starts
and say which role is missing. The server stays the last word: its refusal (SQLSTATE 42501,
insufficient_privilege) becomes the same :class:`PermissionDenied`, in one place
(``Catalog._run``), naming the operation that was under way (:func:`operation`).

On a desk catalog (SQLite) the one person holds every role.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from mediadesk.domain.errors import MediadeskError

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from typing import ParamSpec, TypeVar

    P = ParamSpec("P")
    R = TypeVar("R")


# the roles, in the order the issue lists them (what `users add --role` takes)
ROLES = ("viewer", "press-officer", "archivist", "editor", "rights-manager", "admin")
ALL_ROLES = frozenset(ROLES)


def group_role(role: str) -> str:
    """The database group role of a mediadesk role: ``mediadesk_rights_manager``."""
    return "mediadesk_" + role.replace("-", "_")


@dataclass(frozen=True)
class Operation:
    """Something a person does that a role allows: its key, how a refusal names it, the roles."""

    key: str
    phrase: str                  # "changing a rights profile"
    roles: tuple[str, ...]       # any one of them allows it; the first is the one a refusal names


_OPERATIONS = (
    Operation("read", "reading the catalog", ("viewer",)),
    Operation("import", "importing files", ("press-officer",)),
    Operation("edit", "editing captions and fields", ("press-officer", "archivist")),
    Operation("tag", "tagging", ("press-officer", "archivist")),
    Operation("gallery", "changing galleries", ("press-officer",)),
    Operation("template", "changing or applying caption templates", ("press-officer",)),
    Operation("codes", "changing code replacements", ("press-officer",)),
    Operation("batch", "a batch edit (find and replace)", ("archivist",)),
    Operation("csv-import", "importing a CSV of fields", ("archivist",)),
    Operation("writeback", "writing metadata back into originals", ("archivist",)),
    Operation("export", "exporting", ("editor",)),
    Operation("publish", "publishing", ("editor",)),
    Operation("ledger", "reading the export ledger", ("editor",)),
    Operation("rights-profile", "changing a rights profile", ("rights-manager",)),
    Operation("rights-assign", "assigning a rights profile", ("rights-manager",)),
    Operation("people", "managing people and roles", ("admin",)),
    Operation("roots", "changing storage roots", ("admin",)),
    Operation("undo", "undoing or redoing that change", ()),   # needs the role of the change itself
)
OPERATIONS = {op.key: op for op in _OPERATIONS}


class PermissionDenied(MediadeskError):
    """This person's roles do not allow the operation (``mediadesk``'s exit status 5)."""

    def __init__(self, operation: str | None, detail: str | None = None) -> None:
        op = OPERATIONS.get(operation or "")
        self.operation = op.key if op else None
        self.role = op.roles[0] if op and op.roles else None
        if op and op.roles:
            message = f"permission denied: {op.phrase} needs the {op.roles[0]} role"
        elif op:
            message = f"permission denied: {op.phrase} needs a role you do not hold"
        else:
            message = "permission denied: this change needs a role you do not hold"
        if detail:
            message += f" (the catalog's server refused: {detail})"
        super().__init__(message)


def allows(roles: Iterable[str], operation: str) -> bool:
    """Does a person holding ``roles`` have the role ``operation`` needs?"""
    op = OPERATIONS[operation]
    held = set(roles)
    return not op.roles or bool(held & set(op.roles))


def require(roles: Iterable[str], operation: str) -> None:
    if not allows(roles, operation):
        raise PermissionDenied(operation)


def needed_role(operation: str) -> str | None:
    op = OPERATIONS[operation]
    return op.roles[0] if op.roles else None


# the operation under way in this thread or task: a refusal from the server names it
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("mediadesk_operation", default=None)


@contextlib.contextmanager
def operation(key: str | None) -> Iterator[None]:
    """Name the operation under way (the server's refusal inside is reported as this one)."""
    if key is not None and key not in OPERATIONS:
        raise KeyError(key)
    token = _current.set(key)
    try:
        yield
    finally:
        _current.reset(token)


def current_operation() -> str | None:
    return _current.get()


def from_server(exc: BaseException) -> PermissionDenied:
    """The server's insufficient_privilege as the refusal of the operation under way."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return PermissionDenied(current_operation(), first)


def names_operation(key: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the service function is ``key`` (a refusal inside names it, CLI or window)."""
    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            with operation(key):
                return fn(*args, **kwargs)
        return inner
    return wrap
