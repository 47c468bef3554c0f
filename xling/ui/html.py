"""The dashboard's HTML: cards, passages, the reading view and the page's CSS, from the view models.

Every user string goes through :func:`esc`; colours come from :data:`PALETTE`.
"""
from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from ..palette import PALETTE, kind
from ..pipeline import Comparison
from ..types import Segment
from .common import KINDS, LABELS, Mark, esc, excerpt, letter
from .models import (
    Counterpart,
    closest_elsewhere,
    difference_line,
    difference_marks,
    differences_by_row,
    nearness,
    row_key,
    segment_statuses,
    unique_segments,
)

_CARD_COLUMNS = "minmax(0,1fr) 7rem minmax(0,1fr)"


CSS = (
    """<style>
.xl-badge {display:inline-block; padding:0.05rem 0.55rem; border-radius:0.7rem; font-size:0.8rem; font-weight:600;
  margin-right:0.3rem; white-space:nowrap}
.xl-lead {font-size:1.05rem; max-width:62rem; line-height:1.55; margin-bottom:0.3rem}
.xl-head, .xl-card {display:grid; grid-template-columns:COLS; gap:0.9rem}
.xl-head {font-weight:700; padding:0 0.8rem 0.25rem 1.15rem; font-size:0.9rem}
.xl-card {padding:0.55rem 0.8rem; margin:0 0 0.45rem 0; border-radius:0.45rem; border-left:0.35rem solid;
  line-height:1.5; font-size:0.95rem}
.xl-head.xl-notes, .xl-card.xl-notes {grid-template-columns:COLS minmax(0,0.7fr)}
.xl-mid {text-align:center; font-size:0.78rem; color:#444}
.xl-mid b {font-size:1.05rem; display:block; margin-top:0.2rem}
.xl-mid b.xl-conf {font-size:0.85rem}
.xl-card small, .xl-passage small {color:#666; font-size:0.75rem; display:block}
.xl-none {color:#8a8a8a; font-style:italic}
.xl-near {font-size:0.82rem; color:#555; margin-top:0.25rem; padding-left:0.5rem; border-left:2px dotted #999}
.xl-human {display:inline-block; padding:0.05rem 0.55rem; border-radius:0.7rem; font-size:0.75rem; font-weight:600;
  background:#1f2937; color:#fff; margin-top:0.2rem}
.xl-passage {padding:0.45rem 0.8rem; margin:0 0 0.4rem 0; border-radius:0.45rem; border-left:0.35rem solid;
  line-height:1.5; max-width:48rem}
.xl-read {white-space:pre-wrap; line-height:1.7; font-size:1rem; max-width:42rem}
.xl-read .xl-seg {border-radius:0.2rem; padding:0.1rem 0}
.xl-read .xl-sel {outline:2px solid #1f2937; outline-offset:1px}
.xl-read .xl-mark {text-decoration:underline wavy #c2185b}
mark.xl-diff {background:#fde68a; color:inherit; padding:0 0.1rem; border-radius:0.15rem; border-bottom:2px solid #b45309}
.xl-read sup {color:#777; font-size:0.62rem; font-family:sans-serif; margin-right:0.1rem}
.xl-doc {border:1px solid #e3e3e3; border-radius:0.5rem; padding:0.6rem 0.85rem; line-height:1.45}
.xl-doc .xl-name {font-weight:700; word-break:break-all}
.xl-doc .xl-meta {color:#555; font-size:0.85rem}
.xl-bar {display:flex; height:0.55rem; border-radius:0.3rem; overflow:hidden; margin:0.4rem 0 0.2rem 0}
[data-testid="stMainBlockContainer"] {padding-top:2.2rem}
h1 {font-size:2.1rem !important; padding-bottom:0.3rem !important}
""".replace("COLS", _CARD_COLUMNS)
    + "".join(
        f'div[class*="st-key-xl-metric-{k}"] {{border-left:0.4rem solid {fg} !important; background:{bg}}}\n'
        f'div[class*="st-key-xl-metric-{k}"] [data-testid="stMetricValue"] {{color:{fg}}}\n'
        for k, (fg, bg) in PALETTE.items()
    )
    + "</style>"
)


def badge(status: str, text: str | None = None) -> str:
    fg, bg = PALETTE[kind(status)]
    return f'<span class="xl-badge" style="color:{fg};background:{bg}">{esc(text or LABELS[kind(status)])}</span>'


def document_card_html(row: dict[str, object], shares: dict[str, float]) -> str:
    """A card per document: letter and name, language badge, counts, and a coverage strip in the palette."""
    lang = f'<span class="xl-badge" style="background:#ececf3;color:#333">{esc(row["language"])} · {float(row["language_prob"]):.0%}</span>'  # type: ignore[arg-type]
    outlet = " · ".join(str(row[k]) for k in ("site", "date") if row.get(k))  # where and when it was published
    about = " · ".join(x for x in (outlet, str(row.get("title") or "")) if x) or (f"“{row['opening']}”" if row.get("opening") else "")
    strip = "".join(f'<div style="width:{shares[k] * 100:.2f}%;background:{PALETTE[k][0]}" title="{LABELS[k]} {shares[k]:.0%}"></div>'
                    for k in KINDS if shares.get(k))  # fmt: skip
    return (
        f'<div class="xl-doc"><div class="xl-name">{esc(row["letter"])} · {esc(row["name"])}</div>'
        + (f'<div class="xl-meta">{esc(about)}</div>' if about else "")
        + f'<div class="xl-meta">{lang} {row["segments"]} passages, {row["unique_segments"]} only here</div>'
        f'<div class="xl-bar">{strip}</div>'
        f'<div class="xl-meta"><b>{float(row["coverage"]):.0%}</b> of its text is also in the other document(s)</div></div>'  # type: ignore[arg-type]
    )


def artifacts_html(items: Sequence[Mark], text: str) -> str:
    """A list of a document's translation artifacts: the label and the words around each one."""
    if not items:
        return '<div class="xl-none">No glued words or untranslated fragments found.</div>'
    out = []
    for start, end, label in items:
        before, after = text[max(0, start - 30) : start], text[end : end + 30]
        context = f"…{esc(before)}<mark class=\"xl-diff\">{esc(text[start:end])}</mark>{esc(after)}…"
        out.append(f'<div class="xl-passage" style="border-color:#c2185b"><small>{esc(label)}</small>{context}</div>')
    return "".join(out)


def pair_header_html(left: str, right: str, notes: bool = False) -> str:
    cls = " xl-notes" if notes else ""
    extra = "<div>Discrepancies</div>" if notes else ""
    return f'<div class="xl-head{cls}"><div>{esc(left)}</div><div></div><div>{esc(right)}</div>{extra}</div>'


def confidence_word(score: float, bar: tuple[float, float] | None, status: str) -> str:
    """high / medium / low for a link's score against its pair's (link, match) thresholds; "" without them."""
    if bar is None or status not in ("match", "partial"):
        return ""
    from .confidence import confidence

    return confidence(float(score), bar[0], bar[1], status)


def pair_cards_html(rows: pd.DataFrame, letters: dict[str, str], comparison: Comparison, *, show_pair: bool = False,
                    bars: dict[str, tuple[float, float]] | None = None) -> str:  # fmt: skip
    """Side-by-side cards: A's passage | status and score | B's passage [| discrepancies].

    A unique row shows the missing side as "not in ...", so the same view reads as a parallel text.
    The discrepancies column appears once a row has one (the pairs' check records, by :func:`row_key`).
    """
    differences = differences_by_row(comparison)
    notes = any(row_key(r) in differences for r in rows.itertuples(index=False))
    bars = bars or {}
    out = []
    for row in rows.itertuples(index=False):
        fg, bg = PALETTE[kind(row.status)]
        la, lb = letters.get(row.doc_a, "A"), letters.get(row.doc_b, "B")
        closest = row.status in ("unique_a", "unique_b") and pd.notna(row.a_text) and pd.notna(row.b_text)
        mid = badge(row.status, "not linked") + "<small>set beside the closest passage</small>" if closest else badge(row.status)
        if pd.notna(row.score):
            words = confidence_word(row.score, bars.get(row.pair_id), row.status)
            mid += (f"<b class=\"xl-conf\">{words} confidence</b><small>score {row.score:.3f} · cos {row.similarity:.2f}</small>" if words
                    else f"<b>{row.score:.3f}</b>score · cos {row.similarity:.2f}")  # fmt: skip
        if getattr(row, "source", "") == "human":
            mid += '<span class="xl-human" title="decided by a person (a correction in the workspace)">human</span>'
        if show_pair:
            mid += f"<small>{esc(la)} – {esc(lb)}</small>"
        found = differences.get(row_key(row), ())
        cells = [_side_html(row.a_text, row.a_index, la, difference_marks(found, "a")), f'<div class="xl-mid">{mid}</div>',
                 _side_html(row.b_text, row.b_index, lb, difference_marks(found, "b"))]  # fmt: skip
        if notes:
            cells.append("<div>" + "".join(f"<div>⚠ {esc(difference_line(d))}</div>" for d in found) + "</div>")
        out.append(f'<div class="xl-card{" xl-notes" if notes else ""}" style="background:{bg};border-color:{fg}">{"".join(cells)}</div>')
    return "".join(out)


def _side_html(text: object, index: object, label: str, marks: Sequence[Mark] = ()) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and math.isnan(text)):
        return f'<div class="xl-none">not in {esc(label)}</div>'
    return f"<div><small>{esc(label)} #{int(index)}</small>{marked_html(str(text), marks, 'xl-diff')}</div>"  # type: ignore[call-overload]


def marked_html(text: str, marks: Sequence[Mark], css: str) -> str:
    """``text`` escaped, each marked span wrapped in ``<mark class=css title=label>`` (overlapping marks merge)."""
    cuts = sorted({0, len(text), *(min(max(0, p), len(text)) for s, e, _ in marks for p in (s, e))})
    out = []
    for start, end in itertools.pairwise(cuts):
        piece = esc(text[start:end])
        labels = list(dict.fromkeys(label for s, e, label in marks if s <= start and end <= e))
        out.append(f'<mark class="{css}" title="{esc("; ".join(labels))}">{piece}</mark>' if labels else piece)
    return "".join(out)


def passage_html(status: str, label: str, text: str) -> str:
    fg, bg = PALETTE[kind(status)]
    return f'<div class="xl-passage" style="background:{bg};border-color:{fg}"><small>{esc(label)}</small>{esc(text)}</div>'


def unique_list_html(comparison: Comparison, index: int) -> str:
    """Every passage of document ``index`` that no other document covers, in reading order, each with the closest
    passage of every other document and how close it came, so a reader can judge it without reading both texts."""
    segments = comparison.documents[index].segments
    items = []
    for i in unique_segments(comparison, index):
        near = "".join(f'<div class="xl-near">closest in {esc(other)}: #{j} “{esc(excerpt(text, 160))}” — {esc(nearness(score, bar))}</div>'
                       for other, j, text, score, bar in closest_elsewhere(comparison, index, i))  # fmt: skip
        fg, bg = PALETTE["unique"]
        items.append(f'<div class="xl-passage" style="background:{bg};border-color:{fg}"><small>{esc(letter(index))} #{i}</small>'
                     f"{esc(segments[i].text)}{near}</div>")  # fmt: skip
    return "".join(items) or '<div class="xl-none">Nothing: the other documents cover every passage.</div>'


def counterparts_html(items: Sequence[Counterpart]) -> str:
    out = []
    for item in items:
        label = "closest passage, not linked" if item.status == "closest" else LABELS[item.status]
        score = f" · score {item.score:.3f}" if item.score is not None else ""
        out.append(passage_html(item.status, f"{item.letter} #{item.index} · {label} · cos {item.similarity:.2f}{score}", item.text))
    return "".join(out)


def reading_html(comparison: Comparison, index: int, *, selected: Iterable[int] = (), marks: Sequence[Mark] = (), ids: bool = False) -> str:
    """The full text of document ``index``, each segment on its status colour, ``selected`` ones outlined.

    ``marks`` (character offsets into the text, with a label shown on hover) are underlined on top:
    translation artifacts (:mod:`xling.artifacts`). Text outside segments (a metadata line) stays plain.
    ``ids`` marks each segment's first piece with ``data-seg`` (the reading panes keep in step by them).
    """
    prepared = comparison.documents[index]
    text = prepared.document.text
    statuses = segment_statuses(comparison, index)
    carriers = comparison.carriers(index)
    selected = set(selected)
    cuts = {0, len(text)}
    for seg in prepared.segments:
        cuts.update((seg.start, seg.end))
    for start, end, _ in marks:
        cuts.update((min(max(0, start), len(text)), min(max(0, end), len(text))))
    bounds = sorted(cuts)
    segment_at = _segment_lookup(prepared.segments)
    out = []
    for start, end in itertools.pairwise(bounds):
        piece = esc(text[start:end])
        labels = [label for s, e, label in marks if s <= start and end <= e]
        if labels:
            piece = f'<span class="xl-mark" title="{esc("; ".join(labels))}">{piece}</span>'
        seg = segment_at(start)
        if seg is None:
            out.append(piece)
            continue
        status = statuses[seg.index]
        tip = f"#{seg.index} · {LABELS[status]}" + (f" · also in {', '.join(carriers[seg.index])}" if carriers[seg.index] else "")
        number = f"<sup>{seg.index}</sup>" if start == seg.start else ""
        sel = " xl-sel" if seg.index in selected else ""
        anchor = f' data-seg="{seg.index}"' if ids and start == seg.start else ""
        out.append(f'{number}<span class="xl-seg{sel}"{anchor} style="background:{PALETTE[status][1]}" title="{esc(tip)}">{piece}</span>')
    return f'<div class="xl-read">{"".join(out)}</div>'


def _segment_lookup(segments: Sequence[Segment]) -> Callable[[int], Segment | None]:
    starts = [s.start for s in segments]

    def find(offset: int) -> Segment | None:
        i = bisect.bisect_right(starts, offset) - 1
        return segments[i] if i >= 0 and segments[i].start <= offset < segments[i].end else None

    return find
