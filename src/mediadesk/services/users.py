"""People and roles of a team catalog (``mediadesk users``, the People and Roles dialog).

Admins only: the desk refuses a person without the admin role before asking, and the server
refuses any statement of theirs anyway (CREATE ROLE, GRANT, ALTER ROLE need the CREATEROLE an
admin's login has). On a desk catalog there is one person, who holds every role: nothing to manage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.postgres import people as server_people
from mediadesk.catalog.postgres.people import Person
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.permissions import PermissionDenied, from_server, operation, require

T = TypeVar("T")


def _people_call(catalog: Catalog, call: Callable[[Any], T]) -> T:
    if catalog.url is None:
        raise InvalidInput(f"{catalog.location} is a desk catalog: its one person holds every role. People "
                           "and roles belong to a team catalog (postgresql://...)")
    require(catalog.roles, "people")
    with operation("people"):
        try:
            return call(catalog.conn)
        except catalog.dialect.Error as exc:
            if getattr(exc, "sqlstate", None) == "42501":
                raise from_server(exc) from exc
            raise


def list_people(catalog: Catalog) -> list[Person]:
    return _people_call(catalog, server_people.list_people)


def add_person(catalog: Catalog, name: str, roles: Sequence[str], password: str) -> Person:
    return _people_call(catalog, lambda conn: server_people.add_person(conn, name, list(roles), password))


def grant_role(catalog: Catalog, name: str, role: str) -> Person:
    return _people_call(catalog, lambda conn: server_people.grant_role(conn, name, role))


def revoke_role(catalog: Catalog, name: str, role: str) -> Person:
    return _people_call(catalog, lambda conn: server_people.revoke_role(conn, name, role))


def disable_person(catalog: Catalog, name: str) -> tuple[Person, int]:
    """No more logins for ``name`` and their open connections closed (their history stays)."""
    return _people_call(catalog, lambda conn: server_people.disable_person(conn, name))


def enable_person(catalog: Catalog, name: str) -> Person:
    return _people_call(catalog, lambda conn: server_people.enable_person(conn, name))


__all__ = ["Person", "PermissionDenied", "add_person", "disable_person", "enable_person", "grant_role",
           "list_people", "revoke_role"]
