"""Corrections as records shared between people: file formats, export and import, the rules a record obeys."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import FakeEmbedder

from xling.cli import main
from xling.workspace.apply import HUMAN, SOURCE_COLUMN, Snapshot, apply_to_comparison
from xling.workspace.corrections import Correction, corrections_from_bytes, corrections_to_bytes, document_hash, make_correction
from xling.batch.chunks import Chunk, align_chunk
from xling.batch.manifest import PairTask
from xling.workspace.store import Workspace

from workspace_cases import comparison_of


@pytest.fixture
def comparison(fake_embedder):
    return comparison_of(fake_embedder)


# ---------------------------------------------------------------- sharing


TRICKY = ["=SUM(A1)", "'quoted already", "-minus", "line one\nline two", "comma, \"quote\"", "ünïcödé — ok", "", " =2+2", "\"'=1"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_corrections_round_trip_through_a_file(fmt, comparison):
    pair = comparison.pairs[0]
    corrections = [dataclasses.replace(make_correction(pair, 0, 0, "add", status="partial", author=f"an{i}"), note=note)
                   for i, note in enumerate(TRICKY)]  # fmt: skip
    back = corrections_from_bytes(corrections_to_bytes(corrections, fmt), fmt)  # type: ignore[arg-type]
    assert back == corrections and [c.uid for c in back] == [c.uid for c in corrections]


def test_export_then_import_via_the_cli_is_idempotent(tmp_path, comparison, capsys):
    source, target = tmp_path / "mine.db", tmp_path / "yours.db"
    pair = comparison.pairs[0]
    ws = Workspace(source)
    ws.correct(pair, pair.links[0].a, pair.links[0].b, "reject", author="ana", note="=not a formula")
    ws.correct(pair, pair.unique_a[0], pair.unique_b[0], "add", status="match", author="ben")
    for fmt in ("csv", "json"):
        shared = tmp_path / f"shared.{fmt}"
        assert main(["corrections", "export", "--workspace", str(source), "-o", str(shared)]) == 0
        assert main(["corrections", "import", str(shared), "--workspace", str(target)]) == 0
        assert main(["corrections", "import", str(shared), "--workspace", str(target)]) == 0
    assert "imported 2 correction(s)" in capsys.readouterr().err
    mine = [dataclasses.replace(c, id=None) for c in ws.all_corrections()]
    yours = [dataclasses.replace(c, id=None) for c in Workspace(target).all_corrections()]
    assert yours == mine
    pd.testing.assert_frame_equal(Workspace(target).apply(comparison).table, ws.apply(comparison).table)
    (tmp_path / "bad.csv").write_text("action,doc_a\nreject,xyz\n", encoding="utf-8")
    assert main(["corrections", "import", str(tmp_path / "bad.csv"), "--workspace", str(target)]) == 1
    assert "missing column(s)" in capsys.readouterr().err


def test_a_cell_longer_than_the_csv_modules_cap_imports_as_exported(tmp_path, comparison, capsys):
    source, target, shared = tmp_path / "mine.db", tmp_path / "yours.db", tmp_path / "shared.csv"
    pair = comparison.pairs[0]
    long_note = "a long note " * 20_000  # 240,000 characters: over the csv module's default 131,072
    Workspace(source).correct(pair, pair.links[0].a, pair.links[0].b, "reject", author="ana", note=long_note)
    assert main(["corrections", "export", "--workspace", str(source), "-o", str(shared)]) == 0
    assert main(["corrections", "import", str(shared), "--workspace", str(target)]) == 0
    assert [c.note for c in Workspace(target).all_corrections()] == [long_note]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_offset_too_large_to_store_is_one_line_naming_the_file_and_record(tmp_path, comparison, capsys, fmt):
    pair = comparison.pairs[0]
    second = dataclasses.replace(make_correction(pair, pair.links[0].a, pair.links[0].b, "reject"), note="second")
    data = corrections_to_bytes([make_correction(pair, pair.links[0].a, pair.links[0].b, "reject"), second], fmt)  # type: ignore[arg-type]
    end = str(second.a_end)
    huge = "1" + "0" * 25  # 26 digits: past SQLite's 64-bit integers
    text = data.decode()
    if fmt == "csv":
        lines = text.splitlines(keepends=True)
        lines[2] = lines[2].replace(f",{end},", f",{huge},", 1)
        text = "".join(lines)
    else:
        records = json.loads(text)
        records[1]["a_end"] = int(huge)
        text = json.dumps(records)
    shared = tmp_path / f"shared.{fmt}"
    shared.write_text(text, encoding="utf-8")
    assert main(["corrections", "import", str(shared), "--workspace", str(tmp_path / "ws.db")]) == 1
    err = capsys.readouterr().err
    where = "record 2 (line 3)" if fmt == "csv" else "record 2"
    assert err.startswith(f"xling: error: {shared}: {where}: a_start/a_end must be offsets into a document"), err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_corrections_export_refuses_a_suffix_it_would_mislabel(tmp_path, capsys):
    Workspace(tmp_path / "w.db")
    args = ["corrections", "export", "--workspace", str(tmp_path / "w.db"), "-o"]
    assert main([*args, str(tmp_path / "c.xlsx")]) == 2
    assert "c.xlsx: unknown corrections format '.xlsx'; use a suffix of .csv, .json" in capsys.readouterr().err
    assert not (tmp_path / "c.xlsx").exists()
    assert main([*args, str(tmp_path / "c.xlsx"), "--format", "csv"]) == 0  # named: honoured
    assert (tmp_path / "c.xlsx").read_text().startswith("action,")


@pytest.mark.slow
def test_a_fifo_to_import_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "corrections.csv"
    os.mkfifo(fifo)
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "xling.cli", "corrections", "import", str(fifo), "--workspace", str(tmp_path / "w.db")],
                          capture_output=True, text=True, timeout=60, check=False, env=os.environ | {"PYTHONPATH": str(root)})  # fmt: skip
    assert done.returncode == 1 and f"{fifo}: is a named pipe (FIFO), not a regular file" in done.stderr


def test_a_saved_comparison_export_includes_its_corrections(ws, comparison):
    cid = ws.save(comparison, title="summit")
    pair = comparison.pairs[0]
    ws.correct(pair, pair.links[0].a, pair.links[0].b, "reject", note="wrong", author="ana")
    exported = json.loads(ws.export_comparison(cid))
    assert exported["comparison"]["title"] == "summit"
    assert [c["note"] for c in exported["corrections"]] == ["wrong"]
    assert HUMAN in {row[SOURCE_COLUMN] for row in exported["table"]}
    assert exported["documents"][0]["hash"] == document_hash(pair.a.document)


def test_a_batch_chunk_corrects_as_the_comparison_does(comparison):
    """The batch path (a chunk applying an in-memory snapshot) and the comparison path give the same table, byte for byte."""
    pair = comparison.pairs[0]
    corrections = [make_correction(pair, pair.links[0].a, pair.links[0].b, "reject"),
                   make_correction(pair, pair.unique_a[0], pair.unique_b[0], "add", status="match")]  # fmt: skip
    chunk = Chunk(chunk_id="c0", window=0, pairs=(PairTask(index=0, pair_id=pair.pair_id, group_id="", doc_a="a", doc_b="b"),),
                  documents={p.name: p.document for p in comparison.documents})  # fmt: skip
    done = align_chunk(chunk, FakeEmbedder(), comparison.settings, corrections=Snapshot.of(corrections))
    whole = apply_to_comparison(comparison, corrections)
    pd.testing.assert_frame_equal(done.table, whole.table)
    assert HUMAN in set(done.table[SOURCE_COLUMN]) and done.corrected and not done.stale
    pd.testing.assert_frame_equal(whole.comparison.pairs[0].to_dataframe(), whole.table.drop(columns=SOURCE_COLUMN))


@pytest.mark.parametrize("bad", [
    {"action": "undo"}, {"action": "add", "status": None}, {"action": "reject", "status": "match"},
    {"status": "unique_a"}, {"a_start": 5, "a_end": 5}, {"doc_a": "not-a-hash"}, {"level": "word"},
])  # fmt: skip
def test_a_bad_correction_is_refused_naming_the_field(bad):
    good = {"action": "confirm", "doc_a": "0" * 64, "doc_b": "1" * 64, "a_start": 0, "a_end": 5, "b_start": 0, "b_end": 5}
    with pytest.raises(ValueError):
        Correction(**(good | bad))
