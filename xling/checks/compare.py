"""The differences between the facts of two passages: what one lacks, and what the two state differently.

Every rule that decides "this differs" leans towards silence when a translation could say the same
thing another way (see :mod:`xling.checks.facts`).
"""
from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .extract import FACT_CACHE_TEXTS, Span, _extract, _Found
from .lexicon import _CURRENCIES, _LANGUAGES
from .patterns import _ACRONYM_CHARS, _EQUIVALENT, _PREFIX_SHARE, WORD_CACHE, _dimension, _fold, _to_base

CONVERSION_TOLERANCE = 0.1  # translators round converted units: 30 yards (27.4 m) -> "25 metri"
QUOTE_SHARED = 0.25  # share of a quote's content words the other side must have: two translations of one quote share more


@dataclass(frozen=True, kw_only=True)
class Difference:
    """A fact that differs between passage A and passage B (``a``/``b`` is None when only one side has it)."""

    kind: str
    a: str | None
    b: str | None
    a_spans: tuple[Span, ...] = ()
    b_spans: tuple[Span, ...] = ()

    def message(self) -> str:
        if self.b is None:
            return f"only in A: {self.a}"
        if self.a is None:
            return f"only in B: {self.b}"
        return f"{self.kind}: {self.a} vs {self.b}"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "a": self.a,
            "b": self.b,
            "a_spans": [list(s) for s in self.a_spans],
            "b_spans": [list(s) for s in self.b_spans],
            "message": self.message(),
        }



def compare_facts(text_a: str, lang_a: str, text_b: str, lang_b: str) -> list[Difference]:
    """The facts of A missing from B and of B missing from A, paired as "A vs B" where the kinds agree.

    A fact counts as present when any fact of the other side is compatible with it
    (same magnitude and unit, a converted unit within ``CONVERSION_TOLERANCE``, a date
    that agrees on every part both give, a name whose token appears in the other text).
    """
    found_a, found_b = _extract(text_a, lang_a), _extract(text_b, lang_b)
    missing_a = [f for f in found_a if f.kind not in ("name", "quote") and not any(_compatible(f, g) for g in found_b)]
    missing_b = [g for g in found_b if g.kind not in ("name", "quote") and not any(_compatible(g, f) for f in found_a)]
    differences = _pair(missing_a, missing_b)
    # a name missing from the other side alone is mostly an omission ("Flake" -> "he"), not a wrong fact
    differences += _pair(_missing_names(found_a, text_b), _missing_names(found_b, text_a), alone=False)
    if _same_language(lang_a, lang_b):
        differences += _pair(_missing_quotes(found_a, text_b), _missing_quotes(found_b, text_a))
    return sorted(differences, key=_position)


# Kinds two independent reports can contradict each other on: a value with a unit, a currency or a calendar.
CONFLICT_KINDS = frozenset({"money", "percent", "duration", "measure", "date", "decade", "time"})


def conflicts(differences: Sequence[Difference]) -> list[Difference]:
    """Only the contradictions: both sides give a value of one of the ``CONFLICT_KINDS``, and the values differ.

    Between two translations every missing fact is a discrepancy; between two reports
    in their own words, a name or a quote one passage lacks is just a different choice,
    while "$190 billion" against "$200 billion" is a disagreement a reader wants to see.
    """
    return [d for d in differences if d.a is not None and d.b is not None and d.kind in CONFLICT_KINDS]


def to_json(differences: Sequence[Difference], **extra: object) -> str:
    """Compact JSON list of the differences (each with ``extra`` keys); "" when there are none (an empty cell)."""
    if not differences:
        return ""
    return json.dumps([d.to_dict() | extra for d in differences], separators=(",", ":"), ensure_ascii=False)


def _compatible(f: _Found, g: _Found) -> bool:
    """Whether ``g`` (other side) states the same fact as ``f``, allowing for conversion and partial dates."""
    if f.fact.value == g.fact.value and f.kind == g.kind:
        return True
    if f.kind == "time" or g.kind == "time":
        return f.kind == g.kind and _same_clock(f.clock, g.clock)
    if f.kind == "weekday" or g.kind == "weekday":
        return False
    if f.kind == "date" and g.kind == "date":
        return _same_date(f.ymd, g.ymd)
    if "decade" in (f.kind, g.kind):
        return _same_decade(f, g)
    if f.number is None or g.number is None:
        return False
    return _same_quantity(f, g)


def _same_clock(a: tuple[int, int, bool], b: tuple[int, int, bool]) -> bool:
    if a[1] != b[1]:
        return False
    if a[2] and b[2]:
        return a[0] == b[0]
    return a[0] % 12 == b[0] % 12


def _same_date(a: tuple, b: tuple) -> bool:
    shared = [(x, y) for x, y in zip(a, b) if x is not None and y is not None]
    return bool(shared) and all(x == y for x, y in shared)


def _same_decade(f: _Found, g: _Found) -> bool:
    """"the 1930s" = "anni '30" = "años 30"; "the 2000s" = "los 2000"."""
    if f.number is None or g.number is None:
        return False
    return int(f.number) % 100 == int(g.number) % 100 and int(f.number) % 10 == 0


def _same_quantity(f: _Found, g: _Found) -> bool:
    values_f = [v for v in (f.number, f.alt) if v is not None]
    values_g = [v for v in (g.number, g.alt) if v is not None]
    if f.unit == g.unit or not f.unit or not g.unit:
        if (f.unit in _CURRENCIES) != (g.unit in _CURRENCIES) and f.unit and g.unit:
            return False
        return any(_close(x, y, 1e-9) for x in values_f for y in values_g)
    converted = _to_base(f.unit, values_f), _to_base(g.unit, values_g)
    if converted[0] is None or converted[1] is None:
        return False
    return any(_close(x, y, CONVERSION_TOLERANCE) for x in converted[0] for y in converted[1])


def _close(x: float, y: float, tolerance: float) -> bool:
    return abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-12)


def _missing_names(found: list[_Found], other_text: str) -> list[_Found]:
    """Names none of whose distinctive tokens appears, even translated or inflected, in the other text."""
    names = [f for f in found if f.kind == "name"]
    if not names:
        return []
    vocabulary = _vocabulary(other_text)
    return [f for f in names if not all(_token_present(t, vocabulary) for t in f.tokens)]


def _missing_quotes(found: list[_Found], other_text: str) -> list[_Found]:
    """Quoted phrases (same language only) most of whose words the other text lacks: a quote it does not report.

    Two translations of one quote share few exact phrasings but most content words.
    """
    other = set(re.findall(r"\w+", _fold(other_text)))
    out = []
    for f in found:
        words = [w for w in f.fact.value.split() if len(w) >= 4]
        if f.kind == "quote" and words and sum(w in other for w in words) < QUOTE_SHARED * len(words):
            out.append(f)
    return out


def _same_language(lang_a: str, lang_b: str) -> bool:
    return lang_a == lang_b and lang_a in _LANGUAGES


_FAMILY = {"number": "quantity", "money": "quantity", "percent": "quantity", "duration": "quantity",
           "measure": "quantity", "date": "date", "decade": "date", "weekday": "weekday", "time": "time",
           "name": "name", "quote": "quote"}


def _pair(missing_a: list[_Found], missing_b: list[_Found], *, alone: bool = True) -> list[Difference]:
    """Pair missing A and B facts of one family, nearest first; the rest are "only in" when ``alone``."""
    candidates = sorted(
        ((_distance(f, g), i, j) for i, f in enumerate(missing_a) for j, g in enumerate(missing_b) if _pairable(f, g)),
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    out: list[Difference] = []
    for _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        f, g = missing_a[i], missing_b[j]
        if f.strong or g.strong or (f.digits and g.digits):
            kind = f.kind if f.kind == g.kind else _FAMILY[f.kind]
            out.append(Difference(kind=kind, a=f.display, b=g.display, a_spans=(f.span,), b_spans=(g.span,)))
    if alone:
        out += [Difference(kind=f.kind, a=f.display, b=None, a_spans=(f.span,))
                for i, f in enumerate(missing_a) if i not in used_a and f.strong]
        out += [Difference(kind=g.kind, a=None, b=g.display, b_spans=(g.span,))
                for j, g in enumerate(missing_b) if j not in used_b and g.strong]
    return out


def _pairable(f: _Found, g: _Found) -> bool:
    if _FAMILY[f.kind] != _FAMILY[g.kind]:
        return False
    if _FAMILY[f.kind] == "quantity" and f.unit != g.unit:
        if f.unit and g.unit:
            return _dimension(f.unit) == _dimension(g.unit)
        return (f.digits if not f.unit else g.digits)  # "2" and "$200 billion" are not one fact told two ways
    if f.kind == "date" and g.kind == "date":  # "2020" and "November" say different things, not different dates
        return any(x is not None and y is not None for x, y in zip(f.ymd, g.ymd))
    return True


def _distance(f: _Found, g: _Found) -> tuple[int, float]:
    """Pairs of strong facts first, then the closest magnitude (numbers) or the earliest (the rest)."""
    weak = (not f.strong) + (not g.strong)
    if f.number and g.number:
        return (weak, abs(math.log(abs(f.number) + 1) - math.log(abs(g.number) + 1)))
    return (weak, 0.0)


def _position(d: Difference) -> tuple[int, int]:
    first_a = d.a_spans[0][0] if d.a_spans else 1 << 30
    first_b = d.b_spans[0][0] if d.b_spans else 1 << 30
    return (first_a, first_b)



@functools.lru_cache(maxsize=FACT_CACHE_TEXTS)
def _vocabulary(text: str) -> frozenset[str]:
    """Folded words of ``text`` and the equivalence classes (Moscow = Mosca = Moscú) they belong to."""
    words = set(re.findall(r"\w+", _fold(text)))
    classes = {c for w in words for c in _EQUIVALENT.get(w, ())}
    return frozenset(words | classes | {"".join(sorted(w)) + "#" for w in words if len(w) <= _ACRONYM_CHARS})


def _token_present(token: str, vocabulary: frozenset[str]) -> bool:
    if token in vocabulary or not vocabulary.isdisjoint(_EQUIVALENT.get(token, ())):
        return True
    if len(token) <= _ACRONYM_CHARS and "".join(sorted(token)) + "#" in vocabulary:
        return True  # NATO/OTAN, HIV/VIH, EU/UE
    if len(token) < 4:
        return False
    by_prefix, by_length = _vocabulary_index(vocabulary)
    # _similar needs a shared four-letter start or lengths within two: only those words are compared
    nearby = (w for length in range(len(token) - 2, len(token) + 3) for w in by_length.get(length, ()))
    return any(_similar(token, word) for word in (*by_prefix.get(token[:4], ()), *nearby))  # Jakarta/Yakarta differ at the start


@functools.lru_cache(maxsize=FACT_CACHE_TEXTS)
def _vocabulary_index(vocabulary: frozenset[str]) -> tuple[dict[str, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    """A vocabulary's words of four letters or more by their first four letters and by their length."""
    by_prefix: dict[str, list[str]] = {}
    by_length: dict[int, list[str]] = {}
    for word in sorted(w for w in vocabulary if len(w) >= 4):
        by_prefix.setdefault(word[:4], []).append(word)
        by_length.setdefault(len(word), []).append(word)
    return {k: tuple(v) for k, v in by_prefix.items()}, {k: tuple(v) for k, v in by_length.items()}


@functools.lru_cache(maxsize=WORD_CACHE)
def _similar(a: str, b: str) -> bool:
    """Inflected or translated forms of one name: a long shared start, or an edit or two apart."""
    shared = len(_common_prefix(a, b))
    if shared >= 4 and shared >= _PREFIX_SHARE * min(len(a), len(b)):
        return True
    return abs(len(a) - len(b)) <= 2 and min(len(a), len(b)) >= 5 and _edits(a, b) <= max(1, min(len(a), len(b)) // 4)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _edits(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
