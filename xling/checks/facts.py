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

from .compare import CONFLICT_KINDS, Difference, compare_facts, conflicts, to_json
from .extract import Fact, Span, extract_facts

__all__ = ["CONFLICT_KINDS", "Difference", "Fact", "Span", "compare_facts", "conflicts", "extract_facts", "to_json"]
# the modules: extract (facts of one passage), compare (differences of two), patterns and lexicon (the vocabulary as data)

