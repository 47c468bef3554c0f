"""Human-readable summaries for the terminal."""
from __future__ import annotations

from .checks.artifacts import find_artifacts
from .checks.facts import Difference
from .pipeline import Comparison, PairResult
from .text import excerpt

EXCERPT_CHARS = 70


def _differing(pair: PairResult) -> list[tuple[str, tuple[Difference, ...]]]:
    """Where the pair's passages disagree (a link, or an unlinked passage and its closest one), in the table's order."""
    out = []
    for link in sorted(pair.links, key=lambda k: (k.a, k.b)):
        if found := pair.checks.of_link(link.a, link.b):
            out.append(((link.a, 0), f"A#{link.a} / B#{link.b}", found))
    for i in pair.unique_a:
        if found := pair.checks.of_unique("a", i):
            out.append(((i, -1), f"A#{i} (not linked) / closest B#{pair.checks.closest('a', i).index}", found))  # type: ignore[union-attr]
    ordered = [(where, found) for _, where, found in sorted(out, key=lambda item: item[0])]
    for j in pair.unique_b:
        if found := pair.checks.of_unique("b", j):
            ordered.append((f"closest A#{pair.checks.closest('b', j).index} / B#{j} (not linked)", found))  # type: ignore[union-attr]
    return ordered


def summary(comparison: Comparison, seconds: float | None = None, *, examples: int = 0) -> str:
    """Languages, segment counts, links, coverage and discrepancies of every document and pair."""
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
        differing = _differing(pair)
        lines.append(f"  {len(differing)} passage(s) disagree with their counterpart on a number, date, name or quote")
        lines.extend(f"    {where}: {'; '.join(d.message() for d in found)}" for where, found in differing[:examples])
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
