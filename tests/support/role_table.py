#!/usr/bin/env python3
"""Role x operation x expected result (issue 13): the table tests/core/test_roles.py runs against a
real PostgreSQL and SECURITY.md prints (``python tests/support/role_table.py`` writes its Markdown).

Each operation is one CLI command and the same change as plain SQL under the person's own login.
``cli``: the roles mediadesk lets do it (the others are refused with exit status 5). ``server``:
the roles whose login the server lets run the SQL (the others fail with SQLSTATE 42501). Where
the two differ, the server cannot tell the operations apart (a batch edit writes the same columns
as one caption edit; write-back's catalog change is the file facts an import writes) and the
desk's refusal is the guard.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "press-officer", "archivist", "editor", "rights-manager", "admin")
EVERYONE = frozenset(ROLES)


@dataclass(frozen=True)
class Op:
    name: str                 # what the table calls it
    argv: tuple[str, ...]     # the CLI command ({asset}, {other}, {folder}, {newfolder}, {csv}, {out}, {n} filled in)
    sql: str                  # the same change as plain SQL
    cli: frozenset[str]
    server: frozenset[str]
    stdin: str | None = None  # what the command reads on standard input


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


PROFILE = "Editorial only (NATO media)"
OPS: tuple[Op, ...] = (
    Op("search and read", ("search", "summit", "--json"),
       "SELECT count(*) FROM mediadesk.assets", EVERYONE, EVERYONE),
    Op("catalog info", ("catalog", "info", "--json"),
       "SELECT count(*) FROM mediadesk.export_ledger", EVERYONE, EVERYONE),
    Op("field history", ("history", "{asset}", "--json"),
       "SELECT count(*) FROM mediadesk.edit_history", EVERYONE, EVERYONE),
    Op("import", ("import", "{folder}"),
       "INSERT INTO mediadesk.import_batches (started_at, roots) VALUES ('2025-01-01', '[]')",
       _roles("press-officer"), _roles("press-officer")),
    Op("tag", ("tag", "add", "--keyword", "summit-{n}", "{asset}"),
       "UPDATE mediadesk.assets SET keywords = '[\"sql\"]' WHERE id = {asset}",
       _roles("press-officer", "archivist"), _roles("press-officer", "archivist")),
    Op("gallery", ("gallery", "add", "--create", "Summit {n}", "{asset}"),
       "INSERT INTO mediadesk.galleries (id, title, created_at)"
       " SELECT coalesce(max(id), 0) + 1, 'sql {n}', '2025-01-01' FROM mediadesk.galleries",
       _roles("press-officer"), _roles("press-officer")),
    Op("caption template", ("template", "add", "--field", "credit", "--text", "NATO", "tpl-{n}"),
       "INSERT INTO mediadesk.caption_templates (name, field, text) VALUES ('sql {n}', 'credit', 'x')",
       _roles("press-officer"), _roles("press-officer")),
    Op("code replacement", ("codes", "add", "c{n}", "Code {n}"),
       "INSERT INTO mediadesk.code_replacements (code, expansion) VALUES ('sql{n}', 'x')",
       _roles("press-officer"), _roles("press-officer")),
    Op("CSV import (batch)", ("csv", "import", "{csv}"),
       "UPDATE mediadesk.assets SET caption = 'sql' WHERE id = {asset}",
       _roles("archivist"), _roles("press-officer", "archivist")),
    Op("write-back into originals", ("writeback", "{other}"),
       "UPDATE mediadesk.assets SET content_hash = content_hash WHERE id = {asset}",
       _roles("archivist"), _roles("press-officer", "archivist")),
    Op("export", ("export", "--purpose", "editorial-online", "--out", "{out}", "{asset}"),
       "SELECT * FROM mediadesk.ledger_append('2020-01-01', 'ceo', 'editorial-online', NULL, '/x',"
       " '[1]', '[]', repeat('0', 64), NULL, NULL)",
       _roles("editor"), _roles("editor")),
    Op("read the ledger", ("ledger", "--json"),
       "SELECT who, bundle FROM mediadesk.export_ledger", _roles("editor"), _roles("editor")),
    Op("change a rights profile", ("rights", "update", PROFILE, "--credit", "NATO {n}"),
       "UPDATE mediadesk.rights_profiles SET allowed_purposes = '[\"advertising\"]'",
       _roles("rights-manager"), _roles("rights-manager")),
    Op("assign a rights profile", ("rights", "assign", PROFILE, "{other}"),
       "UPDATE mediadesk.assets SET rights_profile_id = NULL WHERE id = {asset}",
       _roles("rights-manager"), _roles("rights-manager")),
    Op("add a storage root", ("roots", "add", "root{n}", "{newfolder}"),
       "INSERT INTO mediadesk.storage_roots (name, marker, created_at) VALUES ('sql{n}', 'm{n}', 'x')",
       _roles("admin"), _roles("admin")),
    Op("add a person", ("users", "add", "p{n}", "--role", "viewer", "--password-stdin"),
       "CREATE ROLE sqlp{n} LOGIN", _roles("admin"), _roles("admin"), stdin="a long password\n"),
    Op("list people", ("users", "list", "--json"),
       "SELECT rolname FROM pg_roles", _roles("admin"), EVERYONE),
)

# rewriting the record: refused to every role (and to the owner: the triggers)
REWRITES = tuple(f"{verb} mediadesk.{table}" for table in ("export_ledger", "edit_history",
                                                         "object_history", "edit_operations")
                 for verb in ("UPDATE", "DELETE", "TRUNCATE"))


def rewrite_sql(statement: str) -> str:
    verb, table = statement.split()
    if verb == "UPDATE":
        column = {"mediadesk.export_ledger": "who = 'ceo'", "mediadesk.edit_history": "new_value = '1'",
                  "mediadesk.object_history": "new_value = '1'",
                  "mediadesk.edit_operations": "description = 'x'"}[table]
        return f"UPDATE {table} SET {column}"
    if verb == "DELETE":
        return f"DELETE FROM {table}"
    return f"TRUNCATE {table} CASCADE"


def markdown() -> str:
    def cell(role: str, op: Op) -> str:
        cli = "yes" if role in op.cli else "**no** (5)"
        server = "" if (role in op.cli) == (role in op.server) else (
            " / SQL: allowed" if role in op.server else " / SQL: refused")
        return cli + server

    head = "| operation | " + " | ".join(ROLES) + " |"
    lines = [head, "|" + "---|" * (len(ROLES) + 1)]
    for op in OPS:
        lines.append(f"| {op.name} | " + " | ".join(cell(r, op) for r in ROLES) + " |")
    lines.append("| UPDATE / DELETE / TRUNCATE of export_ledger, edit_history, object_history, "
                 "edit_operations | " + " | ".join("**no** (42501)" for _ in ROLES) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
