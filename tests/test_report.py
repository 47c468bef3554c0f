"""xling/report.py: the terminal summary of a comparison, made from its records."""
from __future__ import annotations

import re

import pytest

import xling
from xling.report import EXCERPT_CHARS, summary

A = "The summit opened in Beijing on Monday. Xi called Putin an old friend. Trade reached 200 billion dollars.\n"
B = "Xi greeted Putin as an old friend at the summit. The weather was cold. Trade reached 300 billion dollars this year.\n"


@pytest.fixture
def comparison(fake_embedder):
    docs = [xling.document_from_text(A, name="a"), xling.document_from_text(B, name="b")]
    return xling.compare(docs, fake_embedder)


def test_summary_counts_what_the_records_hold(comparison):
    pair = comparison.pairs[0]
    text = summary(comparison, 1.5)
    lines = text.splitlines()
    assert lines[0].startswith("a: ") and f"{len(comparison.documents[0].segments)} segments" in lines[0]
    assert f"{comparison.coverage(0).char_share:.0%} of its text covered" in lines[0]
    statuses = [link.status for link in pair.links]
    assert lines[2] == (f"{pair.pair_id}: {statuses.count('match')} match + {statuses.count('partial')} partial links, "
                        f"{len(pair.unique_a)} unique in a, {len(pair.unique_b)} unique in b")  # fmt: skip
    table = comparison.to_dataframe()
    differing = int((table.discrepancies != "").sum())
    assert lines[3] == f"  {differing} passage(s) disagree with their counterpart on a number, date, name or quote"
    assert lines[-1] == "done in 1.5 s"
    assert "shared:" not in text  # no examples unless asked


def test_examples_list_links_and_unique_passages_cut_to_one_line(comparison):
    text = summary(comparison, examples=2)
    assert "  shared:" in text and "    [" in text
    quoted = re.findall(r" [AB]: (.*)$|    - (.*)$", text, flags=re.M)
    assert quoted and all(len(a or b) <= EXCERPT_CHARS and "\n" not in (a or b) for a, b in quoted)
    assert comparison.pairs[0].unique_b, "B's weather sentence has no counterpart"
    assert "  only in B (b):" in text
    assert "done in" not in text
