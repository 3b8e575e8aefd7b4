"""Compile a Query into PostgreSQL and return asset ids: the team catalog's search.

The same query language and the same results as the SQLite catalog (catalog/search.py, FTS5
with ``unicode61 remove_diacritics 2``): free words match the start of words in the same eleven
fields, a quoted text is a phrase, ``people:duda`` looks in one field only, case and diacritics
are ignored, NFC and NFD alike. The words are normalised by the server (``mediadesk.search_text``,
see postgres/migrations.py), the same function that made the index, so both sides agree by
construction. Where the engines differ (``unaccent`` folds letters FTS5 keeps: "lodz" finds
"Łódź" here only), tests/test_search_parity.py says so.

``gallery:`` and ``rights:`` match names as substrings, as SQLite's LIKE does (ASCII letters
without case, ``%`` and ``_`` as wildcards); the names have ``pg_trgm`` indexes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from typing import TYPE_CHECKING

from mediadesk.catalog.search import ids_with_words, shared_conditions
from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.query import Query

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mediadesk.catalog.connection import Catalog

_WORD = re.compile(r"\w+", re.UNICODE)

# the weight of a field's words in assets.search (postgres/migrations.py asset_document): these
# filters are answered by the index alone; the others (weight D) check the field itself too
FIELD_WEIGHTS = {"people": "A", "keywords": "B", "place": "C"}
# the column (or columns) a field filter looks in: FTS5's column names
FIELD_COLUMNS = {
    "title": "a.title", "caption": "a.caption", "headline": "a.headline", "keywords": "a.keywords",
    "people": "a.people", "organisations": "a.organisations", "event": "a.event",
    "creator": "a.creator", "credit": "a.credit", "file_name": "a.file_name",
    "place": "concat_ws(' ', a.sublocation, a.city, a.state, a.country, a.country_code)",
    # the words (issue 16): a document's text, every cue, the chapter names (FTS5's body, timed
    # and chapters columns)
    "body": "(SELECT w.body FROM asset_words w WHERE w.asset_id = a.id)",
    "timed": ("(SELECT string_agg(cu.text, ' ' ORDER BY tr.id, cu.start, cu.id) FROM text_tracks tr"
              " JOIN cues cu ON cu.track_id = tr.id WHERE tr.asset_id = a.id)"),
    "chapters": "(SELECT string_agg(ch.title, ' ' ORDER BY ch.start, ch.id) FROM chapters ch WHERE ch.asset_id = a.id)",
}

_RIGHTS_NAME = "(SELECT rp.name FROM rights_profiles rp WHERE rp.id = a.rights_profile_id)"
_GALLERY_NAME = ("(SELECT min(g.title) FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id"
                 " WHERE ga.asset_id = a.id)")
# SQLite sorts NULL lowest (first going up, last going down); COLLATE NOCASE folds ASCII only,
# as lower() does on our "C" columns.
ORDERS = {
    "date": "a.date_created DESC NULLS LAST, a.id DESC",
    "date-asc": "a.date_created ASC NULLS FIRST, a.id ASC",
    "imported": "a.imported_at DESC, a.id DESC",
    "title": "lower(coalesce(a.title, a.file_name)) ASC, a.id ASC",
    "file": "lower(a.file_name) ASC, a.id ASC",
    "id": "a.id ASC",
    "title-desc": "lower(coalesce(a.title, a.file_name)) DESC, a.id DESC",
    "file-desc": "lower(a.file_name) DESC, a.id DESC",
    "caption": "lower(coalesce(a.caption, '')) ASC, a.id ASC",
    "caption-desc": "lower(coalesce(a.caption, '')) DESC, a.id DESC",
    "duration": "coalesce(a.duration, -1) ASC, a.id ASC",
    "duration-desc": "coalesce(a.duration, -1) DESC, a.id DESC",
    "kind": "a.kind ASC, a.id ASC",
    "kind-desc": "a.kind DESC, a.id DESC",
    "creator": "lower(coalesce(a.creator, '')) ASC, a.id ASC",
    "creator-desc": "lower(coalesce(a.creator, '')) DESC, a.id DESC",
    "rights": f"lower(coalesce({_RIGHTS_NAME}, '')) ASC, a.id ASC",
    "rights-desc": f"lower(coalesce({_RIGHTS_NAME}, '')) DESC, a.id DESC",
    "gallery": f"lower(coalesce({_GALLERY_NAME}, '')) ASC, a.id ASC",
    "gallery-desc": f"lower(coalesce({_GALLERY_NAME}, '')) DESC, a.id DESC",
}

_EDITORIAL_PROFILE = (
    "a.rights_profile_id IN (SELECT rp.id FROM rights_profiles rp WHERE rp.allowed_purposes <> '[]'"
    " AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(rp.allowed_purposes::jsonb) j(p)"
    " WHERE j.p NOT LIKE 'editorial-%'))"
)
_EMBARGOED = (
    "a.rights_profile_id IN (SELECT rp.id FROM rights_profiles rp WHERE rp.embargo_until IS NOT NULL"
    " AND rp.embargo_until::timestamptz > now())"
)
_EXPIRED = (
    "a.rights_profile_id IN (SELECT rp.id FROM rights_profiles rp WHERE rp.expires_at IS NOT NULL"
    " AND rp.expires_at::timestamptz < now())"
)
RIGHTS_CONDITIONS = {
    "none": "a.rights_profile_id IS NULL",
    "editorial": _EDITORIAL_PROFILE,
    "embargoed": _EMBARGOED,
    "expired": _EXPIRED,
    "problems": f"(a.rights_profile_id IS NULL OR a.rights_review IS NOT NULL OR {_EMBARGOED} OR {_EXPIRED})",
    "ok": f"(a.rights_profile_id IS NOT NULL AND a.rights_review IS NULL AND NOT {_EMBARGOED} AND NOT {_EXPIRED})",
}
MISSING_CONDITIONS = {
    "caption": "(a.caption IS NULL OR a.caption = '')",
    "title": "(a.title IS NULL OR a.title = '')",
    "creator": "(a.creator IS NULL OR a.creator = '')",
    "credit": "(a.credit IS NULL OR a.credit = '')",
    "copyright": "(a.copyright IS NULL OR a.copyright = '')",
    "date": "a.date_created IS NULL",
    "rights": "a.rights_profile_id IS NULL",
    "people": "a.people = '[]'",
    "keywords": "a.keywords = '[]'",
    "alt_text": "(a.alt_text IS NULL OR a.alt_text = '')",
    "file": "a.missing = 1",
}


def _prefix(word: str) -> bool:
    """A word matches the start of words, except a single letter or digit, which is a word of its
    own ("Q&A" is q and a), as in catalog/dialect/sqlite_fts.py."""
    return len(word) > 1


def _terms(query: Query) -> tuple[list[tuple[str, bool]], list[tuple[str, list[str]]]]:
    """The free-text terms ((text, prefix): a word, or a phrase without prefix) and the field
    filters ((column, words)), split as catalog/search.py splits them for FTS5."""
    free: list[tuple[str, bool]] = []
    for item in query.text:
        item = unicodedata.normalize("NFC", item)
        words = _WORD.findall(item)
        if not words:
            continue
        if " " in item.strip() and len(words) > 1:
            free.append((" ".join(words), False))
        else:
            free.extend((w, _prefix(w)) for w in words)
    fields: list[tuple[str, list[str]]] = []
    for column, text in query.fields:
        words = _WORD.findall(unicodedata.normalize("NFC", text))
        if words:
            fields.append((column, words))
    return free, fields


def _terms_json(terms: list[tuple[str, bool]], weight: str = "") -> str:
    """The terms as mediadesk.terms_query reads them: [[words, prefix, weight], ...]."""
    return json.dumps([[text, prefix, weight] for text, prefix in terms], ensure_ascii=False)


def compile_text(query: Query) -> str | None:
    """The query's free text as the argument of ``mediadesk.terms_query`` (None: no free text)."""
    free, _fields = _terms(query)
    return _terms_json(free) if free else None


def compile_query(query: Query) -> tuple[str, list]:
    """WHERE clause (without the keyword) and parameters (``?``) for ``assets a``."""
    where: list[str] = []
    params: list = []
    free, fields = _terms(query)
    if free:
        where.append("a.search @@ mediadesk.terms_query(?)")
        params.append(_terms_json(free))
    for column, words in fields:
        expr = FIELD_COLUMNS.get(column)
        if expr is None:
            raise InvalidInput(f"cannot search the field {column!r}")
        terms = [(w, _prefix(w)) for w in words]
        weight = FIELD_WEIGHTS.get(column, "D")
        where.append("a.search @@ mediadesk.terms_query(?)")
        params.append(_terms_json(terms, weight))
        if column not in FIELD_WEIGHTS:
            # the index finds the candidates; the field's own document keeps those that match there
            where.append(f"mediadesk.field_document({expr}) @@ mediadesk.terms_query(?)")
            params.append(_terms_json(terms))
    if query.kind:
        where.append("a.kind = ?")
        params.append(query.kind)
    for title in query.galleries:
        where.append(
            "a.id IN (SELECT ga.asset_id FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id"
            " WHERE lower(g.title) = lower(?) OR (? <> '' AND g.title ILIKE '%' || ? || '%' ESCAPE ''))"
        )
        params.extend([title, title, title])
    if query.date_from:
        where.append("a.date_created >= ?")
        params.append(query.date_from)
    if query.date_to:
        where.append("a.date_created < ?")
        params.append(query.date_to + "\uffff")
    if query.rights:
        cond = RIGHTS_CONDITIONS.get(query.rights)
        if cond is None:
            cond = ("a.rights_profile_id IN (SELECT id FROM rights_profiles"
                    " WHERE name ILIKE '%' || ? || '%' ESCAPE '')")
            params.append(query.rights)
        where.append(cond)
    for name in query.missing:
        where.append(MISSING_CONDITIONS[name])
    if query.imported == "recent":
        where.append("""a.imported_at >= to_char((now() AT TIME ZONE 'UTC') - interval '7 days',"""
                     """ 'YYYY-MM-DD"T"HH24:MI:SS')""")
    elif query.imported == "latest":
        where.append("a.import_batch_id = (SELECT max(import_batch_id) FROM assets)")
    shared_conditions(query, where, params)     # id:, has:, lang:, the desk's marks (engine-neutral SQL)
    return (" AND ".join(where) if where else "true"), params


def _usable(query: Query) -> None:
    if query.errors:
        raise InvalidInput("; ".join(query.errors))


class PostgresSearchIndex:
    """A team catalog's ``catalog.index``: ids() and count() of a search, compiled here."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.dialect = catalog.dialect

    def with_words(self, asset_ids: Sequence[int]) -> set[int]:
        return ids_with_words(self.catalog, asset_ids)

    def ids(self, query: Query, *, order: str = "date", limit: int | None = None,
            offset: int = 0) -> list[int]:
        _usable(query)
        if order not in ORDERS:
            raise InvalidInput(f"cannot sort by {order!r}")
        where, params = compile_query(query)
        sql = f"SELECT a.id FROM assets a WHERE {where} ORDER BY {ORDERS[order]}"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return [r[0] for r in self.catalog.execute(sql, params)]

    def id_array(self, query: Query, *, order: str = "date") -> array[int]:
        """All the ids ``ids`` gives, as a compact array made by the server (catalog/search.py)."""
        _usable(query)
        if order not in ORDERS:
            raise InvalidInput(f"cannot sort by {order!r}")
        where, params = compile_query(query)
        return self.dialect.id_array(self.catalog.conn,
                                     f"SELECT a.id FROM assets a WHERE {where} ORDER BY {ORDERS[order]}", params)

    def count(self, query: Query) -> int:
        _usable(query)
        where, params = compile_query(query)
        return int(self.catalog.scalar(f"SELECT count(*) FROM assets a WHERE {where}", params))
