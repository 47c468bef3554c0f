"""Translation artifacts: false flags on clean NTREX text, recall on synthetic defects, the seeds.

Run ``python -m benchmarks.artifacts``; it prints Markdown tables. NTREX-128's
news sentences are professional translations, so every flag on them is taken
as false (a reader can check: the flagged items are listed). Synthetic glued
words remove the space at a random word boundary of a sentence (seeded);
synthetic leftovers put a Spanish or Italian fragment into an English sentence:
a ``NAME y NAME`` / ``NAME e NAME`` coordination, or three to six words of the
same sentence's Spanish or Italian translation.
"""
from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xling.checks.artifacts import find_artifacts, glued_words, leftovers
from xling.io import read_document

from .comparable import load_lines

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FILE_LANGS = {"ita": "it", "spa": "es", "spa-MX": "es", "eng": "en", "eng-GB": "en"}
SEED = 7
GLUE_SAMPLES = 400  # sentences per language with one space removed
LEFTOVER_SAMPLES = 300  # English sentences per kind of inserted fragment
MAX_LISTED = 25  # flagged items listed per file
FRAGMENT_WORDS = (3, 6)
NAMES = ("Pedro Sánchez", "Giorgia Meloni", "Emmanuel Macron", "Olaf Scholz", "Joe Biden", "Xi Jinping",
         "Vladimir Putin", "Angela Merkel", "Boris Johnson", "Lula", "Narendra Modi", "Ursula von der Leyen")  # fmt: skip
SEED_EXPECTED = {
    "000_061724f570955f0f": {("glued", "effectivethe", "effective the"), ("leftover", "Vladimir Putin e Xi Jinping", "it")},
    "002_90f3d8e4bff38bac": {
        ("glued", "Putinthe", "Putin the"), ("glued", "USAthey", "USA they"), ("glued", "tradewhich", "trade which"),
        ("leftover", "Xi Jinping y Vladimir Putin", "es"),
    },
}  # fmt: skip
GENUINE = ("`posibilidadesde` is a glue in NTREX's spa-MX file; `Il faut bien le faire` is French quoted in the article; "
           "`November is coming`, `just in time`, `buy-to-let` are English kept in the Spanish text")  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")
_BOUNDARY = re.compile(r"(?<=[^\W\d_]) (?=[^\W\d_])")


def word_count(lines: tuple[str, ...]) -> int:
    return sum(len(_WORD.findall(line)) for line in lines)


@dataclass
class FalseFlags:
    words: int
    glued: Counter
    leftover: Counter

    def per_thousand(self, counter: Counter) -> float:
        return 1000 * sum(counter.values()) / self.words


def false_flags(key: str) -> FalseFlags:
    lines, lang = load_lines(key), FILE_LANGS[key]
    glued, left = Counter(), Counter()
    for line in lines:
        found = glued_words(line, lang)
        glued.update(f"{a.text} -> {a.suggestion}" for a in found)
        left.update(f"{a.text} ({a.lang})" for a in leftovers(line, lang, found))
    return FalseFlags(word_count(lines), glued, left)


def glue_cases(key: str, rng: random.Random) -> Iterator[tuple[str, int, str, str]]:
    """(glued line, where the glued token starts, the token, the right split) for sampled lines."""
    lines = [line for line in load_lines(key) if _BOUNDARY.search(line)]
    for line in rng.sample(lines, min(GLUE_SAMPLES, len(lines))):
        space = rng.choice(list(_BOUNDARY.finditer(line))).start()
        left = re.search(r"[^\W\d_]+$", line[:space]).group()
        right = re.match(r"[^\W\d_]+", line[space + 1 :]).group()
        yield line[:space] + line[space + 1 :], space - len(left), left + right, f"{left} {right}"


def glue_recall(key: str) -> dict[str, float]:
    rng, lang = random.Random(f"{SEED}-{key}"), FILE_LANGS[key]
    total = long_total = right = long_right = wrong_split = 0
    for line, start, token, split in glue_cases(key, rng):
        hits = [a for a in glued_words(line, lang) if a.start == start and a.text == token]
        ok = bool(hits) and hits[0].suggestion == split
        is_long = len(token) >= 6
        total += 1
        long_total += is_long
        right += ok
        long_right += ok and is_long
        wrong_split += bool(hits) and not ok
    return {"cases": total, "found": right / total, "found (tokens >= 6 letters)": long_right / max(long_total, 1),
            "wrong split": wrong_split / total}  # fmt: skip


def leftover_cases(kind: str, rng: random.Random) -> Iterator[tuple[str, tuple[int, int], str]]:
    """(English line with a fragment, the fragment's span, its language)."""
    english, other = load_lines("eng"), {"es": load_lines("spa"), "it": load_lines("ita")}
    numbers = [n for n, line in enumerate(english) if _BOUNDARY.search(line) and len(_WORD.findall(other["es"][n])) > 8]
    for n in rng.sample(numbers, LEFTOVER_SAMPLES):
        source = rng.choice(("es", "it"))
        if kind == "coordination":
            a, b = rng.sample(NAMES, 2)
            fragment = f"{a} {'y' if source == 'es' else 'e'} {b}"
        else:
            words = _WORD.findall(other[source][n])
            size = rng.randint(*FRAGMENT_WORDS)
            at = rng.randrange(0, len(words) - size)
            fragment = " ".join(words[at : at + size])
        space = rng.choice(list(_BOUNDARY.finditer(english[n]))).start()
        line = f"{english[n][:space]} {fragment} {english[n][space + 1 :]}"
        yield line, (space + 1, space + 1 + len(fragment)), source


def leftover_scores(kind: str) -> dict[str, float]:
    rng = random.Random(f"{SEED}-{kind}")
    cases = found = right_lang = flagged = flagged_right = 0
    for line, (start, end), source in leftover_cases(kind, rng):
        artifacts = leftovers(line, "en")
        overlapping = [a for a in artifacts if a.start < end and start < a.end]
        cases += 1
        found += bool(overlapping)
        right_lang += any(a.lang == source for a in overlapping)
        flagged += len(artifacts)
        flagged_right += len(overlapping)
    return {"cases": cases, "recall": found / cases, "recall, right language": right_lang / cases,
            "precision": flagged_right / flagged if flagged else 1.0}  # fmt: skip


def seed_results() -> list[tuple[str, str, bool]]:
    rows = []
    for path in SEEDS:
        got = {(a.kind, a.text, a.suggestion if a.kind == "glued" else a.lang) for a in find_artifacts(read_document(path))}
        for kind, text, expected in sorted(SEED_EXPECTED.get(path.stem, ())):
            rows.append((path.stem, f"{kind}: {text!r} -> {expected!r}", (kind, text, expected) in got))
        unexpected = sorted(got - SEED_EXPECTED.get(path.stem, set()))
        rows.extend((path.stem, f"unexpected {k}: {t!r} -> {x!r}", False) for k, t, x in unexpected)
    return rows


def _listed(counter: Counter) -> str:
    items = [f"`{item}`" + (f" ×{n}" if n > 1 else "") for item, n in counter.most_common(MAX_LISTED)]
    more = len(counter) - MAX_LISTED
    return ", ".join(items) + (f", … {more} more" if more > 0 else "") or "none"


def main() -> None:
    started = time.perf_counter()
    print("## False flags on clean NTREX-128 text (per 1,000 words)\n")
    print("| file | lang | words | glued | glued /1k | leftovers | leftovers /1k |\n|---|---|---:|---:|---:|---:|---:|")
    flags = {key: false_flags(key) for key in FILE_LANGS}
    for key, f in flags.items():
        print(f"| {key} | {FILE_LANGS[key]} | {f.words:,} | {sum(f.glued.values())} | {f.per_thousand(f.glued):.3f} "
              f"| {sum(f.leftover.values())} | {f.per_thousand(f.leftover):.3f} |")  # fmt: skip
    print("\nWhat was flagged:\n")
    for key, f in flags.items():
        print(f"- **{key}** glued: {_listed(f.glued)}; leftovers: {_listed(f.leftover)}")
    print(f"\nEvery flag is counted as false, though some are real: {GENUINE}.")
    print("\n## Synthetic glued words (one space removed at a random word boundary)\n")
    print("| file | lang | cases | found, right split | found, tokens ≥ 6 letters | found, wrong split |")
    print("|---|---|---:|---:|---:|---:|")
    for key in ("ita", "spa", "eng"):
        r = glue_recall(key)
        print(f"| {key} | {FILE_LANGS[key]} | {r['cases']} | {r['found']:.1%} "
              f"| {r['found (tokens >= 6 letters)']:.1%} | {r['wrong split']:.1%} |")  # fmt: skip
    print("\n## Synthetic leftovers in English sentences (Spanish or Italian, half each)\n")
    print("| fragment | cases | recall | recall, right language | precision |\n|---|---:|---:|---:|---:|")
    for kind in ("coordination", "clause"):
        r = leftover_scores(kind)
        print(f"| {kind} | {r['cases']} | {r['recall']:.1%} | {r['recall, right language']:.1%} | {r['precision']:.1%} |")
    print("\n## Seeds\n\n| seed | expected | found |\n|---|---|---|")
    for stem, what, ok in seed_results():
        print(f"| {stem} | {what} | {'yes' if ok else 'NO'} |")
    print(f"\n_{time.perf_counter() - started:.0f} s_")


if __name__ == "__main__":
    main()
