"""The check stage (xling/checks/discrepancies.py, pipeline.check): typed records on the pair, made once per set of links."""
from __future__ import annotations

import json

import numpy as np
import pytest

import xling
from xling import pipeline
from xling.checks import discrepancies
from xling.checks.facts import Difference
from xling.types import Bead, Link, Segment

TRADE_A = "Trade between the two countries reached 190 billion dollars last year. On Monday, Merkel met Putin in Berlin."
TRADE_B = "Trade between the two countries reached 200 billion dollars last year. On Monday, Macron met Putin in Berlin."


def trade_pair(fake_embedder, profile: str) -> pipeline.PairResult:
    docs = [xling.document_from_text(TRADE_A, name="a"), xling.document_from_text(TRADE_B, name="b")]
    settings = xling.Settings(threshold=1.0, match_threshold=1.3, min_similarity=0.2, profile=profile)
    return xling.compare(docs, fake_embedder, settings).pairs[0]


def messages(pair: pipeline.PairResult) -> list[str]:
    return [d.message() for found in pair.checks.links.values() for d in found]


def test_a_pair_carries_its_links_differences_as_records(fake_embedder):
    pair = trade_pair(fake_embedder, "translation")
    assert set(pair.checks.links) == {(k.a, k.b) for k in pair.links}
    assert messages(pair) == ["money: 190 billion USD vs 200 billion USD", "name: Merkel vs Macron"]
    assert all(isinstance(d, Difference) for found in pair.checks.links.values() for d in found)


def test_the_table_cell_is_a_projection_of_the_records(fake_embedder):
    pair = trade_pair(fake_embedder, "translation")
    table = pair.to_dataframe()
    for row in table.itertuples():
        assert row.discrepancies == discrepancies.to_cell(pair.checks.of_link(row.a_index, row.b_index))
        assert discrepancies.from_cell(row.discrepancies) == pair.checks.of_link(row.a_index, row.b_index)


def test_relinked_runs_the_stage_again_with_the_pairs_own_rules(fake_embedder):
    """A human-added link in a comparable pair follows the profile: another name is no contradiction."""
    pair = trade_pair(fake_embedder, "comparable")
    assert messages(pair) == ["money: 190 billion USD vs 200 billion USD"]
    human = [Link(a=k.a, b=k.b, similarity=k.similarity, score=float("nan"), status="match") for k in pair.links]
    again = pipeline.relinked(pair, human)
    assert messages(again) == ["money: 190 billion USD vs 200 billion USD"]
    unlinked = pipeline.relinked(pair, [])
    assert unlinked.checks.links == {}
    assert [unlinked.checks.closest("a", i).index for i in unlinked.unique_a] == [0, 1]  # type: ignore[union-attr]
    assert [d.message() for d in unlinked.checks.of_unique("a", 0)] == ["money: 190 billion USD vs 200 billion USD"]


def test_a_short_segment_is_read_in_its_documents_language():
    seg_a = Segment(index=0, start=0, end=12, text="Il 3 maggio.", lang="unknown", lang_prob=0.0, paragraph=0)
    seg_b = Segment(index=0, start=0, end=12, text="On 4 May.", lang="unknown", lang_prob=0.0, paragraph=0)
    bead = Bead(a=(0,), b=(0,), links=(Link(a=0, b=0, similarity=0.9, score=1.2, status="match"),))
    found = discrepancies.check_pair([seg_a], [seg_b], langs_a=["it"], langs_b=["en"], beads=[bead], unique_a=[], unique_b=[],
                                     similarity=np.ones((1, 1)), floor=0.0, comparable=False)  # fmt: skip
    assert [d.message() for d in found.of_link(0, 0)] == ["date: 3 May vs 4 May"]


def test_no_closest_passage_under_the_cosine_floor():
    seg = Segment(index=0, start=0, end=20, text="It cost 5 dollars.", lang="en", lang_prob=1.0, paragraph=0)
    other = Segment(index=0, start=0, end=20, text="It cost 7 dollars.", lang="en", lang_prob=1.0, paragraph=0)
    args = {"langs_a": ["en"], "langs_b": ["en"], "beads": [], "unique_a": [0], "unique_b": [0], "similarity": np.full((1, 1), 0.3),
            "comparable": False}
    assert discrepancies.check_pair([seg], [other], floor=0.5, **args).closest("a", 0) is None
    near = discrepancies.check_pair([seg], [other], floor=0.2, **args)
    assert near.closest("b", 0).index == 0 and near.count() == 2  # type: ignore[union-attr]


@pytest.mark.parametrize("cell", ["", None, float("nan")])
def test_an_empty_cell_reads_as_no_differences(cell):
    assert discrepancies.from_cell(cell) == ()


def test_a_cell_reads_back_as_the_records_it_was_made_of():
    found = (Difference(kind="money", a="1 USD", b="2 USD", a_spans=((0, 3),), b_spans=((1, 4),)),
             Difference(kind="name", a="Merkel", b=None, a_spans=((5, 11),)))  # fmt: skip
    cell = discrepancies.to_cell(found, closest=2)
    assert json.loads(cell)[0]["closest"] == 2
    assert discrepancies.from_cell(cell) == found


def test_the_table_and_the_views_read_the_records_without_checking_again(fake_embedder, monkeypatch):
    pair = trade_pair(fake_embedder, "translation")
    checked = pair.checks  # the check stage, once

    def refuse(*_args, **_kwargs):
        raise AssertionError("facts compared again after the check stage")

    monkeypatch.setattr(discrepancies.facts, "compare_facts", refuse)
    table = pair.to_dataframe()
    assert (table["discrepancies"] != "").sum() == 2 and pair.checks is checked
    with pytest.raises(AssertionError, match="compared again"):
        pipeline.relinked(pair, pair.links).to_dataframe()  # a new pair: the stage runs again for its links
