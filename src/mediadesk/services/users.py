"""People and roles of a team catalog (``mediadesk users``, the People and Roles dialog).

Admins only: the desk refuses a person without the admin role before asking, and the server
refuses any statement of theirs anyway (CREATE ROLE, GRANT, ALTER ROLE need the CREATEROLE an
admin's login has). On a desk catalog there is one person, who holds every role: nothing to manage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.postgres.people import PeopleStore, Person
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.permissions import PermissionDenied, require

T = TypeVar("T")


def _people(catalog: Catalog, call: Callable[[PeopleStore], T]) -> T:
    if catalog.url is None:
        raise InvalidInput(f"{catalog.location} is a desk catalog: its one person holds every role. People "
                           "and roles belong to a team catalog (postgresql://...)")
    require(catalog.roles, "people")
    return call(PeopleStore(catalog))


def list_people(catalog: Catalog) -> list[Person]:
    return _people(catalog, lambda store: store.people())


def add_person(catalog: Catalog, name: str, roles: Sequence[str], password: str) -> Person:
    return _people(catalog, lambda store: store.add(name, list(roles), password))


def grant_role(catalog: Catalog, name: str, role: str) -> Person:
    return _people(catalog, lambda store: store.grant(name, role))


def revoke_role(catalog: Catalog, name: str, role: str) -> Person:
    return _people(catalog, lambda store: store.revoke(name, role))


def disable_person(catalog: Catalog, name: str) -> tuple[Person, int]:
    """No more logins for ``name`` and their open connections closed (their history stays)."""
    return _people(catalog, lambda store: store.disable(name))


def enable_person(catalog: Catalog, name: str) -> Person:
    return _people(catalog, lambda store: store.enable(name))


__all__ = ["Person", "PermissionDenied", "add_person", "disable_person", "enable_person", "grant_role",
           "list_people", "revoke_role"]
