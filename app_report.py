"""The dashboard's report tabs: linked pairs with filters and downloads, passages only in one article,
where they differ, the reading view and the charts. Widgets and rendering only: what each shows is built
by :mod:`xling.ui` (pure functions); the page (app.py) holds the caches and passes what they make.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

import xling
from app_workbench import pair_names
from xling.export import FORMATS
from xling.ui import charts, reading
from xling.ui import dashboard as view

Marks = Callable[[xling.Document], list[view.Mark]]  # a document's translation artifacts as marks (cached by the page)
MAX_CARDS = 400  # side-by-side cards drawn at once; the downloads always hold every filtered row
DEFAULT_STATUSES = ("match", "partial")  # the linked pairs; unique passages have their own tab, one click adds them here
MIME = {"csv": "text/csv", "json": "application/json", "parquet": "application/vnd.apache.parquet",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "tmx": "application/x-tmx+xml"}  # fmt: skip


def letters_of(comparison: xling.Comparison) -> dict[str, str]:
    return {p.name: view.letter(i) for i, p in enumerate(comparison.documents)}


def pair_filters(comparison: xling.Comparison, table: pd.DataFrame) -> view.Filters:
    letters = letters_of(comparison)
    two = len(comparison.documents) == 2
    names = {"match": "shared", "partial": "partly shared", "unique_a": "only in A" if two else "only in 1st",
             "unique_b": "only in B" if two else "only in 2nd"}  # fmt: skip
    cols = st.columns([3.1, 1.5, 1.3, 1.4])
    statuses = cols[0].pills("Show", view.TABLE_STATUSES, selection_mode="multi", default=list(DEFAULT_STATUSES), key="filter-status",
                             format_func=names.get)  # fmt: skip
    low, high = view.score_bounds(table)
    score_range = None
    if high > low:
        chosen = cols[1].slider("Score of links", low, high, (low, high), step=view.THRESHOLD_STEP, format="%.3f", key=f"filter-score-{low}-{high}",
                                help="Links scored outside this range are hidden (unique rows have no score).")  # fmt: skip
        score_range = None if chosen == (low, high) else chosen
    query = cols[2].text_input("Search", key="filter-query", placeholder="a word, e.g. Gaza")
    sort = cols[3].selectbox("Sort", view.SORTS, key="filter-sort")
    pairs = None
    if len(comparison.pairs) > 1:
        ids = [p.pair_id for p in comparison.pairs]
        label = {p.pair_id: f"{letters[p.a.name]} – {letters[p.b.name]}" for p in comparison.pairs}
        chosen_pairs = st.multiselect("Pairs", ids, default=ids, key="filter-pairs", format_func=label.get)
        pairs = None if len(chosen_pairs) == len(ids) else tuple(chosen_pairs)
    return view.Filters(statuses=tuple(statuses), score_range=score_range, pairs=pairs, query=query, sort=sort)


def section_pairs(comparison: xling.Comparison, table: pd.DataFrame) -> None:
    rows = view.filter_table(table, pair_filters(comparison, table))
    counts = view.status_counts(rows)
    left, right = st.columns([2, 3], vertical_alignment="center")
    left.caption(f"{len(rows)} rows: {counts['match']} match, {counts['partial']} partial, {counts['unique_a'] + counts['unique_b']} "
                 "unique. The downloads hold exactly these rows, in the table format of the xling command.")  # fmt: skip
    with right:
        section_downloads(rows, table)
    header = pairs_header(comparison, bool(view.has_discrepancies(rows, comparison).any()))
    shown = rows.head(MAX_CARDS)
    st.markdown(header + view.pair_cards_html(shown, letters_of(comparison), comparison, show_pair=len(comparison.pairs) > 1,
                                              bars=view.pair_bars(comparison)), unsafe_allow_html=True)  # fmt: skip
    if len(rows) > MAX_CARDS:
        st.caption(f"Showing the first {MAX_CARDS} of {len(rows)} rows: narrow the filters, or download them all.")
    with st.expander("These rows as a table"):
        st.dataframe(rows, hide_index=True, width="stretch")


def pairs_header(comparison: xling.Comparison, notes: bool) -> str:
    """Column titles over the side-by-side cards: the two documents' names when there is one pair."""
    if len(comparison.pairs) == 1:
        return view.pair_header_html(*pair_names(comparison, comparison.pairs[0]), notes)
    return view.pair_header_html("the pair's first article (its letter on each card)", "the pair's second article", notes)


def section_downloads(rows: pd.DataFrame, table: pd.DataFrame) -> None:
    """The shown rows in every format of ``xling align -o``; the workbook's coverage sheet describes the whole comparison."""
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):  # the one list of formats, as -o and --format have it
        column.download_button(f"⬇ {fmt.upper()}", view.download_bytes(rows, fmt, table), file_name=f"xling-alignment.{fmt}",
                               mime=MIME[fmt], key=f"download-{fmt}", on_click="ignore", width="stretch")  # fmt: skip


def section_unique(comparison: xling.Comparison) -> None:
    st.caption("Passages that no other document covers, in reading order, each with the closest passage of the other "
               "article(s) and how close it came to a link.")
    columns = st.columns(min(len(comparison.documents), 3))
    for index, prepared in enumerate(comparison.documents):
        with columns[index % len(columns)]:
            alone = "Only in" if len(comparison.documents) == 2 else "In none of the others, only in"
            st.markdown(f"##### {alone} {view.letter(index)}: {len(view.unique_segments(comparison, index))} of {len(prepared.segments)}")
            st.caption(view.md(prepared.name))
            st.markdown(view.unique_list_html(comparison, index), unsafe_allow_html=True)


def section_reading(comparison: xling.Comparison, artifact_marks: Marks) -> None:
    docs = comparison.documents
    shown = list(range(len(docs)))
    if len(docs) > 2:
        shown = st.multiselect("Documents", shown, default=shown[:2], key="read-docs", format_func=lambda i: f"{view.letter(i)} · {docs[i].name}")
    picked = st.selectbox(
        "Select a passage to see its counterparts", [(i, s.index) for i in shown for s in docs[i].segments], index=None, key="read-passage",
        format_func=lambda o: f"{view.letter(o[0])} #{o[1]} · {view.excerpt(docs[o[0]].segments[o[1]].text, 110)}",
        placeholder="Pick a passage (hover one in the text for its status)",
    )  # fmt: skip
    selected: dict[int, set[int]] = {i: set() for i in range(len(docs))}
    if picked is not None:
        found = view.counterparts(comparison, *picked)
        selected[picked[0]].add(picked[1])
        for item in found:
            if item.status != "closest":
                selected[comparison.positions[item.document]].add(item.index)
        st.markdown(view.counterparts_html(found), unsafe_allow_html=True)
    names = [view.display_name(docs[i], i) for i in shown]
    marks = {i: artifact_marks(docs[i].document) for i in shown}
    st.caption("The texts scroll together: scrolling one brings the counterpart of its top passage level in the other.")
    # every user string in it is escaped (xling.ui.dashboard.esc); the frame runs only the panes' own script
    st.iframe(reading.reading_panes_html(comparison, shown, names, selected=selected, marks=marks), height=reading.PANE_HEIGHT_PX + 20)


def section_differences(comparison: xling.Comparison, table: pd.DataFrame, artifact_marks: Marks) -> None:
    rows = view.with_closest(table[view.has_discrepancies(table, comparison)].reset_index(drop=True), comparison)
    st.caption("Passages that disagree on a checkable fact (a number, a date, a name, a quote), highlighted in both texts: "
               "linked pairs, and passages no one linked set beside the closest passage of the other article. Below, each "
               "document's translation artifacts.")  # fmt: skip
    if rows.empty:
        st.info("The linked passages agree on every number, date and name xling can check.")
    else:
        st.markdown(pairs_header(comparison, True) + view.pair_cards_html(rows, letters_of(comparison), comparison, show_pair=len(comparison.pairs) > 1,
                                                                          bars=view.pair_bars(comparison)), unsafe_allow_html=True)  # fmt: skip
    docs = comparison.documents
    columns = st.columns(min(len(docs), 3))
    for index in range(len(docs)):
        with columns[index % len(columns)]:
            marks = artifact_marks(docs[index].document)
            st.markdown(f"##### Translation artifacts in {view.letter(index)}: {len(marks)}")
            st.caption(view.md(docs[index].name))
            st.markdown(view.artifacts_html(marks, docs[index].document.text), unsafe_allow_html=True)


def section_overview(comparison: xling.Comparison, pair: xling.PairResult) -> None:
    st.markdown("##### How much of each document the others cover")
    st.altair_chart(charts.coverage_chart(view.coverage_frame(comparison)), width="stretch")
    la, lb = (view.letter(i) for i in comparison.ends(pair))
    st.markdown(f"##### Similarity of every passage of {la} (rows) with every passage of {lb} (columns)")
    cells = view.heatmap_frame(pair)
    if cells is None:
        st.info(f"Too many passages to draw ({pair.similarity.shape[0]} × {pair.similarity.shape[1]}); the table has every link.")
    else:
        st.caption("Darker = more alike. Linked cells are outlined in their colour. Hover a cell to read both passages.")
        st.altair_chart(charts.heatmap_chart(cells, la, lb), width="stretch")
    if len(comparison.documents) > 2:
        st.markdown("##### Coverage matrix: how much of each document (rows) another one (columns) covers")
        st.altair_chart(charts.matrix_chart(view.coverage_matrix_frame(comparison)), width="stretch")
        docs = comparison.documents
        index = st.selectbox("Which documents carry each passage of", range(len(docs)), key="carriers-doc",
                             format_func=lambda i: f"{view.letter(i)} · {docs[i].name}")  # fmt: skip
        st.dataframe(view.carriers_frame(comparison, index), hide_index=True, width="stretch")
