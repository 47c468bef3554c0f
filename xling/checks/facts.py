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

from collections.abc import Sequence

from .compare import CONFLICT_KINDS, Difference, _vocabulary, compare_facts, conflicts, to_json
from .extract import FACT_CACHE_TEXTS, Fact, Span, _extract_cached, extract_facts

__all__ = ["CONFLICT_KINDS", "Difference", "Fact", "Span", "compare_facts", "conflicts", "extract_facts", "to_json", "warm"]
# the modules: extract (facts of one passage), compare (differences of two), patterns and lexicon (the vocabulary as data)


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
