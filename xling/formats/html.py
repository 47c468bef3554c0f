"""Web pages: the article's main text and its metadata, extracted by trafilatura.

trafilatura (the extractor research and newsrooms use for news pages) finds the article and drops
navigation, related links, comments, cookie banners, share buttons and footers. xling renders the
text from trafilatura's tree itself, one paragraph per block: lxml decodes each entity once, where
trafilatura's own text output would decode it a second time (``&amp;lt;b&amp;gt;`` must read
``&lt;b&gt;``, not ``<b>``). Measured in ``benchmarks/boilerplate.py``.
"""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from ..errors import EmptyDocument, UnreadableFile
from . import Extracted, clean_metadata, without_bylines

if TYPE_CHECKING:
    from lxml.etree import _Element

NO_ARTICLE = "no article text found in this web page (only menus, links or boilerplate)"
# A table one of whose cells holds this share of its text (and at least LAYOUT_MIN_CHARS) lays out the page:
# old sites put navigation, a most-read list and the article side by side in one. Only that cell is the article.
LAYOUT_CELL_SHARE = 0.6
LAYOUT_MIN_CHARS = 400

# trafilatura's body tree: blocks that start a paragraph of their own, and those whose children are blocks.
BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "item", "table", "row", "code", "div", "graphic"})
LINE_BREAK_TAGS = frozenset({"lb"})
_SPACES = re.compile(r"[^\S\n]+")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")


def extract_article(markup: str, source: str) -> Extracted:
    """The main text of a web page (paragraphs separated by blank lines) and its metadata.

    Raises :class:`EmptyDocument` naming ``source`` when no article is found: an empty page,
    or one whose only text is its links (a home page, a menu).
    """
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(markup)
    if tree is None:
        raise UnreadableFile(source, "not a readable web page")
    found = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
        include_links=False, deduplicate=False,
    )  # fmt: skip
    paragraphs = render_paragraphs(found.body) if found is not None and found.body is not None else []
    if not paragraphs or _only_links(paragraphs, tree):
        raise EmptyDocument(source, NO_ARTICLE)
    title = once_decoded(found.title or "", tree)
    metadata = clean_metadata({
        "title": title, "site": found.sitename, "date": found.date, "author": found.author,
        "declared_lang": declared_language(tree),
    })  # fmt: skip
    paragraphs = without_bylines(paragraphs, metadata)
    if title and not any(" ".join(title.split()) in " ".join(p.split()) for p in paragraphs[:2]):
        paragraphs.insert(0, title)  # the headline is content; trafilatura keeps it only when it sits inside the article
    return Extracted(text="\n\n".join(paragraphs) + "\n", metadata=metadata)


def render_paragraphs(body: _Element) -> list[str]:
    """The text of trafilatura's body tree, one string per paragraph, list item, table row or heading."""
    out: list[str] = []
    for element in body:
        _collect(element, out)
    return [p for p in out if p]


def _collect(element: _Element, out: list[str]) -> None:
    if element.tag == "table":
        layout = _layout_cell(element)
        if layout is not None:
            _collect(layout, out)
            return
        for row in element.iter("row"):
            cells = [_inline(cell) for cell in row.iter("cell")]
            out.append(" | ".join(c for c in cells if c))
        return
    if any(child.tag in BLOCK_TAGS for child in element):
        if element.text and element.text.strip():
            out.append(_clean(element.text))
        for child in element:
            if child.tag in BLOCK_TAGS:
                _collect(child, out)
            else:
                out.append(_inline(child, tail=False))
            if child.tail and child.tail.strip():
                out.append(_clean(child.tail))
        return
    out.append(_inline(element, tail=False))


def _layout_cell(table: _Element) -> _Element | None:
    """The cell that holds the article when ``table`` lays out a page rather than holding data."""
    cells = list(table.iter("cell"))
    sizes = [len("".join(cell.itertext())) for cell in cells]
    if not cells or max(sizes) < LAYOUT_MIN_CHARS or max(sizes) < LAYOUT_CELL_SHARE * sum(sizes):
        return None
    cell = cells[sizes.index(max(sizes))]
    cell.tag = "div"  # read as a block of paragraphs, not as a row of cells
    return cell


def _inline(element: _Element, tail: bool = False) -> str:
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if node.tag in LINE_BREAK_TAGS:
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    if tail and element.tail:
        parts.append(element.tail)
    return _clean("".join(parts))


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _only_links(paragraphs: list[str], tree: _Element) -> bool:
    """Whether every paragraph found is the text of a link of the page: menus and teasers, not an article."""
    links = {" ".join("".join(a.itertext()).split()) for a in tree.iter("a")}
    return all(" ".join(line.split()) in links for p in paragraphs for line in p.split("\n"))


def once_decoded(title: str, tree: _Element) -> str:
    """trafilatura's title with entities decoded once: the page's own heading or og:title when that is what it came from.

    trafilatura unescapes metadata a second time ("AT&amp;amp;T" -> "AT&T"); the candidates read from
    the tree are decoded once by lxml.
    """
    candidates = ["".join(h.itertext()) for h in tree.iter("h1")]
    candidates += [m.get("content") or "" for m in tree.iter("meta") if (m.get("property") or m.get("name")) in ("og:title", "twitter:title")]
    candidates += ["".join(t.itertext()) for t in tree.iter("title")]
    for candidate in candidates:
        candidate = " ".join(candidate.split())
        if candidate and html.unescape(candidate) == title:
            return candidate
    return title


def declared_language(tree: _Element) -> str:
    """The language the page declares (``<html lang>``, a content-language meta, og:locale), as a lower-case code."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        found = _LANG.match((value or "").strip())
        if found:
            return found.group().lower()
    return ""
