"""Two text helpers every layer uses: accent folding (comparisons across languages) and excerpts (messages, views)."""
from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped): names and words compare across languages."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def excerpt(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space made one space), cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS
