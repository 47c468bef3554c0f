"""The alignment table across N articles (as CollateX shows a collation): one column per article, one row per unit.

A unit is a set of passages joined by links, directly or through each other, across every pair (a bead
over all the documents); a passage no one links is a unit of its own. A cell is blank where an article
lacks the unit. Rows follow the reading order of the articles: by the mean relative position of the
unit's first passage in each article that has it.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

import pandas as pd

from ..pipeline import Comparison
from .common import display_name, esc

TableFormat = Literal["csv", "xlsx", "html"]
TABLE_FORMATS: tuple[TableFormat, ...] = ("csv", "xlsx", "html")
CARRIED = "in articles"  # the column counting the articles that have the unit


def units(comparison: Comparison) -> list[dict[int, tuple[int, ...]]]:
    """Every unit as ``{document index: its segment indices}``, in reading order."""
    docs = comparison.documents
    parent: dict[tuple[int, int], tuple[int, int]] = {(d, s.index): (d, s.index) for d, p in enumerate(docs) for s in p.segments}

    def find(node: tuple[int, int]) -> tuple[int, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in comparison.pairs:
        da, db = comparison.ends(pair)
        for link in pair.links:
            ra, rb = find((da, link.a)), find((db, link.b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[int, int], dict[int, list[int]]] = {}
    for node in parent:
        groups.setdefault(find(node), {}).setdefault(node[0], []).append(node[1])
    out = [{d: tuple(sorted(segs)) for d, segs in sorted(group.items())} for group in groups.values()]

    def position(unit: dict[int, tuple[int, ...]]) -> tuple[float, int, int]:
        shares = [segs[0] / max(len(docs[d].segments), 1) for d, segs in unit.items()]
        first = min(unit)
        return sum(shares) / len(shares), first, unit[first][0]

    return sorted(out, key=position)


def alignment_table(comparison: Comparison, names: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per unit, one column per document (its passages' text, ``#i`` before each), blank where it has none."""
    docs = comparison.documents
    names = list(names) if names is not None else [display_name(p, i) for i, p in enumerate(docs)]
    rows = []
    for unit in units(comparison):
        row: dict[str, object] = {CARRIED: len(unit)}
        for d, name in enumerate(names):
            segs = unit.get(d, ())
            row[name] = " ".join(f"#{i} {docs[d].segments[i].text.strip()}" for i in segs) if segs else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=[CARRIED, *names])


def table_bytes(table: pd.DataFrame, fmt: TableFormat, title: str = "xling alignment") -> bytes:
    """The table as CSV (UTF-8), an XLSX workbook or a self-contained HTML page."""
    if fmt == "csv":
        return table.to_csv(index=False).encode("utf-8")
    if fmt == "xlsx":
        out = io.BytesIO()
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            table.to_excel(writer, index=False, sheet_name="alignment")
        return out.getvalue()
    if fmt == "html":
        return table_html(table, title, page=True).encode("utf-8")
    raise ValueError(f"format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")


TABLE_CSS = """
table.xn {border-collapse:collapse; width:100%; font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif; font-size:14px}
table.xn th, table.xn td {border:1px solid #ddd; padding:4px 8px; vertical-align:top; text-align:left; line-height:1.45}
table.xn th {background:#f6f8fa; position:sticky; top:0}
table.xn td.xn-gap {background:repeating-linear-gradient(135deg,#fafafa,#fafafa 6px,#f1f1f1 6px,#f1f1f1 12px)}
table.xn td.xn-n {text-align:center; color:#555; width:4rem}
table.xn tr.xn-one td:not(.xn-gap):not(.xn-n) {background:#e6ecf5}
"""


def table_html(table: pd.DataFrame, title: str = "", *, page: bool = False) -> str:
    """The table as HTML, every cell escaped; blank cells hatched, rows only one article has tinted."""
    head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
    body = []
    for row in table.itertuples(index=False):
        cells = [f'<td class="xn-n">{row[0]}</td>'] + [f"<td>{esc(v)}</td>" if v else '<td class="xn-gap"></td>' for v in row[1:]]
        body.append(f'<tr class="{"xn-one" if row[0] == 1 else ""}">{"".join(cells)}</tr>')
    html_table = f'<style>{TABLE_CSS}</style><table class="xn"><tr>{head}</tr>{"".join(body)}</table>'
    if not page:
        return html_table
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title></head>'
            f"<body><h1 style=\"font-family:sans-serif;font-size:1.3rem\">{esc(title)}</h1>{html_table}</body></html>")  # fmt: skip
