from __future__ import annotations

import numpy as np
import pytest

from xling.align import align, margin_scores, similarity_matrix


def unit(rows: list[list[float]]) -> np.ndarray:
    arr = np.asarray(rows, dtype=np.float32)
    return arr / np.linalg.norm(arr, axis=1, keepdims=True)


def encoder_like(rng: np.random.Generator, n: int, dim: int = 64) -> np.ndarray:
    """Random unit vectors sharing one direction, as real sentence encoders' vectors do."""
    return unit((rng.normal(size=(n, dim)) + 2.0 * np.eye(1, dim)).tolist())


def test_similarity_matrix_shape_and_values():
    a, b = unit([[1, 0], [0, 1]]), unit([[1, 1], [1, 0], [0, 1]])
    sim = similarity_matrix(a, b)
    assert sim.shape == (2, 3)
    assert sim[0, 1] == pytest.approx(1.0) and sim[1, 1] == pytest.approx(0.0)


def test_margin_rewards_a_pair_that_stands_out():
    sim = np.array([[0.9, 0.5, 0.5], [0.5, 0.6, 0.6], [0.5, 0.6, 0.6]], dtype=np.float32)
    score = margin_scores(sim, neighbours=2)
    assert score[0, 0] > 1.2
    assert score[1, 1] == pytest.approx(1.0)


def test_reordered_documents_are_linked_without_order_assumption():
    rng = np.random.default_rng(0)
    base = unit(rng.normal(size=(6, 32)).tolist())
    perm = [3, 0, 5, 1, 4, 2]
    links = align(base, base[perm], threshold=1.05, match_threshold=1.2)
    assert {(l.a, l.b) for l in links} == {(perm[j], j) for j in range(6)}
    assert all(l.status == "match" for l in links)


def test_unrelated_segment_stays_unlinked():
    rng = np.random.default_rng(1)
    a = encoder_like(rng, 5)
    b = np.vstack([a[:4], encoder_like(rng, 1)])
    assert (4, 4) in {(l.a, l.b) for l in align(a, b, threshold=1.05, match_threshold=1.2)}  # margin alone is fooled
    links = align(a, b, threshold=1.05, match_threshold=1.2, min_similarity=0.5)
    assert {(l.a, l.b) for l in links} == {(i, i) for i in range(4)}


def test_two_adjacent_segments_fused_into_one_give_a_many_to_one_link():
    rng = np.random.default_rng(2)
    a = unit(rng.normal(size=(6, 64)).tolist())
    fused = unit([(a[2] + a[3]).tolist()])
    b = np.vstack([a[:2], fused, a[4:]])
    links = align(a, b, threshold=1.05, match_threshold=1.2)
    assert {(2, 2), (3, 2)} <= {(l.a, l.b) for l in links}


def test_raising_the_threshold_never_adds_links():
    rng = np.random.default_rng(3)
    a = unit(rng.normal(size=(8, 16)).tolist())
    b = unit((a + rng.normal(scale=0.8, size=a.shape)).tolist())
    counts = [len(align(a, b, threshold=t, match_threshold=t)) for t in (1.0, 1.1, 1.3, 1.6)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_empty_sides_give_no_links():
    assert align(np.zeros((0, 4), np.float32), unit([[1, 0, 0, 0]]), threshold=1.0, match_threshold=1.1) == []
