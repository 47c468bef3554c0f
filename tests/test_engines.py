"""xling/batch/engines.py: the Dask engine against the local one."""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import FakeEmbedder

from xling.batch.run import run_batch
from xling.cli import main
from xling.batch.engines import EmbedderSpec


@pytest.mark.dask
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


@pytest.mark.dask
def test_dask_workers_apply_the_corrections_snapshot_as_the_local_engine_does(manifest, tmp_path, fake_by_value):
    from xling.io import read_document
    from xling.pipeline import compare
    from xling.workspace.store import Workspace

    db = tmp_path / "ws.db"
    pair = compare([read_document(manifest.parent / n, name=n) for n in ("d0.txt", "d1.txt")], FakeEmbedder()).pairs[0]
    Workspace(db).correct(pair, pair.links[0].a, pair.links[0].b, "reject")
    Workspace(db).correct(pair, pair.unique_a[0], pair.unique_b[0], "add", status="partial")
    local = run_batch(manifest, tmp_path / "local.csv", embedder=FakeEmbedder(), chunk_docs=2, workspace=db)
    remote = run_batch(manifest, tmp_path / "dask.csv", embedder=fake_by_value, engine="dask", workers=2, chunk_docs=2, workspace=db)
    assert remote.output.read_bytes() == local.output.read_bytes()
    assert remote.summary.read_bytes() == local.summary.read_bytes()
    table = pd.read_csv(local.output)
    assert set(table.source) == {"model", "human"} and set(table[table.source == "human"].pair_id) == {"p0", "p6"}


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


@pytest.mark.dask
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
