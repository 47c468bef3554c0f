"""One row per story, computed from the alignment table as it is written (a story's pairs are contiguous).

For each story: its documents, languages and outlets, the passages most of its
documents carry, each document's share of content found in no other document of
the story, and how many linked passages disagree on a fact.
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..batch.chunks import SHARE_DECIMALS
from ..text import excerpt

SUMMARY_COLUMNS = ("story_id", "documents", "languages", "outlets", "headline", "pairs", "shared_passages", "unique_shares",
                   "differing_links")  # fmt: skip
SHARED_PASSAGES = 3  # passages listed per story
EXCERPT_CHARS = 200
LINKED = ("match", "partial")


@dataclass(frozen=True, kw_only=True)
class StoryDoc:
    doc: str
    lang: str
    site: str
    title: str
    headline: str = ""  # the document's first passage


class StorySummaries:
    """Fed the alignment table window by window (pairs in story order); holds one story at a time."""

    def __init__(self, stories: dict[str, Sequence[StoryDoc]], story_of_pair: dict[str, str]) -> None:
        self.stories = stories
        self.story_of_pair = story_of_pair
        self.rows: dict[str, dict[str, object]] = {}
        self._story: str | None = None
        self._parts: list[pd.DataFrame] = []

    def add(self, table: pd.DataFrame) -> pd.DataFrame:
        """Take a window of the contract table; return it with its ``story_id`` column."""
        table = table.copy()
        table["story_id"] = table["pair_id"].map(self.story_of_pair).astype("string")
        window = table[list(_NEEDED)].astype({c: "float64" for c in _NUMBERS})  # NaN where a side has no segment
        for story, part in window.groupby(table["story_id"], sort=False):  # stories in table order
            if self._story is not None and story != self._story:
                self._close()
            self._story = story
            self._parts.append(part)
        return table

    def _close(self) -> None:
        if self._story is not None:
            rows = pd.concat(self._parts, ignore_index=True) if self._parts else _empty()
            self.rows[self._story] = story_row(self._story, self.stories[self._story], rows)
        self._story, self._parts = None, []

    def frame(self) -> pd.DataFrame:
        """Every story's row, singletons included, in story order."""
        self._close()
        out = [self.rows.get(s) or story_row(s, docs, _empty()) for s, docs in self.stories.items()]
        df = pd.DataFrame(out, columns=list(SUMMARY_COLUMNS))
        return df.astype({"documents": "int64", "pairs": "int64", "differing_links": "int64"})


_NUMBERS = ("a_index", "b_index", "a_start", "a_end", "b_start", "b_end")
_NEEDED = ("pair_id", "doc_a", "doc_b", "a_index", "b_index", "a_start", "a_end", "b_start", "b_end", "a_text", "b_text",
           "status", "discrepancies")  # fmt: skip


@functools.cache
def _empty() -> pd.DataFrame:
    """No rows (a story of one document); read only, so one frame serves every call."""
    return pd.DataFrame(columns=list(_NEEDED)).astype({c: "float64" for c in _NUMBERS})


def story_row(story: str, docs: Sequence[StoryDoc], rows: pd.DataFrame) -> dict[str, object]:
    order = {d.doc: k for k, d in enumerate(docs)}
    segments, links = _segments_and_links(rows)
    linked = rows["status"].isin(LINKED)
    total: dict[str, int] = {}
    alone: dict[str, int] = {}
    for (doc, idx), (length, _) in segments.items():
        total[doc] = total.get(doc, 0) + length
        if not links.get((doc, idx)):
            alone[doc] = alone.get(doc, 0) + length
    # a document of no pair (a story of one) is all its own
    unique = {d.doc: round(alone.get(d.doc, 0) / total[d.doc], SHARE_DECIMALS) if total.get(d.doc) else 1.0 for d in docs}
    headline = next((d.title for d in docs if d.title), docs[0].headline if docs else "")
    return {
        "story_id": story, "documents": len(docs),
        "languages": ",".join(sorted({d.lang for d in docs if d.lang})),
        "outlets": ",".join(sorted({d.site for d in docs if d.site})),
        "headline": excerpt(headline, EXCERPT_CHARS), "pairs": rows["pair_id"].nunique(),
        "shared_passages": json.dumps(_shared(segments, links, order), ensure_ascii=False, separators=(",", ":")),
        "unique_shares": json.dumps(unique, ensure_ascii=False, separators=(",", ":")),
        "differing_links": int((linked & (rows["discrepancies"].fillna("") != "")).sum()),
    }  # fmt: skip


def _segments_and_links(rows: pd.DataFrame):
    """Every segment seen in the story's pairs ``(doc, index) -> (length, text)``, and each one's linked counterparts."""
    segments: dict[tuple[str, int], tuple[int, str]] = {}
    links: dict[tuple[str, int], set[tuple[str, int]]] = {}
    columns = [rows[c].tolist() for c in ("doc_a", "doc_b", "a_text", "b_text", "status", *_NUMBERS)]
    for doc_a, doc_b, text_a, text_b, status, ai, bi, a0, a1, b0, b1 in zip(*columns):
        a = None if math.isnan(ai) else (doc_a, int(ai))  # NaN: no segment on that side
        b = None if math.isnan(bi) else (doc_b, int(bi))
        if a is not None:
            segments[a] = (int(a1) - int(a0), str(text_a))
        if b is not None:
            segments[b] = (int(b1) - int(b0), str(text_b))
        if a is not None and b is not None and status in LINKED:
            links.setdefault(a, set()).add(b)
            links.setdefault(b, set()).add(a)
    return segments, links


def _shared(segments, links, order: dict[str, int]) -> list[dict[str, object]]:
    """The passages carried by the most documents, each content listed once (a chosen passage's counterparts are skipped)."""
    def carriers(key) -> int:
        return 1 + len({doc for doc, _ in links.get(key, ())})

    ranked = sorted((k for k in links), key=lambda k: (-carriers(k), order.get(k[0], len(order)), k[1]))
    chosen, covered = [], set()
    for key in ranked:
        if key in covered:
            continue
        chosen.append({"doc": key[0], "index": key[1], "documents": carriers(key), "text": excerpt(segments[key][1], EXCERPT_CHARS)})
        covered |= {key, *links[key]}
        if len(chosen) == SHARED_PASSAGES:
            break
    return chosen
