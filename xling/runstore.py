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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .chunks import ChunkResult, summary_frame
from .errors import XlingError
from .export import atomic_write, normalise_table

log = logging.getLogger(__name__)

PARTS_SUFFIX = ".parts"
JOURNAL = "journal.jsonl"
RUN_FILE = "run.json"
LOCK_FILE = ".lock"
STORE_VERSION = 2  # 2: each journal line holds the digests of the documents its pairs used


@dataclass(frozen=True, kw_only=True)
class JournalEntry:
    chunk: str
    window: int
    ok: tuple[str, ...]
    failed: tuple[str, ...]
    digests: dict[str, str] = field(default_factory=dict)  # document name -> chunks.text_digest when aligned


class RunStore:
    """Part files and journal of one output file's run."""

    def __init__(self, output: Path) -> None:
        self.folder = output.with_name(output.name + PARTS_SUFFIX)
        self.attempt = 0
        self._lock_fd: int | None = None

    def open(self, fingerprint: str, *, resume: bool) -> list[JournalEntry]:
        """Create or reopen the work folder; return the journal of chunks finished before (empty when new)."""
        run_file = self.folder / RUN_FILE
        if self.folder.exists() and not resume:
            raise XlingError(f"{self.folder} holds an unfinished run: finish it with --resume, or delete that folder to start over")
        entries: list[JournalEntry] = []
        if run_file.exists():
            try:
                previous = json.loads(run_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise XlingError(f"{run_file}: unreadable ({exc}); delete {self.folder} to start over") from None
            if previous.get("fingerprint") != fingerprint or previous.get("version") != STORE_VERSION:
                raise XlingError(
                    f"{self.folder} was started with another manifest, other settings or another xling; "
                    "run with those again, or delete that folder to start over"
                )
            self.attempt = int(previous.get("attempt", 0))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock()
        if run_file.exists():
            entries = self.entries()
        self.attempt += 1
        atomic_write(run_file, json.dumps({"version": STORE_VERSION, "fingerprint": fingerprint, "attempt": self.attempt}).encode())
        self._end_journal_line()
        return entries

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
            raise XlingError(f"{self.folder} is in use by another xling batch run") from None
        self._lock_fd = fd

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _end_journal_line(self) -> None:
        """A run killed mid-line leaves a torn last line: end it, so the next entry starts on a line of its own."""
        journal = self.folder / JOURNAL
        if journal.exists() and journal.stat().st_size:
            with journal.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    with journal.open("ab") as out:
                        out.write(b"\n")

    def part(self, chunk: str, kind: str) -> Path:
        return self.folder / f"{chunk}.{kind}.parquet"

    def record(self, result: ChunkResult) -> None:
        """Write the chunk's parts, then journal it: a chunk counts as done only once its line is on disk."""
        if len(result.table):
            atomic_write(self.part(result.chunk_id, "rows"), _parquet_bytes(result.table))
        atomic_write(self.part(result.chunk_id, "summary"), _parquet_bytes(result.summary))
        line = json.dumps({"chunk": result.chunk_id, "window": result.window, "ok": list(result.ok), "failed": list(result.failed),
                           "digests": result.digests})  # fmt: skip
        with (self.folder / JOURNAL).open("ab") as handle:
            handle.write(line.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def entries(self) -> list[JournalEntry]:
        """The journal's complete entries, in the order they were written."""
        journal = self.folder / JOURNAL
        if not journal.exists():
            return []
        out = []
        for number, line in enumerate(journal.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                out.append(JournalEntry(chunk=item["chunk"], window=int(item["window"]), ok=tuple(item["ok"]), failed=tuple(item["failed"]),
                                        digests=dict(item.get("digests", {}))))  # fmt: skip
            except (ValueError, KeyError, TypeError):
                log.warning("%s: line %d is torn (the run was killed while writing it); its pairs will be redone", journal, number)
        return out

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def owners(entries: list[JournalEntry]) -> dict[str, str]:
    """The chunk whose result stands for each pair: the last that did it.

    A resumed run redoes only the pairs not aligned yet and those of a document
    that changed since, so the last result is the one a fresh run would give.
    """
    return {pair_id: entry.chunk for entry in entries for pair_id in (*entry.failed, *entry.ok)}


def iter_windows(store: RunStore, entries: list[JournalEntry], order: dict[str, int]) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Contract rows and summary rows of each window, in manifest order (``order``: pair id -> position).

    Rows of a part stand only for the pairs that part owns, so a chunk done twice
    (killed after writing, before journaling) never shows up twice.
    """
    owner = owners(entries)
    by_window: dict[int, list[JournalEntry]] = {}
    for entry in entries:
        by_window.setdefault(entry.window, []).append(entry)
    for window in sorted(by_window):
        tables, summaries = [], []
        for entry in by_window[window]:
            mine = {p for p in (*entry.ok, *entry.failed) if owner.get(p) == entry.chunk}
            if not mine:
                continue
            summary = pd.read_parquet(store.part(entry.chunk, "summary"))
            summaries.append(summary[summary.pair_id.isin(mine)])
            if any(p in mine for p in entry.ok):
                rows = pd.read_parquet(store.part(entry.chunk, "rows"))
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
