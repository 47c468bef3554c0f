"""Batch throughput and memory on NTREX-128 article pairs: local vs Dask engines, beside the raw encoder.

    python -m benchmarks.batch_bench                 # 123 documents x (it-en, es-en, it-es) = 369 pairs
    python -m benchmarks.batch_bench --docs 70 --skip-memory
    python -m benchmarks.batch_bench --only raw,local      # or: --only memory

Every measurement runs in a fresh subprocess with a fresh, empty embedding
cache, so encoding is really measured. ``raw`` encodes the run's distinct
sentences directly with a new e5-small (no cache, no xling); the batch runs
include everything: reading, language detection, segmentation, encoding,
alignment, part files, final assembly, and (for Dask) starting the cluster.
CPU seconds count the whole process tree, so sentences per CPU-second holds
even when other jobs share the machine; the load average is printed beside.
The memory rows run the local engine on 100, 1,000 and 5,000 random pairs (documents
repeat) with a warm cache and report the peak resident set size.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NTREX = Path(os.environ.get("NTREX_DIR", "/work/shared/data/sources/ntrex128"))
LANG_FILES = {"ita": "newstest2019-ref.ita.txt", "spa": "newstest2019-ref.spa.txt", "eng": "newstest2019-src.eng.txt"}
PAIRINGS = (("ita", "eng"), ("spa", "eng"), ("ita", "spa"))
RAW_BATCH = 256  # sentences per encode call for the raw encoder
MEMORY_PAIRS = (100, 1000, 5000)
SEED = 0


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [line.rstrip("\r\n").replace("\r", "") for line in handle]


def build_corpus(folder: Path, n_docs: int) -> tuple[Path, list[str]]:
    """One .txt per NTREX document and language; a manifest pairing each document's three languages."""
    ids = _lines(NTREX / "DOCUMENT_IDS.tsv")
    texts = {lang: _lines(NTREX / name) for lang, name in LANG_FILES.items()}
    order = list(dict.fromkeys(ids))[:n_docs]
    names = []
    for doc in order:
        for lang, lines in texts.items():
            name = f"{lang}/{doc}.txt"
            (folder / lang).mkdir(parents=True, exist_ok=True)
            (folder / name).write_text("\n\n".join(l for l, i in zip(lines, ids) if i == doc) + "\n", encoding="utf-8")
            names.append(name)
    rows = [f"{doc}:{a}-{b},{a}/{doc}.txt,{b}/{doc}.txt" for doc in order for a, b in PAIRINGS]
    manifest = folder / "pairs.csv"
    manifest.write_text("pair_id,doc_a,doc_b\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return manifest, names


def random_manifest(folder: Path, names: list[str], n_pairs: int) -> Path:
    """``n_pairs`` random pairs of distinct documents: documents repeat across pairs."""
    rng = random.Random(SEED)
    manifest = folder / f"random{n_pairs}.csv"
    rows = [f"r{k},{a},{b}" for k, (a, b) in enumerate(rng.sample(names, 2) for _ in range(n_pairs))]
    manifest.write_text("pair_id,doc_a,doc_b\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return manifest


# --- children: one measurement each --------------------------------------------------------------


def child_raw(manifest: Path) -> dict[str, object]:
    """Encode the run's distinct segments directly with a fresh encoder (the same segmentation, no cache)."""
    import pandas as pd

    from xling.embed import E5SmallEmbedder
    from xling.io import read_document
    from xling.pipeline import segment_document

    rows = pd.read_csv(manifest)
    names = list(dict.fromkeys([*rows.doc_a, *rows.doc_b]))
    texts = list(dict.fromkeys(s.text for n in names for s in segment_document(read_document(manifest.parent / n))))
    embedder = E5SmallEmbedder()
    embedder.encode(texts[:2])  # load the model outside the clock
    started = time.perf_counter()
    for start in range(0, len(texts), RAW_BATCH):
        embedder.encode(texts[start : start + RAW_BATCH])
    return {"seconds": time.perf_counter() - started, "sentences": len(texts), "pairs": len(rows)}


def child_batch(manifest: Path, engine: str, workers: int | None, threads: int | None) -> dict[str, object]:
    from xling.batch.run import run_batch
    from xling.batch.engines import EmbedderSpec

    out = Path(tempfile.mkdtemp(prefix="xling-bench-out-")) / "table.parquet"
    started = time.perf_counter()
    report = run_batch(manifest, out, embedder=EmbedderSpec("e5-small"), engine=engine, workers=workers, threads_per_worker=threads)
    seconds = time.perf_counter() - started
    cache = Path(os.environ["XLING_CACHE_DIR"]) / "embeddings.sqlite"
    with sqlite3.connect(cache) as conn:
        encoded = conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
    shutil.rmtree(out.parent)
    return {"seconds": seconds, "sentences": encoded, "pairs": report.pairs, "failed": len(report.failed),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # fmt: skip


def run_child(args: list[str], env: dict[str, str], module: str = "benchmarks.batch_bench") -> dict[str, object]:
    """Run one measurement (``module --child ARGS``) in a fresh interpreter; add the CPU time of its whole process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-m", module, "--child", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"benchmark child {args} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["cpu_seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["load"] = max(load, os.getloadavg()[0])
    return result


def fresh_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS",)}
    return env | {"XLING_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)} | extra


# --- the table -----------------------------------------------------------------------------------


RUNS = [
    # label, child args, extra environment
    ("raw encoder, 2 threads", ["raw"], {}),
    ("raw encoder, 1 thread", ["raw"], {"OMP_NUM_THREADS": "1"}),
    ("local engine (2 threads)", ["batch", "local", "0", "0"], {}),
    ("dask, 1 worker x 1 thread", ["batch", "dask", "1", "1"], {}),
    ("dask, 2 workers x 1 thread", ["batch", "dask", "2", "1"], {}),
    ("dask, 1 worker x 2 threads", ["batch", "dask", "1", "2"], {}),
    # Everything but encoding: the cache is warmed by an untimed run first.
    ("local engine, warm cache", ["batch", "local", "0", "0"], {"WARM": "1"}),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=123, help="NTREX documents to use (3 pairs each; default all 123)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--only", help="comma-separated parts to run: raw, local, dask, memory (default: all)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, manifest, *rest = args.child
        if kind == "raw":
            result = child_raw(Path(manifest))
        else:
            engine, workers, threads = rest
            result = child_batch(Path(manifest), engine, int(workers) or None, int(threads) or None)
        print(json.dumps(result))
        return

    work = Path(tempfile.mkdtemp(prefix="xling-bench-"))
    try:
        manifest, names = build_corpus(work / "corpus", args.docs)
        print(f"# {args.docs} NTREX documents x 3 languages, {3 * args.docs} pairs; {os.cpu_count()} cores", flush=True)
        results = []
        keep = set(args.only.split(",")) if args.only else None
        for label, child, extra in RUNS:
            if keep and label.split()[0].rstrip(",") not in keep:
                continue
            cache = work / f"cache-{len(results)}"
            kind, *rest = child
            extra = dict(extra)
            if extra.pop("WARM", None):
                run_child([kind, str(manifest), *rest], fresh_env(cache, **extra))
            result = run_child([kind, str(manifest), *rest], fresh_env(cache, **extra))
            results.append((label, result))
            print(_row(label, result), flush=True)
        if results:
            print()
            print(_table(results))
        if not args.skip_memory and (keep is None or "memory" in keep):
            warm = work / "cache-warm"
            run_child(["batch", str(manifest), "local", "0", "0"], fresh_env(warm))
            print("\n| pairs (documents repeat) | peak RSS, local engine | seconds |\n|---:|---:|---:|")
            for n in MEMORY_PAIRS:
                result = run_child(["batch", str(random_manifest(work / "corpus", names, n)), "local", "0", "0"], fresh_env(warm))
                print(f"| {n:,} | {result['peak_rss_mb']:.0f} MB | {result['seconds']:.1f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _row(label: str, r: dict[str, object]) -> str:
    return (f"{label}: {r['pairs']} pairs, {r['sentences']} sentences in {r['seconds']:.1f} s, "
            f"{r['cpu_seconds']:.0f} CPU s, load {r['load']:.1f}")  # fmt: skip


def _table(results: list[tuple[str, dict[str, object]]]) -> str:
    lines = ["| run | pairs/min | sentences/s | sentences per CPU-s | wall s | load avg |", "|---|---:|---:|---:|---:|---:|"]
    for label, r in results:
        pairs_min = "—" if label.startswith("raw") else f"{r['pairs'] / r['seconds'] * 60:.0f}"
        warm = "warm" in label  # nothing encoded: the rates per sentence would mean nothing
        per_s = "—" if warm else f"{r['sentences'] / r['seconds']:.1f}"
        per_cpu = f"{r['cpu_seconds'] / r['pairs'] * 1000:.0f} ms CPU/pair" if warm else f"{r['sentences'] / r['cpu_seconds']:.1f}"
        lines.append(f"| {label} | {pairs_min} | {per_s} | {per_cpu} | {r['seconds']:.1f} | {r['load']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
