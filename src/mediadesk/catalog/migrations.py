"""Append-only schema migrations of the SQLite catalog, keyed on ``PRAGMA user_version``.

Each step runs in its own transaction together with its version bump; a catalog is never left
half-migrated. Never edit a step that has shipped: append a new one (the schema check in
catalog/schema.py compares a catalog with what these steps build, word for word).
``tests/fixtures/catalogs/`` keeps a catalog per released schema and the tests open each of them.

A step is an SQL script (the shipped steps 1-3) or a function of the connection. New steps use
sqlite-utils where it does the job: ``create_table`` with typed columns and foreign-key actions,
``create_index``, and ``table.transform`` for the column changes SQLite's ``ALTER TABLE`` cannot
make (it copies the table inside the step's transaction; with foreign keys ON it refuses tables
that others reference with destructive ON DELETE actions, so such a step turns foreign keys off
first, as SQLite's own twelve-step recipe does). The schema version is shared with the team
catalog's engine, whose steps are its own DDL for the same versions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from mediadesk.catalog.writers import store_writer
from mediadesk.domain.errors import CatalogError

SEED_PROFILE_NAME = "Editorial only (NATO media)"
SEED_PROFILE_NOTE = (
    "This media asset is free for editorial broadcast, print, online and radio use. "
    "It is restricted for use for other purposes."
)
SEED_PROFILE_PURPOSES = '["editorial-broadcast", "editorial-print", "editorial-online", "editorial-radio"]'


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_M001_INITIAL = """
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            roots TEXT NOT NULL,              -- JSON list of paths
            status TEXT NOT NULL DEFAULT 'running',  -- running | finished | cancelled | failed
            counts TEXT                        -- JSON of the final counts
        );

        CREATE TABLE rights_profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            note TEXT NOT NULL,
            allowed_purposes TEXT NOT NULL,    -- JSON list of purpose slugs
            embargo_until TEXT,                -- ISO 8601 with offset: not before
            expires_at TEXT,                   -- ISO 8601 with offset: not after
            credit_line TEXT,
            credit_required INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );

        CREATE TABLE assets (
            id INTEGER PRIMARY KEY,
            content_hash TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            file_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime REAL NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'audio', 'document')),
            format TEXT,
            width INTEGER,
            height INTEGER,
            duration REAL,
            codec TEXT,
            frame_rate REAL,
            date_created TEXT,
            title TEXT,
            headline TEXT,
            caption TEXT,
            alt_text TEXT,
            keywords TEXT NOT NULL DEFAULT '[]',       -- JSON list
            event TEXT,
            rating INTEGER,
            people TEXT NOT NULL DEFAULT '[]',         -- JSON list
            organisations TEXT NOT NULL DEFAULT '[]',  -- JSON list
            sublocation TEXT,
            city TEXT,
            state TEXT,
            country TEXT,
            country_code TEXT,
            creator TEXT,
            credit TEXT,
            source TEXT,
            copyright TEXT,
            usage_terms TEXT,
            instructions TEXT,
            rights_profile_id INTEGER REFERENCES rights_profiles(id) ON DELETE SET NULL,
            import_batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
            field_sources TEXT NOT NULL DEFAULT '{}',  -- JSON {field: source}
            conflicts TEXT NOT NULL DEFAULT '{}',      -- JSON {field: {source: value}}
            warnings TEXT NOT NULL DEFAULT '[]',       -- JSON list
            has_thumbnail INTEGER NOT NULL DEFAULT 0,
            missing INTEGER NOT NULL DEFAULT 0,
            imported_at TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        CREATE INDEX assets_path ON assets(path);
        CREATE INDEX assets_kind_date ON assets(kind, date_created, id);
        CREATE INDEX assets_date ON assets(date_created, id);
        CREATE INDEX assets_imported ON assets(imported_at, id);
        CREATE INDEX assets_profile ON assets(rights_profile_id);
        CREATE INDEX assets_batch ON assets(import_batch_id);

        CREATE TABLE galleries (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL UNIQUE,
            date TEXT,
            end_date TEXT,
            place TEXT,
            description TEXT,
            rights_profile_id INTEGER REFERENCES rights_profiles(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE gallery_assets (
            gallery_id INTEGER NOT NULL REFERENCES galleries(id) ON DELETE CASCADE,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (gallery_id, asset_id)
        ) WITHOUT ROWID;
        CREATE INDEX gallery_assets_asset ON gallery_assets(asset_id);

        CREATE VIRTUAL TABLE assets_fts USING fts5(
            title, caption, headline, keywords, people, organisations, place, event,
            creator, credit, file_name,
            tokenize = "unicode61 remove_diacritics 2"
        );
        CREATE TRIGGER assets_fts_insert AFTER INSERT ON assets BEGIN
            INSERT INTO assets_fts(rowid, title, caption, headline, keywords, people, organisations,
                                   place, event, creator, credit, file_name)
            VALUES (new.id, new.title, new.caption, new.headline, new.keywords, new.people,
                    new.organisations,
                    trim(coalesce(new.sublocation, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.state, '') || ' ' || coalesce(new.country, '') || ' ' || coalesce(new.country_code, '')),
                    new.event, new.creator, new.credit, new.file_name);
        END;
        CREATE TRIGGER assets_fts_delete AFTER DELETE ON assets BEGIN
            DELETE FROM assets_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER assets_fts_update AFTER UPDATE OF title, caption, headline, keywords, people,
            organisations, sublocation, city, state, country, country_code, event, creator, credit,
            file_name ON assets BEGIN
            DELETE FROM assets_fts WHERE rowid = old.id;
            INSERT INTO assets_fts(rowid, title, caption, headline, keywords, people, organisations,
                                   place, event, creator, credit, file_name)
            VALUES (new.id, new.title, new.caption, new.headline, new.keywords, new.people,
                    new.organisations,
                    trim(coalesce(new.sublocation, '') || ' ' || coalesce(new.city, '') || ' ' || coalesce(new.state, '') || ' ' || coalesce(new.country, '') || ' ' || coalesce(new.country_code, '')),
                    new.event, new.creator, new.credit, new.file_name);
        END;

        -- Edit history: one row per field change, grouped in operations (a batch is one operation).
        CREATE TABLE edit_operations (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,          -- edit | template | replace | tag | csv | undo-of ...
            description TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE edit_history (
            id INTEGER PRIMARY KEY,
            operation_id INTEGER NOT NULL REFERENCES edit_operations(id) ON DELETE CASCADE,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            old_value TEXT,              -- JSON-encoded value
            new_value TEXT               -- JSON-encoded value
        );
        CREATE INDEX edit_history_op ON edit_history(operation_id);
        CREATE INDEX edit_history_asset ON edit_history(asset_id, field);

        CREATE TABLE caption_templates (
            name TEXT NOT NULL,
            field TEXT NOT NULL,
            text TEXT NOT NULL,
            mode TEXT NOT NULL DEFAULT 'replace' CHECK (mode IN ('replace', 'append', 'prepend')),
            position INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (name, field)
        );
        CREATE TABLE code_replacements (
            code TEXT PRIMARY KEY,
            expansion TEXT NOT NULL
        );
        CREATE TABLE people_directory (
            name TEXT PRIMARY KEY,
            role TEXT
        );
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            query TEXT NOT NULL
        );

        -- Export ledger: append-only, each entry chained to the previous by hash.
        CREATE TABLE export_ledger (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            purpose TEXT NOT NULL,
            recipient TEXT,
            bundle TEXT NOT NULL,
            assets TEXT NOT NULL,          -- JSON list of asset ids exported
            blocked TEXT NOT NULL,         -- JSON list of {id, reason}
            manifest_sha256 TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            entry_hash TEXT NOT NULL
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );
"""
_M001_INITIAL += (
    "INSERT INTO rights_profiles (name, note, allowed_purposes, credit_line, credit_required, created_at)"
    f" VALUES ({_q(SEED_PROFILE_NAME)}, {_q(SEED_PROFILE_NOTE)}, {_q(SEED_PROFILE_PURPOSES)}, 'NATO', 1,"
    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));"
)


# Rights profiles remember the zone their embargo/expiry were given in ("Europe/Brussels"), so
# reasons read "Embargoed until 2025-03-06 14:00 CET", not "UTC+01:00". The timestamps stay ISO
# with an offset, so julianday() comparisons in search keep working.
_M002_PROFILE_TIME_ZONE = "ALTER TABLE rights_profiles ADD COLUMN time_zone TEXT;"

# Issue 10 (the rights promise under attack).
# - The search index is kept by the program (catalog/fts.py), not by triggers: every catalog is
#   opened with trusted_schema OFF, under which SQLite refuses FTS5 inside triggers, and a catalog
#   file that holds no code at all makes a planted trigger easy to see (catalog/schema.py).
# - file_rights: the rights-bearing fields (usage terms, copyright, instructions) as the file said
#   them at the last read, so a re-read can tell that the file's note changed; rights_review: why a
#   person should look at the asset's rights (shown in "Rights problems"), NULL when nothing to see.
# - pixel_fingerprint: media.image_data_fingerprint of the catalog's picture; write-back adopts a
#   file changed on disk only when its image data is this one.
# - export_ledger.event/detail: NULL for an export; "publish-failed" records a bundle that was
#   entered in the ledger but could not be published. Both are hashed only when set, so the
#   hashes of older entries stay valid.
# - settings 'catalog.id': a random id that names this catalog in bundle receipts (LEDGER.json)
#   and in the heads of the ledger this machine has seen.
_M003_RIGHTS_PROMISE = """
        DROP TRIGGER assets_fts_insert;
        DROP TRIGGER assets_fts_delete;
        DROP TRIGGER assets_fts_update;
        ALTER TABLE assets ADD COLUMN file_rights TEXT;
        ALTER TABLE assets ADD COLUMN rights_review TEXT;
        ALTER TABLE assets ADD COLUMN pixel_fingerprint TEXT;
        CREATE INDEX assets_rights_review ON assets(rights_review) WHERE rights_review IS NOT NULL;
        ALTER TABLE export_ledger ADD COLUMN event TEXT;
        ALTER TABLE export_ledger ADD COLUMN detail TEXT;
        INSERT OR IGNORE INTO settings (key, value) VALUES ('catalog.id', lower(hex(randomblob(16))));
"""


def _m004_object_history(conn: sqlite3.Connection) -> None:
    """Issue 11 (one door): creating, renaming and deleting a gallery and creating or changing a
    rights profile are operations in the edit history, undone and redone like field edits.
    ``object_history`` holds, per operation, the whole record of a gallery or profile before and
    after (JSON; NULL: it did not exist). A deleted gallery's record lists its members and their
    positions, so undo puts it back as it was. Ids of objects in the history are never handed out
    again (catalog/galleries.py), so an undo never meets another gallery under the same id."""
    # imported here: sqlite-utils costs ~50 ms to import, and a step runs once per catalog
    import sqlite_utils
    from sqlite_utils.db import ForeignKey

    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    db.create_table(
        "object_history",
        {"id": int, "operation_id": int, "object": str, "object_id": int, "old_value": str,
         "new_value": str},
        pk="id", not_null={"operation_id", "object", "object_id"},
        foreign_keys=[ForeignKey("object_history", "operation_id", "edit_operations", "id",
                                 on_delete="CASCADE")])
    table = db.table("object_history")
    table.create_index(["operation_id"], index_name="object_history_op")
    table.create_index(["object", "object_id"], index_name="object_history_object")


# Issue 16 (the words around the pictures): documents' text, videos' subtitles and chapters,
# links between a document and the assets it describes, all searchable.
# - assets.language (BCP 47, ISO 639-1 where one exists) and page_count (documents).
# - asset_words: a document's text (pages separated by form feeds; the text the import extracted
#   is kept nowhere else), whether it has pages, whether any text could be read; for a video the
#   subtitle and chapter files read beside it (JSON [[name, size, mtime]]), so a new or changed
#   file is noticed by the next import of the folder.
# - text_tracks + cues: one language's cues from one origin (a file beside the video, a stream
#   inside it, a transcript document aligned by its timestamps: document_id).
# - chapters: named time ranges; origin "typed" once a person edited them (a re-read of the
#   file then leaves them alone).
# - asset_links: a document and an asset it describes (a press release and its photos).
# - assets_fts gains body (document text), timed (every cue) and chapters (chapter names).
_M005_WORDS = """
        ALTER TABLE assets ADD COLUMN language TEXT;
        ALTER TABLE assets ADD COLUMN page_count INTEGER;
        CREATE INDEX assets_language ON assets(language) WHERE language IS NOT NULL;
        CREATE TABLE asset_words (
            asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
            body TEXT NOT NULL DEFAULT '',
            paged INTEGER NOT NULL DEFAULT 0,
            text_found INTEGER NOT NULL DEFAULT 1,
            companions TEXT
        );
        CREATE TABLE text_tracks (
            id INTEGER PRIMARY KEY,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('subtitles', 'transcript')),
            language TEXT,
            label TEXT,
            origin TEXT NOT NULL,
            document_id INTEGER REFERENCES assets(id) ON DELETE CASCADE,
            warnings TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX text_tracks_asset ON text_tracks(asset_id);
        CREATE INDEX text_tracks_document ON text_tracks(document_id) WHERE document_id IS NOT NULL;
        CREATE TABLE cues (
            id INTEGER PRIMARY KEY,
            track_id INTEGER NOT NULL REFERENCES text_tracks(id) ON DELETE CASCADE,
            start REAL NOT NULL,
            end REAL NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX cues_track ON cues(track_id, start);
        CREATE TABLE chapters (
            id INTEGER PRIMARY KEY,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            start REAL NOT NULL,
            end REAL,
            title TEXT NOT NULL,
            origin TEXT NOT NULL
        );
        CREATE INDEX chapters_asset ON chapters(asset_id, start);
        CREATE TABLE asset_links (
            document_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (document_id, asset_id)
        ) WITHOUT ROWID;
        CREATE INDEX asset_links_asset ON asset_links(asset_id);
        DROP TABLE assets_fts;
        CREATE VIRTUAL TABLE assets_fts USING fts5(
            title, caption, headline, keywords, people, organisations, place, event,
            creator, credit, file_name, body, timed, chapters,
            tokenize = "unicode61 remove_diacritics 2"
        );
        INSERT INTO assets_fts (rowid, title, caption, headline, keywords, people, organisations, place,
                                event, creator, credit, file_name)
            SELECT id, title, caption, headline, keywords, people, organisations,
                   trim(coalesce(sublocation, '') || ' ' || coalesce(city, '') || ' ' || coalesce(state, '')
                        || ' ' || coalesce(country, '') || ' ' || coalesce(country_code, '')),
                   event, creator, credit, file_name FROM assets;
"""

# Issue 18 (a million assets): the broad filters walk an index in the result order instead of
# reading every row. rights:none (and the ids of one profile) in date order: the profile id
# before the date (assets_profile is the new index's prefix, so it goes); missing:caption in
# date order: a partial index of only the uncaptioned assets, which also counts them for the
# sidebar. An SQL step: sqlite-utils' create_index makes no partial index. On a catalog of a
# million assets this step takes a few seconds, once.
_M006_BROAD_FILTERS = """
        CREATE INDEX assets_rights_date ON assets(rights_profile_id, date_created, id);
        DROP INDEX assets_profile;
        CREATE INDEX assets_no_caption ON assets(date_created, id) WHERE caption IS NULL OR caption = '';
"""

Step = str | Callable[[sqlite3.Connection], None]

# Append only. The index + 1 is the user_version the step leads to.
# Each step runs inside BEGIN IMMEDIATE ... COMMIT together with the user_version bump, so a
# crash or an error leaves the catalog at the previous version.
MIGRATIONS: list[Step] = [
    _M001_INITIAL,
    _M002_PROFILE_TIME_ZONE,
    _M003_RIGHTS_PROMISE,
    _m004_object_history,
    _M005_WORDS,
    _M006_BROAD_FILTERS,
]

SCHEMA_VERSION = len(MIGRATIONS)


@store_writer
def migrate(conn: sqlite3.Connection) -> int:
    """Bring the catalog up to SCHEMA_VERSION; return the version it had before."""
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current > SCHEMA_VERSION:
        raise CatalogError(
            f"this catalog was written by a newer mediadesk (schema {current}, this program knows "
            f"{SCHEMA_VERSION}); update mediadesk to open it"
        )
    for version in range(current, SCHEMA_VERSION):
        step = MIGRATIONS[version]
        try:
            if isinstance(step, str):
                conn.executescript(
                    f"BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {version + 1};\nCOMMIT;"
                )
            else:
                conn.execute("BEGIN IMMEDIATE")
                step(conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return current


def run_steps(conn: sqlite3.Connection, version: int) -> None:
    """Build the schema of ``version`` in an empty database (the schema check's reference)."""
    for step in MIGRATIONS[:version]:
        if isinstance(step, str):
            conn.executescript(step)
        else:
            step(conn)
