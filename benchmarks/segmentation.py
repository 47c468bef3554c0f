"""Sentence boundaries on real news and wiki text: xling's segmenter against pysbd and sentencex.

    python -m benchmarks.segmentation [--split dev|test|all] [--errors N]

Documents are NTREX-128 articles (``DOCUMENT_IDS.tsv``) and FLORES-200 devtest articles
(grouped by URL) in Italian, Spanish and English. Each source line is a sentence of the
gold; a document is rebuilt from its lines in three layouts (seeded):

- ``paragraphs``: 2-5 lines joined by a space into a paragraph, paragraphs separated by a blank
  line. A line without a sentence-final stop (a headline, a cut line) ends its paragraph, as
  it would stand alone in a real article.
- ``lines``: one source line per text line, no blank lines (a sentence-per-line file).
- ``wrapped``: the paragraphs hard-wrapped at 72 columns, as in e-mail or plain-text archives.

Gold boundaries: the start of every line, plus the sentence starts found *inside* a line. Some
lines hold two or more sentences (FLORES often, NTREX's Spanish translation sometimes); every
candidate inside a line (a ``.!?…`` and a space) was read by hand once and the real starts are
listed in ``data/gold/segmentation_boundaries.tsv``; a quotation followed by its attribution
(``'There's a shark!'" Hammel added.``) is one sentence. Starts that follow a blank line (and the
document's first) are free: every segmenter gets them, so they are not scored. Two boundaries
are the same when only spaces and punctuation lie between them (a line that opens with a stray
``. ``). Precision, recall and F1 are over boundaries, summed over documents.

Split: NTREX's development articles (the same seeded 40% as :mod:`benchmarks.comparable`) are
``dev``, where every rule was chosen; ``test`` is NTREX's other articles and all of FLORES.
Labelling the gold meant reading each candidate of both splits once.

pysbd and sentencex segment one paragraph at a time (they have no notion of a layout), so they
are measured on ``paragraphs`` only; "exact" is the share of paragraphs whose pieces, put back
together, give the paragraph text unchanged (the condition for exact character offsets).
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from xling.segment import segment_spans

from .comparable import split as ntrex_split

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
GOLD = ROOT / "data" / "gold" / "segmentation_boundaries.tsv"
LANGS = ("it", "es", "en")
FILES = {
    "ntrex": {"it": "ntrex128/newstest2019-ref.ita.txt", "es": "ntrex128/newstest2019-ref.spa.txt",
              "en": "ntrex128/newstest2019-src.eng.txt"},
    "flores": {"it": "flores200_devtest/ita_Latn.devtest", "es": "flores200_devtest/spa_Latn.devtest",
               "en": "flores200_devtest/eng_Latn.devtest"},
}  # fmt: skip
LAYOUTS = ("paragraphs", "lines", "wrapped")
PARAGRAPH_LINES = (2, 5)
WRAP_WIDTH = 72
SEED = 13
TIMING_ROUNDS = 3  # best of: the machine is shared
_FINAL = re.compile(r"[.!?…][\"”’'»)\]]*$")
_ALNUM = re.compile(r"[^\W_]")

Segmenter = Callable[[str, str, list[tuple[int, int]]], list[int]]  # (text, lang, paragraphs) -> segment starts


@dataclass(frozen=True)
class Case:
    corpus: str
    lang: str
    doc_id: str
    layout: str
    text: str
    paragraphs: tuple[tuple[int, int], ...]  # spans between blank lines
    gold: frozenset[int]  # sentence starts (canonical positions), free ones left out
    free: frozenset[int]  # the document's start and starts after a blank line

    @property
    def sentences(self) -> int:
        return len(self.gold) + len(self.free)


@cache
def _lines(corpus: str, lang: str) -> tuple[str, ...]:
    raw = (SOURCES / FILES[corpus][lang]).read_text(encoding="utf-8")
    return tuple(line.rstrip("\r") for line in raw.split("\n")[:-1])


@cache
def _documents(corpus: str) -> dict[str, list[int]]:
    """Document id -> its line numbers (contiguous)."""
    if corpus == "ntrex":
        ids = (SOURCES / "ntrex128" / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    else:
        with (SOURCES / "flores200_devtest" / "metadata_devtest.tsv").open(encoding="utf-8", newline="") as fh:
            ids = [row["URL"] for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
    docs: dict[str, list[int]] = {}
    for number, doc_id in enumerate(ids):
        docs.setdefault(doc_id.strip(), []).append(number)
    return docs


@cache
def _inner_starts() -> dict[tuple[str, str], dict[int, tuple[int, ...]]]:
    """(corpus, lang) -> line number -> offsets of the sentences starting inside that line."""
    out: dict[tuple[str, str], dict[int, list[int]]] = {}
    with GOLD.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            out.setdefault((row["corpus"], row["lang"]), {}).setdefault(int(row["line"]), []).append(int(row["offset"]))
    return {key: {n: tuple(sorted(v)) for n, v in lines.items()} for key, lines in out.items()}


def canonical(text: str, pos: int) -> int:
    """The first letter or digit at or after ``pos``: boundaries differing only by spaces and punctuation are one."""
    found = _ALNUM.search(text, pos)
    return found.start() if found else len(text)


def _paragraph_groups(n_lines: int, lines: list[str], rng: random.Random) -> list[list[int]]:
    groups: list[list[int]] = []
    current: list[int] = []
    size = rng.randint(*PARAGRAPH_LINES)
    for k in range(n_lines):
        current.append(k)
        if len(current) >= size or not _FINAL.search(lines[k]):
            groups.append(current)
            current, size = [], rng.randint(*PARAGRAPH_LINES)
    if current:
        groups.append(current)
    return groups


def _wrap(paragraph: str, width: int = WRAP_WIDTH) -> str:
    """Greedy hard wrap that turns chosen spaces into newlines, so offsets do not move."""
    chars = list(paragraph)
    line_start, last_space = 0, -1
    for k, c in enumerate(chars):
        if c == " ":
            if k - line_start > width and last_space > line_start:
                chars[last_space] = "\n"
                line_start = last_space + 1
            last_space = k
    if len(chars) - line_start > width and last_space > line_start:
        chars[last_space] = "\n"
    return "".join(chars)


def build_case(corpus: str, lang: str, doc_id: str, layout: str) -> Case:
    numbers = _documents(corpus)[doc_id]
    raw = [_lines(corpus, lang)[n] for n in numbers]
    lines = [line.strip() for line in raw]
    lead = [len(line) - len(line.lstrip()) for line in raw]  # the gold offsets count from the raw line
    inner = _inner_starts().get((corpus, lang), {})
    rng = random.Random(f"{SEED}-{corpus}-{doc_id}")
    groups = [list(range(len(lines)))] if layout == "lines" else _paragraph_groups(len(lines), lines, rng)
    joiner = "\n" if layout == "lines" else " "
    pieces: list[str] = []
    starts: list[int] = []  # every gold sentence start, raw offsets
    free: list[int] = []
    paragraphs: list[tuple[int, int]] = []
    pos = 0
    for g, group in enumerate(groups):
        if g:
            pieces.append("\n\n")
            pos += 2
        para_start = pos
        free.append(pos)
        for j, k in enumerate(group):
            if j:
                pieces.append(joiner)
                pos += 1
            starts.append(pos)
            starts.extend(pos + off - lead[k] for off in inner.get(numbers[k], ()))
            pieces.append(lines[k])
            pos += len(lines[k])
        paragraphs.append((para_start, pos))
    text = "".join(pieces)
    if layout == "wrapped":
        text = "\n\n".join(_wrap(text[s:e]) for s, e in paragraphs)
    free_set = frozenset(canonical(text, p) for p in free)
    gold = frozenset(canonical(text, p) for p in starts) - free_set
    return Case(corpus, lang, doc_id, layout, text, tuple(paragraphs), gold, free_set)


def document_ids(split: str) -> list[tuple[str, str]]:
    """(corpus, document id) of a split: NTREX dev articles, or NTREX test articles and all of FLORES."""
    ntrex = ntrex_split()
    if split == "dev":
        return [("ntrex", d) for d in ntrex["dev"]]
    test = [("ntrex", d) for d in ntrex["test"]] + [("flores", d) for d in _documents("flores")]
    return test if split == "test" else [("ntrex", d) for d in ntrex["dev"]] + test


def cases(split: str, lang: str, layout: str) -> list[Case]:
    return [build_case(corpus, lang, doc_id, layout) for corpus, doc_id in document_ids(split)]


# --- the segmenters -------------------------------------------------------------------------------------------


def xling_segmenter(use_lang: bool = True) -> Segmenter:
    def run(text: str, lang: str, paragraphs: list[tuple[int, int]]) -> list[int]:
        return [s for s, _, _ in segment_spans(text, "sentence", 0, lang=lang if use_lang else None)]

    return run


def _pieces_to_starts(text: str, paragraphs, split_paragraph) -> tuple[list[int], int]:
    """Segment starts from a library that returns strings; also how many paragraphs it returned exactly."""
    starts, exact = [], 0
    for s, e in paragraphs:
        pieces = [p for p in split_paragraph(text[s:e]) if p]
        exact += "".join(pieces) == text[s:e]
        cursor = s
        for piece in pieces:
            core = piece.strip()
            if not core:
                continue
            found = text.find(core, cursor, e)
            if found < 0:  # the library changed the text: fall back to where it should be
                found = cursor
            starts.append(found)
            cursor = found + len(core)
    return starts, exact


def library_segmenters() -> dict[str, Callable[[str], Callable[[str], list[str]]]]:
    """name -> (lang -> paragraph splitter), for the libraries that are installed."""
    out: dict[str, Callable[[str], Callable[[str], list[str]]]] = {}
    try:
        import pysbd

        def make_pysbd(lang: str) -> Callable[[str], list[str]]:
            return pysbd.Segmenter(language=lang, clean=False).segment

        out["pysbd 0.3.4"] = make_pysbd
    except ImportError:
        pass
    try:
        import sentencex

        out["sentencex"] = lambda lang: (lambda text: list(sentencex.segment(lang, text)))
    except ImportError:
        pass
    return out


# --- scoring -----------------------------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    sentences: int = 0
    seconds: float = 0.0
    paragraphs: int = 0
    exact: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Error:
    kind: str  # "missed" or "false"
    case: Case
    pos: int

    def context(self, width: int = 40) -> str:
        text = self.case.text
        return (text[max(0, self.pos - width) : self.pos] + "|" + text[self.pos : self.pos + width // 2]).replace("\n", "⏎")


def score(all_cases: list[Case], starts_of: Callable[[Case], tuple[list[int], int]]) -> tuple[Score, list[Error]]:
    total, errors = Score(), []
    for case in all_cases:
        t0 = time.perf_counter()
        starts, exact = starts_of(case)
        total.seconds += time.perf_counter() - t0
        predicted = {canonical(case.text, p) for p in starts} - case.free
        total.tp += len(predicted & case.gold)
        total.fp += len(predicted - case.gold)
        total.fn += len(case.gold - predicted)
        total.sentences += case.sentences
        total.paragraphs += len(case.paragraphs)
        total.exact += exact
        errors += [Error("false", case, p) for p in sorted(predicted - case.gold)]
        errors += [Error("missed", case, p) for p in sorted(case.gold - predicted)]
    return total, errors


def timed(all_cases: list[Case], starts_of: Callable[[Case], tuple[list[int], int]]) -> tuple[Score, list[Error]]:
    """Scores of one run, time of the fastest of a few (the machine is shared)."""
    best, errors = score(all_cases, starts_of)
    for _ in range(TIMING_ROUNDS - 1):
        again, _ = score(all_cases, starts_of)
        best.seconds = min(best.seconds, again.seconds)
    return best, errors


def evaluate(split: str) -> tuple[dict[tuple[str, str, str], Score], dict[tuple[str, str, str], list[Error]]]:
    """(segmenter, layout, lang) -> score, and the errors behind it."""
    scores, errors = {}, {}
    for lang in LANGS:
        for layout in LAYOUTS:
            layout_cases = cases(split, lang, layout)
            for name, seg in (("xling", xling_segmenter()), ("xling, language unknown", xling_segmenter(False))):
                if name != "xling" and layout != "paragraphs":
                    continue

                def run(case: Case, seg=seg) -> tuple[list[int], int]:
                    return seg(case.text, case.lang, list(case.paragraphs)), len(case.paragraphs)

                key = (name, layout, lang)
                scores[key], errors[key] = timed(layout_cases, run)
        para_cases = cases(split, lang, "paragraphs")
        for name, make in library_segmenters().items():
            splitter = make(lang)
            key = (name, "paragraphs", lang)
            scores[key], errors[key] = timed(para_cases, lambda case, split=splitter: _pieces_to_starts(case.text, case.paragraphs, split))
    return scores, errors


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--errors", type=int, default=0, help="list up to N errors of xling per language and layout")
    args = parser.parse_args(argv)
    scores, errors = evaluate(args.split)
    docs = document_ids(args.split)
    print(f"## Sentence boundaries, {args.split} split ({len(docs)} documents per language: "
          f"{sum(c == 'ntrex' for c, _ in docs)} NTREX-128, {sum(c == 'flores' for c, _ in docs)} FLORES-200)\n")  # fmt: skip
    print("Paragraph layout (2-5 sentences per paragraph):\n")
    print("| segmenter | lang | sentences | P | R | F1 | sentences/s | exact offsets |\n|---|---|---:|---:|---:|---:|---:|---:|")
    for (name, layout, lang), s in scores.items():
        if layout == "paragraphs":
            print(f"| {name} | {lang} | {s.sentences:,} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} "
                  f"| {s.sentences / s.seconds:,.0f} | {s.exact / s.paragraphs:.1%} |")  # fmt: skip
    print("\nxling by layout (one sentence per line; hard-wrapped at 72 columns):\n")
    print("| layout | lang | P | R | F1 |\n|---|---|---:|---:|---:|")
    for (name, layout, lang), s in scores.items():
        if name == "xling" and layout != "paragraphs":
            print(f"| {layout} | {lang} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} |")
    if args.errors:
        for (name, layout, lang), errs in errors.items():
            if name.startswith("xling") and errs:
                print(f"\n{name}, {layout}, {lang}: {len(errs)} errors")
                for e in errs[: args.errors]:
                    print(f"  {e.kind:<6} {e.case.corpus}:{e.case.doc_id[-30:]}  {e.context()}")


if __name__ == "__main__":
    main()
