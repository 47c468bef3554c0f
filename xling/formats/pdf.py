"""PDF: the text layer, laid out again as paragraphs (pypdf).

pypdf reads each page with its layout kept (``extraction_mode="layout"``: lines in reading order,
blank lines where the page has vertical space). From that, :func:`clean_pages`:

- drops running headers and footers (a first or last line of a page that recurs, digits aside, on
  at least half of the pages) and page numbers (``3``, ``- 3 -``, ``Page 3 of 9``, ``Pagina 3``...);
- finds paragraphs: more vertical space than between the lines of a paragraph, or a line that ends
  a sentence well short of the measure; a paragraph going on over a page break is joined;
- joins a word hyphenated at a line end (``preside-`` / ``ncial`` -> ``presidencial``; ``anti-`` /
  ``Trump`` keeps its hyphen) and the lines of a paragraph with spaces.

A PDF with pages but no text (a scan) raises a clear error: xling does no OCR. Why pypdf rather
than pdfplumber: see ``benchmarks/pdf_readers.py`` (same text after cleaning on the fixtures, pure
Python with no compiled dependencies, several times faster per page).
"""
from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Sequence

from ..errors import EmptyDocument, UnreadableFile
from . import Extracted, clean_metadata, without_bylines

log = logging.getLogger(__name__)

MAX_PAGES = 2_000  # a news article is a few pages; a book-length PDF is refused before it is read
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be a running header or footer
RUNNING_SHARE = 0.5  # a header or footer recurs on at least this share of the pages (and on two of them)
SHORT_LINE = 0.8  # a line ending a sentence shorter than this share of the usual line ends its paragraph
MIN_TEXT_CHARS_PER_PAGE = 20  # fewer characters than this on every page: no text layer (a scan)
PAGE_NUMBER = re.compile(
    r"^[\s\-–—|·•]*(?:(?:page|pag|pág|pagina|página|p|s|seite)\.?\s*)?\d{1,4}(?:\s*(?:/|of|de|di|von|sur)\s*\d{1,4})?[\s\-–—|·•]*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”»’)]$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")
_SPACES = re.compile(r"[^\S\n]+")
_DIGITS = re.compile(r"\d+")


def extract_pdf(data: bytes, source: str) -> Extracted:
    """The text of a PDF's text layer as paragraphs, with its title, author, date and language if it declares them."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(source, "the PDF is password-protected: save an unprotected copy and try again")
        if len(reader.pages) > MAX_PAGES:
            raise UnreadableFile(source, f"the PDF has {len(reader.pages):,} pages, over the limit of {MAX_PAGES:,}")
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
        info = reader.metadata or {}
        metadata = clean_metadata({
            "title": info.get("/Title"), "author": info.get("/Author"), "date": _pdf_date(info.get("/CreationDate")),
            "declared_lang": _declared_lang(reader),
        })  # fmt: skip
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise UnreadableFile(source, f"not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})") from None
    if not pages:
        raise EmptyDocument(source, "the PDF has no pages")
    if all(len("".join(p.split())) < MIN_TEXT_CHARS_PER_PAGE for p in pages):
        raise EmptyDocument(source, f"a scanned PDF with no text layer ({len(pages)} page(s) of images); "
                            "xling does no OCR: run OCR first (e.g. ocrmypdf) and try again")  # fmt: skip
    paragraphs = without_bylines(clean_pages(pages), metadata)
    if not paragraphs:
        raise EmptyDocument(source, "the PDF holds only page numbers, headers or footers")
    return Extracted(text="\n\n".join(paragraphs) + "\n", metadata=metadata)


def clean_pages(pages: Sequence[str]) -> list[str]:
    """Paragraphs of a document from its pages' layout text (see the module docstring)."""
    lines_per_page = [_page_lines(page) for page in pages]
    running = _running_lines(lines_per_page)
    kept: list[list[tuple[str, int]]] = []
    for lines in lines_per_page:
        text_lines = [k for k, (text, _) in enumerate(lines)]
        edges = set(text_lines[:EDGE_LINES] + text_lines[-EDGE_LINES:])
        kept.append([(text, gap) for k, (text, gap) in enumerate(lines)
                     if not (k in edges and (_shape(text) in running or PAGE_NUMBER.match(text)))])  # fmt: skip
    return _paragraphs(kept)


def _page_lines(page: str) -> list[tuple[str, int]]:
    """The page's lines with whitespace collapsed, each with the number of blank lines above it."""
    out: list[tuple[str, int]] = []
    blanks = 0
    for raw in page.split("\n"):
        text = _SPACES.sub(" ", raw).strip()
        if not text:
            blanks += 1
            continue
        out.append((text, blanks if out else 0))
        blanks = 0
    return out


def _shape(line: str) -> str:
    return _DIGITS.sub("#", line.lower())


def _running_lines(pages: Sequence[Sequence[tuple[str, int]]]) -> set[str]:
    """Shapes of lines found at a page edge on at least :data:`RUNNING_SHARE` of the pages (and two of them)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        texts = [text for text, _ in lines]
        counts.update({_shape(t) for t in texts[:EDGE_LINES] + texts[-EDGE_LINES:]})
    need = max(2, RUNNING_SHARE * len(pages))
    return {shape for shape, n in counts.items() if n >= need}


def _paragraphs(pages: Sequence[Sequence[tuple[str, int]]]) -> list[str]:
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    gaps = Counter(gap for page in pages for _, gap in page[1:])
    usual_gap = gaps.most_common(1)[0][0] if gaps else 0
    measure = statistics.median(len(text) for text, _ in lines)
    paragraphs: list[list[str]] = []
    previous = ""
    for number, page in enumerate(pages):
        for k, (text, gap) in enumerate(page):
            new_page = k == 0 and number > 0
            starts = not paragraphs or (not new_page and gap > usual_gap) or _ends_paragraph(previous, text, measure, new_page)
            if starts:
                paragraphs.append([text])
            else:
                paragraphs[-1].append(text)
            previous = text
    return [_join(p) for p in paragraphs]


def _ends_paragraph(previous: str, text: str, measure: float, new_page: bool) -> bool:
    """Whether ``previous`` closes its paragraph although no extra space follows it."""
    if not _SENTENCE_END.search(previous) or not text[:1].isupper() and not text[:1] in "\"“«¿¡-–—":
        return False
    return new_page or len(previous) < SHORT_LINE * measure


def _join(lines: Sequence[str]) -> str:
    """One paragraph from its lines: hyphenated words joined, the rest with spaces."""
    out = lines[0]
    for line in lines[1:]:
        if out.endswith("\u00ad") or _HYPHENATED.search(out) and line[:1].islower():
            out = out[:-1] + line
        elif _HYPHENATED.search(out):
            out += line  # "anti-" / "Trump": a hyphen of the word itself
        else:
            out += " " + line
    return out.replace("\u00ad", "")


def _pdf_date(value: object) -> str:
    """``D:20181001093000Z`` -> ``2018-10-01``."""
    found = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", str(value or ""))
    if not found:
        return ""
    return "-".join(part for part in found.groups() if part)


def _declared_lang(reader) -> str:
    try:
        lang = reader.trailer["/Root"].get("/Lang")
    except (KeyError, AttributeError, TypeError):
        return ""
    found = re.match(r"[A-Za-z]{2,3}(?=$|[-_])", str(lang or ""))
    return found.group().lower() if found else ""
