"""Names, limits and text helpers every dashboard module uses: document letters, excerpts, HTML and Markdown escaping.
"""
from __future__ import annotations

import html
import re

from ..embed import DEFAULT_MODEL
from ..embed.protocol import MODEL_NOTES
from ..palette import PALETTE

KINDS = tuple(PALETTE)


LABELS = {"match": "shared", "partial": "partly shared", "unique": "only here"}


TABLE_STATUSES = ("match", "partial", "unique_a", "unique_b")


SORTS = ("document order", "score, high to low", "score, low to high", "status")


MAX_UPLOAD_MB = 5  # .streamlit/config.toml server.maxUploadSize says the same; the check here names the file


MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


MAX_DOCUMENTS = 8  # every pair is aligned: 8 documents are 28 pairs


MAX_HEATMAP_CELLS = 40_000  # a browser chart with more cells stalls; the page says why it is missing


TOOLTIP_CHARS = 220  # hover texts are cut here so a long paragraph does not hide the chart


EXCERPT_CHARS = 90


THRESHOLD_STEP = 0.001  # of the threshold sliders and the score filter (scores are shown to 3 decimals)
TOLERANCE = 1e-9


NEAR_GAP, SOMEWHAT_GAP = 0.01, 0.03  # margin score short of the link threshold: "nearly linked", "somewhat close"


def model_label(model: str, *, other: str = "other") -> str:
    """A model's name with what it is for: ``e5-small · multilingual, faster``; ``other`` names the free-text choice."""
    if model == other:
        return f"{other}: a sentence-transformers name or path"
    note = MODEL_NOTES.get(model)
    default = " (default)" if model == DEFAULT_MODEL else ""
    return f"{model} · {note}{default}" if note else model


def letter(index: int) -> str:
    """A, B, C...: short labels for documents whose names are long."""
    return chr(ord("A") + index) if index < 26 else f"D{index + 1}"


def display_name(prepared: object, index: int) -> str:
    """``A · title`` (or the outlet, or the file's name): how the page names a document."""
    document = getattr(prepared, "document", prepared)
    meta = getattr(document, "metadata", {}) or {}
    name = meta.get("title") or meta.get("site") or getattr(document, "name", "")
    return f"{letter(index)} · {excerpt(str(name), 70)}"


Mark = tuple[int, int, str]  # (start, end, label): a span to mark, e.g. a translation artifact or a discrepancy


def esc(text: object) -> str:
    """Text for the page's HTML; line breaks as ``&#10;``, so no blank line ends the HTML block and lets Markdown in."""
    return html.escape(str(text), quote=True).replace("\r", "").replace("\n", "&#10;")


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character: CommonMark lets each be escaped


def md(text: object) -> str:
    """A user string (a file name, a model name, an error naming them) for a Streamlit Markdown body or label,
    shown as typed: ``**x**`` stays stars, a link or an image stays text, a line break a space."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
