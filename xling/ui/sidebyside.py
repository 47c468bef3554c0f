"""A pair laid out bead by bead, in document order, as two columns: what Meld or Beyond Compare show for code.

:func:`bead_rows` orders the rows: the beads that keep both documents' order form the spine (the longest
run increasing in both), the others are *moved* and sit at their place in A; a passage no one linked is a
row of its own with a gap on the other side, B's after the spine bead that precedes them in B. Consecutive
passages of one side form one block, and a one-to-many link is one block, not a passage repeated.
:func:`sidebyside_html` renders the rows as a self-contained HTML fragment with its own CSS and script
(navigation to the next difference, unique passage or move; a click on a passage selects its counterpart),
used by the dashboard (in an iframe) and by the HTML report alike.
"""
from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..palette import PALETTE, kind
from ..pipeline import PairResult
from .common import LABELS, esc, excerpt
from .confidence import confidence
from .html import marked_html
from .models import difference_line, difference_marks, nearness

HUMAN = "human"
CLOSEST_CHARS = 160  # of the closest passage quoted under a unique one


@dataclass(frozen=True)
class Nearest:
    """The passage of the other document that came closest to an unlinked one, and its margin score."""

    index: int
    score: float
    text: str


@dataclass(frozen=True)
class BeadRow:
    """One row of the side-by-side view: a bead (both sides) or a run of passages of one side only."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    status: str  # match, partial, unique_a, unique_b
    score: float | None = None  # the bead's best link score
    similarity: float | None = None
    confidence: str | None = None  # high, medium, low (linked rows)
    moved: bool = False  # linked, but out of order with the beads around it
    human: bool = False  # a person decided it (a correction in the workspace)
    discrepancies: tuple[str, ...] = ()
    nearest: Mapping[int, Nearest] | None = None  # per passage of a one-sided row

    @property
    def linked(self) -> bool:
        return bool(self.a) and bool(self.b)


def _increasing(values: Sequence[int]) -> set[int]:
    """Positions of a longest strictly increasing subsequence of ``values`` (patience sorting, O(n log n))."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = v, i
        parent[i] = tail_at[k - 1] if k else -1
    out, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        out.add(i)
        i = parent[i]
    return out


def _sources(rows: pd.DataFrame | None) -> tuple[set[tuple[int, int]], set[tuple[str, int]]]:
    """From a pair's table rows: links a person decided, and passages a person left unlinked (``("a", i)``)."""
    human_links: set[tuple[int, int]] = set()
    human_unique: set[tuple[str, int]] = set()
    if rows is None or rows.empty or "source" not in rows.columns:
        return human_links, human_unique
    for r in rows.itertuples(index=False):
        if str(r.source) != HUMAN:
            continue
        if r.status in ("match", "partial"):
            human_links.add((int(r.a_index), int(r.b_index)))
        else:
            side = "a" if r.status == "unique_a" else "b"
            human_unique.add((side, int(getattr(r, f"{side}_index"))))
    return human_links, human_unique


def bead_rows(pair: PairResult, rows: pd.DataFrame | None = None) -> list[BeadRow]:
    """The rows of the side-by-side view of ``pair``, in document order (see the module's docstring).

    ``rows``: the pair's rows of the (corrected) contract table, for the ``source`` column; the differences
    are the pair's own (:attr:`PairResult.checks`).
    """
    link_bar, match_bar = pair.params.threshold, pair.params.match_threshold
    human_links, human_unique = _sources(rows)
    beads = sorted(pair.beads, key=lambda bead: (bead.a[0], bead.b[0]))
    spine = _increasing([bead.b[0] for bead in beads])
    linked: list[tuple[int, BeadRow]] = []
    for k, bead in enumerate(beads):
        best = max(bead.links, key=lambda link: link.score)
        score = None if math.isnan(best.score) else best.score  # a link a person added has no score
        notes = tuple(dict.fromkeys(difference_line(d) for link in bead.links for d in pair.checks.of_link(link.a, link.b)))
        row = BeadRow(a=bead.a, b=bead.b, status=bead.status, score=score, similarity=best.similarity,
                      confidence=None if score is None or math.isnan(link_bar) else confidence(score, link_bar, match_bar, bead.status),
                      moved=k not in spine, human=any((link.a, link.b) in human_links for link in bead.links), discrepancies=notes)  # fmt: skip
        linked.append((bead.a[0], row))
    # A's order: the beads at their first passage of A, the unlinked passages of A between them
    ordered: list[BeadRow] = []
    for _, item in sorted([*linked, *((i, _one_sided(pair, "a", (i,), human_unique)) for i in pair.unique_a)], key=lambda x: x[0]):
        ordered.append(item)
    # B's unlinked passages: after the last row before the next spine bead that follows, in B, their predecessor
    spine_rows = [row for k, (_, row) in enumerate(linked) if k in spine]
    spine_b = [row.b[0] for row in spine_rows]
    inserts: dict[int, list[int]] = {}  # position in ``ordered`` after which B's passages go (-1: the very start)
    for j in pair.unique_b:
        k = bisect.bisect_left(spine_b, j) - 1  # the spine bead preceding j in B
        if k < 0:
            after = -1
        else:
            nxt = ordered.index(spine_rows[k + 1]) if k + 1 < len(spine_rows) else len(ordered)
            after = nxt - 1
        inserts.setdefault(after, []).append(j)
    out: list[BeadRow] = []
    for position in range(-1, len(ordered)):
        if position >= 0:
            out.append(ordered[position])
        out.extend(_one_sided(pair, "b", (j,), human_unique) for j in inserts.get(position, ()))
    return _merge_runs(out)


def _one_sided(pair: PairResult, side: str, indices: tuple[int, ...], human_unique: set[tuple[str, int]]) -> BeadRow:
    other = pair.b if side == "a" else pair.a
    notes = tuple(f"with the closest passage: {difference_line(d)}" for i in indices for d in pair.checks.of_unique(side, i))
    nearest = {}
    for i in indices:
        best = pair.nearest(i, side)
        if best is not None:
            nearest[i] = Nearest(best[0], best[1], other.segments[best[0]].text)
    human = any((side, i) in human_unique for i in indices)
    return BeadRow(a=indices if side == "a" else (), b=indices if side == "b" else (), status=f"unique_{side}", human=human, nearest=nearest,
                    discrepancies=notes)


def _merge_runs(rows: list[BeadRow]) -> list[BeadRow]:
    """Consecutive one-sided rows of the same side, with consecutive passages and the same human flag, become one block."""
    out: list[BeadRow] = []
    for row in rows:
        last = out[-1] if out else None
        if (last is not None and not row.linked and last.status == row.status and last.human == row.human
                and not last.discrepancies and not row.discrepancies  # a passage with a difference stays a row of its own
                and (last.a + last.b)[-1] + 1 == (row.a + row.b)[0]):  # fmt: skip
            out[-1] = BeadRow(a=last.a + row.a, b=last.b + row.b, status=row.status, human=row.human,
                              nearest={**(last.nearest or {}), **(row.nearest or {})})  # fmt: skip
        else:
            out.append(row)
    return out


@dataclass(frozen=True)
class RowCounts:
    rows: int
    linked: int
    moved: int
    unique: int  # rows of passages one article alone has
    unique_passages: int
    differences: int
    human: int


def row_counts(rows: Sequence[BeadRow]) -> RowCounts:
    return RowCounts(rows=len(rows), linked=sum(r.linked for r in rows), moved=sum(r.moved for r in rows),
                     unique=sum(not r.linked for r in rows), unique_passages=sum(len(r.a) + len(r.b) for r in rows if not r.linked),
                     differences=sum(bool(r.discrepancies) for r in rows),
                     human=sum(r.human for r in rows))  # fmt: skip


# ---------------------------------------------------------------- HTML

CSS = """
.xs {font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif; font-size:15px; line-height:1.55; color:#1f2328}
.xs-bar {position:sticky; top:0; z-index:2; background:#fff; border-bottom:1px solid #ddd; padding:6px 4px; display:flex; flex-wrap:wrap;
  gap:6px; align-items:center}
.xs-bar button {font:inherit; font-size:13px; padding:3px 10px; border:1px solid #bbb; border-radius:14px; background:#f6f8fa; cursor:pointer}
.xs-bar button:hover {background:#eaeef2}
.xs-info {font-size:13px; color:#444; margin-left:8px}
.xs-head, .xs-row {display:grid; grid-template-columns:minmax(0,1fr) 8.5rem minmax(0,1fr); gap:10px}
.xs-head {font-weight:700; padding:6px 8px 4px 8px; position:sticky; top:40px; background:#fff; z-index:1; border-bottom:1px solid #eee}
.xs-row {padding:6px 8px; border-top:1px solid #eee; scroll-margin-top:80px}
.xs-side {border-left:4px solid transparent; padding:2px 8px; border-radius:4px}
.xs-seg {display:block; padding:1px 3px; margin:0 0 3px 0; border-radius:3px; cursor:pointer}
.xs-seg sup {color:#777; font-size:10px; margin-right:3px}
.xs-gap {color:#8a8a8a; font-style:italic; font-size:13px; padding:4px 8px; border:1px dashed #ccc; border-radius:4px;
  background:repeating-linear-gradient(135deg,#fafafa,#fafafa 6px,#f1f1f1 6px,#f1f1f1 12px)}
.xs-mid {text-align:center; font-size:12px; color:#444; display:flex; flex-direction:column; align-items:center; gap:2px}
.xs-mid .xs-link {font-size:18px; color:#888; line-height:1}
.xs-badge {display:inline-block; padding:0 8px; border-radius:10px; font-size:12px; font-weight:600; white-space:nowrap}
.xs-human {background:#1f2937; color:#fff}
.xs-moved {background:#ede9fe; color:#5b21b6}
.xs-near {font-size:13px; color:#555; margin:2px 3px 6px 3px; padding-left:8px; border-left:2px dotted #999}
.xs-notes {font-size:12px; color:#92400e; margin-top:3px}
mark.xs-diff {background:#fde68a; color:inherit; padding:0 1px; border-radius:2px; border-bottom:2px solid #b45309}
.xs-row.xs-sel .xs-side {outline:2px solid #1f2937; outline-offset:1px}
.xs-seg.xs-closest {outline:2px dashed #1f2937}
.xs-row.xs-cur {background:#f6f8fa}
@media print {.xs-bar {display:none} .xs-head {position:static} .xs-row {break-inside:avoid}}
"""

SCRIPT = """
(function(){
  const root = document.currentScript ? document.currentScript.parentElement : document;
  const rows = Array.from(root.querySelectorAll('.xs-row'));
  const info = root.querySelector('.xs-info');
  const bar = root.querySelector('.xs-bar');
  function clear(){ root.querySelectorAll('.xs-sel,.xs-closest,.xs-cur').forEach(e => e.classList.remove('xs-sel','xs-closest','xs-cur')); }
  function pick(row, seg){
    clear(); row.classList.add('xs-sel');
    let text = row.dataset.say || '';
    if (seg && seg.dataset.closest){ const near = root.querySelector('#' + seg.dataset.closest); if (near){ near.classList.add('xs-closest'); } }
    if (info) info.textContent = text;
  }
  function go(kind, step){
    const list = rows.filter(r => r.classList.contains(kind));
    if (!list.length){ if (info) info.textContent = 'none'; return; }
    const top = (bar ? bar.getBoundingClientRect().bottom : 0) + 48;
    let target = step > 0 ? list.find(r => r.getBoundingClientRect().top > top + 2)
                          : list.slice().reverse().find(r => r.getBoundingClientRect().top < top - 2);
    if (!target) target = step > 0 ? list[0] : list[list.length - 1];
    pick(target, null); target.classList.add('xs-cur'); target.scrollIntoView({block:'start'});
  }
  root.querySelectorAll('[data-go]').forEach(b => b.addEventListener('click', () => go(b.dataset.go, Number(b.dataset.step))));
  rows.forEach(r => r.addEventListener('click', e => pick(r, e.target.closest('.xs-seg'))));
})();
"""


def _seg_html(pair: PairResult, side: str, index: int, marks: Sequence, nearest: Nearest | None, other: str) -> str:
    seg = (pair.a if side == "a" else pair.b).segments[index]
    closest = f' data-closest="{"b" if side == "a" else "a"}{nearest.index}"' if nearest else ""
    out = f'<span class="xs-seg" id="{side}{index}"{closest}><sup>#{index}</sup>{marked_html(seg.text, marks, "xs-diff")}</span>'
    if nearest:
        out += (f'<div class="xs-near">closest in {esc(other)}: #{nearest.index} “{esc(excerpt(nearest.text, CLOSEST_CHARS))}” '
                f"— {_nearness(nearest.score, pair)}</div>")  # fmt: skip
    return out


def _nearness(score: float, pair: PairResult) -> str:
    return nearness(score, pair.params.threshold)


def passage_marks(pair: PairResult) -> dict[tuple[str, int], list]:
    """Discrepancy spans per passage (``("a", 3) -> [(start, end, label)]``): a link's on both sides, an unlinked
    passage's conflicts with its closest passage on its own side."""
    out: dict[tuple[str, int], list] = {}
    for (i, j), found in pair.checks.links.items():
        for side, index in (("a", i), ("b", j)):
            if spans := difference_marks(found, side):
                out.setdefault((side, index), []).extend(spans)
    for side in ("a", "b"):
        for index in pair.unique_a if side == "a" else pair.unique_b:
            if spans := difference_marks(pair.checks.of_unique(side, index), side):
                out.setdefault((side, index), []).extend(spans)
    return out


def _say(row: BeadRow, la: str, lb: str) -> str:
    """The line the toolbar shows for a selected row."""
    a = ", ".join(f"{la} #{i}" for i in row.a)
    b = ", ".join(f"{lb} #{j}" for j in row.b)
    if row.linked:
        words = f"{a} ⟷ {b}: {LABELS[kind(row.status)]}"
        words += f", {row.confidence} confidence" if row.confidence else ""
        words += ", moved" if row.moved else ""
    else:
        words = f"{a or b}: only in {la if row.a else lb}"
    return words + (", decided by a person" if row.human else "")


def row_html(pair: PairResult, row: BeadRow, number: int, names: tuple[str, str], marks: Mapping[tuple[str, int], list]) -> str:
    la, lb = names
    fg, bg = PALETTE[kind(row.status)]
    classes = ["xs-row", f"xs-{kind(row.status)}"]
    classes += ["xs-moved-row"] if row.moved else []
    classes += ["xs-difference"] if row.discrepancies else []
    classes += ["xs-unique"] if not row.linked else []
    classes += ["xs-human-row"] if row.human else []
    nearest = row.nearest or {}

    def side(which: str, indices: tuple[int, ...], other: str, mine: str) -> str:
        if not indices:
            return f'<div class="xs-gap">nothing here in {esc(mine)}</div>'
        body = "".join(_seg_html(pair, which, i, marks.get((which, i), ()), nearest.get(i), other) for i in indices)
        return f'<div class="xs-side" style="background:{bg};border-color:{fg}">{body}</div>'

    mid = [f'<span class="xs-badge" style="color:{fg};background:{bg}">{esc(LABELS[kind(row.status)])}</span>']
    if row.linked:
        mid.insert(0, '<span class="xs-link">⟷</span>')
        if row.confidence:
            mid.append(f'<span title="score {row.score:.3f} · cosine {row.similarity:.2f}">{esc(row.confidence)} confidence</span>')
        elif row.similarity is not None and not math.isnan(row.similarity):
            mid.append(f"<span>cosine {row.similarity:.2f}</span>")
    if row.moved:
        mid.append('<span class="xs-badge xs-moved" title="linked, but out of order with the passages around it">moved</span>')
    if row.human:
        mid.append('<span class="xs-badge xs-human" title="decided by a person (a correction in the workspace)">human</span>')
    notes = "".join(f"<div>⚠ {esc(n)}</div>" for n in row.discrepancies)
    if notes:
        mid.append(f'<div class="xs-notes">{notes}</div>')
    return (f'<div class="{" ".join(classes)}" id="row{number}" data-say="{esc(_say(row, la, lb))}">'
            f'{side("a", row.a, lb, la)}<div class="xs-mid">{"".join(mid)}</div>{side("b", row.b, la, lb)}</div>')  # fmt: skip


def sidebyside_html(pair: PairResult, rows: pd.DataFrame | None, names: tuple[str, str], *, script: bool = True) -> str:
    """The pair as a two-column view with its toolbar, CSS and script: one ``<div class="xs">`` to embed anywhere."""
    beads = bead_rows(pair, rows)
    counts = row_counts(beads)
    marks = passage_marks(pair)
    body = "".join(row_html(pair, row, n, names, marks) for n, row in enumerate(beads))

    def nav(cls: str, label: str, n: int) -> str:
        return (f'<button data-go="{cls}" data-step="-1" title="previous">◀</button>'
                f'<button data-go="{cls}" data-step="1">next {esc(label)} ({n}) ▶</button>')  # fmt: skip

    bar = (f'<div class="xs-bar">{nav("xs-difference", "difference", counts.differences)}{nav("xs-unique", "unique", counts.unique_passages)}'
           f'{nav("xs-moved-row", "moved", counts.moved)}<span class="xs-info">Click a passage to select its counterpart.</span></div>')  # fmt: skip
    head = f'<div class="xs-head"><div>{esc(names[0])}</div><div></div><div>{esc(names[1])}</div></div>'
    js = f"<script>{SCRIPT}</script>" if script else ""
    return f'<div class="xs"><style>{CSS}</style>{bar}{head}{body}{js}</div>'


def page(title: str, body: str) -> str:
    """A whole HTML document around ``body``: what the dashboard's iframe and the report are."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0 6px">{body}</body></html>')  # fmt: skip
