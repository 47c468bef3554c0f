"""The bead DP and the runs it is given: arrays in, beads out."""
from __future__ import annotations

import numpy as np
import pytest

from xling import align, beads

DIM = 64


def topics(count: int, seed: int = 0) -> np.ndarray:
    """``count`` random unit vectors, nearly orthogonal in 64 dimensions: one per piece of content."""
    rng = np.random.default_rng(seed)
    return beads.unit(rng.normal(size=(count, DIM)).astype(np.float32))


def noisy(vectors: np.ndarray, seed: int, scale: float = 0.25) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return beads.unit(vectors + scale * rng.normal(size=vectors.shape).astype(np.float32) / np.sqrt(DIM))


def test_bead_types_are_bounded_by_max_bead():
    types = beads.bead_types(4)
    assert (1, 1) in types and (1, 3) in types and (2, 2) in types
    assert all(p + q <= 4 for p, q in types)
    assert types[-2:] == [(1, 0), (0, 1)]


def test_windows_are_length_weighted_unit_sums():
    emb = topics(3)
    lengths = np.array([10.0, 30.0, 20.0])
    win = beads.windows(emb, lengths, 2)
    assert win.shape == (2, DIM)
    expected = beads.unit(10 * emb[0] + 30 * emb[1])
    assert np.allclose(win[0], expected, atol=1e-5)
    assert beads.windows(emb, lengths, 4).shape == (0, DIM)


def test_monotone_anchors_drop_the_pair_out_of_order():
    pairs = [(0, 0), (1, 1), (2, 9), (3, 2), (4, 3)]
    assert beads.monotone_anchors(pairs) == [(0, 0), (1, 1), (3, 2), (4, 3)]


def test_runs_cut_where_a_block_moved_and_drop_short_ones():
    # B holds A's second block (a 5..9) first, then the first block (a 0..4)
    anchors = [(i, i + 5) for i in range(5)] + [(i, i - 5) for i in range(5, 10)] + [(20, 30)]
    found = beads.runs(anchors)
    assert found == [[(i, i + 5) for i in range(5)], [(i, i - 5) for i in range(5, 10)]]


def test_runs_keep_one_run_across_a_long_gap_on_both_sides():
    anchors = [(0, 0), (1, 1), (2, 2), (14, 15), (15, 16), (16, 17)]
    assert beads.runs(anchors) == [anchors]


def test_dp_recovers_a_split_sentence_and_an_insertion():
    content = topics(7)
    # A: six sentences; B says the same, but sentence 2 is split in two halves and B adds one of its own
    a = noisy(content[:6], 1)
    halves = [content[2] + 0.3 * content[6], content[2] - 0.3 * content[6]]
    extra = topics(1, seed=5)[0]
    b = noisy(np.stack([content[0], content[1], *halves, content[3], extra, content[4], content[5]]), 2)
    len_a = np.full(6, 100.0)
    len_b = np.array([100, 100, 50, 50, 100, 100, 100, 100], dtype=float)
    found = beads.dp_beads(a, b, len_a, len_b, [(1, 1), (2, 2), (4, 5)], beads.BeadParams())
    linked = [(x, y) for x, y, _, _ in found if x and y]
    assert ((2,), (2, 3)) in linked
    assert ((3,), (4,)) in linked and ((4,), (6,)) in linked
    assert ((), (5,)) in [(x, y) for x, y, _, _ in found]


def test_dp_beads_cover_each_segment_once_and_in_order():
    a, b = topics(5), topics(4, seed=9)
    found = beads.dp_beads(a, b, np.full(5, 50.0), np.full(4, 50.0), [])
    assert [i for x, _, _, _ in found for i in x] == list(range(5))
    assert [j for _, y, _, _ in found for j in y] == list(range(4))


def test_dp_with_an_empty_side_deletes_everything():
    found = beads.dp_beads(topics(2), np.zeros((0, DIM), dtype=np.float32), np.full(2, 9.0), np.zeros(0), [])
    assert [(x, y) for x, y, _, _ in found] == [((0,), ()), ((1,), ())]


def test_bead_links_align_reordered_blocks_each_in_order():
    content = topics(12, seed=3)
    a = noisy(content, 4)
    b = noisy(np.concatenate([content[6:], content[:6]]), 5)  # the two halves swapped
    score = align.margin_scores(align.similarity_matrix(a, b), 4)
    found = align.bead_links(a, b, np.full(12, 80.0), np.full(12, 80.0), score, align.BeadSettings(anchor_bar=1.0))
    pairs = sorted((x, y) for x, y, _ in found)
    assert pairs == sorted([((i,), (i + 6,)) for i in range(6)] + [((i,), (i - 6,)) for i in range(6, 12)])


@pytest.mark.parametrize("n,m", [(0, 3), (3, 0)])
def test_bead_links_on_an_empty_document(n, m):
    a, b = topics(n) if n else np.zeros((0, DIM), np.float32), topics(m) if m else np.zeros((0, DIM), np.float32)
    score = align.margin_scores(align.similarity_matrix(a, b), 4)
    assert align.bead_links(a, b, np.full(n, 10.0), np.full(m, 10.0), score, align.BeadSettings(anchor_bar=1.0)) == []


def test_unique_share_counts_segments_with_no_counterpart_anywhere():
    content = topics(10, seed=11)
    a = content[:8]
    b = np.concatenate([content[:6], topics(4, seed=12)])  # 6 shared; A has 2 of its own, B 4
    ca, cb = align.centred(a, b)
    assert align.unique_share(ca, cb) == pytest.approx(6 / 18, abs=0.02)
    ca, cb = align.centred(content, noisy(content, 13))
    assert align.unique_share(ca, cb) == 0.0


def test_between_reports_that_each_add_their_own_a_stray_sentence_is_not_taken_into_a_bead():
    content = topics(16, seed=21)
    own_a, own_b = topics(3, seed=22), topics(3, seed=23)
    # A: shared 0..9 with three sentences of its own inside; B: shared 0..9 with three of its own
    a = noisy(np.concatenate([content[:3], own_a[:1], content[3:6], own_a[1:2], content[6:10], own_a[2:]]), 24)
    b = noisy(np.concatenate([content[:2], own_b[:1], content[2:7], own_b[1:2], content[7:10], own_b[2:]]), 25)
    score = align.margin_scores(align.similarity_matrix(a, b), 4)
    lengths = np.full(13, 100.0), np.full(13, 100.0)
    settings = align.BeadSettings(anchor_bar=1.0, params=beads.BeadParams(local_margin=True), member_floor=0.35,
                                  pair_floor=0.2, sparse_skip=0.2)  # fmt: skip
    found = align.bead_links(a, b, *lengths, score, settings)
    linked_a = {i for x, _, _ in found for i in x}
    linked_b = {j for _, y, _ in found for j in y}
    assert not linked_a & {3, 7, 12} and not linked_b & {2, 8, 12}
    assert all(len(x) == 1 and len(y) == 1 for x, y, _ in found)
