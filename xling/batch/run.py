"""Batch alignment at corpus scale: a manifest of pairs or groups in, one contract table and summaries out.

    plan (manifest.py) -> chunks (chunks.py) -> engine (engines.py) -> parts + journal (runstore.py) -> outputs

Each finished chunk is on disk before the next result is awaited, so a run
stopped at any point loses only the chunks in flight and ``resume=True``
finishes the rest. The final files are assembled window by window in manifest
order and written atomically; memory does not grow with the manifest beyond
the list of pairs itself.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .assemble import GROUP_COVERAGE_SUFFIX, SUMMARY_SUFFIX, assemble
from .chunks import (CHUNK_DOCS, CHUNK_PAIRS, WINDOW_PAIRS, Chunk, ChunkRecord, load_documents, make_chunk, plan_chunks,
                     text_digest)
from ..embed import Embedder
from .engines import ENGINES, DaskEngine, EmbedderSpec, Engine, LocalEngine
from ..export import STREAM_FORMATS, Format, check_output, format_for
from .manifest import Plan, load_plan
from ..io import MAX_FILE_BYTES
from .runstore import RunStore, owners
from ..types import Document, Settings
from ..workspace.apply import Snapshot

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (pairs done, pairs in the run)

__all__ = ["GROUP_COVERAGE_SUFFIX", "SUMMARY_SUFFIX", "BatchReport", "EmbedderSpec", "load_plan", "run_batch", "side_files"]


@dataclass(frozen=True, kw_only=True)
class BatchReport:
    """What a run did: pairs, failures ``(pair_id, error)`` in manifest order, where the files went."""

    pairs: int
    resumed: int  # pairs found done in the work folder
    failed: tuple[tuple[str, str], ...]
    segments: int  # segments prepared (segmented and embedded) by this run
    seconds: float
    output: Path
    summary: Path
    group_coverage: Path | None
    stale: tuple[str, ...] = ()  # human corrections that no longer apply (with a workspace)


def run_batch(
    plan: Plan | str | Path,
    output: str | Path,
    *,
    settings: Settings | None = None,
    embedder: Embedder | EmbedderSpec | None = None,
    engine: Engine = "local",
    workers: int | None = None,
    threads_per_worker: int | None = None,
    scheduler: str | None = None,
    fmt: Format | None = None,
    summary_path: str | Path | None = None,
    group_coverage_path: str | Path | None = None,
    resume: bool = False,
    progress: Progress | None = None,
    chunk_docs: int = CHUNK_DOCS,
    chunk_pairs: int = CHUNK_PAIRS,
    workspace: str | Path | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> BatchReport:
    """Align every pair of ``plan`` (a manifest path, a folder of groups, or a :class:`Plan`) into ``output``.

    ``embedder`` is an embedder (local engine only) or an :class:`EmbedderSpec`
    each process builds its own from (default: ``settings.model`` with the cache).
    ``progress(done, total)`` is called after each chunk is safely on disk.
    ``workspace``: apply its human corrections (read once, when the run starts) to each pair as it is aligned;
    the table gains a ``source`` column, and the corrections that no longer apply are logged and reported.
    ``max_bytes``: a larger document file fails its pairs (the limit of :func:`xling.read_document`).
    """
    started = time.perf_counter()
    plan = plan if isinstance(plan, Plan) else load_plan(plan)
    settings = settings or Settings()
    output = Path(output)
    fmt = fmt or format_for(output)
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if fmt not in STREAM_FORMATS:
        raise ValueError(f"{output}: batch writes {', '.join(STREAM_FORMATS)}, not {fmt!r}")
    default_summary, default_groups = side_files(output)
    summary_path = Path(summary_path or default_summary)
    group_path = Path(group_coverage_path or default_groups) if plan.kind == "groups" else None
    _check_outputs(output, summary_path, group_path)  # a bad output path fails before any work, leaving nothing behind
    embedder = embedder if embedder is not None else EmbedderSpec(model=settings.model)
    corrections = _snapshot(workspace) if workspace is not None else None  # a bad workspace fails before any work
    runner = _engine(engine, embedder, settings, workers, threads_per_worker, scheduler, corrections)

    store = RunStore(output)
    try:
        entries = store.open(_fingerprint(plan, settings), resume=resume)
        done = _still_done(plan, entries, max_bytes, corrections)
        todo = [p for p in plan.pairs if p.pair_id not in done]
        finished, segments = len(plan.pairs) - len(todo), 0
        if progress:
            progress(finished, len(plan.pairs))
        with runner:
            for result in runner.map(_chunks(plan, todo, store.attempt, chunk_docs, chunk_pairs, max_bytes)):
                store.record(result)
                finished += len(result.ok) + len(result.failed)
                segments += result.segments_prepared
                if progress:
                    progress(finished, len(plan.pairs))
        failed = assemble(plan, store, output, fmt, summary_path, group_path, sourced=corrections is not None)
        stale = _stale(plan, store.entries())
    except BaseException:
        store.close()
        raise
    store.remove()
    for item in stale:
        log.warning("%s", item)
    return BatchReport(pairs=len(plan.pairs), resumed=len(done), failed=failed, segments=segments, seconds=time.perf_counter() - started,
                       output=output, summary=summary_path, group_coverage=group_path, stale=stale)  # fmt: skip


def side_files(output: Path) -> tuple[Path, Path]:
    """Where the summaries go by default: named after the output (``OUT.summary.csv``, ``OUT.group_coverage.csv``)."""
    return output.with_name(output.stem + SUMMARY_SUFFIX), output.with_name(output.stem + GROUP_COVERAGE_SUFFIX)


def _check_outputs(output: Path, summary: Path, groups: Path | None) -> None:
    paths = [p for p in (output, summary, groups) if p is not None]
    for path in paths:
        check_output(path, stream=False)
    resolved = [p.resolve() for p in paths]
    if len(set(resolved)) < len(resolved):
        raise ValueError(f"the table, the summary and the group coverage need three different files, got {', '.join(map(str, paths))}")


def _snapshot(workspace: str | Path) -> Snapshot:
    """Every correction of the workspace, read once: the chunks apply this snapshot, whatever is stored meanwhile."""
    from ..workspace.store import Workspace

    return Snapshot.of(Workspace(workspace, create=False))


def _stale(plan: Plan, entries: list[ChunkRecord]) -> tuple[str, ...]:
    """The stale corrections the standing result of each pair met, in manifest order (resumed chunks' too)."""
    owner = owners(entries)
    met = {pair_id: [] for pair_id in owner}
    for entry in entries:
        for pair_id, message in entry.stale:
            if owner.get(pair_id) == entry.chunk_id:
                met[pair_id].append(message)
    return tuple(m for pair in plan.pairs for m in met.get(pair.pair_id, ()))


def _engine(engine, embedder, settings, workers, threads_per_worker, scheduler, corrections):
    if engine == "dask":
        if not isinstance(embedder, EmbedderSpec):
            raise ValueError("the dask engine builds an embedder on each worker: pass an EmbedderSpec, not an embedder")
        return DaskEngine(embedder, settings, workers=workers, threads_per_worker=threads_per_worker, scheduler=scheduler,
                          corrections=corrections)  # fmt: skip
    return LocalEngine(embedder.build() if isinstance(embedder, EmbedderSpec) else embedder, settings, corrections)


def _still_done(plan: Plan, entries: list[ChunkRecord], max_bytes: int, corrections: Snapshot | None) -> set[str]:
    """Pairs whose last result stands: aligned, from documents that have not changed since (each read again, not
    encoded), with the corrections that concern them now (none, without a workspace).

    A pair of a document edited (or gone) since it was aligned is done again, and so is one whose corrections
    changed (or a run now applies corrections the first did not, or the other way round), so the resumed
    output is the one a fresh run gives.
    """
    names = list(dict.fromkeys(n for e in entries for n in e.digests if n in plan.documents))
    loaded = {n: d for n, d in load_documents(plan, names, max_bytes).items() if isinstance(d, Document)}
    current = {n: text_digest(d) for n, d in loaded.items()}
    pairs = {p.pair_id: p for p in plan.pairs}
    done: set[str] = set()
    changed: set[str] = set()
    recorrected = 0
    for entry in entries:
        done.difference_update(entry.failed)
        for pair_id in entry.ok:
            pair = pairs.get(pair_id)
            stale = [] if pair is None else [n for n in (pair.doc_a, pair.doc_b) if entry.digests.get(n) != current.get(n)]
            changed.update(stale)
            readable = pair is not None and not stale and pair.doc_a in loaded and pair.doc_b in loaded
            standing = readable and _same_corrections(entry, pair_id, loaded[pair.doc_a], loaded[pair.doc_b], corrections)
            recorrected += readable and not standing
            (done.add if standing else done.discard)(pair_id)
    if changed:
        log.warning("%d document(s) changed since the interrupted run (%s): their pairs are aligned again",
                    len(changed), ", ".join(sorted(changed)[:3]) + (", ..." if len(changed) > 3 else ""))  # fmt: skip
    if recorrected:
        log.warning("the corrections of %d pair(s) changed since the interrupted run: they are aligned again", recorrected)
    return done


def _same_corrections(entry: ChunkRecord, pair_id: str, a: Document, b: Document, corrections: Snapshot | None) -> bool:
    """Whether the chunk applied to the pair the corrections this run would apply."""
    if corrections is None:
        return not entry.corrected
    return entry.corrected and entry.corrections.get(pair_id, "") == corrections.digest(a, b)


def _fingerprint(plan: Plan, settings: Settings) -> str:
    return hashlib.sha256(f"{plan.fingerprint()}|{settings!r}|{WINDOW_PAIRS}".encode()).hexdigest()


def _chunks(plan: Plan, todo, attempt: int, chunk_docs: int, chunk_pairs: int, max_bytes: int) -> Iterator[Chunk]:
    """Chunks of the pairs still to do, window by window; documents are read only when their chunk is due."""
    windows: dict[int, list] = {}
    for pair in todo:
        windows.setdefault(pair.index // WINDOW_PAIRS, []).append(pair)
    for window, pairs in windows.items():
        for number, chunk_pairs_ in enumerate(plan_chunks(pairs, chunk_docs, chunk_pairs)):
            yield make_chunk(plan, f"r{attempt}-w{window:05d}-c{number:05d}", window, chunk_pairs_, max_bytes)
