"""Encoder retrieval on Tatoeba (accuracy@1, it-en and es-en) and speed: raw encoder vs xling end to end.

    python -m benchmarks.encoders [--models e5-small minilm use-multilingual] [--sentences 1000]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

import xling
from xling.embed import build_embedder
from xling.segment import segment_spans

from .comparable import ROOT, build_cases

TATOEBA = ROOT / "data" / "sources" / "tatoeba"
TATOEBA_PAIRS = {"it-en": ("ita-eng", "ita"), "es-en": ("spa-eng", "spa")}


def tatoeba(pair: str, limit: int) -> tuple[list[str], list[str]]:
    stem, lang = TATOEBA_PAIRS[pair]
    src = (TATOEBA / f"tatoeba.{stem}.{lang}").read_text(encoding="utf-8").splitlines()[:limit]
    eng = (TATOEBA / f"tatoeba.{stem}.eng").read_text(encoding="utf-8").splitlines()[:limit]
    return src, eng


def accuracy_at_1(embedder, src: list[str], eng: list[str]) -> float:
    """Share of source sentences whose nearest English sentence (cosine) is their translation."""
    a, b = embedder.encode(src), embedder.encode(eng)
    return float(np.mean(np.argmax(a @ b.T, axis=1) == np.arange(len(src))))


def raw_throughput(model: str, batches: list[list[str]]) -> float:
    """Sentences per second of the bare encoder (no cache, no xling), one call per batch."""
    embedder = build_embedder(model)
    embedder.encode(batches[0][:8])  # load the model outside the timing
    started = time.perf_counter()
    for batch in batches:
        embedder.encode(batch)
    return sum(len(b) for b in batches) / (time.perf_counter() - started)


def end_to_end_throughput(model: str, cases) -> tuple[float, int]:
    """Sentences per second of xling.compare (load, language, segment, encode, align) on the cases, cold cache."""
    with tempfile.TemporaryDirectory() as cache:
        embedder = xling.get_embedder(model, cache=cache)
        embedder.encode(["warm up the model"])
        started, sentences = time.perf_counter(), 0
        for case in cases:
            docs = [xling.document_from_text(case.text_a, name="a"), xling.document_from_text(case.text_b, name="b")]
            comparison = xling.compare(docs, embedder)
            sentences += sum(len(d.segments) for d in comparison.documents)
            comparison.to_dataframe()
        return sentences / (time.perf_counter() - started), sentences


def cold_cli_seconds(repeats: int = 2) -> tuple[float, float]:
    """Wall time of ``xling align`` on the seeds in a new process: empty cache, then warm cache."""
    seeds = [str(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XLING_CACHE_DIR": cache}
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "xling.cli", "align", *seeds, "-q", "-o", os.devnull], env=env, check=True)
            times.append(time.perf_counter() - started)
    return times[0], min(times[1:])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", nargs="+", default=["e5+use", "e5-small", "use-multilingual", "minilm"])
    parser.add_argument("--sentences", type=int, default=1000, help="Tatoeba sentences per pair")
    parser.add_argument("--speed-cases", type=int, default=30, help="NTREX cases for the speed comparison")
    args = parser.parse_args(argv)
    print(f"Tatoeba retrieval accuracy@1 ({args.sentences} sentences per pair)")
    print(f"{'model':<18} " + " ".join(f"{p:>7}" for p in TATOEBA_PAIRS))
    for model in args.models:
        embedder = build_embedder(model)
        scores = [accuracy_at_1(embedder, *tatoeba(pair, args.sentences)) for pair in TATOEBA_PAIRS]
        print(f"{model:<18} " + " ".join(f"{s:7.3f}" for s in scores))
    cases = build_cases("test")[: args.speed_cases]
    per_case = [[text[s:e] for text in (c.text_a, c.text_b) for s, e, _ in segment_spans(text)] for c in cases]
    print(f"\nSpeed on {len(cases)} NTREX test cases (sentences/s; end to end = load, language, segment, encode, align, table).")
    print("raw, per pair: the bare encoder given each pair's sentences in one call, as xling align does;")
    print("raw, one call: every sentence of every case in one call (what xling batch approaches with its chunks)")
    print(f"{'model':<18} {'raw, one call':>14} {'raw, per pair':>14} {'xling':>8} {'ratio per pair':>15} {'ratio one call':>15}")
    for model in args.models:
        raw_all = raw_throughput(model, [[s for case in per_case for s in case]])
        raw_pairs = raw_throughput(model, per_case)
        e2e, _ = end_to_end_throughput(model, cases)
        print(f"{model:<18} {raw_all:14.1f} {raw_pairs:14.1f} {e2e:8.1f} {e2e / raw_pairs:15.2f} {e2e / raw_all:15.2f}")
    cold, warm = cold_cli_seconds()
    print(f"\nxling align on the seeds, new process: {cold:.2f} s with an empty cache, {warm:.2f} s with a warm cache")


if __name__ == "__main__":
    main()
