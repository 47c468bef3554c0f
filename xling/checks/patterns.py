"""The patterns and lookups the fact extraction uses, built from :mod:`xling.checks.lexicon`, and the parsers
of what they match (number words, months, scales, currencies, units)."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

WORD_CACHE = 131_072  # folded words and name comparisons kept (the same names recur across an article's passages)
from .lexicon import (
    _CURRENCIES,
    _EQUIVALENTS,
    _LANGUAGES,
    _MONTH_ABBREVIATIONS,
    _MONTHS,
    _NUMBER_WORDS,
    _SCALES,
    _UNITS,
    _UNKNOWN,
    _WEEKDAYS,
    _WEIGHT_POUNDS,
)
from .lexicon import _STOPWORDS as _WORDS_UNFOLDED


@functools.lru_cache(maxsize=WORD_CACHE)
def _fold(text: str) -> str:
    """Lower case without accents: names and words compare across languages."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


_STOPWORDS = frozenset(_fold(w) for w in _WORDS_UNFOLDED)
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
