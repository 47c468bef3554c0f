"""The dashboard's view models (xling/dashboard.py): pure functions, a fake embedder, no Streamlit."""
from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pandas as pd
import pytest

import xling
from xling.checks.facts import Difference
from xling.ui import dashboard as view

A = "The summit opened in Beijing on Monday. Xi called Putin an old friend. Trade reached 200 billion dollars.\n"
B = "Xi greeted Putin as an old friend at the summit. The weather was cold. Trade reached 200 billion dollars this year.\n"


@pytest.fixture
def comparison(fake_embedder):
    docs = [xling.document_from_text(A, name="a"), xling.document_from_text(B, name="b")]
    return xling.compare(docs, fake_embedder)


def test_uploads_keep_the_good_and_name_the_bad():
    items = [view.Upload("a.txt", A.encode()), view.Upload("empty.txt", b"   "), view.Upload("pic.txt", b"%PDF-1.4 \x00\x01"),
             view.Upload("pasted", B, name="  ")]  # fmt: skip
    docs, errors = view.load_inputs(items)
    assert [d.name for d in docs] == ["a", "pasted"]
    assert [(e.source, "empty" in e.problem or "not a readable PDF" in e.problem) for e in errors] == [("empty.txt", True), ("pic.txt", True)]


def test_uploads_over_the_limit_are_refused_by_name():
    docs, errors = view.load_inputs([view.Upload("big.txt", b"word " * 300)], max_bytes=1000)
    assert not docs and errors[0].source == "big.txt" and "upload limit" in errors[0].problem


def test_repeated_names_are_numbered():
    docs, _ = view.load_inputs([view.Upload("x.txt", A.encode()), view.Upload("x.md", B.encode())])
    assert [d.name for d in docs] == ["x", "x (2)"]
    assert view.unique_names(["a", "b", "a", "a"]) == ["a", "b", "a (2)", "a (3)"]


@pytest.mark.parametrize(("n", "message"), [(0, "none is usable"), (1, "only 'a' is usable"), (2, None)])
def test_too_few_documents(n, message):
    docs = [xling.document_from_text(A, name="a"), xling.document_from_text(B, name="b")][:n]
    result = view.too_few(docs)
    assert (result is None) if message is None else (message in result)


def test_sliders_left_on_their_calibrated_values_mean_calibrated():
    base = xling.Settings(level="paragraph")
    assert view.settings_for(base, 1.012, 1.04, (1.012, 1.04)) == base
    moved = view.settings_for(base, 1.05, 1.04, (1.012, 1.04))
    assert (moved.threshold, moved.match_threshold, moved.level) == (1.05, None, "paragraph")


def test_counts_statuses_and_shares_agree(comparison):
    pair = comparison.pairs[0]
    counts = view.pair_counts(pair)
    assert counts.links == len(pair.links) and counts.only_a == len(pair.unique_a)
    statuses = view.segment_statuses(comparison, 0)
    assert statuses.count("unique") == counts.only_a
    shares = view.kind_shares(comparison, 0)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["match"] + shares["partial"] == pytest.approx(pair.coverage_a.char_share)
    assert view.unique_segments(comparison, 1) == pair.unique_b


def test_counterparts_of_a_linked_and_of_a_unique_passage(comparison):
    pair = comparison.pairs[0]
    link = pair.links[0]
    found = view.counterparts(comparison, 0, link.a)
    assert (found[0].index, found[0].status, found[0].letter) == (link.b, link.status, "B")
    assert pair.unique_b, "the seed pair leaves passages of B unlinked: the closest-passage case needs one"
    closest = view.counterparts(comparison, 1, pair.unique_b[0])
    assert [c.status for c in closest] == ["closest"] and closest[0].score is None


def test_filters_default_to_every_row_in_order(comparison):
    table = comparison.to_dataframe()
    pd.testing.assert_frame_equal(view.filter_table(table, view.Filters()), table)


def test_filters_by_status_score_text_and_sort(comparison):
    table = comparison.to_dataframe()
    links = view.filter_table(table, view.Filters(statuses=("match", "partial"), sort="score, high to low"))
    assert links.score.is_monotonic_decreasing and links.status.isin(["match", "partial"]).all()
    high = view.score_bounds(table)[1]
    top = view.filter_table(table, view.Filters(score_range=(high, high)))
    assert (top.score.dropna() == high).all() and top.score.isna().sum() == table.score.isna().sum()
    found = view.filter_table(table, view.Filters(query="OLD FRIEND"))
    assert len(found) and found.apply(lambda r: "old friend" in f"{r.a_text} {r.b_text}".lower(), axis=1).all()


def test_bad_filter_values_name_the_allowed_ones():
    with pytest.raises(ValueError, match="sort must be one of"):
        view.Filters(sort="random")
    with pytest.raises(ValueError, match="statuses must be among"):
        view.Filters(statuses=("shared",))


@pytest.mark.parametrize(
    ("difference", "line"),
    [(Difference(kind="money", a="190 billion USD", b="200 billion USD"), "money: 190 billion USD vs 200 billion USD"),
     (Difference(kind="name", a="Merkel", b=None), "name: only in A: Merkel"),
     (Difference(kind="date", a=None, b="3 May"), "date: only in B: 3 May")],
)  # fmt: skip
def test_a_difference_is_one_line_naming_its_kind(difference, line):
    assert view.difference_line(difference) == line


TRADE_A = "Trade between the two countries reached 190 billion dollars last year. On Monday, Merkel met Putin in Berlin."
TRADE_B = "Trade between the two countries reached 200 billion dollars last year. On Monday, Macron met Putin in Berlin."


@pytest.fixture
def trade(fake_embedder):
    docs = [xling.document_from_text(TRADE_A, name="a"), xling.document_from_text(TRADE_B, name="b")]
    return xling.compare(docs, fake_embedder, xling.Settings(threshold=1.0, match_threshold=1.3, min_similarity=0.2))


def test_pair_cards_escape_text_and_show_the_pairs_differences(trade):
    rows = trade.to_dataframe().head(2).copy()
    rows.loc[0, "a_text"] = "<script>alert(1)</script>"
    out = view.pair_cards_html(rows, {"a": "A", "b": "B"}, trade)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "money: 190 billion USD vs 200 billion USD" in out and "name: Merkel vs Macron" in out
    assert "Discrepancies" in view.pair_header_html("A", "B", notes=True)


def test_discrepancies_are_highlighted_in_both_texts(trade):
    rows = trade.to_dataframe().head(1)
    out = view.pair_cards_html(rows, {"a": "A", "b": "B"}, trade)
    marked = out.split('<mark class="xl-diff" title="money: 190 billion USD vs 200 billion USD">')[1:]
    assert [m.split("</mark>")[0] for m in marked] == ["190 billion dollars", "200 billion dollars"]
    assert view.has_discrepancies(trade.to_dataframe(), trade).tolist() == [True, True]


def test_an_unlinked_passage_is_shown_beside_its_closest_counterpart(fake_embedder):
    docs = [xling.document_from_text("Exports of oil reached 190 billion dollars in 2022.", name="a"),
            xling.document_from_text("The oil trade will reach 200 billion dollars this year.", name="b")]  # fmt: skip
    comparison = xling.compare(docs, fake_embedder, xling.Settings(threshold=5.0, min_similarity=0.0, profile="comparable"))
    table = comparison.to_dataframe()
    row = table[table.status == "unique_a"]
    assert view.has_discrepancies(table, comparison).tolist() == [True, True]
    shown = view.with_closest(row, comparison).iloc[0]
    assert shown.b_text == comparison.pairs[0].b.segments[0].text and shown.b_index == 0
    assert "not linked" in view.pair_cards_html(view.with_closest(row, comparison), {"a": "A", "b": "B"}, comparison)


def test_artifact_list_shows_each_one_in_its_context():
    text = "Xi met Putinthe two leaders spoke."
    out = view.artifacts_html([(7, 15, "glued words: 'Putinthe' -> 'Putin the'")], text)
    assert '<mark class="xl-diff">Putinthe</mark>' in out and "Putin the" in out
    assert "No glued words" in view.artifacts_html([], text)


def test_reading_view_covers_the_whole_text_and_marks_artifacts(comparison):
    doc = comparison.documents[0].document
    out = view.reading_html(comparison, 0, selected=[0], marks=[(4, 10, "glued word")])
    plain = pd.Series([out]).str.replace(r"<sup>\d+</sup>", "", regex=True).str.replace(r"<[^>]+>", "", regex=True)[0]
    assert html.unescape(plain) == doc.text  # every character once, in order
    assert "xl-sel" in out and 'title="glued word"' in out


def test_chart_frames(comparison):
    cov = view.coverage_frame(comparison)
    assert cov.groupby("document").share.sum().round(6).eq(1).all()
    cells = view.heatmap_frame(comparison.pairs[0])
    n, m = comparison.pairs[0].similarity.shape
    assert len(cells) == n * m and set(cells.status) <= {"", "match", "partial"}
    assert view.heatmap_frame(comparison.pairs[0], limit=1) is None


def test_three_documents_matrix_and_carriers(fake_embedder):
    c = "Putin and Xi met in Beijing. Trade reached 200 billion dollars.\n"
    docs = [xling.document_from_text(t, name=n) for t, n in ((A, "a"), (B, "b"), (c, "c"))]
    comparison = xling.compare(docs, fake_embedder)
    matrix = view.coverage_matrix_frame(comparison)
    assert len(matrix) == 6 and matrix.share.between(0, 1).all()
    carriers = view.carriers_frame(comparison, 0)
    assert list(carriers.columns) == ["#", "passage", "carried by", "b", "c"]
    assert (carriers["carried by"] == carriers[["b", "c"]].sum(axis=1)).all()


# ---------------------------------------------------------------- real inputs and outputs

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_fetched_page_without_suffix_is_read_as_a_page_and_bad_addresses_are_named(fake_embedder):
    page = view.Upload("http://127.0.0.1:9/esteri/warren", (FIXTURES / "page_it.html").read_bytes(), "warren", suffix=".html")
    pdf = view.Upload("scan-of-it.pdf", (FIXTURES / "page_es.pdf").read_bytes())
    bad = view.fetch_upload("www.example.org/no-scheme")
    docs, errors = view.load_inputs([page, pdf, bad])
    assert [d.name for d in docs] == ["warren", "scan-of-it"] and "cookie" not in docs[0].text
    assert errors[0].source == "www.example.org/no-scheme" and "not a web address" in errors[0].problem
    summary = view.document_summary(xling.compare(docs, fake_embedder))
    card = view.document_card_html(summary.iloc[0].to_dict(), {"match": 0.5, "unique": 0.5})
    assert "Corriere Adriatico Online · 2019-" in card  # the outlet and date on the document's card


def test_downloads_offer_every_output_format(comparison):
    table = comparison.to_dataframe()
    rows = table[table.status.isin(["match", "partial"])]
    workbook = pd.read_excel(io.BytesIO(view.download_bytes(rows, "xlsx", table)), sheet_name=None)
    assert len(workbook["alignment"]) == len(rows)
    assert workbook["coverage"].passages.sum() == sum(len(p.segments) for p in comparison.documents)  # of the whole table
    tmx = view.download_bytes(rows, "tmx", table)
    assert tmx.startswith(b'<?xml version="1.0"') and tmx.count(b"<tu ") >= 1
    assert view.download_bytes(rows, "csv", table) == xling.to_bytes(rows, "csv")


# --- user strings stay text (issue 12, item 5) ------------------------------------------------------------

HOSTILE = ["**x**", "[l](http:\\\\host)", "![p](http://example.invalid/p.png)", ":red[colour] <b>tag</b> &amp; `code` # head", "a\n\n**b**"]


def render(source: str, allow_html: bool = False) -> str:
    """How a browser's CommonMark renderer turns a Streamlit Markdown body into HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": allow_html}).render(source)


def shown_text(rendered: str) -> str:
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize("name", HOSTILE)
def test_a_user_string_escaped_for_markdown_renders_as_typed(name):
    out = render(f"**{view.md(name)}**: empty document")  # as the page's error box does
    assert "<a " not in out and "<img" not in out and "<code>" not in out and "<h1>" not in out
    assert shown_text(out).strip() == " ".join(name.splitlines()) + ": empty document"


def test_markdown_in_a_document_text_stays_text_in_the_html_views(fake_embedder):
    text = "First paragraph here.\n\n**bold** and ![p](http://example.invalid/p.png) and [l](http://example.invalid).\n"
    comparison = xling.compare([xling.document_from_text(text, name="![n](http://example.invalid/n.png)"),
                                xling.document_from_text(A, name="b")], fake_embedder)  # fmt: skip
    pages = [view.reading_html(comparison, 0), view.unique_list_html(comparison, 0),
             view.pair_cards_html(comparison.to_dataframe(), {"![n](http://example.invalid/n.png)": "A", "b": "B"}, comparison),
             view.document_card_html(view.document_summary(comparison).to_dict("records")[0], view.kind_shares(comparison, 0))]  # fmt: skip
    for page in pages:
        out = render(page, allow_html=True)  # st.markdown(..., unsafe_allow_html=True): Markdown still applies outside HTML blocks
        assert "<img" not in out and "<strong>" not in out and 'href="http://example.invalid' not in out, page[:200]


def test_a_page_title_and_outlet_stay_text_on_the_document_card(fake_embedder):
    """What a page says about itself (title, site) is the page's text: no Markdown, no HTML of it reaches the card."""
    hostile = {"title": "**t** <img src=x onerror=alert(1)> ![p](http://example.invalid/p.png)", "site": "[s](http://example.invalid)",
               "date": "2024-01-02"}  # fmt: skip
    page = xling.document_from_text(A, name="page", metadata=hostile)
    comparison = xling.compare([page, xling.document_from_text(A, name="b")], fake_embedder)
    card = view.document_card_html(view.document_summary(comparison).to_dict("records")[0], view.kind_shares(comparison, 0))
    out = render(card, allow_html=True)
    assert "<img" not in out and "<strong>" not in out and 'href="http://example.invalid' not in out
    assert "[s](http://example.invalid) · 2024-01-02 · **t** <img src=x onerror=alert(1)>" in shown_text(out)


def test_every_unique_passage_shows_the_closest_passage_of_the_other_article(comparison):
    index = next(i for i in range(len(comparison.documents)) if view.unique_segments(comparison, i))
    page = view.unique_list_html(comparison, index)
    assert page.count('class="xl-passage"') == len(view.unique_segments(comparison, index))
    assert page.count('class="xl-near"') == len(view.unique_segments(comparison, index)) * (len(comparison.documents) - 1)
    assert "a link needs" in page


def test_cards_say_confidence_in_words_and_mark_what_a_person_decided(comparison):
    table = comparison.to_dataframe()
    links = table[table.status.isin(["match", "partial"])].head(2).copy()
    links["source"] = ["human", "model"][: len(links)]
    page = view.pair_cards_html(links, {}, comparison, bars=view.pair_bars(comparison))
    assert page.count(" confidence</b>") == len(links)
    assert all(w in ("high", "medium", "low") for w in re.findall(r"(\w+) confidence</b>", page))
    assert page.count('class="xl-human"') == 1
    assert view.nearness(1.005, 1.012).startswith("nearly linked") and view.nearness(0.9, 1.012).startswith("not close")
