"""The workspace's SQLite schema, version by version, and the frozen steps from one version to the next.

A step names every column it reads and writes as it was in its own version, never as today's
:class:`~xling.workspace.corrections.Correction` has them: a field added to the record later does not
change how an old file is migrated (its own step, for its own version, does that).
"""
from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable

from ..errors import WorkspaceError
from .corrections import Correction

log = logging.getLogger(__name__)
SCHEMA_VERSION = 2

V1 = (
    "CREATE TABLE documents (hash TEXT PRIMARY KEY, text TEXT NOT NULL)",
    ("CREATE TABLE comparisons (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, author TEXT NOT NULL, "
    "created TEXT NOT NULL, model_id TEXT NOT NULL, settings TEXT NOT NULL)"),
    ("CREATE TABLE comparison_documents (comparison_id INTEGER NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE, "
    "position INTEGER NOT NULL, doc_hash TEXT NOT NULL REFERENCES documents (hash), name TEXT NOT NULL, source TEXT NOT NULL, "
    "body_start INTEGER NOT NULL, lang TEXT NOT NULL, lang_prob REAL NOT NULL, metadata TEXT NOT NULL, warnings TEXT NOT NULL, "
    "segments TEXT NOT NULL, vectors BLOB NOT NULL, layout TEXT NOT NULL, PRIMARY KEY (comparison_id, position))"),
    ("CREATE TABLE pairs (comparison_id INTEGER NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE, position INTEGER NOT NULL, "
    "pair_id TEXT NOT NULL, a_position INTEGER NOT NULL, b_position INTEGER NOT NULL, profile TEXT NOT NULL, settings TEXT, "
    "links TEXT NOT NULL, PRIMARY KEY (comparison_id, position))"),
    ("CREATE TABLE corrections (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "action TEXT NOT NULL CHECK (action IN ('reject', 'confirm', 'relabel', 'add')), "
    "status TEXT CHECK (status IS NULL OR status IN ('match', 'partial')), doc_a TEXT NOT NULL, doc_b TEXT NOT NULL, "
    "a_start INTEGER NOT NULL, a_end INTEGER NOT NULL, b_start INTEGER NOT NULL, b_end INTEGER NOT NULL, "
    "author TEXT NOT NULL DEFAULT '', created TEXT NOT NULL)"),
    "CREATE INDEX corrections_docs ON corrections (doc_a, doc_b)",
)
"""Schema 1: comparisons as now; corrections with no note, level, names, texts or record identity (duplicates possible)."""

V1_CORRECTION_COLUMNS = ("id", "action", "status", "doc_a", "doc_b", "a_start", "a_end", "b_start", "b_end", "author", "created")
V2_ADDED_COLUMNS = ("note", "level", "name_a", "name_b", "a_text", "b_text")  # and ``uid``, the record's identity


def create_v1(conn: sqlite3.Connection) -> None:
    """A new file starts at schema 1 and is migrated like any old one, so both paths give the same schema."""
    for statement in V1:
        conn.execute(statement)


def v2_uid(record: dict[str, object]) -> str:
    """A correction's identity in schema 2: sha256 of its schema-2 fields (all but ``id``) as sorted JSON."""
    fields = {k: record[k] for k in (*V1_CORRECTION_COLUMNS[1:], *V2_ADDED_COLUMNS)}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def migrate_v1_to_v2(conn: sqlite3.Connection) -> None:
    """Schema 2: corrections gain note, level, document names, segment texts and a unique record id (``uid``).

    Names come from the saved comparisons that hold the documents, texts from
    the stored documents (so a later change of the document can be detected);
    level is ``sentence``, the only level schema 1 corrected. Exact duplicates
    (possible in schema 1) are merged into the oldest.
    """
    for column in V2_ADDED_COLUMNS:
        default = "'sentence'" if column == "level" else "''"
        conn.execute(f"ALTER TABLE corrections ADD COLUMN {column} TEXT NOT NULL DEFAULT {default}")
    conn.execute("ALTER TABLE corrections ADD COLUMN uid TEXT")
    texts = dict(conn.execute("SELECT hash, text FROM documents").fetchall())
    names = dict(conn.execute("SELECT doc_hash, name FROM comparison_documents ORDER BY comparison_id, position").fetchall())
    seen: set[str] = set()
    for row in conn.execute(f"SELECT {', '.join(V1_CORRECTION_COLUMNS)} FROM corrections ORDER BY id").fetchall():
        record = dict(zip(V1_CORRECTION_COLUMNS, row))
        try:
            Correction.from_record(record)  # the rules a correction obeys (offsets, hashes, statuses)
        except (TypeError, ValueError) as exc:
            raise WorkspaceError(f"correction {record['id']} cannot be migrated: {exc}") from None
        text_a, text_b = texts.get(record["doc_a"], ""), texts.get(record["doc_b"], "")
        record |= {"note": "", "level": "sentence", "name_a": names.get(record["doc_a"], ""), "name_b": names.get(record["doc_b"], ""),
                   "a_text": text_a[record["a_start"] : record["a_end"]], "b_text": text_b[record["b_start"] : record["b_end"]]}  # fmt: skip
        uid = v2_uid(record)
        if uid in seen:
            conn.execute("DELETE FROM corrections WHERE id = ?", (record["id"],))
            continue
        seen.add(uid)
        conn.execute("UPDATE corrections SET name_a = ?, name_b = ?, a_text = ?, b_text = ?, uid = ? WHERE id = ?",
                     (record["name_a"], record["name_b"], record["a_text"], record["b_text"], uid, record["id"]))  # fmt: skip
    conn.execute("CREATE UNIQUE INDEX corrections_uid ON corrections (uid)")
    conn.execute("CREATE INDEX corrections_doc_b ON corrections (doc_b)")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: migrate_v1_to_v2}  # version n -> n + 1; one per change


def migrate(conn: sqlite3.Connection, version: int, path: str) -> None:
    """Bring the file at ``version`` (0: a new, empty file) to :data:`SCHEMA_VERSION`, inside the caller's transaction."""
    if version == 0:
        if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise WorkspaceError(f"{path}: an SQLite file but not an xling workspace")
        create_v1(conn)
        version = 1
    for step in range(version, SCHEMA_VERSION):
        log.info("migrating %s from schema %s to %s", path, step, step + 1)
        MIGRATIONS[step](conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
