"""Connecting to a team catalog: URLs, passwords from libpq's own places, one session setup.

A team catalog is named by a libpq URL, ``postgresql://USER@HOST[:PORT]/DB`` with libpq's own
query parameters (``?sslmode=verify-full&sslrootcert=...``), which pass through untouched.
mediadesk never asks for, stores or logs a password: libpq finds it in ``PGPASSWORD``,
``PGPASSFILE`` or ``~/.pgpass`` (the window may prompt for one and hands it to libpq for that
connection only). :func:`redact` is what any message or log shows of a URL.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from mediadesk.domain.errors import CatalogError, CatalogUnreachable, PasswordNeeded

SCHEMES = ("postgresql://", "postgres://")
APPLICATION_NAME = "mediadesk"


def is_team_url(target: object) -> bool:
    """Does this ``--catalog`` value name a team catalog (rather than a SQLite file)?"""
    return isinstance(target, str) and target.lower().startswith(SCHEMES)


def redact(url: str) -> str:
    """The URL without a password (in the user part or a ``password=`` parameter)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "a team catalog URL that cannot be read"
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = re.sub(r"(?i)(^|&)(password)=[^&]*", r"\1\2=***", parts.query)
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def without_password(url: str) -> str:
    """The URL with any password taken out (what recent catalogs remember)."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith("password="))
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password it carried or None)."""
    parts = urllib.parse.urlsplit(url)
    password = parts.password
    if password is None:
        for item in parts.query.split("&"):
            if item.lower().startswith("password="):
                password = item.split("=", 1)[1]
    return without_password(url), None if password is None else urllib.parse.unquote(password)


def has_password(url: str) -> bool:
    """Does the URL itself carry a password (never remembered; libpq's places are the way)?"""
    return redact(url) != url


_typed_passwords: dict[str, str] = {}   # redacted URL -> a password typed in the window (memory only)


def remember_password(url: str, password: str | None) -> None:
    """Keep a password typed in the window for this process's connections to ``url`` (every
    lane of the window connects on its own); never written anywhere. None forgets it."""
    if password is None:
        _typed_passwords.pop(redact(url), None)
    else:
        _typed_passwords[redact(url)] = password


def needs_password(exc: BaseException) -> bool:
    """Did the server ask for a password that libpq did not have (or refuse the one it had)?"""
    text = str(exc).lower()
    return "no password supplied" in text or "password authentication failed" in text


def connect(url: str, *, password: str | None = None, connect_timeout: int = 10,
            autocommit: bool = True) -> Any:
    """A psycopg connection to the catalog's database, its session set up for mediadesk:
    the catalog's schema first on the search path, times in UTC (ISO text without an offset
    means UTC, as in SQLite's julianday)."""
    import psycopg

    extra: dict[str, Any] = {"application_name": APPLICATION_NAME}
    if "connect_timeout" not in url:
        extra["connect_timeout"] = connect_timeout
    if password is None:
        password = _typed_passwords.get(redact(url))
    if password is not None:
        extra["password"] = password
    try:
        conn = psycopg.connect(url, autocommit=autocommit, **extra)
    except psycopg.OperationalError as exc:
        kind = PasswordNeeded if needs_password(exc) else CatalogUnreachable
        raise kind(f"cannot connect to the team catalog {redact(url)}: {first_line(exc)}") from None
    except psycopg.ProgrammingError as exc:
        raise CatalogError(f"the team catalog URL {redact(url)} cannot be used: {first_line(exc)}") from None
    try:
        conn.execute("SET search_path = mediadesk, pg_catalog")
        conn.execute("SET TimeZone = 'UTC'")
        conn.execute("SET jit = off")   # compiling plans costs more than our short queries take
        if not autocommit:
            conn.commit()
    except BaseException:
        conn.close()
        raise
    return conn


def first_line(exc: BaseException) -> str:
    """libpq's message without its multi-line detail (which may repeat the host list)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
