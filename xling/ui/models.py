"""The dashboard's view models: numbers, counterparts, the filtered table, the differences by row and the charts' data,
as pure functions of a :class:`Comparison` and its table (no HTML, no Streamlit).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..checks.facts import Difference
from ..pipeline import Comparison, PairResult
from .common import (
    KINDS,
    LABELS,
    MAX_HEATMAP_CELLS,
    NEAR_GAP,
    SOMEWHAT_GAP,
    SORTS,
    TABLE_STATUSES,
    TOLERANCE,
    TOOLTIP_CHARS,
    Mark,
    excerpt,
    letter,
)


@dataclass(frozen=True)
class PairCounts:
    """The headline numbers of one pair."""

    match: int
    partial: int
    only_a: int
    only_b: int
    segments_a: int
    segments_b: int
    coverage_a: float  # share of A's characters that B covers
    coverage_b: float

    @property
    def links(self) -> int:
        return self.match + self.partial


def pair_counts(pair: PairResult) -> PairCounts:
    statuses = [link.status for link in pair.links]
    return PairCounts(
        match=statuses.count("match"), partial=statuses.count("partial"),
        only_a=len(pair.unique_a), only_b=len(pair.unique_b),
        segments_a=len(pair.a.segments), segments_b=len(pair.b.segments),
        coverage_a=pair.coverage_a.char_share, coverage_b=pair.coverage_b.char_share,
    )  # fmt: skip


def segment_statuses(comparison: Comparison, index: int) -> list[str]:
    """For each segment of document ``index``, its best status against every other document.

    ``match`` if some link is a match, ``partial`` if it has only partial links, else ``unique``.
    """
    target = comparison.documents[index]
    best = ["unique"] * len(target.segments)
    for pair in comparison.pairs:
        mine = comparison.side_of(pair, index)
        if mine is None:
            continue
        for link in pair.links:
            i = getattr(link, mine)
            if link.status == "match" or best[i] == "unique":
                best[i] = link.status
    return best


def kind_shares(comparison: Comparison, index: int) -> dict[str, float]:
    """Share of document ``index``'s characters that are shared, partly shared and only in it."""
    segments = comparison.documents[index].segments
    total = sum(len(s) for s in segments) or 1
    chars = dict.fromkeys(KINDS, 0)
    for seg, status in zip(segments, segment_statuses(comparison, index)):
        chars[status] += len(seg)
    return {k: chars[k] / total for k in KINDS}


def document_summary(comparison: Comparison) -> pd.DataFrame:
    """One row per document: letter, name, language, segment counts, coverage by the others."""
    rows = []
    for index, prepared in enumerate(comparison.documents):
        cov = comparison.coverage(index)
        doc = prepared.document
        rows.append({
            "letter": letter(index), "name": prepared.name, "language": doc.lang, "language_prob": doc.lang_prob,
            "segments": cov.segments, "unique_segments": cov.segments - cov.covered_segments, "coverage": cov.char_share,
            "title": doc.metadata.get("title", ""), "date": doc.metadata.get("date", ""), "site": doc.metadata.get("site", ""),
            "opening": excerpt(prepared.segments[0].text, 80) if prepared.segments else "",
        })  # fmt: skip
    return pd.DataFrame(rows)


def unique_segments(comparison: Comparison, index: int) -> list[int]:
    """Segments of document ``index`` that no other document covers."""
    return [i for i, names in enumerate(comparison.carriers(index)) if not names]


@dataclass(frozen=True)
class Counterpart:
    """A passage of another document linked to the selected one (or, when none is, the closest one)."""

    document: str
    letter: str
    index: int
    text: str
    status: str  # match, partial, or "closest" for the nearest passage that is not linked
    similarity: float
    score: float | None


def counterparts(comparison: Comparison, index: int, segment: int) -> list[Counterpart]:
    """The passages of the other documents linked to ``segment`` of document ``index``, best first.

    From a document with no link to it, its closest passage by cosine comes with status
    ``closest``: the reader sees what came nearest and can judge the threshold.
    """
    letters = {p.name: letter(i) for i, p in enumerate(comparison.documents)}
    out: list[Counterpart] = []
    for pair in comparison.pairs:
        side = comparison.side_of(pair, index)
        if side == "a":
            other, mine, theirs, cosines = pair.b, "a", "b", pair.similarity[segment, :]
        elif side == "b":
            other, mine, theirs, cosines = pair.a, "b", "a", pair.similarity[:, segment]
        else:
            continue
        linked = sorted((k for k in pair.links if getattr(k, mine) == segment), key=lambda k: -k.score)
        for link in linked:
            seg = other.segments[getattr(link, theirs)]
            out.append(Counterpart(other.name, letters[other.name], seg.index, seg.text, link.status, link.similarity, link.score))
        if not linked and len(cosines):
            j = int(cosines.argmax())
            out.append(Counterpart(other.name, letters[other.name], j, other.segments[j].text, "closest", float(cosines[j]), None))
    return out


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the table to. The defaults keep every row, in the contract order."""

    statuses: tuple[str, ...] = TABLE_STATUSES
    score_range: tuple[float, float] | None = None  # linked rows scored outside are hidden; unique rows have no score
    pairs: tuple[str, ...] | None = None
    query: str = ""
    sort: str = SORTS[0]

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        bad = [s for s in self.statuses if s not in TABLE_STATUSES]
        if bad:
            raise ValueError(f"statuses must be among {', '.join(TABLE_STATUSES)}, not {', '.join(bad)}")


def score_bounds(table: pd.DataFrame) -> tuple[float, float]:
    """The lowest and highest score of the linked rows: the score filter's range."""
    scores = table["score"].dropna()
    return (float(scores.min()), float(scores.max())) if len(scores) else (0.0, 0.0)


def filter_table(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows the page shows and the downloads hold, in the order shown."""
    keep = table["status"].isin(filters.statuses)
    if filters.pairs is not None:
        keep &= table["pair_id"].isin(filters.pairs)
    if filters.score_range is not None:
        low, high = filters.score_range
        score = table["score"]
        keep &= score.isna() | ((score >= low - TOLERANCE) & (score <= high + TOLERANCE))
    if filters.query.strip():
        text = table["a_text"].fillna("") + "\n" + table["b_text"].fillna("")
        keep &= text.str.contains(filters.query.strip(), case=False, regex=False)
    rows = table[keep.fillna(False).astype(bool)]
    if filters.sort.startswith("score"):
        rows = rows.sort_values("score", ascending=filters.sort.endswith("low to high"), na_position="last", kind="stable")
    elif filters.sort == "status":
        rows = rows.sort_values("status", key=lambda s: s.map(TABLE_STATUSES.index), kind="stable")
    return rows.reset_index(drop=True)


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    counts = table["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in TABLE_STATUSES}


RowKey = tuple[str, int, int]  # (pair_id, a_index, b_index), -1 for the side a unique row has not


def differences_by_row(comparison: Comparison) -> dict[RowKey, tuple[Difference, ...]]:
    """Every table row's differences, from the pairs' check records: a link's, or an unlinked passage's
    conflicts with its closest passage. Rows with none are left out."""
    out: dict[RowKey, tuple[Difference, ...]] = {}
    for pair in comparison.pairs:
        out.update(((pair.pair_id, a, b), found) for (a, b), found in pair.checks.links.items() if found)
        out.update(((pair.pair_id, i, -1), found) for i in pair.unique_a if (found := pair.checks.of_unique("a", i)))
        out.update(((pair.pair_id, -1, j), found) for j in pair.unique_b if (found := pair.checks.of_unique("b", j)))
    return out


def row_key(row: Any) -> RowKey:
    """The key of a table row (a named tuple or a Series) in :func:`differences_by_row`."""
    status = str(row.status)
    a = -1 if status == "unique_b" else int(row.a_index)
    b = -1 if status == "unique_a" else int(row.b_index)
    return (str(row.pair_id), a, b)


def difference_marks(differences: Sequence[Difference], side: str) -> list[Mark]:
    """Where each difference sits in side ``a`` or ``b``: offsets into that passage, with the message."""
    return [(s, e, d.message()) for d in differences for s, e in (d.a_spans if side == "a" else d.b_spans)]


def difference_line(difference: Difference) -> str:
    """A difference as one readable line, its kind first ("name: Merkel vs Macron", "date: only in A: 3 May")."""
    message = difference.message()
    return message if message.startswith(f"{difference.kind}:") else f"{difference.kind}: {message}"


def has_discrepancies(rows: pd.DataFrame, comparison: Comparison) -> pd.Series:
    """Per row: do its passages disagree on a fact (a link, or an unlinked passage and its closest one)?"""
    found = differences_by_row(comparison)
    return pd.Series([row_key(r) in found for r in rows.itertuples(index=False)], index=rows.index, dtype=bool)


def with_closest(rows: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """Unique rows with differences get the closest passage of the other document (the one they differ from) beside them."""
    pairs = {pair.pair_id: pair for pair in comparison.pairs}
    rows = rows.copy()
    for k, row in rows.iterrows():
        pair = pairs.get(row["pair_id"])
        if pair is None or row["status"] not in ("unique_a", "unique_b"):
            continue
        mine = "a" if row["status"] == "unique_a" else "b"
        closest = pair.checks.closest(mine, int(row[f"{mine}_index"]))
        if closest is None or not closest.conflicts:
            continue
        side, other = ("b", pair.b) if mine == "a" else ("a", pair.a)
        segment = other.segments[closest.index]
        rows.at[k, f"{side}_text"], rows.at[k, f"{side}_index"] = segment.text, segment.index
    return rows


def pair_bars(comparison: Comparison) -> dict[str, tuple[float, float]]:
    """Each pair's (link, match) thresholds, by pair id: what a score is read against."""
    return {p.pair_id: (p.params.threshold, p.params.match_threshold) for p in comparison.pairs}


def closest_elsewhere(comparison: Comparison, index: int, segment: int) -> list[tuple[str, int, str, float, float | None]]:
    """For a passage of document ``index``: per other document, its closest passage by margin score.

    ``(letter, index, text, score, threshold)``: how near the call came to a link, and the bar it had to pass.
    """
    out = []
    for pair in comparison.pairs:
        side = comparison.side_of(pair, index)
        if side is None:
            continue
        other = pair.b if side == "a" else pair.a
        best = pair.nearest(segment, side)
        if best is not None:
            out.append((letter(comparison.positions[other.name]), best[0], other.segments[best[0]].text, best[1], pair.params.threshold))
    return out


def nearness(score: float, threshold: float | None) -> str:
    """How close an unlinked passage came to a link, in words, then the numbers."""
    if threshold is None:
        return f"score {score:.3f}"
    gap = threshold - score
    words = "nearly linked" if gap <= NEAR_GAP else "somewhat close" if gap <= SOMEWHAT_GAP else "not close"
    return f"{words} (score {score:.3f}; a link needs {threshold:.3f})"


def coverage_frame(comparison: Comparison) -> pd.DataFrame:
    """Per document and kind (shared, partly shared, only here): the share of its text, long format."""
    rows = [
        {"document": f"{letter(i)} · {p.name}", "kind": LABELS[k], "order": KINDS.index(k), "share": share}
        for i, p in enumerate(comparison.documents)
        for k, share in kind_shares(comparison, i).items()
    ]
    return pd.DataFrame(rows)


def heatmap_frame(pair: PairResult, limit: int = MAX_HEATMAP_CELLS) -> pd.DataFrame | None:
    """One row per (A segment, B segment): cosine, link status and score, both texts; None when too big to draw."""
    n, m = pair.similarity.shape
    if n * m == 0 or n * m > limit:
        return None
    links = {(k.a, k.b): k for k in pair.links}
    a_texts = [excerpt(s.text, TOOLTIP_CHARS) for s in pair.a.segments]
    b_texts = [excerpt(s.text, TOOLTIP_CHARS) for s in pair.b.segments]
    rows = []
    for i in range(n):
        for j in range(m):
            link = links.get((i, j))
            rows.append({"a": i, "b": j, "similarity": round(float(pair.similarity[i, j]), 3), "status": link.status if link else "",
                         "score": link.score if link else None, "a_text": a_texts[i], "b_text": b_texts[j]})  # fmt: skip
    return pd.DataFrame(rows)


def coverage_matrix_frame(comparison: Comparison) -> pd.DataFrame:
    """``comparison.coverage_matrix()`` in long format: how much of ``document`` the ``by`` document covers."""
    matrix = comparison.coverage_matrix()
    label = {p.name: f"{letter(i)} · {p.name}" for i, p in enumerate(comparison.documents)}
    return pd.DataFrame(
        [{"document": label[x], "by": label[y], "share": float(matrix.loc[x, y])} for x in matrix.index for y in matrix.columns if x != y]
    )


def carriers_frame(comparison: Comparison, index: int) -> pd.DataFrame:
    """Per segment of document ``index``: an excerpt, how many others carry it, and which (one column each)."""
    others = [p.name for i, p in enumerate(comparison.documents) if i != index]
    rows = []
    for seg, names in zip(comparison.documents[index].segments, comparison.carriers(index)):
        rows.append({"#": seg.index, "passage": excerpt(seg.text), "carried by": len(names), **{o: o in names for o in others}})
    return pd.DataFrame(rows)
