"""Chunks of pairs: the unit a batch run prepares, encodes, aligns and writes at once.

A chunk holds a few dozen documents and the pairs among them, so its vectors
fit in memory whatever the size of the manifest; pairs that share documents are
put in the same chunk so each document is prepared once. :func:`align_chunk`
runs anywhere (in-process or on a Dask worker): documents in, tables out. Human
corrections (a :class:`~xling.workspace.apply.Snapshot`) are applied there too, on
each pair's records, so a chunk's rows are already the corrected pair's rows.
"""
from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..embed import Embedder
from ..errors import XlingError
from ..export import empty_table, normalise_table
from ..io import MAX_FILE_BYTES, read_document
from .manifest import PairTask, Plan
from ..pipeline import PairRequest, PairResult, PreparedCache, run, text_digest
from ..types import Document, Settings
from ..workspace.apply import Snapshot, correct_pair

log = logging.getLogger(__name__)

CHUNK_DOCS = 24  # documents per chunk: their vectors are a few MB; enough chunks to keep every worker busy
CHUNK_PAIRS = 64  # pairs per chunk, so a chunk of a large group still reports progress often
WINDOW_PAIRS = 512  # chunks never straddle a window of the manifest: the output is assembled window by window
SHARE_DECIMALS = 4
SUMMARY_COLUMNS: tuple[str, ...] = (
    "pair_id", "group_id", "doc_a", "doc_b", "lang_a", "lang_b", "segments_a", "segments_b",
    "linked_pairs", "differing_pairs", "coverage_a", "coverage_b", "status", "error",
)  # fmt: skip
SUMMARY_INT_COLUMNS = ("segments_a", "segments_b", "linked_pairs", "differing_pairs")


@dataclass(frozen=True, kw_only=True)
class Chunk:
    """Pairs to align together, with their documents (or, for a document that cannot be used, why)."""

    chunk_id: str
    window: int
    pairs: tuple[PairTask, ...]
    documents: dict[str, Document | str] = field(repr=False)


@dataclass(frozen=True, kw_only=True)
class ChunkRecord:
    """Which pairs a finished chunk did, and from which texts: what the run's journal keeps of it (batch/runstore.py)."""

    chunk_id: str
    window: int
    ok: tuple[str, ...]
    failed: tuple[str, ...]
    digests: dict[str, str] = field(default_factory=dict)  # name -> text_digest of each document its aligned pairs used
    corrected: bool = False  # whether human corrections were applied (a run with a workspace)
    # pair id -> Snapshot.digest of the corrections that concerned it (pairs with some only): a resumed
    # run redoes a pair whose corrections changed since
    corrections: dict[str, str] = field(default_factory=dict)
    stale: tuple[tuple[str, str], ...] = ()  # (pair id, what a stale correction is and why) for each one met


@dataclass(frozen=True, kw_only=True)
class ChunkResult(ChunkRecord):
    """What a chunk produced: its record, the contract rows of its aligned pairs and one summary row per pair."""

    table: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    segments_prepared: int = 0  # segments of the documents this chunk had to prepare (not found prepared)


def plan_chunks(pairs: Sequence[PairTask], max_docs: int = CHUNK_DOCS, max_pairs: int = CHUNK_PAIRS) -> list[list[PairTask]]:
    """Split ``pairs`` into chunks of at most ``max_docs`` documents and ``max_pairs`` pairs.

    A chunk grows from the first pair not yet placed (manifest order) through
    the pairs sharing its documents, breadth first, so a document's pairs land
    together; when that cluster is exhausted the next pair in manifest order
    starts another one in the same chunk. Each chunk lists its pairs in manifest order.
    """
    by_doc: dict[str, list[int]] = {}
    for i, pair in enumerate(pairs):
        by_doc.setdefault(pair.doc_a, []).append(i)
        by_doc.setdefault(pair.doc_b, []).append(i)
    pending = [True] * len(pairs)
    left = len(pairs)
    # The first pair not yet placed, found by a cursor that only moves forward: O(P) over the whole plan
    # (asking an ordered set for its first member after many deletions rescans them each time: O(P^2)).
    cursor = 0

    def first_pending() -> int:
        nonlocal cursor
        while not pending[cursor]:
            cursor += 1
        return cursor

    chunks: list[list[PairTask]] = []
    while left:
        docs: set[str] = set()
        taken: list[int] = []
        frontier: deque[int] = deque()
        while left and len(taken) < max_pairs:
            if not frontier:  # this cluster is done (or none begun): start the next one in this chunk, if it fits
                start = first_pending()
                if taken and len(docs | {pairs[start].doc_a, pairs[start].doc_b}) > max_docs:
                    break
                frontier.append(start)
            i = frontier.popleft()
            if not pending[i]:
                continue
            new = {pairs[i].doc_a, pairs[i].doc_b} - docs
            if taken and len(docs) + len(new) > max_docs:
                continue
            docs |= new
            pending[i] = False
            left -= 1
            taken.append(i)
            for doc in (pairs[i].doc_a, pairs[i].doc_b):
                if doc in new:
                    frontier.extend(j for j in by_doc[doc] if pending[j])
        chunks.append([pairs[i] for i in sorted(taken)])
    return chunks


def load_documents(plan: Plan, names: Iterable[str], max_bytes: int = MAX_FILE_BYTES) -> dict[str, Document | str]:
    """Read the named documents; a document that cannot be used maps to the one-line reason."""
    out: dict[str, Document | str] = {}
    for name in names:
        ref = plan.documents[name]
        if ref.problem or ref.path is None:
            out[name] = ref.problem
            continue
        try:
            out[name] = read_document(ref.path, name=name, max_bytes=max_bytes)
        except XlingError as exc:
            out[name] = f"{name}: {exc.problem}" if hasattr(exc, "problem") else str(exc)
    return out


def make_chunk(plan: Plan, chunk_id: str, window: int, pairs: Sequence[PairTask], max_bytes: int = MAX_FILE_BYTES) -> Chunk:
    names = dict.fromkeys(n for p in pairs for n in (p.doc_a, p.doc_b))
    return Chunk(chunk_id=chunk_id, window=window, pairs=tuple(pairs), documents=load_documents(plan, names, max_bytes))


def align_chunk(chunk: Chunk, embedder: Embedder, settings: Settings, cache: PreparedCache | None = None,
                corrections: Snapshot | None = None) -> ChunkResult:  # fmt: skip
    """Prepare the chunk's documents (one encode call), align its pairs; a bad document fails only its pairs.

    ``corrections``: applied to each aligned pair (its rows gain the ``source`` column); the stale ones are
    returned in the result, for the run to report. An error in encoding (the model cannot load) is not a
    pair's fault: it propagates.
    """
    readable = [d for d in chunk.documents.values() if isinstance(d, Document)]
    wanted = [PairRequest(pair_id=p.pair_id, a=p.doc_a, b=p.doc_b) for p in chunk.pairs
              if isinstance(chunk.documents[p.doc_a], Document) and isinstance(chunk.documents[p.doc_b], Document)]  # fmt: skip
    done = run(readable, embedder, settings, pairs=wanted, cache=cache, keep_going=True)
    documents = {**chunk.documents, **{name: f"{name}: {exc.problem}" for name, exc in done.problems.items()}}
    results = {result.pair_id: result for result in done.pairs}
    frames, summaries, ok, failed, digests_of, stale = [], [], [], [], {}, []
    for pair in chunk.pairs:
        problems = list(dict.fromkeys(p for n in (pair.doc_a, pair.doc_b) if isinstance(p := documents[n], str)))
        error = "; ".join(problems)
        if not error and pair.pair_id in done.failed:
            exc = done.failed[pair.pair_id]
            error = f"{type(exc).__name__}: {exc}"
        if error:
            summaries.append(_summary_row(pair, None, error))
            failed.append(pair.pair_id)
            continue
        result = results[pair.pair_id]
        if corrections is not None:
            corrected = correct_pair(result, corrections)
            result, frame = corrected.pair, corrected.to_dataframe()
            stale += [(pair.pair_id, str(item)) for item in corrected.stale]
            if digest := corrections.digest(result.a.document, result.b.document):
                digests_of[pair.pair_id] = digest
        else:
            frame = result.to_dataframe()
        frames.append(frame)
        summaries.append(_summary_row(pair, result, "") | {"differing_pairs": int((frame["discrepancies"] != "").sum())})
        ok.append(pair.pair_id)
    table = normalise_table(pd.concat(frames, ignore_index=True)) if frames else empty_table()
    used = dict.fromkeys(n for p in chunk.pairs if p.pair_id in ok for n in (p.doc_a, p.doc_b))
    digests = {n: text_digest(documents[n]) for n in used}  # type: ignore[arg-type]
    return ChunkResult(chunk_id=chunk.chunk_id, window=chunk.window, ok=tuple(ok), failed=tuple(failed), table=table,
                       summary=summary_frame(summaries), segments_prepared=done.fresh_segments, digests=digests,
                       corrected=corrections is not None, corrections=digests_of, stale=tuple(stale))  # fmt: skip


def _summary_row(pair: PairTask, result: PairResult | None, error: str) -> dict[str, object]:
    row: dict[str, object] = {"pair_id": pair.pair_id, "group_id": pair.group_id, "doc_a": pair.doc_a, "doc_b": pair.doc_b}
    if result is not None:
        row |= {
            "lang_a": result.a.document.lang, "lang_b": result.b.document.lang,
            "segments_a": len(result.a.segments), "segments_b": len(result.b.segments), "linked_pairs": len(result.links),
            "coverage_a": round(result.coverage_a.char_share, SHARE_DECIMALS),
            "coverage_b": round(result.coverage_b.char_share, SHARE_DECIMALS),
        }  # fmt: skip
    return row | {"status": "failed" if error else "ok", "error": error}


def summary_frame(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    """Summary rows with fixed columns and types (so parts written anywhere read back alike)."""
    df = pd.DataFrame(list(rows), columns=list(SUMMARY_COLUMNS))
    for col in SUMMARY_INT_COLUMNS:
        df[col] = pd.array(pd.to_numeric(df[col]), dtype="Int64")
    for col in ("coverage_a", "coverage_b"):
        df[col] = pd.to_numeric(df[col]).astype("float64")
    for col in (c for c in SUMMARY_COLUMNS if c not in SUMMARY_INT_COLUMNS and not c.startswith("coverage")):
        df[col] = df[col].astype("string")
    return df
