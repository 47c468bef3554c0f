"""Checkable facts of a passage (numbers, money, dates, names, quotes) and the differences between two passages.

Pure and regex based: strings in, typed records out. Facts are normalised to a
language-neutral value so the same fact written in English, Italian or Spanish
compares equal (``$200 billion`` = ``200 miliardi di dollari`` = ``200 mil millones
de dólares`` -> ``200000000000 USD``). A false alarm costs a reader's trust, so
every rule that decides "this differs" leans towards silence when a translation
could legitimately say the same thing another way: unit conversions, spelled-out
small numbers, translated place names and capitalised common words are not reported.
"""
from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from . import wordfreqs


Span = tuple[int, int]
CONVERSION_TOLERANCE = 0.1  # translators round converted units: 30 yards (27.4 m) -> "25 metri"
YEAR_RANGE = (1500, 2100)  # a bare four-digit number in this range is read as a year
WEAK_WORD_NUMBER = 100  # spelled-out numbers below this, with no unit, are often rephrased ("two" -> "a couple")
COMMON_WORD_ZIPF = 3.0  # once in a million words or more
LANGUAGE_SPECIFIC_ZIPF = 1.5  # a word this much more frequent in its own language than in the others is translated
MIN_QUOTE_WORDS = 3
QUOTE_SHARED = 0.25  # share of a quote's content words the other side must have: two translations of one quote share more


@dataclass(frozen=True, kw_only=True)
class Fact:
    """One checkable fact; ``text[start:end] == surface`` for the text it came from.

    ``value`` is normalised and language-neutral (``200000000000 USD``, ``90 minute``,
    ``2013-03``, ``wednesday``, ``xi jinping``) so equal facts in two languages compare equal.
    """

    kind: str
    value: str
    start: int
    end: int
    surface: str


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


@dataclass(frozen=True, kw_only=True)
class _Found:
    """A fact with what comparing it needs: a magnitude and unit, date parts, or name tokens.

    ``strong`` facts are reported when the other side lacks them; weak ones (spelled-out
    small numbers, single-token names) only take part in an "A vs B" pair.
    """

    fact: Fact
    display: str
    strong: bool = True
    digits: bool = False  # written in digits: two such facts that differ are always worth a look ("89th" vs "99th")
    number: float | None = None
    alt: float | None = None  # second reading of an ambiguous separator: "3,000" in Spanish
    unit: str = ""
    ymd: tuple[int | None, int | None, int | None] = (None, None, None)
    clock: tuple[int, int, bool] = (0, 0, False)  # hour, minute, whether the hour is known to be 24h
    tokens: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.fact.kind

    @property
    def span(self) -> Span:
        return (self.fact.start, self.fact.end)


def extract_facts(text: str, lang: str) -> list[Fact]:
    """Every fact of ``text`` in order of position. ``lang`` "it", "es", "en"; anything else accepts all three."""
    return [found.fact for found in _extract(text, lang)]


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


# --- extraction ---------------------------------------------------------------------------------------


FACT_CACHE_TEXTS = 8_192  # segments whose facts are kept: a segment is compared with several others in a run
WORD_CACHE = 131_072  # folded words and name comparisons kept (the same names recur across an article's passages)


def warm(passages: Sequence[tuple[str, str]]) -> None:
    """Read the facts and words of ``(text, lang)`` passages ahead of comparing them, into the caches.

    The pipeline calls it while the encoder runs, so the comparisons after the
    alignment find their passages read. Beyond the cache's size it does nothing.
    """
    if len(passages) > FACT_CACHE_TEXTS:
        return
    for text, lang in passages:
        _extract_cached(text, lang)
        _vocabulary(text)


def _extract(text: str, lang: str) -> list[_Found]:
    return list(_extract_cached(text, lang))


@functools.lru_cache(maxsize=FACT_CACHE_TEXTS)
def _extract_cached(text: str, lang: str) -> tuple[_Found, ...]:
    return tuple(_extract_all(text, lang))


def _extract_all(text: str, lang: str) -> list[_Found]:
    patterns = _patterns(lang)
    taken: list[Span] = []
    out: list[_Found] = []
    for finder in (_times, _dates, _weekdays, _digit_numbers, _word_numbers, _ages, _names):
        for found in finder(text, patterns):
            if not any(found.fact.start < e and s < found.fact.end for s, e in taken):
                out.append(found)
                taken.append(found.span)
    out.extend(_quotes(text))
    return sorted(out, key=lambda f: (f.fact.start, f.fact.end))


def _fact(text: str, kind: str, value: str, start: int, end: int) -> Fact:
    return Fact(kind=kind, value=value, start=start, end=end, surface=text[start:end])


def _times(text: str, p: _Patterns):
    for m in p.time.finditer(text):
        hour, minute = int(m["h"]), int(m["mi"] or 0)
        suffix = (m["suf"] or "").strip().lower()
        clock_word = m["pre"] and m["pre"].strip().lower() in _CLOCK_WORDS and _CLOCK_END.match(text, m.end())
        if not (suffix or m["sep"] == ":" or (m["pre"] and m["mi"]) or clock_word):
            continue
        if hour > 24 or minute > 59 or (suffix == "h" and not m["pre"]):
            continue
        pm = suffix.startswith("p") or any(w in suffix for w in _PM_WORDS)
        am = suffix.startswith("a") or any(w in suffix for w in _AM_WORDS)
        if pm and hour < 12:
            hour += 12
        if am and hour == 12:
            hour = 0
        known = pm or am or hour >= 13 or hour == 0 or bool(m["mi"] and m["sep"] in ":." and hour > 12)
        value = f"{hour:02d}:{minute:02d}"
        yield _Found(fact=_fact(text, "time", value, m.start("h"), m.end()), display=value, clock=(hour, minute, known))


def _dates(text: str, p: _Patterns):
    for m in p.date.finditer(text):
        day = m["d1"] or m["d2"]
        if m["m3"] == "May" and not m["y3"]:
            continue  # alone, "May" is as often Theresa May or the verb
        month = _month_number(m["m1"] or m["m2"] or m["m3"])
        year = m["y1"] or m["y2"] or m["y3"]
        ymd = (int(year) if year else None, month, int(day) if day else None)
        if ymd[2] is not None and not 1 <= ymd[2] <= 31:
            continue
        yield _Found(fact=_fact(text, "date", _date_value(ymd), m.start(), m.end()), display=_date_display(ymd), ymd=ymd)


def _weekdays(text: str, p: _Patterns):
    for m in p.weekday.finditer(text):
        if _TITLE_AFTER.match(text, m.end()) and not _sentence_initial(text, m.start()):
            continue  # "Saturday Night Live", "The Sunday Times"
        name = _weekday_name(m.group())
        yield _Found(fact=_fact(text, "weekday", name, m.start(), m.end()), display=name.capitalize())


def _digit_numbers(text: str, p: _Patterns):
    for m in p.number.finditer(text):
        if m["num"][-1:] in ".,":
            continue
        value, alt = _parse_digits(m["num"], p.lang)
        yield _measure(text, m, value, alt, spelled=False)


def _word_numbers(text: str, p: _Patterns):
    for m in p.words.finditer(text):
        value = _parse_number_words(m["num"])
        if value is None or (value == 1 and not m["scale"]):
            continue  # "one", "un", "una" are articles and pronouns far more often than counts
        yield _measure(text, m, value, None, spelled=True)


def _ages(text: str, p: _Patterns):
    """Italian ages in one word: "tredicenne" is "13 anni", "trentunenne" "31 anni"."""
    if p.lang not in ("it", _UNKNOWN):
        return
    for m in _AGE_WORD.finditer(text):
        stem = m["stem"].lower()
        value = next((v for v in (_parse_number_words(stem + end) for end in "iaoe") if v), None)
        if value and value > 1:
            yield _Found(fact=_fact(text, "duration", f"{_plain(value)} year", m.start(), m.end()),
                         display=f"{_plain(value)} year", number=value, unit="year")


def _measure(text: str, m: re.Match, value: float, alt: float | None, *, spelled: bool) -> _Found:
    """A number with its scale, currency, percent sign or unit, as one fact."""
    scale_word, unit_word = m["scale"] or "", m["unit"] or m["curw"] or ""
    if scale_word in _ATTACHED_SCALES and not m["cur"] and not m["curw"]:
        scale_word, unit_word = "", ("m" if scale_word == "m" else unit_word)  # "100m" is a distance
    scale = _scale_of(scale_word) if scale_word else 1
    value, alt = value * scale, (alt * scale if alt is not None else None)
    currency = _currency_of(m["cur"] or m["curw"] or "", bool(scale_word or m["cur"]))
    unit = currency or ("%" if m["pct"] else _unit_of(unit_word))
    start, end = m.start(), m.end()
    if m["curw"] and not currency and not unit:
        end = m.start("curw")
    if m["decpre"] or m["decade"]:
        decade = f"{int(value) % 100:02d}s"
        return _Found(fact=_fact(text, "decade", decade, start, end), display=text[start:end], number=value)
    kind = _measure_kind(unit, value, bool(scale_word), m["num"], spelled)
    if kind == "date":
        year = int(value)
        return _Found(fact=_fact(text, "date", str(year), start, end), display=str(year), ymd=(year, None, None),
                      number=value)
    # ordinals ("5.ª planta" / "quinto piano") and spelled-out small counts are often rephrased
    strong = (not spelled or bool(unit or scale_word) or value >= WEAK_WORD_NUMBER) and not m["ord"]
    separator = "" if unit in ("", "%") else " "
    return _Found(fact=_fact(text, kind, f"{_plain(value)}{separator}{unit}", start, end),
                  display=f"{_readable(value)}{separator}{unit}", strong=strong, digits=not spelled, number=value, alt=alt,
                  unit=unit)


def _measure_kind(unit: str, value: float, scaled: bool, digits: str, spelled: bool) -> str:
    if unit == "%":
        return "percent"
    if unit in _CURRENCIES:
        return "money"
    if unit:
        return "duration" if _dimension(unit) == "time" else "measure"
    if not scaled and not spelled and digits.isdigit() and len(digits) == 4 and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]:
        return "date"
    return "number"


def _parse_digits(raw: str, lang: str) -> tuple[float, float | None]:
    """The value of a digit string and, when one separator could be either, the other reading.

    ``1,000.5`` (en) and ``1.000,5`` (it/es) are 1000.5; ``7.5`` and ``7,5`` are 7.5 in any
    language (a group is three digits); ``3,000`` is 3000 in English and ambiguous elsewhere.
    """
    raw = re.sub(r"[\u00a0\u202f\u2009 ]", "", raw)
    seps = [c for c in raw if c in ".,"]
    if not seps:
        return float(raw), None
    if len(set(seps)) == 2:
        decimal = seps[-1]
        whole, frac = raw.rsplit(decimal, 1)
        return float(re.sub(r"[.,]", "", whole) + "." + frac), None
    if len(seps) > 1:
        return float(re.sub(r"[.,]", "", raw)), None
    whole, frac = re.split(r"[.,]", raw)
    as_decimal, as_group = float(f"{whole}.{frac}"), float(whole + frac)
    if len(frac) != 3 or whole == "0":
        return as_decimal, None
    grouping = {"en": ",", "it": ".", "es": "."}.get(lang)
    if grouping is None:
        return as_group, as_decimal
    return (as_group, as_decimal) if seps[0] == grouping else (as_decimal, as_group)


def _names(text: str, p: _Patterns):
    """Runs of capitalised words, without function words at their ends or a lone sentence-initial word."""
    for run in _capitalised_runs(text):
        while run and _is_stopword(run[0].group()):
            run.pop(0)
        initial = len(run) == 1 and _sentence_initial(text, run[0].start())
        if initial and p.lang not in _LANGUAGES:
            continue  # "Officials said": without the language's word frequencies a capital here says nothing
        while run and _is_stopword(run[-1].group()):
            run.pop()
        if not run:
            continue
        start, end = run[0].start(), run[-1].end()
        surface = re.sub(r"['’]s$", "", text[start:end])
        end = start + len(surface)
        folded = " ".join(re.findall(r"\w+", _fold(surface)))
        words = re.findall(r"\w+", surface.lower())
        tokens = tuple(_fold(w) for w in words if len(w) > 1 and not _translated_word(w, p.lang))
        if not tokens or (len(run) == 1 and _adjective_like(text, end, surface, p.lang)):
            continue
        acronyms = all(w.group().isupper() for w in run)  # translated as often as not: UN/ONU, GOP, BST
        yield _Found(fact=_fact(text, "name", folded, start, end), display=surface, tokens=tokens,
                     strong=not acronyms and not initial)


def _translated_word(token: str, lang: str) -> bool:
    """A title, or a word common in this language only ("Giustizia", "Seguridad", "Pechino"): a translation, not a name.

    Names of people and most places are about as frequent in English, Italian and Spanish
    text; words a translator translates are frequent in one language only.
    """
    if _fold(token) in _GENERIC_NAME_WORDS:
        return True
    if lang not in _LANGUAGES:
        return False
    own = _zipf(token, lang)
    if own < COMMON_WORD_ZIPF:
        return False  # a rare word ("Nugroho") is a name even if English text uses it most
    return own - max(_zipf(token, other) for other in _LANGUAGES if other != lang) >= LANGUAGE_SPECIFIC_ZIPF


def _zipf(word: str, lang: str) -> float:
    return wordfreqs.zipf(word.lower(), lang)  # wordfreq's values, from a table that loads in a tenth of a second


def _capitalised_runs(text: str) -> list[list[re.Match]]:
    """Words starting with a capital letter, grouped when only spaces separate them."""
    runs: list[list[re.Match]] = []
    for word in _CAPITALISED.finditer(text):
        if not word.group()[0].isupper():
            continue
        if runs and not text[runs[-1][-1].end() : word.start()].strip(" ") and not _POSSESSIVE.search(runs[-1][-1].group()):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"“”«»‘’'(¿¡—–-")
    return not before or before[-1] in ".!?…:;\n"


def _adjective_like(text: str, end: int, word: str, lang: str) -> bool:
    """An English demonym or creed used as an adjective ("Belgian star", "Muslim gangs"): it/es write it lower case."""
    if lang not in ("en", _UNKNOWN):
        return False
    folded = _fold(word)
    if folded in _CAPITALISED_ADJECTIVES:
        return True
    following = re.match(r"\s+([a-z]\w*)", text[end:])
    return bool(following) and bool(re.search(r"(?:an|ian|ese|ish|ic|i|ch)$", folded))


def _quotes(text: str):
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        if len(inner.split()) < MIN_QUOTE_WORDS:
            continue
        value = " ".join(re.findall(r"\w+", _fold(inner)))
        yield _Found(fact=_fact(text, "quote", value, m.start(), m.end()), display=m.group(), strong=True)


# --- comparison ---------------------------------------------------------------------------------------


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


def _plain(value: float) -> str:
    """``200000000000``, ``7.5``: no exponent, no trailing zeros."""
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _readable(value: float) -> str:
    """``190 billion``, ``1.5 million``, ``3000``: the scale a reader expects."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"{_plain(round(value / size, 6))} {word}"
    return _plain(value)


def _date_value(ymd: tuple[int | None, int | None, int | None]) -> str:
    year, month, day = ymd
    parts = [f"{year:04d}" if year else "xxxx"]
    if month:
        parts.append(f"{month:02d}")
        if day:
            parts.append(f"{day:02d}")
    elif day:
        parts.append(f"xx-{day:02d}")
    return "-".join(parts)


def _date_display(ymd: tuple[int | None, int | None, int | None]) -> str:
    year, month, day = ymd
    words = [str(day) if day else "", _MONTH_NAMES[month - 1] if month else "", str(year) if year else ""]
    return " ".join(w for w in words if w)


# --- vocabulary of it/es/en and the patterns built from it ---------------------------------------------

_UNKNOWN = "unknown"
_LANGUAGES = ("en", "it", "es")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
_MONTHS = {
    "en": _MONTH_NAMES,
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}
_MONTH_ABBREVIATIONS = ("Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.")
_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_CLOCK_WORDS = frozenset({"alle", "dalle", "alle ore", "ore", "las", "a las", "desde las", "hasta las"})
_CLOCK_END = re.compile(r"\s*(?:[,.;:)]|$|\s(?:di|del|de|in|e|y|ora|ore|horas?)\b)")  # "alle 15 di", not "dalle 12 partite"
_AM_WORDS = ("mattin", "mañana", "madrugada", "morning")
_PM_WORDS = ("pomeriggio", "sera", "notte", "tarde", "noche", "afternoon", "evening", "night")

# number words: value of each word (Italian compounds are split into these pieces first)
_NUMBER_WORDS = {
    "en": dict(zip(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split(), range(20))) | {
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90, "hundred": 100, "thousand": 1000},
    "it": {"zero": 0, "uno": 1, "un": 1, "una": 1, "due": 2, "tre": 3, "tré": 3, "quattro": 4, "cinque": 5, "sei": 6,
           "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13,
           "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19,
           "venti": 20, "vent": 20, "trenta": 30, "trent": 30, "quaranta": 40, "quarant": 40, "cinquanta": 50,
           "cinquant": 50, "sessanta": 60, "sessant": 60, "settanta": 70, "settant": 70, "ottanta": 80,
           "ottant": 80, "novanta": 90, "novant": 90, "cento": 100, "mille": 1000, "mila": 1000},
    "es": dict(zip(
        "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
        "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis "
        "veintisiete veintiocho veintinueve".split(), range(30))) | {
        "un": 1, "una": 1, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
        "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
        "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500,
        "quinientas": 500, "seiscientos": 600, "seiscientas": 600, "setecientos": 700, "setecientas": 700,
        "ochocientos": 800, "ochocientas": 800, "novecientos": 900, "novecientas": 900, "mil": 1000},
}
_JOINERS = {"en": r"(?:-|\s+and\s+|\s+)", "it": r"(?:\s+e\s+|\s+)", "es": r"(?:\s+y\s+|\s+)"}
_SCALES = {  # word -> multiplier; "billion" words differ: "billones" is 1e12, "miliardi" 1e9
    "mil millones": 1e9, "mila miliardi": 1e12, "trillion": 1e12, "trillions": 1e12, "billones": 1e12, "billón": 1e12,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "miliardi": 1e9, "miliardo": 1e9, "mld": 1e9, "millardos": 1e9,
    "millardo": 1e9, "million": 1e6, "millions": 1e6, "millones": 1e6, "millón": 1e6, "milioni": 1e6,
    "milione": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "mila": 1e3, "mil": 1e3, "k": 1e3,
}
_ATTACHED_SCALES = ("m", "mn", "bn", "k")  # only right after a currency amount: "£125m"; "100m" alone is metres
_CURRENCIES = {
    "USD": ("$", "US$", "USD", "dollar", "dollars", "dollari", "dollaro", "dólar", "dólares"),
    "EUR": ("€", "EUR", "euro", "euros"),
    "GBP": ("£", "GBP", "pounds sterling", "pound sterling", "sterline", "sterlina", "libras esterlinas",
            "libra esterlina", "pounds", "pound", "libras", "libra"),
    "JPY": ("¥", "yen", "JPY"),
    "CNY": ("yuan", "renminbi", "CNY"),
    "INR": ("rupees", "rupie", "rupias", "INR"),
    "RUB": ("rubles", "roubles", "rubli", "rublos", "RUB"),
    "MXN": ("pesos", "MXN"),
}
_WEIGHT_POUNDS = ("pounds", "pound", "libras", "libra")  # money only next to a scale word or a currency sign
_UNITS: dict[str, tuple[str, float, tuple[str, ...]]] = {  # canonical -> (dimension, factor to base unit, words)
    "second": ("time", 1, ("seconds", "second", "secondi", "segundos", "segundo", "sec")),
    "minute": ("time", 60, ("minutes", "minute", "minuti", "minuto", "minutos", "min")),
    "hour": ("time", 3600, ("hours", "hour", "ore", "ora", "horas", "hora", "hrs", "hr")),
    "day": ("time", 86400, ("days", "day", "giorni", "giorno", "días", "día", "dias", "dia")),
    "week": ("time", 604800, ("weeks", "week", "settimane", "settimana", "semanas", "semana")),
    "month": ("time", 2.63e6, ("months", "month", "mesi", "mese", "meses", "mes")),
    "year": ("time", 3.156e7, ("year-old", "years-old", "years old", "year old", "years", "year", "anni", "anno",
                               "años", "año", "enne")),
    "decade": ("time", 3.156e8, ("decades", "decade", "decenni", "decennio", "décadas", "década")),
    "km": ("length", 1000, ("kilometres", "kilometers", "kilometre", "kilometer", "chilometri", "chilometro",
                            "kilómetros", "kilómetro", "km")),
    "metre": ("length", 1, ("metres", "meters", "metre", "meter", "metri", "metro", "metros", "m")),
    "cm": ("length", 0.01, ("centimetres", "centimeters", "centimetri", "centímetros", "cm")),
    "mile": ("length", 1609.34, ("miles", "mile", "miglia", "miglio", "millas", "milla")),
    "yard": ("length", 0.9144, ("yards", "yard", "iarde", "yardas")),
    "foot": ("length", 0.3048, ("feet", "foot", "ft", "piedi", "pies")),
    "inch": ("length", 0.0254, ("inches", "inch", "pollici", "pulgadas")),
    "km/h": ("speed", 1 / 3.6, ("km/h", "km/ora", "kph", "kmh", "chilometri orari", "km orari", "kilómetros por hora")),
    "mph": ("speed", 0.44704, ("mph", "miles per hour", "miglia orarie", "miglia/ora", "millas por hora")),
    "kg": ("mass", 1, ("kilograms", "kilogrammes", "kilos", "kilo", "chili", "chilogrammi", "kilogramos", "kg")),
    "lb": ("mass", 0.4536, ("lbs", "lb", "libbre")),
    "tonne": ("mass", 1000, ("tonnes", "tons", "tonne", "ton", "tonnellate", "toneladas")),
    "hectare": ("area", 1e4, ("hectares", "ettari", "hectáreas", "ha")),
    "acre": ("area", 4046.86, ("acres", "acri")),
    "degree": ("temperature", 1, ("degrees", "degree", "gradi", "grados", "°C", "°F")),
}
_GENERIC_NAME_WORDS = frozenset("""
    mr mrs ms miss dr prof sir lord lady rev reverend father mister signor signora senor senora sr sra don dona
    president presidente prime premier minister ministro ministra governor governatore gobernador senator
    senatore senador general generale chancellor cancelliere canciller secretary segretario secretario chief
    judge giudice juez officer coach captain capitano capitan professor professore profesor doctor dottore
    dottor presiding vice deputy mayor sindaco alcalde queen king prince princess st saint san santa
""".split())
_STOPWORDS = frozenset("""
    the a an this that these those in on at for from by with of to and or but if when while after before as it its
    he she they we i you his her their our my your there here then so yet not no yes all some many most both each
    every other such what which who whom whose why how where also however although though because since until
    unless despite during meanwhile now today yesterday tomorrow last next according under over about between
    il lo la i gli le un uno una del della dei degli delle nel nella nei negli nelle al alla ai agli alle dal dalla
    di da con su per tra fra e o ma se quando mentre dopo prima come anche però perché questo questa questi queste
    quello quella quelli quelle ci si non già ancora oggi ieri domani secondo lui lei loro noi voi io tu cui che chi
    dove sono è ha hanno era nessuno ogni tutti tutto inoltre infatti intanto
    el los las unos unas de en por para sin sobre entre y pero cuando después antes también porque este esta
    estos estas ese esa esos esas aquel aquella les nos ya hoy ayer mañana según él ella ellos ellas usted que
    quien donde es son fue han además aunque tras desde hasta cada todos todo sus su mi tu
""".split())
_CAPITALISED_ADJECTIVES = frozenset("""
    muslim muslims greek greeks swiss thai democrat democrats conservative conservatives labour tory tories
    protestant sikh hindu buddhist jew jews jewish islamist jihadist arab arabs kurd kurds basque catholic
    catholics christian christians western eastern northern southern
""".split())
_EQUIVALENTS = """
    beijing pechino pekin | moscow mosca moscu | naples napoli napoles | germany germania alemania |
    spain spagna espana | united uniti unidos unite | states stati estados | kingdom regno reino |
    britain bretagna bretana | england inghilterra inglaterra | wales galles gales | scotland scozia escocia |
    switzerland svizzera suiza | netherlands olanda holanda | mexico messico | japan giappone japon | china cina |
    london londra londres | paris parigi | rome roma | brussels bruxelles bruselas | geneva ginevra ginebra |
    lisbon lisbona lisboa | athens atene atenas | jerusalem gerusalemme jerusalen | kyiv kiev kiev |
    turkey turchia turquia | egypt egitto egipto | lebanon libano | korea corea | zealand zelanda |
    philippines filippine filipinas | sweden svezia suecia | norway norvegia noruega | denmark danimarca dinamarca |
    hungary ungheria hungria | belgium belgio belgica | croatia croazia croacia | ukraine ucraina ucrania |
    catalonia catalogna cataluna | barcelona barcellona | seville siviglia sevilla | florence firenze florencia |
    venice venezia venecia | milan milano | turin torino | genoa genova | sardinia sardegna cerdena |
    white bianca blanca | house casa | court corte tribunal | nations nazioni naciones | church chiesa iglesia |
    army esercito ejercito | party partito partido | government governo gobierno | bank banca banco |
    world mondo mundo mondiale mundial | cup coppa copa | league lega liga | east est este oriente |
    west ovest oeste occidente | north nord norte | south sud sur | middle medio | pope papa | king re rey |
    queen regina reina | hurricane uragano huracan | storm tempesta tormenta | airport aeroporto aeropuerto |
    school scuola escuela | hospital ospedale | river fiume rio | lake lago | island isola isla |
    islands isole islas | mount monte | sea mare mar | committee commissione comitato comision comite |
    council consiglio consejo | office ufficio oficina | agency agenzia agencia | foundation fondazione fundacion |
    company compagnia compania societa | day giorno dia giornata | christmas natale navidad | easter pasqua pascua |
    god dio dios | great grande gran | hall sala salon | people popolo pueblo | new nuova nuovo nueva nuevo |
    york | state stato estado | city citta ciudad | street strada via calle | square piazza plaza |
    america usa us eeuu ee uu stati uniti unidos united states estados statunitense americano americana american |
    un onu nazioni naciones unite unidas nations | eu ue | uk | nato otan | kremlin cremlino | capitol campidoglio capitolio | russia rusia russo russa ruso rusa |
    europe europa | european europeo europea | union unione | justice giustizia justicia | health salute salud |
    police polizia policia | home interno interior | defence defense difesa defensa | foreign esteri exteriores |
    treasury tesoro | navy marina armada | air aerea aereo | force forza fuerza forze fuerzas |
    guard guardia | coast costa | border frontiera frontera | republic repubblica republica |
    democratic democratico democratica democrata | national nazionale nacional | central centrale |
    supreme suprema supremo | federal federale | reserve riserva | senate senato senado | judiciary giudiziaria judicial
"""
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ('"', '"'), ("„", "“"), ("‘", "’"))
_QUOTE = re.compile("|".join(rf"{re.escape(o)}([^{re.escape(c)}\n]{{3,400}}?){re.escape(c)}" for o, c in _QUOTE_PAIRS))


@functools.lru_cache(maxsize=WORD_CACHE)
def _fold(text: str) -> str:
    """Lower case without accents: names and words compare across languages."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


_STOPWORDS = frozenset(_fold(w) for w in _STOPWORDS)
_EQUIVALENT: dict[str, frozenset[str]] = {}
for _number, _group in enumerate(_EQUIVALENTS.split("|")):
    for _word in _group.split():
        _EQUIVALENT[_word] = _EQUIVALENT.get(_word, frozenset()) | {f"#{_number}"}
_ACRONYM_CHARS = 5
_PREFIX_SHARE = 0.6  # "Londra"/"London", "Mosca"/"Moscow": a shared start of four letters and most of the word


@dataclass(frozen=True)
class _Patterns:
    """The compiled patterns for one language ("unknown": all three)."""

    lang: str
    time: re.Pattern
    date: re.Pattern
    weekday: re.Pattern
    number: re.Pattern
    words: re.Pattern


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _tail(langs: tuple[str, ...]) -> str:
    """What may follow a number: ordinal mark, scale, then a percent sign, a currency or a unit."""
    currency_words = [w for words in _CURRENCIES.values() for w in words if w[0].isalpha() or len(w) == 1]
    unit_words = [w for _, _, words in _UNITS.values() for w in words]
    percent = r"\s?%|\s+(?:per\s?cent|percent|per\s+cento|percento|por\s+ciento)(?!\w)"
    return (
        r"(?P<ord>(?:st|nd|rd|th|\.?º|\.?ª|°)(?!\w|C\b|F\b))?"
        rf"(?:(?:\s*|-)(?P<scale>{_alternation(_SCALES)})(?!\w))?"
        rf"(?:(?P<pct>{percent})"
        rf"|\s*(?:(?:of|di|de|dei|del)\s+)?(?P<curw>{_alternation(currency_words)})(?!\w)"
        rf"|(?P<decade>s)(?!\w)"
        rf"|(?:\s*|-)(?:(?:of|di|de)\s+)?(?P<unit>{_alternation(unit_words)})(?![\w/]))?"
    )


def _build(langs: tuple[str, ...], key: str) -> _Patterns:
    months_en = _alternation(_MONTHS["en"] + _MONTH_ABBREVIATIONS) if "en" in langs else "(?!)"
    months_other = _alternation(m for lang in langs if lang != "en" for m in _MONTHS[lang])
    month = rf"(?:{months_en}|(?i:{months_other or '(?!)'}))"
    weekday_other = [w for lang in langs if lang != "en" for w in _WEEKDAYS[lang]]
    weekday_other += [_fold(w) for w in weekday_other]
    weekday = rf"(?<!\w)(?:{_alternation(_WEEKDAYS['en']) if 'en' in langs else '(?!)'}|(?i:{_alternation(weekday_other) or '(?!)'}))(?!\w)"
    year = r"(?:(?:de|del|of)\s+)?(?P<y{n}>\d{{4}})(?!\d)"
    date = (
        rf"(?<!\w)(?P<d1>\d{{1,2}})(?:st|nd|rd|th|º)?\s+(?:(?:de|of)\s+)?(?P<m1>{month})(?:,?\s+{year.format(n=1)})?"
        rf"|(?<!\w)(?P<m2>{month})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d|[.,]\d)(?:,?\s+{year.format(n=2)})?"
        rf"|(?<!\w)(?P<m3>{month})(?:,?\s+{year.format(n=3)})?(?!\w)"
    )
    periods = "|".join(["del mattino", "di mattina", "della mattina", "del pomeriggio", "di sera", "della sera",
                        "di notte", "de la mañana", "de la tarde", "de la noche", "de la madrugada",
                        "in the morning", "in the afternoon", "in the evening", "at night"])
    time = (
        r"(?:(?P<pre>(?<!\w)(?:alle ore|dalle ore|alle|dalle|ore|a las|desde las|hasta las|las|at|by|until|from)\s+))?"
        r"(?<![\d.,:])(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<mi>\d{2}))?(?!\d)(?![.,:]\d)"
        rf"(?P<suf>\s*(?:a\.\s?m\.|p\.\s?m\.|a\.m\b|p\.m\b|am\b|pm\b|o'clock|h\b(?=\s*[,.;)]|\s+[a-z]))|\s+(?:{periods}))?"
    )
    group_spaces = "\u00a0\u202f\u2009" + (" " if "es" in langs else "")  # Spanish groups thousands with spaces
    number = (
        r"(?:(?P<cur>US\$|\$|€|£|¥)\s?)?"
        r"(?P<decpre>(?<!\w)(?:anni|años|years)\s+['’‘]?|['’‘](?=\d0s))?"
        rf"(?<![\w.,/])(?<![^\W\d]-)(?P<num>\d{{1,3}}(?:[{group_spaces}]\d{{3}})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
        + _tail(langs)
    )
    word_pieces = [w for lang in langs for w in _NUMBER_WORDS[lang]]
    word = rf"(?:{_alternation(word_pieces)})+" if "it" in langs else rf"(?:{_alternation(word_pieces)})"
    joiner = r"(?:(?<=hundred)\s+and\s+|(?<=thousand)\s+and\s+|(?<=nta)\s+y\s+|-(?=[a-z])|\s+)"
    words = rf"(?P<cur>(?!x)x)?(?P<decpre>(?!x)x)?(?<!\w)(?P<num>(?i:{word}(?:{joiner}{word})*))(?!\w)" + _tail(langs)
    flags = re.UNICODE
    return _Patterns(lang=key, time=re.compile(time, flags), date=re.compile(date, flags),
                     weekday=re.compile(weekday, flags), number=re.compile(number, flags),
                     words=re.compile(words, flags))


_NUMBER_VALUES = {_fold(w): v for lang in _LANGUAGES for w, v in _NUMBER_WORDS[lang].items()}
_NUMBER_PIECE = re.compile(_alternation(_NUMBER_VALUES))
_MONTH_NUMBERS = {_fold(m.rstrip(".")): i % 12 + 1 for lang in _LANGUAGES for i, m in enumerate(_MONTHS[lang])} | {
    _fold(m.rstrip(".")): [1, 2, 3, 4, 6, 7, 8, 9, 9, 10, 11, 12][i] for i, m in enumerate(_MONTH_ABBREVIATIONS)}
_WEEKDAY_NAMES = {_fold(w): _WEEKDAYS["en"][i].lower() for lang in _LANGUAGES for i, w in enumerate(_WEEKDAYS[lang])}
_SCALE_VALUES = {_fold(w): v for w, v in _SCALES.items()}
_CURRENCY_CODES = {_fold(w): code for code, words in _CURRENCIES.items() for w in words}
_UNIT_CODES = {_fold(w): code for code, (_, _, words) in _UNITS.items() for w in words} | {
    w: "lb" for w in _WEIGHT_POUNDS}
_AGE_WORD = re.compile(r"(?<!\w)(?P<stem>[A-Za-z]{3,}?)enn[ei](?!\w)")
_TITLE_AFTER = re.compile(r" (?!(?:%s)\b)[A-Z]" % "|".join(_MONTHS["en"]))
_POSSESSIVE = re.compile(r"['’]s$")  # "Liverpool's Alisson Becker" is two names
_CAPITALISED = re.compile(r"[^\W\d_](?:[\w’'-]*\w)?")


@functools.cache
def _patterns(lang: str) -> _Patterns:
    """The patterns of ``lang`` (all three languages' for any other), compiled when first needed."""
    return _build((lang,), lang) if lang in _LANGUAGES else _build(_LANGUAGES, _UNKNOWN)


def _month_number(word: str) -> int:
    return _MONTH_NUMBERS[_fold(word.rstrip("."))]


def _weekday_name(word: str) -> str:
    return _WEEKDAY_NAMES[_fold(word)]


def _parse_number_words(run: str) -> float | None:
    """``ninety`` 90, ``twenty-five`` 25, ``duecentocinquantamila`` 250000, ``treinta y cinco`` 35."""
    folded = _fold(run)
    pieces = _NUMBER_PIECE.findall(folded)
    leftover = _NUMBER_PIECE.sub(" ", folded).replace("-", " ").split()
    if not pieces or any(w not in ("and", "y") for w in leftover):
        return None  # "ventinovi" is not a number word, though "venti" starts it
    total, current = 0.0, 0.0
    for piece in pieces:
        value = _NUMBER_VALUES[piece]
        if value == 100:
            current = (current or 1) * 100
        elif value == 1000:
            total += (current or 1) * 1000
            current = 0
        elif current % 100 and (current % 10 or value >= 10):
            return None  # "two three", "venti trenta": two counts side by side, not one number
        else:
            current += value
    return total + current


def _scale_of(word: str) -> float:
    return _SCALE_VALUES[_fold(word)]


def _currency_of(word: str, scaled_or_symbol: bool) -> str:
    """The ISO code of a currency sign or word; "pounds" without a scale or sign is a weight."""
    folded = _fold(word)
    if folded in _WEIGHT_POUNDS and not scaled_or_symbol:
        return ""
    return _CURRENCY_CODES.get(folded, _CURRENCY_CODES.get(word, ""))


def _unit_of(word: str) -> str:
    return _UNIT_CODES.get(_fold(word), "")


def _dimension(unit: str) -> str:
    if unit in _CURRENCIES:
        return "money"
    return _UNITS[unit][0] if unit in _UNITS else unit


def _to_base(unit: str, values: list[float]) -> list[float] | None:
    """Values in the base unit of their dimension (metres, kilograms, seconds...); None if not convertible.

    "degrees" may be Fahrenheit on one side and Celsius on the other, so both readings are given.
    """
    if unit not in _UNITS:
        return None
    if unit == "degree":
        return values + [(v - 32) * 5 / 9 for v in values]
    factor = _UNITS[unit][1]
    return [v * factor for v in values]


def _is_stopword(word: str) -> bool:
    folded = _fold(word.rstrip(".")).replace("’", "'")
    return folded in _STOPWORDS or folded.startswith("i'")  # I've, I'm


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
