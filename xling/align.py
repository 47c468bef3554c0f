"""Alignment core: embedding arrays in, links out. No model, no I/O.

Scores are calibrated against each segment's neighbourhood (the ratio margin of
Artetxe & Schwenk, 2019): a pair counts when it stands out from what each side
resembles anyway, which a fixed cosine threshold cannot tell. Links are chosen
greedily by score with no assumption on order (competitive linking), then
grown into many-to-one groups where adjacent segments together explain one
segment better than either alone.
"""
from __future__ import annotations

import numpy as np

from .types import Link

MIN_DENOMINATOR = 1e-3  # keeps the margin finite for encoders whose cosines approach zero
BLOCK_ROWS = 1024  # rows of the similarity matrix handled at once when taking neighbourhoods


def similarity_matrix(emb_a: np.ndarray, emb_b: np.ndarray) -> np.ndarray:
    """Cosine matrix of unit-norm rows: ``res[i][j] = cos(emb_a[i], emb_b[j])``, shape ``(n, m)``."""
    if len(emb_a) == 0 or len(emb_b) == 0:
        return np.zeros((len(emb_a), len(emb_b)), dtype=np.float32)
    return (emb_a @ emb_b.T).astype(np.float32)


def _topk_mean(sim: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Mean of the ``k`` largest values along ``axis`` (k capped at that axis' length)."""
    size = sim.shape[axis]
    k = max(1, min(k, size))
    part = -np.partition(-sim, k - 1, axis=axis)
    part = part[:k] if axis == 0 else part[:, :k]
    return part.mean(axis=axis)


def margin_scores(sim: np.ndarray, neighbours: int) -> np.ndarray:
    """Ratio-margin scores, shape ``(n, m)``: ``sim[i,j] / mean(knn(a_i), knn(b_j))``.

    ``knn(a_i)`` is the mean cosine of ``a_i`` to its ``neighbours`` nearest
    segments of the other document; 1.0 means "as similar as its usual neighbours".
    """
    if sim.size == 0:
        return sim.copy()
    row = np.concatenate([_topk_mean(sim[s : s + BLOCK_ROWS], neighbours, axis=1) for s in range(0, len(sim), BLOCK_ROWS)])
    col = _topk_mean(sim, neighbours, axis=0)
    denom = np.maximum((row[:, None] + col[None, :]) / 2.0, MIN_DENOMINATOR)
    return (sim / denom).astype(np.float32)


def _greedy_one_to_one(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Pairs in descending score, each segment used once; ties broken by position for determinism."""
    rows, cols = np.nonzero(score >= threshold)
    order = np.lexsort((cols, rows, -score[rows, cols]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _grow_groups(
    pairs: list[tuple[int, int]],
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    score: np.ndarray,
    threshold: float,
    max_group: int,
) -> list[tuple[int, int]]:
    """Add many-to-one links: an unlinked segment joins its neighbour's link when the two
    together (mean of their vectors, a cheap stand-in for encoding the concatenation)
    resemble the counterpart more than the neighbour does alone."""
    if max_group < 2:
        return pairs
    result = list(pairs)
    for side in (0, 1):
        own, other = (emb_a, emb_b) if side == 0 else (emb_b, emb_a)
        side_score = score if side == 0 else score.T
        partner = {p[side]: p[1 - side] for p in result}
        members: dict[int, list[int]] = {}
        for p in result:
            members.setdefault(p[1 - side], []).append(p[side])
        for i in range(len(own)):
            if i in partner:
                continue
            best = int(np.argmax(side_score[i])) if side_score.shape[1] else -1
            group = members.get(best)
            if best < 0 or not group or len(group) >= max_group or side_score[i, best] < threshold * GROUP_RELAX:
                continue
            if min(abs(i - g) for g in group) != 1:
                continue
            alone = float(max(own[g] @ other[best] for g in group))
            merged = own[group].sum(axis=0) + own[i]
            merged /= max(float(np.linalg.norm(merged)), 1e-12)
            if float(merged @ other[best]) > alone:
                group.append(i)
                partner[i] = best
                result.append((i, best) if side == 0 else (best, i))
    return result


GROUP_RELAX = 0.97  # a segment joining a group needs a slightly lower score than a link of its own


def align(
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    *,
    threshold: float,
    match_threshold: float,
    neighbours: int = 4,
    max_group: int = 3,
    min_similarity: float = 0.0,
    sim: np.ndarray | None = None,
) -> list[Link]:
    """Link segments of two documents.

    ``emb_a`` ``(n, d)`` and ``emb_b`` ``(m, d)`` hold unit-norm segment vectors.
    A link needs a margin score ``>= threshold`` and a cosine ``>= min_similarity``
    (the margin alone cannot tell a weak best neighbour from a real one); it is a ``match`` at
    ``>= match_threshold`` and ``partial`` below. Returns links sorted by ``(a, b)``.
    """
    sim = similarity_matrix(emb_a, emb_b) if sim is None else sim
    if sim.size == 0:
        return []
    score = margin_scores(sim, neighbours)
    score = np.where(sim >= min_similarity, score, 0.0).astype(np.float32)
    pairs = _greedy_one_to_one(score, threshold)
    pairs = _grow_groups(pairs, emb_a, emb_b, score, threshold, max_group)
    links = [
        Link(
            a=i,
            b=j,
            similarity=float(sim[i, j]),
            score=float(score[i, j]),
            status="match" if score[i, j] >= match_threshold else "partial",
        )
        for i, j in pairs
    ]
    return sorted(links, key=lambda link: (link.a, link.b))
