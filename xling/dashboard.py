"""View models for the dashboard: pure functions from a Comparison to tables and HTML.

They hold no Streamlit code, so app.py stays thin and these are tested directly.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import XlingError
from .io import document_from_bytes, document_from_text
from .pipeline import Comparison, PairResult
from .types import Document

COLOURS = {"match": "#2e7d32", "partial": "#f9a825", "unique": "#90a4ae"}
BACKGROUNDS = {"match": "#c8e6c9", "partial": "#fff3c4", "unique": "#eceff1"}
STATUS_RANK = {"unique": 0, "partial": 1, "match": 2}
SORTS = {
    "document order": ["pair_id", "a_index", "b_index"],
    "score, high first": ["score"],
    "score, low first": ["score"],
}
MAX_UPLOAD_BYTES = 5_000_000  # per file; news articles are kilobytes
HEATMAP_TEXT_CHARS = 160


def load_inputs(files: Iterable[tuple[str, bytes]], texts: Iterable[tuple[str, str]]) -> tuple[list[Document], list[str]]:
    """Documents from uploaded (name, bytes) and pasted (name, text); bad ones become error lines, the rest go on."""
    documents, errors = [], []
    for name, data in files:
        if len(data) > MAX_UPLOAD_BYTES:
            errors.append(f"{name}: {len(data):,} bytes, over the upload limit of {MAX_UPLOAD_BYTES:,}")
            continue
        try:
            documents.append(document_from_bytes(data, name=name.rsplit(".", 1)[0] or name, source=name))
        except XlingError as exc:
            errors.append(str(exc))
    for name, text in texts:
        if not text.strip():
            continue
        try:
            documents.append(document_from_text(text, name=name))
        except XlingError as exc:
            errors.append(str(exc))
    names = [d.name for d in documents]
    for k, doc in enumerate(documents):
        if names.count(doc.name) > 1:  # two files called the same: keep them apart
            documents[k] = type(doc)(**{**doc.__dict__, "name": f"{doc.name} ({k + 1})"})
    return documents, errors


def filter_rows(df: pd.DataFrame, statuses: Sequence[str], min_score: float, sort: str = "document order") -> pd.DataFrame:
    """The rows on screen: chosen statuses, links at or above ``min_score`` (unique rows have no score)."""
    keep = df.status.isin(statuses) & (df.score.isna() | (df.score >= min_score))
    out = df[keep]
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    ascending = sort != "score, high first"
    return out.sort_values(SORTS[sort], ascending=ascending, kind="stable", na_position="last").reset_index(drop=True)


def segment_statuses(comparison: Comparison, index: int) -> list[str]:
    """Best status of each segment of document ``index`` across all its pairs: match, partial or unique."""
    target = comparison.documents[index]
    best = ["unique"] * len(target.segments)
    for pair in comparison.pairs:
        side = "a" if pair.a is target else "b" if pair.b is target else None
        if side is None:
            continue
        for link in pair.links:
            k = link.a if side == "a" else link.b
            if STATUS_RANK[link.status] > STATUS_RANK[best[k]]:
                best[k] = link.status
    return best


def counterparts(comparison: Comparison, index: int, segment: int) -> pd.DataFrame:
    """The segments of the other documents linked to ``segment`` of document ``index``."""
    target = comparison.documents[index]
    rows = []
    for pair in comparison.pairs:
        for link in pair.links:
            if pair.a is target and link.a == segment:
                other, k = pair.b, link.b
            elif pair.b is target and link.b == segment:
                other, k = pair.a, link.a
            else:
                continue
            rows.append({"document": other.name, "segment": k, "status": link.status, "score": round(link.score, 4),
                         "text": other.segments[k].text})  # fmt: skip
    return pd.DataFrame(rows, columns=["document", "segment", "status", "score", "text"])


def highlighted_html(comparison: Comparison, index: int, selected: int | None = None) -> str:
    """The document's full text, each segment on the background of its status; ``selected`` outlined."""
    prepared = comparison.documents[index]
    text = prepared.document.text
    statuses = segment_statuses(comparison, index)
    parts, cursor = [], 0
    for seg, status in zip(prepared.segments, statuses):
        parts.append(html.escape(text[cursor : seg.start]))
        outline = "outline:2px solid #1565c0;" if seg.index == selected else ""
        parts.append(
            f'<span title="#{seg.index} {status}" style="background:{BACKGROUNDS[status]};{outline}'
            f'border-radius:3px;padding:1px 0">{html.escape(seg.text)}</span>'
        )
        cursor = seg.end
    parts.append(html.escape(text[cursor:]))
    body = "".join(parts).replace("\n", "<br>")
    return f'<div style="line-height:1.7;font-size:0.95rem;max-width:70ch">{body}</div>'


def legend_html() -> str:
    items = [("shared (match)", "match"), ("related (partial)", "partial"), ("only in this document", "unique")]
    return " ".join(
        f'<span style="background:{BACKGROUNDS[k]};border-left:4px solid {COLOURS[k]};padding:2px 8px;margin-right:6px">{label}</span>'
        for label, k in items
    )


def coverage_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per document: language, segments, and the share of its text the others cover."""
    rows = []
    for k, prepared in enumerate(comparison.documents):
        cov = comparison.coverage(k)
        rows.append({"document": prepared.name, "language": prepared.document.lang, "segments": len(prepared.segments),
                     "shared": cov.char_share, "unique": 1 - cov.char_share if cov.chars else 0.0})  # fmt: skip
    return pd.DataFrame(rows)


def heatmap_frame(pair: PairResult) -> pd.DataFrame:
    """Long table of the A × B similarity matrix with both texts, for a heatmap with tooltips."""
    n, m = pair.similarity.shape
    ii, jj = np.meshgrid(np.arange(n), np.arange(m), indexing="ij")
    linked = {(l.a, l.b): l.status for l in pair.links}

    def short(text: str) -> str:
        return text if len(text) <= HEATMAP_TEXT_CHARS else text[: HEATMAP_TEXT_CHARS - 1] + "…"

    a_text = [short(s.text) for s in pair.a.segments]
    b_text = [short(s.text) for s in pair.b.segments]
    return pd.DataFrame({
        "a": ii.ravel(), "b": jj.ravel(), "similarity": pair.similarity.ravel().round(3),
        "a_text": [a_text[i] for i in ii.ravel()], "b_text": [b_text[j] for j in jj.ravel()],
        "link": [linked.get((int(i), int(j)), "") for i, j in zip(ii.ravel(), jj.ravel())],
    })  # fmt: skip


def carriers_frame(comparison: Comparison, index: int) -> pd.DataFrame:
    """For each segment of document ``index``: which other documents carry it."""
    prepared = comparison.documents[index]
    carriers = comparison.carriers(index)
    return pd.DataFrame({
        "segment": [s.index for s in prepared.segments], "text": [s.text for s in prepared.segments],
        "carried by": [", ".join(c) if c else "—" for c in carriers], "documents": [len(c) for c in carriers],
    })  # fmt: skip
