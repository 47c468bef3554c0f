"""The dashboard's charts (Altair): coverage bars, the similarity heatmap of a pair, the coverage matrix.

Pure: frames in (made by :mod:`xling.ui.models`), charts out; the page draws them.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .common import KINDS, LABELS, PALETTE


def coverage_chart(frame: pd.DataFrame) -> alt.Chart:
    scale = alt.Scale(domain=[LABELS[k] for k in KINDS], range=[PALETTE[k][0] for k in KINDS])
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("document:N", title=None, sort=None),
            x=alt.X("share:Q", title="share of the document's text", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("kind:N", scale=scale, legend=alt.Legend(title=None, orient="top")),
            order=alt.Order("order:Q"),
            tooltip=["document", "kind", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=alt.Step(34))
    )


def heatmap_chart(cells: pd.DataFrame, la: str, lb: str) -> alt.LayerChart:
    tooltip = [alt.Tooltip("a:O", title=f"{la} #"), alt.Tooltip("b:O", title=f"{lb} #"), alt.Tooltip("similarity:Q", title="cosine"),
               alt.Tooltip("status:N", title="link"), alt.Tooltip("score:Q", format=".3f"), alt.Tooltip("a_text:N", title=la),
               alt.Tooltip("b_text:N", title=lb)]  # fmt: skip
    base = alt.Chart(cells).encode(x=alt.X("b:O", title=f"{lb} passage #"), y=alt.Y("a:O", title=f"{la} passage #"), tooltip=tooltip)
    shades = alt.Scale(range=["#fbfbfb", "#4d4d4d"])  # light to dark grey, so the coloured outlines of links stand out
    heat = base.mark_rect().encode(color=alt.Color("similarity:Q", scale=shades, legend=alt.Legend(title="cosine")))
    links = ("match", "partial")
    outline = alt.Scale(domain=list(links), range=[PALETTE[k][0] for k in links])
    linked = (base.transform_filter(alt.datum.status != "").mark_rect(fillOpacity=0, strokeWidth=3)
              .encode(stroke=alt.Stroke("status:N", scale=outline, legend=alt.Legend(title="link"))))  # fmt: skip
    return alt.layer(heat, linked).properties(height=min(1400, max(260, 18 * (int(cells.a.max()) + 1))))


def matrix_chart(frame: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(frame).encode(x=alt.X("by:N", title="covered by", axis=alt.Axis(labelAngle=0, orient="top")),
                                   y=alt.Y("document:N", title=None))  # fmt: skip
    rect = base.mark_rect().encode(color=alt.Color("share:Q", scale=alt.Scale(scheme="greens", domain=[0, 1]), legend=None),
                                   tooltip=["document", "by", alt.Tooltip("share:Q", format=".0%")])  # fmt: skip
    return alt.layer(rect, base.mark_text().encode(text=alt.Text("share:Q", format=".0%"))).properties(height=alt.Step(44))
