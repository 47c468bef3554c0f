"""Word (.docx): the body's paragraphs and tables in reading order (python-docx).

Headers, footers and their page numbers live outside the body in a .docx, so they never reach the
text. Each paragraph is one paragraph of the text; a word broken by hand at a line end
(``Massa-`` + line break + ``chusetts``) is joined, soft hyphens are dropped, and a table row
becomes one line, its cells separated by `` | ``. The title, author, creation date and language of
the file's properties go into the metadata.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import EmptyDocument, UnreadableFile
from . import Extracted, clean_metadata

MAX_PARAGRAPHS = 200_000  # a news article has dozens; refuse a pathological file before joining it
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_])")
_LINE_BREAK = re.compile(r"[^\S\n]*\n[^\S\n]*")
_SPACES = re.compile(r"[^\S\n]+")


def extract_docx(data: bytes, source: str) -> Extracted:
    """The text of a .docx body and its core properties."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_blocks(document))
        props = document.core_properties
        metadata = clean_metadata({
            "title": props.title, "author": props.author, "date": props.created.date().isoformat() if props.created else "",
            "declared_lang": (props.language or "").split("-")[0].lower(),
        })  # fmt: skip
    except UnreadableFile:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableFile(source, f"not a readable Word document ({type(exc).__name__}: {str(exc)[:120]})") from None
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise EmptyDocument(source, "the Word document has no text in its body")
    return Extracted(text="\n\n".join(paragraphs) + "\n", metadata=metadata)


def _blocks(document):
    """Paragraph texts and table rows, in the order the body holds them."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for count, element in enumerate(document.element.body.iterchildren()):
        if count > MAX_PARAGRAPHS:
            raise UnreadableFile("", f"over {MAX_PARAGRAPHS:,} paragraphs")
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield clean_paragraph(Paragraph(element, document).text)
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells = []
                for cell in row.cells:
                    text = " ".join(clean_paragraph(p.text) for p in cell.paragraphs if p.text.strip())
                    if text and (not cells or cells[-1] != text):  # a merged cell repeats in every column it spans
                        cells.append(text)
                yield " | ".join(cells)


def clean_paragraph(text: str) -> str:
    """One paragraph: soft hyphens out, a hand-broken hyphenated word joined, spaces collapsed, line breaks kept."""
    text = text.replace("\u00ad", "").replace("\t", " ")
    text = _HYPHEN_BREAK.sub("", _LINE_BREAK.sub("\n", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
