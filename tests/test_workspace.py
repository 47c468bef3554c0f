"""The workspace: saving and reopening comparisons, corrections applied everywhere, stale ones reported,
concurrent and interrupted writers, sharing corrections, and the schema migration."""
from __future__ import annotations

import dataclasses
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import FakeEmbedder

import xling.cli
from xling.batch.run import run_batch
from xling.cli import main
from xling.workspace.apply import HUMAN, MODEL, SOURCE_COLUMN, apply_to_comparison
from xling.workspace.corrections import document_hash, make_correction
from xling.batch.engines import EmbedderSpec
from xling.export import COLUMNS, METADATA_COLUMNS, read_table
from xling.io import document_from_text, read_document
from xling.pipeline import compare, realign
from xling.types import Settings
from xling.workspace.store import Workspace, WorkspaceError
from workspace_cases import TEXT_A, TEXT_B, comparison_of, docs

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

@pytest.fixture
def comparison(fake_embedder):
    return comparison_of(fake_embedder)


def rows_of(table: pd.DataFrame, status: str | None = None, source: str | None = None) -> pd.DataFrame:
    out = table
    if status:
        out = out[out.status == status]
    if source:
        out = out[out[SOURCE_COLUMN] == source]
    return out


def key_rows(table: pd.DataFrame) -> set[tuple]:
    return {(r.a_index if pd.notna(r.a_index) else -1, r.b_index if pd.notna(r.b_index) else -1, r.status, r.source)
            for r in table.itertuples()}  # fmt: skip


# ---------------------------------------------------------------- saved comparisons


def test_save_then_reopen_gives_the_identical_table(tmp_path, comparison):
    cid = Workspace(tmp_path / "ws.db").save(comparison, title="summit", author="ana")
    again = Workspace(tmp_path / "ws.db").load(cid)  # a new object: as after a restart
    pd.testing.assert_frame_equal(again.to_dataframe(), comparison.to_dataframe())
    assert again.settings == comparison.settings and again.model_id == comparison.model_id
    assert [p.document for p in again.documents] == [p.document for p in comparison.documents]
    for old, new in zip(comparison.documents, again.documents):
        assert new.segments == old.segments
        np.testing.assert_array_equal(new.embeddings, old.embeddings)
    assert again.pairs[0].params == comparison.pairs[0].params and again.pairs[0].profile == comparison.pairs[0].profile
    np.testing.assert_array_equal(again.pairs[0].similarity, comparison.pairs[0].similarity)
    assert again.coverage(0) == comparison.coverage(0) and again.carriers(1) == comparison.carriers(1)


def test_reopened_comparison_realigns_without_a_model(ws, comparison):
    loaded = ws.load(ws.save(comparison))
    stricter = realign(loaded, Settings(threshold=5.0, match_threshold=5.0))  # no embedder anywhere
    assert not stricter.pairs[0].links


def test_list_and_delete(ws, comparison, fake_embedder):
    first = ws.save(comparison, title="first", author="ana")
    three = compare([*docs(), document_from_text("Putin met Xi in Beijing. Nothing else.", name="c")], fake_embedder)
    second = ws.save(three, author="ben")
    listed = ws.list()
    assert list(listed.id) == [second, first]  # newest first
    row = listed.set_index("id").loc[second]
    assert row.title == "a / b / c" and row.author == "ben" and row.documents == "a, b, c" and row.pairs == 3
    assert row.links == sum(len(p.links) for p in three.pairs) and row.level == "sentence"
    assert ws.delete(second) and not ws.delete(second)
    assert list(ws.list().id) == [first]
    with pytest.raises(WorkspaceError, match=f"no saved comparison {second}"):
        ws.load(second)
    with sqlite3.connect(ws.path) as conn:  # "c" belonged only to the deleted comparison
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_a_workspace_is_required_where_asked(tmp_path):
    with pytest.raises(WorkspaceError, match="no workspace there"):
        Workspace(tmp_path / "missing.db", create=False)
    (tmp_path / "junk.db").write_bytes(b"not a database at all, just bytes" * 10)
    with pytest.raises(WorkspaceError, match="junk.db"):
        Workspace(tmp_path / "junk.db")
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(WorkspaceError, match="not an xling workspace"):
        Workspace(tmp_path / "other.db")


# ---------------------------------------------------------------- corrections


def test_no_corrections_leaves_the_table_as_it_was(ws, comparison):
    corrected = ws.apply(comparison)
    assert list(corrected.table.columns) == [*COLUMNS, *METADATA_COLUMNS, SOURCE_COLUMN]
    assert set(corrected.table[SOURCE_COLUMN]) == {MODEL}
    pd.testing.assert_frame_equal(corrected.table.drop(columns=SOURCE_COLUMN), comparison.to_dataframe())
    assert not corrected.stale and not corrected.applied


def test_reject_confirm_relabel_and_add(ws, comparison):
    pair = comparison.pairs[0]
    assert len(pair.links) >= 3, "the fixture texts should give a few links"
    rejected, confirmed, relabelled = pair.links[:3]
    a_free, b_free = pair.unique_a[0], pair.unique_b[0]
    ws.correct(pair, rejected.a, rejected.b, "reject", author="ana", note="not the same fact")
    ws.correct(pair, confirmed.a, confirmed.b, "confirm", author="ana")
    flipped = "partial" if relabelled.status == "match" else "match"
    ws.correct(pair, relabelled.a, relabelled.b, "relabel", status=flipped, author="ben")
    ws.correct(pair, a_free, b_free, "add", status="partial", author="ben", note="same event, other words")

    corrected = ws.apply(comparison)
    table = corrected.table
    keys = key_rows(table)
    assert not [k for k in keys if k[:2] == (rejected.a, rejected.b)]
    assert (confirmed.a, confirmed.b, confirmed.status, HUMAN) in keys
    assert (relabelled.a, relabelled.b, flipped, HUMAN) in keys
    assert (a_free, b_free, "partial", HUMAN) in keys
    assert (a_free, -1, "unique_a", MODEL) not in keys and (-1, b_free, "unique_b", MODEL) not in keys
    added = table[(table.a_index == a_free) & (table.b_index == b_free)].iloc[0]
    assert added.similarity == pytest.approx(pair.similarity[a_free, b_free], abs=1e-4) and pd.isna(added.score)
    links_after = {(link.a, link.b) for link in corrected.comparison.pairs[0].links}
    for side, index in (("a", rejected.a), ("b", rejected.b)):  # the rejected segments: unique unless linked elsewhere
        linked_elsewhere = any(getattr(link, side) == index for link in corrected.comparison.pairs[0].links)
        unique = (index, -1, "unique_a", HUMAN) if side == "a" else (-1, index, "unique_b", HUMAN)
        assert (unique in keys) != linked_elsewhere
    assert (rejected.a, rejected.b) not in links_after and (a_free, b_free) in links_after
    assert len(corrected.applied) == 4 and not corrected.stale
    assert set(table[SOURCE_COLUMN]) == {MODEL, HUMAN}
    # every segment of both documents is still in the table exactly once as unique or in some link
    assert set(table.a_index.dropna()) == set(range(len(pair.a.segments)))
    assert set(table.b_index.dropna()) == set(range(len(pair.b.segments)))


def test_a_rejected_segment_with_no_other_link_becomes_unique(fake_embedder):
    comparison = compare(docs(), fake_embedder)
    pair = comparison.pairs[0]
    corrections = [make_correction(pair, link.a, link.b, "reject") for link in pair.links]
    table = apply_to_comparison(comparison, corrections).table
    assert set(table.status) == {"unique_a", "unique_b"}
    assert set(rows_of(table, source=HUMAN).a_index.dropna()) == {link.a for link in pair.links}
    assert len(table) == len(pair.a.segments) + len(pair.b.segments)


def test_latest_correction_of_a_link_wins(ws, comparison):
    pair = comparison.pairs[0]
    link = pair.links[0]
    ws.correct(pair, link.a, link.b, "reject", author="ana")
    time.sleep(0.001)
    ws.correct(pair, link.a, link.b, "confirm", status="partial", author="ben", note="it is the same meeting")
    keys = key_rows(ws.apply(comparison).table)
    assert (link.a, link.b, "partial", HUMAN) in keys
    history = ws.corrections_for(document_hash(pair.a.document), document_hash(pair.b.document))
    assert [c.action for c in history] == ["reject", "confirm"] and history[1].note == "it is the same meeting"


def test_removing_a_correction_undoes_it_and_only_it(ws, comparison):
    pair = comparison.pairs[0]
    first, second = pair.links[0], pair.links[1]
    kept = ws.correct(pair, first.a, first.b, "reject")
    undone = ws.correct(pair, second.a, second.b, "reject")
    assert ws.remove_correction(undone.id) is True
    assert ws.remove_correction(undone.id) is False  # already gone
    assert [c.id for c in ws.all_corrections()] == [kept.id]
    links = {(l.a, l.b) for l in ws.apply(comparison).comparison.pairs[0].links}
    assert (second.a, second.b) in links and (first.a, first.b) not in links


def test_corrections_apply_whichever_way_round_the_documents_come(ws, comparison, fake_embedder):
    pair = comparison.pairs[0]
    link = pair.links[0]
    ws.correct(pair, link.a, link.b, "reject")
    swapped = compare(list(reversed(docs())), fake_embedder)
    keys = key_rows(ws.apply(swapped).table)
    assert not [k for k in keys if k[:2] == (link.b, link.a) and k[2] in ("match", "partial")]


@pytest.mark.slow
def test_a_correction_survives_a_restart_and_the_cli_applies_it(tmp_path, monkeypatch, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    monkeypatch.setattr(xling.cli, "_embedder", lambda args: FakeEmbedder())
    db = tmp_path / "team.db"
    comparison = compare([read_document(a), read_document(b)], FakeEmbedder())
    pair = comparison.pairs[0]
    Workspace(db).correct(pair, pair.unique_a[0], pair.unique_b[0], "add", status="match", author="ana")

    out = tmp_path / "out.csv"
    assert main(["align", str(a), str(b), "--workspace", str(db), "-o", str(out), "-q"]) == 0
    table = pd.read_csv(out)
    human = table[table[SOURCE_COLUMN] == HUMAN]
    assert len(human) == 1 and (human.a_index.iloc[0], human.b_index.iloc[0]) == (pair.unique_a[0], pair.unique_b[0])
    assert list(table.columns) == [*COLUMNS, *METADATA_COLUMNS, SOURCE_COLUMN]
    assert main(["align", str(a), str(b), "-o", str(tmp_path / "plain.csv"), "-q"]) == 0  # without --workspace: no source
    assert SOURCE_COLUMN not in pd.read_csv(tmp_path / "plain.csv").columns
    assert main(["align", str(a), str(b), "--workspace", str(tmp_path / "nope.db"), "-q"]) == 1
    assert "no workspace there" in capsys.readouterr().err


@pytest.mark.slow
def test_batch_applies_corrections_in_every_format(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    manifest = folder / "pairs.csv"
    manifest.write_text("pair_id,doc_a,doc_b\np1,a.txt,b.txt\n", encoding="utf-8")
    comparison = compare([read_document(folder / "a.txt", name="a.txt"), read_document(folder / "b.txt", name="b.txt")], FakeEmbedder())
    pair = comparison.pairs[0]
    db = tmp_path / "ws.db"
    Workspace(db).correct(pair, pair.links[0].a, pair.links[0].b, "relabel",
                          status="partial" if pair.links[0].status == "match" else "match")  # fmt: skip
    spec = EmbedderSpec(factory=FakeEmbedder)
    expected = apply_to_comparison(comparison, Workspace(db)).table
    for suffix in ("csv", "json", "parquet"):
        out = tmp_path / f"out.{suffix}"
        report = run_batch(manifest, out, embedder=spec, workspace=db)
        table = read_table(out)
        assert list(table.columns) == [*COLUMNS, *METADATA_COLUMNS, SOURCE_COLUMN], suffix
        assert key_rows(table) == {(a, b, s, src) for a, b, s, src in key_rows(expected)}, suffix
        assert not report.stale
    with pytest.raises(WorkspaceError):
        run_batch(manifest, tmp_path / "x.csv", embedder=spec, workspace=tmp_path / "missing.db")


# ---------------------------------------------------------------- stale corrections


def test_a_correction_whose_segment_changed_is_reported_stale(ws, comparison, fake_embedder, caplog):
    pair = comparison.pairs[0]
    link = pair.links[0]
    ws.correct(pair, link.a, link.b, "confirm", author="ana")
    edited = document_from_text("Breaking: an update was added at the top. " + TEXT_A, name="a")  # same name, offsets moved
    later = compare([edited, docs()[1]], fake_embedder)
    with caplog.at_level(logging.WARNING, logger="xling"):
        corrected = ws.apply(later)
    assert len(corrected.stale) == 1 and not corrected.applied
    stale = corrected.stale[0]
    assert stale.correction.author == "ana" and "a[" in stale.reason
    assert "stale correction #" in caplog.text and "by ana" in caplog.text
    assert HUMAN not in set(corrected.table[SOURCE_COLUMN])


def test_a_correction_still_applies_where_an_edited_document_kept_the_span(ws, comparison, fake_embedder):
    pair = comparison.pairs[0]
    link = pair.links[0]
    ws.correct(pair, link.a, link.b, "reject")
    edited = document_from_text(TEXT_A + "A late paragraph was appended.\n", name="a")  # earlier offsets unchanged
    corrected = ws.apply(compare([edited, docs()[1]], fake_embedder))
    assert len(corrected.applied) == 1 and not corrected.stale
    assert (link.a, link.b) not in {(l.a, l.b) for l in corrected.comparison.pairs[0].links}


def test_other_documents_that_share_the_names_are_left_alone(ws, comparison, fake_embedder):
    pair = comparison.pairs[0]
    ws.correct(pair, pair.links[0].a, pair.links[0].b, "reject")
    other_event = [document_from_text("Floods hit the north. Roads were closed.", name="a"),
                   document_from_text("Floods in the north closed the roads. Schools shut.", name="b")]  # fmt: skip
    corrected = ws.apply(compare(other_event, fake_embedder))
    assert not corrected.stale and not corrected.applied


def test_sentence_corrections_apply_at_paragraph_level_only_where_the_span_is_the_same(fake_embedder):
    one_sentence = "Putin met Xi in Beijing on Wednesday.\n\n"
    text_a = one_sentence + "Trade reached two hundred billion. The forum gathered many countries.\n"
    text_b = "Xi met Putin in Beijing on Wednesday.\n\nTrade reached two hundred billion dollars. Gaza was discussed.\n"
    pair_docs = [document_from_text(text_a, name="a"), document_from_text(text_b, name="b")]
    sentences = compare(pair_docs, fake_embedder).pairs[0]
    keep = make_correction(sentences, 0, 0, "confirm", status="match")  # both sentences are whole paragraphs
    lost = make_correction(sentences, 1, 1, "reject")  # sentences inside a paragraph
    corrected = apply_to_comparison(compare(pair_docs, fake_embedder, Settings(level="paragraph")), [keep, lost])
    assert corrected.applied == (keep,)
    assert len(corrected.stale) == 1 and "at paragraph level" in corrected.stale[0].reason and "sentence level" in corrected.stale[0].reason


# ---------------------------------------------------------------- reliability


def _save_many(path: Path, n: int, who: str) -> None:
    ws = Workspace(path)
    comparison = compare(docs(), FakeEmbedder())
    pair = comparison.pairs[0]
    for i in range(n):
        ws.save(comparison, title=f"{who}-{i}", author=who)
        ws.add_correction(dataclasses.replace(make_correction(pair, pair.links[0].a, pair.links[0].b, "confirm"), note=f"{who}-{i}"))


@pytest.mark.slow
def test_concurrent_threads_lose_nothing(tmp_path):
    path = tmp_path / "ws.db"
    Workspace(path)
    threads = [threading.Thread(target=_save_many, args=(path, 5, f"t{k}")) for k in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ws = Workspace(path)
    assert sorted(ws.list().title) == sorted(f"t{k}-{i}" for k in range(6) for i in range(5))
    assert len(ws.all_corrections()) == 30
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


WRITER = """
import sys
sys.path.insert(0, {tests!r})
from test_workspace import _save_many
_save_many({path!r}, {n}, {who!r})
"""


@pytest.mark.slow
def test_concurrent_processes_lose_nothing(tmp_path):
    path = tmp_path / "ws.db"  # not created first: the processes race to create the schema too
    procs = [subprocess.Popen([sys.executable, "-c", WRITER.format(tests=str(TESTS), path=str(path), n=4, who=f"p{k}")],
                              cwd=ROOT, stderr=subprocess.PIPE) for k in range(3)]  # fmt: skip
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    ws = Workspace(path)
    assert sorted(ws.list().title) == sorted(f"p{k}-{i}" for k in range(3) for i in range(4))
    assert len(ws.all_corrections()) == 12
    for cid in ws.list().id:
        ws.load(int(cid))


KILLED_WRITER = """
import os, sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
import xling.workspace.store as workspace
from workspace_cases import docs
from xling.pipeline import compare

real = workspace._pair_row
def stuck(*args):
    row = real(*args)
    open({marker!r}, "w").close()  # the documents are written, the pairs are not: the transaction is open
    time.sleep(600)
    return row
workspace._pair_row = stuck
workspace.Workspace({path!r}).save(compare(docs(), FakeEmbedder()), title="half")
"""


@pytest.mark.slow
def test_a_writer_killed_mid_save_leaves_the_workspace_consistent(tmp_path, comparison):
    path, marker = tmp_path / "ws.db", tmp_path / "inside"
    ws = Workspace(path)
    kept = ws.save(comparison, title="kept")
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER.format(tests=str(TESTS), path=str(path), marker=str(marker))], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the writer did not reach the middle of its save"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM comparison_documents").fetchone()[0] == 2  # only the kept one's
    after = Workspace(path)
    assert list(after.list().title) == ["kept"]
    pd.testing.assert_frame_equal(after.load(kept).to_dataframe(), comparison.to_dataframe())
    assert after.save(comparison, title="next") > kept  # the lock died with the writer


# ---------------------------------------------------------------- the learning-from-corrections harness


def test_a_corrected_comparison_is_saved_as_the_aligner_made_it(ws, comparison):
    pair = comparison.pairs[0]
    ws.correct(pair, pair.links[0].a, pair.links[0].b, "reject")
    corrected = ws.apply(comparison)
    reopened = ws.load(ws.save(corrected))
    pd.testing.assert_frame_equal(reopened.to_dataframe(), comparison.to_dataframe())
    pd.testing.assert_frame_equal(ws.apply(reopened).table, corrected.table)


@pytest.mark.slow
def test_the_seed_comparison_reopens_identically_and_the_cli_applies_a_correction(seed_comparison, seed_paths, tmp_path):
    db = tmp_path / "ws.db"
    ws = Workspace(db)
    reopened = ws.load(ws.save(seed_comparison))
    pd.testing.assert_frame_equal(reopened.to_dataframe(), seed_comparison.to_dataframe())
    pair = reopened.pairs[0]
    link = pair.links[0]
    ws.correct(pair, link.a, link.b, "reject", author="ana", note="checked by hand")
    out = tmp_path / "out.csv"
    assert main(["align", *map(str, seed_paths), "--workspace", str(db), "-o", str(out), "-q"]) == 0
    table = pd.read_csv(out)
    assert not len(table[(table.a_index == link.a) & (table.b_index == link.b)])
    assert set(table[SOURCE_COLUMN]) <= {MODEL, HUMAN}
