"""Learning from corrections: would re-fitting the link threshold on a user's corrections help elsewhere?

    python -m benchmarks.corrections_bench [--model e5-small] [--splits 50] [--k 5,10,20,all]

The seed pair and its hand-made gold (char spans of sentences, links labelled
match/related; both labels count as links). For each random split of the gold
sentences of A into halves:

1. a simulated user corrects the aligner on the first half: of the links it
   proposes there and the gold links it missed, the ``k`` nearest the decision
   bar (the least certain), each made a real :class:`~xling.workspace.corrections.Correction`:
   ``confirm`` a right link, ``reject`` a wrong one, ``add`` a missed one;
2. the link bar is re-fitted on those corrections: the threshold maximising F1
   over the corrected pairs (confirmed and added links positive, rejected ones
   negative; ties go to the value nearest the default);
3. link P/R/F1 is measured on the *other* half, before (calibrated defaults) and
   after (re-fitted bar). The corrected half itself, with the corrections
   applied, is shown too: that gain needs no learning.

Gold and scorer: ``data/gold/seeds_gold.json`` with ``benchmarks/seed_gold.py``
and ``benchmarks/score.py`` were planned; until they exist this harness reads
``data/gold/seeds_pairs.json`` (the same hand-made annotation, written by
``benchmarks/make_seed_gold.py``) and scores with ``benchmarks/spans.py``. Both
are reached only through :func:`load_gold` and :func:`score_links`.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import time
from dataclasses import dataclass

import numpy as np

import xling
from xling.workspace.apply import apply_to_comparison
from xling.workspace.corrections import Correction, make_correction
from xling.embed import DEFAULT_MODEL
from xling.pipeline import Comparison, PairResult, Prepared, align_pair, prepare

from .comparable import ROOT
from .spans import Counts, link_counts, stands_for

Span = tuple[int, int]
GOLD_FILES = (ROOT / "data" / "gold" / "seeds_gold.json", ROOT / "data" / "gold" / "seeds_pairs.json")
SPLIT_SEED = 8
DEFAULT_KS = ("2", "5", "10", "all")


@dataclass(frozen=True)
class Gold:
    doc_a: str
    doc_b: str
    sentences_a: tuple[Span, ...]
    links: tuple[tuple[Span, Span, str], ...]  # (a span, b span, label)


def load_gold() -> tuple[Gold, str]:
    """The seed gold and the file it came from (the planned seeds_gold.json if present)."""
    path = next(p for p in GOLD_FILES if p.exists())
    raw = json.loads(path.read_text(encoding="utf-8"))
    links = tuple((tuple(l["a"]), tuple(l["b"]), l.get("label", "match")) for l in raw["links"])
    return Gold(raw["doc_a"], raw["doc_b"], tuple(tuple(s) for s in raw["sentences_a"]), links), path.name  # type: ignore[arg-type]


def score_links(pred: list[tuple[Span, Span]], gold: list[tuple[Span, Span]]) -> Counts:
    return link_counts(pred, gold)


# ---------------------------------------------------------------- the aligner's scores


def realigned(a: Prepared, b: Prepared, base: PairResult, threshold: float) -> PairResult:
    """The pair aligned with the link bar moved to ``threshold`` (the extra-link bar keeps its offset)."""
    s = base.params
    settings = s.as_settings(threshold=threshold, extra_threshold=threshold + (s.extra_threshold - s.threshold),
                             match_threshold=max(s.match_threshold, threshold))  # fmt: skip
    return align_pair(a, b, settings, base.pair_id)


# ---------------------------------------------------------------- the simulated user


def segment_for(segments, span: Span) -> int | None:
    """The segment that best stands for a gold span."""
    best = [(min(s.end, span[1]) - max(s.start, span[0]), s.index) for s in segments if stands_for((s.start, s.end), span)]
    return max(best)[1] if best else None


def in_half(span: Span, half: list[Span]) -> bool:
    return any(stands_for(span, g) for g in half)


def simulate_corrections(pair: PairResult, score: np.ndarray, gold: Gold, half: list[Span], k: int | None) -> list[Correction]:
    """The user's ``k`` corrections on ``half`` (the least certain first); ``None``: all of them."""
    gold_links = [(a, b) for a, b, _ in gold.links if in_half(a, half)]
    bar = pair.params.threshold
    candidates: list[tuple[float, int, int, str]] = []
    for link in pair.links:
        sa, sb = pair.a.segments[link.a], pair.b.segments[link.b]
        if not in_half((sa.start, sa.end), half):
            continue
        right = any(stands_for((sa.start, sa.end), ga) and stands_for((sb.start, sb.end), gb) for ga, gb in gold_links)
        candidates.append((abs(link.score - bar), link.a, link.b, "confirm" if right else "reject"))
    proposed = {(link.a, link.b) for link in pair.links}
    for ga, gb in gold_links:
        i, j = segment_for(pair.a.segments, ga), segment_for(pair.b.segments, gb)
        if i is not None and j is not None and (i, j) not in proposed and not any(c[1:3] == (i, j) for c in candidates):
            candidates.append((abs(float(score[i, j]) - bar), i, j, "add"))
    candidates.sort()
    chosen = candidates if k is None else candidates[:k]
    return [make_correction(pair, i, j, action, status="partial" if action == "add" else None, author="simulated")  # type: ignore[arg-type]
            for _, i, j, action in chosen]  # fmt: skip


def fit_threshold(corrections: list[Correction], pair: PairResult, score: np.ndarray) -> float:
    """The bar maximising F1 on the corrected pairs alone (positive: confirm/add/relabel; negative: reject)."""
    index_a = {(s.start, s.end): s.index for s in pair.a.segments}
    index_b = {(s.start, s.end): s.index for s in pair.b.segments}
    labelled = [(float(score[index_a[(c.a_start, c.a_end)], index_b[(c.b_start, c.b_end)]]), c.action != "reject") for c in corrections]
    return best_bar(labelled, pair.params.threshold)


def half_examples(corrected_links: set[tuple[int, int]], pair: PairResult, score: np.ndarray, half: list[Span]) -> list[tuple[float, bool]]:
    """Every pair of the corrected half the aligner weighed, labelled by the corrected table.

    Candidates are the best counterpart of each segment (row and column) plus
    every corrected link; positive when the table links them after the corrections.
    """
    rows = [s.index for s in pair.a.segments if in_half((s.start, s.end), half)]
    candidates = {(i, int(np.argmax(score[i]))) for i in rows}
    candidates |= {(int(np.argmax(score[:, j])), j) for j in range(score.shape[1]) if int(np.argmax(score[:, j])) in rows}
    candidates |= {key for key in corrected_links if key[0] in rows}
    return [(float(score[key]), key in corrected_links) for key in sorted(candidates)]


def best_bar(labelled: list[tuple[float, bool]], default: float) -> float:
    """The bar maximising F1 on ``(score, positive)`` examples; ties: nearest ``default``."""
    if not labelled:
        return default
    candidates = sorted({s for s, _ in labelled} | {default})
    candidates += [max(candidates) + 1e-3]  # above every example: links nothing
    best = (-1.0, 0.0, default)
    for t in candidates:
        tp = sum(1 for s, pos in labelled if pos and s >= t)
        fp = sum(1 for s, pos in labelled if not pos and s >= t)
        fn = sum(1 for s, pos in labelled if pos and s < t)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        best = max(best, (f1, -abs(t - default), t))
    return best[2]


# ---------------------------------------------------------------- the experiment


def half_counts(pair: PairResult, gold: Gold, half: list[Span], table=None) -> Counts:
    """Link counts restricted to links whose A side is in ``half``."""
    if table is None:
        pred = [((pair.a.segments[l.a].start, pair.a.segments[l.a].end), (pair.b.segments[l.b].start, pair.b.segments[l.b].end))
                for l in pair.links]  # fmt: skip
    else:
        linked = table[table.status.isin(["match", "partial"])]
        pred = [((int(r.a_start), int(r.a_end)), (int(r.b_start), int(r.b_end))) for r in linked.itertuples()]
    pred = [p for p in pred if in_half(p[0], half)]
    return score_links(pred, [(a, b) for a, b, _ in gold.links if in_half(a, half)])


FITS = ("corrections", "half")  # what the bar is fitted on: the corrections alone, or the whole corrected half


@dataclass
class Row:
    k: str
    made: list[int] = dataclasses.field(default_factory=list)
    train_before: list[float] = dataclasses.field(default_factory=list)
    train_corrected: list[float] = dataclasses.field(default_factory=list)
    before: list[Counts] = dataclasses.field(default_factory=list)
    after: dict[str, list[Counts]] = dataclasses.field(default_factory=lambda: {f: [] for f in FITS})
    bars: dict[str, list[float]] = dataclasses.field(default_factory=lambda: {f: [] for f in FITS})


def run(model: str, splits: int, ks: list[str]) -> tuple[list[Row], dict]:
    gold, source = load_gold()
    embedder = xling.get_embedder(model)
    docs = [xling.read_document(ROOT / "seeds" / gold.doc_a), xling.read_document(ROOT / "seeds" / gold.doc_b)]
    a, b = prepare(docs, embedder)
    base = align_pair(a, b, xling.Settings(), "seeds")
    comparison = Comparison(documents=(a, b), pairs=(base,), settings=xling.Settings())
    score = base.link_scores()
    rows = {k: Row(k) for k in ks}
    rng = random.Random(SPLIT_SEED)
    for _ in range(splits):
        sentences = list(gold.sentences_a)
        rng.shuffle(sentences)
        train, test = sentences[: len(sentences) // 2], sentences[len(sentences) // 2 :]
        for k in ks:
            corrections = simulate_corrections(base, score, gold, train, None if k == "all" else int(k))
            corrected = apply_to_comparison(comparison, corrections)  # the real machinery: same records the dashboard stores
            assert not corrected.stale and len(corrected.applied) == len(corrections)
            linked = {(link.a, link.b) for link in corrected.comparison.pairs[0].links}
            bars = {"corrections": fit_threshold(list(corrected.applied), base, score),
                    "half": best_bar(half_examples(linked, base, score, train), base.params.threshold)}  # fmt: skip
            row = rows[k]
            row.made.append(len(corrections))
            row.train_before.append(half_counts(base, gold, train).f1)
            row.train_corrected.append(half_counts(base, gold, train, corrected.table).f1)
            row.before.append(half_counts(base, gold, test))
            for fit, bar in bars.items():
                row.bars[fit].append(bar)
                row.after[fit].append(half_counts(realigned(a, b, base, bar), gold, test))
    info = {"gold": source, "model": embedder.model_id, "profile": base.profile, "default": base.params.threshold,
            "links": len(base.links), "gold_links": len(gold.links), "sentences_a": len(gold.sentences_a)}  # fmt: skip
    return list(rows.values()), info


def _mean(values) -> float:
    return statistics.fmean(values) if values else float("nan")


def report(rows: list[Row], info: dict, splits: int) -> str:
    title = (f"Learning from corrections: seed pair, {info['model']} (profile {info['profile']}, default link bar "
             f"{info['default']:.3f}, {info['links']} links), gold {info['gold']} ({info['gold_links']} links, "
             f"{info['sentences_a']} sentences of A); {splits} random half splits")  # fmt: skip
    legend = ("k corrections on one half; link P/R/F1 on the other half (mean over splits). fit: the bar re-fitted on the "
              "corrections alone, or on the whole corrected half (corrected links positive, other best-counterpart pairs negative).")  # fmt: skip
    header = (f"{'k':>4} {'made':>5} {'fit':<11} {'bar':>12} {'held-out P':>15} {'held-out R':>15} {'held-out F1':>15} "
              f"{'F1 up/same/down':>15}  {'corrected half F1':>17}")  # fmt: skip
    lines = [title, legend, header]
    for r in rows:
        p0, r0, f0 = (_mean([getattr(c, m) for c in r.before]) for m in ("precision", "recall", "f1"))
        for fit in FITS:
            after = r.after[fit]
            p1, r1, f1 = (_mean([getattr(c, m) for c in after]) for m in ("precision", "recall", "f1"))
            up = sum(x.f1 > y.f1 + 1e-9 for x, y in zip(after, r.before))
            down = sum(x.f1 < y.f1 - 1e-9 for x, y in zip(after, r.before))
            bar = f"{_mean(r.bars[fit]):.3f}±{statistics.pstdev(r.bars[fit]):.3f}"
            lines.append(f"{r.k:>4} {_mean(r.made):5.1f} {fit:<11} {bar:>12} {p0:6.3f} -> {p1:5.3f} {r0:6.3f} -> {r1:5.3f} "
                         f"{f0:6.3f} -> {f1:5.3f} {f'{up}/{len(after) - up - down}/{down}':>15}  "
                         f"{_mean(r.train_before):6.3f} -> {_mean(r.train_corrected):5.3f}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--splits", type=int, default=50)
    parser.add_argument("--k", default=",".join(DEFAULT_KS), help="corrections per split, comma-separated ('all': every candidate)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows, info = run(args.model, args.splits, args.k.split(","))
    print(report(rows, info, args.splits))
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
