"""Alignment core: embedding arrays in, links out. No model, no I/O.

Scores are calibrated against each segment's neighbourhood (the ratio margin of
Artetxe & Schwenk, 2019): a pair counts when it stands out from what each side
resembles anyway, which a fixed cosine threshold cannot tell. A segment links to
its best counterpart when that stands out enough, with no assumption on order;
several segments may pick the same counterpart (many-to-one, one-to-many).
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from . import beads as beads_mod
from .types import Link

MIN_DENOMINATOR = 1e-3  # keeps the margin finite for encoders whose cosines approach zero
MAX_ANCHORS = 3  # beyond a few shared names and numbers, more say little
BLOCK_ROWS = 1024  # rows of the similarity matrix handled at once when taking neighbourhoods
MERGE_GAIN = 0.01  # centred cosine a neighbour must add to a link before it joins it (fitted on NTREX dev)
MERGE_FLOOR = 0.98  # margin score below which a neighbour never joins a link, however much it adds


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
    return margin_from(sim, *neighbourhoods(sim, neighbours))


def neighbourhoods(sim: np.ndarray, neighbours: int) -> tuple[np.ndarray, np.ndarray]:
    """``(knn(a_i) for each row, knn(b_j) for each column)``: mean cosine to the ``neighbours`` nearest of the other side."""
    if sim.size == 0:
        return np.zeros(sim.shape[0], dtype=np.float32), np.zeros(sim.shape[1], dtype=np.float32)
    row = np.concatenate([_topk_mean(sim[s : s + BLOCK_ROWS], neighbours, axis=1) for s in range(0, len(sim), BLOCK_ROWS)])
    return row, _topk_mean(sim, neighbours, axis=0)


def margin_from(sim: np.ndarray, row: np.ndarray, col: np.ndarray) -> np.ndarray:
    denom = np.maximum((row[:, None] + col[None, :]) / 2.0, MIN_DENOMINATOR)
    return (sim / denom).astype(np.float32)


def lexical_similarity(tokens_a: Sequence[Sequence[str]], tokens_b: Sequence[Sequence[str]]) -> np.ndarray:
    """TF-IDF cosine of token lists, shape ``(n, m)``; IDF is taken over the segments of both documents.

    Across languages it reduces to shared names and numbers, which are anchors;
    within one language it also sees the shared wording of two translations.
    Sparse inside, so long documents with large vocabularies stay cheap.
    """
    from scipy import sparse

    docs = [*tokens_a, *tokens_b]
    vocab: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, doc in enumerate(docs):
        for tok, count in Counter(doc).items():
            rows.append(row)
            cols.append(vocab.setdefault(tok, len(vocab)))
            counts.append(count)
    if not vocab:
        return np.zeros((len(tokens_a), len(tokens_b)), dtype=np.float32)
    cols_arr = np.asarray(cols)
    df = np.bincount(cols_arr, minlength=len(vocab))
    idf = np.log((len(docs) + 1) / df)
    weights = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[cols_arr]
    matrix = sparse.csr_matrix((weights, (np.asarray(rows), cols_arr)), shape=(len(docs), len(vocab)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    matrix = sparse.diags(1.0 / np.maximum(norms, 1e-12)) @ matrix
    return (matrix[: len(tokens_a)] @ matrix[len(tokens_a) :].T).toarray().astype(np.float32)


def anchor_counts(tokens_a: Sequence[Sequence[str]], tokens_b: Sequence[Sequence[str]]) -> np.ndarray:
    """Shape ``(n, m)``: how many anchors segments ``a_i`` and ``b_j`` share.

    An anchor is a token found in exactly one segment of each document: a
    number, a name or a rare word that two reports of one fact both carry
    (``42``, ``Gaza``), however long the sentences around it.
    """
    where_a: dict[str, list[int]] = {}
    where_b: dict[str, list[int]] = {}
    for where, docs in ((where_a, tokens_a), (where_b, tokens_b)):
        for index, doc in enumerate(docs):
            for tok in set(doc):
                where.setdefault(tok, []).append(index)
    counts = np.zeros((len(tokens_a), len(tokens_b)), dtype=np.float32)
    for tok, rows in where_a.items():
        cols = where_b.get(tok)
        if len(rows) == 1 and cols is not None and len(cols) == 1:
            counts[rows[0], cols[0]] += 1.0
    return counts


def one_to_one(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Competitive linking: pairs in descending score, each segment used once; ties by position."""
    rows, cols = np.nonzero(score >= threshold)
    order = np.lexsort((cols, rows, -score[rows, cols]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for k in order:
        i, j = int(rows[k]), int(cols[k])
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _best_pairs(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Every pair that is the best of its row or of its column and scores ``>= threshold``.

    A segment thus links to its best counterpart, and a segment that several
    others pick (a long sentence that two short ones paraphrase) links to each.
    """
    rows = np.arange(score.shape[0])
    cols = np.arange(score.shape[1])
    best_of_row = {(int(i), int(j)) for i, j in zip(rows, np.argmax(score, axis=1))}
    best_of_col = {(int(i), int(j)) for i, j in zip(np.argmax(score, axis=0), cols)}
    return sorted(p for p in best_of_row | best_of_col if score[p] >= threshold)


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12)


def part_similarity(emb_a: np.ndarray, emb_b: np.ndarray, part: slice) -> np.ndarray:
    """Cosine matrix ``(n, m)`` of the columns ``part`` of the vectors, each renormalised.

    An ensemble's vectors are its members' unit vectors side by side (see
    ``embed.EnsembleEmbedder``): ``part`` picks one member back out.
    """
    return similarity_matrix(_unit(emb_a[:, part]), _unit(emb_b[:, part]))


def neighbour_merges(
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    pairs: Sequence[tuple[int, int]],
    score: np.ndarray,
    *,
    gain: float = MERGE_GAIN,
    floor: float = MERGE_FLOOR,
) -> list[tuple[int, int]]:
    """Many-to-one links: an unlinked segment joins its neighbour's link when the two together match better.

    For a link ``(i, j)`` and an unlinked neighbour ``b_{j±1}`` (or ``a_{i±1}``),
    the pair of neighbours is compared with the other side as one text would
    be (vecalign's concatenation, here the sum of their vectors). The vectors
    are first centred on the mean of both documents: sentence encoders put all
    vectors in one narrow cone, where the sum of two vectors resembles anything
    a little better. The neighbour joins when the centred cosine rises by more
    than ``gain``, its own ``score`` (``(n, m)`` margins) is at least ``floor``
    and the linked segment is its best counterpart. A headline that shares one
    line with the first sentence, or a sentence the other side splits in two,
    is linked instead of reported unique. Returns the new pairs, sorted.
    """
    if not len(pairs):
        return []
    centre = np.vstack([emb_a, emb_b]).mean(axis=0)
    ca, cb = _unit(emb_a - centre), _unit(emb_b - centre)
    linked_a = {i for i, _ in pairs}
    linked_b = {j for _, j in pairs}
    best_of_row, best_of_col = np.argmax(score, axis=1), np.argmax(score, axis=0)
    new: set[tuple[int, int]] = set()
    for i, j in pairs:
        for k in (j - 1, j + 1):  # b_k joins b_j against a_i
            if 0 <= k < len(cb) and k not in linked_b and best_of_col[k] == i and score[i, k] >= floor:
                if float(_unit(cb[k] + cb[j]) @ ca[i]) - float(cb[j] @ ca[i]) > gain:
                    new.add((i, k))
        for k in (i - 1, i + 1):  # a_k joins a_i against b_j
            if 0 <= k < len(ca) and k not in linked_a and best_of_row[k] == j and score[k, j] >= floor:
                if float(_unit(ca[k] + ca[i]) @ cb[j]) - float(ca[i] @ cb[j]) > gain:
                    new.add((k, j))
    return sorted(new)


@dataclass(frozen=True)
class BeadSettings:
    """How the bead step (:func:`bead_links`) runs; the encoder's calibration holds one."""

    anchor_bar: float = 1.06  # a one-to-one pair this sure (margin) anchors a run
    floor: float = 0.0  # a bead's margin under this: left to the order-free matching
    params: beads_mod.BeadParams = field(default_factory=beads_mod.BeadParams)
    parts: tuple[slice, ...] | None = None  # an ensemble's members, centred apart
    member_floor: float = -1.0  # between reports: centred cosine a member of a many-to-one bead needs to its other side
    pair_floor: float = -1.0  # between reports: centred cosine of a one-to-one bead's two segments
    sparse_skip: float = -0.1  # between reports: what a deletion costs (positive: a bead must clearly earn its place)


def link_scores(
    sim: np.ndarray, *, neighbours: int, min_similarity: float = 0.0, lexical: np.ndarray | None = None,
    lexical_weight: float = 0.0, anchors: np.ndarray | None = None, anchor_weight: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The score every pair of segments is linked on: ``score[i, j]``, the margin of the cosine ``sim`` ``(n, m)``
    plus the weighted lexical and anchor terms, 0 where the cosine is under ``min_similarity``; with the
    rows' and the columns' neighbourhood means the margin divided by (``(n,)``, ``(m,)``).
    """
    combined = sim
    if lexical is not None and lexical_weight:
        combined = combined + lexical_weight * lexical
    if anchors is not None and anchor_weight:
        combined = combined + anchor_weight * np.minimum(anchors, MAX_ANCHORS)
    row_knn, col_knn = neighbourhoods(combined, neighbours)
    return np.where(sim >= min_similarity, margin_from(combined, row_knn, col_knn), 0.0).astype(np.float32), row_knn, col_knn


def align(
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    *,
    threshold: float,
    match_threshold: float,
    neighbours: int = 4,
    min_similarity: float = 0.0,
    extra_threshold: float | None = None,
    lexical: np.ndarray | None = None,
    lexical_weight: float = 0.0,
    anchors: np.ndarray | None = None,
    anchor_weight: float = 0.0,
    sim: np.ndarray | None = None,
    merge_neighbours: bool = False,
    lengths: tuple[np.ndarray, np.ndarray] | None = None,
    beads: BeadSettings | None = None,
) -> list[Link]:
    """Link segments of two documents.

    ``emb_a`` ``(n, d)`` and ``emb_b`` ``(m, d)`` hold unit-norm segment vectors.
    ``lexical`` ``(n, m)`` (see :func:`lexical_similarity`) is added to the cosines
    with ``lexical_weight``, and ``anchors`` (see :func:`anchor_counts`, at most
    ``MAX_ANCHORS`` counted) with ``anchor_weight``, before the margin is taken.
    A link needs a margin score ``>= threshold`` and a cosine ``>= min_similarity``
    (the margin alone cannot tell a weak best neighbour from a real one); it is a ``match`` at
    ``>= match_threshold`` and ``partial`` below. With ``merge_neighbours``, an
    unlinked segment may then join its neighbour's link (see :func:`neighbour_merges`);
    such links are ``partial``. With ``beads`` and the segments' ``lengths``, the
    stretches that keep their order are first linked bead by bead (:func:`bead_links`);
    a bead scoring under ``beads.floor`` is dropped, and the order-free linking
    above takes what the beads left. Returns links sorted by ``(a, b)``.
    """
    sim = similarity_matrix(emb_a, emb_b) if sim is None else sim
    if sim.size == 0:
        return []
    score, row_knn, col_knn = link_scores(sim, neighbours=neighbours, min_similarity=min_similarity, lexical=lexical,
                                          lexical_weight=lexical_weight, anchors=anchors, anchor_weight=anchor_weight)  # fmt: skip
    links: list[Link] = []
    if beads is not None and lengths is not None:
        for ia, ib, cosine in bead_links(emb_a, emb_b, *lengths, score, beads):
            bead_score = cosine / max((float(row_knn[list(ia)].mean()) + float(col_knn[list(ib)].mean())) / 2.0, MIN_DENOMINATOR)
            if bead_score < beads.floor:
                continue
            status = "match" if bead_score >= match_threshold else "partial"
            links.extend(Link(a=i, b=j, similarity=float(sim[i, j]), score=bead_score, status=status) for i in ia for j in ib)
    used_a, used_b = sorted({k.a for k in links}), sorted({k.b for k in links})
    free = score.copy()
    free[used_a, :] = 0.0
    free[:, used_b] = 0.0
    pairs = set(one_to_one(free, threshold))
    pairs |= set(_best_pairs(free, max(threshold, extra_threshold if extra_threshold is not None else threshold)))
    merged = set(neighbour_merges(emb_a, emb_b, sorted(pairs), free)) if merge_neighbours else set()
    links += [
        Link(
            a=i,
            b=j,
            similarity=float(sim[i, j]),
            score=float(score[i, j]),
            status="match" if score[i, j] >= match_threshold and (i, j) not in merged else "partial",
        )
        for i, j in sorted(pairs | merged)
    ]
    return sorted(links, key=lambda link: (link.a, link.b))


RUN_EXTENSION = 3  # unanchored segments a run's region takes in before its first and after its last anchor


def anchor_pairs(score: np.ndarray, bar: float) -> list[tuple[int, int]]:
    """One-to-one pairs scoring ``>= bar`` that are each other's best counterpart: order-free, high confidence."""
    if score.size == 0:
        return []
    best_of_row, best_of_col = np.argmax(score, axis=1), np.argmax(score, axis=0)
    return [(i, j) for i, j in one_to_one(score, bar) if best_of_row[i] == j and best_of_col[j] == i]


def centred(emb_a: np.ndarray, emb_b: np.ndarray, parts: Sequence[slice] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Both documents' vectors less their common mean, renormalised; each part of an ensemble's vectors on its own.

    Sentence encoders put every vector in one narrow cone, where any two
    texts look alike and a sum of vectors looks like anything; centring
    spreads them. Members are centred apart so that the one whose cosines
    are compressed (e5) weighs as much as the one whose cosines spread (USE).
    """
    parts = list(parts) if parts else [slice(0, emb_a.shape[1])]
    out_a, out_b = [], []
    for part in parts:
        centre = np.vstack([emb_a[:, part], emb_b[:, part]]).mean(axis=0)
        out_a.append(_unit(emb_a[:, part] - centre))
        out_b.append(_unit(emb_b[:, part] - centre))
    return _unit(np.hstack(out_a)), _unit(np.hstack(out_b))


UNIQUE_COS = 0.25  # centred cosine under which a segment has no plausible counterpart anywhere
SPARSE_FROM = 0.10  # share of such segments up to which two documents read as complete translations of each other
SPARSE_AT = 0.20  # share from which they read as reports that each left out and added much


def unique_share(ca: np.ndarray, cb: np.ndarray) -> float:
    """Share of the segments of both documents (centred vectors) with no counterpart of cosine ``UNIQUE_COS`` or more."""
    if not len(ca) or not len(cb):
        return 1.0
    sim = ca @ cb.T
    return float(((sim.max(axis=1) < UNIQUE_COS).sum() + (sim.max(axis=0) < UNIQUE_COS).sum()) / (len(ca) + len(cb)))


def _groups(run_list: Sequence[Sequence[tuple[int, int]]]) -> list[list[int]]:
    """Runs (sorted by ``a``) that follow each other in order on both sides, grouped: one DP covers a group.

    A translation whose runs were cut by a long insertion is one group again;
    blocks that were moved are not.
    """
    groups: list[list[int]] = []
    for r, run in enumerate(run_list):
        if groups and run[0][1] > run_list[groups[-1][-1]][-1][1]:
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _regions(run_list: Sequence[Sequence[tuple[int, int]]], n: int, m: int, extension: int,
             stray: Sequence[tuple[int, int]] = ()) -> list[tuple[list[int], list[int], list[tuple[int, int]]]]:  # fmt: skip
    """Per group of runs: its segments of A, of B, and its anchors.

    A segment belongs to the run whose anchors span it, else to the group whose
    runs span it (the gap between two of its runs), else to the nearest group
    end within ``extension`` segments; never to two groups. A region's ends
    never reach past a ``stray`` anchor (one no run took).
    """
    groups = _groups(run_list)
    owners = []
    for side, size in ((0, n), (1, m)):
        owner = np.full(size, -1)
        held = {pair[side] for pair in stray}  # anchored outside every run: a region's ends stop there
        spans = [[(run_list[r][0][side], run_list[r][-1][side]) for r in g] for g in groups]
        for g, group_spans in enumerate(spans):
            for lo, hi in group_spans:
                segment = owner[lo : hi + 1]
                segment[segment < 0] = g
        for g, group_spans in enumerate(spans):
            lo, hi = min(x for x, _ in group_spans), max(y for _, y in group_spans)
            segment = owner[lo : hi + 1]
            segment[segment == -1] = g
        for g, group_spans in enumerate(spans):
            lo, hi = min(x for x, _ in group_spans), max(y for _, y in group_spans)
            for step in range(1, extension + 1):
                if lo - step < 0 or owner[lo - step] != -1 or lo - step in held:
                    break
                owner[lo - step] = g
            for step in range(1, extension + 1):
                if hi + step >= size or owner[hi + step] != -1 or hi + step in held:
                    break
                owner[hi + step] = g
        owners.append(owner)
    return [
        ([int(i) for i in np.flatnonzero(owners[0] == g)], [int(j) for j in np.flatnonzero(owners[1] == g)],
         [pair for r in group for pair in run_list[r]])
        for g, group in enumerate(groups)
    ]  # fmt: skip


def bead_links(
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    len_a: np.ndarray,
    len_b: np.ndarray,
    score: np.ndarray,
    settings: BeadSettings,
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Beads of the stretches that keep their order: ``(a indices, b indices, window cosine)`` for each linked bead.

    Anchors (:func:`anchor_pairs` at ``settings.anchor_bar`` on the margin ``score`` ``(n, m)``)
    are cut into monotone runs (:func:`beads.runs`); each run's region gets a
    bead DP (:func:`beads.dp_beads`) on vectors centred on the mean of both
    documents (:func:`centred`, each of an ensemble's ``settings.parts`` on its own), guided by its anchors.

    How much of the two documents has no counterpart at all sets the price of
    a deletion (:func:`unique_share`): between two complete translations
    (under ``SPARSE_FROM``) a deletion costs ``settings.params.skip`` and
    members are not checked; from ``SPARSE_AT`` (news outlets that each left
    out and added their own) a deletion costs ``settings.sparse_skip`` and
    every member must resemble its other side (:func:`_confirmed`); in
    between, the price moves from one to the other. Deletions are left out: what a run does
    not link is for the caller's order-free matching.
    """
    n, m = len(emb_a), len(emb_b)
    anchors = anchor_pairs(score, settings.anchor_bar)
    run_list = beads_mod.runs(anchors)
    if not run_list:
        return []
    in_runs = {pair for run in run_list for pair in run}
    stray = [pair for pair in anchors if pair not in in_runs]
    ca, cb = centred(emb_a, emb_b, settings.parts)
    sparse = float(np.clip((unique_share(ca, cb) - SPARSE_FROM) / (SPARSE_AT - SPARSE_FROM), 0.0, 1.0))
    params = dataclasses.replace(settings.params, skip=settings.params.skip + sparse * (settings.sparse_skip - settings.params.skip))
    # nearly every passage has a counterpart: a weak member is the rule, not a stray
    member_floor = settings.member_floor if sparse >= 0.5 else -1.0
    pair_floor = settings.pair_floor if sparse > 0.0 else -1.0
    out = []
    for rows, cols, run in _regions(run_list, n, m, RUN_EXTENSION, stray):
        pos_a = {i: k for k, i in enumerate(rows)}
        pos_b = {j: k for k, j in enumerate(cols)}
        local = [(pos_a[a] + 1, pos_b[b] + 1) for a, b in run if a in pos_a and b in pos_b]
        found = beads_mod.dp_beads(ca[rows], cb[cols], len_a[rows], len_b[cols], local, params)
        for bead_a, bead_b, _, _ in found:
            if bead_a and bead_b:
                kept = _confirmed([rows[k] for k in bead_a], [cols[k] for k in bead_b], ca, cb, len_a, len_b, member_floor, pair_floor)
                if kept:
                    ia, ib = kept
                    cosine = float(_unit(emb_a[ia].sum(axis=0)) @ _unit(emb_b[ib].sum(axis=0)))
                    out.append((tuple(ia), tuple(ib), cosine))
    return out


def _confirmed(ia: list[int], ib: list[int], ca: np.ndarray, cb: np.ndarray, len_a: np.ndarray, len_b: np.ndarray,
               floor: float, pair_floor: float) -> tuple[list[int], list[int]] | None:  # fmt: skip
    """The bead less every member that does not resemble the other side (centred cosine under ``floor``).

    The DP takes in a segment that has no counterpart at little cost when it
    is short or sits beside a true pair; each member must show it belongs.
    Members are dropped until every one left passes; ``None`` when a side empties.
    A one-to-one bead needs ``pair_floor`` instead: two whole sentences say plainly whether they match.
    """
    if len(ia) == 1 and len(ib) == 1:
        return (ia, ib) if float(ca[ia[0]] @ cb[ib[0]]) >= pair_floor else None
    while ia and ib:
        wa = _unit((ca[ia] * len_a[ia, None]).sum(axis=0))
        wb = _unit((cb[ib] * len_b[ib, None]).sum(axis=0))
        keep_a = [i for i in ia if float(ca[i] @ wb) >= floor]
        keep_b = [j for j in ib if float(cb[j] @ wa) >= floor]
        if keep_a == ia and keep_b == ib:
            return ia, ib
        ia, ib = keep_a, keep_b
    return None
