"""The comparison as one self-contained HTML file: readable offline, printable, nothing fetched from anywhere.

Per pair: the side-by-side view (:mod:`xling.ui.sidebyside`, with its navigation), the passages only one
article has (each with the closest passage of the other and how close it came) and the differences.
"""
from __future__ import annotations

import pandas as pd

from .. import __version__
from ..pipeline import Comparison
from . import sidebyside
from .common import display_name, esc

CSS = """
body {font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif; color:#1f2328; margin:1.2rem; max-width:1400px}
h1 {font-size:1.6rem; margin:0 0 .3rem 0} h2 {font-size:1.25rem; margin:1.6rem 0 .4rem 0; border-bottom:1px solid #ddd}
h3 {font-size:1.05rem; margin:1rem 0 .3rem 0}
table.xr-docs {border-collapse:collapse; margin:.4rem 0 1rem 0; font-size:14px}
table.xr-docs td, table.xr-docs th {border:1px solid #ddd; padding:3px 8px; text-align:left}
.xr-note {color:#555; font-size:13px}
@media print {h2 {break-before:page} h2:first-of-type {break-before:auto}}
"""


def report_html(comparison: Comparison, table: pd.DataFrame, *, title: str = "") -> str:
    """The whole report: documents, then every pair side by side with its unique passages and differences."""
    docs = list(comparison.documents)
    title = title or " / ".join(display_name(p, i) for i, p in enumerate(docs))
    head = "".join(
        f"<tr><td>{esc(display_name(p, i))}</td><td>{esc(p.name)}</td><td>{esc(p.document.lang)}</td><td>{len(p.segments)}</td>"
        f"<td>{comparison.coverage(i).char_share:.0%}</td></tr>"
        for i, p in enumerate(docs)
    )
    about = f"Made by xling {esc(__version__)} with {esc(comparison.model_id)}. Rows marked “human” were decided by a person."
    columns = "".join(f"<th>{c}</th>" for c in ("document", "file", "language", "passages", "covered by the others"))
    parts = [f"<h1>{esc(title)}</h1>", f'<p class="xr-note">{about}</p>', f'<table class="xr-docs"><tr>{columns}</tr>{head}</table>']
    for pair in comparison.pairs:
        names = (display_name(pair.a, docs.index(pair.a)), display_name(pair.b, docs.index(pair.b)))
        rows = table[table["pair_id"] == pair.pair_id]
        beads = sidebyside.bead_rows(pair, rows)
        counts = sidebyside.row_counts(beads)
        parts.append(f"<h2>{esc(names[0])} and {esc(names[1])}</h2>")
        parts.append(f'<p class="xr-note">{counts.linked} linked units ({counts.moved} moved), {counts.unique_passages} passages only '
                     f"one article has, {counts.differences} rows with a difference, {counts.human} rows decided by a person.</p>")  # fmt: skip
        parts.append(sidebyside.sidebyside_html(pair, rows, names))
        marks = sidebyside.passage_marks(pair)
        only = [n for n, row in enumerate(beads) if not row.linked]
        parts.append(f"<h3>Only in one article ({sum(len(beads[n].a) + len(beads[n].b) for n in only)} passages)</h3>")
        parts.append('<div class="xs">' + "".join(sidebyside.row_html(pair, beads[n], n, names, marks) for n in only) + "</div>")
        differ = [n for n, row in enumerate(beads) if row.discrepancies]
        parts.append(f"<h3>Where they differ ({len(differ)})</h3>")
        parts.append('<div class="xs">' + ("".join(sidebyside.row_html(pair, beads[n], n, names, marks) for n in differ)
                                           or '<p class="xr-note">No number, date or name disagrees.</p>') + "</div>")  # fmt: skip
    return sidebyside.page(title, f"<style>{CSS}</style>" + "".join(parts))
