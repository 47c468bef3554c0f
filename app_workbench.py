"""The dashboard's workbench sections: side by side, corrections, the workspace, the N-article table.

Streamlit widgets only, as app.py's other sections are; what they show is built by :mod:`xling.ui`
(pure functions, tested without a browser). app.py calls these in its one pass: widgets -> settings ->
pipeline -> render.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

import xling
from xling.ui import dashboard as view
from xling.ui import ntable, report, sidebyside, workbench

SIDE_BY_SIDE_HEIGHT = 760  # px of the side-by-side frame; it scrolls inside, both columns in step
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "html": "text/html"}


@dataclass(frozen=True)
class Saved:
    """A comparison saved in the workspace, chosen as the documents to show: reopened without a model."""

    path: str
    comparison_id: int


def sidebar_workspace(bar) -> tuple[str, str]:
    """Where corrections and saved comparisons are kept, and who is making them."""
    bar.header("Workspace")
    path = bar.text_input("Workspace file", workbench.default_workspace(), key="workspace-path",
                          help="A local file keeping saved comparisons and your corrections; `xling align --workspace FILE` "
                          "applies the same corrections. Created on the first save.").strip()  # fmt: skip
    author = bar.text_input("Your name", key="author", placeholder="kept with each correction").strip()
    return path, author


def sidebar_saved(bar, workspace_path: str) -> Saved | None:
    """A comparison saved in the workspace file named in the sidebar."""
    try:
        workspace = workbench.existing(workspace_path)
        saved = workbench.saved_options(workspace)
    except xling.XlingError as exc:
        st.error(f"**Workspace {view.md(workspace_path)}**: {view.md(exc)}")
        return None
    if not saved:
        st.info(f"No comparison is saved in {view.md(workspace_path)} yet: open one and press “Save this comparison” in the sidebar.")
        return None
    ids = [int(row["id"]) for row in saved]  # type: ignore[call-overload]
    labels = {int(row["id"]): workbench.saved_label(row) for row in saved}  # type: ignore[call-overload]
    chosen = bar.selectbox("Saved comparison", ids, format_func=labels.get, key="saved-id")
    return Saved(workspace_path, int(chosen))


def section_save(bar, comparison: xling.Comparison, path: str, author: str, saved: bool) -> None:
    """The button that stores the comparison (documents, vectors, links) in the workspace, to reopen without a model."""
    if saved or not path:
        return
    title = bar.text_input("Title", key="save-title", placeholder=" / ".join(p.name for p in comparison.documents)[:80])
    if bar.button("Save this comparison", key="save-comparison", width="stretch"):
        try:
            cid = xling.Workspace(path).save(comparison, title=title.strip(), author=author)
        except xling.XlingError as exc:
            bar.error(f"**Workspace {view.md(path)}**: {view.md(exc)}")
            return
        bar.success(f"Saved as #{cid} in {view.md(path)}: choose “Saved comparison” above to reopen it.")


def apply_workspace(comparison: xling.Comparison, path: str) -> tuple[xling.Comparison, pd.DataFrame]:
    """The comparison and its table with the workspace's corrections applied (rows a person decided: ``source`` human)."""
    try:
        workspace = workbench.existing(path)
    except xling.XlingError as exc:
        st.error(f"**Workspace {view.md(path)}**: {view.md(exc)}")
        workspace = None
    if workspace is None:
        return comparison, comparison.to_dataframe()
    corrected = workspace.apply(comparison)
    for stale in corrected.stale:
        st.warning(view.md(stale))
    return corrected.comparison, corrected.table


def open_saved(saved: Saved) -> xling.Comparison:
    try:
        return xling.Workspace(saved.path, create=False).load(saved.comparison_id)
    except xling.XlingError as exc:
        st.error(f"**Workspace {view.md(saved.path)}**: {view.md(exc)}")
        st.stop()
        raise AssertionError("unreachable") from exc


def section_sidebyside(comparison: xling.Comparison, table: pd.DataFrame, pair: xling.PairResult, path: str, author: str) -> None:
    """The focus pair bead by bead in document order (a frame with its own navigation), then the corrections panel."""
    names = pair_names(comparison, pair)
    st.caption("Each row is one unit of both articles, in reading order: linked passages side by side (⟷), a hatched gap where "
               "one article has nothing. “moved”: linked, but elsewhere in the other article. Click a passage to select its "
               "counterpart (or, for one only here, the closest passage of the other article).")  # fmt: skip
    rows = table[table["pair_id"] == pair.pair_id]
    # Every user string in it is escaped (xling.ui.dashboard.esc); the frame runs only the view's own script.
    st.iframe(sidebyside.page("xling side by side", sidebyside.sidebyside_html(pair, rows, names)), height=SIDE_BY_SIDE_HEIGHT)
    st.download_button("⬇ HTML report of the comparison", report.report_html(comparison, table), file_name="xling-report.html",
                       mime="text/html", key="download-report", on_click="ignore",
                       help="One file, readable offline and printable: every pair side by side, what each article says alone, "
                       "and where they differ.")  # fmt: skip
    section_corrections(comparison, table, pair, path, author)


def pair_names(comparison: xling.Comparison, pair: xling.PairResult) -> tuple[str, str]:
    docs = list(comparison.documents)
    return view.display_name(pair.a, docs.index(pair.a)), view.display_name(pair.b, docs.index(pair.b))


def section_corrections(comparison: xling.Comparison, table: pd.DataFrame, pair: xling.PairResult, path: str, author: str) -> None:
    """Reject, confirm or relabel a link, or add a missing one; each kept in the workspace with who, when and a note."""
    st.markdown("#### Fix what is wrong")
    flash = st.session_state.pop("correction-flash", None)
    if flash:
        st.success(view.md(flash))
    if not path:
        st.caption("Name a workspace file in the sidebar to keep corrections.")
        return
    docs = list(comparison.documents)
    la, lb = view.letter(docs.index(pair.a)), view.letter(docs.index(pair.b))
    choices = workbench.link_choices(pair, table)
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**A link xling made**")
        if choices:
            i = st.selectbox("Link", range(len(choices)), key=fresh("fix-link"), format_func=lambda i: workbench.link_label(pair, choices[i], (la, lb)))
            what = st.radio("Decision", list(workbench.DECISIONS), key=fresh("fix-decision"))
            note = st.text_input("Note", key=fresh("fix-note"), placeholder="why, for whoever reads it next")
            if st.button("Save the correction", key="fix-save", type="primary"):
                store_correction(path, workbench.decision(pair, choices[i], what, note=note, author=author))
        else:
            st.caption("No links in this pair.")
    with right.container(border=True):
        st.markdown("**A link xling missed**")
        statuses = {"a": workbench.segment_statuses(pair, "a"), "b": workbench.segment_statuses(pair, "b")}
        a = st.selectbox(f"Passage of {la}", range(len(pair.a.segments)), key=fresh("add-a"),
                         format_func=lambda i: workbench.segment_label(pair, "a", i, statuses["a"][i], la))  # fmt: skip
        b = st.selectbox(f"Passage of {lb}", range(len(pair.b.segments)), key=fresh("add-b"),
                         format_func=lambda j: workbench.segment_label(pair, "b", j, statuses["b"][j], lb))  # fmt: skip
        status = st.radio("Link them as", list(workbench.ADD_STATUSES), horizontal=True, key=fresh("add-status"))
        note = st.text_input("Note", key=fresh("add-note"), placeholder="why they say the same thing")
        if st.button("Add the link", key="add-save"):
            store_correction(path, workbench.addition(pair, a, b, status, note=note, author=author))
    section_correction_list(comparison, path)


def fresh(name: str) -> str:
    """A correction widget's key, new after each stored correction: the choices start again from the corrected links
    (a browser keeps showing a removed option under an unchanged key) and the note is empty again."""
    revision = st.session_state.get("corrections-revision", 0)
    return name if not revision else f"{name}-{revision}"


def store_correction(path: str, correction: xling.workspace.corrections.Correction) -> None:
    try:
        stored = xling.Workspace(path).add_correction(correction)
    except xling.XlingError as exc:
        st.error(f"**Workspace {view.md(path)}**: {view.md(exc)}")
        return
    st.session_state["correction-flash"] = f"Kept in {path}: {stored.describe()}"
    st.session_state["corrections-revision"] = st.session_state.get("corrections-revision", 0) + 1
    st.rerun()


def section_correction_list(comparison: xling.Comparison, path: str) -> None:
    try:
        workspace = workbench.existing(path)
    except xling.XlingError as exc:
        st.error(f"**Workspace {view.md(path)}**: {view.md(exc)}")
        return
    frame = workbench.corrections_frame(workspace, comparison) if workspace else None
    if frame is None or frame.empty:
        st.caption(f"No corrections of these documents in {view.md(path)} yet.")
        return
    st.markdown(f"**Corrections of these documents kept in {view.md(path)}: {len(frame)}** (newest first; rows they decided are marked *human*)")
    st.dataframe(frame.drop(columns="id"), hide_index=True, width="stretch")
    ids = [int(i) for i in frame["id"]]
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    undo = left.selectbox("Undo a correction", ids, key="undo-id", format_func=lambda i: f"#{i} · " + " · ".join(
        str(v) for v in frame.set_index("id").loc[i, ["when", "who", "decision"]]))  # fmt: skip
    if right.button("Undo", key="undo"):
        workspace.remove_correction(int(undo))  # type: ignore[union-attr]
        st.session_state["corrections-revision"] = st.session_state.get("corrections-revision", 0) + 1
        st.session_state["correction-flash"] = f"Correction #{undo} removed."
        st.rerun()


def section_units(comparison: xling.Comparison) -> None:
    """The alignment table across every article: one column each, one row per unit, blank where an article lacks it."""
    names = [view.display_name(p, i) for i, p in enumerate(comparison.documents)]
    table = ntable.alignment_table(comparison, names)
    one = int((table[ntable.CARRIED] == 1).sum())
    st.caption(f"{len(table)} units in reading order: {len(table) - one} that two or more articles share, {one} that one article alone "
               "has. A unit is a set of passages linked with each other across the articles; a blank cell: that article lacks it.")  # fmt: skip
    for column, fmt in zip(st.columns(len(ntable.TABLE_FORMATS) + 3)[: len(ntable.TABLE_FORMATS)], ntable.TABLE_FORMATS):
        column.download_button(f"⬇ {fmt.upper()}", ntable.table_bytes(table, fmt), file_name=f"xling-units.{fmt}",
                               mime=MIME[fmt], key=f"units-{fmt}", on_click="ignore", width="stretch")  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch", height=min(900, 38 + 35 * len(table)),
                 column_config={n: st.column_config.TextColumn(n, width="large") for n in names})  # fmt: skip
