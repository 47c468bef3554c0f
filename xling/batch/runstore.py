"""The work folder of a batch run (``OUT.parts/``): finished chunks as part files, and a journal of them.

Each finished chunk is written as two part files (its contract rows and its
summary rows), each atomically, and only then appended to ``journal.jsonl``
(flushed and fsynced). A run killed at any moment leaves at worst a part file
no journal line names, which is ignored, or a torn last journal line, which is
skipped: the pairs of that chunk are simply done again by ``--resume``. Only
one process writes a work folder at a time (an advisory lock).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .chunks import ChunkRecord, ChunkResult, summary_frame
from ..errors import XlingError
from ..export import atomic_write, normalise_table, parquet_bytes

log = logging.getLogger(__name__)

PARTS_SUFFIX = ".parts"
JOURNAL = "journal.jsonl"
RUN_FILE = "run.json"
LOCK_FILE = ".lock"
STORE_VERSION = 2  # 2: each journal line holds the digests of the documents its pairs used


class WorkFolder:
    """A run's work folder: ``run.json`` (what the run was started with), an append-only journal, one writer at a time.

    Shared by ``xling batch`` (:class:`RunStore`) and ``xling stories``
    (``stories.store.WorkStore``); ``kind`` names the run in messages.
    """

    def __init__(self, folder: Path, *, kind: str, version: int, started_with: str) -> None:
        self.folder = folder
        self.kind, self.version, self.started_with = kind, version, started_with
        self.attempt = 0
        self._lock_fd: int | None = None

    def open_run(self, fingerprint: str, *, resume: bool) -> bool:
        """Create or reopen the folder; True when it holds an earlier run of the same fingerprint."""
        run_file = self.folder / RUN_FILE
        if self.folder.exists() and not resume:
            raise XlingError(f"{self.folder} holds an unfinished run: finish it with --resume, or delete that folder to start over")
        reopened = run_file.exists()
        if reopened:
            try:
                previous = json.loads(run_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise XlingError(f"{run_file}: unreadable ({exc}); delete {self.folder} to start over") from None
            if previous.get("fingerprint") != fingerprint or previous.get("version") != self.version:
                raise XlingError(f"{self.folder} was started with {self.started_with}, other settings or another xling; "
                                 "run with those again, or delete that folder to start over")  # fmt: skip
            self.attempt = int(previous.get("attempt", 0))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock()
        self.attempt += 1
        atomic_write(run_file, json.dumps({"version": self.version, "fingerprint": fingerprint, "attempt": self.attempt}).encode())
        self._end_journal_line()
        return reopened

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no advisory locks, trust the user
            return
        fd = os.open(self.folder / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise XlingError(f"{self.folder} is in use by another xling {self.kind} run") from None
        self._lock_fd = fd

    def _end_journal_line(self) -> None:
        """A run killed mid-line leaves a torn last line: end it, so the next entry starts on a line of its own."""
        journal = self.folder / JOURNAL
        if journal.exists() and journal.stat().st_size:
            with journal.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                torn = handle.read(1) != b"\n"
            if torn:
                with journal.open("ab") as out:
                    out.write(b"\n")

    def append(self, item: dict) -> None:
        """One journal line, flushed and fsynced: what it names counts as done from now on."""
        with (self.folder / JOURNAL).open("ab") as handle:
            handle.write(json.dumps(item).encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def items(self, parse, redone: str) -> list:
        """Every journal line read by ``parse`` (a torn one is skipped with a warning: its ``redone`` are done again)."""
        journal = self.folder / JOURNAL
        if not journal.exists():
            return []
        out = []
        for number, line in enumerate(journal.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                parsed = parse(json.loads(line))
            except (ValueError, KeyError, TypeError):
                log.warning("%s: line %d is torn (the run was killed while writing it); its %s will be redone", journal, number, redone)
                continue
            if parsed is not None:
                out.append(parsed)
        return out

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class RunStore(WorkFolder):
    """Part files and journal of one output file's run."""

    def __init__(self, output: Path) -> None:
        super().__init__(output.with_name(output.name + PARTS_SUFFIX), kind="batch", version=STORE_VERSION,
                         started_with="another manifest")  # fmt: skip

    def open(self, fingerprint: str, *, resume: bool) -> list[ChunkRecord]:
        """Create or reopen the work folder; return the journal of chunks finished before (empty when new)."""
        return self.entries() if self.open_run(fingerprint, resume=resume) else []

    def part(self, chunk: str, kind: str) -> Path:
        return self.folder / f"{chunk}.{kind}.parquet"

    def record(self, result: ChunkResult) -> None:
        """Write the chunk's parts, then journal it: a chunk counts as done only once its line is on disk."""
        if len(result.table):
            atomic_write(self.part(result.chunk_id, "rows"), parquet_bytes(result.table))
        atomic_write(self.part(result.chunk_id, "summary"), parquet_bytes(result.summary))
        self.append({"chunk": result.chunk_id, "window": result.window, "ok": list(result.ok), "failed": list(result.failed),
                     "digests": result.digests, "corrected": result.corrected, "corrections": result.corrections,
                     "stale": [list(item) for item in result.stale]})  # fmt: skip

    def entries(self) -> list[ChunkRecord]:
        """The journal's complete entries, in the order they were written."""
        # a line of an earlier xling has no corrections keys: it applied none (its pairs are redone if a run now does)
        return self.items(lambda item: ChunkRecord(chunk_id=item["chunk"], window=int(item["window"]), ok=tuple(item["ok"]),
                                                    failed=tuple(item["failed"]), digests=dict(item.get("digests", {})),
                                                    corrected=bool(item.get("corrected", False)),
                                                    corrections=dict(item.get("corrections", {})),
                                                    stale=tuple((str(p), str(m)) for p, m in item.get("stale", []))),
                          "pairs")  # fmt: skip


def owners(entries: list[ChunkRecord]) -> dict[str, str]:
    """The chunk whose result stands for each pair: the last that did it.

    A resumed run redoes only the pairs not aligned yet and those of a document
    that changed since, so the last result is the one a fresh run would give.
    """
    return {pair_id: entry.chunk_id for entry in entries for pair_id in (*entry.failed, *entry.ok)}


def iter_windows(store: RunStore, entries: list[ChunkRecord], order: dict[str, int]) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Contract rows and summary rows of each window, in manifest order (``order``: pair id -> position).

    Rows of a part stand only for the pairs that part owns, so a chunk done twice
    (killed after writing, before journaling) never shows up twice.
    """
    owner = owners(entries)
    by_window: dict[int, list[ChunkRecord]] = {}
    for entry in entries:
        by_window.setdefault(entry.window, []).append(entry)
    for window in sorted(by_window):
        tables, summaries = [], []
        for entry in by_window[window]:
            mine = {p for p in (*entry.ok, *entry.failed) if owner.get(p) == entry.chunk_id}
            if not mine:
                continue
            summary = pd.read_parquet(store.part(entry.chunk_id, "summary"))
            summaries.append(summary[summary.pair_id.isin(mine)])
            if any(p in mine for p in entry.ok):
                rows = pd.read_parquet(store.part(entry.chunk_id, "rows"))
                tables.append(rows[rows.pair_id.isin(mine)])
        yield _in_order(tables, order, normalise_table), _in_order(summaries, order, _summary_types)


def _summary_types(df: pd.DataFrame) -> pd.DataFrame:
    return summary_frame(df.to_dict("records"))


def _in_order(frames: list[pd.DataFrame], order: dict[str, int], normalise) -> pd.DataFrame:
    if not frames:
        return normalise(pd.DataFrame())
    df = pd.concat(frames, ignore_index=True)
    # A stable sort on the pair's manifest position keeps each pair's own row order.
    position = df["pair_id"].map(order)
    return normalise(df.iloc[position.argsort(kind="stable")].reset_index(drop=True))
