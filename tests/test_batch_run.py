"""xling/batch/run.py: a batch run end to end (the table, the summary, windows, bad documents, the CLI's progress)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import FakeEmbedder
from batch_corpus import corpus, expected_table, pair_manifest

from xling.batch.run import run_batch
from xling.cli import main
from xling.export import read_table, to_bytes
from xling.pipeline import prepare


@pytest.mark.slow
def test_table_is_each_pair_aligned_on_its_own_and_each_document_encoded_once(manifest, tmp_path):
    fake = FakeEmbedder()
    report = run_batch(manifest, tmp_path / "out" / "table.csv", embedder=fake, chunk_docs=3)
    assert report.failed == () and report.pairs == 7
    assert (tmp_path / "out" / "table.csv").read_bytes() == to_bytes(expected_table(manifest), "csv")
    segments = sum(len(p.segments) for p in prepare([_doc(manifest.parent / f"d{i}.txt") for i in range(6)], FakeEmbedder()))
    assert fake.texts_encoded == segments  # six documents in several chunks, each encoded once
    assert not (tmp_path / "out" / "table.csv.parts").exists()


def _doc(path: Path):
    from xling.io import read_document

    return read_document(path, name=path.name)


@pytest.mark.slow
def test_summary_has_a_row_per_pair_in_manifest_order(manifest, tmp_path):
    report = run_batch(manifest, tmp_path / "t.parquet", embedder=FakeEmbedder())
    summary = pd.read_csv(report.summary)
    assert report.summary == tmp_path / "t.summary.csv"  # named after the output
    assert list(summary.pair_id) == [f"p{k}" for k in range(7)]
    assert set(summary.status) == {"ok"} and (summary.segments_a > 0).all() and summary.coverage_a.between(0, 1).all()
    table = read_table(tmp_path / "t.parquet")
    links = table[table.status.isin(["match", "partial"])].groupby("pair_id").size()
    assert summary.set_index("pair_id").linked_pairs.to_dict() == {p: int(links.get(p, 0)) for p in summary.pair_id}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_windows_stream_into_the_same_table(manifest, tmp_path, monkeypatch, fmt):
    whole = run_batch(manifest, tmp_path / f"whole.{fmt}", embedder=FakeEmbedder(), summary_path=tmp_path / "s1.csv")
    monkeypatch.setattr("xling.batch.run.WINDOW_PAIRS", 2)  # four windows, assembled one after the other
    windowed = run_batch(manifest, tmp_path / f"windowed.{fmt}", embedder=FakeEmbedder(), summary_path=tmp_path / "s2.csv")
    pd.testing.assert_frame_equal(read_table(whole.output), read_table(windowed.output))
    assert whole.summary.read_bytes() == windowed.summary.read_bytes()


def test_bad_documents_fail_only_their_own_pairs(tmp_path, fake_model, capsys):
    corpus(tmp_path, 3)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "blank.txt").write_text("  \n")
    (tmp_path.parent / "outside.txt").write_text("Secret text that is not part of this corpus at all.")
    manifest = pair_manifest(tmp_path, [
        ("good", "d0.txt", "d1.txt"), ("missing", "d0.txt", "nope.txt"), ("pdf", "scan.pdf", "d2.txt"),
        ("blank", "d1.txt", "blank.txt"), ("escape", "../outside.txt", "d2.txt"), ("also-good", "d2.txt", "d0.txt"),
    ])  # fmt: skip
    out = tmp_path / "out.csv"
    code = main(["batch", str(manifest), "-o", str(out), "--model", fake_model, "-q"])
    err = capsys.readouterr().err
    assert code == 3
    assert list(pd.read_csv(out).pair_id.unique()) == ["good", "also-good"]
    assert "pair missing failed: nope.txt: no such file" in err
    assert "pair pdf failed: scan.pdf: not a readable PDF" in err
    assert "pair blank failed: blank.txt: empty document" in err
    assert "pair escape failed: ../outside.txt: path leads outside the manifest's folder" in err
    assert "Traceback" not in err
    summary = pd.read_csv(tmp_path / "out.summary.csv").set_index("pair_id")
    assert summary.status.to_dict() == {"good": "ok", "missing": "failed", "pdf": "failed", "blank": "failed", "escape": "failed", "also-good": "ok"}


def test_a_document_over_the_segment_limit_fails_only_its_pairs(tmp_path, fake_model, capsys):
    corpus(tmp_path, 3)
    (tmp_path / "long.txt").write_text("One sentence here. " * 30, encoding="utf-8")
    manifest = pair_manifest(tmp_path, [("good", "d0.txt", "d1.txt"), ("long", "long.txt", "d2.txt"), ("also", "d2.txt", "d1.txt")])
    code = main(["batch", str(manifest), "-o", str(tmp_path / "out.csv"), "--model", fake_model, "-q", "--max-segments", "20"])
    err = capsys.readouterr().err
    assert code == 3 and "pair long failed: long.txt: 30 sentences, over the limit of 20" in err
    assert list(pd.read_csv(tmp_path / "out.csv").pair_id.unique()) == ["good", "also"]


@pytest.mark.slow
def test_cli_reports_progress_and_the_interruption(manifest, tmp_path, fake_model, capsys, monkeypatch):
    out = tmp_path / "t.csv"
    assert main(["batch", str(manifest), "-o", str(out), "--model", fake_model]) == 0
    err = capsys.readouterr().err
    assert "7/7 pairs" in err and "pairs/min" in err and "7 of 7 pairs aligned" in err
    assert main(["batch", str(manifest), "-o", str(out), "--model", fake_model, "-q"]) == 0
    assert capsys.readouterr().err == ""

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("xling.batch.run.run_batch", interrupted)
    assert main(["batch", str(manifest), "-o", str(out), "--model", fake_model]) == 130
    assert "rerun with --resume" in capsys.readouterr().err
