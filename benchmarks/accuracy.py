"""Alignment accuracy on the NTREX comparable-article cases, per language pair.

    python -m benchmarks.accuracy [--split dev|test] [--model NAME] [--sweep]
"""
from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Iterable
from dataclasses import dataclass

import xling
from xling.embed import DEFAULT_MODEL
from xling.pipeline import Prepared, align_pair, prepare

from .comparable import PAIRS, ROOT, Case, build_cases
from .spans import Counts, score_table


@dataclass
class PreparedCase:
    case: Case
    a: Prepared
    b: Prepared


def prepare_cases(cases: Iterable[Case], embedder, level: str = "sentence") -> list[PreparedCase]:
    out = []
    for case in cases:
        docs = [xling.document_from_text(case.text_a, name="a"), xling.document_from_text(case.text_b, name="b")]
        a, b = prepare(docs, embedder, level)
        out.append(PreparedCase(case, a, b))
    return out


def evaluate(prepared: list[PreparedCase], settings: xling.Settings) -> dict[str, tuple[Counts, Counts]]:
    """Per language pair (and 'all'): (linked-pair counts, unique-passage counts)."""
    totals: dict[str, tuple[Counts, Counts]] = {}
    for item in prepared:
        df = align_pair(item.a, item.b, settings, item.case.case_id).to_dataframe()
        links, uniq = score_table(df, item.case.links, item.case.unique_a, item.case.unique_b)
        for key in (item.case.pair, "all"):
            tl, tu = totals.setdefault(key, (Counts(), Counts()))
            tl.add(links)
            tu.add(uniq)
    return totals


SEED_GOLD = ROOT / "data" / "gold" / "seeds_pairs.json"


def seed_case() -> tuple[Case, list[tuple]]:
    """The seed pair as a case (gold links of both labels), plus the clearly unique spans (A and B)."""
    import json

    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    text_a = xling.read_document(ROOT / "seeds" / gold["doc_a"]).text
    text_b = xling.read_document(ROOT / "seeds" / gold["doc_b"]).text
    links = [(tuple(l["a"]), tuple(l["b"])) for l in gold["links"]]
    case = Case("seeds", "seeds", text_a, text_b, links, [tuple(s) for s in gold["unique_a"]], [tuple(s) for s in gold["unique_b"]])
    return case, [tuple(s) for s in gold["clearly_unique_a"]] + [tuple(s) for s in gold["clearly_unique_b"]]


def prepare_seed(embedder) -> PreparedCase:
    case, _ = seed_case()
    docs = [xling.read_document(ROOT / "seeds" / name) for name in sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))]
    a, b = prepare(docs, embedder)
    return PreparedCase(case, a, b)


def objective(totals: dict[str, tuple[Counts, Counts]]) -> float:
    """What tuning maximises: the worst language pair's mean of linked F1 and unique F1."""
    return min((l.f1 + u.f1) / 2 for key, (l, u) in totals.items() if key != "all")


def table(totals: dict[str, tuple[Counts, Counts]], title: str) -> str:
    lines = [title, f"{'pair':<7} {'link P':>7} {'link R':>7} {'link F1':>8} {'uniq P':>7} {'uniq R':>7} {'uniq F1':>8}"]
    for key in [*PAIRS, "all"]:
        if key in totals:
            l, u = totals[key]
            lines.append(f"{key:<7} {l.precision:7.3f} {l.recall:7.3f} {l.f1:8.3f} {u.precision:7.3f} {u.recall:7.3f} {u.f1:8.3f}")
    return "\n".join(lines)


SWEEP = {
    "threshold": [1.02, 1.03, 1.04, 1.05, 1.06],
    "extra_threshold": [1.0, 1.05, 1.08, 1.12],
    "lexical_weight": [0.0, 0.5],
    "anchor_weight": [0.0, 0.01, 0.02],
}


def sweep(prepared: list[PreparedCase], grid: dict[str, list] = SWEEP, seed: PreparedCase | None = None):
    """Every setting of ``grid`` scored on ``prepared`` (dev); the seed pair's F1 is shown, not optimised."""
    results = []
    keys = list(grid)
    for values in itertools.product(*(grid[k] for k in keys)):
        params = dict(zip(keys, values))
        totals = evaluate(prepared, xling.Settings(**params))
        seed_f1 = evaluate([seed], xling.Settings(**params))["all"][0].f1 if seed else float("nan")
        results.append((objective(totals), totals["all"][0].f1, totals["all"][1].f1, seed_f1, params))
    return sorted(results, key=lambda r: -r[0])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="test", choices=("dev", "test"))
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--sweep", action="store_true", help="grid-search settings (on dev only)")
    args = parser.parse_args(argv)
    embedder = xling.get_embedder(args.model)
    started = time.perf_counter()
    prepared = prepare_cases(build_cases(args.split), embedder)
    print(f"{len(prepared)} cases prepared in {time.perf_counter() - started:.1f} s")
    if args.sweep:
        if args.split != "dev":
            parser.error("tune on dev only")
        print("objective  link F1  uniq F1  seed F1  settings")
        for value, link_f1, uniq_f1, seed_f1, params in sweep(prepared, seed=prepare_seed(embedder))[:25]:
            print(f"{value:9.4f} {link_f1:8.3f} {uniq_f1:8.3f} {seed_f1:8.3f}  {params}")
        return
    print(table(evaluate(prepared, xling.Settings()), f"{args.model}, NTREX {args.split} split, default settings"))
    print()
    print(seed_report(embedder))


def seed_report(embedder) -> str:
    """The seed pair against the hand-made gold: linked pairs, unique passages, the clearly unique ones."""
    from .spans import stands_for

    seed = prepare_seed(embedder)
    pair = align_pair(seed.a, seed.b, xling.Settings(), "seeds")
    links, uniq = score_table(pair.to_dataframe(), seed.case.links, seed.case.unique_a, seed.case.unique_b)
    _, clear = seed_case()
    unique_spans = [(s.start, s.end) for s in (seed.a.segments[i] for i in pair.unique_a)]
    unique_spans += [(s.start, s.end) for s in (seed.b.segments[j] for j in pair.unique_b)]
    clear_a, clear_b = clear[:3], clear[3:]
    found = sum(any(stands_for(p, g) for p in unique_spans[: len(pair.unique_a)]) for g in clear_a)
    found += sum(any(stands_for(p, g) for p in unique_spans[len(pair.unique_a) :]) for g in clear_b)
    return (f"seed pair (profile {pair.profile}): linked P {links.precision:.3f} R {links.recall:.3f} F1 {links.f1:.3f}; "
            f"unique P {uniq.precision:.3f} R {uniq.recall:.3f} F1 {uniq.f1:.3f}; clearly unique passages reported unique: {found}/{len(clear)}")


if __name__ == "__main__":
    main()
