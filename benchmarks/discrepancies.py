"""Fact-level discrepancies on NTREX-128: recall on altered sentence pairs, false alarms on unaltered ones.

Every line of the split, in every language pair, is a pair of translations of one
sentence. Unaltered, any difference ``compare_facts`` reports is a false alarm.
Altered, exactly one fact on one side is changed (seeded): a number in digits by a
realistic amount, a year by a few years, a month or a weekday swapped for another,
or a proper name replaced by a name drawn from other lines of the same language.
The alteration is found when a reported difference has a span on the altered side
that overlaps the altered text.

The alterable facts are found here with patterns of their own, not with
``xling.facts``: a benchmark that altered only what the detector extracts would
hide what it misses.

    .venv/bin/python -m benchmarks.discrepancies [--split dev|test] [--seed 0] [--show 20]
"""
from __future__ import annotations

import argparse
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from benchmarks.comparable import PAIRS, documents, load_lines, split
from xling.checks.facts import Difference, compare_facts

LANG = {"eng": "en", "eng-GB": "en", "ita": "it", "spa": "es", "spa-MX": "es"}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
}
KINDS = ("number", "year", "month", "weekday", "name")
NUMBER = re.compile(r"(?<![\w.,:/-])\d+(?:[.,\u00a0]\d+)*(?![\w.,:/-]?\d)")
YEAR = re.compile(r"(?<![\w.,:/-])(?:19|20)\d\d(?![\w.,:/-]?\d)")
NAME = re.compile(r"(?<![\w’'])[A-Z][a-zà-ÿ]{2,}(?: [A-Z][a-zà-ÿ]{2,})*(?![\w’'])")
Span = tuple[int, int]


@dataclass(frozen=True)
class Alteration:
    kind: str
    side: str  # "a" or "b"
    text: str  # the altered side's new text
    span: Span  # where the new fact sits in it
    old: str
    new: str


def _calendar_words(lang: str) -> dict[str, list[str]]:
    return {"month": MONTHS[lang].split(), "weekday": WEEKDAYS[lang].split()}


def names(text: str, translations: list[str], lang: str) -> list[re.Match]:
    """Capitalised words, not sentence-initial, that the translations into the other languages keep verbatim.

    A name kept by the Italian, Spanish and English versions alike is a proper name,
    not a translated title ("Senado", "Hospital") that one pair of versions happens to share.
    """
    calendar = {w.lower() for words in _calendar_words(lang).values() for w in words}
    out = []
    for m in NAME.finditer(text):
        before = text[: m.start()].rstrip(" \"“«‘'(")
        if not before or before[-1] in ".!?:;":
            continue
        if m.group().lower() in calendar or not all(m.group() in t for t in translations):
            continue
        out.append(m)
    return out


def candidates(text: str, translations: list[str], lang: str) -> dict[str, list[tuple[Span, str]]]:
    """Every alterable fact of ``text`` by kind: (span, surface)."""
    found: dict[str, list[tuple[Span, str]]] = defaultdict(list)
    years = {m.span() for m in YEAR.finditer(text)}
    for m in NUMBER.finditer(text):
        found["year" if m.span() in years else "number"].append((m.span(), m.group()))
    for kind, words in _calendar_words(lang).items():
        for word in words:
            flags = 0 if lang == "en" else re.IGNORECASE
            for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags):
                found[kind].append((m.span(), m.group()))
    for m in names(text, translations, lang):
        found["name"].append((m.span(), m.group()))
    return found


def altered_number(rng: random.Random, surface: str) -> str:
    """The same format (separators, digit count) with a realistically changed value."""
    digits = re.sub(r"\D", "", surface)
    value, width = int(digits), len(digits)
    if value < 10:
        new = value + rng.choice([-3, -2, -1, 1, 2, 3])
        new = new if new >= 0 and new != value else value + rng.choice([1, 2, 3])
    else:
        zeros = len(digits) - len(digits.rstrip("0")) if value else 0
        step = 10 ** min(zeros, width - 1)
        new = value
        while new == value:
            factor = rng.uniform(0.5, 0.9) if rng.random() < 0.5 else rng.uniform(1.1, 1.9)
            new = max(step, round(value * factor / step) * step)
            new = min(new, 10**width - 1)
            new = max(new, 10 ** (width - 1))
    new_digits = str(new).zfill(width) if len(str(new)) <= width else str(new)
    out, k = [], len(new_digits) - 1
    for ch in reversed(surface):  # put the new digits back into the old separators
        if ch.isdigit():
            out.append(new_digits[k] if k >= 0 else "")
            k -= 1
        else:
            out.append(ch)
    return (new_digits[: k + 1] if k >= 0 else "") + "".join(reversed(out))


def alter(rng: random.Random, text_a: str, text_b: str, lang_a: str, lang_b: str, pool: dict[str, list[str]],
          versions: dict[str, str]):
    """One fact of one side changed; ``versions`` holds the line in each language (to tell names)."""
    side = rng.choice("ab")
    for _ in range(2):
        text, lang = (text_a, lang_a) if side == "a" else (text_b, lang_b)
        found = candidates(text, [v for code, v in versions.items() if code != lang], lang)
        kinds = [k for k in KINDS if found.get(k)]
        if kinds:
            break
        side = "b" if side == "a" else "a"
    if not kinds:
        return None
    kind = rng.choice(kinds)
    (start, end), old = rng.choice(found[kind])
    if kind == "number":
        new = altered_number(rng, old)
    elif kind == "year":
        new = str(int(old) + rng.choice([-5, -3, -2, -1, 1, 2, 3, 5]))
    elif kind == "name":
        folded_texts = (text_a + " " + text_b).lower()
        choices = [n for n in pool if n.lower() not in folded_texts and not any(w.lower() in folded_texts for w in n.split())]
        new = rng.choice(choices)
    else:
        words = [w for w in _calendar_words(lang)[kind] if w.lower() != old.lower()]
        new = rng.choice(words)
        new = new.capitalize() if old[0].isupper() else new
    altered = text[:start] + new + text[end:]
    return Alteration(kind, side, altered, (start, start + len(new)), old, new)


def points_at(difference: Difference, alteration: Alteration) -> bool:
    spans = difference.a_spans if alteration.side == "a" else difference.b_spans
    s, e = alteration.span
    return any(a < e and s < b for a, b in spans)


def versions_of(lines_by_key: dict[str, tuple[str, ...]], i: int) -> dict[str, str]:
    return {LANG[key]: lines_by_key[key][i] for key in ("eng", "ita", "spa")}


def name_pool(lines_by_key: dict[str, tuple[str, ...]], numbers: list[int]) -> list[str]:
    """The proper names of the split's lines (kept verbatim in all three languages)."""
    pool: set[str] = set()
    for i in numbers:
        versions = versions_of(lines_by_key, i)
        pool.update(m.group() for m in names(versions["en"], [versions["it"], versions["es"]], "en"))
    return sorted(pool)


@dataclass
class Tally:
    pairs: int = 0
    false_alarm_pairs: int = 0
    unaltered_reports: int = 0
    altered: int = 0
    found: int = 0
    altered_reports: int = 0
    altered_right: int = 0

    def row(self, label: str) -> str:
        recall = self.found / self.altered if self.altered else float("nan")
        precision = self.altered_right / self.altered_reports if self.altered_reports else float("nan")
        all_reports = self.altered_reports + self.unaltered_reports
        overall = self.altered_right / all_reports if all_reports else float("nan")
        false_alarms = self.false_alarm_pairs / self.pairs if self.pairs else float("nan")
        return (f"| {label} | {self.pairs} | {false_alarms:.3f} | {self.altered} | {recall:.3f} | {precision:.3f} "
                f"| {overall:.3f} |")


HEADER = ("| {} | pairs | false-alarm rate | altered | recall | precision (altered) | precision (all) |\n"
          "|---|---:|---:|---:|---:|---:|---:|")


def run(split_name: str, seed: int, show: int) -> str:
    numbers = sorted(i for doc in split()[split_name] for i in documents()[doc])
    lines = {key: load_lines(key) for pair in PAIRS.values() for key in pair}
    pool = name_pool(lines, numbers)
    by_pair: dict[str, Tally] = defaultdict(Tally)
    by_kind: dict[str, Tally] = defaultdict(Tally)
    alarms: Counter = Counter()
    examples: list[str] = []
    misses: list[str] = []
    started, calls = time.perf_counter(), 0
    for pair, (key_a, key_b) in PAIRS.items():
        lang_a, lang_b = LANG[key_a], LANG[key_b]
        for i in numbers:
            a, b = lines[key_a][i], lines[key_b][i]
            plain = compare_facts(a, lang_a, b, lang_b)
            calls += 1
            tally = by_pair[pair]
            tally.pairs += 1
            tally.false_alarm_pairs += bool(plain)
            tally.unaltered_reports += len(plain)
            for d in plain:
                alarms[d.kind] += 1
                if len(examples) < show:
                    examples.append(f"- {pair} line {i}: {d.message()}  \n  A: {a}  \n  B: {b}")
            alteration = alter(random.Random(f"discrepancies/{seed}/{pair}/{i}"), a, b, lang_a, lang_b, pool,
                               versions_of(lines, i))
            if alteration is None:
                continue
            new_a, new_b = (alteration.text, b) if alteration.side == "a" else (a, alteration.text)
            reported = compare_facts(new_a, lang_a, new_b, lang_b)
            calls += 1
            right = sum(points_at(d, alteration) for d in reported)
            for t in (by_pair[pair], by_kind[alteration.kind]):
                t.altered += 1
                t.found += right > 0
                t.altered_reports += len(reported)
                t.altered_right += right
            if not right and len(misses) < show:
                misses.append(f"- {pair} line {i} {alteration.kind} {alteration.side}: {alteration.old} -> "
                              f"{alteration.new}  \n  A: {new_a}  \n  B: {new_b}")
    elapsed = time.perf_counter() - started
    total = Tally()
    for t in by_pair.values():
        for name in vars(total):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    out = [f"### NTREX-128 {split_name} split ({len(numbers)} sentences per language pair, seed {seed})", "",
           HEADER.format("language pair")]
    out += [by_pair[pair].row(pair) for pair in PAIRS] + [total.row("**all**"), "", HEADER.format("altered fact")]
    for kind in KINDS:
        t = by_kind[kind]
        out.append(f"| {kind} | | | {t.altered} | {t.found / t.altered if t.altered else float('nan'):.3f} | "
                   f"{t.altered_right / t.altered_reports if t.altered_reports else float('nan'):.3f} | |")
    out += ["", f"False alarms by kind on unaltered pairs: {dict(alarms.most_common())}",
            f"{calls} comparisons in {elapsed:.1f} s ({1000 * elapsed / calls:.2f} ms each)"]
    if show:
        out += ["", "False alarms:", *examples, "", "Missed alterations:", *misses]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many false alarms and missed alterations")
    args = parser.parse_args(argv)
    print(run(args.split, args.seed, args.show))


if __name__ == "__main__":
    main()
