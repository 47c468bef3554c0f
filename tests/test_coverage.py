"""xling/coverage.py: shares of a document covered, by segments and characters, and who carries each segment."""
from __future__ import annotations

import pytest

from xling.coverage import carriers, coverage, coverage_of_lengths
from xling.types import Segment


def seg(index: int, text: str) -> Segment:
    return Segment(index=index, text=text, start=index * 100, end=index * 100 + len(text))


SEGMENTS = [seg(0, "a" * 10), seg(1, "b" * 30), seg(2, "c" * 60)]


@pytest.mark.parametrize(("covered", "segments", "chars", "char_share"), [
    ((), 0, 0, 0.0),
    ((1,), 1, 30, 0.3),
    ((0, 2), 2, 70, 0.7),
    ((0, 1, 2, 2), 3, 100, 1.0),  # an index given twice counts once
    ((7,), 0, 0, 0.0),  # an index the document does not have counts for nothing
])  # fmt: skip
def test_coverage_counts_segments_and_characters(covered, segments, chars, char_share):
    cov = coverage(SEGMENTS, covered)
    assert (cov.segments, cov.chars) == (3, 100)
    assert (cov.covered_segments, cov.covered_chars) == (segments, chars)
    assert cov.char_share == pytest.approx(char_share)


def test_an_empty_document_is_zero_covered_not_a_division_by_zero():
    assert coverage([], [0]).char_share == 0.0


def test_lengths_give_what_the_segments_give():
    for covered in ((), (1,), (0, 2), (0, 1, 2)):
        assert coverage_of_lengths({s.index: len(s) for s in SEGMENTS}, covered) == coverage(SEGMENTS, covered)


def test_carriers_name_every_other_document_covering_a_segment_in_name_order():
    assert carriers(4, {"c": [1, 3], "b": {1}, "d": []}) == [(), ("b", "c"), (), ("c",)]
