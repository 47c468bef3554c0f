"""Sentences and paragraphs with exact character offsets. Pure: strings in, spans out.

Every span satisfies ``text[start:end] == segment text``; spans never overlap and
are sorted. A newline ends a sentence (so a headline without a final stop is its
own segment) unless the next line starts in lower case, which is a wrapped line.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from .types import LEVELS, Level

MAX_SEGMENT_CHARS = 2_000  # a "sentence" longer than this is cut at spaces: embedders truncate anyway
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr sra sras sres srta srs dña dª dott dssa sig sigg sigra ing avv arch on
    gen col lt sgt capt cmdr gov sen rep pres rev hon fig figs vol no nos nº art arts pag pp ca cf vs
    inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec ene abr ago dic gen febb
    ecc etc ee uu approx dept univ ave blvd mt ft
    """.split()
)
_ABBREV_EXEMPT_AT_END = frozenset({"etc", "ecc", "inc", "ltd", "co", "corp"})  # may end a sentence too
_TERMINAL = ".!?…"
_CLOSERS = "”\"’'»)]"
_OPENERS = "“\"‘'«(¿¡[—–-"
_BOUNDARY = re.compile(
    rf"[{re.escape(_TERMINAL)}]+[{re.escape(_CLOSERS)}]*(?=\s+[{re.escape(_OPENERS)}\w])"
    r"|[。！？]+[”」』）]*(?=\S)"  # Chinese and Japanese full stops need no space after them
)
_LINE_BREAK = re.compile(r"\n")
_BLANK = re.compile(r"\n[ \t]*\n")
_MARKUP = re.compile(r"(?:#{1,6}\s+|>\s*|[-*•]\s+|\d+[.)]\s+(?=\D))")
_WORD_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.?$")


def units(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Paragraph spans of ``text[start:]``: blocks split at blank lines and at line breaks,
    except a line break followed by a lower-case letter (a wrapped line)."""
    spans: list[tuple[int, int]] = []
    cut = start
    for brk in _LINE_BREAK.finditer(text, start):
        following = text[brk.end() : brk.end() + 1]
        if following and following.islower():
            continue
        spans.extend(_trimmed(text, cut, brk.start()))
        cut = brk.end()
    spans.extend(_trimmed(text, cut, len(text)))
    return spans


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (one paragraph)."""
    spans: list[tuple[int, int]] = []
    cut = start
    for found in _BOUNDARY.finditer(text, start, end):
        if _next_is_lower(text, found.end(), end) or _is_abbreviation(text, found.start(), found.group()):
            continue
        spans.extend(_trimmed(text, cut, found.end()))
        cut = found.end()
    spans.extend(_trimmed(text, cut, end))
    return spans


def segment_spans(text: str, level: Level = "sentence", start: int = 0) -> list[tuple[int, int, int]]:
    """``(start, end, paragraph_index)`` of every segment of ``text[start:]`` at ``level``."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    out: list[tuple[int, int, int]] = []
    for para, (p_start, p_end) in enumerate(units(text, start)):
        pieces = [(p_start, p_end)] if level == "paragraph" else sentences(text, p_start, p_end)
        for s, e in pieces:
            out.extend((cs, ce, para) for cs, ce in _cap_length(text, s, e))
    return out


def _next_is_lower(text: str, pos: int, end: int) -> bool:
    """Whether the first letter after ``pos`` (past spaces and opening quotes) is lower case."""
    while pos < end and (text[pos].isspace() or text[pos] in _OPENERS):
        pos += 1
    return pos < end and text[pos].islower()


def _is_abbreviation(text: str, dot: int, punct: str) -> bool:
    if not punct.startswith(".") or punct.startswith(".."):
        return False
    found = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not found:
        return False
    word = found.group(1)
    if "." in word:  # U.S., e.g., a.C.
        return True
    if len(word) == 1 and word.isupper():  # an initial: J. K. Rowling
        return True
    return word.lower() in ABBREVIATIONS and word.lower() not in _ABBREV_EXEMPT_AT_END


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The span without surrounding whitespace or leading Markdown markers; nothing if empty."""
    while start < end and text[start].isspace():
        start += 1
    markup = _MARKUP.match(text, start, end)
    if markup and markup.end() < end:
        start = markup.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def _cap_length(text: str, start: int, end: int, limit: int = MAX_SEGMENT_CHARS) -> Iterator[tuple[int, int]]:
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        yield from _trimmed(text, start, cut)
        start = cut
    yield from _trimmed(text, start, end)


MIN_TOKEN_CHARS = 4  # shorter words are mostly function words in it/es/en
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def content_tokens(text: str) -> list[str]:
    """Lower-cased, accent-free words of four letters or more, and digit runs (``42nd`` gives ``42``)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return [t for t in _TOKEN.findall(folded) if t.isdigit() or len(t) >= MIN_TOKEN_CHARS]
