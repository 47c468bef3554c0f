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
from dataclasses import dataclass

import numpy as np

import xling
from xling.embed import build_embedder
from xling.preparation import segment_document

from .comparable import ROOT, build_cases

TATOEBA = ROOT / "data" / "sources" / "tatoeba"
TATOEBA_PAIRS = {"it-en": ("ita-eng", "ita"), "es-en": ("spa-eng", "spa")}
SPEED_REPEATS = 3  # best of three per pair and stage: the machine is shared, a burst of load is not xling's cost
SPEED_BUDGET_S = 20.0  # seconds of raw encoding measured per model (a few minutes for all four, three stages, three repeats)
SPEED_MIN_CASES = 3
SPEED_WARM_CASES = 20  # dev-split cases read before each repeat, so common words are known as in a longer run


def tatoeba(pair: str, limit: int) -> tuple[list[str], list[str]]:
    stem, lang = TATOEBA_PAIRS[pair]
    src = (TATOEBA / f"tatoeba.{stem}.{lang}").read_text(encoding="utf-8").splitlines()[:limit]
    eng = (TATOEBA / f"tatoeba.{stem}.eng").read_text(encoding="utf-8").splitlines()[:limit]
    return src, eng


def accuracy_at_1(embedder, src: list[str], eng: list[str]) -> float:
    """Share of source sentences whose nearest English sentence (cosine) is their translation."""
    a, b = embedder.encode(src), embedder.encode(eng)
    return float(np.mean(np.argmax(a @ b.T, axis=1) == np.arange(len(src))))


@dataclass(frozen=True)
class Speed:
    """Sentences per second on the same segments: the bare encoder, xling's preparation, xling's whole comparison."""

    cases: int
    sentences: int
    raw: float  # the bare encoder, one call per pair (as xling prepares a pair), on xling's segments
    prepared: float  # xling.prepare: document languages, segments, segment languages, encoding
    compared: float  # xling.compare and its table: the above, then alignment, facts and checks, the table
    own_ms: float  # xling.prepare's own work per sentence, ms: the encoder replaced by one that costs nothing

    def bound(self) -> float:
        """prepare/raw this preparation reaches when nothing else runs: it is sequential, encoder time plus own work."""
        return 1.0 / (1.0 + self.own_ms * self.raw / 1000.0)


class _NoEncoder:
    """An encoder that costs next to nothing (random unit vectors), to time xling's own part of the work."""

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id
        self._rng = np.random.default_rng(0)

    def encode(self, texts) -> np.ndarray:
        vectors = self._rng.standard_normal((len(texts), 8)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _forget() -> None:
    """Empty xling's in-process caches keyed by text or word, so a repeat finds nothing read before it."""
    from xling import langid
    from xling.checks import compare, extract, patterns
    from xling.detector import word_grams

    for cached in (extract._extract_cached, compare._vocabulary, compare._vocabulary_index, compare._similar,
                   patterns._fold, langid._zipfs, word_grams):  # fmt: skip
        cached.cache_clear()


def _pairs(cases) -> list[list[xling.Document]]:
    return [[xling.document_from_text(c.text_a, name="a"), xling.document_from_text(c.text_b, name="b")] for c in cases]


def _warm_up(warm: list[list[xling.Document]], embedder, free: _NoEncoder) -> None:
    """Empty the caches, then read other articles as a longer run would have: one with the encoder, the rest without."""
    _forget()
    xling.compare(warm[0], embedder).to_dataframe()
    for pair in warm[1:]:
        xling.compare(pair, free).to_dataframe()


def speed(model: str, cases, warm_cases, repeats: int = SPEED_REPEATS, budget_s: float = SPEED_BUDGET_S) -> Speed:
    """Raw encoder against xling on the same segments, per pair, best of ``repeats`` per pair and stage.

    The encoder is the bare one (no embedding cache: every segment is encoded). Before each
    repeat xling's caches are emptied and ``warm_cases`` (other articles) are compared, so
    one-time costs (the model, langdetect's profiles, word frequencies, patterns) are not
    timed, common words are known as in a longer run, and a repeat does not find its own texts
    or their rare words read. Raw, prepare and compare run one after
    the other on each pair, so a load burst on a shared machine hits all three. Only as many
    cases are measured as the raw encoder reads in about ``budget_s`` seconds (e5 reads 16
    sentences a second, USE 800).
    """
    embedder = build_embedder(model)
    measured, warm = _pairs(cases), _pairs(warm_cases)
    warm_texts = [s.text for p in xling.prepare(warm[0], embedder) for s in p.segments]  # loads the model
    rate = len(warm_texts) / _seconds(embedder.encode, warm_texts)
    texts = [[s.text for d in pair for s in segment_document(d)] for pair in measured]
    keep, total = 0, 0
    while keep < len(measured) and (keep < SPEED_MIN_CASES or total / rate < budget_s):
        total += len(texts[keep])
        keep += 1
    measured, texts = measured[:keep], texts[:keep]
    best = np.full((4, keep), np.inf)
    free = _NoEncoder(embedder.model_id)
    for _ in range(repeats):
        _warm_up(warm, embedder, free)
        for k, (pair, sentences) in enumerate(zip(measured, texts)):
            best[0, k] = min(best[0, k], _seconds(embedder.encode, sentences))
            best[1, k] = min(best[1, k], _seconds(xling.prepare, pair, embedder))
            best[2, k] = min(best[2, k], _seconds(lambda docs: xling.compare(docs, embedder).to_dataframe(), pair))
        _warm_up(warm, embedder, free)
        for k, pair in enumerate(measured):
            best[3, k] = min(best[3, k], _seconds(xling.prepare, pair, free))
    n = sum(len(t) for t in texts)
    raw, prepared, compared = (n / best[stage].sum() for stage in range(3))
    return Speed(cases=keep, sentences=n, raw=raw, prepared=prepared, compared=compared, own_ms=1000 * best[3].sum() / n)


def _seconds(work, *args) -> float:
    started = time.perf_counter()
    work(*args)
    return time.perf_counter() - started


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
    parser.add_argument("--speed-cases", type=int, default=30, help="NTREX test cases for the speed comparison, at most")
    parser.add_argument("--repeats", type=int, default=SPEED_REPEATS, help="best of this many per pair and stage")
    parser.add_argument("--budget", type=float, default=SPEED_BUDGET_S, help="seconds of raw encoding measured per model")
    parser.add_argument("--no-accuracy", action="store_true", help="speed only")
    args = parser.parse_args(argv)
    if not args.no_accuracy:
        print(f"Tatoeba retrieval accuracy@1 ({args.sentences} sentences per pair)")
        print(f"{'model':<18} " + " ".join(f"{p:>7}" for p in TATOEBA_PAIRS))
        for model in args.models:
            embedder = build_embedder(model)
            scores = [accuracy_at_1(embedder, *tatoeba(pair, args.sentences)) for pair in TATOEBA_PAIRS]
            print(f"{model:<18} " + " ".join(f"{s:7.3f}" for s in scores))
    cases = build_cases("test")[: args.speed_cases]
    print(f"\nSpeed on NTREX test cases, sentences/s on the same segments (xling's), bare encoder without cache, "
          f"best of {args.repeats} per pair; warm-up ({SPEED_WARM_CASES} dev cases) excluded.")
    print("raw = the encoder, one call per pair; prepare = xling.prepare (document and segment languages, segments, encoding);")
    print("compare = xling.compare and its table (prepare, then alignment, facts and checks, table). Target: prepare/raw >= 0.85.")
    print("own = xling.prepare's own work, ms per sentence (encoder replaced by a free one); bound = the prepare/raw")
    print("that leaves at this raw speed (preparation is sequential: encoder time plus own work), less noisy under load.")
    print(f"{'model':<18} {'cases':>5} {'sentences':>9} {'raw':>8} {'prepare':>8} {'compare':>8} {'prepare/raw':>12} "
          f"{'compare/raw':>12} {'own ms':>7} {'bound':>6}")  # fmt: skip
    for model in args.models:
        got = speed(model, cases, build_cases("dev")[:SPEED_WARM_CASES], args.repeats, args.budget)
        print(f"{model:<18} {got.cases:5d} {got.sentences:9d} {got.raw:8.1f} {got.prepared:8.1f} {got.compared:8.1f} "
              f"{got.prepared / got.raw:12.2f} {got.compared / got.raw:12.2f} {got.own_ms:7.3f} {got.bound():6.2f}", flush=True)
    cold, warm = cold_cli_seconds()
    print(f"\nxling align on the seeds, new process: {cold:.2f} s with an empty cache, {warm:.2f} s with a warm cache")


if __name__ == "__main__":
    main()
