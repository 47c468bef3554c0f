"""Readers for what people really keep their articles in: web pages, PDFs and Word files.

Each reader turns bytes or markup into :class:`Extracted`: the plain text every offset will point
into, and what the file says about itself (title, date, author, site, declared language).
``xling.io`` builds the :class:`~xling.types.Document` from it; nothing here reads a file or the
network (``xling.io.read_document`` and ``xling.formats.url`` do), so the limits on what is read
apply to every format alike. The heavy libraries are imported only when a reader runs.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["pdf", "docx"]
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc), old Excel and PowerPoint
DOCX_PART = "word/document.xml"
MAX_METADATA_CHARS = 300  # a title or author name is a line, not a page
# A byline or dateline repeated as a paragraph ("di Mario Rossi - 9 febbraio 2019, 09:31") is dropped when it
# is among the first paragraphs, short, and made only of the page's metadata, dates and such words.
BYLINE_WITHIN = 4
BYLINE_MAX_WORDS = 16
BYLINE_WORDS = frozenset("""
    by di da del della por de y e and et von van le la il el updated published aggiornato pubblicato actualizado
    publicado modificado ore h am pm cet cest gmt utc edt est bst
    january february march april may june july august september october november december
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
    jan feb mar apr jun jul aug sep sept oct nov dec gen giu lug ago set ott dic ene abr
    monday tuesday wednesday thursday friday saturday sunday lunedì martedì mercoledì giovedì venerdì sabato domenica
    lunes martes miércoles jueves viernes sábado domingo
""".split())  # a word list reads better as text
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, kw_only=True)
class Extracted:
    """The text a reader found, what the file says about itself, and anything the user should know."""

    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def binary_kind(data: bytes, source: str) -> Kind | None:
    """``"pdf"`` or ``"docx"`` when the bytes are one (judged by content, whatever the name), else None.

    A PDF named ``.txt`` is still a PDF; a zip that is not a Word document stays "binary" for ``xling.io``.
    """
    if data.startswith(PDF_SIGNATURE):
        return "pdf"
    if data.startswith(ZIP_SIGNATURE) and _zip_has(data, DOCX_PART):
        return "docx"
    if data.startswith(OLE_SIGNATURE) and source.lower().endswith(".doc"):
        from ..errors import UnreadableFile

        raise UnreadableFile(source, "a Word 97-2003 .doc file: save it as .docx (or PDF) and try again")
    return None


def extract_binary(data: bytes, kind: Kind, source: str) -> Extracted:
    """Run the reader for ``kind`` on the file's bytes."""
    if kind == "pdf":
        from .pdf import extract_pdf

        return extract_pdf(data, source)
    from .docx import extract_docx

    return extract_docx(data, source)


def clean_metadata(values: dict[str, object]) -> dict[str, str]:
    """Metadata as one-line strings, empty values dropped, each cut at :data:`MAX_METADATA_CHARS`."""
    out = {}
    for key, value in values.items():
        text = " ".join(str(value).split()) if value is not None else ""
        if text:
            out[key] = text[:MAX_METADATA_CHARS]
    return out


def _zip_has(data: bytes, name: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return name in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def without_bylines(paragraphs: list[str], metadata: dict[str, str]) -> list[str]:
    """``paragraphs`` without a byline or dateline repeated as content near the top."""
    known = BYLINE_WORDS | {w.lower() for key in ("author", "site") for w in _WORD.findall(metadata.get(key, ""))}

    def is_byline(paragraph: str) -> bool:
        words = _WORD.findall(paragraph.lower())
        if len(paragraph.split()) > BYLINE_MAX_WORDS or not any(c.isdigit() for c in paragraph) and not words:
            return False
        return all(w in known for w in words) and (bool(words) or len(paragraph) < 40)

    return [p for k, p in enumerate(paragraphs) if k >= BYLINE_WITHIN or not is_byline(p)]
