"""Human-readable summaries for the terminal."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .checks.artifacts import find_artifacts
from .pipeline import Comparison
from .text import excerpt

if TYPE_CHECKING:
    import pandas as pd

EXCERPT_CHARS = 70


def _where(row: dict) -> str:
    """Which passages a discrepancy is between: a link, or an unlinked passage and the closest one."""
    if row["status"] == "unique_a":
        return f"A#{row['a_index']} (not linked) / closest B#{json.loads(row['discrepancies'])[0]['closest']}"
    if row["status"] == "unique_b":
        return f"closest A#{json.loads(row['discrepancies'])[0]['closest']} / B#{row['b_index']} (not linked)"
    return f"A#{row['a_index']} / B#{row['b_index']}"


def summary(comparison: Comparison, seconds: float | None = None, *, examples: int = 0, table: pd.DataFrame | None = None) -> str:
    """Languages, segment counts, links, coverage and discrepancies of every document and pair.

    ``table`` is the comparison's table when the caller has it already (discrepancies are read from it).
    """
    table = comparison.to_dataframe() if table is None else table
    lines = []
    for index, prepared in enumerate(comparison.documents):
        cov = comparison.coverage(index)
        lines.append(
            f"{prepared.name}: {prepared.document.lang} (p={prepared.document.lang_prob:.2f}), {len(prepared.segments)} segments, "
            f"{cov.char_share:.0%} of its text covered by the other document(s)"
        )
    for pair in comparison.pairs:
        statuses = [link.status for link in pair.links]
        lines.append(
            f"{pair.pair_id}: {statuses.count('match')} match + {statuses.count('partial')} partial links, "
            f"{len(pair.unique_a)} unique in {pair.a.name}, {len(pair.unique_b)} unique in {pair.b.name}"
        )
        differing = table[(table["pair_id"] == pair.pair_id) & (table["discrepancies"] != "")].to_dict("records")
        lines.append(f"  {len(differing)} passage(s) disagree with their counterpart on a number, date, name or quote")
        lines.extend(f"    {_where(row)}: {'; '.join(d['message'] for d in json.loads(row['discrepancies']))}" for row in differing[:examples])
        if examples:
            lines.append("  shared:")
        for link in pair.links[:examples]:
            score = "human" if link.score != link.score else f"{link.score:.3f}"  # NaN: a link a person added
            lines.append(f"    [{link.status:<7} {score:>5}] A: {excerpt(pair.a.segments[link.a].text, EXCERPT_CHARS)}")
            lines.append(f"    {'':>17} B: {excerpt(pair.b.segments[link.b].text, EXCERPT_CHARS)}")
        for label, prepared, unique in (("A", pair.a, pair.unique_a), ("B", pair.b, pair.unique_b)):
            if examples and unique:
                lines.append(f"  only in {label} ({prepared.name}):")
                lines.extend(f"    - {excerpt(prepared.segments[i].text, EXCERPT_CHARS)}" for i in unique[:examples])
    if examples:
        for prepared in comparison.documents:
            found = find_artifacts(prepared.document)
            if found:
                lines.append(f"translation artifacts in {prepared.name}:")
                lines.extend(f"    - {a.message()}" for a in found[:examples])
    if seconds is not None:
        lines.append(f"done in {seconds:.1f} s")
    return "\n".join(lines)
