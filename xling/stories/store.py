"""The work folder of a stories run (``OUT_DIR/.stories-work/``): finished steps as Parquet parts and a journal.

A part is written atomically, then named in ``journal.jsonl`` (flushed and
fsynced); only journaled parts count. A run killed at any moment loses the
chunks in flight; ``--resume`` reads what is done and does the rest. One run
holds the folder at a time (an advisory lock), and a folder started with other
inputs or settings is refused.
"""
from __future__ import annotations

import io
import json
import logging
import os
import shutil
from pathlib import Path

import pandas as pd

from ..errors import XlingError
from ..export import atomic_write

log = logging.getLogger(__name__)

WORK_FOLDER = ".stories-work"
JOURNAL = "journal.jsonl"
RUN_FILE = "run.json"
LOCK_FILE = ".lock"
STORE_VERSION = 1


class WorkStore:
    """Parts of each step (``embed``, ``verify``) of one OUT_DIR's run."""

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir / WORK_FOLDER
        self.attempt = 0
        self._lock_fd: int | None = None

    def open(self, fingerprint: str, *, resume: bool) -> None:
        run_file = self.folder / RUN_FILE
        if self.folder.exists() and not resume:
            raise XlingError(f"{self.folder} holds an unfinished run: finish it with --resume, or delete that folder to start over")
        if run_file.exists():
            try:
                previous = json.loads(run_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise XlingError(f"{run_file}: unreadable ({exc}); delete {self.folder} to start over") from None
            if previous.get("fingerprint") != fingerprint or previous.get("version") != STORE_VERSION:
                raise XlingError(f"{self.folder} was started with other inputs, other settings or another xling; "
                                 "run with those again, or delete that folder to start over")  # fmt: skip
            self.attempt = int(previous.get("attempt", 0))
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock()
        self.attempt += 1
        atomic_write(run_file, json.dumps({"version": STORE_VERSION, "fingerprint": fingerprint, "attempt": self.attempt}).encode())
        self._end_journal_line()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no advisory locks
            return
        fd = os.open(self.folder / LOCK_FILE, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise XlingError(f"{self.folder} is in use by another xling stories run") from None
        self._lock_fd = fd

    def _end_journal_line(self) -> None:
        journal = self.folder / JOURNAL
        if journal.exists() and journal.stat().st_size:
            with journal.open("rb") as handle:
                handle.seek(-1, os.SEEK_END)
                torn = handle.read(1) != b"\n"
            if torn:
                with journal.open("ab") as out:
                    out.write(b"\n")

    def record(self, step: str, chunk_id: str, frame: pd.DataFrame) -> None:
        """Write one finished chunk of ``step``; it counts once its journal line is on disk."""
        name = f"{step}-{chunk_id}.parquet"
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        atomic_write(self.folder / name, buffer.getvalue())
        with (self.folder / JOURNAL).open("ab") as handle:
            handle.write(json.dumps({"step": step, "part": name}).encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def parts(self, step: str) -> list[Path]:
        """The journaled parts of ``step``, in the order they were written (a torn line is skipped)."""
        journal = self.folder / JOURNAL
        if not journal.exists():
            return []
        out = []
        for number, line in enumerate(journal.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if item["step"] == step:
                    out.append(self.folder / item["part"])
            except (ValueError, KeyError, TypeError):
                log.warning("%s: line %d is torn (the run was killed while writing it); its chunk will be redone", journal, number)
        return out

    def read(self, step: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        """Every journaled part of ``step`` as one frame, or None when there is none."""
        frames = [pd.read_parquet(p, columns=columns) for p in self.parts(step)]
        return pd.concat(frames, ignore_index=True) if frames else None

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
