"""The work folder of a stories run (``OUT_DIR/.stories-work/``): finished steps as Parquet parts and a journal.

A part is written atomically, then named in ``journal.jsonl`` (flushed and
fsynced); only journaled parts count. A run killed at any moment loses the
chunks in flight; ``--resume`` reads what is done and does the rest. One run
holds the folder at a time (an advisory lock), and a folder started with other
inputs or settings is refused.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..export import atomic_write, parquet_bytes
from ..batch.runstore import WorkFolder

WORK_FOLDER = ".stories-work"
STORE_VERSION = 2  # 2: verification records the share matched in order


class WorkStore(WorkFolder):
    """Parts of each step (``embed``, ``verify``) of one OUT_DIR's run."""

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir / WORK_FOLDER, kind="stories", version=STORE_VERSION, started_with="other inputs")

    def open(self, fingerprint: str, *, resume: bool) -> None:
        self.open_run(fingerprint, resume=resume)

    def record(self, step: str, chunk_id: str, frame: pd.DataFrame) -> None:
        """Write one finished chunk of ``step``; it counts once its journal line is on disk."""
        name = f"{step}-{chunk_id}.parquet"
        atomic_write(self.folder / name, parquet_bytes(frame))
        self.append({"step": step, "part": name})

    def parts(self, step: str) -> list[Path]:
        """The journaled parts of ``step``, in the order they were written (a torn line is skipped)."""
        return self.items(lambda item: self.folder / item["part"] if item["step"] == step else None, "chunk")

    def read(self, step: str, columns: list[str] | None = None) -> pd.DataFrame | None:
        """Every journaled part of ``step`` as one frame, or None when there is none."""
        frames = [pd.read_parquet(p, columns=columns) for p in self.parts(step)]
        return pd.concat(frames, ignore_index=True) if frames else None
