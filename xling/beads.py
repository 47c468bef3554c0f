"""Bead alignment: sentence vectors in, beads (runs of consecutive segments linked to runs) out. No model, no I/O.

Two articles that are translations of each other keep the order of their
content, with a sentence now and then split in two, merged or dropped. Such
stretches are aligned the way Vecalign and Bertalign align books: a dynamic
program over *beads* (``1-1``, ``1-2``, ``2-1``, ``2-2``, ``1-3`` ... up to
``MAX_BEAD`` segments, plus deletions), where a window of consecutive
sentences is compared as one text. The DP searches a band around a path of
high-confidence one-to-one anchors, so it costs ``O(n * band)``, not ``O(n * m)``.

Independent reports keep order only locally, in blocks. The anchors tell
where: they are cut into *runs* that stay monotone, and each run (with the
unanchored segments around it) gets its own DP. Whatever no run explains is
left to the caller's order-free margin matching (``align.align``): moved
passages and partial overlap.

A window's vector is the length-weighted sum of its sentences' unit vectors,
renormalised: a mean-pooling encoder gives nearly that for the concatenated
text, and it costs no encoding (a window of three sentences would cost three
times the sentence's encoding).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_BEAD = 5  # segments in one bead, both sides together (Text+Berg's gold has 1-4 and 3-2 beads)
BAND = 6  # segments either side of the anchor path the DP looks at
RUN_SKEW = 4  # a run is cut where one side jumps this many segments further than the other
MIN_RUN = 3  # anchors a run needs before it is trusted to be in order


@dataclass(frozen=True)
class BeadParams:
    """What the DP trades: a bead's score against the price of leaving a segment out (``skip``, negative)."""

    skip: float = -0.1
    length_penalty: bool = True  # times log2(1 + short/long) of the two sides' lengths (Bertalign's)
    local_margin: bool = False  # less the windows' cosine to the sentences just outside each other
    min_score: float | None = None  # a bead scoring less is no bead: its segments are deletions
    band: int = BAND
    max_bead: int = MAX_BEAD


def bead_types(max_bead: int = MAX_BEAD) -> list[tuple[int, int]]:
    """Every ``(p, q)`` with ``p, q >= 1`` and ``p + q <= max_bead``, then the deletions ``(1, 0)`` and ``(0, 1)``."""
    return [(p, q) for p in range(1, max_bead) for q in range(1, max_bead) if p + q <= max_bead] + [(1, 0), (0, 1)]


def unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


def windows(emb: np.ndarray, lengths: np.ndarray, size: int) -> np.ndarray:
    """Shape ``(n - size + 1, d)``: row ``i`` stands for segments ``i .. i + size - 1`` read as one text.

    The sum of the unit vectors weighted by length (characters), renormalised.
    """
    n = len(emb)
    if size > n:
        return np.zeros((0, emb.shape[1]), dtype=np.float32)
    weighted = emb * lengths[:, None]
    csum = np.vstack([np.zeros((1, emb.shape[1]), dtype=np.float64), np.cumsum(weighted, axis=0, dtype=np.float64)])
    return unit((csum[size:] - csum[:-size]).astype(np.float32))


def window_lengths(lengths: np.ndarray, size: int) -> np.ndarray:
    csum = np.concatenate([[0.0], np.cumsum(lengths, dtype=np.float64)])
    return csum[size:] - csum[:-size] if size <= len(lengths) else np.zeros(0)


def monotone_anchors(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` increasing on both sides (patience sorting, ``O(k log k)``)."""
    import bisect

    ordered = sorted(pairs)
    tails: list[int] = []  # tails[k]: index in ordered of the smallest b ending a chain of length k+1
    tail_b: list[int] = []
    prev = [-1] * len(ordered)
    for idx, (_, b) in enumerate(ordered):
        k = bisect.bisect_left(tail_b, b)
        if k > 0:
            prev[idx] = tails[k - 1]
        if k == len(tails):
            tails.append(idx)
            tail_b.append(b)
        else:
            tails[k] = idx
            tail_b[k] = b
    chain = []
    idx = tails[-1] if tails else -1
    while idx >= 0:
        chain.append(ordered[idx])
        idx = prev[idx]
    # equal a with rising b cannot happen in a chain: a one-to-one anchor set has distinct a and b
    return chain[::-1]


def runs(anchors: Sequence[tuple[int, int]], skew: int = RUN_SKEW, min_run: int = MIN_RUN) -> list[list[tuple[int, int]]]:
    """Cut one-to-one anchors into runs that keep their order, sorted by ``a``.

    The longest chain increasing on both sides is taken first (an anchor out
    of order inside it is dropped, not a reason to cut), then the longest of
    what is left, and so on. A chain is cut where one side jumps much further
    than the other (by more than ``skew`` segments), or jumps over an anchor
    that is not its own: a block moved elsewhere lies in between. Runs of fewer than ``min_run`` anchors are dropped: a pair
    or two is no evidence of order (the caller's margin matching keeps them).
    """
    import bisect

    left = sorted(set(anchors))
    all_a, all_b = sorted(a for a, _ in left), sorted(b for _, b in left)

    def between(values: list[int], lo: int, hi: int) -> bool:
        return bisect.bisect_right(values, lo) < bisect.bisect_left(values, hi)

    out: list[list[tuple[int, int]]] = []
    while len(left) >= min_run:
        chain = monotone_anchors(left)
        if len(chain) < min_run:
            break
        current = [chain[0]]
        for (pa, pb), (a, b) in itertools.pairwise(chain):
            # an anchor of something else in between: the chain jumps over a block
            if abs((a - pa) - (b - pb)) > skew or between(all_a, pa, a) or between(all_b, pb, b):
                out.append(current)
                current = []
            current.append((a, b))
        out.append(current)
        taken = set(chain)
        left = [x for x in left if x not in taken]
    return sorted((r for r in out if len(r) >= min_run), key=lambda r: r[0])


def _band(anchors: Sequence[tuple[int, int]], rows: int, cols: int, width: int) -> np.ndarray:
    """For each DP row ``0..rows`` (boundaries between segments), the column range ``[lo, hi]`` searched.

    ``anchors`` are ``(a, b)`` positions local to the region; the path passes
    through each anchor's cell and the region's corners, and the band takes
    ``width`` on either side of the straight pieces between them.
    """
    points = [(0, 0)] + [(a, b) for a, b in anchors] + [(rows, cols)]
    lo = np.full(rows + 1, cols, dtype=np.int64)
    hi = np.zeros(rows + 1, dtype=np.int64)
    for (a0, b0), (a1, b1) in itertools.pairwise(points):
        for i in range(a0, min(a1, rows) + 1):
            lo[i] = min(lo[i], max(0, min(b0, b1) - width))
            hi[i] = max(hi[i], min(cols, max(b0, b1) + 1 + width))
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # keep the band connected: rows never start after the next row
    hi = np.maximum.accumulate(hi)
    return np.stack([lo, hi], axis=1)


def _outside(vec_rows: np.ndarray, emb: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Mean cosine of each row to the segments ``left`` and ``right`` (-1 or past the end: absent)."""
    n = len(emb)
    out = np.zeros(len(vec_rows))
    count = np.zeros(len(vec_rows))
    for idx in (left, right):
        ok = (idx >= 0) & (idx < n)
        out[ok] += np.einsum("ij,ij->i", vec_rows[ok], emb[idx[ok]])
        count[ok] += 1
    return out / np.maximum(count, 1)


def _local_baseline(va: np.ndarray, wb: np.ndarray, emb_a, emb_b, a0: int, p: int, starts: np.ndarray, q: int) -> np.ndarray:
    """Bertalign's margin: how much the two windows resemble the sentences just before and after each other."""
    k = len(starts)
    to_b = _outside(np.broadcast_to(va, (k, len(va))), emb_b, starts - 1, starts + q)
    to_a = _outside(wb[starts], emb_a, np.full(k, a0 - 1), np.full(k, a0 + p))
    return (to_a + to_b) / 2.0


def dp_beads(
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    len_a: np.ndarray,
    len_b: np.ndarray,
    anchors: Sequence[tuple[int, int]],
    params: BeadParams | None = None,
) -> list[tuple[tuple[int, ...], tuple[int, ...], float, float]]:
    """The best monotone bead sequence over segments ``0..n-1`` of A and ``0..m-1`` of B.

    ``emb_a`` ``(n, d)`` and ``emb_b`` ``(m, d)`` are unit sentence vectors,
    ``len_a`` / ``len_b`` their lengths in characters, ``anchors`` local
    ``(a, b)`` DP cells (segment index + 1) the band follows. A bead's score is
    its windows' cosine, less their likeness to the sentences around each
    other (``params.local_margin``), times the agreement of their lengths
    (``params.length_penalty``); a deletion scores ``params.skip``. Returns
    ``(a_indices, b_indices, cosine, score)`` per bead, in order; deletions have
    one empty side and cosine 0.
    """
    params = params or BeadParams()
    n, m = len(emb_a), len(emb_b)
    if n == 0 or m == 0:
        return [((i,), (), 0.0, params.skip) for i in range(n)] + [((), (j,), 0.0, params.skip) for j in range(m)]
    types = bead_types(params.max_bead)
    scorer = _BeadScorer(emb_a, emb_b, len_a, len_b, params)
    band = _band(anchors, n, m, params.band)
    cost = [np.full(band[i, 1] - band[i, 0] + 1, -np.inf, dtype=np.float64) for i in range(n + 1)]
    back = [np.full(band[i, 1] - band[i, 0] + 1, -1, dtype=np.int16) for i in range(n + 1)]
    sims = [np.zeros(band[i, 1] - band[i, 0] + 1, dtype=np.float32) for i in range(n + 1)]
    cost[0][0] = 0.0  # the band of row 0 starts at column 0
    for i in range(n + 1):
        lo, hi = int(band[i, 0]), int(band[i, 1])
        row = cost[i]
        for t, (p, q) in enumerate(types):
            if p == 0 or p > i:
                continue  # (0, 1) is the scan below
            prev = i - p
            plo, phi = int(band[prev, 0]), int(band[prev, 1])
            jlo, jhi = max(lo, plo + q), min(hi, phi + q)  # cells whose predecessor lies in the previous row's band
            if jlo > jhi:
                continue
            js = np.arange(jlo, jhi + 1)
            gain, sim = scorer.score(prev, p, js - q, q)
            total = cost[prev][js - q - plo] + gain
            better = total > row[js - lo]
            idx = js[better] - lo
            row[idx] = total[better]
            back[i][idx] = t
            sims[i][idx] = sim[better]
        # insertions (0, 1) along the row: c'[j] = max_k<=j c[k] + (j - k) * skip
        steps = params.skip * np.arange(len(row))
        best = np.maximum.accumulate(row - steps) + steps
        moved = best > row + 1e-12
        row[moved] = best[moved]
        back[i][moved] = len(types) - 1  # (0, 1)
    return _trace(cost, back, sims, band, types, n, m)


class _BeadScorer:
    """Scores of the beads of sizes ``(p, q)`` starting at ``a[a0]`` and at each of ``b[starts]``."""

    def __init__(self, emb_a, emb_b, len_a, len_b, params: BeadParams) -> None:
        sizes = range(1, params.max_bead)
        self.emb_a, self.emb_b, self.params = emb_a, emb_b, params
        self.wa = {p: windows(emb_a, len_a, p) for p in sizes}
        self.wb = {q: windows(emb_b, len_b, q) for q in sizes}
        self.la = {p: window_lengths(len_a, p) for p in sizes}
        self.lb = {q: window_lengths(len_b, q) for q in sizes}
        self.ratio = float(len_a.sum()) / max(float(len_b.sum()), 1.0)

    def score(self, a0: int, p: int, starts: np.ndarray, q: int) -> tuple[np.ndarray, np.ndarray]:
        params = self.params
        if q == 0:
            return np.full(len(starts), params.skip), np.zeros(len(starts), dtype=np.float32)
        sim = (self.wb[q][starts] @ self.wa[p][a0]).astype(np.float32)
        gain = sim.astype(np.float64)
        if params.local_margin:
            gain = gain - _local_baseline(self.wa[p][a0], self.wb[q], self.emb_a, self.emb_b, a0, p, starts, q)
        if params.length_penalty:
            x, y = self.la[p][a0], self.lb[q][starts] * self.ratio
            gain = gain * np.log2(1.0 + np.minimum(x, y) / np.maximum(np.maximum(x, y), 1e-9))
        if params.min_score is not None:
            gain = np.where(gain >= params.min_score, gain, -np.inf)
        return gain, sim


def _trace(cost, back, sims, band, types, n: int, m: int) -> list[tuple[tuple[int, ...], tuple[int, ...], float, float]]:
    """The beads on the best path, from the corner ``(n, m)`` back to the origin."""
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - band[i, 0]
        p, q = types[int(back[i][k])]
        sim = float(sims[i][k]) if p and q else 0.0
        pi, pj = i - p, j - q
        beads.append((tuple(range(pi, i)), tuple(range(pj, j)), sim, float(cost[i][k] - cost[pi][pj - band[pi, 0]])))
        i, j = pi, pj
    return beads[::-1]
