"""The team catalog's engine: PostgreSQL through psycopg 3 (issue 12).

A team catalog lives in one schema of its own (``mediadesk``) inside a database the office's IT
runs; every desk connects to it directly. This package holds what only PostgreSQL does: opening
a connection (:mod:`.connect`), the numbered migrations (:mod:`.migrations`), full-text search over
``tsvector`` with a text-search configuration of ours (:mod:`.search`). The stores and services are
the same ones the one-desk SQLite catalog uses.
"""
