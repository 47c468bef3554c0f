"""Overlap and unique coverage, for two documents or N."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from .types import Coverage, Segment


def coverage(segments: Sequence[Segment], covered: Iterable[int]) -> Coverage:
    """Share of ``segments`` (by count and by characters) whose index is in ``covered``."""
    covered = set(covered)
    return Coverage(
        segments=len(segments),
        covered_segments=sum(1 for s in segments if s.index in covered),
        chars=sum(len(s) for s in segments),
        covered_chars=sum(len(s) for s in segments if s.index in covered),
    )


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
