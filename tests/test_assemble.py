"""xling/batch/assemble.py: per-group coverage from the table, and the final files checked first and written whole."""
from __future__ import annotations

from types import SimpleNamespace

import os

import pandas as pd
import pytest
from conftest import FakeEmbedder

from xling.batch.run import run_batch
from xling.cli import main

from xling.batch.assemble import ANY_OTHER, GROUP_COVERAGE_COLUMNS, GroupCoverage


def row(pair: str, a: str, b: str, status: str, ai: int | None, bi: int | None, a_len: int = 0, b_len: int = 0) -> dict:
    return {"pair_id": pair, "doc_a": a, "doc_b": b, "status": status,
            "a_index": ai, "a_start": 0, "a_end": a_len, "b_index": bi, "b_start": 0, "b_end": b_len}  # fmt: skip


# Group g: x (segments 0: 10 chars, 1: 30 chars), y (0: 20 chars), z (0: 40 chars).
# x-y links x0 with y0; x-z links x1 with z0; x0 is unlinked in x-z.
TABLE = pd.DataFrame([
    row("g:x--y", "x", "y", "match", 0, 0, 10, 20), row("g:x--y", "x", "y", "unique_a", 1, None, a_len=30),
    row("g:x--z", "x", "z", "partial", 1, 0, 30, 40), row("g:x--z", "x", "z", "unique_a", 0, None, a_len=10),
    row("h:p--q", "p", "q", "unique_b", None, 0, b_len=5),
])  # fmt: skip
PLAN = SimpleNamespace(pairs=[SimpleNamespace(pair_id=p, group_id=p.split(":")[0]) for p in ("g:x--y", "g:x--z", "h:p--q")],
                       groups={"g": ("x", "y", "z"), "h": ("p", "q")})  # fmt: skip


def shares(frame: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    assert list(frame.columns) == list(GROUP_COVERAGE_COLUMNS)
    return {(r.group_id, r.doc, r.covered_by): r.share for r in frame.itertuples()}


def test_each_document_is_covered_by_each_other_and_by_any_in_the_group_order():
    coverage = GroupCoverage(PLAN)
    done = coverage.add(TABLE)  # the window completes group g; h is still open
    assert shares(done) == {
        ("g", "x", "y"): 0.25, ("g", "x", "z"): 0.75, ("g", "x", ANY_OTHER): 1.0,
        ("g", "y", "x"): 1.0, ("g", "y", ANY_OTHER): 1.0, ("g", "z", "x"): 1.0, ("g", "z", ANY_OTHER): 1.0,
    }  # fmt: skip
    assert list(done.doc.drop_duplicates()) == ["x", "y", "z"]
    assert shares(coverage.finish()) == {("h", "q", "p"): 0.0, ("h", "q", ANY_OTHER): 0.0}
    assert coverage.finish().empty  # nothing left open


def test_a_group_split_across_windows_is_reported_once_whole():
    coverage = GroupCoverage(PLAN)
    first = coverage.add(TABLE.iloc[:2])
    assert first.empty  # group g may go on in the next window
    whole = pd.concat([coverage.add(TABLE.iloc[2:]), coverage.finish()], ignore_index=True)
    one_go = GroupCoverage(PLAN)
    expected = pd.concat([one_go.add(TABLE), one_go.finish()], ignore_index=True)
    pd.testing.assert_frame_equal(whole, expected)
    assert shares(whole)[("g", "x", "z")] == pytest.approx(0.75)


def test_a_bad_output_path_fails_before_any_work_and_leaves_nothing(manifest, tmp_path, fake_model, capsys):
    (tmp_path / "taken").mkdir()
    embedder = FakeEmbedder()
    with pytest.raises(Exception, match="taken: is a folder; give a file name"):
        run_batch(manifest, tmp_path / "taken", embedder=embedder)
    assert embedder.calls == 0
    assert main(["batch", str(manifest), "-o", str(tmp_path / "taken"), "--model", fake_model]) == 1
    assert capsys.readouterr().err == f"xling: error: {tmp_path / 'taken'}: is a folder; give a file name for the output\n"
    assert main(["batch", str(manifest), "-o", str(tmp_path / "t.csv"), "--summary", str(tmp_path / "taken"), "--model", fake_model]) == 1
    assert "taken: is a folder" in capsys.readouterr().err
    assert main(["batch", str(manifest), "-o", str(tmp_path / "t.xls"), "--model", fake_model]) == 2
    assert "unknown table format '.xls'" in capsys.readouterr().err
    assert main(["batch", str(manifest), "-o", str(tmp_path / "t.xlsx"), "--model", fake_model]) == 2
    assert f"{tmp_path / 't.xlsx'}: batch writes csv, json, parquet, not 'xlsx'" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.parts")) and not list(tmp_path.glob("*summary*")) and not (tmp_path / "t.csv").exists()


def test_a_fifo_as_batch_output_is_refused(manifest, tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with pytest.raises(Exception, match="out.csv: is not a regular file"):
        run_batch(manifest, fifo, embedder=FakeEmbedder())


@pytest.mark.slow
def test_a_full_disk_at_the_end_names_the_file_and_leaves_no_summary(manifest, tmp_path, monkeypatch):
    from xling.batch import assemble
    from xling.errors import OutputError

    real_finish = assemble._TableSink._finish

    def disk_full(self):
        real_finish(self)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(assemble._TableSink, "_finish", disk_full)
    with pytest.raises(OutputError, match=r"t\.csv: cannot write \(No space left on device\)"):
        run_batch(manifest, tmp_path / "t.csv", embedder=FakeEmbedder())
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".txt")) == ["pairs.csv", "t.csv.parts"]  # kept for --resume
    monkeypatch.undo()
    report = run_batch(manifest, tmp_path / "t.csv", embedder=FakeEmbedder(), resume=True)
    assert report.resumed == 7 and report.summary.exists()


@pytest.mark.slow
def test_summaries_are_named_after_the_output_so_two_runs_keep_their_own(manifest, tmp_path):
    first = run_batch(manifest, tmp_path / "first.csv", embedder=FakeEmbedder())
    second = run_batch(manifest, tmp_path / "second.parquet", embedder=FakeEmbedder())
    assert (first.summary.name, second.summary.name) == ("first.summary.csv", "second.summary.csv")
    assert first.summary.exists() and second.summary.exists() and not (tmp_path / "summary.csv").exists()
