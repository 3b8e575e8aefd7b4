"""People and roles in the team catalog's server (issue 13): the permissions step.

The step is applied by the catalog's owner (the login that owns the ``mediadesk`` schema) when
it opens the catalog, after the numbered schema steps, and again whenever the schema version or
:data:`STEP` changes (``settings['permissions.step']`` records which). It does not take a
schema number: the same tables and columns as before, only who may touch them.

- Group roles, one per mediadesk role, named so an auditor recognises them (``mediadesk_viewer``,
  ``mediadesk_press_officer``, ``mediadesk_archivist``, ``mediadesk_editor``,
  ``mediadesk_rights_manager``, ``mediadesk_admin``); every group is a member of
  ``mediadesk_viewer`` (whoever holds a role can read). A person is a LOGIN role (scram-sha-256)
  in one or more groups (catalog/postgres/people.py). Roles are cluster-wide, grants are per
  database: a group gives rights only in the catalogs whose step granted them. Making the groups
  needs CREATEROLE (or a superuser); an owner without it gets everything else of the step and
  the groups are made the first time an owner who may opens the catalog.
- GRANTs per table and per column (:data:`GRANTS`, printed in SECURITY.md): an archivist
  updates the file facts write-back changes and the descriptive fields, never
  ``assets.rights_profile_id``; only ``mediadesk_rights_manager`` writes ``rights_profiles`` and
  the profile columns of assets and galleries.
- Append-only history: nobody is granted UPDATE, DELETE or TRUNCATE on ``export_ledger``,
  ``edit_history``, ``object_history``; triggers refuse them even to the owner (SQLSTATE 42501);
  of ``edit_operations`` only ``undone`` may change (undo and redo), and nothing is deleted.
- Stamped by the server: ``ledger_append`` (SECURITY DEFINER, the ledger's only way in for
  everyone but the owner) writes ``session_user`` and the server's clock whatever the desk sent;
  a trigger does the same for every new edit operation (who, at). The owner's own inserts keep
  their values: ``catalog copy`` carries a desk catalog's history over as it was.
- ``log_change`` (the change feed's trigger) runs as the owner, so writers need no grant on
  ``change_log``; the row still names ``session_user``.
"""

from __future__ import annotations

from typing import Any

from mediadesk.catalog.postgres.migrations import SCHEMA
from mediadesk.domain.permissions import ROLES, group_role

STEP = 1    # the permissions step's own version; bump when the grants or functions change
STEP_KEY = "permissions.step"
_T = 'text COLLATE "C"'

# columns of ``assets`` only a rights manager changes; press officers and archivists may update
# every other column (descriptive fields, file facts, the review flag a re-read sets), including
# those a later schema step adds (the step runs again after every schema change)
RIGHTS_ONLY = ("rights_profile_id",)
NEVER_UPDATED = ("id", "search")
RIGHTS_COLUMNS = ("rights_profile_id", "rights_review", "modified_at")
GALLERY_COLUMNS = ("title", "date", "end_date", "place", "description")

# the words of documents, subtitles and chapters (schema 5): made by an import, changed by edits
# (links, chapters); granted where the catalog has them
WORDS_TABLES = ("asset_words", "text_tracks", "cues", "chapters", "asset_links")
_HISTORY_INSERT = [("INSERT", "edit_operations"), ("UPDATE (undone)", "edit_operations"),
                   ("INSERT", "edit_history"), ("INSERT", "object_history")]

# role -> (privilege, table) it is granted, besides reading (every group is a viewer)
GRANTS: dict[str, list[tuple[str, str]]] = {
    "viewer": [("SELECT", "every table but export_ledger"), ("SELECT (id)", "export_ledger"),
               ("INSERT, UPDATE, DELETE", "saved_searches")],
    "press-officer": [
        ("INSERT", "assets"), ("UPDATE (every column but rights_profile_id)", "assets"),
        ("INSERT, UPDATE", "import_batches"), ("INSERT, UPDATE", "thumbnails"),
        ("INSERT, DELETE", "galleries"), (f"UPDATE ({', '.join(GALLERY_COLUMNS)})", "galleries"),
        ("INSERT, UPDATE, DELETE", "gallery_assets"), ("INSERT, UPDATE, DELETE", "caption_templates"),
        ("INSERT, UPDATE, DELETE", "code_replacements"), ("INSERT, UPDATE, DELETE", "people_directory"),
        ("INSERT, UPDATE, DELETE", ", ".join(WORDS_TABLES)), *_HISTORY_INSERT],
    "archivist": [
        ("UPDATE (every column but rights_profile_id)", "assets"), ("INSERT, UPDATE", "thumbnails"),
        ("INSERT, UPDATE, DELETE", "gallery_assets"), ("INSERT, UPDATE, DELETE", ", ".join(WORDS_TABLES)),
        *_HISTORY_INSERT],
    "editor": [("SELECT", "export_ledger"), ("EXECUTE", "ledger_append()")],
    "rights-manager": [
        ("INSERT, UPDATE, DELETE", "rights_profiles"), (f"UPDATE ({', '.join(RIGHTS_COLUMNS)})", "assets"),
        ("UPDATE (rights_profile_id)", "galleries"), *_HISTORY_INSERT],
    "admin": [("INSERT, UPDATE, DELETE", "storage_roots"), ("member of", "pg_signal_backend"),
              ("CREATEROLE", "on each admin's login (people and roles)")],
}

_APPEND_ONLY = ("export_ledger", "edit_history", "object_history")


def _append_only_sql() -> str:
    parts = [f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.refuse_rewrite() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('%s is append-only: %s is refused for everyone', TG_TABLE_NAME, TG_OP);
END
$fn$;

-- of an edit operation only "undone" changes (undo, redo); none is ever removed
CREATE OR REPLACE FUNCTION {SCHEMA}.guard_operation() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'undone') = (to_jsonb(OLD) - 'undone') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = format('edit_operations is append-only: %s is refused for everyone (only undone may change)', TG_OP);
END
$fn$;

-- who and when of a new edit operation: the server's, whatever the desk sent (the owner's own
-- inserts keep theirs: a catalog copy carries history over as it was)
CREATE OR REPLACE FUNCTION {SCHEMA}.stamp_operation() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF NOT pg_has_role(session_user, (SELECT nspowner FROM pg_namespace WHERE nspname = '{SCHEMA}'), 'MEMBER') THEN
        NEW.who := session_user;
        NEW.at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    END IF;
    RETURN NEW;
END
$fn$;
DROP TRIGGER IF EXISTS edit_operations_stamp ON {SCHEMA}.edit_operations;
CREATE TRIGGER edit_operations_stamp BEFORE INSERT ON {SCHEMA}.edit_operations
    FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.stamp_operation();
DROP TRIGGER IF EXISTS edit_operations_guard ON {SCHEMA}.edit_operations;
CREATE TRIGGER edit_operations_guard BEFORE UPDATE OR DELETE ON {SCHEMA}.edit_operations
    FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.guard_operation();
DROP TRIGGER IF EXISTS edit_operations_no_truncate ON {SCHEMA}.edit_operations;
CREATE TRIGGER edit_operations_no_truncate BEFORE TRUNCATE ON {SCHEMA}.edit_operations
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.refuse_rewrite();
ALTER TABLE {SCHEMA}.edit_operations ALTER COLUMN who SET DEFAULT session_user;
ALTER TABLE {SCHEMA}.change_log ALTER COLUMN who SET DEFAULT session_user;
ALTER FUNCTION {SCHEMA}.log_change() SECURITY DEFINER;
"""]
    for table in _APPEND_ONLY:
        parts.append(f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {SCHEMA}.{table};
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {SCHEMA}.{table}
    FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.refuse_rewrite();
DROP TRIGGER IF EXISTS {table}_no_truncate ON {SCHEMA}.{table};
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {SCHEMA}.{table}
    FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.refuse_rewrite();
""")
    return "".join(parts)


def _ledger_append_sql() -> str:
    """The ledger's way in, stamping the login and the server's clock (the hash covers both)."""
    return f"""
CREATE OR REPLACE FUNCTION {SCHEMA}.ledger_append(
        p_at text, p_who text, p_purpose text, p_recipient text, p_bundle text, p_assets text,
        p_blocked text, p_manifest_sha256 text, p_event text, p_detail text)
    RETURNS TABLE (entry_id bigint, prev_hash text, entry_hash text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    last_id bigint;
    last_hash text;
    body text;
    at text;
    who text;
BEGIN
    -- p_at and p_who are what the desk says; the entry holds the server's (nobody forges them)
    at := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
    who := session_user;
    LOCK TABLE {SCHEMA}.export_ledger IN EXCLUSIVE MODE;
    SELECT l.id, l.entry_hash INTO last_id, last_hash
      FROM {SCHEMA}.export_ledger l ORDER BY l.id DESC LIMIT 1;
    entry_id := coalesce(last_id, 0) + 1;
    prev_hash := coalesce(last_hash, repeat('0', 64));
    body := '{{'
        || '"assets":' || to_json(p_assets)::text || ','
        || '"at":' || to_json(at)::text || ','
        || '"blocked":' || to_json(p_blocked)::text || ','
        || '"bundle":' || to_json(p_bundle)::text || ','
        || CASE WHEN p_detail IS NULL THEN '' ELSE '"detail":' || to_json(p_detail)::text || ',' END
        || CASE WHEN p_event IS NULL THEN '' ELSE '"event":' || to_json(p_event)::text || ',' END
        || '"id":' || entry_id::text || ','
        || '"manifest_sha256":' || to_json(p_manifest_sha256)::text || ','
        || '"prev_hash":' || to_json(prev_hash)::text || ','
        || '"purpose":' || to_json(p_purpose)::text || ','
        || '"recipient":' || coalesce(to_json(p_recipient)::text, 'null') || ','
        || '"who":' || to_json(who)::text
        || '}}';
    entry_hash := encode(sha256(convert_to(body, 'UTF8')), 'hex');
    INSERT INTO {SCHEMA}.export_ledger (id, at, who, purpose, recipient, bundle, assets, blocked,
                                         manifest_sha256, prev_hash, entry_hash, event, detail)
    VALUES (entry_id, at, who, p_purpose, p_recipient, p_bundle, p_assets, p_blocked,
            p_manifest_sha256, prev_hash, entry_hash, p_event, p_detail);
    INSERT INTO {SCHEMA}.settings (key, value)
    VALUES ('export_ledger.head', entry_id::text || ':' || entry_hash)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    RETURN NEXT;
END
$fn$;
REVOKE ALL ON FUNCTION {SCHEMA}.ledger_append(text, text, text, text, text, text, text, text, text, text) FROM PUBLIC;
"""


def _grants_sql(columns: dict[str, set[str]]) -> str:
    """Every privilege from nothing: revoke what the groups had, grant :data:`GRANTS`. Column
    lists keep the columns the tables have (``columns``: table -> its columns), so a later
    schema step that drops or renames one does not stop the step."""
    def cols(table: str, names: tuple[str, ...]) -> str:
        return ", ".join(n for n in names if n in columns.get(table, set()))

    def _cols(names: tuple[str, ...]) -> str:
        return cols("assets", names)

    editable = tuple(sorted(columns.get("assets", set()) - set(RIGHTS_ONLY) - set(NEVER_UPDATED)))

    g = {role: group_role(role) for role in ROLES}
    s = SCHEMA
    words = ", ".join(f"{SCHEMA}.{t}" for t in WORDS_TABLES if t in columns)
    words_grant = (f"GRANT INSERT, UPDATE, DELETE ON {words} TO {g['press-officer']}, {g['archivist']};"
                   if words else "")
    groups = ", ".join(g.values())
    hist = (f"GRANT INSERT ON {s}.edit_operations, {s}.edit_history, {s}.object_history TO {{r}};\n"
            f"GRANT UPDATE (undone) ON {s}.edit_operations TO {{r}};\n")
    return f"""
REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC, {groups};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM PUBLIC, {groups};
REVOKE ALL ON SCHEMA {s} FROM PUBLIC;
GRANT USAGE ON SCHEMA {s} TO {groups};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {groups};
GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {g['viewer']};
REVOKE SELECT ON {s}.export_ledger FROM {g['viewer']};
GRANT SELECT (id) ON {s}.export_ledger TO {g['viewer']};
GRANT INSERT, UPDATE, DELETE ON {s}.saved_searches TO {g['viewer']};

GRANT INSERT ON {s}.assets TO {g['press-officer']};
GRANT UPDATE ({_cols(editable)}) ON {s}.assets TO {g['press-officer']};
GRANT INSERT, UPDATE ON {s}.import_batches, {s}.thumbnails TO {g['press-officer']};
GRANT INSERT, DELETE ON {s}.galleries TO {g['press-officer']};
GRANT UPDATE ({cols("galleries", GALLERY_COLUMNS)}) ON {s}.galleries TO {g['press-officer']};
GRANT INSERT, UPDATE, DELETE ON {s}.gallery_assets, {s}.caption_templates, {s}.code_replacements,
    {s}.people_directory TO {g['press-officer']};
{hist.format(r=g['press-officer'])}
GRANT UPDATE ({_cols(editable)}) ON {s}.assets TO {g['archivist']};
GRANT INSERT, UPDATE ON {s}.thumbnails TO {g['archivist']};
GRANT INSERT, UPDATE, DELETE ON {s}.gallery_assets TO {g['archivist']};
{hist.format(r=g['archivist'])}
GRANT SELECT ON {s}.export_ledger TO {g['editor']};
GRANT EXECUTE ON FUNCTION {s}.ledger_append(text, text, text, text, text, text, text, text, text, text)
    TO {g['editor']};

GRANT INSERT, UPDATE, DELETE ON {s}.rights_profiles TO {g['rights-manager']};
GRANT UPDATE ({_cols(RIGHTS_COLUMNS)}) ON {s}.assets TO {g['rights-manager']};
GRANT UPDATE (rights_profile_id) ON {s}.galleries TO {g['rights-manager']};
{hist.format(r=g['rights-manager'])}
GRANT INSERT, UPDATE, DELETE ON {s}.storage_roots TO {g['admin']};
{words_grant}
"""


def _may_make_roles(conn: Any) -> bool:
    row = conn.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row[0])


def groups_exist(conn: Any) -> bool:
    names = [group_role(r) for r in ROLES]
    found = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", (names,)).fetchone()[0]
    return int(found) == len(names)


def _make_groups(conn: Any) -> None:
    viewer = group_role("viewer")
    for role in ROLES:
        name = group_role(role)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f"CREATE ROLE {name} NOLOGIN")
            conn.execute(f"COMMENT ON ROLE {name} IS 'mediadesk: the {role} role (people and roles, issue 13)'")
        if role != "viewer":
            conn.execute(f"GRANT {viewer} TO {name}")
    admin = group_role("admin")
    held = conn.execute("SELECT pg_has_role(%s, 'pg_signal_backend', 'MEMBER')", (admin,)).fetchone()[0]
    if not held:
        conn.execute(f"GRANT pg_signal_backend TO {admin}")


def is_owner(conn: Any) -> bool:
    row = conn.execute("SELECT pg_has_role(current_user, nspowner, 'MEMBER') FROM pg_namespace"
                       " WHERE nspname = %s", (SCHEMA,)).fetchone()
    return bool(row and row[0])


def ensure(conn: Any, schema_version: int) -> bool:
    """Apply the permissions step when the owner opens a catalog that lacks it (or has an older
    one, or a newer schema since); True when the groups hold their grants now. ``conn`` is in
    autocommit mode and outside a transaction."""
    wanted = f"{STEP}:{schema_version}"
    have = conn.execute("SELECT value FROM mediadesk.settings WHERE key = %s", (STEP_KEY,)).fetchone()
    if have is not None and have[0] in (wanted, wanted + ":groups"):
        return bool(have[0].endswith(":groups"))
    if not is_owner(conn):
        return False
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('mediadesk.permissions'))")
        have = conn.execute("SELECT value FROM mediadesk.settings WHERE key = %s", (STEP_KEY,)).fetchone()
        if have is not None and have[0] in (wanted, wanted + ":groups"):
            return bool(have[0].endswith(":groups"))
        conn.execute(_append_only_sql())
        conn.execute(_ledger_append_sql())
        with_groups = groups_exist(conn)
        if not with_groups and _may_make_roles(conn):
            _make_groups(conn)
            with_groups = True
        if with_groups:
            columns: dict[str, set[str]] = {}
            for table, column in conn.execute(
                    "SELECT table_name, column_name FROM information_schema.columns"
                    " WHERE table_schema = %s", (SCHEMA,)):
                columns.setdefault(table, set()).add(column)
            conn.execute(_grants_sql(columns))
        conn.execute("INSERT INTO mediadesk.settings (key, value) VALUES (%s, %s)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     (STEP_KEY, wanted + (":groups" if with_groups else "")))
    return with_groups
