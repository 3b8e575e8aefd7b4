"""People and roles on a team catalog, against a real PostgreSQL (issue 13).

tests/role_table.py lists role x operation x expected result; every cell runs here: the operation
through the CLI under the person's own login (refused with exit status 5 and "permission denied:
... needs the ROLE role", or done), and the same change as plain SQL on a psycopg connection as
that login (refused by the server with SQLSTATE 42501, or done and rolled back). Rewriting the
ledger and the history fails for every role; forged who and when are replaced by the server's.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import psycopg
import pytest

from mediadesk.catalog import open_catalog
from mediadesk.domain.permissions import PermissionDenied

from tests.support.role_office import PASSWORD, Office, _numbers, _run  # noqa: F401
from tests.support.role_table import OPS, REWRITES, ROLES, markdown, rewrite_sql


@pytest.fixture(scope="module")
def office(pg_cluster, pg_template, tmp_path_factory):
    o = Office(pg_cluster, pg_template, tmp_path_factory.mktemp("office"))
    assert _run(["--catalog", o.owner_url, "roots", "add", "press", str(o.share)]) == 0
    assert _run(["--catalog", o.owner_url, "import", str(o.share)]) == 0
    with open_catalog(o.owner_url) as catalog:
        o.catalog_id = catalog.catalog_id
        ids = sorted(catalog.assets.all_ids())
    o.asset, o.other = ids[0], ids[1]
    assert _run(["--catalog", o.owner_url, "rights", "assign", "Editorial only (NATO media)", str(o.asset)]) == 0
    o.csv = o.folder / "fields.csv"
    assert _run(["--catalog", o.owner_url, "csv", "export", str(o.csv), "--field", "caption", str(o.asset)]) == 0
    rows = list(csv.DictReader(o.csv.open(encoding="utf-8-sig")))
    rows[0]["caption"] = "Summit photo, checked by the archive"
    with o.csv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for role in ROLES:
        name = f"{role.replace('-', '_')}_{os.getpid()}_{next(_numbers)}"
        o.add_person(name, [role])
        o.people[role] = name
    yield o
    pg_cluster.drop_database(o.db)


@pytest.fixture
def desk(office, capsys):
    office.map_root()
    capsys.readouterr()
    return office


def _fill(office: Office, text: str, tmp_path: Path) -> str:
    n = next(_numbers)
    new = tmp_path / f"new{n}"
    if "{newfolder}" in text:
        new.mkdir()
    return text.format(asset=office.asset, other=office.other, folder=office.share, newfolder=new,
                       csv=office.csv, out=tmp_path / f"bundle{n}", n=f"{os.getpid()}x{n}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
def test_role_table(desk, role, op, tmp_path, capsys):
    argv = ["--catalog", desk.url(role)] + [_fill(desk, a, tmp_path) for a in op.argv]
    code = _run(argv, stdin=op.stdin)
    out, err = capsys.readouterr()
    if role in op.cli:
        assert code == 0, f"{role} {op.name}: {err}"
    else:
        assert code == 5, f"{role} {op.name}: exit {code}: {out} {err}"
        assert "permission denied:" in err and "role" in err, err
    # the same change as plain SQL under the person's own login
    sql = _fill(desk, op.sql, tmp_path)
    with desk.sql_connection(role) as conn:
        try:
            conn.execute(sql)
            done = True
        except psycopg.errors.InsufficientPrivilege:
            done = False
        finally:
            conn.rollback()
    assert done == (role in op.server), f"{role}: {sql} {'succeeded' if done else 'was refused'}"


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "owner"])
def test_ledger_and_history_cannot_be_rewritten(desk, role):
    # something in each: an export (ledger), a tag (field history), a profile change (object history)
    n = next(_numbers)
    assert _run(["--catalog", desk.owner_url, "tag", "add", "--keyword", f"rewrite {n}", str(desk.asset)]) == 0
    assert _run(["--catalog", desk.owner_url, "rights", "update", "Editorial only (NATO media)",
                 "--credit", f"NATO {n}"]) == 0
    assert _run(["--catalog", desk.owner_url, "export", "--purpose", "editorial-online", "--out",
                 str(desk.folder / f"b{next(_numbers)}"), str(desk.asset)]) == 0
    for statement in REWRITES:
        sql = rewrite_sql(statement)
        url = desk.url(role)
        with psycopg.connect(url, autocommit=False, passfile=str(desk.cluster.pgpass)) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
            conn.rollback()
    with psycopg.connect(desk.owner_url, passfile=str(desk.cluster.pgpass)) as conn:
        assert conn.execute("SELECT count(*) FROM mediadesk.export_ledger").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM mediadesk.edit_history").fetchone()[0] >= 1
        assert conn.execute("SELECT count(*) FROM mediadesk.object_history").fetchone()[0] >= 1


def test_forged_who_and_when_are_replaced_by_the_server(desk, capsys):
    editor = desk.person("editor")
    with desk.sql_connection("editor") as conn:
        conn.execute("SELECT * FROM mediadesk.ledger_append('1999-01-01T00:00:00.000000Z', 'the-ceo',"
                     " 'editorial-online', NULL, '/forged', '[1]', '[]', repeat('1', 64), NULL, NULL)")
        conn.commit()
        at, who = conn.execute("SELECT at, who FROM mediadesk.export_ledger WHERE bundle = '/forged'").fetchone()
        now = conn.execute("""SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24')""").fetchone()[0]
    assert who == editor and at.startswith(now)
    # an edit operation inserted by hand names the login and the server's clock, not the desk's
    po = desk.person("press-officer")
    with desk.sql_connection("press-officer") as conn:
        op = conn.execute("INSERT INTO mediadesk.edit_operations (at, kind, description, who)"
                          " VALUES ('1999-01-01', 'edit', 'forged', 'the-ceo') RETURNING id").fetchone()[0]
        conn.commit()
        at, who = conn.execute("SELECT at, who FROM mediadesk.edit_operations WHERE id = %s", (op,)).fetchone()
    assert who == po and at.startswith(now)
    # the ledger as the editor reads it carries the user; the chain still verifies
    assert _run(["--catalog", desk.url("editor"), "ledger", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert any(e["user"] == editor and e["bundle"] == "/forged" for e in entries)
    assert _run(["--catalog", desk.url("editor"), "ledger", "--verify"]) == 0, capsys.readouterr()


def test_rights_changes_are_in_the_history_with_who_and_when(desk, capsys):
    rm = desk.person("rights-manager")
    assert _run(["--catalog", desk.url("rights-manager"), "rights", "assign", "--none", str(desk.other)]) == 0
    assert _run(["--catalog", desk.url("rights-manager"), "rights", "assign",
                 "Editorial only (NATO media)", str(desk.other)]) == 0
    capsys.readouterr()
    assert _run(["--catalog", desk.url("viewer"), "history", str(desk.other), "--json"]) == 0
    changes = [c for c in json.loads(capsys.readouterr().out) if c["field"] == "rights_profile_id"]
    assert changes and all(c["user"] == rm and c["at"] for c in changes)
    # an archivist may write back and edit fields, never the asset's rights profile, even by SQL
    with desk.sql_connection("archivist") as conn:
        conn.execute("UPDATE mediadesk.assets SET caption = 'ok', size = size WHERE id = %s", (desk.other,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE mediadesk.assets SET rights_profile_id = NULL WHERE id = %s", (desk.other,))
        conn.rollback()


def test_the_refusal_names_operation_and_role(desk, capsys):
    code = _run(["--catalog", desk.url("press-officer"), "rights", "update", "Editorial only (NATO media)",
                 "--allow", "advertising"])
    assert code == 5
    assert ("mediadesk: permission denied: changing a rights profile needs the rights-manager role"
            in capsys.readouterr().err)


def test_a_stale_desk_is_refused_by_the_server_with_the_same_message(desk):
    """The desk believes this person is a rights manager (a stale window); the server decides."""
    from mediadesk.services.rights import update_profile

    catalog = open_catalog(desk.url("press-officer"))
    try:
        assert "rights-manager" not in catalog.roles
        catalog.roles = frozenset(ROLES)          # what a stale UI would still believe
        profile = catalog.rights.require("Editorial only (NATO media)")
        with pytest.raises(PermissionDenied) as caught:
            from mediadesk.domain.permissions import operation

            with operation("rights-profile"):
                update_profile(catalog, profile.id, note="changed by someone who may not")
        assert str(caught.value).startswith(
            "permission denied: changing a rights profile needs the rights-manager role")
    finally:
        catalog.close()


def test_users_list_grant_revoke_disable(desk, capsys):
    admin = desk.url("admin")
    name = f"temp_{os.getpid()}_{next(_numbers)}"
    assert _run(["--catalog", admin, "users", "add", name, "--role", "viewer", "--role", "editor",
                 "--password-stdin"], stdin="another long one\n") == 0
    with open(desk.cluster.pgpass, "a") as f:
        f.write(f"{desk.cluster.host}:{desk.cluster.port}:*:{name}:another long one\n")
    capsys.readouterr()
    assert _run(["--catalog", admin, "users", "list", "--json"]) == 0
    people = {p["name"]: p for p in json.loads(capsys.readouterr().out)["people"]}
    assert people[name]["roles"] == ["viewer", "editor"] and people[name]["enabled"]
    assert people[desk.person("rights-manager")]["roles"] == ["rights-manager"]
    # the password is stored as a SCRAM verifier, never in clear
    with psycopg.connect(desk.cluster.url("postgres", "postgres"), passfile=str(desk.cluster.pgpass)) as su:
        stored = su.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,)).fetchone()[0]
    assert stored.startswith("SCRAM-SHA-256$")
    assert _run(["--catalog", admin, "users", "grant", name, "rights-manager"]) == 0
    assert _run(["--catalog", admin, "users", "revoke", name, "editor"]) == 0
    capsys.readouterr()
    assert _run(["--catalog", admin, "users", "list", "--json"]) == 0
    people = {p["name"]: p for p in json.loads(capsys.readouterr().out)["people"]}
    assert people[name]["roles"] == ["viewer", "rights-manager"]
    # a change they make stays in the history after they are disabled; their open connection closes
    person_url = desk.cluster.url(desk.db, name)
    assert _run(["--catalog", person_url, "rights", "assign", "--none", str(desk.other)]) == 0
    assert _run(["--catalog", person_url, "rights", "assign", "Editorial only (NATO media)", str(desk.other)]) == 0
    open_conn = psycopg.connect(person_url, autocommit=True, passfile=str(desk.cluster.pgpass))
    capsys.readouterr()
    assert _run(["--catalog", admin, "users", "disable", name, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["enabled"] is False and result["connections_closed"] >= 1
    with pytest.raises(psycopg.OperationalError):
        open_conn.execute("SELECT 1")
    open_conn.close()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(person_url, passfile=str(desk.cluster.pgpass)).close()
    assert _run(["--catalog", desk.url("viewer"), "history", str(desk.other), "--json"]) == 0
    assert any(c["user"] == name for c in json.loads(capsys.readouterr().out))


def test_a_login_with_no_role_reads_nothing(desk, capsys):
    name = f"nobody_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(desk.cluster.url("postgres", "postgres"), autocommit=True,
                         passfile=str(desk.cluster.pgpass)) as su:
        su.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'nobody at all'")
    with open(desk.cluster.pgpass, "a") as f:
        f.write(f"{desk.cluster.host}:{desk.cluster.port}:*:{name}:nobody at all\n")
    code = _run(["--catalog", desk.cluster.url(desk.db, name), "search", "summit"])
    assert code == 5
    assert "permission denied: reading the catalog needs the viewer role" in capsys.readouterr().err


def test_security_md_prints_the_role_table():
    security = (Path(__file__).resolve().parents[2] / "SECURITY.md").read_text(encoding="utf-8")
    assert markdown() in security, "SECURITY.md's role table is out of date: python tests/support/role_table.py"


def test_a_press_officer_imports_documents_and_links_them(desk, tmp_path, capsys):
    """The words of documents (schema 5 tables) are the importer's and the editors' to write."""
    from tests.support.document_fixtures import text_pdf

    text_pdf(desk.share / "briefing.pdf", ["Hybrid threats briefing for the summit press"],
             title="Briefing")
    assert _run(["--catalog", desk.url("press-officer"), "import", str(desk.share)]) == 0
    capsys.readouterr()
    assert _run(["--catalog", desk.url("viewer"), "search", "hybrid threats", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 1
    document = found[0]["id"]
    assert _run(["--catalog", desk.url("archivist"), "link", str(document), str(desk.asset)]) == 0
    assert _run(["--catalog", desk.url("editor"), "link", str(document), str(desk.other)]) == 5
    with desk.sql_connection("editor") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM mediadesk.asset_links")
        conn.rollback()


def test_ledger_limit_on_a_team_catalog(desk, capsys):
    """``ledger --limit`` on PostgreSQL 15 (a subquery in FROM needs its name there)."""
    assert _run(["--catalog", desk.url("editor"), "ledger", "--limit", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["entries"]) <= 1
