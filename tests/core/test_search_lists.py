"""Whole result lists read the fast ways give the same assets in the same order (issue 18).

- ``SearchIndex.id_array`` (ids packed by the engine) equals ``ids()`` for every order and filter;
- ``rights:problems`` read as a set of index look-ups (counts, whole lists) equals the first-page
  form (walk the order, test each row), with embargoed, expired, reviewed and unlinked assets;
- the broad filters use the indexes of migration 5 (rights:none and missing:caption in date order).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from mediadesk.catalog.search import ORDERS, SearchIndex
from mediadesk.domain.query import parse_query
from mediadesk.domain.rights import Purpose, RightsProfile

from tests.support.factories import insert

QUERIES = ("", "rutte", "kind:video", "rights:none", "rights:problems", "rights:editorial", "missing:caption",
           "rights:none rutte", "missing:caption kind:video", "rights:problems brussels", "date:2024",
           "rights:expired", "rights:embargoed", "rights:ok")


@pytest.fixture
def mixed(catalog):
    """60 assets: some without a profile, some with an editorial, an embargoed or an expired one,
    some flagged for review; captions missing or empty on some; dates with ties and gaps."""
    now = datetime.now(UTC)
    with catalog.transaction():
        profiles = [
            catalog.rights.create_unrecorded(RightsProfile(
                None, name, "note " + name, frozenset({Purpose("editorial-online")}), embargo, expiry))
            for name, embargo, expiry in (
                ("Editorial", None, None),
                ("Embargoed", now + timedelta(days=3), None),
                ("Expired", None, now - timedelta(days=3)),
            )]
    rng = random.Random(18)
    for n in range(60):
        insert(catalog,
               kind="video" if n % 7 == 0 else "photo",
               caption=rng.choice([None, "", f"Mark Rutte in Brussels #{n}", f"Summit {n}"]),
               date_created=rng.choice([None, "2024-03-05", "2024-03-05", f"2025-0{1 + n % 9}-1{n % 10}"]),
               rights_profile_id=rng.choice([None, *profiles]),
               rights_review=rng.choice([None, None, None, "the usage terms in the file changed"]))
    return catalog


@pytest.mark.parametrize("text", QUERIES)
def test_packed_ids_equal_the_list_in_every_order(mixed, text):
    search = mixed.index
    query = parse_query(text)
    for order in ORDERS:
        listed = search.ids(query, order=order)
        packed = search.id_array(query, order=order)
        assert packed.typecode == "q"
        assert list(packed) == listed, (text, order)


def test_rights_problems_read_by_index_equal_the_first_page_form(mixed):
    search = mixed.index
    query = parse_query("rights:problems")
    whole = search.ids(query)                       # the set form (a whole list)
    paged = search.ids(query, limit=1000)           # the walk-the-order form (a first page)
    assert whole == paged and whole
    assert search.count(query) == len(whole)
    problems = {row[0] for row in mixed.conn.execute(
        "SELECT a.id FROM assets a LEFT JOIN rights_profiles rp ON rp.id = a.rights_profile_id "
        "WHERE a.rights_profile_id IS NULL OR a.rights_review IS NOT NULL OR rp.name IN ('Embargoed', 'Expired')")}
    assert set(whole) == problems


def test_an_empty_result_packs_to_an_empty_array(mixed):
    assert len(mixed.index.id_array(parse_query("zzzzqqq"))) == 0


@pytest.mark.sqlite_only("reads SQLite's own query plan; the team catalog's indexes of the same names are "
                         "checked in tests/core/test_team_schema.py")
@pytest.mark.parametrize(("text", "index"), [("rights:none", "assets_rights_date"),
                                             ("missing:caption", "assets_no_caption")])
def test_broad_filters_read_their_index_in_date_order(mixed, text, index):
    search = SearchIndex(mixed)
    seen: list[str] = []
    mixed.conn.set_trace_callback(seen.append)
    try:
        search.ids(parse_query(text), limit=400)
    finally:
        mixed.conn.set_trace_callback(None)
    sql = [s for s in seen if s.startswith("SELECT a.id")][-1]
    plan = " ".join(row[3] for row in mixed.conn.execute("EXPLAIN QUERY PLAN " + sql))
    assert index in plan and "TEMP B-TREE" not in plan, plan
