"""One search language, two engines: the same query strings over the same catalog give the same
asset ids in SQLite (FTS5) and in a team catalog (PostgreSQL text search).

The corpus is made in a SQLite catalog through the stores, copied into a real PostgreSQL with
``catalog/transfer.py``, and every query runs on both. Each case names the assets it must find,
so a case that both engines got wrong in the same way fails too. Where the engines differ on
purpose, DIFFERENCES says so and asserts each engine's own answer.
"""

from __future__ import annotations

import unicodedata

import pytest

from mediadesk.catalog.assets import AssetStore
from mediadesk.catalog.connection import Catalog
from mediadesk.catalog.postgres.connect import connect
from mediadesk.catalog.postgres.migrations import migrate
from mediadesk.catalog.transfer import sqlite_to_postgres
from mediadesk.domain.query import parse_query
from mediadesk.services.galleries import create_gallery

from tests.support.factories import record
from tests.support.team import add_root

NFD = unicodedata.normalize("NFD", "Aleksandar Vučić at the Łódź summit")

CORPUS: dict[str, dict] = {
    "rutte": {"caption": "NATO Secretary General Mark Rutte with Andrzej Duda",
                  "people": ["Mark Rutte", "Andrzej Duda"], "city": "Brussels", "country": "Belgium",
                  "country_code": "BE", "date_created": "2025-03-06T10:00:00+01:00", "creator": "Jane Doe"},
    "vucic": {"caption": "Aleksandar Vučić in Brussels", "city": "Brussels", "date_created": "2025-03-01"},
    "committee": {"title": "Military Committee", "caption": "Rutte arrives", "file_name": "stockholm.jpg",
                      "path": "/x/stockholm.jpg", "date_created": "2024-11-02"},
    "video": {"kind": "video", "title": "Press conference (Q&A)", "people": ["Mark Rutte"],
                  "date_created": "2025-03-06T15:00:00+01:00", "file_name": "PK_2025-03-06.mp4",
                  "path": "/v/PK_2025-03-06.mp4"},
    "reponses": {"title": "Questions/Réponses avec le Secrétaire général", "event": "Sommet de l'OTAN",
                     "date_created": "2023-07-11"},
    "strasse": {"caption": "Pressekonferenz in der Straße des 17. Juni", "city": "Berlin",
                    "country": "Deutschland"},
    "lodz": {"city": "Łódź", "country": "Poland", "caption": "Tank factory visit", "keywords": ["défense", "Ukraine"]},
    "jeanpierre": {"people": ["Jean-Pierre Dupont"], "caption": "O'Brien meets l'OTAN delegates",
                       "organisations": ["NATO Public Diplomacy Division"]},
    "tech": {"caption": "See www.nato.int or press@nato.int; version v2.0.1 of the 1.5 million plan",
                 "file_name": "foo_bar-2025.jpg", "path": "/t/foo_bar-2025.jpg"},
    "scripts": {"title": "東京タワー", "caption": "ПУТИН В МОСКВЕ", "headline": "Σίσυφος"},
    "nordic": {"caption": "Øresund bridge, Æsir and Ångström", "credit": "Forsvaret"},
    "nfd": {"caption": NFD},
    "empty": {"caption": None, "title": None},
}

# query -> the corpus labels it finds, on both engines
CASES: dict[str, set[str]] = {
    # from tests/test_search.py
    "rutte": {"rutte", "committee", "video"},
    "rut": {"rutte", "committee", "video"},
    "vucic": {"vucic", "nfd"},
    "brussels": {"rutte", "vucic"},
    "stockholm": {"committee"},
    "rutte duda": {"rutte"},
    "rutte vucic": set(),
    '"Mark Rutte"': {"rutte", "video"},
    "kind:video": {"video"},
    "people:duda": {"rutte"},
    "people:rutte": {"rutte", "video"},
    "date:2025-03-06": {"rutte", "video"},
    "date:2025-03-01..2025-03-31": {"rutte", "vucic", "video"},
    "after:2025-03-02": {"rutte", "video"},
    "missing:caption": {"video", "reponses", "empty"},
    # case, diacritics, NFC/NFD in the query
    "VUČIĆ": {"vucic", "nfd"},
    unicodedata.normalize("NFD", "Vučić"): {"vucic", "nfd"},
    "vucic summit": {"nfd"},          # the text is stored decomposed (NFD), as macOS writes it
    "Réponses": {"reponses"},
    "reponses": {"reponses"},
    "secretaire": {"reponses"},
    "secr": {"reponses", "rutte"},
    "general": {"reponses", "rutte"},
    "angstrom": {"nordic"},
    "défense": {"lodz"},
    "defense": {"lodz"},
    "путин": {"scripts"},
    "москве": {"scripts"},
    "σίσυφος": {"scripts"},
    "東京タワー": {"scripts"},
    "東京": {"scripts"},
    # punctuation splits words, as FTS5's unicode61 does
    "questions/réponses": {"reponses"},
    '"questions réponses"': {"reponses"},
    '"questions/réponses"': {"reponses"},
    "questions/rép": {"reponses"},
    "jean-pierre": {"jeanpierre"},
    "pierre": {"jeanpierre"},
    '"jean pierre"': {"jeanpierre"},
    "o'brien": {"jeanpierre"},
    "brien": {"jeanpierre"},
    "l'otan": {"jeanpierre", "reponses"},
    "otan": {"jeanpierre", "reponses"},
    "www.nato.int": {"tech"},
    "nato.int": {"tech"},
    "int": {"tech"},
    "press@nato.int": {"tech"},
    "v2.0.1": {"tech"},
    "2.0": set(),                     # "2" and "0" are words of their own: no "2" anywhere
    "1.5": {"tech"},
    "foo_bar": {"tech"},
    "bar": {"tech"},
    "foo_bar-2025.jpg": {"tech"},
    "jpg": {"committee", "rutte", "vucic", "reponses", "strasse", "lodz", "jeanpierre", "tech", "scripts",
            "nordic", "nfd", "empty"},
    "mp4": {"video"},
    "2025": {"tech", "video"},
    "17": {"strasse"},
    # phrases: words in a row, in one field
    '"press conference"': {"video"},
    '"conference press"': set(),
    '"committee rutte"': set(),          # title ends, caption begins: not one phrase
    '"secretary general mark"': {"rutte"},
    '"mark rutte" kind:photo': {"rutte"},
    # field filters
    "title:military": {"committee"},
    "title:rutte": set(),
    "caption:rutte": {"rutte", "committee"},
    "city:brussels": {"rutte", "vucic"},
    "country:be": {"rutte", "strasse"},
    "place:berlin": {"strasse"},
    "file:stockholm": {"committee"},
    "file:pk": {"video"},
    "org:diplomacy": {"jeanpierre"},
    "keyword:ukraine": {"lodz"},
    "keyword:defense": {"lodz"},
    "credit:forsvaret": {"nordic"},
    "creator:jane": {"rutte"},
    "people:jean-pierre": {"jeanpierre"},
    "people:dupont people:jean": {"jeanpierre"},
    # filters with words
    "kind:video rutte": {"video"},
    "kind:photo rutte": {"rutte", "committee"},
    "gallery:poland": {"video"},
    'gallery:"President of Poland visits NATO"': {"video"},
    "gallery:POLAND rutte": {"video"},
    "gallery:%": {"video"},
    "date:2025": {"rutte", "vucic", "video"},
    "before:2024-12": {"committee", "reponses"},
    "date:2023-07-11..2024-11-02": {"committee", "reponses"},
    "rights:editorial": {"video"},
    "rights:nato": {"video"},
    "rights:none rutte": {"rutte", "committee"},
    "rights:problems kind:video": set(),
    "rights:ok": {"video"},
    "missing:date": {"lodz", "strasse", "jeanpierre", "tech", "scripts", "nordic", "nfd", "empty"},
    "missing:people kind:video": set(),
    "missing:keywords tank": set(),
    "missing:keywords factory": set(),
    "missing:title": {"rutte", "vucic", "strasse", "lodz", "jeanpierre", "tech", "nordic", "nfd", "empty"},
    "imported:latest": set(),         # no import batch made these
    "imported:recent nato": {"rutte", "tech", "jeanpierre"},
    "nothing-like-this": set(),
}

# Where the engines differ, on purpose or by a limit of one of them: query -> (sqlite, postgres)
DIFFERENCES: dict[str, tuple[set[str], set[str]]] = {
    # unaccent folds letters that FTS5's remove_diacritics keeps (they have no decomposition):
    # a team catalog finds "Łódź" for "lodz", "Straße" for "strasse", "Øresund" for "oresund".
    "lodz": (set(), {"lodz", "nfd"}),
    "strasse": (set(), {"strasse"}),
    "oresund": (set(), {"nordic"}),
    "aesir": (set(), {"nordic"}),
}

# a gallery and the seed rights profile for the filter cases
_IN_GALLERY = ("video",)


@pytest.fixture(scope="module", params=["C.UTF-8", "C"], ids=["ctype-utf8", "ctype-C"])
def engines(request, tmp_path_factory, pg_cluster, pg_template):
    """The corpus in SQLite and in PostgreSQL, once in a database whose LC_CTYPE knows Unicode
    and once in one whose LC_CTYPE is C (lower case for ASCII only: the schema lower-cases
    with ICU there)."""
    folder = tmp_path_factory.mktemp("parity")
    share = folder / "share"
    catalog = Catalog(folder / "parity.mediadesk")
    store = AssetStore(catalog)
    ids: dict[str, int] = {}
    seed = catalog.scalar("SELECT id FROM rights_profiles ORDER BY id LIMIT 1")
    with catalog.transaction():
        for label, fields in CORPUS.items():
            fields = dict(fields)
            if label == "video":
                fields["rights_profile_id"] = seed
            if label in ("rutte", "tech", "jeanpierre"):
                fields["credit"] = "NATO"
            fields.setdefault("file_name", f"img_{len(ids):03d}.jpg")
            fields["path"] = str(share / fields["file_name"])
            ids[label] = store.insert(record(**fields))
        create_gallery(catalog, "President of Poland visits NATO", asset_ids=[ids[x] for x in _IN_GALLERY])
    name = f"parity_{request.param.replace('.', '_').replace('-', '_').lower()}"
    if request.param == "C.UTF-8":
        url = pg_cluster.create_database(name, template=pg_template)
        conn = connect(url)
    else:
        url = pg_cluster.create_database(name, ctype=request.param)
        conn = connect(url)
        migrate(conn, "test")
    assert conn.execute("SELECT datctype FROM pg_database WHERE datname = current_database()").fetchone()[0] \
        == request.param
    add_root(conn, "share", share)
    report = sqlite_to_postgres(catalog, conn, mounts={"share": share})
    assert report.ok and report.counts["assets"] == len(CORPUS)
    labels = {v: k for k, v in ids.items()}
    team = Catalog(url)
    yield catalog, team, labels
    team.close()
    conn.close()
    catalog.close()
    pg_cluster.drop_database(name)


def _found(engine, text: str, labels: dict[int, str], **kw) -> set[str]:
    return {labels[i] for i in engine.ids(parse_query(text), **kw)}


@pytest.mark.parametrize("text", list(CASES))
def test_same_results_on_both_engines(engines, text):
    catalog, team, labels = engines
    sqlite = _found(catalog.index, text, labels)
    postgres = _found(team.index, text, labels)
    assert sqlite == CASES[text], f"SQLite: {text!r}"
    assert postgres == CASES[text], f"PostgreSQL: {text!r}"
    assert team.index.count(parse_query(text)) == catalog.index.count(parse_query(text))


@pytest.mark.parametrize("text", list(DIFFERENCES))
def test_stated_differences(engines, text):
    catalog, team, labels = engines
    want_sqlite, want_postgres = DIFFERENCES[text]
    assert _found(catalog.index, text, labels) == want_sqlite
    assert _found(team.index, text, labels) == want_postgres


@pytest.mark.parametrize("order", ["date", "date-asc", "imported", "title", "title-desc", "file", "file-desc",
                                   "caption", "kind-desc", "creator", "rights", "gallery", "duration-desc", "id"])
def test_same_order_and_pages(engines, order):
    catalog, team, _labels = engines
    q = parse_query("")
    assert team.index.ids(q, order=order) == catalog.index.ids(q, order=order)
    assert team.index.ids(q, order=order, limit=3, offset=2) == catalog.index.ids(q, order=order, limit=3, offset=2)
