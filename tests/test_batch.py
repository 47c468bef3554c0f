"""Batch runs: manifests, groups, folders, bad inputs, resume after a crash, and the Dask engine against the local one."""
from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import FakeEmbedder

from xling.batch.run import run_batch
from xling.batch.chunks import plan_chunks
from xling.cli import main
from xling.batch.engines import EmbedderSpec
from xling.export import read_table, to_bytes
from xling.batch.manifest import PairTask
from xling.pipeline import align_pair, prepare
from xling.batch.runstore import JOURNAL
from xling.types import Settings

ROOT = Path(__file__).resolve().parent.parent
FACTS = [
    "The summit opened in Beijing on Tuesday with twenty delegations.",
    "Prices of wheat rose by nine percent after the harbour closed.",
    "The minister said the bridge will reopen in March.",
    "Rescue teams found three survivors under the collapsed school.",
    "Voters in the northern provinces backed the new governor.",
    "The orchestra cancelled its tour because of a strike at the airport.",
    "Scientists counted four hundred wolves in the national park.",
    "The court fined the company for dumping oil in the river.",
]


def article(seed: int, n: int = 5) -> str:
    """A small article: ``n`` of the facts, picked and ordered by ``seed``, plus one sentence of its own."""
    picked = [FACTS[(seed * 3 + k * 5) % len(FACTS)] for k in range(n)]
    return " ".join(dict.fromkeys(picked)) + f" Only article {seed} reports that the mayor number {seed} resigned.\n"


def corpus(folder: Path, n_docs: int = 6) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n_docs):
        (folder / f"d{i}.txt").write_text(article(i), encoding="utf-8")
        names.append(f"d{i}.txt")
    return names


def pair_manifest(folder: Path, pairs: list[tuple[str, str, str]]) -> Path:
    path = folder / "pairs.csv"
    path.write_text("pair_id,doc_a,doc_b\n" + "".join(f"{p},{a},{b}\n" for p, a, b in pairs), encoding="utf-8")
    return path


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    names = corpus(tmp_path)
    pairs = [(f"p{k}", names[a], names[b]) for k, (a, b) in enumerate([(0, 1), (2, 3), (1, 2), (4, 5), (0, 5), (3, 4), (1, 0)])]
    return pair_manifest(tmp_path, pairs)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> str:
    """``--model fake`` on the command line: the deterministic bag-of-words embedder."""
    from xling import embed

    monkeypatch.setitem(embed.ALIASES, "fake", FakeEmbedder)
    return "fake"


def expected_table(manifest: Path) -> pd.DataFrame:
    """What the batch table must be: each pair aligned on its own, in manifest order."""
    rows = pd.read_csv(manifest)
    from xling.io import read_document

    embedder = FakeEmbedder()
    docs = {n: read_document(manifest.parent / n, name=n) for n in dict.fromkeys([*rows.doc_a, *rows.doc_b])}
    prepared = {p.name: p for p in prepare(list(docs.values()), embedder)}
    frames = [align_pair(prepared[r.doc_a], prepared[r.doc_b], Settings(), r.pair_id).to_dataframe() for r in rows.itertuples()]
    return pd.concat(frames, ignore_index=True)


# --- chunks -----------------------------------------------------------------------------------


def tasks(pairs: list[tuple[str, str]]) -> list[PairTask]:
    return [PairTask(index=i, pair_id=f"p{i}", group_id="", doc_a=a, doc_b=b) for i, (a, b) in enumerate(pairs)]


@pytest.mark.parametrize("max_docs,max_pairs", [(2, 64), (3, 2), (4, 64), (24, 5), (100, 100)])
def test_chunks_hold_every_pair_once_within_their_limits(max_docs, max_pairs):
    pairs = tasks([(f"d{i % 7}", f"d{(i * 3 + 1) % 11}") for i in range(40)])
    chunks = plan_chunks(pairs, max_docs, max_pairs)
    placed = [p.pair_id for chunk in chunks for p in chunk]
    assert sorted(placed) == sorted(p.pair_id for p in pairs) and len(placed) == len(set(placed))
    for chunk in chunks:
        assert len(chunk) <= max_pairs
        assert len({d for p in chunk for d in (p.doc_a, p.doc_b)}) <= max(max_docs, 2)
        assert [p.index for p in chunk] == sorted(p.index for p in chunk)


def test_chunks_keep_the_pairs_of_a_document_together():
    # Two stars, interleaved in the manifest: a chunk per star, not a chunk per stretch of manifest.
    pairs = tasks([("hub1", f"a{i}") if i % 2 else ("hub2", f"b{i}") for i in range(16)])
    chunks = plan_chunks(pairs, max_docs=9, max_pairs=64)
    assert [{p.doc_a for p in chunk} for chunk in chunks] == [{"hub2"}, {"hub1"}]


# --- the library ------------------------------------------------------------------------------


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


def test_summary_has_a_row_per_pair_in_manifest_order(manifest, tmp_path):
    report = run_batch(manifest, tmp_path / "t.parquet", embedder=FakeEmbedder())
    summary = pd.read_csv(report.summary)
    assert report.summary == tmp_path / "t.summary.csv"  # named after the output
    assert list(summary.pair_id) == [f"p{k}" for k in range(7)]
    assert set(summary.status) == {"ok"} and (summary.segments_a > 0).all() and summary.coverage_a.between(0, 1).all()
    table = read_table(tmp_path / "t.parquet")
    links = table[table.status.isin(["match", "partial"])].groupby("pair_id").size()
    assert summary.set_index("pair_id").linked_pairs.to_dict() == {p: int(links.get(p, 0)) for p in summary.pair_id}


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_windows_stream_into_the_same_table(manifest, tmp_path, monkeypatch, fmt):
    whole = run_batch(manifest, tmp_path / f"whole.{fmt}", embedder=FakeEmbedder(), summary_path=tmp_path / "s1.csv")
    monkeypatch.setattr("xling.batch.run.WINDOW_PAIRS", 2)  # four windows, assembled one after the other
    windowed = run_batch(manifest, tmp_path / f"windowed.{fmt}", embedder=FakeEmbedder(), summary_path=tmp_path / "s2.csv")
    pd.testing.assert_frame_equal(read_table(whole.output), read_table(windowed.output))
    assert whole.summary.read_bytes() == windowed.summary.read_bytes()


# --- bad input --------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "content,message",
    [
        ("id,a,b\nx,d0.txt,d1.txt\n", "needs columns pair_id,doc_a,doc_b (pairs) or group_id,doc (groups); found id,a,b"),
        ("pair_id,doc_a\nx,d0.txt\n", "found pair_id,doc_a"),
        ("pair_id,doc_a,doc_b\nx,d0.txt,d1.txt\nx,d1.txt,d2.txt\n", "duplicate pair_id 'x' on lines 2 and 3"),
        ("pair_id,doc_a,doc_b\nx,d0.txt,\n", "line 2 has an empty doc_b"),
        ("pair_id,doc_a,doc_b\n", "no pairs"),
        ("group_id,doc\ng,d0.txt\ng,d1.txt\ng,d0.txt\n", "document 'd0.txt' listed twice in group 'g' (lines 2 and 4)"),
        ("group_id,doc\ng,d0.txt\nh,d1.txt\n", "no group has two documents"),
        ("", "found none"),
    ],
)
def test_malformed_manifests_are_one_clear_line(tmp_path, fake_model, capsys, content, message):
    corpus(tmp_path, 3)
    (tmp_path / "m.csv").write_text(content, encoding="utf-8")
    assert main(["batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "o.csv"), "--model", fake_model]) == 1
    err = capsys.readouterr().err
    assert err.startswith("xling: error: ") and message in err and err.count("\n") == 1, err


def test_missing_manifest_and_stdout_output_are_refused(tmp_path, fake_model, capsys):
    assert main(["batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv")]) == 1
    assert "none.csv: no such manifest file or folder" in capsys.readouterr().err
    (tmp_path / "m.csv").write_text("pair_id,doc_a,doc_b\nx,a,b\n")
    assert main(["batch", str(tmp_path / "m.csv")]) == 2
    assert "batch writes a file" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "o.csv"), "--workers", "2"]) == 2
    assert "need --engine dask" in capsys.readouterr().err


# --- groups and folders -----------------------------------------------------------------------


def test_group_manifest_aligns_every_pair_of_each_group(tmp_path, fake_model, capsys):
    corpus(tmp_path, 5)
    (tmp_path / "copy.txt").write_text(article(0), encoding="utf-8")
    (tmp_path / "groups.csv").write_text("group_id,doc\nsummit,d0.txt\nsummit,d1.txt\nsummit,copy.txt\nwolves,d3.txt\nwolves,d4.txt\n")
    out = tmp_path / "out.parquet"
    assert main(["batch", str(tmp_path / "groups.csv"), "-o", str(out), "--model", fake_model, "-q"]) == 0
    summary = pd.read_csv(tmp_path / "out.summary.csv")
    assert list(summary.pair_id) == ["summit:d0--d1", "summit:d0--copy", "summit:d1--copy", "wolves:d3--d4"]
    assert list(summary.group_id) == ["summit"] * 3 + ["wolves"]
    assert list(read_table(out).pair_id.unique()) == list(summary.pair_id)
    coverage = pd.read_csv(tmp_path / "out.group_coverage.csv")
    assert list(coverage.columns) == ["group_id", "doc", "covered_by", "share"]
    summit = coverage[coverage.group_id == "summit"].set_index(["doc", "covered_by"]).share
    assert summit["d0.txt", "copy.txt"] == 1.0 and summit["copy.txt", "d0.txt"] == 1.0  # an exact copy covers everything
    assert summit["d0.txt", "(any)"] == 1.0
    assert summit["d1.txt", "(any)"] >= max(summit["d1.txt", "d0.txt"], summit["d1.txt", "copy.txt"])
    # The pairwise shares are the pairs' own coverage figures.
    first = summary.iloc[0]
    assert summit["d0.txt", "d1.txt"] == first.coverage_a and summit["d1.txt", "d0.txt"] == first.coverage_b
    assert list(coverage.doc.unique()) == ["d0.txt", "d1.txt", "copy.txt", "d3.txt", "d4.txt"]


def test_a_folder_of_sub_folders_is_a_set_of_groups(tmp_path, fake_model, capsys):
    for group, seeds in (("event-a", (0, 1, 2)), ("event-b", (3, 4))):
        (tmp_path / "in" / group).mkdir(parents=True)
        for s in seeds:
            (tmp_path / "in" / group / f"art{s}.{'md' if s == 2 else 'txt'}").write_text(article(s), encoding="utf-8")
    (tmp_path / "in" / "event-b" / "notes.csv").write_text("not an article")
    (tmp_path / "in" / "loose.txt").write_text(article(7))
    out = tmp_path / "out" / "table.csv"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--model", fake_model, "-q"]) == 0
    summary = pd.read_csv(tmp_path / "out" / "table.summary.csv")
    assert list(summary.pair_id) == ["event-a:art0--art1", "event-a:art0--art2", "event-a:art1--art2", "event-b:art3--art4"]
    assert list(summary.doc_a) == ["event-a/art0.txt", "event-a/art0.txt", "event-a/art1.txt", "event-b/art3.txt"]
    assert "loose.txt" not in set(pd.read_csv(out).doc_a) and (tmp_path / "out" / "table.group_coverage.csv").exists()


# --- interruption and resume ------------------------------------------------------------------


def stop_after(pairs: int):
    def progress(done: int, total: int) -> None:
        if done >= pairs:
            raise KeyboardInterrupt

    return progress


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


def test_a_torn_journal_line_is_redone(manifest, tmp_path):
    reference = run_batch(manifest, tmp_path / "ref" / "t.csv", embedder=FakeEmbedder(), chunk_docs=2)
    out = tmp_path / "t.csv"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(3))
    journal = tmp_path / "t.csv.parts" / JOURNAL
    journal.write_bytes(journal.read_bytes() + b'{"chunk": "r9-w00000-c0')  # killed halfway through a line
    report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True)
    assert out.read_bytes() == reference.output.read_bytes() and report.failed == ()


def test_cli_reports_progress_and_the_interruption(manifest, tmp_path, fake_model, capsys, monkeypatch):
    out = tmp_path / "t.csv"
    assert main(["batch", str(manifest), "-o", str(out), "--model", fake_model]) == 0
    err = capsys.readouterr().err
    assert "7/7 pairs" in err and "pairs/min" in err and "7 of 7 pairs aligned" in err
    assert main(["batch", str(manifest), "-o", str(out), "--model", fake_model, "-q"]) == 0
    assert capsys.readouterr().err == ""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("xling.batch.run.run_batch", interrupted)
    assert main(["batch", str(manifest), "-o", str(out), "--model", fake_model]) == 130
    assert "rerun with --resume" in capsys.readouterr().err


# --- Dask -------------------------------------------------------------------------------------


def test_dask_engine_matches_the_local_engine_and_builds_one_embedder_per_worker(manifest, tmp_path, fake_by_value):
    from dask.distributed import Client, LocalCluster

    from xling.batch.engines import worker_builds

    local = run_batch(manifest, tmp_path / "local.parquet", embedder=FakeEmbedder(), chunk_docs=2, summary_path=tmp_path / "s1.csv")
    started = run_batch(manifest, tmp_path / "dask.parquet", embedder=fake_by_value, engine="dask", workers=2,
                        chunk_docs=2, summary_path=tmp_path / "s2.csv")  # fmt: skip
    assert started.output.read_bytes() == local.output.read_bytes()
    assert started.summary.read_bytes() == local.summary.read_bytes()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        remote = run_batch(manifest, tmp_path / "remote.parquet", embedder=fake_by_value, engine="dask",
                           scheduler=cluster.scheduler_address, chunk_docs=2, summary_path=tmp_path / "s3.csv")  # fmt: skip
        builds = client.run(worker_builds)
    assert remote.output.read_bytes() == local.output.read_bytes()
    assert sum(b.get(FakeEmbedder.model_id, 0) for b in builds.values()) <= 2  # 5 chunks, at most one build per worker
    assert all(b.get(FakeEmbedder.model_id, 0) <= 1 for b in builds.values())


class DiesOnce(FakeEmbedder):
    """Kills its worker process on its first encode of the run (a crash, an OOM kill): Dask must redo that chunk."""

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker = Path(marker)

    def encode(self, texts):
        if not self.marker.exists():
            self.marker.write_text("died")
            os._exit(1)
        return super().encode(texts)


def test_a_lost_dask_worker_costs_only_its_chunks(manifest, tmp_path, fake_by_value):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        spec = EmbedderSpec(factory=functools.partial(DiesOnce, str(tmp_path / "died")))
        lost = run_batch(manifest, tmp_path / "lost.parquet", embedder=spec, engine="dask", workers=2, chunk_docs=2)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    local = run_batch(manifest, tmp_path / "local.parquet", embedder=FakeEmbedder(), chunk_docs=2, summary_path=tmp_path / "s.csv")
    assert (tmp_path / "died").exists() and lost.failed == ()
    assert lost.output.read_bytes() == local.output.read_bytes()


def test_dask_engine_needs_a_spec_not_an_embedder(manifest, tmp_path):
    with pytest.raises(ValueError, match="EmbedderSpec"):
        run_batch(manifest, tmp_path / "t.csv", embedder=FakeEmbedder(), engine="dask")


@pytest.mark.slow
def test_real_model_local_and_dask_give_the_same_bytes(seed_paths, tmp_path, capsys):
    for p in seed_paths:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "groups.csv").write_text("group_id,doc\n" + "".join(f"seeds,{p.name}\n" for p in seed_paths))
    common = ["--summary", str(tmp_path / "s.csv"), "--group-coverage", str(tmp_path / "g.csv"), "-q"]
    assert main(["batch", str(tmp_path / "groups.csv"), "-o", str(tmp_path / "local.parquet"), *common, "--no-cache"]) == 0
    local = [(tmp_path / n).read_bytes() for n in ("local.parquet", "s.csv", "g.csv")]
    assert main(["batch", str(tmp_path / "groups.csv"), "-o", str(tmp_path / "dask.parquet"), *common, "--no-cache",
                 "--engine", "dask", "--workers", "2"]) == 0  # fmt: skip
    assert [(tmp_path / n).read_bytes() for n in ("dask.parquet", "s.csv", "g.csv")] == local
    summary = pd.read_csv(tmp_path / "s.csv")
    assert summary.linked_pairs.iloc[0] > 5 and set(summary.status) == {"ok"}


# --- resume after a document changed, and outputs checked first (issue 12, items 1 and 9) ------------------


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


def test_resume_fails_the_pairs_of_a_document_deleted_since(manifest, tmp_path):
    out = tmp_path / "run" / "t.csv"
    with pytest.raises(KeyboardInterrupt):
        run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, progress=stop_after(7))
    (tmp_path / "d5.txt").unlink()
    report = run_batch(manifest, out, embedder=FakeEmbedder(), chunk_docs=2, resume=True)
    fresh = run_batch(manifest, tmp_path / "fresh" / "t.csv", embedder=FakeEmbedder(), chunk_docs=2)
    assert [p for p, _ in report.failed] == ["p3", "p4"] == [p for p, _ in fresh.failed]
    assert out.read_bytes() == fresh.output.read_bytes()


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


def test_summaries_are_named_after_the_output_so_two_runs_keep_their_own(manifest, tmp_path):
    first = run_batch(manifest, tmp_path / "first.csv", embedder=FakeEmbedder())
    second = run_batch(manifest, tmp_path / "second.parquet", embedder=FakeEmbedder())
    assert (first.summary.name, second.summary.name) == ("first.summary.csv", "second.summary.csv")
    assert first.summary.exists() and second.summary.exists() and not (tmp_path / "summary.csv").exists()


def test_pair_ids_follow_one_rule_in_align_and_batch(tmp_path, fake_model):
    """``[GROUP:]A--B`` of the documents' names without folder and suffix, A listed first (in a folder: by name)."""
    group = tmp_path / "in" / "summit"
    group.mkdir(parents=True)
    for name, seed in (("rome.txt", 0), ("beijing.md", 1)):
        (group / name).write_text(article(seed), encoding="utf-8")
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "b.csv"), "--model", fake_model, "-q"]) == 0
    assert main(["align", str(group / "beijing.md"), str(group / "rome.txt"), "-o", str(tmp_path / "a.csv"), "--model", fake_model, "-q"]) == 0
    batch_ids, align_ids = set(pd.read_csv(tmp_path / "b.csv").pair_id), set(pd.read_csv(tmp_path / "a.csv").pair_id)
    assert batch_ids == {"summit:beijing--rome"} and align_ids == {"beijing--rome"}
    assert batch_ids == {f"summit:{i}" for i in align_ids}
