"""The workspace schema: a version-1 file migrated by frozen steps, a newer one refused."""
from __future__ import annotations

import dataclasses
import sqlite3

import pandas as pd
import pytest

from xling.workspace.corrections import Correction, document_hash
from xling.workspace import schema as ws_schema
from xling.workspace.schema import MIGRATIONS, SCHEMA_VERSION, V1
from xling.workspace.store import Workspace, WorkspaceError

from workspace_cases import comparison_of


@pytest.fixture
def comparison(fake_embedder):
    return comparison_of(fake_embedder)


# ---------------------------------------------------------------- schema versions


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master"))


def _v1_file(tmp_path, comparison):
    """A schema-1 workspace made by hand: a saved comparison and one reject correction stored twice."""
    path = tmp_path / "old.db"
    ws_new = Workspace(tmp_path / "new.db")  # a saved comparison in v1 tables = the same rows as now
    cid = ws_new.save(comparison, title="old one")
    ha, hb = (document_hash(p.document) for p in comparison.documents)
    link = comparison.pairs[0].links[0]
    sa, sb = comparison.documents[0].segments[link.a], comparison.documents[1].segments[link.b]
    with sqlite3.connect(path) as conn:  # schema 1, made by hand
        for statement in V1:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        with sqlite3.connect(ws_new.path) as new:
            for table in ("documents", "comparisons", "comparison_documents", "pairs"):
                for row in new.execute(f"SELECT * FROM {table}"):
                    conn.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})", row)
        v1_row = ("reject", None, ha, hb, sa.start, sa.end, sb.start, sb.end, "ana", "2026-01-02T03:04:05.000000+00:00")
        for _ in range(2):  # schema 1 let the same correction be stored twice
            conn.execute("INSERT INTO corrections (action, status, doc_a, doc_b, a_start, a_end, b_start, b_end, author, created) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v1_row)  # fmt: skip
    return path, ws_new, cid, link, sa, sb


def test_a_version_1_workspace_is_migrated(tmp_path, comparison):
    path, ws_new, cid, link, sa, sb = _v1_file(tmp_path, comparison)
    assert 1 in MIGRATIONS
    ws = Workspace(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        schema = lambda c: sorted(r for r in c.execute("SELECT type, name, sql FROM sqlite_master"))
        with sqlite3.connect(ws_new.path) as new:
            assert schema(conn) == schema(new)  # migrated and new files have one schema
    (migrated,) = ws.all_corrections()
    assert (migrated.name_a, migrated.name_b, migrated.a_text, migrated.b_text) == ("a", "b", sa.text, sb.text)
    assert migrated.level == "sentence" and migrated.author == "ana"
    pd.testing.assert_frame_equal(ws.load(cid).to_dataframe(), comparison.to_dataframe())
    assert (link.a, link.b) not in {(l.a, l.b) for l in ws.apply(comparison).comparison.pairs[0].links}


def test_the_v1_migration_is_frozen_against_a_field_added_to_the_record(tmp_path, comparison, monkeypatch):
    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Grown(Correction):  # the record as it may be one day: a field schema 1 and 2 never had
        confidence: float = 1.0

    def migrated(record_type):
        monkeypatch.setattr(ws_schema, "Correction", record_type)
        path = _v1_file(tmp_path / record_type.__name__, comparison)[0]
        with sqlite3.connect(path) as conn:
            ws_schema.migrate_v1_to_v2(conn)
            return conn.execute("SELECT * FROM corrections ORDER BY id").fetchall()

    for folder in ("Correction", "Grown", "opened"):
        (tmp_path / folder).mkdir()
    today = migrated(Correction)
    assert migrated(Grown) == today and len(today) == 1  # the same rows, duplicates merged, whatever the record's fields
    stored = Workspace(_v1_file(tmp_path / "opened", comparison)[0]).all_corrections()[0]
    assert today[0][-1] == stored.uid  # schema 2's identity is the record's identity today


def test_a_workspace_from_a_newer_xling_is_refused(tmp_path):
    path = tmp_path / "future.db"
    Workspace(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(WorkspaceError, match="newer xling"):
        Workspace(path)
