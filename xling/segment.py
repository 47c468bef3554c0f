"""Sentences and paragraphs with exact character offsets. Pure: strings in, spans out.

Every span satisfies ``text[start:end] == segment text``; spans never overlap and
are sorted. Blank lines always end a paragraph; what a single line break means is
decided once per document (:func:`line_layout`): in hard-wrapped text it is a space,
in text written one sentence or paragraph per line it ends a paragraph (so a headline
without a final stop is its own segment).

Inside a paragraph a sentence ends at ``.``, ``!``, ``?``, ``…`` (and any closing quotes or
brackets) before a capital, a digit or an opening quote, unless the stop belongs to an
abbreviation of the document's language (:mod:`xling.abbreviations`), an initial
(``J. K. Rowling``, ``EE. UU.``) or a dotted abbreviation (``U.S.``, ``a.m.``); those end the
sentence only before a word that opens sentences (``the U.S. The next day``). Chinese and
Japanese stops need no space after them.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .abbreviations import Abbreviations, for_language, listed
from .text import fold
from .types import LEVELS, Level

MAX_SEGMENT_CHARS = 2_000  # a "sentence" longer than this is cut at spaces: embedders truncate anyway
LAYOUT_MIN_LINES = 3  # fewer continued lines than this say nothing about a document's layout
WRAP_MAX_WIDTH = 160  # hard-wrapped lines are narrower than this (e-mail 72-80, PDF text up to ~130)
WRAP_FILL = 0.6  # a wrapped line, paragraph ends aside, is at least this share of the text width ...
WRAP_MIN_FILLED = 0.7  # ... for this share of the lines or more
WRAP_MAX_FINAL = 0.5  # and under this share of wrapped lines ends with a sentence-final stop
CLEAR_END_MIN_LETTERS = 4  # "countries. we": a lower-case word this long before a stop is not an abbreviation
_TERMINAL = ".!?…"
_CLOSERS = "”\"’'»)]"
_OPENERS = "“\"‘'«(¿¡[—–-"
_BOUNDARY = re.compile(
    rf"[{re.escape(_TERMINAL)}]+[{re.escape(_CLOSERS)}]*(?=\s+[{re.escape(_OPENERS)}\w])"
    r"|[。！？]+[”」』）]*(?=\S)"  # Chinese and Japanese full stops need no space after them
)
_FINAL = re.compile(rf"[{re.escape(_TERMINAL)}。！？][{re.escape(_CLOSERS)}”」』）]*\s*$")
_LINE_BREAK = re.compile(r"\n")
_MARKUP = re.compile(r"(?:#{1,6}\s+|>\s*|[-*•]\s+|\d+[.)]\s+(?=\D))")
_WORD_BEFORE = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.?$")
_NEXT_WORD = re.compile(r"[^\W_]+['’]?")
_DOUBLED_CAPITAL = re.compile(r"([^\W\d_])\1")  # EE. UU., FF. AA.: Spanish plural initials
_CAMEL = re.compile(r"[^\W\d_]*[a-z][A-Z]")  # iPhone, eBay: lower-case words that start sentences
_NOT_AN_INITIAL_AFTER = "-‐'’/@._"  # Super-G., /a.: a letter glued to these is no initial
LineLayout = Literal["wrapped", "lines", "unknown"]


@dataclass(frozen=True)
class Layout:
    """How a document uses single line breaks, and its text width when hard-wrapped."""

    kind: LineLayout
    width: int = 0


def segment_spans(
    text: str, level: Level = "sentence", start: int = 0, lang: str | None = None
) -> list[tuple[int, int, int]]:
    """``(start, end, paragraph_index)`` of every segment of ``text[start:]`` at ``level``.

    ``lang`` (``"it"``, ``"es"``, ``"en"``) selects that language's abbreviations; any other
    value, or ``None``, uses only those safe in every language.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    abbreviations = for_language(lang)
    out: list[tuple[int, int, int]] = []
    for para, (p_start, p_end) in enumerate(units(text, start)):
        pieces = [(p_start, p_end)] if level == "paragraph" else sentences(text, p_start, p_end, abbreviations)
        for s, e in pieces:
            out.extend((cs, ce, para) for cs, ce in _cap_length(text, s, e))
    return out


def line_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """``(start, end)`` of every line of ``text[start:]``, without its newline."""
    spans, cut = [], start
    for brk in _LINE_BREAK.finditer(text, start):
        spans.append((cut, brk.start()))
        cut = brk.end()
    spans.append((cut, len(text)))
    return spans


def line_layout(text: str, lines: list[tuple[int, int]]) -> Layout:
    """Whether the document's lines are hard-wrapped, one unit each, or too few to tell.

    Judged on the *continued* lines (a line followed by another in the same block):
    hard-wrapped text has lines of similar width that mostly stop mid-sentence; text
    written one sentence or paragraph per line mostly ends its lines with a stop.
    """
    continued = [
        text[s:e].strip() for (s, e), (ns, ne) in itertools.pairwise(lines)
        if text[s:e].strip() and text[ns:ne].strip() and not _MARKUP.match(text[ns:ne].lstrip())
    ]  # fmt: skip
    if len(continued) < LAYOUT_MIN_LINES:
        return Layout("unknown")
    widths = sorted(len(line) for line in continued)
    width = widths[int(0.9 * (len(widths) - 1))]
    filled = sum(w >= WRAP_FILL * width for w in widths) / len(widths)
    final = sum(bool(_FINAL.search(line)) for line in continued) / len(continued)
    if width <= WRAP_MAX_WIDTH and filled >= WRAP_MIN_FILLED and final < WRAP_MAX_FINAL:
        return Layout("wrapped", width)
    return Layout("lines")


def units(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Paragraph spans of ``text[start:]``: blocks split at blank lines, and at single line
    breaks as the document's layout says (:func:`line_layout`). When the document is too
    short to tell, a line that starts in lower case continues the one before."""
    lines = line_spans(text, start)
    layout = line_layout(text, lines)
    spans: list[tuple[int, int]] = []
    cut = start
    for (s, e), (ns, ne) in itertools.pairwise(lines):
        if not _joins(text[s:e], text[ns:ne], layout):
            spans.extend(_trimmed(text, cut, e))
            cut = ns
    spans.extend(_trimmed(text, cut, len(text)))
    return spans


def _joins(line: str, following: str, layout: Layout) -> bool:
    """Whether the line break between ``line`` and ``following`` is inside a paragraph."""
    head = following.lstrip()
    if not line.strip() or not head:
        return False
    markup = _MARKUP.match(head)
    lower = _next_word(head, markup.end() if markup else 0, len(head))[:1].islower()
    if layout.kind == "wrapped":  # "...counties\n- which suggests": a dash, not a list item
        dash = markup is not None and head[0] in "-–—" and lower
        return (not markup or dash) and (lower or len(line.strip()) >= WRAP_FILL * layout.width)
    return layout.kind == "unknown" and not markup and lower


def sentences(text: str, start: int, end: int, abbreviations: Abbreviations | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (one paragraph)."""
    abbreviations = abbreviations or for_language(None)
    spans: list[tuple[int, int]] = []
    cut = start
    for found in _BOUNDARY.finditer(text, start, end):
        if not _ends_sentence(text, found, end, abbreviations):
            continue
        spans.extend(_trimmed(text, cut, found.end()))
        cut = found.end()
    spans.extend(_trimmed(text, cut, end))
    return spans


def _ends_sentence(text: str, found: re.Match[str], end: int, abbreviations: Abbreviations) -> bool:
    punct = found.group()
    if punct[0] in "。！？":
        return True
    following = _next_word(text, found.end(), end)
    if following[:1].islower():  # "she asked", "p. es.", "the U.S. officials"
        return punct == "." and _clear_end_before_lower(text, found.start(), following, abbreviations)
    if punct.rstrip(_CLOSERS) != ".":  # ?, !, an ellipsis, "a.C.!": a clear end
        return True
    return not _is_abbreviation(text, found.start(), following, abbreviations)


def _next_word(text: str, pos: int, end: int) -> str:
    """The word after ``pos``, past spaces and opening quotes and brackets."""
    while pos < end and (text[pos].isspace() or text[pos] in _OPENERS):
        pos += 1
    found = _NEXT_WORD.match(text, pos, end)
    return found.group() if found else ""


def _opens_sentence(word: str, abbreviations: Abbreviations) -> bool:
    return len(word) > 1 and word[0].isupper() and word.lower() in abbreviations.openers


def _is_abbreviation(text: str, dot: int, following: str, abbreviations: Abbreviations) -> bool:
    """Whether the full stop at ``dot``, before the capitalised word ``following``, belongs to an abbreviation."""
    found = _WORD_BEFORE.search(text, max(0, dot - 30), dot)
    if not found:  # a number, a closing bracket: a real end
        return False
    word = found.group(1)
    before = text[found.start() - 1] if found.start() > 0 else " "
    opener = _opens_sentence(following, abbreviations)
    if "." in word:  # U.S., a.m., e.g.; not example.com
        return all(len(part) <= 2 for part in word.split(".")) and not opener
    if len(word) == 1 or _DOUBLED_CAPITAL.fullmatch(word):  # J. K. Rowling, EE. UU., p. es.
        return not (before.isalnum() or before in _NOT_AN_INITIAL_AFTER) and not opener
    if listed(word, abbreviations.titles):
        return True
    if listed(word, abbreviations.before_number):
        return following[:1].isdigit()
    return listed(word, abbreviations.ambiguous) and not opener


def _clear_end_before_lower(text: str, dot: int, following: str, abbreviations: Abbreviations) -> bool:
    """A sentence that starts in lower case: ``…in 2019. iPhone sales…``, ``…countries. we treat you.``"""
    camel = bool(_CAMEL.match(following))
    found = _WORD_BEFORE.search(text, max(0, dot - 30), dot)
    if not found:  # after a number
        return camel
    word = found.group(1)
    if "." in word or len(word) == 1 or abbreviations.lists(word):
        return False
    return camel or (word.islower() and len(word) >= CLEAR_END_MIN_LETTERS and following in abbreviations.openers)


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
    return [t for t in _TOKEN.findall(fold(text)) if t.isdigit() or len(t) >= MIN_TOKEN_CHARS]
