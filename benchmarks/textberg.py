"""Text+Berg de-fr (the Bleualign test set Bertalign and Vecalign report on): strict and lax bead F1.

    python -m benchmarks.textberg [--split test|dev] [--model NAME]

Each file's sentences (one per line) are encoded once and aligned by xling's
library (``xling.pipeline.align_pair`` on ``Prepared`` documents built from the
lines, so the aligner sees exactly the gold's sentences). The score follows
the peers' definition (Sennrich & Volk 2011, as implemented by vecalign's
``score.py``): precision over every predicted bead, deletions included; recall
over the gold beads that have both sides; strict when the bead is identical,
lax when it overlaps a gold bead on both sides. Tune on ``dev`` only.
"""
from __future__ import annotations

import argparse
import ast
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Bead = tuple[tuple[int, ...], tuple[int, ...]]
ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = (ROOT / "data" / "sources" / "textberg", ROOT.parent / "shared" / "data" / "sources" / "textberg")
SPLITS = {"dev": ["dev"], "test": [f"test{i}" for i in range(7)]}
PUBLISHED = [
    ("Bertalign + LaBSE (published)", 0.936, 0.989),
    ("Bertalign's algorithm, e5-small vectors (measured by the issue)", 0.910, 0.989),
    ("Vecalign + LASER (published)", 0.902, 0.986),
]


def source_dir() -> Path:
    for folder in SOURCE_DIRS:
        if (folder / "dev.de").exists():
            return folder
    raise SystemExit(f"Text+Berg files not found in {', '.join(map(str, SOURCE_DIRS))}")


def read_gold(path: Path) -> list[Bead]:
    beads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            left, right = line.split(":")
            beads.append((tuple(ast.literal_eval(left)), tuple(ast.literal_eval(right))))
    return beads


@dataclass
class File:
    name: str
    de: list[str]
    fr: list[str]
    gold: list[Bead]


def load(split: str) -> list[File]:
    folder = source_dir()
    return [
        File(name, (folder / f"{name}.de").read_text(encoding="utf-8").splitlines(),
             (folder / f"{name}.fr").read_text(encoding="utf-8").splitlines(), read_gold(folder / f"{name}.defr"))
        for name in SPLITS[split]
    ]  # fmt: skip


def _counts(gold: Iterable[Bead], test: Iterable[Bead]) -> np.ndarray:
    """``[tp strict, fp strict, tp lax, fp lax]`` of ``test`` against ``gold``."""
    test_set = {(tuple(a), tuple(b)) for a, b in test if a or b}
    gold_set = {(tuple(a), tuple(b)) for a, b in gold if a or b}
    targets: dict[int, set[int]] = defaultdict(set)
    for ga, gb in gold_set:
        for i in ga:
            targets[i].update(gb)
    out = np.zeros(4, dtype=np.int64)
    for ta, tb in test_set:
        if (ta, tb) in gold_set:
            out += (1, 0, 1, 0)
        elif set(tb) & set().union(*(targets[i] for i in ta)) if ta else False:
            out += (0, 1, 1, 0)
        else:
            out += (0, 1, 0, 1)
    return out


def score(golds: Sequence[list[Bead]], tests: Sequence[list[Bead]]) -> dict[str, float]:
    """Strict and lax precision, recall and F1 over several files (counts summed, as the peers do)."""
    p = np.zeros(4, dtype=np.int64)
    r = np.zeros(4, dtype=np.int64)
    for gold, test in zip(golds, tests):
        p += _counts(gold, test)
        r += _counts([x for x in test if x[0] and x[1]], [x for x in gold if x[0] and x[1]])

    def ratio(tp: int, fp: int) -> float:
        return tp / (tp + fp) if tp + fp else 0.0

    def f1(x: float, y: float) -> float:
        return 2 * x * y / (x + y) if x + y else 0.0

    ps, pl, rs, rl = ratio(p[0], p[1]), ratio(p[2], p[3]), ratio(r[0], r[1]), ratio(r[2], r[3])
    return {"p_strict": ps, "r_strict": rs, "f1_strict": f1(ps, rs), "p_lax": pl, "r_lax": rl, "f1_lax": f1(pl, rl)}


def many_to_one_exact(golds: Sequence[list[Bead]], tests: Sequence[list[Bead]]) -> tuple[int, int]:
    """(found exactly, total) over gold beads with more than one segment on a side."""
    found = total = 0
    for gold, test in zip(golds, tests):
        test_set = {(tuple(a), tuple(b)) for a, b in test}
        for a, b in gold:
            if a and b and (len(a) > 1 or len(b) > 1):
                total += 1
                found += (tuple(a), tuple(b)) in test_set
    return found, total


def prepared_pair(file: File, embedder):
    """The two sides as xling ``Prepared`` documents whose segments are exactly the gold's lines.

    (xling's own paragraph splitter would read a line such as ``1. Vom ...`` as
    a list item and leave the number out; the gold counts it.)
    """
    import xling
    from xling.pipeline import Prepared, with_language
    from xling.types import Segment

    out = []
    for lang, lines in (("de", file.de), ("fr", file.fr)):
        doc = with_language(xling.document_from_text("\n".join(lines), name=f"{file.name}.{lang}"))
        segments, start = [], 0
        for k, line in enumerate(lines):
            segments.append(Segment(index=k, start=start, end=start + len(line), text=line, lang=doc.lang, lang_prob=doc.lang_prob, paragraph=k))
            start += len(line) + 1
        out.append(Prepared(document=doc, segments=tuple(segments), embeddings=embedder.encode(lines), model_id=embedder.model_id))
    return out


def predict(a, b, settings) -> list[Bead]:
    from xling.pipeline import align_pair

    return [(bead.a, bead.b) for bead in align_pair(a, b, settings).all_beads()]


def main(argv: list[str] | None = None) -> None:
    import xling
    from xling.embed import DEFAULT_MODEL

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=sorted(SPLITS))
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args(argv)
    embedder = xling.get_embedder(args.model)
    files = load(args.split)
    started = time.perf_counter()
    pairs = [prepared_pair(f, embedder) for f in files]
    encoded = time.perf_counter() - started
    settings = xling.Settings()
    started = time.perf_counter()
    tests = [predict(a, b, settings) for a, b in pairs]
    aligned = time.perf_counter() - started
    golds = [f.gold for f in files]
    res = score(golds, tests)
    found, total = many_to_one_exact(golds, tests)
    kinds = Counter((min(len(a), 9), min(len(b), 9)) for t in tests for a, b in t)
    print(f"Text+Berg de-fr, {args.split} ({len(files)} files, {sum(len(g) for g in golds)} gold beads), model {args.model}")
    print(f"{'system':<66} {'strict P':>8} {'strict R':>8} {'strict F1':>9} {'lax F1':>7}")
    print(f"{'xling (' + args.model + ')':<66} {res['p_strict']:8.3f} {res['r_strict']:8.3f} {res['f1_strict']:9.3f} {res['f1_lax']:7.3f}")
    if args.split == "test":
        for name, strict, lax in PUBLISHED:
            print(f"{name:<66} {'':>8} {'':>8} {strict:9.3f} {lax:7.3f}")
    print(f"many-to-one / many-to-many gold beads found exactly: {found}/{total} ({found / max(total, 1):.1%})")
    print(f"predicted bead kinds: {dict(sorted(kinds.items()))}")
    print(f"encoding {encoded:.1f} s (cached after the first run), aligning {aligned:.2f} s")


if __name__ == "__main__":
    main()
