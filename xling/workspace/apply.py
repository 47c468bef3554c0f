"""How human corrections apply to an alignment: on the records, never on the table. Pure: records in, records out.

    corrections --orient--> this pair's view --decide--> links kept, rejected, relabelled, added
        --pipeline.relinked--> a PairResult whose beads, checks and closest passages the pipeline's own
        stages made --rows()--> the table, plus a ``source`` column (``model`` or ``human``)

A correction (:mod:`xling.workspace.corrections`) applies only where both its
spans are segments of the current alignment (offsets are kept, not indices, so
a sentence-level correction applies at paragraph level only where a paragraph
is that very sentence). One that cannot be applied is *stale*: returned, and
logged as a warning that names it, never silently dropped or misapplied. A
correction made on an earlier version of one document (same name, another
hash, the other document unchanged) applies where its spans still hold the
same text, and is stale elsewhere. For one link the latest correction wins.

Because the corrected table is a projection of a corrected :class:`PairResult`,
a link a person added is checked by the very rule the model's links are (the
pair's profile, each segment's language or its document's), and a segment a
rejection left alone gets the closest passage any unlinked segment gets.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from ..export import COLUMNS, METADATA_COLUMNS, empty_table, normalise_table
from ..pipeline import Comparison, PairResult, relinked
from ..types import Document, Link, Segment
from .corrections import LINK_STATUSES, Correction, document_hash, quoted

log = logging.getLogger(__name__)

SOURCE_COLUMN = "source"
MODEL, HUMAN = "model", "human"
Key = tuple[int, int]  # (segment of A, segment of B): one link


@dataclass(frozen=True)
class Stale:
    """A correction that could not be applied to a pair, and why."""

    correction: Correction
    pair_id: str
    reason: str

    def __str__(self) -> str:
        return f"stale {self.correction.describe()} in pair {self.pair_id}: {self.reason}"


class CorrectionSource(Protocol):
    """Where corrections come from: a :class:`~xling.workspace.Workspace`, or a :class:`Snapshot` in memory."""

    def corrections_between(self, a: Document, b: Document) -> list[Correction]: ...


def _order(c: Correction) -> tuple[str, int]:
    return c.created, c.id or 0


@dataclass(frozen=True)
class Snapshot:
    """Every correction at one moment, in memory and indexed by document hash.

    What a batch run applies inside each chunk: read once from the workspace, small,
    picklable, so it is shipped once to each Dask worker instead of asking a database per pair.
    """

    corrections: tuple[Correction, ...]
    _index: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.corrections, key=_order))
        index: dict[str, list[int]] = {}
        for position, c in enumerate(ordered):
            for digest in {c.doc_a, c.doc_b}:  # a correction concerns a pair only if one side has the same text
                index.setdefault(digest, []).append(position)
        object.__setattr__(self, "corrections", ordered)
        object.__setattr__(self, "_index", {k: tuple(v) for k, v in index.items()})

    @classmethod
    def of(cls, corrections: Iterable[Correction] | object) -> Snapshot:
        """A snapshot of a workspace (anything with ``all_corrections()``) or of a plain list."""
        listed = corrections.all_corrections() if hasattr(corrections, "all_corrections") else corrections
        return cls(tuple(listed))  # type: ignore[arg-type]

    def corrections_between(self, a: Document, b: Document) -> list[Correction]:
        ha, hb = document_hash(a), document_hash(b)
        found = sorted({p for digest in (ha, hb) for p in self._index.get(digest, ())})
        return [c for c in (self.corrections[p] for p in found) if orient(c, ha, hb, a.name, b.name) is not None]

    def digest(self, a: Document, b: Document) -> str:
        """Which corrections concern the pair (a, b), as one hash ("" for none): a resumed batch run redoes a
        pair whose corrections changed since it was aligned."""
        uids = sorted(c.uid for c in self.corrections_between(a, b))
        return hashlib.sha256("\n".join(uids).encode()).hexdigest() if uids else ""


def _source(corrections: CorrectionSource | Iterable[Correction]) -> CorrectionSource:
    return corrections if hasattr(corrections, "corrections_between") else Snapshot(tuple(corrections))  # type: ignore[return-value,arg-type]


def orient(c: Correction, hash_a: str, hash_b: str, name_a: str, name_b: str) -> Correction | None:
    """``c`` as seen from the pair (a, b), mirrored if needed; ``None`` if it is about other documents.

    A side matches by content hash, or by name (an earlier version of that
    document); at least one side must match by hash, so two other documents
    that merely share the names (``it.txt``, ``es.txt`` of another event) are
    not taken for new versions. Hash matches win over name matches.
    """
    def side(h: str, n: str, want_h: str, want_n: str) -> int:
        return 2 if h == want_h else 1 if n and n == want_n else 0

    def fit(first: tuple[str, str], second: tuple[str, str]) -> int:
        sides = (side(c.doc_a, c.name_a, *first), side(c.doc_b, c.name_b, *second))
        return sum(sides) if min(sides) and max(sides) == 2 else 0

    direct, mirror = fit((hash_a, name_a), (hash_b, name_b)), fit((hash_b, name_b), (hash_a, name_a))
    if not direct and not mirror:
        return None
    return c if direct >= mirror else c.mirrored()


@dataclass(frozen=True, kw_only=True)
class Decision:
    """The links of one pair after corrections: ``(a, b) -> (status, decided by a human)``."""

    links: dict[Key, tuple[str, bool]]
    human_unique_a: frozenset[int]  # segments a rejection left without a link
    human_unique_b: frozenset[int]
    applied: tuple[Correction, ...]
    stale: tuple[Stale, ...]


def decide(
    pair_id: str,
    segments_a: Sequence[Segment],
    segments_b: Sequence[Segment],
    model_links: Mapping[Key, str],
    corrections: Iterable[Correction],
    *,
    hash_a: str,
    hash_b: str,
    level: str | None = None,
) -> Decision:
    """Apply ``corrections`` (already oriented to this pair) to the aligner's links ``(a, b) -> status``."""
    spans_a = {(s.start, s.end): s for s in segments_a}
    spans_b = {(s.start, s.end): s for s in segments_b}
    stale: list[Stale] = []
    latest: dict[Key, Correction] = {}
    for c in sorted(corrections, key=_order):
        problem = _check_side(c.a_start, c.a_end, c.a_text, c.doc_a == hash_a, spans_a, "a", c.level, level) or \
            _check_side(c.b_start, c.b_end, c.b_text, c.doc_b == hash_b, spans_b, "b", c.level, level)  # fmt: skip
        if problem:
            stale.append(Stale(c, pair_id, problem))
            continue
        latest[(spans_a[(c.a_start, c.a_end)].index, spans_b[(c.b_start, c.b_end)].index)] = c
    links = {key: (status, False) for key, status in model_links.items()}
    for key, c in latest.items():
        if c.action == "reject":
            links.pop(key, None)
        else:
            links[key] = (c.status or model_links.get(key, "match"), True)
    linked_a, linked_b = {a for a, _ in links}, {b for _, b in links}
    return Decision(
        links=links,
        human_unique_a=frozenset(a for a, _ in model_links if a not in linked_a),
        human_unique_b=frozenset(b for _, b in model_links if b not in linked_b),
        applied=tuple(latest.values()),
        stale=tuple(stale),
    )


def _check_side(start: int, end: int, text: str, same_doc: bool, spans: Mapping[tuple[int, int], Segment], side: str,
                made_at: str, level: str | None) -> str:  # fmt: skip
    """Why one side of a correction does not apply here ("" if it does)."""
    seg = spans.get((start, end))
    where = f"{side}[{start}:{end}]"
    if seg is None:
        at = f" at {level} level" if level else ""
        made = f" (the correction was made at {made_at} level)" if level and made_at != level else ""
        changed = "" if same_doc else "; the document has changed since"
        return f"no segment {where}{at}{made}{changed}"
    if text and seg.text != text:
        return f"the text at {where} has changed (now {quoted(seg.text)})"
    if not text and not same_doc:
        return f"the document has changed and the correction keeps no text to check {where} against"
    return ""


def decided_links(pair: PairResult, decision: Decision) -> tuple[Link, ...]:
    """The pair's :class:`Link` records after ``decision``, in (a, b) order.

    A link the aligner made keeps its cosine and score; one a person added takes the cosine
    the pair was aligned on and has no score (no margin decided it).
    """
    by_key = {(link.a, link.b): link for link in pair.links}
    out = []
    for (a, b), (status, _) in sorted(decision.links.items()):
        link = by_key.get((a, b))
        if link is None:
            link = Link(a=a, b=b, similarity=float(pair.similarity[a, b]), score=math.nan, status=status)  # type: ignore[arg-type]
        out.append(dataclasses.replace(link, status=status) if link.status != status else link)
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class CorrectedPair:
    """A pair with corrections applied: ``pair`` has the decided links (the aligner's own when ``decision`` is
    ``None``: no correction concerns the pair)."""

    pair: PairResult
    decision: Decision | None

    @property
    def applied(self) -> tuple[Correction, ...]:
        return self.decision.applied if self.decision else ()

    @property
    def stale(self) -> tuple[Stale, ...]:
        return self.decision.stale if self.decision else ()

    def rows(self) -> list[dict[str, object]]:
        """The corrected pair's contract rows, each with its ``source``: ``human`` where a person decided the link,
        or left the segment without one."""
        return [row | {SOURCE_COLUMN: self._source(row)} for row in self.pair.rows()]

    def _source(self, row: Mapping[str, object]) -> str:
        decision = self.decision
        if decision is None:
            return MODEL
        status = row["status"]
        if status in LINK_STATUSES:
            human = decision.links[(int(row["a_index"]), int(row["b_index"]))][1]  # type: ignore[call-overload]
        elif status == "unique_a":
            human = int(row["a_index"]) in decision.human_unique_a  # type: ignore[call-overload]
        else:
            human = int(row["b_index"]) in decision.human_unique_b  # type: ignore[call-overload]
        return HUMAN if human else MODEL

    def to_dataframe(self) -> pd.DataFrame:
        return sourced_table(self.rows())


def correct_pair(pair: PairResult, corrections: CorrectionSource | Iterable[Correction]) -> CorrectedPair:
    """``pair`` with the corrections that concern its documents applied (stale ones returned, not logged)."""
    a, b = pair.a.document, pair.b.document
    hash_a, hash_b = document_hash(a), document_hash(b)
    found = _source(corrections).corrections_between(a, b)
    oriented = [o for c in found if (o := orient(c, hash_a, hash_b, a.name, b.name)) is not None]
    if not oriented:
        return CorrectedPair(pair=pair, decision=None)
    decision = decide(pair.pair_id, pair.a.segments, pair.b.segments, {(k.a, k.b): k.status for k in pair.links}, oriented,
                      hash_a=hash_a, hash_b=hash_b, level=pair.params.level)  # fmt: skip
    return CorrectedPair(pair=relinked(pair, decided_links(pair, decision)), decision=decision)


def sourced_table(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    """Contract rows carrying a ``source`` as one table: the contract's columns and types, then ``source``."""
    if not rows:
        table = empty_table()
        table[SOURCE_COLUMN] = pd.array([], dtype="string")
        return table
    table = normalise_table(pd.DataFrame(list(rows), columns=[*COLUMNS, *METADATA_COLUMNS, SOURCE_COLUMN]))
    table[SOURCE_COLUMN] = pd.array(table[SOURCE_COLUMN], dtype="string")
    return table


@dataclass(frozen=True, kw_only=True)
class CorrectedComparison:
    """A comparison with corrections applied.

    ``comparison`` has the corrected pairs (so coverage, carriers and the dashboard
    views show them); ``table`` is its contract table with the ``source`` column;
    ``original`` is the aligner's comparison, untouched.
    """

    comparison: Comparison
    original: Comparison
    table: pd.DataFrame = field(repr=False)
    applied: tuple[Correction, ...]
    stale: tuple[Stale, ...]

    def to_dataframe(self) -> pd.DataFrame:
        return self.table.copy()


def apply_to_comparison(comparison: Comparison, corrections: CorrectionSource | Iterable[Correction]) -> CorrectedComparison:
    """Apply the corrections that concern ``comparison``'s documents to each of its pairs; stale ones are logged."""
    source = _source(corrections)
    corrected = [correct_pair(pair, source) for pair in comparison.pairs]
    stale = tuple(s for c in corrected for s in c.stale)
    for item in stale:
        log.warning("%s", item)
    return CorrectedComparison(
        comparison=dataclasses.replace(comparison, pairs=tuple(c.pair for c in corrected)), original=comparison,
        table=sourced_table([row for c in corrected for row in c.rows()]),
        applied=tuple(a for c in corrected for a in c.applied), stale=stale,
    )  # fmt: skip
