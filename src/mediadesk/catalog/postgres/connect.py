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

from mediadesk.domain.errors import CatalogError

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


def has_password(url: str) -> bool:
    """Does the URL itself carry a password (never remembered; libpq's places are the way)?"""
    return redact(url) != url


def connect(url: str, *, password: str | None = None, connect_timeout: int = 10, autocommit: bool = True):
    """A psycopg connection to the catalog's database, its session set up for mediadesk:
    the catalog's schema first on the search path, times in UTC (ISO text without an offset
    means UTC, as in SQLite's julianday)."""
    import psycopg

    extra: dict[str, object] = {"application_name": APPLICATION_NAME}
    if "connect_timeout" not in url:
        extra["connect_timeout"] = connect_timeout
    if password is not None:
        extra["password"] = password
    try:
        conn = psycopg.connect(url, autocommit=autocommit, **extra)
    except psycopg.OperationalError as exc:
        raise CatalogError(f"cannot connect to the team catalog {redact(url)}: {first_line(exc)}") from None
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
