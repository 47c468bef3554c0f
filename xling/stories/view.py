"""What the dashboard shows of a ``xling stories`` output folder: pure functions, no Streamlit."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import XlingError
from .run import STORIES_NAME, SUMMARY_NAME

LABEL_CHARS = 80


@dataclass(frozen=True, kw_only=True)
class StoryFolder:
    """An OUT_DIR's stories (one row per document) and their summary (one row per story)."""

    path: Path
    documents: pd.DataFrame
    summary: pd.DataFrame

    def label(self, story_id: str) -> str:
        row = self.summary.loc[self.summary["story_id"] == story_id].iloc[0]
        headline = str(row["headline"])
        headline = headline if len(headline) <= LABEL_CHARS else headline[: LABEL_CHARS - 1] + "…"
        return f"{story_id} · {row['documents']} docs · {row['languages'] or '?'} · {headline}"

    def stories(self, min_documents: int = 1) -> list[str]:
        """Story ids with at least ``min_documents`` documents, the largest first (then in id order)."""
        rows = self.summary[self.summary["documents"] >= min_documents]
        return list(rows.sort_values(["documents", "story_id"], ascending=[False, True], kind="stable")["story_id"])

    def members(self, story_id: str) -> list[tuple[str, Path]]:
        """Each document of the story: its name and the file it was read from."""
        rows = self.documents[self.documents["story_id"] == story_id]
        return [(str(r.doc), Path(str(r.path))) for r in rows.itertuples(index=False)]

    def overview(self) -> pd.DataFrame:
        """The summary as a reader scans it: one row per story, the shared passages as plain text."""
        out = self.summary[["story_id", "documents", "languages", "outlets", "headline", "differing_links"]].copy()
        out["shared"] = [" | ".join(p["text"] for p in json.loads(v or "[]")) for v in self.summary["shared_passages"]]
        return out


def open_folder(path: str | Path) -> StoryFolder:
    """Read an OUT_DIR written by ``xling stories``; a missing or foreign folder raises :class:`XlingError`."""
    folder = Path(path).expanduser()
    for name in (STORIES_NAME, SUMMARY_NAME):
        if not (folder / name).is_file():
            raise XlingError(f"{folder}: no {name} here (is it a folder written by xling stories?)")
    try:
        documents = pd.read_csv(folder / STORIES_NAME, keep_default_na=False, dtype=str)
        summary = pd.read_csv(folder / SUMMARY_NAME, keep_default_na=False, dtype={"story_id": str})
    except (OSError, ValueError) as exc:
        raise XlingError(f"{folder}: cannot read the stories ({exc})") from None
    if not {"story_id", "doc", "path"} <= set(documents.columns):
        raise XlingError(f"{folder / STORIES_NAME}: needs the columns story_id, doc, path")
    return StoryFolder(path=folder, documents=documents, summary=summary)
