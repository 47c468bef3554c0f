from __future__ import annotations

import numpy as np
import pytest

from xling.align import align, margin_scores, neighbour_merges, part_similarity, similarity_matrix


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


def split_in_two(rng: np.random.Generator, n: int, dim: int = 64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` sentences whose vectors share one direction; side B splits sentence 2 into two halves."""
    shared = 3.0 * np.eye(1, dim)
    a = unit((rng.normal(size=(n, dim)) + shared).tolist())
    halves = rng.normal(size=(2, dim))
    a[2] = unit([(halves[0] + halves[1] + shared[0]).tolist()])[0]
    b = np.vstack([a[:2], unit((halves + shared).tolist()), a[3:]])
    return a, b, halves


def test_a_sentence_split_in_two_links_to_both_halves_with_neighbour_merges():
    a, b, _ = split_in_two(np.random.default_rng(4), 8)
    plain = {(l.a, l.b) for l in align(a, b, threshold=1.05, match_threshold=1.2, extra_threshold=5.0)}
    merged = {(l.a, l.b) for l in align(a, b, threshold=1.05, match_threshold=1.2, extra_threshold=5.0, merge_neighbours=True)}
    assert len({(2, 2), (2, 3)} & plain) == 1  # one-to-one alone leaves a half unlinked
    assert {(2, 2), (2, 3)} <= merged and merged - plain <= {(2, 2), (2, 3)}


def test_neighbour_merges_leave_an_unrelated_neighbour_alone():
    rng = np.random.default_rng(5)
    a, b, _ = split_in_two(rng, 8)
    b[3] = encoder_like(rng, 1)[0]  # the second half is replaced by a sentence of its own
    score = margin_scores(similarity_matrix(a, b), neighbours=4)
    assert neighbour_merges(a, b, [(2, 2)], score, floor=0.0) == []


def test_neighbour_merges_need_the_gain():
    a, b, _ = split_in_two(np.random.default_rng(6), 8)
    score = margin_scores(similarity_matrix(a, b), neighbours=4)
    assert neighbour_merges(a, b, [(2, 2), (2, 3)], score, floor=0.0) == []  # nothing left unlinked
    assert neighbour_merges(a, b, [(2, 2)], score, floor=0.0) == [(2, 3)]
    assert neighbour_merges(a, b, [(2, 2)], score, gain=1.0, floor=0.0) == []


def test_part_similarity_reads_one_member_of_an_ensemble():
    rng = np.random.default_rng(7)
    first, second = unit(rng.normal(size=(3, 4)).tolist()), unit(rng.normal(size=(3, 6)).tolist())
    both = np.hstack([first, second]) / np.sqrt(2)
    assert np.allclose(similarity_matrix(both, both), (first @ first.T + second @ second.T) / 2, atol=1e-6)
    assert np.allclose(part_similarity(both, both, slice(0, 4)), first @ first.T, atol=1e-6)


class Fixed:
    """A fake encoder: a fixed unit vector per text."""

    def __init__(self, model_id: str, table: dict[str, list[float]]) -> None:
        self.model_id, self.table = model_id, table

    def encode(self, texts):
        return unit([self.table[t] for t in texts])


def test_ensemble_vectors_give_the_mean_of_the_members_cosines_and_split_back():
    from xling.embed import EnsembleEmbedder

    one = Fixed("one", {"x": [1, 0], "y": [1, 1]})
    two = Fixed("two", {"x": [1, 0, 0], "y": [0, 0, 1]})
    ensemble = EnsembleEmbedder([one, two], [2, 3])
    vectors = ensemble.encode(["x", "y"])
    assert vectors.shape == (2, 5) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert similarity_matrix(vectors, vectors)[0, 1] == pytest.approx((np.sqrt(0.5) + 0.0) / 2)
    assert part_similarity(vectors, vectors, ensemble.parts[0])[0, 1] == pytest.approx(np.sqrt(0.5))
    assert ensemble.model_id == "ensemble/one+two"
    with pytest.raises(ValueError):
        EnsembleEmbedder([one], [2])
