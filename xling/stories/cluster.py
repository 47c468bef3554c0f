"""Which documents cover the same story: arrays in, labels out. No model, no file.

    document vectors (N, dim) -> nearest neighbours (ANN) -> candidate pairs
      -> (verified elsewhere by segment links) -> agglomeration with an average-linkage guard -> labels (N,)

Costs: the index is HNSW (faiss), O(N log N) to build and query; candidates are
at most ``N * k``; merging sorts them and spends O(dim) per merge, because the
mean cosine between two clusters of unit vectors is ``sum_A . sum_B / (|A| |B|)``.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

EXACT_MAX_DOCS = 4_096  # up to this many documents the exact search is as cheap as building an index
HNSW_LINKS = 32  # faiss HNSW M: graph degree; 32 keeps recall@10 above 0.97 on 100,000 documents (benchmarks/stories.py)
HNSW_BUILD_DEPTH = 80  # efConstruction
HNSW_SEARCH_DEPTH = 96  # efSearch, at least k
CENTRE_MIN_DOCS = 10  # a language with fewer documents keeps its vectors as they are
MIN_SEGMENT_CHARS = 20  # shorter segments (datelines, bylines) say little about the story and are left out of the mean


def document_vector(embeddings: np.ndarray, lengths: Sequence[int] | None = None) -> np.ndarray:
    """A unit vector for a document from its unit segment vectors ``(n, dim)``: their mean, renormalised.

    Segments shorter than :data:`MIN_SEGMENT_CHARS` (given ``lengths``) are left
    out unless nothing else is left. An empty document gets the zero vector.
    """
    if not len(embeddings):
        return np.zeros(embeddings.shape[1] if embeddings.ndim == 2 else 0, dtype=np.float32)
    rows = embeddings
    if lengths is not None:
        keep = np.asarray(lengths) >= MIN_SEGMENT_CHARS
        if keep.any():
            rows = embeddings[keep]
    mean = rows.astype(np.float64).mean(axis=0)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm > 0 else mean).astype(np.float32)


def centre_by_group(vectors: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Each vector minus the mean of its group (here: its language), renormalised.

    Multilingual encoders put same-language texts closer than their content
    warrants; taking each language's mean direction out leaves mostly content.
    A group of fewer than :data:`CENTRE_MIN_DOCS` is left as it is: its mean would be
    its own story, not its language. (Nor does centring suit a corpus whose language
    holds a single story; an encoder calibrated with it says so in stories/calibration.py.)
    """
    out = vectors.astype(np.float32, copy=True)
    keys = np.asarray(groups, dtype=object)
    for group in dict.fromkeys(groups):
        rows = np.flatnonzero(keys == group)
        if len(rows) >= CENTRE_MIN_DOCS:
            out[rows] -= vectors[rows].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


def nearest(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(index, cosine)`` of each row's ``k`` nearest other rows, both ``(N, k)``; ``index`` is -1 where none.

    Exact below :data:`EXACT_MAX_DOCS`, else a faiss HNSW graph built on one
    thread (its insertion order then fixes the graph, so runs repeat exactly)
    and searched on all of them.
    """
    n = len(vectors)
    k = min(k, max(n - 1, 0))
    if k == 0:
        return np.full((n, 0), -1, dtype=np.int64), np.zeros((n, 0), dtype=np.float32)
    ids, sims = _search(vectors, vectors, k + 1)
    return _without_self(ids, sims, k)


def nearest_by_group(vectors: np.ndarray, groups: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest rows *of each group* (here: each language), side by side: ``(N, k * groups)``.

    An encoder puts two articles of one language closer than their content
    warrants, so one list of nearest documents fills up with same-language
    articles of other stories; a list per language keeps every translation in reach.
    """
    keys = np.asarray(groups, dtype=object)
    names = list(dict.fromkeys(groups))
    n = len(vectors)
    ids = np.full((n, k * len(names)), -1, dtype=np.int64)
    sims = np.full((n, k * len(names)), -np.inf, dtype=np.float32)
    for g, name in enumerate(names):
        rows = np.flatnonzero(keys == name)
        found_ids, found_sims = _search(vectors[rows], vectors, min(k + 1, len(rows)))
        found_ids = np.where(found_ids >= 0, rows[np.maximum(found_ids, 0)], -1)
        ids[:, g * k : (g + 1) * k], sims[:, g * k : (g + 1) * k] = _without_self(found_ids, found_sims, k)
    return ids, sims


def _search(data: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """faiss: ``k`` nearest rows of ``data`` for each row of ``queries`` (exact when small, HNSW otherwise)."""
    import faiss

    data = np.ascontiguousarray(data, dtype=np.float32)
    dim = data.shape[1]
    if len(data) <= EXACT_MAX_DOCS:
        index = faiss.IndexFlatIP(dim)
        index.add(data)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_BUILD_DEPTH
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)  # one thread: insertion order then fixes the graph, so runs repeat exactly
        try:
            index.add(data)
        finally:
            faiss.omp_set_num_threads(threads)
        index.hnsw.efSearch = max(HNSW_SEARCH_DEPTH, k)
    sims, ids = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return ids, sims


def _without_self(ids: np.ndarray, sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's entries without the row itself, best first, ``k`` columns (-1 and -inf where fewer were found)."""
    own = ids == np.arange(len(ids))[:, None]
    ids = np.where(own, -1, ids)
    sims = np.where(own | (ids < 0), -np.inf, sims).astype(np.float32)
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    ids, sims = np.take_along_axis(ids, order, axis=1), np.take_along_axis(sims, order, axis=1)
    if ids.shape[1] < k:
        pad = k - ids.shape[1]
        ids = np.pad(ids, ((0, 0), (0, pad)), constant_values=-1)
        sims = np.pad(sims, ((0, 0), (0, pad)), constant_values=-np.inf)
    return ids, sims


def candidate_pairs(ids: np.ndarray, sims: np.ndarray, floor: float, *, mutual: bool = True) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, where each is among the other's neighbours (or either, without ``mutual``)
    with a cosine of at least ``floor``; shape ``(P, 2)``, sorted."""
    n, k = ids.shape
    rows = np.repeat(np.arange(n), k)
    cols = ids.ravel()
    keep = (cols >= 0) & (sims.ravel() >= floor) & (cols != rows)
    rows, cols = rows[keep], cols[keep]
    lo, hi = np.minimum(rows, cols), np.maximum(rows, cols)
    codes, counts = np.unique(lo.astype(np.int64) * n + hi, return_counts=True)
    if mutual:
        codes = codes[counts >= 2]  # found from both ends
    return np.stack([codes // n, codes % n], axis=1) if len(codes) else np.zeros((0, 2), dtype=np.int64)


def agglomerate(n: int, edges: np.ndarray, weights: np.ndarray, vectors: np.ndarray, min_average: float) -> np.ndarray:
    """Story labels ``(n,)`` from accepted edges ``(E, 2)``: union along the strongest edges first, but two
    groups join only if their documents' mean cosine is at least ``min_average`` (average linkage).

    Plain connected components would chain: A-B and B-C pull A and C together
    even when A and C share nothing. Labels number the groups by their first document.
    """
    # Plain Python lists for the union-find: numpy scalar indexing costs ~10x more per edge.
    parent = list(range(n))
    size = [1] * n
    sums = vectors.astype(np.float64, copy=True)
    order = np.argsort(-np.asarray(weights), kind="stable")
    left, right = edges[order, 0].tolist(), edges[order, 1].tolist()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(left, right):
        a, b = root(a), root(b)
        if a == b:
            continue
        if float(sums[a] @ sums[b]) / (size[a] * size[b]) < min_average:
            continue
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size[b]
        sums[a] += sums[b]
    return _first_seen_labels(_roots(np.asarray(parent, dtype=np.int64)))


def _roots(parent: np.ndarray) -> np.ndarray:
    """Every node's root, by pointer jumping on the whole array (O(N log depth), no per-node Python)."""
    while True:
        up = parent[parent]
        if np.array_equal(up, parent):
            return parent
        parent = up


def _first_seen_labels(roots: np.ndarray) -> np.ndarray:
    """Groups numbered 0, 1, ... in the order of their first member."""
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse.reshape(-1)]


def bcubed(predicted: Sequence[object], gold: Sequence[object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering against gold labels (Bagga and Baldwin, 1998)."""
    predicted, gold = np.asarray(predicted, dtype=object), np.asarray(gold, dtype=object)
    pairs = {}
    for p, g in zip(predicted, gold):
        pairs[p, g] = pairs.get((p, g), 0) + 1
    size_p, size_g = {}, {}
    for (p, g), c in pairs.items():
        size_p[p] = size_p.get(p, 0) + c
        size_g[g] = size_g.get(g, 0) + c
    n = len(predicted)
    precision = sum(c * c / size_p[p] for (p, g), c in pairs.items()) / n if n else 0.0
    recall = sum(c * c / size_g[g] for (p, g), c in pairs.items()) / n if n else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
