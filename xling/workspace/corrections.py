"""Human corrections of links, and how they apply to an alignment. Pure: records in, records out.

A correction names a link by the two documents' content hashes (sha256 of the
text) and the character offsets of its two segments, so it applies again
whenever the same documents are compared, whatever their names, from the
dashboard, ``xling align`` or ``xling batch``. It applies only where both spans
are segments of the current alignment (offsets are kept, not indices, so a
sentence-level correction applies at paragraph level only where a paragraph is
that very sentence). One that cannot be applied is *stale*: logged as a warning
that names it, and returned, never silently dropped or misapplied. A
correction made on an earlier version of one document (same name, another
hash, the other document unchanged) applies where its spans still hold the same
text, and is stale elsewhere.

Actions: ``reject`` removes the link; ``confirm`` keeps it (and adds it if the
aligner no longer proposes it); ``relabel`` sets its status; ``add`` creates
it. For one link the latest correction wins; the older ones stay as history.
Rows a human decided carry ``source == "human"`` in the table, the others ``model``.

Storage (SQLite) is in :mod:`xling.workspace`.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol, get_args

import pandas as pd

from ..checks import facts
from ..errors import XlingError
from ..export import METADATA_COLUMNS, looks_like_formula, normalise_table
from ..pipeline import Comparison, PairResult, group_beads
from ..types import LEVELS, Document, Link

log = logging.getLogger(__name__)

Action = Literal["reject", "confirm", "relabel", "add"]
ACTIONS: tuple[str, ...] = get_args(Action)
LINK_STATUSES = ("match", "partial")
SOURCE_COLUMN = "source"
MODEL, HUMAN = "model", "human"
EXCERPT_CHARS = 50  # of a segment, in a stale-correction warning
_HASH = re.compile(r"\A[0-9a-f]{64}\Z")
MAX_OFFSET = 2**63 - 1  # what SQLite stores as an integer; no document comes near it
MAX_CORRECTIONS_BYTES = 1_000_000_000  # a corrections file to import is read whole


def document_hash(document: Document | str) -> str:
    """sha256 of the document text (hex): what corrections are keyed by."""
    text = document.text if isinstance(document, Document) else document
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def now() -> str:
    """The current time as ISO-8601 UTC with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, kw_only=True)
class Correction:
    """A person's decision about one link between segment ``a`` of document ``doc_a`` and ``b`` of ``doc_b``.

    ``doc_a``/``doc_b`` are :func:`document_hash` values; ``a_start:a_end`` and
    ``b_start:b_end`` the segments' character offsets in those texts.
    ``status`` is required for ``relabel`` and ``add``, optional for ``confirm``
    (``None``: the aligner's status, or ``match`` if it proposes no such link)
    and absent for ``reject``. Names, texts and level are kept to explain the
    correction and to check it against a changed document. ``id`` is set by the
    workspace that stores it.
    """

    action: Action
    doc_a: str
    doc_b: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    status: Literal["match", "partial"] | None = None
    note: str = ""
    author: str = ""
    created: str = ""  # ISO-8601 UTC; the workspace fills it when empty
    level: str = "sentence"
    name_a: str = ""
    name_b: str = ""
    a_text: str = ""
    b_text: str = ""
    id: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {self.action!r}")
        if self.action == "reject" and self.status is not None:
            raise ValueError("a reject correction has no status")
        if self.action in ("relabel", "add") and self.status is None:
            raise ValueError(f"a {self.action} correction needs a status ({' or '.join(LINK_STATUSES)})")
        if self.status is not None and self.status not in LINK_STATUSES:
            raise ValueError(f"status must be one of {', '.join(LINK_STATUSES)}, not {self.status!r}")
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {self.level!r}")
        for side in ("doc_a", "doc_b"):
            if not _HASH.match(getattr(self, side)):
                raise ValueError(f"{side} must be a document's sha256 (64 lowercase hex digits), not {getattr(self, side)!r}")
        for start, end in (("a_start", "a_end"), ("b_start", "b_end")):
            s, e = getattr(self, start), getattr(self, end)
            if isinstance(s, bool) or isinstance(e, bool) or not isinstance(s, int) or not isinstance(e, int) or not 0 <= s < e:
                raise ValueError(f"{start}/{end} must be whole numbers with 0 <= start < end, not {s!r}/{e!r}")
            if e > MAX_OFFSET:
                raise ValueError(f"{start}/{end} must be offsets into a document, not {s!r}/{e!r} (over 2**63)")

    @property
    def uid(self) -> str:
        """Identity of the record (everything but ``id``): an import skips a correction already stored."""
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "id"}
        return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()

    def mirrored(self) -> Correction:
        """The same decision seen from the other document (a and b swapped)."""
        return dataclasses.replace(
            self, doc_a=self.doc_b, doc_b=self.doc_a, a_start=self.b_start, a_end=self.b_end, b_start=self.a_start,
            b_end=self.a_end, name_a=self.name_b, name_b=self.name_a, a_text=self.b_text, b_text=self.a_text,
        )  # fmt: skip

    def describe(self) -> str:
        """One line naming the correction, for warnings and lists."""
        who = f" by {self.author}" if self.author else ""
        when = f" on {self.created[:10]}" if self.created else ""
        ident = f"#{self.id}" if self.id is not None else self.uid[:10]
        status = f" -> {self.status}" if self.status else ""
        return (f"correction {ident} ({self.action}{status}{who}{when}): "
                f"{self.name_a or self.doc_a[:10]}[{self.a_start}:{self.a_end}] {_excerpt(self.a_text)} <-> "
                f"{self.name_b or self.doc_b[:10]}[{self.b_start}:{self.b_end}] {_excerpt(self.b_text)}")  # fmt: skip

    def to_record(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Correction:
        """From a dict of fields (unknown keys ignored; ``uid`` is recomputed, never trusted)."""
        names = {f.name for f in dataclasses.fields(cls)} - {"id"}
        return cls(**{k: v for k, v in record.items() if k in names})


CORRECTION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Correction))


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# ---------------------------------------------------------------- applying


@dataclass(frozen=True)
class Stale:
    """A correction that could not be applied to a pair, and why."""

    correction: Correction
    pair_id: str
    reason: str

    def __str__(self) -> str:
        return f"stale {self.correction.describe()} in pair {self.pair_id}: {self.reason}"


class CorrectionSource(Protocol):
    """Where corrections come from (a :class:`~xling.workspace.Workspace`, or a list wrapped by :func:`in_memory`)."""

    def corrections_between(self, a: Document, b: Document) -> list[Correction]: ...


class _Listed:
    """Corrections in memory, indexed by document hash and name (a batch run asks once per pair)."""

    def __init__(self, corrections: Iterable[Correction]) -> None:
        self.corrections = sorted(corrections, key=lambda c: (c.created, c.id or 0))
        self._index: dict[str, list[int]] = {}
        for position, c in enumerate(self.corrections):
            for digest in {c.doc_a, c.doc_b}:  # a correction concerns a pair only if one side has the same text
                self._index.setdefault(digest, []).append(position)

    def __len__(self) -> int:
        return len(self.corrections)

    def corrections_between(self, a: Document, b: Document) -> list[Correction]:
        ha, hb = document_hash(a), document_hash(b)
        found = sorted({p for digest in (ha, hb) for p in self._index.get(digest, ())})
        return [c for c in (self.corrections[p] for p in found) if orient(c, ha, hb, a.name, b.name) is not None]


def in_memory(corrections: Iterable[Correction]) -> CorrectionSource:
    """A correction source over a plain list (tests, benchmarks, imports not yet stored)."""
    return _Listed(corrections)


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


@dataclass(frozen=True)
class _Seg:
    index: int
    start: int
    end: int
    text: str
    lang: object


@dataclass(frozen=True, kw_only=True)
class Decision:
    """The links of one pair after corrections: ``(a, b) -> (status, decided by a human)``."""

    links: dict[tuple[int, int], tuple[str, bool]]
    human_unique_a: frozenset[int]  # segments a rejection left without a link
    human_unique_b: frozenset[int]
    applied: tuple[Correction, ...]
    stale: tuple[Stale, ...]


def decide(
    pair_id: str,
    segments_a: Sequence[_Seg],
    segments_b: Sequence[_Seg],
    model_links: Mapping[tuple[int, int], str],
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
    latest: dict[tuple[int, int], Correction] = {}
    for c in sorted(corrections, key=lambda c: (c.created, c.id or 0)):
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


def _check_side(start: int, end: int, text: str, same_doc: bool, spans: Mapping[tuple[int, int], _Seg], side: str,
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
        return f"the text at {where} has changed (now {_excerpt(seg.text)})"
    if not text and not same_doc:
        return f"the document has changed and the correction keeps no text to check {where} against"
    return ""


# ---------------------------------------------------------------- the table


@dataclass(frozen=True, kw_only=True)
class CorrectedTable:
    """A contract table with corrections applied, a ``source`` column, and what applied or was stale."""

    table: pd.DataFrame
    applied: tuple[Correction, ...]
    stale: tuple[Stale, ...]
    decisions: dict[str, Decision] = field(default_factory=dict, repr=False)  # by pair_id, pairs with corrections only


Similarity = Callable[[str, int, int], float]  # (pair_id, a_index, b_index) -> cosine


def apply_corrections(
    table: pd.DataFrame,
    documents: Mapping[str, Document] | Callable[[str], Document],
    corrections: CorrectionSource | Iterable[Correction],
    *,
    level: str | None = None,
    similarity: Similarity | None = None,
) -> CorrectedTable:
    """The contract table ``table`` (one or many pairs) with the corrections that concern its documents applied.

    ``documents`` gives each document of the table by name (a mapping, or a
    function: batch runs load them on demand); its text keys the corrections.
    Rows a human decided get ``source == "human"``; every other row ``model``.
    Added links take their cosine from ``similarity`` when given (else empty)
    and have no score. Columns beyond the contract are kept (empty on new rows).
    Stale corrections are logged as warnings and returned.
    """
    source = corrections if hasattr(corrections, "corrections_between") else in_memory(corrections)  # type: ignore[arg-type]
    lookup = documents.__getitem__ if isinstance(documents, Mapping) else documents
    table = normalise_table(table)
    if not len(table) or (isinstance(source, _Listed) and not len(source)):
        return CorrectedTable(table=_with_source(table, [MODEL] * len(table)), applied=(), stale=())
    corrected_rows: dict[str, pd.DataFrame] = {}
    applied, stale, decisions = [], [], {}
    for pair_id, rows in table.groupby("pair_id", sort=False):
        name_a, name_b = rows["doc_a"].iloc[0], rows["doc_b"].iloc[0]
        doc_a, doc_b = lookup(name_a), lookup(name_b)
        hash_a, hash_b = document_hash(doc_a), document_hash(doc_b)
        found = source.corrections_between(doc_a, doc_b)  # type: ignore[union-attr]
        oriented = [o for c in found if (o := orient(c, hash_a, hash_b, doc_a.name, doc_b.name)) is not None]
        if not oriented:
            continue
        records = rows.to_dict("records")
        seg_a, seg_b = _segments(records, "a"), _segments(records, "b")
        model_links = {(int(r["a_index"]), int(r["b_index"])): r["status"] for r in records if r["status"] in LINK_STATUSES}
        decision = decide(str(pair_id), list(seg_a.values()), list(seg_b.values()), model_links, oriented,
                          hash_a=hash_a, hash_b=hash_b, level=level)  # fmt: skip
        decisions[str(pair_id)] = decision
        applied += decision.applied
        stale += decision.stale
        corrected_rows[str(pair_id)] = _render(records, list(rows.columns), seg_a, seg_b, decision, similarity, str(pair_id))
    for item in stale:
        log.warning("%s", item)
    out = _with_source(table, [MODEL] * len(table))
    if corrected_rows:  # pairs without corrections keep their rows; the others are replaced where they stood
        out = pd.concat([corrected_rows.get(str(pair_id), rows) for pair_id, rows in out.groupby("pair_id", sort=False)], ignore_index=True)
        out = _with_source(out, list(out[SOURCE_COLUMN]))  # one dtype, whichever rows the pairs kept
    return CorrectedTable(table=normalise_table(out), applied=tuple(applied), stale=tuple(stale), decisions=decisions)


def _with_source(rows: pd.DataFrame, sources: list[str]) -> pd.DataFrame:
    rows = rows.copy()
    rows[SOURCE_COLUMN] = pd.array(sources, dtype="string")
    return rows


def _segments(records: list[dict], side: str) -> dict[int, _Seg]:
    """Every segment of one side of a pair, as the table shows it (each is in a link row or a unique row)."""
    out: dict[int, _Seg] = {}
    for r in records:
        index = r[f"{side}_index"]
        if index is not pd.NA and index is not None and int(index) not in out:
            out[int(index)] = _Seg(int(index), int(r[f"{side}_start"]), int(r[f"{side}_end"]), r[f"{side}_text"], r[f"{side}_lang"])
    return out


def _render(records: list[dict], columns: list[str], seg_a: dict[int, _Seg], seg_b: dict[int, _Seg], decision: Decision,
            similarity: Similarity | None, pair_id: str) -> pd.DataFrame:  # fmt: skip
    """The pair's rows after the decision, ordered and numbered as :meth:`PairResult.rows` does.

    ``bead`` is renumbered over the corrected links (:func:`~xling.pipeline.group_beads`). The table holds
    no similarity matrix, so a segment whose every link a person rejected names as ``closest`` the
    rejected partner that scored best (the aligner's nearest, for a link it made one to one).
    """
    linked_a = {a for a, _ in decision.links}
    linked_b = {b for _, b in decision.links}
    bead_of = {(k.a, k.b): number for number, bead in enumerate(group_beads(
        [Link(a=a, b=b, similarity=math.nan, score=math.nan, status=status) for (a, b), (status, _) in decision.links.items()]
    )) for k in bead.links}  # fmt: skip
    rejected = _rejected_partners(records, decision)
    # a row a person added is of the same pair and documents: their names and metadata (doc_a_title...) carry over
    template = {c: None for c in columns} | {k: records[0][k] for k in ("pair_id", "doc_a", "doc_b", *METADATA_COLUMNS) if k in records[0]}
    out: list[tuple[tuple[int, int, int], dict]] = []
    seen: set[tuple[int, int]] = set()
    for r in records:
        a = -1 if pd.isna(r["a_index"]) else int(r["a_index"])
        b = -1 if pd.isna(r["b_index"]) else int(r["b_index"])
        if r["status"] in LINK_STATUSES:
            if (a, b) not in decision.links:
                continue
            status, human = decision.links[(a, b)]
            seen.add((a, b))
            out.append(((0, a, b), r | {"status": status, "bead": bead_of[(a, b)], SOURCE_COLUMN: HUMAN if human else MODEL}))
        elif r["status"] == "unique_a" and a not in linked_a:
            out.append(((0, a, -1), r | {SOURCE_COLUMN: MODEL}))
        elif r["status"] == "unique_b" and b not in linked_b:
            out.append(((1, b, -1), r | {SOURCE_COLUMN: MODEL}))
    for (a, b), (status, _) in decision.links.items():
        if (a, b) not in seen:
            sim = similarity(pair_id, a, b) if similarity else math.nan
            out.append(((0, a, b), template | _side(seg_a[a], "a") | _side(seg_b[b], "b")
                        | {"similarity": sim, "score": math.nan, "status": status, "bead": bead_of[(a, b)], SOURCE_COLUMN: HUMAN,
                           "discrepancies": _discrepancies(seg_a[a], seg_b[b])}))  # fmt: skip
    # A segment the aligner linked had no unique row: one whose links were all rejected gets one now.
    for a in sorted(decision.human_unique_a):
        out.append(((0, a, -1), template | _side(seg_a[a], "a") | _closest(seg_a[a], "a", rejected[("a", a)], seg_b)
                    | {"status": "unique_a", SOURCE_COLUMN: HUMAN}))  # fmt: skip
    for b in sorted(decision.human_unique_b):
        out.append(((1, b, -1), template | _side(seg_b[b], "b") | _closest(seg_b[b], "b", rejected[("b", b)], seg_a)
                    | {"status": "unique_b", SOURCE_COLUMN: HUMAN}))  # fmt: skip
    ordered = [r for _, r in sorted(out, key=lambda item: item[0])]
    return pd.DataFrame(ordered, columns=[*columns, SOURCE_COLUMN] if SOURCE_COLUMN not in columns else columns)


def _rejected_partners(records: list[dict], decision: Decision) -> dict[tuple[str, int], tuple[int, float]]:
    """For each segment a rejection left without a link: its best-scoring rejected partner and that score."""
    best: dict[tuple[str, int], tuple[int, float]] = {}
    for r in records:
        if r["status"] not in LINK_STATUSES:
            continue
        a, b, score = int(r["a_index"]), int(r["b_index"]), float(r["score"]) if pd.notna(r["score"]) else -math.inf
        for key, other in ((("a", a), b), (("b", b), a)):
            if key[1] in (decision.human_unique_a if key[0] == "a" else decision.human_unique_b) and (key not in best or score > best[key][1]):
                best[key] = (other, score)
    return best


def _closest(seg: _Seg, side: str, partner: tuple[int, float], others: Mapping[int, _Seg]) -> dict[str, object]:
    """The ``closest`` cells of a unique row (as :meth:`PairResult.rows` fills them) from its rejected partner."""
    other, score = partner
    sa, sb = (seg, others[other]) if side == "a" else (others[other], seg)
    found = facts.conflicts(facts.compare_facts(sa.text, str(sa.lang), sb.text, str(sb.lang)))
    return {"closest": other, "closest_score": score if math.isfinite(score) else math.nan, "discrepancies": facts.to_json(found, closest=other)}


def _discrepancies(seg_a: _Seg, seg_b: _Seg) -> str:
    return facts.to_json(facts.compare_facts(seg_a.text, str(seg_a.lang), seg_b.text, str(seg_b.lang)))


def _side(seg: _Seg, prefix: str) -> dict[str, object]:
    return {f"{prefix}_index": seg.index, f"{prefix}_start": seg.start, f"{prefix}_end": seg.end,
            f"{prefix}_text": seg.text, f"{prefix}_lang": seg.lang}  # fmt: skip


def corrected_links(links: Iterable[Link], decision: Decision, similarity: Callable[[int, int], float] | None = None) -> tuple[Link, ...]:
    """The pair's :class:`Link` records after ``decision`` (added links: the cosine, no score), in (a, b) order."""
    by_key = {(link.a, link.b): link for link in links}
    out = []
    for (a, b), (status, _) in sorted(decision.links.items()):
        link = by_key.get((a, b))
        if link is None:
            link = Link(a=a, b=b, similarity=similarity(a, b) if similarity else math.nan, score=math.nan, status=status)  # type: ignore[arg-type]
        out.append(dataclasses.replace(link, status=status) if link.status != status else link)
    return tuple(out)


# ---------------------------------------------------------------- files

CorrectionFormat = Literal["csv", "json"]
CORRECTION_FORMATS: tuple[str, ...] = get_args(CorrectionFormat)
_INT_FIELDS = ("a_start", "a_end", "b_start", "b_end")


def corrections_to_bytes(corrections: Iterable[Correction], fmt: CorrectionFormat = "csv") -> bytes:
    """Serialise corrections for sharing; :func:`corrections_from_bytes` reads them back losslessly.

    CSV text cells a spreadsheet would run as formulas are quoted with a leading
    ``'``, and so is any cell that already starts with one, so the quote is undone exactly.
    """
    if fmt not in CORRECTION_FORMATS:
        raise ValueError(f"format must be one of {', '.join(CORRECTION_FORMATS)}, not {fmt!r}")
    records = [c.to_record() | {"uid": c.uid} for c in corrections]
    if fmt == "json":
        return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*CORRECTION_FIELDS, "uid"], lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _csv_cell(v) for k, v in record.items()})
    return buffer.getvalue().encode("utf-8")


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and (looks_like_formula(value) or value.startswith("'")):
        return "'" + value
    return value


def corrections_from_bytes(data: bytes, fmt: CorrectionFormat, *, origin: str = "corrections") -> list[Correction]:
    """Corrections from a file written by :func:`corrections_to_bytes` (``origin`` names it in errors)."""
    if fmt not in CORRECTION_FORMATS:
        raise ValueError(f"format must be one of {', '.join(CORRECTION_FORMATS)}, not {fmt!r}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise XlingError(f"{origin}: not UTF-8 text") from None
    if fmt == "json":
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise XlingError(f"{origin}: not JSON ({exc.msg}, line {exc.lineno})") from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise XlingError(f"{origin}: expected a JSON list of correction records")
        where = [f"record {n}" for n in range(1, len(records) + 1)]
    else:
        records, where = _csv_records(text, origin)
    out = []
    for record, place in zip(records, where):
        try:
            out.append(Correction.from_record(record))
        except (TypeError, ValueError) as exc:
            raise XlingError(f"{origin}: {place}: {exc}") from None
    return out


def _csv_records(text: str, origin: str) -> tuple[list[dict[str, object]], list[str]]:
    """The CSV's records and where each is ("record 3 (line 4)"); a malformed row is an error naming it."""
    # A cell may be as long as what export writes (a long note): the csv module's default cap is 131,072 characters.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records, where = [], []
    try:
        missing = [f for f in ("action", "doc_a", "doc_b", *_INT_FIELDS) if f not in (reader.fieldnames or [])]
        if missing:
            raise XlingError(f"{origin}: missing column(s) {', '.join(missing)}")
        for row in reader:
            records.append(_from_csv_row(row))
            where.append(f"record {len(records)} (line {reader.line_num})")
    except csv.Error as exc:
        raise XlingError(f"{origin}: record {len(records) + 1} (line {reader.line_num}): not valid CSV ({exc})") from None
    return records, where


def _from_csv_row(row: dict[str, str]) -> dict[str, object]:
    record: dict[str, object] = {k: (v.removeprefix("'")) for k, v in row.items() if k is not None and v is not None}
    for name in _INT_FIELDS:
        try:
            record[name] = int(str(record[name]))
        except ValueError:
            pass  # Correction names the bad value
    record["status"] = record.get("status") or None
    return record


# ---------------------------------------------------------------- a whole comparison


@dataclass(frozen=True, kw_only=True)
class CorrectedComparison:
    """A comparison with corrections applied.

    ``comparison`` has the corrected links (so coverage, carriers and the
    dashboard views show them); ``table`` is its contract table with the
    ``source`` column; ``original`` is the aligner's comparison, untouched.
    """

    comparison: Comparison
    original: Comparison
    table: pd.DataFrame = field(repr=False)
    applied: tuple[Correction, ...]
    stale: tuple[Stale, ...]

    def to_dataframe(self) -> pd.DataFrame:
        return self.table.copy()


def apply_to_comparison(comparison: Comparison, corrections: CorrectionSource | Iterable[Correction]) -> CorrectedComparison:
    """Apply the corrections that concern ``comparison``'s documents (see :func:`apply_corrections`)."""
    documents = {p.name: p.document for p in comparison.documents}
    sims = {pair.pair_id: pair.similarity for pair in comparison.pairs}
    corrected = apply_corrections(comparison.to_dataframe(), documents, corrections, level=comparison.settings.level,
                                  similarity=lambda pair_id, a, b: float(sims[pair_id][a, b]))  # fmt: skip
    pairs, frames = [], []
    for pair in comparison.pairs:
        decision = corrected.decisions.get(pair.pair_id)
        if decision is not None:
            links = corrected_links(pair.links, decision, lambda a, b, sim=pair.similarity: float(sim[a, b]))
            pair = dataclasses.replace(pair, links=links)
        pairs.append(pair)
        frames.append(_sourced(pair.to_dataframe(), decision))
    # The corrected pairs' own rows (beads, closest passages, differences as the aligner's rows have them), so
    # the table and the comparison the views draw cannot disagree.
    table = normalise_table(pd.concat(frames, ignore_index=True)) if frames else corrected.table
    return CorrectedComparison(comparison=dataclasses.replace(comparison, pairs=tuple(pairs)), original=comparison,
                               table=table, applied=corrected.applied, stale=corrected.stale)  # fmt: skip


def _sourced(rows: pd.DataFrame, decision: Decision | None) -> pd.DataFrame:
    """A pair's rows with the ``source`` column: ``human`` where a person decided the link or left the segment alone."""
    if decision is None:
        return _with_source(rows, [MODEL] * len(rows))
    sources = []
    for a, b, status in zip(rows["a_index"], rows["b_index"], rows["status"]):
        if status in LINK_STATUSES:
            human = decision.links[(int(a), int(b))][1]
        else:
            human = int(a) in decision.human_unique_a if status == "unique_a" else int(b) in decision.human_unique_b
        sources.append(HUMAN if human else MODEL)
    return _with_source(rows, sources)


def make_correction(
    pair: PairResult,
    a_index: int,
    b_index: int,
    action: Action,
    *,
    status: Literal["match", "partial"] | None = None,
    note: str = "",
    author: str = "",
) -> Correction:
    """A correction of the link between segments ``a_index`` and ``b_index`` of ``pair`` (dashboard helper).

    For ``confirm`` without a status, the status the pair shows now is recorded.
    """
    sa, sb = pair.a.segments[a_index], pair.b.segments[b_index]
    if action == "confirm" and status is None:
        status = next((link.status for link in pair.links if (link.a, link.b) == (a_index, b_index)), None)
    level = pair.params.level
    return Correction(
        action=action, doc_a=document_hash(pair.a.document), doc_b=document_hash(pair.b.document),
        a_start=sa.start, a_end=sa.end, b_start=sb.start, b_end=sb.end, status=status, note=note, author=author,
        created=now(), level=level, name_a=pair.a.name, name_b=pair.b.name, a_text=sa.text, b_text=sb.text,
    )  # fmt: skip


class TableCorrector:
    """Applies corrections to contract tables piece by piece (a batch run's windows), keeping what applied or was stale.

    ``corrections``: a :class:`~xling.workspace.Workspace` (its corrections are read
    once, when the corrector is made) or a list. ``documents(name)`` loads a document
    of the table by name, for its hash; the last :data:`DOCUMENTS_KEPT` loaded are kept.
    """

    DOCUMENTS_KEPT = 256

    def __init__(self, corrections: Iterable[Correction] | object, documents: Callable[[str], Document], *,
                 level: str | None = None) -> None:  # fmt: skip
        # one snapshot, indexed in memory: a run asks for every pair; with no corrections at all no document is re-read
        listed = corrections.all_corrections() if hasattr(corrections, "all_corrections") else corrections
        self.source = in_memory(listed)  # type: ignore[arg-type]
        self.level = level
        self.applied: list[Correction] = []
        self.stale: list[Stale] = []
        self._load = documents
        self._documents: dict[str, Document] = {}

    def _document(self, name: str) -> Document:
        if name not in self._documents:
            if len(self._documents) >= self.DOCUMENTS_KEPT:
                self._documents.pop(next(iter(self._documents)))
            self._documents[name] = self._load(name)
        return self._documents[name]

    def __call__(self, table: pd.DataFrame) -> pd.DataFrame:
        result = apply_corrections(table, self._document, self.source, level=self.level)
        self.applied += result.applied
        self.stale += result.stale
        return result.table
