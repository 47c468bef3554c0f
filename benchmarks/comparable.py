"""Comparable-article cases built from NTREX-128, with gold kept as character spans.

For each article and language pair two "outlets" cover the same story: each
side drops a different ~20% of the sentences, each gets one or two sentences
from another article (content of its own), side B's paragraphs are re-ordered
in blocks, and on side A one or two adjacent sentence pairs are fused into one
line (a many-to-one link). Everything is seeded: the same seed gives the same cases.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NTREX = ROOT / "data" / "sources" / "ntrex128"
FILES = {
    "eng": "newstest2019-src.eng.txt",
    "eng-GB": "newstest2019-ref.eng-GB.txt",
    "ita": "newstest2019-ref.ita.txt",
    "spa": "newstest2019-ref.spa.txt",
    "spa-MX": "newstest2019-ref.spa-MX.txt",
}
# language pair -> (file of side A, file of side B)
PAIRS: dict[str, tuple[str, str]] = {
    "it-es": ("ita", "spa"),
    "it-en": ("ita", "eng"),
    "es-en": ("spa", "eng"),
    "es-es": ("spa", "spa-MX"),
    "en-en": ("eng", "eng-GB"),
}
DROP_SHARE = 0.2
DEV_SHARE = 0.4
SPLIT_SEED = 2024
PARAGRAPH_SEP = "\n\n"
Span = tuple[int, int]


@dataclass(frozen=True)
class Case:
    case_id: str
    pair: str
    text_a: str
    text_b: str
    links: list[tuple[Span, Span]] = field(default_factory=list)
    unique_a: list[Span] = field(default_factory=list)
    unique_b: list[Span] = field(default_factory=list)


@cache
def load_lines(key: str) -> tuple[str, ...]:
    return tuple(line.rstrip("\r\n").replace("\r", "") for line in (NTREX / FILES[key]).read_text(encoding="utf-8").split("\n")[:-1])


@cache
def documents() -> dict[str, list[int]]:
    """Document id -> line numbers (contiguous blocks, in file order)."""
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[int]] = {}
    for number, doc_id in enumerate(ids):
        docs.setdefault(doc_id.strip(), []).append(number)
    return docs


def split() -> dict[str, list[str]]:
    """A fixed dev/test split of the document ids (seeded shuffle)."""
    ids = sorted(documents())
    random.Random(SPLIT_SEED).shuffle(ids)
    cut = round(len(ids) * DEV_SHARE)
    return {"dev": sorted(ids[:cut]), "test": sorted(ids[cut:])}


def _drop_sets(rng: random.Random, n: int) -> tuple[set[int], set[int]]:
    k = max(1, round(n * DROP_SHARE)) if n >= 4 else 0
    order = list(range(n))
    rng.shuffle(order)
    return set(order[:k]), set(order[k : 2 * k])


def _foreign(rng: random.Random, doc_id: str, key: str) -> list[str]:
    others = [d for d in sorted(documents()) if d != doc_id]
    lines = documents()[rng.choice(others)]
    return [load_lines(key)[i] for i in rng.sample(lines, min(len(lines), rng.choice((1, 2))))]


def _blocks(rng: random.Random, items: list) -> list:
    if len(items) < 4:
        return items
    cuts = sorted(rng.sample(range(1, len(items)), min(rng.choice((1, 2, 3)), len(items) - 1)))
    blocks = [items[a:b] for a, b in zip([0, *cuts], [*cuts, len(items)])]
    order = list(range(len(blocks)))
    while order == sorted(order):
        rng.shuffle(order)
    return [x for k in order for x in blocks[k]]


def _render(units: list[list[tuple[str, str]]]) -> tuple[str, dict[str, Span]]:
    """Units (lines) of (key, sentence) parts -> text and the span of every key."""
    text, spans = "", {}
    for number, unit in enumerate(units):
        if number:
            text += PARAGRAPH_SEP
        for part, (key, sentence) in enumerate(unit):
            if part:
                text += " "
            spans[key] = (len(text), len(text) + len(sentence))
            text += sentence
    return text, spans


def build_case(doc_id: str, pair: str, seed: int = 0) -> Case:
    key_a, key_b = PAIRS[pair]
    rng = random.Random(f"{seed}/{pair}/{doc_id}")
    lines = documents()[doc_id]
    la, lb = load_lines(key_a), load_lines(key_b)
    n = len(lines)
    drop_a, drop_b = _drop_sets(rng, n)
    units_a = [[(f"s{i}", la[lines[i]])] for i in range(n) if i not in drop_a]
    units_b = [[(f"s{i}", lb[lines[i]])] for i in range(n) if i not in drop_b]
    # fuse adjacent lines on side A
    for _ in range(rng.choice((1, 2))):
        fusable = [k for k in range(len(units_a) - 1) if len(units_a[k]) == 1 and len(units_a[k + 1]) == 1]
        if fusable:
            k = rng.choice(fusable)
            units_a[k : k + 2] = [units_a[k] + units_a[k + 1]]
    units_b = _blocks(rng, units_b)
    for units, key, tag in ((units_a, key_a, "fa"), (units_b, key_b, "fb")):
        for number, sentence in enumerate(_foreign(rng, doc_id, key)):
            units.insert(rng.randrange(len(units) + 1), [(f"{tag}{number}", sentence)])
    text_a, spans_a = _render(units_a)
    text_b, spans_b = _render(units_b)
    links = [(spans_a[k], spans_b[k]) for k in spans_a if k in spans_b]
    unique_a = [span for k, span in spans_a.items() if k not in spans_b]
    unique_b = [span for k, span in spans_b.items() if k not in spans_a]
    return Case(f"{pair}/{doc_id}", pair, text_a, text_b, sorted(links), sorted(unique_a), sorted(unique_b))


def build_cases(split_name: str, pairs: list[str] | None = None, seed: int = 0) -> list[Case]:
    ids = split()[split_name]
    return [build_case(doc_id, pair, seed) for pair in (pairs or list(PAIRS)) for doc_id in ids]
