"""xling/workspace/apply.py: corrections applied to the records, so a corrected table is checked by the pipeline's
own check stage (the pair's profile, its closest passages), in the comparison path and in a batch chunk alike."""
from __future__ import annotations

import logging
import math
import pickle

import pandas as pd
import pytest
from conftest import FakeEmbedder

from xling.batch.chunks import Chunk, align_chunk
from xling.batch.manifest import PairTask
from xling.checks import facts
from xling.io import document_from_text
from xling.pipeline import Comparison, compare, relinked
from xling.types import Link, Settings
from xling.workspace.apply import HUMAN, MODEL, SOURCE_COLUMN, Snapshot, apply_to_comparison, correct_pair
from xling.workspace.corrections import make_correction

# Two reports of different meetings: only the person differs in the first sentences, only the sum in the second.
TEXT_A = ("Angela Merkel met Joe Biden in Paris on Monday. "
          "Trade with China reached 200 billion dollars in 2023. "
          "The weather was cold and grey all week.\n")  # fmt: skip
TEXT_B = ("Emmanuel Macron met Joe Biden in Paris on Monday. "
          "Trade with China reached 300 billion dollars in 2023. "
          "Schools reopened after the long holiday.\n")  # fmt: skip
NO_LINKS = {"threshold": 100.0, "match_threshold": 100.0}  # no margin reaches it: every link is a person's


def _docs():
    return [document_from_text(TEXT_A, name="a"), document_from_text(TEXT_B, name="b")]


def _compare(**settings) -> Comparison:
    return compare(_docs(), FakeEmbedder(), Settings(**settings))


def _corrected_table(comparison: Comparison, corrections, route: str) -> pd.DataFrame:
    """The corrected table as ``xling align --workspace`` and the dashboard make it, or as a batch chunk does."""
    if route == "comparison":
        return apply_to_comparison(comparison, corrections).table
    pair = comparison.pairs[0]
    chunk = Chunk(chunk_id="c0", window=0, pairs=(PairTask(index=0, pair_id=pair.pair_id, group_id="", doc_a="a", doc_b="b"),),
                  documents={p.name: p.document for p in comparison.documents})  # fmt: skip
    return align_chunk(chunk, FakeEmbedder(), comparison.settings, corrections=Snapshot.of(corrections)).table


def _row(table: pd.DataFrame, a: int | None, b: int | None) -> pd.Series:
    match = (table.a_index == a) if a is not None else table.a_index.isna()
    match &= (table.b_index == b) if b is not None else table.b_index.isna()
    (index,) = table.index[match]
    return table.loc[index]


ROUTES = ["comparison", "batch"]


@pytest.mark.parametrize("route", ROUTES)
def test_a_human_link_in_a_comparable_pair_is_checked_by_the_pairs_own_rule(route):
    comparison = _compare(profile="comparable", **NO_LINKS)
    pair = comparison.pairs[0]
    assert pair.profile == "comparable" and not pair.links
    table = _corrected_table(comparison, [make_correction(pair, 0, 0, "add", status="match")], route)
    added = _row(table, 0, 0)
    # What the check stage says of that link, the pair linked so without any correction:
    model = relinked(pair, [Link(a=0, b=0, similarity=float(pair.similarity[0, 0]), score=math.nan, status="match")])
    assert added.discrepancies == _row(model.to_dataframe(), 0, 0).discrepancies == ""  # two meetings: no contradiction
    assert added[SOURCE_COLUMN] == HUMAN and added.similarity == pytest.approx(pair.similarity[0, 0], abs=1e-4)
    # The rule the table used to apply on its own ignored the profile: it reported the other person.
    sa, sb = pair.a.segments[0], pair.b.segments[0]
    assert "name: Angela Merkel vs Emmanuel Macron" in facts.to_json(facts.compare_facts(sa.text, sa.lang, sb.text, sb.lang))


@pytest.mark.parametrize("route", ROUTES)
def test_the_same_human_link_in_a_translation_pair_reports_the_other_name(route):
    comparison = _compare(profile="translation", **NO_LINKS)
    pair = comparison.pairs[0]
    table = _corrected_table(comparison, [make_correction(pair, 0, 0, "add", status="match")], route)
    assert "name: Angela Merkel vs Emmanuel Macron" in _row(table, 0, 0).discrepancies  # a translation keeps names


@pytest.mark.parametrize("route", ROUTES)
def test_a_segment_a_rejection_leaves_alone_gets_the_closest_passage_check_of_any_unlinked_segment(route):
    comparison = _compare(profile="comparable")
    pair = comparison.pairs[0]
    link = next(k for k in pair.links if (k.a, k.b) == (1, 1))  # the trade sentences: linked, and their sums disagree
    table = _corrected_table(comparison, [make_correction(pair, link.a, link.b, "reject")], route)
    left = _row(table, 1, None)
    # The model's own row for that sentence when it links nothing (same vectors, same profile):
    unlinked = _row(_compare(profile="comparable", **NO_LINKS).to_dataframe(), 1, None)
    assert (left.status, left.closest, left.closest_score, left.discrepancies) == \
        (unlinked.status, unlinked.closest, unlinked.closest_score, unlinked.discrepancies)  # fmt: skip
    assert "money: 200 billion USD vs 300 billion USD" in left.discrepancies and '"closest":1' in left.discrepancies
    assert left[SOURCE_COLUMN] == HUMAN and _row(table, None, 1)[SOURCE_COLUMN] == HUMAN
    assert _row(table, 0, 0)[SOURCE_COLUMN] == MODEL  # the link no one corrected


def test_stale_corrections_are_reported_and_logged_not_dropped(caplog):
    comparison = _compare(profile="comparable")
    pair = comparison.pairs[0]
    kept = make_correction(pair, 0, 0, "confirm", author="ana")
    lost = make_correction(pair, 2, 2, "add", status="partial", author="ben")
    edited = [document_from_text(TEXT_A.replace("cold and grey", "warm"), name="a"), _docs()[1]]  # sentence 2 of A changed
    later = compare(edited, FakeEmbedder(), Settings(profile="comparable"))
    with caplog.at_level(logging.WARNING, logger="xling"):
        corrected = apply_to_comparison(later, [kept, lost])
    assert corrected.applied == (kept,)
    (stale,) = corrected.stale
    assert stale.correction == lost and stale.pair_id == later.pairs[0].pair_id and "a[" in stale.reason
    assert "stale correction" in caplog.text and "by ben" in caplog.text
    # the batch path keeps it too: in the chunk's result, for the run to report
    assert [message for _, message in _chunk_stale(later, [kept, lost])] == [str(stale)]


def _chunk_stale(comparison: Comparison, corrections) -> tuple[tuple[str, str], ...]:
    pair = comparison.pairs[0]
    chunk = Chunk(chunk_id="c0", window=0, pairs=(PairTask(index=0, pair_id=pair.pair_id, group_id="", doc_a="a", doc_b="b"),),
                  documents={p.name: p.document for p in comparison.documents})  # fmt: skip
    return align_chunk(chunk, FakeEmbedder(), comparison.settings, corrections=Snapshot.of(corrections)).stale


def test_a_pair_no_correction_concerns_is_left_as_the_aligner_made_it():
    comparison = _compare()
    pair = comparison.pairs[0]
    other = compare([document_from_text("Floods hit the north. Roads closed.", name="x"),
                     document_from_text("Floods in the north. Roads were closed.", name="y")], FakeEmbedder()).pairs[0]  # fmt: skip
    corrected = correct_pair(pair, [make_correction(other, 0, 0, "reject")])
    assert corrected.pair is pair and corrected.decision is None
    assert set(corrected.to_dataframe()[SOURCE_COLUMN]) == {MODEL}
    pd.testing.assert_frame_equal(corrected.to_dataframe().drop(columns=SOURCE_COLUMN), pair.to_dataframe())


def test_a_snapshot_travels_to_a_worker_whole():
    pair = _compare().pairs[0]
    snapshot = Snapshot.of([make_correction(pair, 0, 0, "reject"), make_correction(pair, 1, 1, "confirm")])
    again = pickle.loads(pickle.dumps(snapshot))
    assert again == snapshot
    assert again.corrections_between(pair.a.document, pair.b.document) == snapshot.corrections_between(pair.a.document, pair.b.document)
    assert again.digest(pair.a.document, pair.b.document) == snapshot.digest(pair.a.document, pair.b.document) != ""
    assert Snapshot(()).digest(pair.a.document, pair.b.document) == ""
