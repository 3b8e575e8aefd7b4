"""The people of a team catalog: one LOGIN role per person (scram-sha-256) in the group roles of
catalog/postgres/roles.py; who is connected and what they hold. The server checks every
statement here itself: an admin has CREATEROLE on their login and is in ``mediadesk_admin``
(``pg_signal_backend``, to close a disabled person's connections); anyone else is refused
with SQLSTATE 42501, which the catalog turns into :class:`PermissionDenied`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mediadesk.domain.errors import InvalidInput, NotFound
from mediadesk.domain.permissions import ALL_ROLES, ROLES, PermissionDenied, group_role

# a person's login: lower-case letters, digits, "_", ".", "-" (no quoting surprises in psql);
# not a group's or PostgreSQL's own prefix
_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,62}$")
_GROUPS = {group_role(r): r for r in ROLES}


@dataclass(frozen=True)
class Person:
    name: str
    roles: tuple[str, ...]
    enabled: bool
    connections: int = 0
    admin_login: bool = False            # CREATEROLE on the login (what the admin role needs)
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "roles": list(self.roles), "enabled": self.enabled,
                "connections": self.connections}


def check_name(name: str) -> str:
    if not _NAME.match(name or "") or name.startswith(("mediadesk_", "pg_")) or name in ("public", "postgres"):
        raise InvalidInput(f"{name[:64]!r} cannot be a person's login: use lower-case letters, digits, "
                           "'_', '.' or '-' (starting with a letter, at most 63), not starting with "
                           "'mediadesk_' or 'pg_'")
    return name


def check_role(role: str) -> str:
    if role not in ALL_ROLES:
        raise InvalidInput(f"{role[:40]!r} is not a role; the roles are {', '.join(ROLES)}")
    return role


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def session_roles(conn: Any) -> tuple[str, frozenset[str]]:
    """(the login, the roles it holds). The schema's owner and a superuser hold every role."""
    row = conn.execute(
        "SELECT session_user, r.rolsuper OR pg_has_role(session_user, n.nspowner, 'MEMBER')"
        " FROM pg_roles r, pg_namespace n WHERE r.rolname = session_user AND n.nspname = 'mediadesk'"
    ).fetchone()
    if row is None:
        return "", frozenset()
    login, everything = str(row[0]), bool(row[1])
    if everything:
        return login, ALL_ROLES
    names = list(_GROUPS)
    held = conn.execute(
        "SELECT g FROM unnest(%s::text[]) AS g WHERE"
        " CASE WHEN to_regrole(g) IS NULL THEN false ELSE pg_has_role(session_user, g, 'USAGE') END",
        (names,)).fetchall()
    return login, frozenset(_GROUPS[g] for (g,) in held)


def _person_rows(conn: Any, name: str | None = None) -> list[Person]:
    rows = conn.execute(
        "SELECT m.rolname, m.rolcanlogin, m.rolcreaterole,"
        " array_agg(DISTINCT g.rolname::text ORDER BY g.rolname::text),"
        " (SELECT count(*) FROM pg_stat_activity a WHERE a.usename = m.rolname)"
        " FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member"
        " WHERE g.rolname = ANY(%s) AND NOT (m.rolname = ANY(%s)) AND (%s::text IS NULL OR m.rolname = %s)"
        " GROUP BY m.rolname, m.rolcanlogin, m.rolcreaterole ORDER BY m.rolname",
        (list(_GROUPS), list(_GROUPS), name, name)).fetchall()
    order = {r: i for i, r in enumerate(ROLES)}
    return [Person(r[0], tuple(sorted((_GROUPS[g] for g in r[3]), key=order.__getitem__)), bool(r[1]),
                   int(r[4]), bool(r[2])) for r in rows]


def list_people(conn: Any) -> list[Person]:
    return _person_rows(conn)


def get_person(conn: Any, name: str) -> Person:
    found = _person_rows(conn, name)
    if not found:
        raise NotFound(f"no person {name!r} in this team catalog ('mediadesk users list' shows them)")
    return found[0]


def _require_groups(conn: Any) -> None:
    from mediadesk.catalog.postgres.roles import groups_exist

    if not groups_exist(conn):
        raise InvalidInput("people and roles are not set up on this server yet: the catalog's owner needs "
                           "CREATEROLE (a superuser runs ALTER ROLE <owner> CREATEROLE), then opens the "
                           "catalog once with mediadesk")


def _may_manage(conn: Any) -> None:
    ok = conn.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()
    if not ok or not ok[0]:
        raise PermissionDenied("people")


def add_person(conn: Any, name: str, roles: list[str], password: str) -> Person:
    """A new login with a scram-sha-256 password (hashed here: the clear text never reaches the
    server or its logs) in the groups of ``roles``."""
    check_name(name)
    for role in roles:
        check_role(role)
    if not roles:
        raise InvalidInput("give at least one --role")
    if len(password) < 8:
        raise InvalidInput("the password must have at least 8 characters")
    _require_groups(conn)
    _may_manage(conn)
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        raise InvalidInput(f"the server already has a login {name!r}; grant it a role with "
                           f"'mediadesk users grant {name} ROLE'")
    verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
    with conn.transaction():
        conn.execute(f"CREATE ROLE {_ident(name)} LOGIN PASSWORD '{verifier}'")
        conn.execute(f"COMMENT ON ROLE {_ident(name)} IS 'mediadesk: a person (mediadesk users)'")
        for role in roles:
            _grant(conn, name, role)
    return get_person(conn, name)


def _grant(conn: Any, name: str, role: str) -> None:
    conn.execute(f"GRANT {group_role(role)} TO {_ident(name)}")
    if role == "admin":
        conn.execute(f"ALTER ROLE {_ident(name)} CREATEROLE")


def _person_or_refuse(conn: Any, name: str) -> Person:
    check_name(name)
    _require_groups(conn)
    _may_manage(conn)
    return get_person(conn, name)


def grant_role(conn: Any, name: str, role: str) -> Person:
    check_role(role)
    _person_or_refuse(conn, name)
    with conn.transaction():
        _grant(conn, name, role)
    return get_person(conn, name)


def revoke_role(conn: Any, name: str, role: str) -> Person:
    check_role(role)
    person = _person_or_refuse(conn, name)
    if role not in person.roles:
        raise InvalidInput(f"{name} does not hold the {role} role (they hold {', '.join(person.roles)})")
    if len(person.roles) == 1:
        raise InvalidInput(f"{role} is {name}'s only role; to stop them working in the catalog use "
                           f"'mediadesk users disable {name}' (which keeps their history)")
    with conn.transaction():
        conn.execute(f"REVOKE {group_role(role)} FROM {_ident(name)}")
        if role == "admin":
            conn.execute(f"ALTER ROLE {_ident(name)} NOCREATEROLE")
    return get_person(conn, name)


def disable_person(conn: Any, name: str) -> tuple[Person, int]:
    """No more logins for ``name``, and their open connections closed; their roles, history and
    ledger entries stay (who did what remains readable). Returns (person, connections closed)."""
    _person_or_refuse(conn, name)
    if name == conn.execute("SELECT session_user").fetchone()[0]:
        raise InvalidInput("you cannot disable yourself; another admin can")
    with conn.transaction():
        conn.execute(f"ALTER ROLE {_ident(name)} NOLOGIN")
    closed = conn.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                          " FROM pg_stat_activity WHERE usename = %s", (name,)).fetchone()[0]
    return get_person(conn, name), int(closed)


def enable_person(conn: Any, name: str) -> Person:
    _person_or_refuse(conn, name)
    with conn.transaction():
        conn.execute(f"ALTER ROLE {_ident(name)} LOGIN")
    return get_person(conn, name)


class PeopleStore:
    """The functions above on a team catalog's connection; the server's refusal (42501) becomes
    :class:`PermissionDenied` for managing people."""

    def __init__(self, catalog: Any) -> None:
        self.catalog = catalog

    def _call(self, fn: Any, *args: Any) -> Any:
        from mediadesk.domain.permissions import from_server, operation

        with operation("people"):
            try:
                return fn(self.catalog.conn, *args)
            except self.catalog.dialect.Error as exc:
                if getattr(exc, "sqlstate", None) == "42501":
                    raise from_server(exc) from exc
                raise

    def people(self) -> list[Person]:
        found: list[Person] = self._call(list_people)
        return found

    def add(self, name: str, roles: list[str], password: str) -> Person:
        person: Person = self._call(add_person, name, roles, password)
        return person

    def grant(self, name: str, role: str) -> Person:
        person: Person = self._call(grant_role, name, role)
        return person

    def revoke(self, name: str, role: str) -> Person:
        person: Person = self._call(revoke_role, name, role)
        return person

    def disable(self, name: str) -> tuple[Person, int]:
        done: tuple[Person, int] = self._call(disable_person, name)
        return done

    def enable(self, name: str) -> Person:
        person: Person = self._call(enable_person, name)
        return person
