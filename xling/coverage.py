"""Overlap and unique coverage, for two documents or N."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .types import Coverage, Segment


def coverage(segments: Sequence[Segment], covered: Iterable[int]) -> Coverage:
    """Share of ``segments`` (by count and by characters) whose index is in ``covered``."""
    return coverage_of_lengths({s.index: len(s) for s in segments}, covered)


def coverage_of_lengths(lengths: Mapping[int, int], covered: Iterable[int]) -> Coverage:
    """:func:`coverage` of a document known only by its segments' lengths (segment index -> characters).

    Batch assembly knows a document from its rows in the table, not as segments.
    """
    inside = set(covered) & lengths.keys()
    return Coverage(segments=len(lengths), covered_segments=len(inside), chars=sum(lengths.values()),
                    covered_chars=sum(lengths[i] for i in inside))  # fmt: skip


def carriers(n_segments: int, covered_by: dict[str, Iterable[int]]) -> list[tuple[str, ...]]:
    """For each segment of one document, the names of the other documents that cover it.

    ``covered_by`` maps another document's name to the indices of this
    document's segments it covers.
    """
    out: list[list[str]] = [[] for _ in range(n_segments)]
    for name in sorted(covered_by):
        for index in set(covered_by[name]):
            out[index].append(name)
    return [tuple(names) for names in out]
