"""The records a comparison is made of: prepared documents, aligned pairs (with their check stage) and comparisons.

Everything downstream (the contract table, JSON, HTML, the dashboard's views) is a projection of these records.
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import align as align_mod
from . import coverage as coverage_mod
from .checks import discrepancies
from .embed.calibration import PairParams
from .errors import UsageError
from .segment import content_tokens
from .export import COLUMNS, METADATA_COLUMNS, empty_table, normalise_table
from .types import UNKNOWN_LANG, Bead, Coverage, Document, Link, Segment, Settings


@dataclass(frozen=True, kw_only=True)
class Prepared:
    """A document with its language, its segments and their vectors ``(len(segments), dim)``.

    ``model_id`` names the encoder that made the vectors: a pair is aligned with that encoder's calibration.
    """

    document: Document
    segments: tuple[Segment, ...]
    embeddings: np.ndarray = field(repr=False, compare=False)
    model_id: str

    @property
    def name(self) -> str:
        return self.document.name


@dataclass(frozen=True, kw_only=True)
class PairResult:
    """The alignment of two prepared documents."""

    pair_id: str
    a: Prepared
    b: Prepared
    links: tuple[Link, ...]
    similarity: np.ndarray = field(repr=False, compare=False)  # (len(a.segments), len(b.segments)) cosines
    params: PairParams  # every parameter the pair was aligned with, none left open

    @functools.cached_property
    def checks(self) -> discrepancies.PairChecks:
        """The check stage's output for these links: made from the pair's own links when first asked (a
        stories verification that only counts links never pays for it), never passed in, so it cannot
        describe other links; ``dataclasses.replace`` and :func:`relinked` make a pair that checks anew."""
        return check(self)

    @property
    def profile(self) -> str:
        """``translation`` or ``comparable``: the calibration this pair was aligned with."""
        return self.params.profile

    @property
    def beads(self) -> tuple[Bead, ...]:
        """The links grouped into beads: segments joined by links, directly or through each other, form one bead.

        In order of their first segment of A.
        """
        return group_beads(self.links)

    def all_beads(self) -> list[Bead]:
        """The linked beads, then every unlinked segment of A and of B as a bead of its own (a deletion)."""
        return [*self.beads, *(Bead(a=(i,), b=()) for i in self.unique_a), *(Bead(a=(), b=(j,)) for j in self.unique_b)]

    @property
    def unique_a(self) -> list[int]:
        linked = {link.a for link in self.links}
        return [s.index for s in self.a.segments if s.index not in linked]

    @property
    def unique_b(self) -> list[int]:
        linked = {link.b for link in self.links}
        return [s.index for s in self.b.segments if s.index not in linked]

    @property
    def coverage_a(self) -> Coverage:
        return coverage_mod.coverage(self.a.segments, (link.a for link in self.links))

    @property
    def coverage_b(self) -> Coverage:
        return coverage_mod.coverage(self.b.segments, (link.b for link in self.links))

    def rows(self) -> list[dict[str, object]]:
        """Contract rows: links and unique_a in ``a`` order, then unique_b in ``b`` order.

        A projection of the records: a link's row carries its bead's number and its
        differences (:attr:`checks`); a unique passage's row names the closest passage
        of the other document by margin score, and its conflicts with the closest by cosine.
        """
        a_seg, b_seg = self.a.segments, self.b.segments
        rows: list[tuple[tuple[int, int], dict[str, object]]] = []
        for number, bead in enumerate(self.beads):
            for link in bead.links:
                cell = discrepancies.to_cell(self.checks.of_link(link.a, link.b))
                row = self._row(a_seg[link.a], b_seg[link.b], link.similarity, link.score, link.status, cell)
                rows.append(((link.a, link.b), row | {"bead": number}))
        for i in self.unique_a:
            rows.append(((i, -1), self._unique_row(i, "a")))
        ordered = [row for _, row in sorted(rows, key=lambda item: item[0])]
        ordered += [self._unique_row(j, "b") for j in self.unique_b]
        return ordered

    def _row(self, sa: Segment | None, sb: Segment | None, sim: float | None, score: float | None, status: str,
             cell: str) -> dict[str, object]:  # fmt: skip
        def side(seg: Segment | None, prefix: str) -> dict[str, object]:
            if seg is None:
                return {f"{prefix}_{k}": None for k in ("index", "start", "end", "text", "lang")}
            return {f"{prefix}_index": seg.index, f"{prefix}_start": seg.start, f"{prefix}_end": seg.end,
                    f"{prefix}_text": seg.text, f"{prefix}_lang": seg.lang}  # fmt: skip

        return {"pair_id": self.pair_id, "doc_a": self.a.name, "doc_b": self.b.name, **side(sa, "a"), **side(sb, "b"),
                "similarity": sim, "score": score, "status": status, "discrepancies": cell,
                **self._metadata}  # fmt: skip

    @property
    def _metadata(self) -> dict[str, str]:
        """The metadata columns (``doc_a_title``...): what each document's file says about itself."""
        docs = {"a": self.a.document, "b": self.b.document}
        return {column: docs[column[4]].metadata.get(column[len("doc_a_"):], "") for column in METADATA_COLUMNS}

    def _unique_row(self, index: int, side: str) -> dict[str, object]:
        """A passage no one links, with the closest passage of the other document (and its conflicts with it)."""
        seg = self.a.segments[index] if side == "a" else self.b.segments[index]
        closest = self.checks.closest(side, index)
        cell = discrepancies.to_cell(closest.conflicts, closest=closest.index) if closest is not None else ""
        best = self.nearest(index, side)
        row = self._row(seg if side == "a" else None, seg if side == "b" else None, None, None, f"unique_{side}", cell)
        return row | {"closest": best[0] if best else None, "closest_score": best[1] if best else None}

    def nearest(self, index: int, side: str) -> tuple[int, float] | None:
        """The other document's passage with the best margin score against segment ``index``, and that score.

        The score is on the scale of ``params.threshold``: how near the call came to a link.
        """
        row_knn, col_knn = self._neighbourhoods
        if side == "a":
            if not len(col_knn):
                return None
            scores = align_mod.margin_from(self.similarity[index : index + 1], row_knn[index : index + 1], col_knn)[0]
        else:
            if not len(row_knn):
                return None
            scores = align_mod.margin_from(self.similarity[:, index : index + 1], row_knn, col_knn[index : index + 1])[:, 0]
        best = int(np.argmax(scores))
        return best, float(scores[best])

    def link_scores(self) -> np.ndarray:
        """``(len(a.segments), len(b.segments))``: the score the aligner linked each pair of segments on
        (:func:`xling.align.link_scores` with the pair's own parameters); a bead's links carry their bead's score instead."""
        params = self.params
        lexical, anchors = word_evidence(self.a, self.b, params)
        return align_mod.link_scores(self.similarity, neighbours=params.neighbours, min_similarity=params.min_similarity,
                                     lexical=lexical, lexical_weight=params.lexical_weight, anchors=anchors,
                                     anchor_weight=params.anchor_weight)[0]  # fmt: skip

    @functools.cached_property
    def _neighbourhoods(self) -> tuple[np.ndarray, np.ndarray]:
        return align_mod.neighbourhoods(self.similarity, self.params.neighbours)

    def to_dataframe(self) -> pd.DataFrame:
        rows = self.rows()
        return normalise_table(pd.DataFrame(rows, columns=list(COLUMNS + METADATA_COLUMNS))) if rows else empty_table()


def word_evidence(a: Prepared, b: Prepared, params: PairParams) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The word-level terms a pair is aligned with besides its cosines, each ``(n, m)`` or ``None`` when its weight is 0:
    the lexical similarity of the segments' content words and the count of anchors (numbers, names) they share."""
    tokens_a = [content_tokens(s.text) for s in a.segments]
    tokens_b = [content_tokens(s.text) for s in b.segments]
    lexical = align_mod.lexical_similarity(tokens_a, tokens_b) if params.lexical_weight else None
    anchors = align_mod.anchor_counts(tokens_a, tokens_b) if params.anchor_weight else None
    return lexical, anchors


def relinked(pair: PairResult, links: Sequence[Link]) -> PairResult:
    """``pair`` with other links (a human's corrections): every record derived from the links is made again.

    The one way to change a result's links, so the table of a corrected pair is projected by the
    same rules (row order, beads, discrepancy checks, closest passages) as the model's own.
    """
    return dataclasses.replace(pair, links=tuple(links))  # a new pair: its ``checks`` come from these links


def check(pair: PairResult) -> discrepancies.PairChecks:
    """The check stage of a pair: what its links' passages disagree on, and each unlinked passage's closest passage.

    Between translations every fact one side lacks counts; between independent reports (the
    comparable profile) only contradicting values do. Each segment is read in its own language,
    or its document's when it is too short to judge.
    """
    floor = pair.params.min_similarity
    return discrepancies.check_pair(
        pair.a.segments, pair.b.segments, langs_a=[_lang(s, pair.a) for s in pair.a.segments],
        langs_b=[_lang(s, pair.b) for s in pair.b.segments], beads=pair.beads, unique_a=pair.unique_a, unique_b=pair.unique_b,
        similarity=pair.similarity, floor=floor, comparable=pair.profile == "comparable",
    )  # fmt: skip


def group_beads(links: Sequence[Link]) -> tuple[Bead, ...]:
    """Connected components of the bipartite graph the links make, in order of their first segment of A."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        ra, rb = find(("a", link.a)), find(("b", link.b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[str, int], list[Link]] = {}
    for link in links:
        groups.setdefault(find(("a", link.a)), []).append(link)
    beads = [
        Bead(a=tuple(sorted({k.a for k in group})), b=tuple(sorted({k.b for k in group})), links=tuple(sorted(group, key=lambda k: (k.a, k.b))))
        for group in groups.values()
    ]
    return tuple(sorted(beads, key=lambda bead: (bead.a[0], bead.b[0])))


def _lang(segment: Segment, prepared: Prepared) -> str:
    """The segment's language, or its document's when the segment is too short to judge."""
    return segment.lang if segment.lang != UNKNOWN_LANG else prepared.document.lang


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Every pair of a set of documents, aligned with one set of settings.

    A document is known by its name, unique within a comparison (pairs name their documents, not point at them).
    """

    documents: tuple[Prepared, ...]
    pairs: tuple[PairResult, ...]
    settings: Settings  # what was asked; each pair's ``params`` hold what it was aligned with

    def __post_init__(self) -> None:
        names = [d.name for d in self.documents]
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            raise UsageError(f"two documents of a comparison are named {twice[0]!r}: give each document its own name")
        for pair in self.pairs:
            if pair.a.name not in self.positions or pair.b.name not in self.positions:
                raise UsageError(f"pair {pair.pair_id}: its documents are not among the comparison's own")

    @functools.cached_property
    def positions(self) -> dict[str, int]:
        """Each document's name -> its index in :attr:`documents`."""
        return {d.name: i for i, d in enumerate(self.documents)}

    def ends(self, pair: PairResult) -> tuple[int, int]:
        """The indices in :attr:`documents` of the pair's documents A and B."""
        return self.positions[pair.a.name], self.positions[pair.b.name]

    def side_of(self, pair: PairResult, index: int) -> str | None:
        """``"a"`` or ``"b"``: which side of ``pair`` document ``index`` is, or ``None`` if neither."""
        ia, ib = self.ends(pair)
        return "a" if ia == index else "b" if ib == index else None

    @property
    def model_id(self) -> str:
        """The encoder that made every document's vectors."""
        return self.documents[0].model_id if self.documents else ""

    def to_dataframe(self) -> pd.DataFrame:
        """The contract table of every pair, one call (the rows of all pairs typed once, not pair by pair)."""
        rows = [row for pair in self.pairs for row in pair.rows()]
        return normalise_table(pd.DataFrame(rows, columns=list(COLUMNS + METADATA_COLUMNS))) if rows else empty_table()

    def coverage(self, index: int) -> Coverage:
        """How much of document ``index`` at least one other document covers."""
        covered: set[int] = set()
        for pair in self.pairs:
            side = self.side_of(pair, index)
            if side is not None:
                covered.update(getattr(link, side) for link in pair.links)
        return coverage_mod.coverage(self.documents[index].segments, covered)

    def carriers(self, index: int) -> list[tuple[str, ...]]:
        """For each segment of document ``index``, the other documents that cover it."""
        target = self.documents[index]
        covered_by: dict[str, set[int]] = {}
        for pair in self.pairs:
            side = self.side_of(pair, index)
            if side == "a":
                covered_by.setdefault(pair.b.name, set()).update(link.a for link in pair.links)
            elif side == "b":
                covered_by.setdefault(pair.a.name, set()).update(link.b for link in pair.links)
        return coverage_mod.carriers(len(target.segments), covered_by)

    def coverage_matrix(self) -> pd.DataFrame:
        """``res.loc[x, y]``: share of document x's characters that document y covers."""
        names = [d.name for d in self.documents]
        matrix = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
        for pair in self.pairs:
            matrix.loc[pair.a.name, pair.b.name] = pair.coverage_a.char_share
            matrix.loc[pair.b.name, pair.a.name] = pair.coverage_b.char_share
        return matrix
