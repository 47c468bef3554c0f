"""The founding case: what a reader of the two seed articles must see (real default model)."""
from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def find(segments, phrase: str) -> int:
    hits = [s.index for s in segments if phrase in s.text]
    assert hits, f"no segment contains {phrase!r}"
    return hits[0]


def find_all(segments, phrase: str) -> set[int]:
    hits = {s.index for s in segments if phrase in s.text}
    assert hits, f"no segment contains {phrase!r}"
    return hits


def linked(pair, a_phrase: str, b_phrase: str) -> bool:
    """Whether some segment of A with ``a_phrase`` is linked to some segment of B with ``b_phrase``."""
    a_hits, b_hits = find_all(pair.a.segments, a_phrase), find_all(pair.b.segments, b_phrase)
    return any(link.a in a_hits and link.b in b_hits for link in pair.links)


SHARED = [
    ("whom he called an “old friend”", "“old friend,”"),
    ("approaching the target of $200 billion", "exceeding $200 billion"),
    ("close and effective strategic coordination”", "“close and effective”"),
    ("international fairness", "jointly safeguard international justice and promote global development"),
    ("“close coordination in foreign policy”", "close coordination of foreign policy is especially needed"),
]


@pytest.mark.parametrize(("a_phrase", "b_phrase"), SHARED)
def test_shared_content_is_linked(seed_comparison, a_phrase, b_phrase):
    assert linked(seed_comparison.pairs[0], a_phrase, b_phrase)


def test_42_meetings_are_linked_to_the_old_friend_passage(seed_comparison):
    pair = seed_comparison.pairs[0]
    assert linked(pair, "42nd meeting", "met 42 times")


def test_gaza_hospital_is_linked(seed_comparison):
    pair = seed_comparison.pairs[0]
    assert linked(pair, "hospital in Gaza", "hospital Gaza")


@pytest.mark.parametrize("phrase", ["International Criminal Court", "not a signatory"])
def test_icc_warrant_passage_of_002_is_unique(seed_comparison, phrase):
    pair = seed_comparison.pairs[0]
    assert find(pair.b.segments, phrase) in pair.unique_b


@pytest.mark.parametrize("phrase", ["over 130 countries", "“success story”", "equal cooperation"])
def test_passages_only_000_has_are_unique(seed_comparison, phrase):
    pair = seed_comparison.pairs[0]
    assert find(pair.a.segments, phrase) in pair.unique_a


def test_metadata_line_is_not_aligned(seed_comparison):
    doc = seed_comparison.documents[0]
    assert all(s.start >= doc.document.body_start for s in doc.segments)
    assert doc.document.metadata["date"] == "2023-10-26"


def test_languages_are_detected(seed_comparison):
    assert [d.document.lang for d in seed_comparison.documents] == ["en", "en"]


def test_the_trade_figures_disagree_in_the_table(seed_comparison):
    pair = seed_comparison.pairs[0]
    table = seed_comparison.to_dataframe()
    rows = table[table.discrepancies.str.contains("money: 190 billion USD vs 200 billion USD", regex=False)]
    assert len(rows) >= 1
    row = rows.iloc[0]
    item = next(d for d in json.loads(row.discrepancies) if d["kind"] == "money")
    b_index = row.b_index if row.status != "unique_a" else item["closest"]  # linked, or set beside the closest passage
    (a_start, a_end), (b_start, b_end) = item["a_spans"][0], item["b_spans"][0]
    assert row.a_text[a_start:a_end] == "$190 billion"
    assert pair.b.segments[int(b_index)].text[b_start:b_end] == "$200 billion"


def test_each_translation_shows_its_damage(seed_paths):
    import xling
    from xling.checks.artifacts import find_artifacts

    found = {p.name[:3]: find_artifacts(xling.read_document(p)) for p in seed_paths}
    glued = {k: sorted(a.suggestion for a in v if a.kind == "glued") for k, v in found.items()}
    assert glued == {"000": ["effective the"], "002": ["Putin the", "USA they", "trade which"]}
    leftovers = {k: [(a.text, a.lang) for a in v if a.kind == "leftover"] for k, v in found.items()}
    assert leftovers == {"000": [("Vladimir Putin e Xi Jinping", "it")], "002": [("Xi Jinping y Vladimir Putin", "es")]}
