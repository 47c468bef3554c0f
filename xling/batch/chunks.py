"""Chunks of pairs: the unit a batch run prepares, encodes, aligns and writes at once.

A chunk holds a few dozen documents and the pairs among them, so its vectors
fit in memory whatever the size of the manifest; pairs that share documents are
put in the same chunk so each document is prepared once. :func:`align_chunk`
runs anywhere (in-process or on a Dask worker): documents in, tables out.
"""
from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..embed import Embedder
from ..errors import TooManySegments, XlingError
from ..export import empty_table, normalise_table
from ..io import MAX_FILE_BYTES, read_document
from .manifest import PairTask, Plan
from ..pipeline import PairResult, Prepared, align_pair, prepare
from ..types import Document, Settings

log = logging.getLogger(__name__)

CHUNK_DOCS = 24  # documents per chunk: their vectors are a few MB; enough chunks to keep every worker busy
CHUNK_PAIRS = 64  # pairs per chunk, so a chunk of a large group still reports progress often
WINDOW_PAIRS = 512  # chunks never straddle a window of the manifest: the output is assembled window by window
PREPARED_LRU_DOCS = 256  # prepared documents kept per process, so a document met again is not re-segmented
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
class ChunkResult:
    """What a chunk produced: contract rows of its aligned pairs, one summary row per pair."""

    chunk_id: str
    window: int
    ok: tuple[str, ...]
    failed: tuple[str, ...]
    table: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    segments_prepared: int = 0  # segments of the documents this chunk had to prepare (not found prepared)
    digests: dict[str, str] = field(default_factory=dict)  # name -> text_digest of each document its aligned pairs used


def text_digest(document: Document) -> str:
    """What a document's rows depend on: its decoded text (a resumed run redoes the pairs of a document that changed)."""
    return hashlib.blake2b(document.text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


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
    pending: dict[int, None] = dict.fromkeys(range(len(pairs)))  # an ordered set
    chunks: list[list[PairTask]] = []
    while pending:
        docs: set[str] = set()
        taken: list[int] = []
        frontier = deque([next(iter(pending))])
        while frontier and len(taken) < max_pairs:
            i = frontier.popleft()
            if i not in pending:
                continue
            new = {pairs[i].doc_a, pairs[i].doc_b} - docs
            if taken and len(docs) + len(new) > max_docs:
                continue
            docs |= new
            del pending[i]
            taken.append(i)
            for doc in (pairs[i].doc_a, pairs[i].doc_b):
                if doc in new:
                    frontier.extend(j for j in by_doc[doc] if j in pending)
            if not frontier and pending and len(docs) < max_docs:
                frontier.append(next(iter(pending)))  # this cluster is done: start the next one in this chunk
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


class PreparedCache:
    """The last prepared documents of this process (bounded): a document met again is neither segmented nor encoded."""

    def __init__(self, size: int = PREPARED_LRU_DOCS) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, ...], Prepared] = OrderedDict()

    @staticmethod
    def key(document: Document, settings: Settings, model_id: str) -> tuple[str, ...]:
        return (document.name, document.source, text_digest(document), settings.level, str(settings.repair), model_id)

    def get(self, key: tuple[str, ...]) -> Prepared | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: tuple[str, ...], prepared: Prepared) -> None:
        self._items[key] = prepared
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


def _prepare_documents(
    documents: Sequence[Document], embedder: Embedder, settings: Settings, cache: PreparedCache | None
) -> tuple[dict[str, Prepared], dict[str, str], int]:
    """Prepared documents by name, the ones over the segment limit (name -> reason), and how many
    segments had to be prepared afresh (one encode call for all)."""
    cache = cache if cache is not None else PreparedCache(0)
    keys = {d.name: cache.key(d, settings, embedder.model_id) for d in documents}
    found = {d.name: p for d in documents if (p := cache.get(keys[d.name])) is not None}
    missing = [d for d in documents if d.name not in found]
    too_long: dict[str, str] = {}
    while True:  # a document over the limit fails its own pairs only: leave it out and prepare the rest
        try:
            fresh = prepare(missing, embedder, settings.level, repair=settings.repair, max_segments=settings.max_segments) if missing else []
            break
        except TooManySegments as exc:
            bad = next(d for d in missing if exc.source in (d.source, d.name))
            too_long[bad.name] = f"{bad.name}: {exc.problem}"
            missing.remove(bad)
    for prepared in fresh:
        cache.put(keys[prepared.name], prepared)
        found[prepared.name] = prepared
    return found, too_long, sum(len(p.segments) for p in fresh)


def align_chunk(chunk: Chunk, embedder: Embedder, settings: Settings, cache: PreparedCache | None = None) -> ChunkResult:
    """Prepare the chunk's documents (one encode call), align its pairs; a bad document fails only its pairs.

    An error in encoding (the model cannot load) is not a pair's fault: it propagates.
    """
    readable = [d for d in chunk.documents.values() if isinstance(d, Document)]
    prepared, too_long, fresh = _prepare_documents(readable, embedder, settings, cache)
    documents = {**chunk.documents, **too_long}
    frames, summaries, ok, failed = [], [], [], []
    for pair in chunk.pairs:
        problems = list(dict.fromkeys(p for n in (pair.doc_a, pair.doc_b) if isinstance(p := documents[n], str)))
        if problems:
            summaries.append(_summary_row(pair, None, "; ".join(problems)))
            failed.append(pair.pair_id)
            continue
        try:
            result = align_pair(prepared[pair.doc_a], prepared[pair.doc_b], settings, pair.pair_id)
        except (XlingError, ValueError, ArithmeticError) as exc:
            log.info("pair %s failed: %s", pair.pair_id, exc)
            summaries.append(_summary_row(pair, None, f"{type(exc).__name__}: {exc}"))
            failed.append(pair.pair_id)
            continue
        frame = result.to_dataframe()
        frames.append(frame)
        summaries.append(_summary_row(pair, result, "") | {"differing_pairs": int((frame["discrepancies"] != "").sum())})
        ok.append(pair.pair_id)
    table = normalise_table(pd.concat(frames, ignore_index=True)) if frames else empty_table()
    used = dict.fromkeys(n for p in chunk.pairs if p.pair_id in ok for n in (p.doc_a, p.doc_b))
    digests = {n: text_digest(documents[n]) for n in used}  # type: ignore[arg-type]
    return ChunkResult(chunk_id=chunk.chunk_id, window=chunk.window, ok=tuple(ok), failed=tuple(failed), table=table,
                       summary=summary_frame(summaries), segments_prepared=fresh, digests=digests)  # fmt: skip


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
