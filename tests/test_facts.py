"""Fact extraction and comparison: the same fact in en/it/es matches, a changed one is reported."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from xling.checks.facts import Difference, Fact, compare_facts, conflicts, extract_facts, to_json

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _sentence(path: str, needle: str) -> str:
    """The sentence of a seed article that contains ``needle``."""
    text = (SEEDS / path).read_text(encoding="utf-8")
    for sentence in re.split(r"(?<=[.!?”])\s+", text):
        if needle in sentence:
            return sentence
    raise AssertionError(f"{needle!r} not in {path}")


def _values(text: str, lang: str, kind: str) -> list[str]:
    return [f.value for f in extract_facts(text, lang) if f.kind == kind]


# --- the seed pair -----------------------------------------------------------------------------------


def test_seed_trade_figures_differ():
    """The Italian-origin seed says $190 billion last year; the Spanish one says over $200 billion this year."""
    a = _sentence("000_061724f570955f0f.txt", "$190 billion")
    b = _sentence("002_90f3d8e4bff38bac.txt", "$200 billion")
    differences = compare_facts(a, "en", b, "en")
    money = [d for d in differences if d.kind == "money"]
    assert [d.message() for d in money] == ["money: 190 billion USD vs 200 billion USD"]
    (start, end), = money[0].a_spans
    assert a[start:end] == "$190 billion"


def test_seed_same_trade_target_is_not_a_difference():
    a = _sentence("000_061724f570955f0f.txt", "approaching the target of $200 billion")
    b = _sentence("002_90f3d8e4bff38bac.txt", "$200 billion")
    assert not [d for d in compare_facts(a, "en", b, "en") if d.kind == "money"]


def test_seed_forty_second_meeting_matches_but_march_2013_is_only_in_a():
    a = _sentence("000_061724f570955f0f.txt", "42nd meeting")
    b = _sentence("002_90f3d8e4bff38bac.txt", "met 42 times")
    messages = [d.message() for d in compare_facts(a, "en", b, "en")]
    assert "only in A: March 2013" in messages
    assert not any("42" in m for m in messages)


def test_seed_ninety_minute_meeting_is_only_in_a():
    a = _sentence("000_061724f570955f0f.txt", "ninety-minute")
    b = _sentence("002_90f3d8e4bff38bac.txt", "this Wednesday")
    messages = [d.message() for d in compare_facts(a, "en", b, "en")]
    assert "only in A: 90 minute" in messages
    assert "only in B: Wednesday" in messages


def test_seed_facts_in_the_text():
    text = (SEEDS / "000_061724f570955f0f.txt").read_text(encoding="utf-8")
    facts = extract_facts(text, "en")
    assert all(text[f.start : f.end] == f.surface for f in facts)
    values = {(f.kind, f.value) for f in facts}
    assert {("money", "190000000000 USD"), ("money", "200000000000 USD"), ("duration", "90 minute"),
            ("duration", "3 hour"), ("date", "2013-03"), ("number", "130")} <= values


# --- one fact, three languages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Trade reached $200 billion.", "en"),
        ("Trade reached 200 billion dollars.", "en"),
        ("Il commercio ha raggiunto 200 miliardi di dollari.", "it"),
        ("El comercio alcanzó 200 mil millones de dólares.", "es"),
        ("El comercio alcanzó 200.000 millones de dólares.", "es"),
    ],
)
def test_money_is_language_neutral(text, lang):
    assert _values(text, lang, "money") == ["200000000000 USD"]


@pytest.mark.parametrize(
    ("text", "lang", "kind", "value"),
    [
        ("a ninety-minute meeting", "en", "duration", "90 minute"),
        ("un incontro di novanta minuti", "it", "duration", "90 minute"),
        ("una reunión de noventa minutos", "es", "duration", "90 minute"),
        ("after three hours of talks", "en", "duration", "3 hour"),
        ("40 per cent", "en", "percent", "40%"),
        ("il 40%", "it", "percent", "40%"),
        ("el 40 %", "es", "percent", "40%"),
        ("1,000.5 tonnes", "en", "measure", "1000.5 tonne"),
        ("1.000,5 tonnellate", "it", "measure", "1000.5 tonne"),
        ("1.000,5 toneladas", "es", "measure", "1000.5 tonne"),
        ("£11million deal", "en", "money", "11000000 GBP"),
        ("11 milioni di sterline", "it", "money", "11000000 GBP"),
        ("in March 2013", "en", "date", "2013-03"),
        ("nel marzo 2013", "it", "date", "2013-03"),
        ("en marzo de 2013", "es", "date", "2013-03"),
        ("the 1930s", "en", "decade", "30s"),
        ("negli anni '30", "it", "decade", "30s"),
        ("at 3 p.m.", "en", "time", "15:00"),
        ("alle 15.00", "it", "time", "15:00"),
        ("un tredicenne", "it", "duration", "13 year"),
        ("duecentocinquantamila persone", "it", "number", "250000"),
        ("treinta y cinco personas", "es", "number", "35"),
    ],
)
def test_normalised_values(text, lang, kind, value):
    assert _values(text, lang, kind) == [value]


@pytest.mark.parametrize(
    ("a", "lang_a", "b", "lang_b"),
    [
        ("Trade hit $200 billion.", "en", "Il commercio ha toccato 200 miliardi di dollari.", "it"),
        ("Il commercio ha toccato 200 miliardi di dollari.", "it", "El comercio llegó a 200 mil millones de dólares.", "es"),
        ("They met this Wednesday for ninety minutes.", "en", "Si sono incontrati mercoledì per 90 minuti.", "it"),
        ("Over 1,000.5 tonnes were shipped.", "en", "Sono state spedite oltre 1.000,5 tonnellate.", "it"),
        ("Waves as high as 20 feet hit Palu.", "en", "Onde alte fino a 6 metri hanno colpito Palu.", "it"),
        ("Nearly 1.5 million people live in Moscow.", "en", "A Mosca vivono 1.500.000 persone.", "it"),
        ("Putin met Xi in Beijing.", "en", "Putin ha incontrato Xi a Pechino.", "it"),
        ("The United States and Russia", "en", "Estados Unidos y Rusia", "es"),
    ],
)
def test_same_facts_in_two_languages_give_no_difference(a, lang_a, b, lang_b):
    assert compare_facts(a, lang_a, b, lang_b) == []


def test_changed_number_is_reported_with_both_spans():
    a = "L'attacco è avvenuto vicino a Encinitas: 48 ore di chiusura."
    b = "The attack happened near Encinitas: a 52-hour closure."
    (difference,) = compare_facts(a, "it", b, "en")
    assert difference.message() == "duration: 48 hour vs 52 hour"
    assert [a[s:e] for s, e in difference.a_spans] == ["48 ore"]
    assert [b[s:e] for s, e in difference.b_spans] == ["52-hour"]


def test_changed_weekday_and_month_are_reported():
    a = "Il vertice si è tenuto mercoledì 5 marzo."
    b = "The summit was held on Thursday, 5 April."
    kinds = sorted(d.kind for d in compare_facts(a, "it", b, "en"))
    assert kinds == ["date", "weekday"]


def test_swapped_person_is_reported():
    a = "Ieri Angela Merkel ha incontrato i sindacati a Berlino."
    b = "Yesterday Emmanuel Macron met the unions in Berlin."
    (difference,) = compare_facts(a, "it", b, "en")
    assert difference.kind == "name"
    assert (difference.a, difference.b) == ("Angela Merkel", "Emmanuel Macron")


def test_sentence_initial_capitals_are_not_names():
    text = "Officials said the boat sank. Yesterday, rescuers arrived. However, nothing was found."
    assert _values(text, "unknown", "name") == []
    assert compare_facts(text, "en", "Le autorità hanno detto che la barca è affondata.", "it") == []


def test_article_one_is_not_a_number():
    assert _values("One of them said one thing.", "en", "number") == []
    assert _values("Uno di loro ha detto una cosa.", "it", "number") == []


def test_offsets_point_at_the_surface():
    text = "Über 2.800 Menschen — £2.8bn, 7,5 %, «una frase citata qui dentro», 12 giugno 2018 e alle 7.55 del mattino."
    facts = extract_facts(text, "unknown")
    assert facts and all(text[f.start : f.end] == f.surface for f in facts)
    assert all(isinstance(f, Fact) for f in facts)


def test_to_json_is_compact_and_empty_when_nothing_differs():
    assert to_json([]) == ""
    difference = Difference(kind="number", a="190", b="200", a_spans=((0, 3),), b_spans=((4, 7),))
    encoded = to_json([difference])
    assert " " not in encoded.replace("number: 190 vs 200", "")
    assert json.loads(encoded) == [{"kind": "number", "a": "190", "b": "200", "a_spans": [[0, 3]], "b_spans": [[4, 7]],
                                    "message": "number: 190 vs 200"}]


def test_only_in_messages():
    assert Difference(kind="duration", a="ninety-minute", b=None).message() == "only in A: ninety-minute"
    assert Difference(kind="name", a=None, b="Gaza").message() == "only in B: Gaza"


def test_comparison_is_deterministic():
    a = (SEEDS / "000_061724f570955f0f.txt").read_text(encoding="utf-8")
    b = (SEEDS / "002_90f3d8e4bff38bac.txt").read_text(encoding="utf-8")
    first = to_json(compare_facts(a, "en", b, "en"))
    assert first and first == to_json(compare_facts(a, "en", b, "en"))


def test_a_year_and_a_month_are_not_one_date_told_two_ways():
    found = conflicts(compare_facts("Elections are due in 2020.", "en", "The vote is in November.", "en"))
    assert found == []
    found = conflicts(compare_facts("He was born in March 2013.", "en", "Nació en marzo de 2012.", "es"))
    assert [d.message() for d in found] == ["date: March 2013 vs March 2012"]
