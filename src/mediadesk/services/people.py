"""The people directory (name and role), so captions can name people with their role.

``{people}`` in a template renders "Mark Rutte (NATO Secretary General), Andrzej Duda
(President of Poland)" for the people the directory knows, the bare name for the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mediadesk.catalog.connection import Catalog
from mediadesk.domain.errors import InvalidInput


def set_person(catalog: Catalog, name: str, role: str | None) -> None:
    name = (name or "").strip()
    if not name:
        raise InvalidInput("a person in the directory needs a name")
    with catalog.transaction():
        catalog.people.put(name, (role or "").strip() or None)


def people_text(names: Iterable[str], roles: Mapping[str, str], *, with_roles: bool = True) -> str:
    parts = []
    for name in names:
        role = roles.get(name) if with_roles else None
        parts.append(f"{name} ({role})" if role else name)
    return ", ".join(parts)
