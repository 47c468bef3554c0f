"""Cost growth of ``xling stories``: documents/s and peak memory as the corpus grows, and Dask 2 workers vs 1.

    python -m benchmarks.stories_scale --sizes 1000 10000 --cluster-sizes   # the whole command, hashing embedder
    python -m benchmarks.stories_scale --sizes --cluster-sizes 1000 10000 30000 100000   # the clustering step alone, CPU s per step
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

from xling.batch.engines import THREAD_ENV

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


def child_vectors(n: int, work: Path) -> dict[str, object]:
    """Hashed document vectors of ``n`` resampled documents and their gold stories, saved for the clustering runs."""
    from xling.segment import segment_spans
    from xling.stories import cluster

    from .story_corpora import write_resampled

    corpus = work / f"cl{n}"
    gold = write_resampled(corpus, n)
    embedder = HashEmbedder()
    vectors, stories = [], []
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = segment_spans(text)
        vectors.append(cluster.document_vector(embedder.encode([text[s:e] for s, e, _ in spans])))
        stories.append(gold[path.relative_to(corpus).as_posix()])
    shutil.rmtree(corpus)
    np.save(work / f"vec{n}.npy", np.stack(vectors))
    np.save(work / f"gold{n}.npy", np.array(stories))
    return {"n": n}


def child_cluster(n: int, work: Path, source: int) -> dict[str, object]:
    """Index, candidates and agglomeration on ``n`` hashed document vectors (no verification: all accepted), each
    step's CPU seconds apart. The ``n`` documents are whole stories of the ``source``-document corpus."""
    import faiss

    from xling.stories import cluster

    everything = np.load(work / f"vec{source}.npy", mmap_mode="r")
    gold = np.load(work / f"gold{source}.npy")
    _, first = np.unique(gold, return_index=True)
    chosen = gold[np.sort(first)][: n // 4 + 1]
    x = np.ascontiguousarray(everything[np.flatnonzero(np.isin(gold, chosen))[:n]], dtype=np.float32)
    before = _peak_mb()
    cpu: dict[str, float] = {}
    wall = time.perf_counter()

    def timed(step: str, fn):
        clock = time.process_time()
        out = fn()
        cpu[step] = time.process_time() - clock
        return out

    x = timed("centre", lambda: cluster.centre_by_group(x, ["all"] * len(x)))
    faiss.cvar.hnsw_stats.reset()
    ids, sims = timed("index", lambda: cluster.nearest(x, 4))  # build (one thread) and search
    pairs = timed("candidates", lambda: cluster.candidate_pairs(ids, sims, 0.3))
    cos = np.einsum("ij,ij->i", x[pairs[:, 0]], x[pairs[:, 1]]).astype(np.float64)
    labels = timed("union_find", lambda: cluster.agglomerate(len(x), pairs, cos, x, 0.0))
    return {"n": len(x), "seconds": time.perf_counter() - wall, "cpu": cpu, "stories": int(labels.max()) + 1,
            "candidates": len(pairs), "distances_per_query": faiss.cvar.hnsw_stats.ndis / len(x),
            "peak_mb": _peak_mb(), "before_mb": before}  # fmt: skip


def growth_exponent(sizes: list[int], costs: list[float]) -> float:
    """The slope of log(cost) on log(N), least squares: 1 is linear; N log N reads ~1.1 over 10^3-10^5."""
    return float(np.polyfit(np.log(sizes), np.log(costs), 1)[0])


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
    # one task thread and one encoder thread per worker (OMP/OpenBLAS/MKL threads and torch's set to 1 there)
    report = run_stories([corpus], out, settings=Settings(model=model), embedder=EmbedderSpec(model=model), engine="dask",
                         workers=workers, threads_per_worker=1)  # fmt: skip
    seconds = time.perf_counter() - started
    client = resource.getrusage(resource.RUSAGE_SELF)
    return {"workers": workers, "seconds": seconds, "documents": report.documents, "timings": report.timings,
            "client_cpu": client.ru_utime + client.ru_stime}  # fmt: skip


RAW_LINES = 3_000  # NTREX lines the machine-ceiling probe encodes per process


def child_raw(model: str) -> dict[str, object]:
    """The encoder alone on one thread: no xling, no Dask (the probe of what two processes get from the machine)."""
    from xling.embed import get_embedder

    from .story_corpora import ntrex_lines

    lines = [line for lines in ntrex_lines().values() for line in lines][:RAW_LINES]
    embedder = get_embedder(model, cache=False)
    embedder.encode(lines[:8])  # loaded before the clock starts
    started = time.perf_counter()
    embedder.encode(lines)
    return {"seconds": time.perf_counter() - started}


def machine_ceiling(model: str) -> float:
    """How much faster two single-thread encoder processes side by side finish ``2 x RAW_LINES`` than one process
    finishes ``RAW_LINES``, now: 2.0 on two idle cores, less when other jobs share them."""
    import subprocess
    import sys

    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), **{name: "1" for name in THREAD_ENV}}
    command = [sys.executable, "-m", "benchmarks.stories_scale", "--model", model, "--child", "raw", "0", "."]

    def wall(processes: int) -> float:
        """The encoding time of the slowest of ``processes`` started together (model loading not counted)."""
        running = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
        return max(json.loads(p.communicate()[0].strip().splitlines()[-1])["seconds"] for p in running)

    one = wall(1)
    return 2 * one / wall(2)


def run_child(args: list[str], cache: Path) -> dict[str, object]:
    env = {**os.environ, "XLING_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    return batch_bench.run_child(args, env, module="benchmarks.stories_scale")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--cluster-sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--vectors", type=Path, help="a folder keeping the hashed vectors (vecN.npy, goldN.npy) between runs")
    parser.add_argument("--dask", action="store_true", help="Dask 2 workers vs 1 on resampled NTREX documents")
    parser.add_argument("--repeats", type=int, default=2, help="Dask runs of each, alternating 1 and 2 workers (the best counts)")
    parser.add_argument("--model", default="use-multilingual")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, value, work = args.child[0], args.child[1], Path(args.child[2])
        result = {"full": lambda: child_full(int(value), work), "vectors": lambda: child_vectors(int(value), work),
                  "raw": lambda: child_raw(args.model),
                  "cluster": lambda: child_cluster(int(value), work, int(args.child[3]) if len(args.child) > 3 else 0),
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
            _cluster_table(args.cluster_sizes, args.vectors or work, work)
        if args.dask:
            _dask_table(args.model, args.repeats, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cluster_table(sizes: list[int], vectors: Path, work: Path) -> None:
    source = max(sizes)
    vectors.mkdir(parents=True, exist_ok=True)
    if not (vectors / f"vec{source}.npy").exists():
        run_child(["vectors", str(source), str(vectors)], work / "cache")
    print("\n| documents (clustering step alone) | centre | index: HNSW build + search | candidates | union-find | total CPU s |"
          " CPU s per 1,000 documents | distances per query | peak memory | load |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for n in sizes:
        r = run_child(["cluster", str(n), str(vectors), str(source)], work / "cache")
        c = r["cpu"]
        total = sum(c.values())
        rows.append((n, total, c["index"], c["union_find"]))
        print(f"| {n:,} | {c['centre']:.2f} | {c['index']:.2f} | {c['candidates']:.3f} | {c['union_find']:.3f} | {total:.2f} | "
              f"{total / n * 1000:.3f} | {r['distances_per_query']:.0f} | {r['peak_mb']:.0f} MB | {r['load']:.1f} |", flush=True)  # fmt: skip
    big = [row for row in rows if row[0] > 4_096]  # the exact search below that is another algorithm
    if len(big) >= 2:
        ns = [row[0] for row in big]
        print(f"\ngrowth exponent over {', '.join(f'{n:,}' for n in ns)} documents (N log N reads ~1.1): "
              f"clustering {growth_exponent(ns, [row[1] for row in big]):.2f}, index {growth_exponent(ns, [row[2] for row in big]):.2f}, "
              f"union-find {growth_exponent(ns, [max(row[3], 1e-3) for row in big]):.2f}")  # fmt: skip


def _dask_table(model: str, repeats: int, work: Path) -> None:
    print(f"\n| Dask, {model}, {DASK_DOCS:,} resampled documents, empty cache | seconds | CPU s (all) | client CPU s | embed | verify | align | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    best: dict[int, float] = {}
    for _ in range(repeats):
        for workers in (1, 2):  # alternating, so a change in the machine's load touches both
            r = run_child(["dask", str(workers), str(work)], work / f"dask-cache{workers}-{time.monotonic_ns()}")
            best[workers] = min(best.get(workers, float("inf")), r["seconds"])
            t = r["timings"]
            print(f"| {workers} worker(s) x 1 thread | {r['seconds']:.0f} | {r['cpu_seconds']:.0f} | {r['client_cpu']:.0f} | {t['embed']:.0f} | "
                  f"{t['verify']:.0f} | {t['align']:.0f} | {r['load']:.1f} |", flush=True)  # fmt: skip
    print(f"\n2 workers vs 1 (best of {repeats} each): {best[1] / best[2]:.2f}x")
    print(f"the machine now: two single-thread encoder processes side by side do {machine_ceiling(model):.2f}x the work of one "
          "in the same time (2.00 on two idle cores)")  # fmt: skip


if __name__ == "__main__":
    main()
