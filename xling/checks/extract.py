"""Checkable facts of a passage (numbers, money, dates, names, quotes), each with a normalised, language-neutral value.

Pure and regex based: a string in, typed records out (see :mod:`xling.checks.facts`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import wordfreqs
from .lexicon import (
    _AM_WORDS,
    _ATTACHED_SCALES,
    _CAPITALISED_ADJECTIVES,
    _CLOCK_END,
    _CLOCK_WORDS,
    _CURRENCIES,
    _GENERIC_NAME_WORDS,
    _LANGUAGES,
    _MONTH_NAMES,
    _PM_WORDS,
    _QUOTE_PAIRS,
    _UNKNOWN,
)
from .patterns import (
    _AGE_WORD,
    _CAPITALISED,
    _POSSESSIVE,
    _TITLE_AFTER,
    _currency_of,
    _dimension,
    _fold,
    _is_stopword,
    _month_number,
    _parse_number_words,
    _Patterns,
    _patterns,
    _scale_of,
    _unit_of,
    _weekday_name,
)

Span = tuple[int, int]
YEAR_RANGE = (1500, 2100)  # a bare four-digit number in this range is read as a year
WEAK_WORD_NUMBER = 100  # spelled-out numbers below this, with no unit, are often rephrased ("two" -> "a couple")
COMMON_WORD_ZIPF = 3.0  # once in a million words or more
LANGUAGE_SPECIFIC_ZIPF = 1.5  # a word this much more frequent in its own language than in the others is translated
MIN_QUOTE_WORDS = 3


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



_QUOTE = re.compile("|".join(rf"{re.escape(o)}([^{re.escape(c)}\n]{{3,400}}?){re.escape(c)}" for o, c in _QUOTE_PAIRS))


FACT_CACHE_TEXTS = 8_192  # segments whose facts are kept: a segment is compared with several others in a run


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
