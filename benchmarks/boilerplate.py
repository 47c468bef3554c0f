"""How much of a saved news page's boilerplate reaches the segments, and how much of the article is lost.

    python -m benchmarks.boilerplate [--docs N] [--langs it,es,en]

Every NTREX-128 article (123 documents, Italian, Spanish and English references) is put into each
of the five site layouts of ``benchmarks/news_pages.py`` (nav, header, cookie banner, breadcrumbs,
byline, share buttons, captioned photos, related and most-read lists with other articles' headlines,
inline "read also" boxes and ads among the paragraphs, tags, newsletter, comments, author box,
footer; seeded). Each page is read as xling reads a ``.html`` file today (trafilatura) and with the
hand-written tag stripper xling used before (kept below, unchanged, for the comparison); the text
is segmented as ``xling align`` segments it. Measured per page and summed:

- **boilerplate leaked**: of the page's visible characters that are not the article (whitespace
  not counted), the share that ends up inside segments;
- **segment characters that are boilerplate**: the same characters as a share of all segment text;
- **article sentences lost**: headline and sentences not found whole in the extracted text.

Targets: at most 1% leaked, at most 1% lost.
"""
from __future__ import annotations

import argparse
import html
import random
import re
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser

from lxml import html as lxml_html

from xling.errors import InputError
from xling.io import document_from_bytes
from xling.segment import segment_spans

from .comparable import documents, load_lines
from .news_pages import TEMPLATES, Article, paragraphs_of, render

LANG_FILES = {"it": "ita", "es": "spa", "en": "eng"}
SEED = 16
TARGET = 0.01
_WS = re.compile(r"\s+")


# ---------------------------------------------------------------- the parser xling used before (frozen copy)


class _TextExtractor(HTMLParser):
    SKIP = frozenset({"script", "style", "head", "noscript", "template"})
    BLOCK = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "article", "section", "blockquote", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, _attrs: object) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def tag_stripper(markup: str) -> str:
    """xling's HTML reader before trafilatura: every text node but scripts and styles."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def trafilatura_reader(markup: str) -> str:
    """What ``xling.read_document`` gives for a ``.html`` file now."""
    return document_from_bytes(markup.encode("utf-8"), name="page", source="page.html").text


EXTRACTORS = {"trafilatura (xling now)": trafilatura_reader, "tag stripper (xling before)": tag_stripper}


# ---------------------------------------------------------------- measuring


@dataclass
class Tally:
    pages: int = 0
    failed: int = 0
    boilerplate_chars: int = 0
    leaked_chars: int = 0
    segment_chars: int = 0
    sentences: int = 0
    lost: int = 0
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def leak_share(self) -> float:
        return self.leaked_chars / self.boilerplate_chars if self.boilerplate_chars else 0.0

    @property
    def segment_share(self) -> float:
        return self.leaked_chars / self.segment_chars if self.segment_chars else 0.0

    @property
    def lost_share(self) -> float:
        return self.lost / self.sentences if self.sentences else 0.0


def _nonspace(text: str) -> int:
    return len(text) - sum(1 for c in text if c.isspace())


def visible_text(markup: str) -> str:
    """What a reader sees on the page: the body's text without scripts, styles and attributes."""
    tree = lxml_html.fromstring(markup)
    for bad in tree.xpath("//script|//style|//head|//noscript|//template"):
        bad.drop_tree()
    return tree.text_content()


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` with whitespace runs as one space, and for each kept character its offset in ``text``."""
    out, where = [], []
    for found in re.finditer(r"\S+|\s+", text):
        if found.group().isspace():
            out.append(" ")
            where.append(found.start())
        else:
            out.append(found.group())
            where.extend(range(found.start(), found.end()))
    return "".join(out), where


def measure(markup: str, article: Article, text: str, seconds: float) -> Tally:
    sentences = [article.headline, *(s for para in article.paragraphs for s in para)]
    article_chars = sum(_nonspace(s) for s in sentences)
    tally = Tally(pages=1, sentences=len(sentences), seconds=seconds)
    tally.boilerplate_chars = max(0, _nonspace(visible_text(markup)) - article_chars)
    flat, where = _normalised(text)
    is_article = bytearray(len(text))
    cursor = 0
    for sentence in sentences:
        needle = " ".join(sentence.split())
        at = flat.find(needle, cursor)
        if at < 0:
            at = flat.find(needle)
        if at < 0:
            tally.lost += 1
            continue
        cursor = at + len(needle)
        for k in range(at, at + len(needle)):
            is_article[where[k]] = 1
    for start, end, _ in segment_spans(text):
        for k in range(start, end):
            if not text[k].isspace():
                tally.segment_chars += 1
                tally.leaked_chars += not is_article[k]
    return tally


def articles(langs: list[str], limit: int | None) -> list[tuple[str, Article, list[str]]]:
    """(document id, article, other articles' headlines) per language, paragraphs drawn with a seeded generator."""
    ids = sorted(documents())[:limit]
    out = []
    for lang in langs:
        lines = load_lines(LANG_FILES[lang])
        headlines = [lines[documents()[d][0]] for d in sorted(documents())]
        for doc_id in ids:
            numbers = documents()[doc_id]
            rng = random.Random(zlib.crc32(f"{SEED}:{lang}:{doc_id}".encode()))
            article = Article(lines[numbers[0]], paragraphs_of([lines[n] for n in numbers[1:]], rng), lang)
            out.append((doc_id, article, [h for h in headlines if h != article.headline]))
    return out


def run(langs: list[str], limit: int | None) -> dict[tuple[str, str], Tally]:
    """Tallies per (extractor, template), plus (extractor, "all")."""
    totals: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for doc_id, article, others in articles(langs, limit):
        for template in TEMPLATES:
            page = render(article, others, template, seed=zlib.crc32(f"{SEED}:{template}:{article.lang}:{doc_id}".encode()))
            for name, extract in EXTRACTORS.items():
                started = time.perf_counter()
                try:
                    text = extract(page.markup)
                except InputError:
                    text = ""
                tally = measure(page.markup, article, text, time.perf_counter() - started)
                tally.failed = int(not text)
                totals[(name, template)].add(tally)
                totals[(name, "all")].add(tally)
    return totals


def table(totals: dict[tuple[str, str], Tally]) -> str:
    lines = ["| reader | layout | pages | boilerplate leaked | segment text that is boilerplate | article sentences lost | ms/page |",
             "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for (name, template), t in totals.items():
        if template == "all":
            continue
        lines.append(f"| {name} | {template} | {t.pages} | {t.leak_share:.2%} | {t.segment_share:.2%} | {t.lost_share:.2%} | {t.seconds / t.pages * 1000:.1f} |")
    for name in EXTRACTORS:
        t = totals[(name, "all")]
        lines.append(f"| **{name}** | **all** | {t.pages} | **{t.leak_share:.2%}** | {t.segment_share:.2%} | **{t.lost_share:.2%}** | "
                     f"{t.seconds / t.pages * 1000:.1f} |")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, help="only the first N NTREX documents (default: all 123)")
    parser.add_argument("--langs", default="it,es,en", help="languages, comma-separated (default it,es,en)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    totals = run(args.langs.split(","), args.docs)
    print(f"Boilerplate in saved news pages: NTREX articles in {len(TEMPLATES)} site layouts, {args.langs} "
          f"(targets: leaked <= {TARGET:.0%}, lost <= {TARGET:.0%}); {time.perf_counter() - started:.0f} s")  # fmt: skip
    print(table(totals))


if __name__ == "__main__":
    main()
