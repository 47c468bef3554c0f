"""The colours of the passage kinds, one place for every front end (dashboard, spreadsheet)."""
from __future__ import annotations

# One colour per kind of passage: (text and border, background).
PALETTE: dict[str, tuple[str, str]] = {
    "match": ("#1a7f37", "#d3f5dc"),
    "partial": ("#9a6700", "#fdefc3"),
    "unique": ("#3f6a93", "#e1eaf5"),
}


def kind(status: str) -> str:
    """The colour key of a table status: match, partial, or unique (unique_a, unique_b, closest)."""
    return status if status in ("match", "partial") else "unique"
