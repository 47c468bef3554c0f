"""``xling stories``: from a pile of articles to stories, and every pair inside each story aligned.

    discover files -> embed (engine: language, segments, vectors; one record per document)
      -> document vectors -> nearest neighbours -> candidate pairs
      -> verify (engine: how many passages link) -> agglomerate -> stories.csv
      -> align every pair inside each story (engine, batch machinery) -> alignment.parquet, story_summary.csv

Each engine step writes its finished chunks to ``OUT_DIR/.stories-work`` (the
alignment to ``alignment.parquet.parts``, as ``xling batch`` does), so ``resume``
finishes an interrupted run; clustering is recomputed from the records, the same
each time. A file that cannot be used is skipped with its reason, never stops the run.
"""
from __future__ import annotations

import hashlib
import itertools
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..batch.assemble import assemble
from ..batch.chunks import CHUNK_DOCS, CHUNK_PAIRS, WINDOW_PAIRS, Chunk, plan_chunks
from ..embed import Embedder
from ..batch.engines import EmbedderSpec
from ..errors import InputError
from ..export import atomic_write, empty_table, neutralise_formula, write_table
from ..io import MAX_FILE_BYTES
from ..batch.manifest import DocRef, PairTask, Plan
from ..batch.runstore import RunStore
from ..types import Document, Settings
from .calibration import StoryParams, params_for
from .corpus import Entry, discover, read_entry, text_digest
from .engine import make_runner
from .rule import candidates as find_candidates
from .rule import evidence_arrays, story_labels
from .store import WorkStore
from .summary import StoryDoc, StorySummaries
from .tasks import (
    EVIDENCE_COLUMNS,
    AlignTask,
    EmbedTask,
    Known,
    VerifyTask,
    align_stories_chunk,
    embed_chunk,
    vectors_of,
    verify_chunk,
)

log = logging.getLogger(__name__)

STORIES_NAME = "stories.csv"
ALIGNMENT_NAME = "alignment.parquet"
SUMMARY_NAME = "story_summary.csv"
PAIRS_NAME = "pairs.csv"  # per aligned pair: languages, links, coverage (the batch summary)
SKIPPED_NAME = "skipped.csv"
STORY_COLUMNS = ("story_id", "doc", "lang", "title", "site", "date", "segments", "path")  # path: where the file was read
EMBED_DOCS = 32  # documents per embedding task: one encode call, a few MB of vectors
Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True, kw_only=True)
class StoriesReport:
    documents: int
    skipped: tuple[tuple[str, str], ...]  # (doc, reason)
    stories: int
    multi_document_stories: int
    candidates: int
    pairs: int
    failed_pairs: tuple[tuple[str, str], ...]
    seconds: float
    out_dir: Path
    timings: dict[str, float]


def run_stories(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    *,
    settings: Settings | None = None,
    embedder: Embedder | EmbedderSpec | None = None,
    params: StoryParams | None = None,
    engine: str = "local",
    workers: int | None = None,
    threads_per_worker: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    progress: Progress | None = None,
) -> StoriesReport:
    """Find the stories of the documents under ``inputs`` and align every pair inside each; write OUT_DIR's files."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    settings = settings or Settings()
    embedder = embedder if embedder is not None else EmbedderSpec(model=settings.model)
    runner = make_runner(engine, embedder, settings, workers=workers, threads_per_worker=threads_per_worker, scheduler=scheduler)
    entries = discover(list(inputs))
    model_id = _model_name(embedder, settings)
    params = params or params_for(model_id)
    work = WorkStore(out_dir)
    work.open(_fingerprint(entries, settings, params, model_id), resume=resume)
    timings: dict[str, float] = {}
    try:
        with runner:
            clock = time.perf_counter()
            records = _embed(entries, work, runner, max_bytes, progress)
            timings["embed"] = time.perf_counter() - clock
            ok = records[records["error"] == ""].reset_index(drop=True)
            known = _Known(entries, ok, max_bytes)
            clock = time.perf_counter()
            vectors = vectors_of(ok)
            candidates, cosines = find_candidates(vectors, list(ok["lang"]), params)
            timings["neighbours"] = time.perf_counter() - clock
            clock = time.perf_counter()
            evidence = _verify(ok, candidates, work, runner, known, progress)
            timings["verify"] = time.perf_counter() - clock
            clock = time.perf_counter()
            labels = _cluster(ok, vectors, candidates, cosines, evidence, params)
            timings["cluster"] = time.perf_counter() - clock
            stories = _write_stories(out_dir, ok, labels)
            clock = time.perf_counter()
            plan, failed = _align(out_dir, stories, ok, runner, known, settings, resume, progress)
            timings["align"] = time.perf_counter() - clock
    except BaseException:
        work.close()
        raise
    skipped = tuple((r.doc, r.error) for r in records.itertuples() if r.error)
    _write_skipped(out_dir, skipped)
    work.remove()
    return StoriesReport(documents=len(ok), skipped=skipped, stories=len(stories), candidates=len(candidates),
                         multi_document_stories=sum(1 for docs in stories.values() if len(docs) > 1), pairs=len(plan.pairs),
                         failed_pairs=failed, seconds=time.perf_counter() - started, out_dir=out_dir, timings=timings)  # fmt: skip


def _model_name(embedder: Embedder | EmbedderSpec, settings: Settings) -> str:
    """What picks the calibrated story parameters: the embedder's model id, or the model the spec names."""
    if isinstance(embedder, EmbedderSpec):
        return embedder.model if embedder.factory is None else getattr(embedder.factory, "model_id", "")
    return embedder.model_id


def _fingerprint(entries: Sequence[Entry], settings: Settings, params: StoryParams, model: str) -> str:
    digest = hashlib.sha256(f"{settings!r}|{params!r}|{model}|{EMBED_DOCS}|{WINDOW_PAIRS}".encode())
    for entry in entries:
        digest.update(f"{entry.doc}\x00{entry.path}\x00\n".encode())
    return digest.hexdigest()


# --- embedding ---------------------------------------------------------------------------------


def _embed(entries: Sequence[Entry], work: WorkStore, runner, max_bytes: int, progress: Progress | None) -> pd.DataFrame:
    """Every document's record (embedding those not done before), in discovery order."""
    done = work.read("embed")
    have = set(done["doc"]) if done is not None else set()
    todo = [e for e in entries if e.doc not in have]
    count = len(entries) - len(todo)
    if progress:
        progress("documents", count, len(entries))
    for chunk_id, frame in runner.map(embed_chunk, _embed_tasks(todo, work.attempt, max_bytes)):
        work.record("embed", chunk_id, frame)
        count += len(frame)
        if progress:
            progress("documents", count, len(entries))
    records = work.read("embed")
    order = {e.doc: k for k, e in enumerate(entries)}
    records = records.drop_duplicates("doc", keep="last")
    return records.iloc[records["doc"].map(order).argsort(kind="stable")].reset_index(drop=True)


def _embed_tasks(todo: Sequence[Entry], attempt: int, max_bytes: int) -> Iterator[EmbedTask]:
    """Tasks of :data:`EMBED_DOCS` documents, read only when their task is due; a bad file carries its reason."""
    for number, start in enumerate(range(0, len(todo), EMBED_DOCS)):
        items = []
        for entry in todo[start : start + EMBED_DOCS]:
            try:
                items.append((entry.doc, str(entry.path), read_entry(entry, max_bytes)))
            except InputError as exc:
                items.append((entry.doc, str(entry.path), f"{entry.doc}: {exc.problem}"))
        yield EmbedTask(chunk_id=f"r{attempt}-e{number:06d}", items=tuple(items))


class _Known:
    """Documents as recorded, re-read from their files when a task needs them (a changed file is refused)."""

    def __init__(self, entries: Sequence[Entry], records: pd.DataFrame, max_bytes: int) -> None:
        self.entry = {e.doc: e for e in entries}
        self.record = {r.doc: r for r in records.itertuples(index=False)}
        self.max_bytes = max_bytes

    def get(self, doc: str) -> Known | str:
        record = self.record[doc]
        try:
            document = read_entry(self.entry[doc], self.max_bytes)
        except InputError as exc:
            return f"{doc}: {exc.problem}"
        if text_digest(document.text) != record.digest:
            return f"{doc}: the file changed during the run (rerun without --resume, after deleting the output folder)"
        document = Document(name=document.name, text=document.text, source=document.source, body_start=document.body_start,
                            metadata=document.metadata, lang=record.lang, lang_prob=record.lang_prob)  # fmt: skip
        return Known(document=document, spans=record.spans)


# --- clustering --------------------------------------------------------------------------------


def _verify(ok: pd.DataFrame, candidates: np.ndarray, work: WorkStore, runner, known: _Known, progress: Progress | None) -> pd.DataFrame:
    """Segment-level evidence of every candidate pair (those verified before are read back)."""
    docs = ok["doc"].tolist()
    names = [(docs[i], docs[j]) for i, j in candidates]
    done = work.read("verify")
    have = set(zip(done["doc_a"], done["doc_b"])) if done is not None else set()
    todo = [p for p in names if p not in have]
    count = len(names) - len(todo)
    if progress and names:
        progress("candidate pairs", count, len(names))
    tasks = [PairTask(index=k, pair_id=str(k), group_id="", doc_a=a, doc_b=b) for k, (a, b) in enumerate(todo)]

    def make() -> Iterator[VerifyTask]:
        for number, chunk in enumerate(plan_chunks(tasks, CHUNK_DOCS, CHUNK_PAIRS)):
            found = {n: known.get(n) for n in dict.fromkeys(x for p in chunk for x in (p.doc_a, p.doc_b))}
            for item in found.values():
                if isinstance(item, str):
                    log.warning("%s", item)
            usable = {n: k for n, k in found.items() if isinstance(k, Known)}
            pairs = tuple((p.doc_a, p.doc_b) for p in chunk if p.doc_a in usable and p.doc_b in usable)
            yield VerifyTask(chunk_id=f"r{work.attempt}-v{number:06d}", documents=usable, pairs=pairs)

    for chunk_id, frame in runner.map(verify_chunk, make()):
        work.record("verify", chunk_id, frame)
        count += len(frame)
        if progress:
            progress("candidate pairs", count, len(names))
    evidence = work.read("verify")
    return evidence if evidence is not None else pd.DataFrame(columns=list(EVIDENCE_COLUMNS))


def _cluster(ok: pd.DataFrame, vectors: np.ndarray, candidates: np.ndarray, cosines: np.ndarray, evidence: pd.DataFrame,
             params: StoryParams) -> np.ndarray:  # fmt: skip
    position = {d: k for k, d in enumerate(ok["doc"])}
    pairs = np.stack([evidence["doc_a"].map(position).to_numpy(), evidence["doc_b"].map(position).to_numpy()], axis=1)
    found = evidence_arrays(pairs.reshape(-1, 2), evidence["links"], evidence["linked_share"], evidence["matched_share"],
                            evidence["ordered_share"])  # fmt: skip
    return story_labels(ok["segments"].to_numpy(), list(ok["lang"]), vectors, candidates, cosines, found, params)


def story_ids(labels: np.ndarray) -> list[str]:
    """``story-0001``... in label order; the width grows with the number of stories."""
    width = max(4, len(str(int(labels.max()) + 1))) if len(labels) else 4
    return [f"story-{int(label) + 1:0{width}d}" for label in labels]


def _write_stories(out_dir: Path, ok: pd.DataFrame, labels: np.ndarray) -> dict[str, list[str]]:
    """stories.csv (one row per document, by story); returns story -> its documents in discovery order."""
    ids = story_ids(labels)
    frame = pd.DataFrame({"story_id": ids, "doc": ok["doc"], "lang": ok["lang"], "title": ok["title"], "site": ok["site"],
                          "date": ok["date"], "segments": ok["segments"], "path": ok["path"]}, columns=list(STORY_COLUMNS))  # fmt: skip
    frame = frame.iloc[np.argsort(labels, kind="stable")].reset_index(drop=True)
    write_csv(out_dir / STORIES_NAME, frame)
    stories: dict[str, list[str]] = {}
    for story, doc in zip(frame["story_id"], frame["doc"]):
        stories.setdefault(story, []).append(doc)
    return stories


def _write_skipped(out_dir: Path, skipped: Sequence[tuple[str, str]]) -> None:
    path = out_dir / SKIPPED_NAME
    if not skipped:
        path.unlink(missing_ok=True)
        return
    write_csv(path, pd.DataFrame(list(skipped), columns=["doc", "error"]))


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """A CSV file written atomically with the permissions of a new file (cells a spreadsheet would run are quoted)."""
    atomic_write(path, frame.map(neutralise_formula).to_csv(index=False, lineterminator="\n").encode("utf-8"))
    path.chmod(_file_mode())


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


# --- alignment inside stories ------------------------------------------------------------------


def story_plan(out_dir: Path, stories: dict[str, list[str]], paths: dict[str, Path]) -> Plan:
    """Every pair inside each story of two or more documents, story by story (a group plan of the batch code)."""
    pairs = []
    for story, docs in stories.items():
        for a, b in itertools.combinations(docs, 2):
            pairs.append(PairTask(index=len(pairs), pair_id=f"{story}:{a}--{b}", group_id=story, doc_a=a, doc_b=b))
    documents = {d: DocRef(name=d, path=paths[d]) for docs in stories.values() for d in docs}
    return Plan(source=out_dir, kind="groups", pairs=tuple(pairs), documents=documents, groups={s: tuple(d) for s, d in stories.items()})


def _align(out_dir: Path, stories: dict[str, list[str]], ok: pd.DataFrame, runner, known: _Known, settings: Settings,
           resume: bool, progress: Progress | None) -> tuple[Plan, tuple[tuple[str, str], ...]]:  # fmt: skip
    plan = story_plan(out_dir, stories, {r.doc: Path(r.path) for r in ok.itertuples(index=False)})
    info = {r.doc: StoryDoc(doc=r.doc, lang=r.lang, site=r.site, title=r.title, headline=r.headline) for r in ok.itertuples(index=False)}
    summaries = StorySummaries({s: [info[d] for d in docs] for s, docs in stories.items()}, {p.pair_id: p.group_id for p in plan.pairs})
    output = out_dir / ALIGNMENT_NAME
    failed: tuple[tuple[str, str], ...] = ()
    if not plan.pairs:
        table = empty_table()
        table["story_id"] = pd.Series(dtype="string")
        write_table(table, output, "parquet")
        (out_dir / PAIRS_NAME).unlink(missing_ok=True)
    else:
        store = RunStore(output)
        try:
            entries = store.open(hashlib.sha256(f"{plan.fingerprint()}|{settings!r}".encode()).hexdigest(), resume=resume)
            done = {p for e in entries for p in e.ok}
            todo = [p for p in plan.pairs if p.pair_id not in done]
            count = len(plan.pairs) - len(todo)
            if progress:
                progress("pairs", count, len(plan.pairs))
            for result in runner.map(align_stories_chunk, _align_tasks(todo, known, store.attempt)):
                store.record(result)
                count += len(result.ok) + len(result.failed)
                if progress:
                    progress("pairs", count, len(plan.pairs))
            failed = assemble(plan, store, output, "parquet", out_dir / PAIRS_NAME, None, summaries.add)
        except BaseException:
            store.close()
            raise
        store.remove()
    write_csv(out_dir / SUMMARY_NAME, summaries.frame())
    return plan, failed


def _align_tasks(todo: Sequence[PairTask], known: _Known, attempt: int) -> Iterator[AlignTask]:
    windows: dict[int, list[PairTask]] = {}
    for pair in todo:
        windows.setdefault(pair.index // WINDOW_PAIRS, []).append(pair)
    for window, pairs in windows.items():
        for number, chunk_pairs in enumerate(plan_chunks(pairs, CHUNK_DOCS, CHUNK_PAIRS)):
            chunk_id = f"r{attempt}-w{window:05d}-c{number:05d}"
            found = {n: known.get(n) for n in dict.fromkeys(x for p in chunk_pairs for x in (p.doc_a, p.doc_b))}
            documents = {n: (k.document if isinstance(k, Known) else k) for n, k in found.items()}
            chunk = Chunk(chunk_id=chunk_id, window=window, pairs=tuple(chunk_pairs), documents=documents)
            yield AlignTask(chunk_id=chunk_id, chunk=chunk, known={n: k for n, k in found.items() if isinstance(k, Known)})
