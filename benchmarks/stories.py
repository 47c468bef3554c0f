"""Stories: B-cubed precision, recall and F1 of ``xling stories`` on NTREX-128 and FLORES-200, and story pairs aligned.

    python -m benchmarks.stories --split test                  # the figures: xling stories run on each test corpus
    python -m benchmarks.stories --split dev --sweep           # how the rule's parameters were chosen (dev only)
    python -m benchmarks.stories --split test --model use-multilingual

Corpora: ``benchmarks/story_corpora.py``. ``pairs aligned`` is the share of
gold story pairs (two documents of one story) found in alignment.parquet;
``cross-story`` counts aligned pairs whose documents belong to different stories.
"""
from __future__ import annotations

import argparse
import itertools
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

import xling
from xling.stories import StoryParams, cluster, params_for, run_stories
from xling.stories.corpus import discover, read_entry
from xling.stories.rule import combine_candidates, evidence_arrays, story_labels
from xling.stories.tasks import EmbedTask, Known, VerifyTask, embed_chunk, vectors_of, verify_chunk
from xling.types import Document, Settings

from .story_corpora import write_flores, write_ntrex

CORPORA = {"NTREX-128": write_ntrex, "FLORES-200": write_flores}
SWEEP_NEIGHBOURS = 10
PLATEAU = 0.005  # settings this close to the best are as good: the shipped values sit inside that region


def build(name: str, folder: Path, split_name: str) -> dict[str, str]:
    return CORPORA[name](folder, split_name)


def evaluate(out_dir: Path, gold: dict[str, str]) -> dict[str, float]:
    """B-cubed of stories.csv against the gold stories; story pairs found in alignment.parquet and cross-story ones."""
    stories = pd.read_csv(out_dir / "stories.csv", keep_default_na=False)
    precision, recall, f1 = cluster.bcubed(list(stories["story_id"]), [gold[d] for d in stories["doc"]])
    table = pd.read_parquet(out_dir / "alignment.parquet", columns=["doc_a", "doc_b"]).drop_duplicates()
    aligned = {frozenset(p) for p in zip(table["doc_a"], table["doc_b"])}
    by_story: dict[str, list[str]] = {}
    for doc, story in gold.items():
        by_story.setdefault(story, []).append(doc)
    wanted = {frozenset(p) for docs in by_story.values() for p in itertools.combinations(docs, 2)}
    cross = sum(1 for p in aligned if len({gold[d] for d in p}) > 1)
    return {"precision": precision, "recall": recall, "f1": f1, "pairs_aligned": len(aligned & wanted) / len(wanted) if wanted else 1.0,
            "cross_story_pairs": cross, "documents": len(stories), "stories": stories["story_id"].nunique(),
            "gold_stories": len(by_story)}  # fmt: skip


def run_split(model: str, split_name: str, params: StoryParams | None = None) -> None:
    """``xling stories`` on each corpus of the split, end to end, and its figures."""
    embedder = xling.get_embedder(model)
    print(f"xling stories, {split_name} split, model {model}")
    print("| corpus | documents | gold stories | stories found | B-cubed P | B-cubed R | B-cubed F1 | pairs aligned | cross-story pairs | seconds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in CORPORA:
        work = Path(tempfile.mkdtemp(prefix="xling-stories-bench-"))
        try:
            gold = build(name, work / "corpus", split_name)
            started = time.perf_counter()
            run_stories([work / "corpus"], work / "out", settings=Settings(model=model), embedder=embedder, params=params)
            seconds = time.perf_counter() - started
            m = evaluate(work / "out", gold)
            print(f"| {name} | {m['documents']} | {m['gold_stories']} | {m['stories']} | {m['precision']:.3f} | {m['recall']:.3f} | "
                  f"**{m['f1']:.3f}** | {m['pairs_aligned']:.3f} | {m['cross_story_pairs']} | {seconds:.0f} |", flush=True)  # fmt: skip
        finally:
            shutil.rmtree(work, ignore_errors=True)


# --- the sweep: everything computed once, the rule's parameters varied ---------------------------------------


class Collected:
    """A corpus embedded once, its nearest neighbours (both spaces) and the evidence of every pair any setting may check."""

    def __init__(self, folder: Path, gold: dict[str, str], embedder, settings: Settings) -> None:
        entries = discover([folder])
        items = tuple((e.doc, str(e.path), read_entry(e, 10**8)) for e in entries)
        _, records = embed_chunk(EmbedTask(chunk_id="all", items=items), embedder, settings)
        self.records = records
        self.docs = list(records["doc"])
        self.gold = [gold[d] for d in self.docs]
        self.langs = list(records["lang"])
        self.segments = records["segments"].to_numpy()
        self.vectors = vectors_of(records)
        self.spaces = {True: cluster.centre_by_group(self.vectors, self.langs), False: self.vectors}
        self.nearest = {(c, False): cluster.nearest(space, SWEEP_NEIGHBOURS) for c, space in self.spaces.items()}
        self.nearest |= {(c, True): cluster.nearest_by_group(space, self.langs, SWEEP_NEIGHBOURS) for c, space in self.spaces.items()}
        pairs = set()
        for ids, sims in self.nearest.values():
            pairs |= {tuple(p) for p in cluster.candidate_pairs(ids, sims, -2.0, mutual=False).tolist()}
        documents = {e.doc: d for e, (_, _, d) in zip(entries, items)}
        known = {r.doc: Known(document=_with_lang(documents[r.doc], r.lang, r.lang_prob), spans=r.spans)
                 for r in records.itertuples(index=False)}  # fmt: skip
        names = tuple((self.docs[i], self.docs[j]) for i, j in sorted(pairs))
        _, frame = verify_chunk(VerifyTask(chunk_id="all", documents=known, pairs=names), embedder, settings)
        position = {d: k for k, d in enumerate(self.docs)}
        pairs = np.array([(position[a], position[b]) for a, b in zip(frame["doc_a"], frame["doc_b"])], dtype=np.int64)
        self.evidence = evidence_arrays(pairs, frame["links"], frame["linked_share"], frame["matched_share"], frame["ordered_share"])

    def score(self, params: StoryParams) -> tuple[float, float, float]:
        found = self._columns(self.nearest[params.centre, params.per_language], params.neighbours)
        plain = self._columns(self.nearest[False, False], params.neighbours) if params.raw_floor is not None else None
        pairs, cos = combine_candidates(self.spaces[params.centre], found, plain, params)
        labels = story_labels(self.segments, self.langs, self.vectors, pairs, cos, self.evidence, params)
        return cluster.bcubed(labels, self.gold)

    @staticmethod
    def _columns(lists: tuple[np.ndarray, np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
        """The first ``k`` of each block of :data:`SWEEP_NEIGHBOURS` columns (one block per language, or one)."""
        ids, sims = lists
        cols = [b * SWEEP_NEIGHBOURS + c for b in range(ids.shape[1] // SWEEP_NEIGHBOURS) for c in range(k)]
        return ids[:, cols], sims[:, cols]


def _with_lang(document: Document, lang: str, prob: float) -> Document:
    return Document(name=document.name, text=document.text, source=document.source, body_start=document.body_start,
                    metadata=document.metadata, lang=lang, lang_prob=prob)  # fmt: skip


GRID = {
    "per_language": (True, False),
    "centre": (True, False),
    "mutual": (True,),
    "neighbours": (4, 6, 8),
    "floor": (-1.0, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9),
    "raw_floor": (None, 0.8),
    "matched_only": (True, False),
    "in_order": (True, False),
    "min_share": (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "min_links": (1, 2),
    "min_average": (-1.0, 0.2),
}


def sweep(model: str, split_name: str, top: int = 12) -> StoryParams:
    embedder = xling.get_embedder(model)
    settings = Settings(model=model)
    work = Path(tempfile.mkdtemp(prefix="xling-stories-sweep-"))
    try:
        collected = {}
        for name in CORPORA:
            started = time.perf_counter()
            collected[name] = Collected(work / name, build(name, work / name, split_name), embedder, settings)
            print(f"# {name} {split_name}: {len(collected[name].docs)} documents, {len(collected[name].evidence['codes'])} pairs checked "
                  f"in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = []
    keys = list(GRID)
    for values in itertools.product(*GRID.values()):
        params = replace(StoryParams(), **dict(zip(keys, values)))
        scores = {name: c.score(params) for name, c in collected.items()}
        worst = min(s[2] for s in scores.values())
        results.append((worst, float(np.mean([s[2] for s in scores.values()])), params, scores))
    results.sort(key=lambda r: (-r[0], -r[1]))
    print(f"\nbest of each family (per_language, centre) on {split_name}:")
    for family in itertools.product((True, False), (True, False)):
        worst, mean, params, scores = next(r for r in results if (r[2].per_language, r[2].centre) == family)
        print(f"{worst:.3f} {mean:.3f}  {_short(params)}")
    print(f"\nbest settings on {split_name} (worst corpus F1, mean F1, then each corpus P/R/F1), of {len(results)}:")
    for worst, mean, params, scores in results[:top]:
        cells = "  ".join(f"{n} {p:.3f}/{r:.3f}/{f:.3f}" for n, (p, r, f) in scores.items())
        print(f"{worst:.3f} {mean:.3f}  {_short(params)}  {cells}")
    best = results[0][0]
    near = [r for r in results if r[0] >= best - PLATEAU]
    print(f"\nsettings within {PLATEAU} of the best worst-corpus F1: {len(near)} of {len(results)}; how often each value appears among them:")
    for key, values in GRID.items():
        counts = {v: sum(1 for r in near if getattr(r[2], key) == v) for v in values}
        print(f"  {key:<13} " + "  ".join(f"{v}: {c}" for v, c in counts.items()))
    current = params_for(model)
    scores = {name: c.score(current) for name, c in collected.items()}
    print(f"\nshipped for {model}: {_short(current)}: " + "  ".join(f"{n} F1 {s[2]:.3f}" for n, s in scores.items()))
    return results[0][2]


def _short(p: StoryParams) -> str:
    return (f"per_language={p.per_language} centre={p.centre} mutual={p.mutual} k={p.neighbours} floor={p.floor} share={p.min_share}{'(match)' if p.matched_only else ''}{'(in order)' if p.matched_only and p.in_order else ''} links={p.min_links} "
            f"avg={p.min_average} raw_floor={p.raw_floor}")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--model", default="e5+use")
    parser.add_argument("--sweep", action="store_true", help="vary the rule's parameters on the split (use dev)")
    args = parser.parse_args(argv)
    if args.sweep:
        sweep(args.model, args.split)
    else:
        run_split(args.model, args.split)


if __name__ == "__main__":
    main()
