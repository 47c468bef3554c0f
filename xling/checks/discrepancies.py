"""The check stage: the facts each link's passages disagree on, and each unlinked passage's conflicts with its closest.

Records and arrays in, frozen records out; the pipeline calls :func:`check_pair` once per alignment
(and once more for a result given other links), and the table, the dashboard and the report read the
:class:`PairChecks` it returns. JSON is made only at the export edge (:func:`to_cell`); a table read
back from a file has one reader (:func:`from_cell`).
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..types import Bead, Segment
from . import facts
from .facts import Difference

BEAD_JOINER = "\n"  # between the segments of one side of a bead, read as one text by the facts check


@dataclass(frozen=True, kw_only=True)
class Closest:
    """An unlinked passage's closest passage of the other document (by cosine) and the values they contradict."""

    index: int
    conflicts: tuple[Difference, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PairChecks:
    """What the check stage found in one pair.

    ``links[(a, b)]``: the differences of that link (``()`` when none), for every link of the pair;
    ``closest_a[i]`` / ``closest_b[j]``: for every unlinked passage, its closest passage, or None when
    none passes the cosine floor.
    """

    links: Mapping[tuple[int, int], tuple[Difference, ...]] = field(default_factory=dict)
    closest_a: Mapping[int, Closest | None] = field(default_factory=dict)
    closest_b: Mapping[int, Closest | None] = field(default_factory=dict)

    def of_link(self, a: int, b: int) -> tuple[Difference, ...]:
        return self.links.get((a, b), ())

    def closest(self, side: str, index: int) -> Closest | None:
        """The closest passage of unlinked passage ``index`` of ``side`` ("a" or "b")."""
        return (self.closest_a if side == "a" else self.closest_b).get(index)

    def of_unique(self, side: str, index: int) -> tuple[Difference, ...]:
        found = self.closest(side, index)
        return found.conflicts if found is not None else ()

    def count(self) -> int:
        """Links and unlinked passages with at least one difference."""
        singles = (*self.closest_a.values(), *self.closest_b.values())
        return sum(bool(d) for d in self.links.values()) + sum(bool(c and c.conflicts) for c in singles)


def check_pair(
    a: Sequence[Segment], b: Sequence[Segment], *, langs_a: Sequence[str], langs_b: Sequence[str], beads: Sequence[Bead],
    unique_a: Sequence[int], unique_b: Sequence[int], similarity: np.ndarray, floor: float, comparable: bool,
) -> PairChecks:  # fmt: skip
    """The facts the beads' two sides disagree on, and each unlinked passage's conflicts with its closest passage.

    ``langs_a[i]``: the language segment ``i`` of A is read in (its own, or its document's when too short
    to judge). ``similarity[i, j]``: cosine of A's segment i and B's segment j; a closest passage needs
    ``floor`` or more. ``comparable``: independent reports, where only contradicting values count.
    """
    links: dict[tuple[int, int], tuple[Difference, ...]] = {}
    for bead in beads:
        links.update(_bead_differences(bead, a, b, langs_a, langs_b, comparable))
    closest_a = {i: _closest(i, similarity[i], floor, a[i], langs_a[i], b, langs_b, "a") for i in unique_a}
    closest_b = {j: _closest(j, similarity[:, j], floor, b[j], langs_b[j], a, langs_a, "b") for j in unique_b}
    return PairChecks(links=links, closest_a=closest_a, closest_b=closest_b)


def _closest(index: int, row: np.ndarray, floor: float, seg: Segment, lang: str, others: Sequence[Segment],
             other_langs: Sequence[str], side: str) -> Closest | None:  # fmt: skip
    """The other document's passage most like ``seg`` if over the cosine floor, with the values they contradict."""
    if row.size == 0:
        return None
    best = int(np.argmax(row))
    if not row[best] >= floor:
        return None
    other, other_lang = others[best], other_langs[best]
    if side == "a":
        found = facts.compare_facts(seg.text, lang, other.text, other_lang)
    else:
        found = facts.compare_facts(other.text, other_lang, seg.text, lang)
    return Closest(index=best, conflicts=tuple(facts.conflicts(found)))


def _bead_differences(bead: Bead, a: Sequence[Segment], b: Sequence[Segment], langs_a: Sequence[str], langs_b: Sequence[str],
                      comparable: bool) -> dict[tuple[int, int], tuple[Difference, ...]]:  # fmt: skip
    """Each link's differences in the bead: the facts the bead's two sides disagree on, each told once.

    Both sides are read whole (a figure the translator moved to the other half of a split sentence is
    no difference); a difference goes to the link whose two passages hold it.
    """
    if len(bead.a) == 1 and len(bead.b) == 1:
        i, j = bead.a[0], bead.b[0]
        found = facts.compare_facts(a[i].text, langs_a[i], b[j].text, langs_b[j])
        return {(i, j): tuple(facts.conflicts(found) if comparable else found)}
    text_a, starts_a = _joined([a[i] for i in bead.a])
    text_b, starts_b = _joined([b[j] for j in bead.b])
    found = facts.compare_facts(text_a, langs_a[bead.a[0]], text_b, langs_b[bead.b[0]])
    found = facts.conflicts(found) if comparable else found
    cells: dict[tuple[int, int], list[Difference]] = {(k.a, k.b): [] for k in bead.links}
    for diff in found:
        ka, spans_a = _locate(diff.a_spans, bead.a, starts_a)
        kb, spans_b = _locate(diff.b_spans, bead.b, starts_b)
        key = next(((i, j) for (i, j) in cells if (ka is None or i == ka) and (kb is None or j == kb)), None)
        key = key or next(iter(cells))
        cells[key].append(dataclasses.replace(diff, a_spans=spans_a, b_spans=spans_b))
    return {key: tuple(here) for key, here in cells.items()}


def _joined(segments: Sequence[Segment]) -> tuple[str, list[int]]:
    """The segments' texts as one, and where each starts in it."""
    starts, parts, pos = [], [], 0
    for seg in segments:
        starts.append(pos)
        parts.append(seg.text)
        pos += len(seg.text) + len(BEAD_JOINER)
    return BEAD_JOINER.join(parts), starts


def _locate(spans: Sequence[tuple[int, int]], indices: Sequence[int], starts: Sequence[int]) -> tuple[int | None, tuple[tuple[int, int], ...]]:
    """The segment (of ``indices``) holding the first span of the joined text, and the spans moved into it."""
    if not spans:
        return None, ()
    k = max(n for n, start in enumerate(starts) if start <= spans[0][0])
    return indices[k], tuple((s - starts[k], e - starts[k]) for s, e in spans if starts[k] <= s and (k + 1 == len(starts) or e <= starts[k + 1]))


# --- the table's ``discrepancies`` cell: made here at the export edge, read back here only -------------------


def to_cell(differences: Sequence[Difference], closest: int | None = None) -> str:
    """The ``discrepancies`` cell: a compact JSON list (each item with ``closest`` for an unlinked passage); "" when none."""
    extra = {} if closest is None else {"closest": closest}
    return facts.to_json(differences, **extra)


def from_cell(value: object) -> tuple[Difference, ...]:
    """The differences of a ``discrepancies`` cell of a table read from a file ("" or missing: none).

    Only for consumers that have a table and no comparison; everything else reads :class:`PairChecks`.
    """
    if not isinstance(value, str) or not value.strip():
        return ()
    return tuple(Difference(kind=item["kind"], a=item["a"], b=item["b"], a_spans=tuple(tuple(s) for s in item["a_spans"]),
                            b_spans=tuple(tuple(s) for s in item["b_spans"])) for item in json.loads(value))  # fmt: skip
