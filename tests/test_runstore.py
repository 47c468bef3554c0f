"""xling/batch/runstore.py: the work folder's journal, and resuming after an interruption, a crash or a changed document."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import FakeEmbedder
from batch_corpus import ROOT, article

from xling.batch.run import run_batch
from xling.batch.runstore import JOURNAL


def stop_after(pairs: int):
    def progress(done: int, total: int) -> None:
        if done >= pairs:
            raise KeyboardInterrupt

    return progress


@pytest.mark.slow
def test_resume_after_an_interruption_finishes_the_rest_without_redoing_anything(manifest, tmp_path):
    reference = run_batch(manifest, tmp_path / "ref" / "t.csv", embedder=FakeEmbedder(), chunk_docs=2)
    out = tmp_path / "run" / "t.csv"
    first = FakeEmbedder()
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=first, chunk_docs=2, progress=stop_after(3))
    journal = [json.loads(line) for line in (tmp_path / "run" / "t.csv.parts" / JOURNAL).read_text().splitlines()]
    done = [p for entry in journal for p in entry["ok"]]
    assert 3 <= len(done) < 7 and not out.exists()
    with pytest.raises(Exception, match="unfinished run: finish it with --resume"):
        run_batch(manifest, out, embedder=FakeEmbedder())
    second = FakeEmbedder()
    report = run_batch(manifest, out, embedder=second, chunk_docs=2, resume=True)
    assert report.resumed == len(done)
    assert out.read_bytes() == reference.output.read_bytes()
    assert report.summary.read_bytes() == reference.summary.read_bytes()
    assert second.calls <= 7 - len(done)  # only the chunks left were prepared
    assert not (tmp_path / "run" / "t.csv.parts").exists()


def test_resume_refuses_a_different_manifest(manifest, tmp_path):
    out = tmp_path / "t.csv"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(1))
    manifest.write_text(manifest.read_text().replace("p6,", "p7,"))
    with pytest.raises(Exception, match="started with another manifest"):
        run_batch(manifest, out, embedder=FakeEmbedder(), resume=True)


KILLED_RUN = """
import sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
from xling.batch.run import run_batch

class SlowFake(FakeEmbedder):
    def encode(self, texts):
        time.sleep(0.3)
        return super().encode(texts)

run_batch({manifest!r}, {out!r}, embedder=SlowFake(), chunk_docs=2)
"""


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_bytes(manifest, tmp_path):
    reference = run_batch(manifest, tmp_path / "ref" / "t.parquet", embedder=FakeEmbedder(), chunk_docs=2)
    out = tmp_path / "run" / "t.parquet"
    script = KILLED_RUN.format(tests=str(ROOT / "tests"), manifest=str(manifest), out=str(out))
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=os.environ | {"PYTHONPATH": str(ROOT)})
    journal = tmp_path / "run" / "t.parquet.parts" / JOURNAL
    deadline = time.monotonic() + 60
    while not (journal.exists() and journal.read_text().count("\n") >= 2) and time.monotonic() < deadline:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)  # no cleanup of any kind runs
    child.wait()
    assert journal.exists() and not out.exists()
    report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True)
    assert 2 <= report.resumed < 7
    assert out.read_bytes() == reference.output.read_bytes()
    assert report.summary.read_bytes() == reference.summary.read_bytes()


@pytest.mark.slow
def test_a_torn_journal_line_is_redone(manifest, tmp_path):
    reference = run_batch(manifest, tmp_path / "ref" / "t.csv", embedder=FakeEmbedder(), chunk_docs=2)
    out = tmp_path / "t.csv"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(3))
    journal = tmp_path / "t.csv.parts" / JOURNAL
    journal.write_bytes(journal.read_bytes() + b'{"chunk": "r9-w00000-c0')  # killed halfway through a line
    report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True)
    assert out.read_bytes() == reference.output.read_bytes() and report.failed == ()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_resume_redoes_exactly_the_pairs_of_a_document_that_changed(manifest, tmp_path, fmt):
    out = tmp_path / "run" / f"t.{fmt}"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(4))
    journal = [json.loads(line) for line in (tmp_path / "run" / f"t.{fmt}.parts" / JOURNAL).read_text().splitlines()]
    done = [p for entry in journal for p in entry["ok"]]
    assert "p0" in done  # d0.txt's pair, aligned before the edit
    (tmp_path / "d0.txt").write_text("An edited article. It now says the summit moved to Rome.\n" + article(0), encoding="utf-8")
    report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True)
    fresh = run_batch(manifest, tmp_path / "fresh" / f"t.{fmt}", embedder=FakeEmbedder(), chunk_docs=2)
    assert out.read_bytes() == fresh.output.read_bytes()
    assert report.summary.read_bytes() == fresh.summary.read_bytes()
    uses_d0 = {"p0", "p4", "p6"}
    assert report.resumed == len(set(done) - uses_d0)  # every other finished pair is kept as it was


@pytest.mark.slow
def test_resume_fails_the_pairs_of_a_document_deleted_since(manifest, tmp_path):
    out = tmp_path / "run" / "t.csv"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(7))
    (tmp_path / "d5.txt").unlink()
    report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True)
    fresh = run_batch(manifest, tmp_path / "fresh" / "t.csv", embedder=FakeEmbedder(), chunk_docs=2)
    assert [p for p, _ in report.failed] == ["p3", "p4"] == [p for p, _ in fresh.failed]
    assert out.read_bytes() == fresh.output.read_bytes()


def _correct_first_link(workspace, manifest, pair_id: str) -> None:
    """Reject the first link the aligner makes in ``pair_id`` of the manifest, in ``workspace``."""
    from xling.io import read_document
    from xling.pipeline import compare
    from xling.workspace.store import Workspace

    row = next(line.split(",") for line in manifest.read_text().splitlines()[1:] if line.startswith(pair_id + ","))
    pair = compare([read_document(manifest.parent / n, name=n) for n in row[1:3]], FakeEmbedder()).pairs[0]
    Workspace(workspace).correct(pair, pair.links[0].a, pair.links[0].b, "reject")


@pytest.mark.slow
@pytest.mark.parametrize("started_with_workspace", [True, False])
def test_a_resumed_run_redoes_the_pairs_whose_corrections_changed(manifest, tmp_path, started_with_workspace, caplog):
    db = tmp_path / "ws.db"
    _correct_first_link(db, manifest, "p0")
    out = tmp_path / "run" / "t.csv"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(3),
                  workspace=db if started_with_workspace else None)  # fmt: skip
    journal = [json.loads(line) for line in (tmp_path / "run" / "t.csv.parts" / JOURNAL).read_text().splitlines()]
    done = [p for entry in journal for p in entry["ok"]]
    assert "p0" in done and len(done) < 7
    _correct_first_link(db, manifest, done[-1])  # a pair done before the interruption gains a correction
    with caplog.at_level("WARNING", logger="xling"):
        report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True, workspace=db)
    reference = run_batch(manifest, tmp_path / "ref" / "t.csv", embedder=FakeEmbedder(), chunk_docs=2, workspace=db)
    assert out.read_bytes() == reference.output.read_bytes()
    # with the workspace from the start, only the pair whose corrections changed; without, every pair done before
    redone = {done[-1]} if started_with_workspace else set(done)
    assert report.resumed == len(set(done) - redone)
    assert "they are aligned again" in caplog.text
