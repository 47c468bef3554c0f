"""The corrections panel and the workspace of the dashboard: choices offered, corrections made and listed.

The dashboard writes to a :class:`~xling.workspace.Workspace` (the file the CLI's ``--workspace`` reads), so a
link a reader fixes on the page is marked ``human`` in ``xling align --workspace`` and ``xling batch`` too.
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from ..palette import kind
from ..pipeline import Comparison, PairResult
from ..workspace.corrections import Correction, document_hash, make_correction
from ..workspace.store import WORKSPACE_ENV, Workspace
from .common import LABELS, excerpt, letter

DEFAULT_WORKSPACE = "xling-workspace.db"  # in the working directory, where `xling align --workspace` finds it by that name
LABEL_CHARS = 70  # of each passage in a choice's label

# What a reader may decide about a link the page shows: (action, status) of the correction.
DECISIONS: dict[str, tuple[Literal["reject", "confirm", "relabel"], Literal["match", "partial"] | None]] = {
    "Reject: they do not say the same thing": ("reject", None),
    "Confirm: the link is right": ("confirm", None),
    "Change to shared (match)": ("relabel", "match"),
    "Change to partly shared (partial)": ("relabel", "partial"),
}
ADD_STATUSES = {"shared (match)": "match", "partly shared (partial)": "partial"}
CORRECTION_COLUMNS = ("id", "when", "who", "decision", "passage A", "passage B", "note")


def default_workspace(environ: Mapping[str, str] = os.environ) -> str:
    """The workspace path the page starts with: ``$XLING_WORKSPACE``, else :data:`DEFAULT_WORKSPACE`."""
    return environ.get(WORKSPACE_ENV, "").strip() or DEFAULT_WORKSPACE


def existing(path: str) -> Workspace | None:
    """The workspace at ``path`` if a file is there (opening creates nothing); None otherwise."""
    path = path.strip()
    return Workspace(path, create=False) if path and Path(path).is_file() else None


@dataclass(frozen=True)
class LinkChoice:
    """A link of the pair the reader may correct."""

    a: int
    b: int
    status: str
    human: bool


def link_choices(pair: PairResult, table: pd.DataFrame | None = None) -> list[LinkChoice]:
    """The pair's links in A's order, each flagged when a person decided it (``source == human`` in ``table``)."""
    human = set()
    if table is not None and "source" in table.columns:
        rows = table[(table["pair_id"] == pair.pair_id) & table["status"].isin(("match", "partial")) & (table["source"] == "human")]
        human = {(int(a), int(b)) for a, b in zip(rows["a_index"], rows["b_index"])}
    return [LinkChoice(k.a, k.b, k.status, (k.a, k.b) in human) for k in sorted(pair.links, key=lambda k: (k.a, k.b))]


def link_label(pair: PairResult, choice: LinkChoice, letters: tuple[str, str] = ("A", "B")) -> str:
    """``A #3 ⟷ B #7 · shared · "…" ⟷ "…"`` (plain text: a select box shows it as typed)."""
    who = " · human" if choice.human else ""
    return (f"{letters[0]} #{choice.a} ⟷ {letters[1]} #{choice.b} · {LABELS[kind(choice.status)]}{who} · "
            f"“{excerpt(pair.a.segments[choice.a].text, LABEL_CHARS)}” ⟷ “{excerpt(pair.b.segments[choice.b].text, LABEL_CHARS)}”")  # fmt: skip


def segment_label(pair: PairResult, side: str, index: int, status: str, letter_: str) -> str:
    seg = (pair.a if side == "a" else pair.b).segments[index]
    return f"{letter_} #{index} · {LABELS[kind(status)]} · {excerpt(seg.text, LABEL_CHARS + 30)}"


def segment_statuses(pair: PairResult, side: str) -> list[str]:
    """Each passage of one side of the pair: its best link status in this pair, or ``unique``."""
    n = len((pair.a if side == "a" else pair.b).segments)
    best = ["unique"] * n
    for link in pair.links:
        i = link.a if side == "a" else link.b
        if link.status == "match" or best[i] == "unique":
            best[i] = link.status
    return best


def decision(pair: PairResult, choice: LinkChoice, label: str, *, note: str, author: str) -> Correction:
    """The correction a reader's decision ``label`` (a key of :data:`DECISIONS`) about ``choice`` makes."""
    if label not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, not {label!r}")
    action, status = DECISIONS[label]
    return make_correction(pair, choice.a, choice.b, action, status=status, note=note.strip(), author=author.strip())


def addition(pair: PairResult, a: int, b: int, status_label: str, *, note: str, author: str) -> Correction:
    """The correction adding a link between passage ``a`` of A and ``b`` of B (a key of :data:`ADD_STATUSES`)."""
    if status_label not in ADD_STATUSES:
        raise ValueError(f"status must be one of {', '.join(ADD_STATUSES)}, not {status_label!r}")
    return make_correction(pair, a, b, "add", status=ADD_STATUSES[status_label], note=note.strip(), author=author.strip())  # type: ignore[arg-type]


def corrections_frame(workspace: Workspace, comparison: Comparison) -> pd.DataFrame:
    """The corrections stored for the comparison's documents, newest first, one readable row each."""
    names = {document_hash(p.document): f"{letter(i)} · {p.name}" for i, p in enumerate(comparison.documents)}
    seen: dict[int | None, Correction] = {}
    docs = comparison.documents
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            for c in workspace.corrections_between(a.document, b.document):
                seen[c.id] = c
    rows = []
    for c in sorted(seen.values(), key=lambda c: (c.created, c.id or 0), reverse=True):
        what = c.action + (f" → {c.status}" if c.status and c.action != "confirm" else "")
        rows.append({"id": c.id, "when": c.created[:19].replace("T", " "), "who": c.author or "—", "decision": what,
                     "passage A": f"{names.get(c.doc_a, c.name_a)}: {excerpt(c.a_text, LABEL_CHARS)}",
                     "passage B": f"{names.get(c.doc_b, c.name_b)}: {excerpt(c.b_text, LABEL_CHARS)}", "note": c.note})  # fmt: skip
    return pd.DataFrame(rows, columns=list(CORRECTION_COLUMNS))


def saved_label(row: Mapping[str, object]) -> str:
    """A saved comparison as the select box names it: title, documents, date and who saved it."""
    who = f" · by {row['author']}" if row.get("author") else ""
    return f"#{row['id']} · {row['title']} · {str(row['created'])[:16].replace('T', ' ')}{who}"


def saved_options(workspace: Workspace | None) -> Sequence[dict[str, object]]:
    return [] if workspace is None else workspace.list().to_dict("records")
