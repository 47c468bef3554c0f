"""What the page receives and hands out: uploads, fetched pages, pasted text, the downloads, the sliders' settings.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import InputError, UnreadableFile
from ..export import to_bytes
from ..io import distinct_names, document_from_bytes, document_from_text
from ..types import Document, Settings
from .common import MAX_UPLOAD_BYTES, TOLERANCE


@dataclass(frozen=True)
class Upload:
    """One uploaded file (bytes), pasted text (str) or fetched page, as the page received it, and the name given to it.

    ``suffix`` says what the bytes are when ``filename`` does not (a web address); ``error`` is why a page could not be fetched.
    """

    filename: str
    data: bytes | str
    name: str = ""
    suffix: str = ""
    error: InputError | None = None


def fetch_upload(url: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Upload:
    """The page at ``url`` as an :class:`Upload` (the error it gave, if any, travels with it)."""
    from ..formats.url import fetch, is_url

    if not is_url(url):
        return Upload(url, b"", error=UnreadableFile(url, "not a web address (it must start with http:// or https://)"))
    try:
        page = fetch(url, max_bytes=max_bytes)
    except InputError as exc:
        return Upload(url, b"", error=exc)
    return Upload(page.url, page.data, page.name, suffix=page.suffix)


def download_bytes(rows: pd.DataFrame, fmt: str, table: pd.DataFrame) -> bytes:
    """The download of ``rows`` in ``fmt``; a workbook's coverage sheet is of the whole ``table``, a TMX holds the shown links."""
    if fmt == "xlsx":
        return to_bytes(rows, "xlsx", coverage_from=table)
    if fmt == "tmx":
        return to_bytes(rows, "tmx", statuses="match+partial")
    return to_bytes(rows, fmt)  # type: ignore[arg-type]


def load_inputs(items: Sequence[Upload], max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[list[Document], list[InputError]]:
    """Documents from uploads or pasted texts, and one error per item that cannot be used.

    A bad item never stops the good ones: the page names each error and compares the rest.
    Names are made unique (``name (2)``) because pairs and carriers are keyed by name.
    """
    documents: list[Document] = []
    errors: list[InputError] = []
    for item in items:
        if item.error is not None:
            errors.append(item.error)
            continue
        name = item.name.strip() or Path(item.filename).stem or item.filename
        size = len(item.data.encode("utf-8")) if isinstance(item.data, str) else len(item.data)
        if size > max_bytes:
            errors.append(UnreadableFile(item.filename, f"{size / 2**20:.1f} MB, over the upload limit of {max_bytes / 2**20:.0f} MB"))
            continue
        try:
            if isinstance(item.data, str):
                documents.append(document_from_text(item.data, name=name, source=item.filename))
            else:
                documents.append(document_from_bytes(item.data, name=name, source=item.filename, max_bytes=max_bytes,
                                                     suffix=item.suffix or None))
        except InputError as exc:
            errors.append(exc)
    return distinct_names(documents), errors


def too_few(documents: Sequence[Document]) -> str | None:
    """The message to show when fewer than two documents are usable, else None."""
    if len(documents) >= 2:
        return None
    got = f"only {documents[0].name!r} is usable" if documents else "none is usable yet"
    return f"xling compares two or more documents; {got}."


def settings_for(base: Settings, threshold: float, match_threshold: float, calibrated: Sequence[float]) -> Settings:
    """``base`` with the sidebar's thresholds; a slider left on its calibrated value stays ``None``.

    ``None`` lets every pair keep the thresholds calibrated for its own profile, and keeps the
    page's table equal to the CLI's (which passes no threshold), byte for byte.
    """

    def chosen(value: float, default: float) -> float | None:
        return None if math.isclose(value, default, abs_tol=TOLERANCE) else float(value)

    return replace(base, threshold=chosen(threshold, calibrated[0]), match_threshold=chosen(match_threshold, calibrated[1]))
