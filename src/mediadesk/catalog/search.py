"""Compile a Query into SQL and return asset ids (the views fetch rows by page).

The filters are written once; the free text is compiled by the engine's text search (FTS5 on
SQLite: catalog/dialect/sqlite_fts.py) and the date and JSON conditions come from the dialect.
"""

from __future__ import annotations

from array import array
from dataclasses import replace

from mediadesk.domain.errors import InvalidInput
from mediadesk.domain.marks import OTHER_LABEL_COLOUR, label_colour
from mediadesk.domain.query import Query

TYPE_CHECKING = False   # typing.TYPE_CHECKING without importing typing (the command line's start)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from mediadesk.catalog.connection import Catalog
    from mediadesk.catalog.dialect import Dialect

__all__ = ["FTS_DRIVE_MAX", "MISSING_CONDITIONS", "ORDERS", "SearchIndex", "compile_query", "ids_with_words",
           "rights_conditions"]

_PROFILE_NAME = "coalesce((SELECT rp.name FROM rights_profiles rp WHERE rp.id = a.rights_profile_id), '')"
_GALLERY_TITLE = ("coalesce((SELECT min(g.title) FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id"
                  " WHERE ga.asset_id = a.id), '')")
ORDERS = {
    # NULL sorts lowest, as coalesce(x, '') would; the bare column lets assets_date(date_created, id)
    # deliver the order, so a page of results stops after `limit` rows instead of sorting them all
    "date": "a.date_created DESC, a.id DESC",
    "date-asc": "a.date_created ASC, a.id ASC",
    "imported": "a.imported_at DESC, a.id DESC",
    "title": "coalesce(a.title, a.file_name) COLLATE NOCASE ASC, a.id ASC",
    "file": "a.file_name COLLATE NOCASE ASC, a.id ASC",
    "id": "a.id ASC",
    # the table's other sortable columns (each also "-desc")
    "title-desc": "coalesce(a.title, a.file_name) COLLATE NOCASE DESC, a.id DESC",
    "file-desc": "a.file_name COLLATE NOCASE DESC, a.id DESC",
    "caption": "coalesce(a.caption, '') COLLATE NOCASE ASC, a.id ASC",
    "caption-desc": "coalesce(a.caption, '') COLLATE NOCASE DESC, a.id DESC",
    "duration": "coalesce(a.duration, -1) ASC, a.id ASC",
    "duration-desc": "coalesce(a.duration, -1) DESC, a.id DESC",
    "kind": "a.kind ASC, a.id ASC",
    "kind-desc": "a.kind DESC, a.id DESC",
    "creator": "coalesce(a.creator, '') COLLATE NOCASE ASC, a.id ASC",
    "creator-desc": "coalesce(a.creator, '') COLLATE NOCASE DESC, a.id DESC",
    "rights": f"{_PROFILE_NAME} COLLATE NOCASE ASC, a.id ASC",
    "rights-desc": f"{_PROFILE_NAME} COLLATE NOCASE DESC, a.id DESC",
    "gallery": f"{_GALLERY_TITLE} COLLATE NOCASE ASC, a.id ASC",
    "gallery-desc": f"{_GALLERY_TITLE} COLLATE NOCASE DESC, a.id DESC",
}

_INDEXED_ORDERS = frozenset({"date", "date-asc", "imported", "id"})
# Few text hits: fetch them by rowid and sort them; "+" keeps SQLite from walking the whole order index.
_HITS_ORDERS = {k: v.replace("a.date_created", "+a.date_created").replace("a.imported_at", "+a.imported_at")
                for k, v in ORDERS.items()}
# More text hits than this: walk the order's index and probe the hit list (built once) instead.
FTS_DRIVE_MAX = 2000



def rights_conditions(dialect: Dialect) -> dict[str, str]:
    """The ``rights:`` filters as conditions on ``assets a`` (made once per dialect)."""
    found = _RIGHTS_CONDITIONS.get(dialect.name)
    if found is None:
        found = _RIGHTS_CONDITIONS[dialect.name] = _rights_conditions(dialect)
    return found


_RIGHTS_CONDITIONS: dict[str, dict[str, str]] = {}


def _rights_conditions(dialect: Dialect) -> dict[str, str]:
    editorial = (
        "a.rights_profile_id IN (SELECT rp.id FROM rights_profiles rp WHERE rp.allowed_purposes != '[]'"
        f" AND {dialect.json_list_all_like('rp.allowed_purposes', 'editorial-%')})"
    )
    embargoed = (
        "a.rights_profile_id IN (SELECT rp.id FROM rights_profiles rp WHERE rp.embargo_until IS NOT NULL"
        f" AND {dialect.after_now('rp.embargo_until')})"
    )
    expired = (
        "a.rights_profile_id IN (SELECT rp.id FROM rights_profiles rp WHERE rp.expires_at IS NOT NULL"
        f" AND {dialect.before_now('rp.expires_at')})"
    )
    # rights problems as one set of ids, each part read from an index (issue 18): a count or a
    # whole list reads 43,000 of a million index entries instead of every row
    bad_profiles = (
        "SELECT rp.id FROM rights_profiles rp WHERE (rp.embargo_until IS NOT NULL"
        f" AND {dialect.after_now('rp.embargo_until')}) OR (rp.expires_at IS NOT NULL"
        f" AND {dialect.before_now('rp.expires_at')})"
    )
    problem_set = (
        "a.id IN (SELECT id FROM assets WHERE rights_profile_id IS NULL"
        " UNION ALL SELECT id FROM assets WHERE rights_review IS NOT NULL"
        f" UNION ALL SELECT id FROM assets WHERE rights_profile_id IN ({bad_profiles}))"
    )
    return {
        # assets_rights_date(rights_profile_id, date_created, id) gives them in date order
        "none": "a.rights_profile_id IS NULL",
        "editorial": editorial,
        "embargoed": embargoed,
        "expired": expired,
        # a re-read that changed the file's rights flags the asset for review (rights_review)
        # the first screen: walk the date order and test each row (it stops after a page)
        "problems": f"(a.rights_profile_id IS NULL OR a.rights_review IS NOT NULL OR {embargoed} OR {expired})",
        "problems-set": problem_set,   # counts and whole lists: the same assets, read by index
        "ok": f"(a.rights_profile_id IS NOT NULL AND a.rights_review IS NULL AND NOT {embargoed} AND NOT {expired})",
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


HAS_CONDITIONS = {
    # any timed text the player shows over the picture (a timed transcript too); transcript: those only
    "subtitles": "a.id IN (SELECT t.asset_id FROM text_tracks t)",
    "transcript": "a.id IN (SELECT t.asset_id FROM text_tracks t WHERE t.kind = 'transcript')",
    "chapters": "a.id IN (SELECT ch.asset_id FROM chapters ch)",
    "text": "a.id IN (SELECT w.asset_id FROM asset_words w WHERE w.body != '')",
    "links": "(a.id IN (SELECT l.document_id FROM asset_links l) OR a.id IN (SELECT l.asset_id FROM asset_links l))",
}


def compile_query(query: Query, dialect: Dialect, *, broad_text: bool = False,
                  whole: bool = True, text_condition: tuple[str, list[Any]] | None = None) -> tuple[str, list[Any]]:
    """WHERE clause (without the keyword) and parameters for ``assets a``.

    ``broad_text``: the free text matches many assets, so the plan should walk an index (of the
    order or of a filter) and probe the text hits rather than start from them. ``whole``: every
    matching asset is wanted (a count, a whole list), not the first page of an order.
    ``text_condition``: the free text's condition and parameters, when the caller chose them."""
    where: list[str] = []
    params: list[Any] = []
    text = dialect.text.compile(query)
    if text_condition is not None:
        where.append(text_condition[0])
        params.extend(text_condition[1])
    elif text:
        where.append(dialect.text.condition(broad=broad_text))
        params.append(text)
    if query.kind:
        where.append("a.kind = ?")
        params.append(query.kind)
    for title in query.galleries:
        where.append(
            "a.id IN (SELECT ga.asset_id FROM gallery_assets ga JOIN galleries g ON g.id = ga.gallery_id"
            " WHERE g.title = ? COLLATE NOCASE OR (? != '' AND g.title LIKE '%' || ? || '%'))"
        )
        params.extend([title, title, title])
    if query.date_from:
        where.append("a.date_created >= ?")
        params.append(query.date_from)
    if query.date_to:
        where.append("a.date_created < ?")
        params.append(query.date_to + "\uffff")
    if query.rights:
        conditions = rights_conditions(dialect)
        cond = conditions.get("problems-set" if whole and query.rights == "problems" else query.rights)
        if cond is None:
            cond = "a.rights_profile_id IN (SELECT id FROM rights_profiles WHERE name LIKE '%' || ? || '%')"
            params.append(query.rights)
        where.append(cond)
    for name in query.missing:
        where.append(MISSING_CONDITIONS[name])
    if query.imported == "recent":
        where.append(f"a.imported_at >= {dialect.days_ago(7)}")
    elif query.imported == "latest":
        where.append("a.import_batch_id = (SELECT max(import_batch_id) FROM assets)")
    shared_conditions(query, where, params)
    return (" AND ".join(where) if where else "1"), params


def shared_conditions(query: Query, where: list[str], params: list[Any]) -> None:
    """id:, has:, lang: and the desk's marks: the same SQL on both engines (the PostgreSQL
    compiler, catalog/postgres/search.py, calls this too)."""
    if query.ids:
        where.append(f"a.id IN ({','.join('?' * len(query.ids))})")
        params.extend(query.ids)
    for name in query.has:
        where.append(HAS_CONDITIONS[name])
    if query.languages:
        # the asset's own language (a document) or one of its tracks' (a video); "pl" also
        # finds "pl-PL"
        alternatives = []
        for tag in query.languages:
            alternatives.append("(a.language = ? OR a.language LIKE ? || '-%')")
            params.extend([tag, tag])
        for tag in query.languages:
            alternatives.append("a.id IN (SELECT t.asset_id FROM text_tracks t WHERE t.language = ?"
                                " OR t.language LIKE ? || '-%')")
            params.extend([tag, tag])
        where.append("(" + " OR ".join(alternatives) + ")")
    _marks(query, where, params)


# picked:/rejected:/pick: -> condition (pick is 1, -1 or NULL; coalesce keeps it engine-neutral)
PICK_CONDITIONS = {
    "picked": "a.pick = 1",
    "rejected": "a.pick = -1",
    "none": "a.pick IS NULL",
    "not-picked": "coalesce(a.pick, 0) != 1",
    "not-rejected": "coalesce(a.pick, 0) != -1",
}
_RATING_OPERATORS = frozenset({"=", ">=", "<=", ">", "<"})


def _marks(query: Query, where: list[str], params: list[Any]) -> None:
    """rating:, picked:/rejected:/pick: and label: (domain/marks.py). A rating that includes
    "not rated" compares coalesce(rating, 0); one that cannot (rating:>=4) compares the column,
    so the partial index assets_rating serves it."""
    if query.rating is not None:
        op, stars = query.rating
        if op not in _RATING_OPERATORS:
            raise InvalidInput(f"rating: unknown comparison {op!r}")
        includes_unrated = {"=": stars == 0, ">=": stars == 0, "<=": True, "<": stars > 0, ">": False}[op]
        column = "coalesce(a.rating, 0)" if includes_unrated else "a.rating"
        where.append(f"{column} {op} ?")
        params.append(stars)
    if query.pick is not None:
        where.append(PICK_CONDITIONS[query.pick])
    if query.labels:
        parts = []
        for label in query.labels:
            if label == "none":
                parts.append("a.label IS NULL")
            elif label == "any":
                parts.append("a.label IS NOT NULL")
            elif label_colour(label) != OTHER_LABEL_COLOUR:
                parts.append("a.label = ?")    # known colours are stored spelled as in LABELS
                params.append(label)
            else:                              # another program's word, in any letter case
                parts.append("lower(a.label) = lower(?)")
                params.append(label)
        where.append("(" + " OR ".join(parts) + ")")


_WORDS_CHUNK = 500


def ids_with_words(catalog: Catalog, asset_ids: Sequence[int]) -> set[int]:
    """Which of these assets have words of their own: a document's text, timed text or chapters
    (what catalog.words.words_for reads, and search matches are looked for in). Asked of both
    engines' indexes, here so that a search need not load the words' store for it."""
    found: set[int] = set()
    ids = list(asset_ids)
    for start in range(0, len(ids), _WORDS_CHUNK):
        chunk = ids[start:start + _WORDS_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(r[0] for r in catalog.execute(
            f"SELECT asset_id FROM asset_words WHERE asset_id IN ({marks})"
            f" UNION SELECT asset_id FROM text_tracks WHERE asset_id IN ({marks})"
            f" UNION SELECT asset_id FROM chapters WHERE asset_id IN ({marks})", chunk * 3))
    return found


def _text_only(query: Query) -> bool:
    """The query is free text (and field terms) and nothing else."""
    return replace(query, text=(), fields=(), errors=()).is_empty


class SearchIndex:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.dialect = catalog.dialect

    def _broad(self, text: str | None) -> bool:
        if not text:
            return False
        return self.dialect.text.count_hits(self.catalog.conn, text, FTS_DRIVE_MAX) > FTS_DRIVE_MAX

    @staticmethod
    def _usable(query: Query) -> None:
        """A query with parts that could not be parsed never runs: without them it would select
        more than was asked for (issue 10, class 2)."""
        if query.errors:
            raise InvalidInput("; ".join(query.errors))

    def ids(self, query: Query, *, order: str = "date", limit: int | None = None,
            offset: int = 0) -> list[int]:
        self._usable(query)
        sql, params = self._select(query, order, limit is not None)
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        return [r[0] for r in self.catalog.execute(sql, params)]

    def with_words(self, asset_ids: Sequence[int]) -> set[int]:
        return ids_with_words(self.catalog, asset_ids)

    def id_array(self, query: Query, *, order: str = "date") -> array[int]:
        """All the ids ``ids`` would give, as a compact array made by the engine (the window's
        whole result lists: a million ids as Python ints would be read holding the GIL)."""
        self._usable(query)
        sql, params = self._select(query, order, False)
        return self.dialect.id_array(self.catalog.conn, sql, params)

    def _select(self, query: Query, order: str, limited: bool) -> tuple[str, list[Any]]:
        text = self.dialect.text.compile(query)
        broad = limited and order in _INDEXED_ORDERS and self._broad(text)
        chosen = None
        if broad and text:
            rest, rest_params = compile_query(replace(query, text=(), fields=()), self.dialect, whole=False)
            if self.dialect.text.nearly_everywhere(self.catalog.conn, text, ORDERS[order], rest, rest_params):
                chosen = self.dialect.text.everywhere_condition(text)
        where, params = compile_query(query, self.dialect, broad_text=broad, whole=not limited,
                                      text_condition=chosen)
        orders = _HITS_ORDERS if text and not broad else ORDERS
        return f"SELECT a.id FROM assets a WHERE {where} ORDER BY {orders[order]}", params

    def count(self, query: Query) -> int:
        self._usable(query)
        text = self.dialect.text.compile(query)
        if text and _text_only(query):
            # text only: every hit is one asset
            return self.dialect.text.count_hits(self.catalog.conn, text)
        where, params = compile_query(query, self.dialect, broad_text=self._broad(text))
        return int(self.catalog.scalar(f"SELECT count(*) FROM assets a WHERE {where}", params))
