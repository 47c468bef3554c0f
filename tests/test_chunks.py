"""xling/batch/chunks.py: how the pairs of a manifest are cut into chunks."""
from __future__ import annotations


import pytest

from xling.batch.chunks import plan_chunks
from xling.batch.manifest import PairTask


def tasks(pairs: list[tuple[str, str]]) -> list[PairTask]:
    return [PairTask(index=i, pair_id=f"p{i}", group_id="", doc_a=a, doc_b=b) for i, (a, b) in enumerate(pairs)]


@pytest.mark.parametrize("max_docs,max_pairs", [(2, 64), (3, 2), (4, 64), (24, 5), (100, 100)])
def test_chunks_hold_every_pair_once_within_their_limits(max_docs, max_pairs):
    pairs = tasks([(f"d{i % 7}", f"d{(i * 3 + 1) % 11}") for i in range(40)])
    chunks = plan_chunks(pairs, max_docs, max_pairs)
    placed = [p.pair_id for chunk in chunks for p in chunk]
    assert sorted(placed) == sorted(p.pair_id for p in pairs) and len(placed) == len(set(placed))
    for chunk in chunks:
        assert len(chunk) <= max_pairs
        assert len({d for p in chunk for d in (p.doc_a, p.doc_b)}) <= max(max_docs, 2)
        assert [p.index for p in chunk] == sorted(p.index for p in chunk)


def test_chunks_keep_the_pairs_of_a_document_together():
    # Two stars, interleaved in the manifest: a chunk per star, not a chunk per stretch of manifest.
    pairs = tasks([("hub1", f"a{i}") if i % 2 else ("hub2", f"b{i}") for i in range(16)])
    chunks = plan_chunks(pairs, max_docs=9, max_pairs=64)
    assert [{p.doc_a for p in chunk} for chunk in chunks] == [{"hub2"}, {"hub1"}]
