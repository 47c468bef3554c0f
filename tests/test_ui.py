"""The workbench views without a browser: bead rows in document order, confidence in words, corrections, the report."""
from __future__ import annotations

import re

import pytest

import xling
from xling.workspace.corrections import document_hash
from xling.ui import confidence as conf
from xling.ui import report, sidebyside, workbench
from xling.workspace.store import Workspace

SENTENCES = [
    "The summit opened in Beijing with a speech on trade and railways.",
    "Delegations from one hundred and thirty countries attended the forum.",
    "The two leaders praised their friendship and strategic partnership.",
    "A small museum in the suburbs reopened after a long restoration.",
    "Gas pipelines and energy contracts were discussed at length.",
]
ONLY_B = "Sanctions against Iran were not mentioned by anyone at all today."


def article(*sentences: str) -> str:
    return " ".join(sentences) + "\n"


@pytest.fixture
def pair(fake_embedder):
    s = SENTENCES
    a = xling.Document(name="<b>A</b> article", text=article(s[0], s[1], s[2], s[3], s[4]))
    b = xling.Document(name="B article", text=article(s[2], s[0], s[1], s[4], ONLY_B))  # s[2] moved to the front, s[3] missing
    comparison = xling.compare([a, b], fake_embedder, xling.Settings(model="fake", profile="translation", threshold=1.5, match_threshold=1.6))
    return comparison


def test_every_passage_is_in_exactly_one_row_in_document_order(pair):
    p = pair.pairs[0]
    rows = sidebyside.bead_rows(p, pair.to_dataframe())
    assert sorted(i for r in rows for i in r.a) == list(range(len(p.a.segments)))
    assert sorted(j for r in rows for j in r.b) == list(range(len(p.b.segments)))
    assert [r.a for r in rows if r.a] == sorted((r.a for r in rows if r.a), key=lambda a: a[0])  # A reads top to bottom


def test_a_passage_out_of_order_is_moved_and_unique_ones_sit_where_they_belong(pair):
    p = pair.pairs[0]
    rows = sidebyside.bead_rows(p, pair.to_dataframe())
    moved = [r for r in rows if r.moved]
    assert [(r.a, r.b) for r in moved] == [((2,), (0,))]  # "friendship" opens B but is A's third sentence
    only_a = next(r for r in rows if r.status == "unique_a")
    assert only_a.a == (3,) and 3 in (only_a.nearest or {})  # the museum, with the closest passage of B
    assert rows[-1].status == "unique_b" and rows[-1].b == (4,)  # after B's last shared passage
    assert all(r.confidence in conf.LEVELS for r in rows if r.linked and r.score is not None)


def test_the_side_by_side_html_escapes_names_and_text_and_marks_gaps(pair):
    p = pair.pairs[0]
    html_doc = sidebyside.sidebyside_html(p, pair.to_dataframe(), ("A · <b>A</b> article", "B · B article"))
    assert "<b>A</b>" not in html_doc and "&lt;b&gt;A&lt;/b&gt;" in html_doc
    assert "nothing here in B · B article" in html_doc and "moved" in html_doc and "closest in" in html_doc
    assert html_doc.count('class="xs-row') == len(sidebyside.bead_rows(p, pair.to_dataframe()))


def test_a_one_to_many_link_is_one_block(fake_embedder):
    a = xling.Document(name="a", text="Trade grew strongly this year between the two countries and energy exports doubled.\n")
    b = xling.Document(name="b", text="Trade grew strongly this year between the two countries. Energy exports doubled.\n")
    comparison = xling.compare([a, b], fake_embedder, xling.Settings(model="fake", profile="translation", threshold=1.0, match_threshold=1.0))
    rows = sidebyside.bead_rows(comparison.pairs[0])
    linked = [r for r in rows if r.linked]
    if len(comparison.pairs[0].links) > 1:  # the aligner made it one-to-two: one row, A's passage once
        assert len(linked) == 1 and linked[0].a == (0,) and linked[0].b == (0, 1)
    html_doc = sidebyside.sidebyside_html(comparison.pairs[0], None, ("a", "b"))
    assert html_doc.count('id="a0"') == 1


@pytest.mark.parametrize(("score", "status", "expected"), [
    (1.10, "match", "high"), (1.05, "match", "high"), (1.035, "match", "medium"), (1.02, "match", "low"),
    (1.10, "partial", "medium"), (1.02, "partial", "low"),
])  # fmt: skip
def test_confidence_in_words(score, status, expected):
    assert conf.confidence(score, 1.012, 1.05, status) == expected


def test_stricter_moves_both_thresholds_up_and_looser_down():
    calibrated = (1.012, 1.04)
    steps = [conf.thresholds_for(step, calibrated) for step in conf.STRICTNESS]  # much looser ... much stricter
    assert [s.threshold for s in steps] == sorted(s.threshold for s in steps)
    assert conf.thresholds_for("as calibrated", calibrated) == conf.Thresholds(1.012, 1.04)
    with pytest.raises(ValueError, match="much looser"):
        conf.thresholds_for("sloppy", calibrated)
    assert conf.changed_note((1.0, 1.1), (1.0, 1.1), "other documents") is None
    assert "1.012 → 1.100" in conf.changed_note((1.012, 1.04), (1.1, 1.13), "another profile")


def test_decisions_and_additions_become_corrections_in_the_workspace(pair, tmp_path):
    p = pair.pairs[0]
    ws = Workspace(tmp_path / "team.db")
    choice = workbench.link_choices(p)[0]
    rejected = ws.add_correction(workbench.decision(p, choice, "Reject: they do not say the same thing", note=" wrong ", author=" ana "))
    assert (rejected.action, rejected.status, rejected.note, rejected.author) == ("reject", None, "wrong", "ana")
    relabel = workbench.decision(p, choice, "Change to partly shared (partial)", note="", author="")
    assert (relabel.action, relabel.status) == ("relabel", "partial")
    added = ws.add_correction(workbench.addition(p, 3, 4, "shared (match)", note="same event", author="ana"))
    assert added.doc_a == document_hash(p.a.document) and (added.action, added.status) == ("add", "match")
    with pytest.raises(ValueError, match="decision must be one of"):
        workbench.decision(p, choice, "maybe", note="", author="")
    frame = workbench.corrections_frame(ws, pair)
    assert frame["decision"].tolist() == ["add → match", "reject"] and frame["who"].tolist() == ["ana", "ana"]
    corrected = ws.apply(pair)
    human = workbench.link_choices(corrected.comparison.pairs[0], corrected.table)
    assert any(c.human and (c.a, c.b) == (3, 4) for c in human)
    rows = sidebyside.bead_rows(corrected.comparison.pairs[0], corrected.table)
    assert any(r.human for r in rows)
    assert "xs-human" in sidebyside.sidebyside_html(corrected.comparison.pairs[0], corrected.table, ("a", "b"))


def test_the_workspace_default_and_an_absent_file(tmp_path):
    assert workbench.default_workspace({}) == workbench.DEFAULT_WORKSPACE
    assert workbench.default_workspace({"XLING_WORKSPACE": "team.db"}) == "team.db"
    assert workbench.existing(str(tmp_path / "none.db")) is None
    assert not (tmp_path / "none.db").exists(), "looking creates nothing"


def test_the_report_is_one_self_contained_page(pair):
    page = report.report_html(pair, pair.to_dataframe())
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "Only in one article (2 passages)" in page and "Where they differ" in page
    assert "<b>A</b>" not in page


def test_the_n_article_table_has_a_column_per_article_and_a_blank_where_one_lacks_a_unit(fake_embedder):
    import io

    import pandas as pd

    from xling.ui import ntable

    s = SENTENCES
    docs = [xling.Document(name="a", text=article(s[0], s[1], s[2])), xling.Document(name="b", text=article(s[0], s[2], s[3])),
            xling.Document(name="c", text=article(s[1], s[2], s[4]))]  # fmt: skip
    comparison = xling.compare(docs, fake_embedder, xling.Settings(model="fake", profile="translation", threshold=1.5, match_threshold=1.6))
    table = ntable.alignment_table(comparison, ["A", "B", "C"])
    assert list(table.columns) == [ntable.CARRIED, "A", "B", "C"]
    shared = table[table["A"].str.contains("friendship")]
    assert len(shared) == 1 and shared.iloc[0][ntable.CARRIED] == 3  # one row for the sentence all three have
    museum = table[table["B"].str.contains("museum")]
    assert museum.iloc[0]["A"] == "" and museum.iloc[0]["C"] == ""
    for name, col in (("A", "A"), ("B", "B"), ("C", "C")):  # every passage once
        assert sum(cell.count("#") for cell in table[col]) == len(comparison.documents["ABC".index(name)].segments)
    assert pd.read_csv(io.BytesIO(ntable.table_bytes(table, "csv"))).shape == table.shape
    assert pd.read_excel(io.BytesIO(ntable.table_bytes(table, "xlsx"))).shape == table.shape
    page = ntable.table_bytes(table, "html").decode()
    assert page.startswith("<!DOCTYPE html>") and page.count("<tr") == len(table) + 1 and "xn-gap" in page


def test_the_reading_panes_know_each_passage_s_counterpart(pair):
    from xling.ui import reading

    maps = reading.counterpart_maps(pair, [0, 1])
    links = pair.pairs[0].links
    assert maps["0-1"] == {k.a: k.b for k in links} and maps["1-0"] == {k.b: k.a for k in links}
    page = reading.reading_panes_html(pair, [0, 1], ["A · <b>A</b>", "B"], selected={0: {1}}, marks={})
    assert len(re.findall(r"data-seg=\"\d+\"", page)) == sum(len(p.segments) for p in pair.documents)
    assert "&lt;b&gt;A&lt;/b&gt;" in page and "xl-sel" in page and "Georgia" not in page
