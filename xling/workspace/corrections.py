"""Human corrections of links: the :class:`Correction` record, its content hashing, and its file formats.

A correction names a link by the two documents' content hashes (sha256 of the
text) and the character offsets of its two segments, so it applies again
whenever the same documents are compared, whatever their names, from the
dashboard, ``xling align`` or ``xling batch``.

Actions: ``reject`` removes the link; ``confirm`` keeps it (and adds it if the
aligner no longer proposes it); ``relabel`` sets its status; ``add`` creates
it. How corrections apply to an alignment (and when one is stale) is
:mod:`xling.workspace.apply`; storage (SQLite) is :mod:`xling.workspace.store`.
"""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, get_args

from ..errors import XlingError
from ..export import looks_like_formula
from ..pipeline import PairResult
from ..text import excerpt
from ..types import LEVELS, Document


Action = Literal["reject", "confirm", "relabel", "add"]
ACTIONS: tuple[str, ...] = get_args(Action)
LINK_STATUSES = ("match", "partial")
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
                f"{self.name_a or self.doc_a[:10]}[{self.a_start}:{self.a_end}] {quoted(self.a_text)} <-> "
                f"{self.name_b or self.doc_b[:10]}[{self.b_start}:{self.b_end}] {quoted(self.b_text)}")  # fmt: skip

    def to_record(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Correction:
        """From a dict of fields (unknown keys ignored; ``uid`` is recomputed, never trusted)."""
        names = {f.name for f in dataclasses.fields(cls)} - {"id"}
        return cls(**{k: v for k, v in record.items() if k in names})


CORRECTION_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Correction))


def quoted(text: str) -> str:
    """A segment's text as a message shows it: quoted, on one line, cut to :data:`EXCERPT_CHARS` ("" if blank)."""
    return repr(excerpt(text, EXCERPT_CHARS)) if text.strip() else ""


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


# ---------------------------------------------------------------- making one


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
    """A correction of the link between segments ``a_index`` and ``b_index`` of ``pair`` (the dashboard's and the contract's).

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
