"""Cost growth of ``xling stories``: documents/s and peak memory as the corpus grows, and Dask 2 workers vs 1.

    python -m benchmarks.stories_scale --sizes 1000 10000             # the whole command, hashing embedder
    python -m benchmarks.stories_scale --cluster-sizes 10000 100000 1000000   # the clustering step alone
    python -m benchmarks.stories_scale --sizes --cluster-sizes --dask   # 2,000 resampled documents, use-multilingual, empty cache

Each measurement runs in a fresh subprocess. Corpora are NTREX lines resampled
into stories of four documents (``story_corpora.write_resampled``). The whole
command uses a hashing embedder (no model: encoding is not what grows), so its
figures are xling's own costs: reading, language detection, segmentation,
document vectors, neighbours, verification, clustering, alignment and writing.
The clustering step alone (index, candidates, agglomeration) is timed on the
hashed document vectors with every candidate above the cosine floor accepted,
to show how it grows past what a full run here can reach.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from . import batch_bench, memory

ROOT = Path(__file__).resolve().parent.parent
DIM = 384
DASK_DOCS = 2_000  # enough work that each worker's model load and the cluster's start are small beside it


# the hashing embedder of the memory benchmark: no model, the same vector for the same text
HashEmbedder = memory.HashEmbedder


def _hash_params():
    from xling.stories import StoryParams

    # Hashed words share one strong direction (every vector has it): take each language's mean out, then a loose floor;
    # the aligner's match links decide. Measured on the resampled corpus: same-story documents of one language have
    # centred cosines mostly above 0.3, documents of different stories below it.
    return StoryParams(neighbours=4, centre=True, per_language=False, floor=0.3, matched_only=True, min_share=0.7, min_links=1)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_full(n: int, work: Path) -> dict[str, object]:
    from xling.stories import run_stories

    from .story_corpora import write_resampled

    corpus = work / f"corpus{n}"
    gold = write_resampled(corpus, n)
    before = _peak_mb()
    started = time.perf_counter()
    report = run_stories([corpus], work / f"out{n}", embedder=HashEmbedder(), params=_hash_params())
    seconds = time.perf_counter() - started
    import pandas as pd

    from xling.stories.cluster import bcubed

    stories = pd.read_csv(work / f"out{n}" / "stories.csv", keep_default_na=False)
    f1 = bcubed(list(stories["story_id"]), [gold[d] for d in stories["doc"]])[2]
    return {"n": n, "seconds": seconds, "docs_per_s": n / seconds, "peak_mb": _peak_mb(), "before_mb": before,
            "timings": report.timings, "pairs": report.pairs, "candidates": report.candidates, "f1": f1}  # fmt: skip


def child_cluster(n: int, work: Path) -> dict[str, object]:
    """Index, candidates and agglomeration on ``n`` hashed document vectors (no verification: all accepted)."""
    from xling.segment import segment_spans
    from xling.stories import cluster

    from .story_corpora import write_resampled

    corpus = work / f"cl{n}"
    write_resampled(corpus, n)
    embedder = HashEmbedder()
    vectors = []
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = segment_spans(text)
        vectors.append(cluster.document_vector(embedder.encode([text[s:e] for s, e, _ in spans])))
    shutil.rmtree(corpus)
    x = np.stack(vectors)
    before = _peak_mb()
    started = time.perf_counter()
    x = cluster.centre_by_group(x, ["all"] * len(x))
    ids, sims = cluster.nearest(x, 4)
    index_s = time.perf_counter() - started
    pairs = cluster.candidate_pairs(ids, sims, 0.3)
    cos = np.einsum("ij,ij->i", x[pairs[:, 0]], x[pairs[:, 1]])
    labels = cluster.agglomerate(len(x), pairs, cos.astype(np.float64), x, 0.0)
    seconds = time.perf_counter() - started
    return {"n": n, "seconds": seconds, "index_s": index_s, "merge_s": seconds - index_s, "stories": int(labels.max()) + 1,
            "candidates": len(pairs), "peak_mb": _peak_mb(), "before_mb": before}  # fmt: skip


def child_dask(workers: int, model: str, work: Path) -> dict[str, object]:
    from xling.batch.engines import EmbedderSpec
    from xling.stories import run_stories
    from xling.types import Settings

    from .story_corpora import write_resampled

    corpus = work / "dask-corpus"
    if not corpus.exists():
        write_resampled(corpus, DASK_DOCS)
    out = work / f"dask{workers}"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    report = run_stories([corpus], out, settings=Settings(model=model), embedder=EmbedderSpec(model=model), engine="dask",
                         workers=workers, threads_per_worker=1)  # fmt: skip
    seconds = time.perf_counter() - started
    return {"workers": workers, "seconds": seconds, "documents": report.documents, "timings": report.timings}


def run_child(args: list[str], cache: Path) -> dict[str, object]:
    env = {**os.environ, "XLING_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return batch_bench.run_child(args, env, module="benchmarks.stories_scale")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--cluster-sizes", type=int, nargs="*", default=[10000, 100000])
    parser.add_argument("--dask", action="store_true", help="Dask 2 workers vs 1 on the NTREX test corpus")
    parser.add_argument("--model", default="use-multilingual")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, value, work = args.child[0], args.child[1], Path(args.child[2])
        result = {"full": lambda: child_full(int(value), work), "cluster": lambda: child_cluster(int(value), work),
                  "dask": lambda: child_dask(int(value), args.model, work)}[kind]()  # fmt: skip
        print(json.dumps(result))
        return
    work = Path(tempfile.mkdtemp(prefix="xling-stories-scale-"))
    try:
        if args.sizes:
            print("| documents | seconds | documents/s | CPU s | peak memory | embed | neighbours | verify | cluster | align | pairs | B-cubed F1 | load |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for n in args.sizes:
                r = run_child(["full", str(n), str(work)], work / f"cache{n}")
                t = r["timings"]
                print(f"| {n:,} | {r['seconds']:.0f} | {r['docs_per_s']:.1f} | {r['cpu_seconds']:.0f} | {r['peak_mb']:.0f} MB | "
                      f"{t['embed']:.0f} | {t['neighbours']:.1f} | {t['verify']:.0f} | {t['cluster']:.1f} | {t['align']:.0f} | "
                      f"{r['pairs']:,} | {r['f1']:.3f} | {r['load']:.1f} |", flush=True)  # fmt: skip
        if args.cluster_sizes:
            print("\n| documents (clustering step alone) | index + search s | merge s | total s | s per 1,000 documents | peak memory | load |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            for n in args.cluster_sizes:
                r = run_child(["cluster", str(n), str(work)], work / "cache")
                print(f"| {n:,} | {r['index_s']:.1f} | {r['merge_s']:.1f} | {r['seconds']:.1f} | {r['seconds'] / n * 1000:.2f} | "
                      f"{r['peak_mb']:.0f} MB | {r['load']:.1f} |", flush=True)  # fmt: skip
        if args.dask:
            print(f"\n| Dask, {args.model}, {DASK_DOCS:,} resampled documents, empty cache | seconds | CPU s | embed | verify | align | load |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            results = {}
            for workers in (1, 2):
                r = run_child(["dask", str(workers), str(work)], work / f"dask-cache{workers}")
                results[workers] = r
                t = r["timings"]
                print(f"| {workers} worker(s) x 1 thread | {r['seconds']:.0f} | {r['cpu_seconds']:.0f} | {t['embed']:.0f} | "
                      f"{t['verify']:.0f} | {t['align']:.0f} | {r['load']:.1f} |", flush=True)  # fmt: skip
            print(f"\n2 workers vs 1: {results[1]['seconds'] / results[2]['seconds']:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
