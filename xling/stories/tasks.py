"""The units of work of a stories run; each runs anywhere (in this process or on a Dask worker).

* :func:`embed_chunk`: documents in, one record per document out (language,
  segments, document vector); the segment vectors go to the embedding cache.
* :func:`verify_chunk`: candidate pairs in, their segment-level evidence out
  (how many passages :func:`xling.pipeline.align_pair` links).
* :func:`align_stories_chunk`: the pairs inside stories through the batch
  machinery's :func:`xling.chunks.align_chunk`, with each document rebuilt from
  its record instead of being prepared again.

A document's record keeps its segments' offsets and languages; rebuilding it
asks the embedder for the segment vectors again, which the cache answers.
"""
from __future__ import annotations

import bisect
import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..batch.chunks import Chunk, ChunkResult, align_chunk
from ..embed import Embedder
from ..pipeline import Prepared, PreparedCache, align_pair, prepare_each
from ..types import Document, Segment, Settings
from .cluster import document_vector
from .corpus import text_digest

RECORD_COLUMNS = ("doc", "path", "error", "lang", "lang_prob", "title", "site", "date", "headline", "segments", "spans", "digest", "vector")
HEADLINE_CHARS = 200  # the first segment, kept to name a story whose documents have no title
OUT_OF_PLACE = 1  # matched passages allowed out of order: a headline restates the lead, and a version without one links it there
MIN_ORDER = 2  # ... beside a chain of at least this many passages in order
EVIDENCE_COLUMNS = ("doc_a", "doc_b", "links", "linked_share", "matched_share", "ordered_share")


@dataclass(frozen=True, kw_only=True)
class EmbedTask:
    """Documents to prepare; a document that could not be read is its one-line reason instead."""

    chunk_id: str
    items: tuple[tuple[str, str, Document | str], ...] = field(repr=False)  # (doc, path, document or problem)


@dataclass(frozen=True, kw_only=True)
class Known:
    """A document as the run knows it after embedding: its text with language, and its segments' record."""

    document: Document = field(repr=False)
    spans: str = field(repr=False)  # JSON [[start, end, lang, lang_prob, paragraph], ...]


@dataclass(frozen=True, kw_only=True)
class VerifyTask:
    chunk_id: str
    documents: dict[str, Known] = field(repr=False)
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class AlignTask:
    chunk_id: str
    chunk: Chunk = field(repr=False)
    known: dict[str, Known] = field(repr=False)


def embed_chunk(task: EmbedTask, embedder: Embedder, settings: Settings) -> tuple[str, pd.DataFrame]:
    """One record per document: its language, segments and document vector, or why it was skipped."""
    readable = [d for _, _, d in task.items if isinstance(d, Document)]
    # not repaired: the later stages rebuild the vectors from the segments' own texts (:func:`rebuild`)
    done = prepare_each(readable, embedder, dataclasses.replace(settings, repair=False))
    prepared = {p.name: p for p in done.prepared}
    rows = []
    for doc, path, item in task.items:
        problem = item if isinstance(item, str) else str(done.problems[doc]) if doc in done.problems else ""
        if problem:
            rows.append({"doc": doc, "path": path, "error": problem, "segments": 0, "vector": b""})
            continue
        p = prepared[doc]
        meta = p.document.metadata
        vector = document_vector(p.embeddings, [len(s) for s in p.segments])
        rows.append({
            "doc": doc, "path": path, "error": "", "lang": p.document.lang, "lang_prob": p.document.lang_prob,
            "title": meta.get("title", ""), "site": meta.get("site", ""), "date": meta.get("date", ""),
            "headline": p.segments[0].text[:HEADLINE_CHARS] if p.segments else "",
            "segments": len(p.segments), "spans": spans_json(p.segments), "digest": text_digest(p.document.text),
            "vector": vector.tobytes(),
        })  # fmt: skip
    return task.chunk_id, records_frame(rows)


def records_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    for col in ("doc", "path", "error", "lang", "title", "site", "date", "headline", "spans", "digest"):
        df[col] = df[col].fillna("").astype(str)
    df["lang_prob"] = pd.to_numeric(df["lang_prob"]).fillna(0.0).astype("float64")
    df["segments"] = pd.to_numeric(df["segments"]).fillna(0).astype("int64")
    df["vector"] = df["vector"].map(lambda v: v if isinstance(v, bytes) else b"")
    return df


def spans_json(segments: Sequence[Segment]) -> str:
    return json.dumps([[s.start, s.end, s.lang, s.lang_prob, s.paragraph] for s in segments], separators=(",", ":"))


def rebuild(known: Sequence[Known], embedder: Embedder) -> dict[str, Prepared]:
    """Prepared documents from their records: segments as recorded, vectors from the embedder (its cache), one call."""
    segments = []
    for item in known:
        text = item.document.text
        segments.append(tuple(Segment(index=k, start=s, end=e, text=text[s:e], lang=lang, lang_prob=prob, paragraph=para)
                              for k, (s, e, lang, prob, para) in enumerate(json.loads(item.spans))))  # fmt: skip
    vectors = embedder.encode([s.text for segs in segments for s in segs])
    out, start = {}, 0
    for item, segs in zip(known, segments):
        out[item.document.name] = Prepared(document=item.document, segments=segs, embeddings=vectors[start : start + len(segs)],
                                           model_id=embedder.model_id)  # fmt: skip
        start += len(segs)
    return out


def link_evidence(a: Prepared, b: Prepared, settings: Settings) -> tuple[int, float, float, float]:
    """What the aligner links between two documents, seen from the shorter one: how many of its segments have a
    link, their share of its segments, the share that have a ``match`` (not only ``partial``) link, and the share
    matched one to one and in order (:func:`ordered_matches`, give or take :data:`OUT_OF_PLACE`)."""
    result = align_pair(a, b, settings)
    side = "a" if len(a.segments) <= len(b.segments) else "b"
    shorter = a if side == "a" else b
    linked = {getattr(link, side) for link in result.links}
    matches = [(link.a, link.b) for link in result.links if link.status == "match"]
    matched = {pair[0 if side == "a" else 1] for pair in matches}
    n = max(len(shorter.segments), 1)
    return len(linked), len(linked) / n, len(matched) / n, in_order_count(matches, len(matched)) / n


def in_order_count(pairs: Sequence[tuple[int, int]], matched: int) -> int:
    """The matched passages (``matched`` of them) that count as in order: the longest ordered chain, plus
    :data:`OUT_OF_PLACE` beside a chain of at least :data:`MIN_ORDER` (one link alone is in order trivially)."""
    chain = ordered_matches(pairs)
    return min(matched, chain + OUT_OF_PLACE) if chain >= MIN_ORDER else chain


def ordered_matches(pairs: Sequence[tuple[int, int]]) -> int:
    """The most links ``(a, b)`` that follow one order in both documents, each segment used once: the longest
    chain increasing in ``a`` and in ``b`` (O(L log L)).

    Why: two articles on one topic get a few chance links, and with very short articles a few are most of a
    document. Chance links go any way (one sentence drawn to several, crossings); a translation or an
    adaptation links its passages one to one, in the order of the text.
    """
    tails: list[int] = []  # tails[k]: the smallest last b of a chain of k + 1 links so far
    for _, b in sorted(set(pairs), key=lambda p: (p[0], -p[1])):  # b descending within an a: one link per a
        at = bisect.bisect_left(tails, b)
        tails[at : at + 1] = [b]
    return len(tails)


def verify_chunk(task: VerifyTask, embedder: Embedder, settings: Settings) -> tuple[str, pd.DataFrame]:
    """The segment-level evidence of each candidate pair."""
    prepared = rebuild(list(task.documents.values()), embedder)
    rows = []
    for doc_a, doc_b in task.pairs:
        links, share, matched, ordered = link_evidence(prepared[doc_a], prepared[doc_b], settings)
        rows.append({"doc_a": doc_a, "doc_b": doc_b, "links": links, "linked_share": round(share, 4), "matched_share": round(matched, 4),
                     "ordered_share": round(ordered, 4)})  # fmt: skip
    df = pd.DataFrame(rows, columns=list(EVIDENCE_COLUMNS))
    return task.chunk_id, df.astype({"links": "int64", "linked_share": "float64", "matched_share": "float64", "ordered_share": "float64"})


def align_stories_chunk(task: AlignTask, embedder: Embedder, settings: Settings) -> ChunkResult:
    """The chunk's pairs aligned by the batch code, its documents taken from their records (no new language detection)."""
    cache = PreparedCache(len(task.known) + 1)
    for prepared in rebuild(list(task.known.values()), embedder).values():
        cache.put(PreparedCache.key(prepared.document, settings, embedder.model_id), prepared)
    return align_chunk(task.chunk, embedder, settings, cache)


def vectors_of(records: pd.DataFrame) -> np.ndarray:
    """The document vectors of readable records, ``(len(records), dim)``."""
    if not len(records):
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.frombuffer(v, dtype=np.float32) for v in records["vector"]])
