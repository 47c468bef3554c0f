"""The rule that makes two documents one story, on arrays: candidates from the neighbour lists, then the
segment-level evidence, then agglomeration (cluster.py). Parameters: calibration.py."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from . import cluster
from .calibration import StoryParams


def candidates(vectors: np.ndarray, langs: list[str], params: StoryParams) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs ``(P, 2)`` of document positions and their cosines ``(P,)`` (in the space the rule works in)."""
    if len(vectors) < 2:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float32)
    space = cluster.centre_by_group(vectors, langs) if params.centre else vectors
    if params.per_language:
        ids, sims = cluster.nearest_by_group(space, langs, params.neighbours)
    else:
        ids, sims = cluster.nearest(space, params.neighbours)
    plain = cluster.nearest(vectors, params.neighbours) if params.raw_floor is not None else None
    return combine_candidates(space, (ids, sims), plain, params)


def combine_candidates(space: np.ndarray, found: tuple[np.ndarray, np.ndarray], plain: tuple[np.ndarray, np.ndarray] | None,
                       params: StoryParams) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The rule's candidates from the neighbour lists (``plain``: of the plain vectors, for ``raw_floor``)."""
    pairs = cluster.candidate_pairs(*found, params.floor, mutual=params.mutual)
    if plain is not None and params.raw_floor is not None:
        extra = cluster.candidate_pairs(*plain, params.raw_floor, mutual=params.mutual)
        pairs = np.unique(np.concatenate([pairs, extra]), axis=0) if len(extra) else pairs
    cosines = np.einsum("ij,ij->i", space[pairs[:, 0]], space[pairs[:, 1]]) if len(pairs) else np.zeros(0, dtype=np.float32)
    return pairs, cosines


def evidence_arrays(pairs: np.ndarray, links, linked_share, matched_share, ordered_share=None) -> dict[str, np.ndarray]:
    """Verified pairs as arrays sorted by their code ``i * N + j`` (looked up with ``searchsorted``).

    ``ordered_share`` defaults to ``matched_share`` (evidence of a pair whose matches all run in order)."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    n = int(pairs.max()) + 1 if len(pairs) else 1
    codes = pairs[:, 0] * n + pairs[:, 1]
    order = np.argsort(codes, kind="stable")
    ordered = matched_share if ordered_share is None else ordered_share
    return {"n": np.array(n), "codes": codes[order], "links": np.asarray(links, dtype=np.int64)[order],
            "linked": np.asarray(linked_share, dtype=np.float64)[order], "matched": np.asarray(matched_share, dtype=np.float64)[order],
            "ordered": np.asarray(ordered, dtype=np.float64)[order]}  # fmt: skip


def story_labels(segments: np.ndarray, langs: Sequence[str], vectors: np.ndarray, candidates: np.ndarray, cosines: np.ndarray,
                 evidence: dict[str, np.ndarray], params: StoryParams) -> np.ndarray:  # fmt: skip
    """Story labels of the documents: candidates the evidence accepts, merged under the average-linkage guard.

    ``evidence`` (:func:`evidence_arrays`): each verified pair's linked passages, their share of the shorter
    document, the share with a match link and the share matched one to one in order (:func:`tasks.link_evidence`);
    an unverified candidate has none.
    """
    n = len(segments)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    links = np.zeros(len(candidates), dtype=np.int64)
    share = np.zeros(len(candidates), dtype=np.float64)
    linked = np.zeros(len(candidates), dtype=np.float64)
    if len(candidates) and len(evidence["codes"]):
        width = int(evidence["n"])
        inside = (candidates < width).all(axis=1)
        codes = candidates[:, 0] * width + candidates[:, 1]
        at = np.minimum(np.searchsorted(evidence["codes"], codes), len(evidence["codes"]) - 1)
        hit = inside & (evidence["codes"][at] == codes)
        links[hit] = evidence["links"][at[hit]]
        share[hit] = evidence[params.share_kind][at[hit]]
        linked[hit] = evidence["linked"][at[hit]]
    shorter = np.minimum(segments[candidates[:, 0]], segments[candidates[:, 1]]) if len(candidates) else np.zeros(0, dtype=np.int64)
    keep = params.accepts_all(links, share, shorter)
    if params.close_cosine is not None and len(candidates):
        close = np.asarray(cosines) >= params.close_cosine
        keep |= close & params.accepts_all(links, linked, shorter, min_share=params.close_share)
    weights = share[keep] + params.cosine_weight * np.asarray(cosines, dtype=np.float64)[keep]
    space = cluster.centre_by_group(vectors, list(langs)) if params.centre else vectors
    return cluster.agglomerate(n, candidates[keep].reshape(-1, 2), weights, space, params.min_average)


