"""What the dashboard shows, as pure functions of a :class:`Comparison` and its table.

app.py lays out widgets and renders what these return (tables, HTML, chart data), so everything
here is tested without a browser. No Streamlit, no alignment logic: the links come from the
pipeline; this module only arranges them for reading. Colours are defined once (:data:`PALETTE`)
and used by the metric tiles, the cards, the reading view and the charts.
"""
from __future__ import annotations

import bisect
import html
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import InputError, UnreadableFile
from ..export import to_bytes
from ..io import document_from_bytes, document_from_text
from ..palette import PALETTE, kind  # one colour per kind of passage, everywhere on the page and in the spreadsheet
from ..pipeline import Comparison, PairResult
from ..types import Document, Segment, Settings

KINDS = tuple(PALETTE)
LABELS = {"match": "shared", "partial": "partly shared", "unique": "only here"}
TABLE_STATUSES = ("match", "partial", "unique_a", "unique_b")
SORTS = ("document order", "score, high to low", "score, low to high", "status")
MAX_UPLOAD_MB = 5  # .streamlit/config.toml server.maxUploadSize says the same; the check here names the file
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_DOCUMENTS = 8  # every pair is aligned: 8 documents are 28 pairs
MAX_HEATMAP_CELLS = 40_000  # a browser chart with more cells stalls; the page says why it is missing
TOOLTIP_CHARS = 220  # hover texts are cut here so a long paragraph does not hide the chart
EXCERPT_CHARS = 90
TOLERANCE = 1e-9
NEAR_GAP, SOMEWHAT_GAP = 0.01, 0.03  # margin score short of the link threshold: "nearly linked", "somewhat close"


def letter(index: int) -> str:
    """A, B, C...: short labels for documents whose names are long."""
    return chr(ord("A") + index) if index < 26 else f"D{index + 1}"


def display_name(prepared: object, index: int) -> str:
    """``A · title`` (or the outlet, or the file's name): how the page names a document."""
    document = getattr(prepared, "document", prepared)
    meta = getattr(document, "metadata", {}) or {}
    name = meta.get("title") or meta.get("site") or getattr(document, "name", "")
    return f"{letter(index)} · {excerpt(str(name), 70)}"


Mark = tuple[int, int, str]  # (start, end, label): a span to mark, e.g. a translation artifact or a discrepancy


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Upload:
    """One uploaded file (bytes), pasted text (str) or fetched page, as the page received it, and the name given to it.

    ``suffix`` says what the bytes are when ``filename`` does not (a web address); ``error`` is why a page could not be fetched.
    """

    filename: str
    data: bytes | str
    name: str = ""
    suffix: str = ""
    error: InputError | None = None


def fetch_upload(url: str, max_bytes: int = MAX_UPLOAD_BYTES) -> Upload:
    """The page at ``url`` as an :class:`Upload` (the error it gave, if any, travels with it)."""
    from ..formats.url import fetch, is_url

    if not is_url(url):
        return Upload(url, b"", error=UnreadableFile(url, "not a web address (it must start with http:// or https://)"))
    try:
        page = fetch(url, max_bytes=max_bytes)
    except InputError as exc:
        return Upload(url, b"", error=exc)
    return Upload(page.url, page.data, page.name, suffix=page.suffix)


def download_bytes(rows: pd.DataFrame, fmt: str, table: pd.DataFrame) -> bytes:
    """The download of ``rows`` in ``fmt``; a workbook's coverage sheet is of the whole ``table``, a TMX holds the shown links."""
    if fmt == "xlsx":
        return to_bytes(rows, "xlsx", coverage_from=table)
    if fmt == "tmx":
        return to_bytes(rows, "tmx", statuses="match+partial")
    return to_bytes(rows, fmt)  # type: ignore[arg-type]


def load_inputs(items: Sequence[Upload], max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[list[Document], list[InputError]]:
    """Documents from uploads or pasted texts, and one error per item that cannot be used.

    A bad item never stops the good ones: the page names each error and compares the rest.
    Names are made unique (``name (2)``) because pairs and carriers are keyed by name.
    """
    documents: list[Document] = []
    errors: list[InputError] = []
    for item in items:
        if item.error is not None:
            errors.append(item.error)
            continue
        name = item.name.strip() or Path(item.filename).stem or item.filename
        size = len(item.data.encode("utf-8")) if isinstance(item.data, str) else len(item.data)
        if size > max_bytes:
            errors.append(UnreadableFile(item.filename, f"{size / 2**20:.1f} MB, over the upload limit of {max_bytes / 2**20:.0f} MB"))
            continue
        try:
            if isinstance(item.data, str):
                documents.append(document_from_text(item.data, name=name, source=item.filename))
            else:
                documents.append(document_from_bytes(item.data, name=name, source=item.filename, max_bytes=max_bytes,
                                                     suffix=item.suffix or None))
        except InputError as exc:
            errors.append(exc)
    names = unique_names([d.name for d in documents])
    return [d if d.name == n else replace(d, name=n) for d, n in zip(documents, names)], errors


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` with repeats numbered: ``["a", "a"] -> ["a", "a (2)"]``."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def too_few(documents: Sequence[Document]) -> str | None:
    """The message to show when fewer than two documents are usable, else None."""
    if len(documents) >= 2:
        return None
    got = f"only {documents[0].name!r} is usable" if documents else "none is usable yet"
    return f"xling compares two or more documents; {got}."


def settings_for(base: Settings, threshold: float, match_threshold: float, calibrated: Sequence[float]) -> Settings:
    """``base`` with the sidebar's thresholds; a slider left on its calibrated value stays ``None``.

    ``None`` lets every pair keep the thresholds calibrated for its own profile, and keeps the
    page's table equal to the CLI's (which passes no threshold), byte for byte.
    """

    def chosen(value: float, default: float) -> float | None:
        return None if math.isclose(value, default, abs_tol=TOLERANCE) else float(value)

    return replace(base, threshold=chosen(threshold, calibrated[0]), match_threshold=chosen(match_threshold, calibrated[1]))


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True)
class PairCounts:
    """The headline numbers of one pair."""

    match: int
    partial: int
    only_a: int
    only_b: int
    segments_a: int
    segments_b: int
    coverage_a: float  # share of A's characters that B covers
    coverage_b: float

    @property
    def links(self) -> int:
        return self.match + self.partial


def pair_counts(pair: PairResult) -> PairCounts:
    statuses = [link.status for link in pair.links]
    return PairCounts(
        match=statuses.count("match"), partial=statuses.count("partial"),
        only_a=len(pair.unique_a), only_b=len(pair.unique_b),
        segments_a=len(pair.a.segments), segments_b=len(pair.b.segments),
        coverage_a=pair.coverage_a.char_share, coverage_b=pair.coverage_b.char_share,
    )  # fmt: skip


def segment_statuses(comparison: Comparison, index: int) -> list[str]:
    """For each segment of document ``index``, its best status against every other document.

    ``match`` if some link is a match, ``partial`` if it has only partial links, else ``unique``.
    """
    target = comparison.documents[index]
    best = ["unique"] * len(target.segments)
    for pair in comparison.pairs:
        if target not in (pair.a, pair.b):
            continue
        mine = "a" if pair.a is target else "b"
        for link in pair.links:
            i = getattr(link, mine)
            if link.status == "match" or best[i] == "unique":
                best[i] = link.status
    return best


def kind_shares(comparison: Comparison, index: int) -> dict[str, float]:
    """Share of document ``index``'s characters that are shared, partly shared and only in it."""
    segments = comparison.documents[index].segments
    total = sum(len(s) for s in segments) or 1
    chars = dict.fromkeys(KINDS, 0)
    for seg, status in zip(segments, segment_statuses(comparison, index)):
        chars[status] += len(seg)
    return {k: chars[k] / total for k in KINDS}


def document_summary(comparison: Comparison) -> pd.DataFrame:
    """One row per document: letter, name, language, segment counts, coverage by the others."""
    rows = []
    for index, prepared in enumerate(comparison.documents):
        cov = comparison.coverage(index)
        doc = prepared.document
        rows.append({
            "letter": letter(index), "name": prepared.name, "language": doc.lang, "language_prob": doc.lang_prob,
            "segments": cov.segments, "unique_segments": cov.segments - cov.covered_segments, "coverage": cov.char_share,
            "title": doc.metadata.get("title", ""), "date": doc.metadata.get("date", ""), "site": doc.metadata.get("site", ""),
            "opening": excerpt(prepared.segments[0].text, 80) if prepared.segments else "",
        })  # fmt: skip
    return pd.DataFrame(rows)


def unique_segments(comparison: Comparison, index: int) -> list[int]:
    """Segments of document ``index`` that no other document covers."""
    return [i for i, names in enumerate(comparison.carriers(index)) if not names]


@dataclass(frozen=True)
class Counterpart:
    """A passage of another document linked to the selected one (or, when none is, the closest one)."""

    document: str
    letter: str
    index: int
    text: str
    status: str  # match, partial, or "closest" for the nearest passage that is not linked
    similarity: float
    score: float | None


def counterparts(comparison: Comparison, index: int, segment: int) -> list[Counterpart]:
    """The passages of the other documents linked to ``segment`` of document ``index``, best first.

    From a document with no link to it, its closest passage by cosine comes with status
    ``closest``: the reader sees what came nearest and can judge the threshold.
    """
    target = comparison.documents[index]
    letters = {p.name: letter(i) for i, p in enumerate(comparison.documents)}
    out: list[Counterpart] = []
    for pair in comparison.pairs:
        if pair.a is target:
            other, mine, theirs, cosines = pair.b, "a", "b", pair.similarity[segment, :]
        elif pair.b is target:
            other, mine, theirs, cosines = pair.a, "b", "a", pair.similarity[:, segment]
        else:
            continue
        linked = sorted((k for k in pair.links if getattr(k, mine) == segment), key=lambda k: -k.score)
        for link in linked:
            seg = other.segments[getattr(link, theirs)]
            out.append(Counterpart(other.name, letters[other.name], seg.index, seg.text, link.status, link.similarity, link.score))
        if not linked and len(cosines):
            j = int(cosines.argmax())
            out.append(Counterpart(other.name, letters[other.name], j, other.segments[j].text, "closest", float(cosines[j]), None))
    return out


# ---------------------------------------------------------------- the table and its filters


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the table to. The defaults keep every row, in the contract order."""

    statuses: tuple[str, ...] = TABLE_STATUSES
    score_range: tuple[float, float] | None = None  # linked rows scored outside are hidden; unique rows have no score
    pairs: tuple[str, ...] | None = None
    query: str = ""
    sort: str = SORTS[0]

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        bad = [s for s in self.statuses if s not in TABLE_STATUSES]
        if bad:
            raise ValueError(f"statuses must be among {', '.join(TABLE_STATUSES)}, not {', '.join(bad)}")


def score_bounds(table: pd.DataFrame) -> tuple[float, float]:
    """The lowest and highest score of the linked rows: the score filter's range."""
    scores = table["score"].dropna()
    return (float(scores.min()), float(scores.max())) if len(scores) else (0.0, 0.0)


def filter_table(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows the page shows and the downloads hold, in the order shown."""
    keep = table["status"].isin(filters.statuses)
    if filters.pairs is not None:
        keep &= table["pair_id"].isin(filters.pairs)
    if filters.score_range is not None:
        low, high = filters.score_range
        score = table["score"]
        keep &= score.isna() | ((score >= low - TOLERANCE) & (score <= high + TOLERANCE))
    if filters.query.strip():
        text = table["a_text"].fillna("") + "\n" + table["b_text"].fillna("")
        keep &= text.str.contains(filters.query.strip(), case=False, regex=False)
    rows = table[keep.fillna(False).astype(bool)]
    if filters.sort.startswith("score"):
        rows = rows.sort_values("score", ascending=filters.sort.endswith("low to high"), na_position="last", kind="stable")
    elif filters.sort == "status":
        rows = rows.sort_values("status", key=lambda s: s.map(TABLE_STATUSES.index), kind="stable")
    return rows.reset_index(drop=True)


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    counts = table["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in TABLE_STATUSES}


def _discrepancy_records(value: object) -> list[object]:
    """The items of a ``discrepancies`` cell (a JSON list of objects or strings); [] when empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    items = value
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            return [value]
    return items if isinstance(items, list) else [items]


def discrepancy_spans(value: object, side: str) -> list[Mark]:
    """Where each discrepancy sits in side ``a`` or ``b`` of the pair: offsets into that passage, with the message."""
    marks: list[Mark] = []
    for item in _discrepancy_records(value):
        if isinstance(item, dict):
            label = str(item.get("message") or item.get("kind") or "")
            marks.extend((int(s), int(e), label) for s, e in item.get(f"{side}_spans") or ())
    return marks


def has_discrepancies(rows: pd.DataFrame) -> pd.Series:
    """Per row: do the two linked passages disagree on a fact (a non-empty ``discrepancies`` cell)?"""
    if "discrepancies" not in rows.columns:
        return pd.Series(False, index=rows.index)
    return rows["discrepancies"].map(lambda cell: bool(_discrepancy_records(cell))).astype(bool)


def with_closest(rows: pd.DataFrame, comparison: Comparison) -> pd.DataFrame:
    """Unique rows whose discrepancies point at the closest passage of the other document get its text beside them."""
    pairs = {pair.pair_id: pair for pair in comparison.pairs}
    rows = rows.copy()
    for k, row in rows.iterrows():
        items = [i for i in _discrepancy_records(row.get("discrepancies")) if isinstance(i, dict) and "closest" in i]
        pair = pairs.get(row["pair_id"])
        if not items or pair is None or row["status"] not in ("unique_a", "unique_b"):
            continue
        side, other = ("b", pair.b) if row["status"] == "unique_a" else ("a", pair.a)
        segment = other.segments[int(items[0]["closest"])]
        rows.at[k, f"{side}_text"], rows.at[k, f"{side}_index"] = segment.text, segment.index
    return rows


def discrepancy_items(value: object) -> list[str]:
    """Readable lines from a ``discrepancies`` cell (a JSON list of strings or objects); [] when empty."""
    lines = []
    for item in _discrepancy_records(value):
        if isinstance(item, dict) and str(item.get("message", "")).startswith(f"{item.get('kind')}:"):
            lines.append(str(item["message"]))  # xling.facts messages name their kind already
        elif isinstance(item, dict):
            head = item.get("kind") or item.get("type") or ""
            body = item.get("message") or item.get("detail") or ", ".join(f"{k}: {v}" for k, v in item.items() if k not in ("kind", "type"))
            lines.append(f"{head}: {body}" if head else str(body))
        else:
            lines.append(str(item))
    return lines


# ---------------------------------------------------------------- HTML


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


def esc(text: object) -> str:
    """Text for the page's HTML; line breaks as ``&#10;``, so no blank line ends the HTML block and lets Markdown in."""
    return html.escape(str(text), quote=True).replace("\r", "").replace("\n", "&#10;")


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character: CommonMark lets each be escaped


def md(text: object) -> str:
    """A user string (a file name, a model name, an error naming them) for a Streamlit Markdown body or label,
    shown as typed: ``**x**`` stays stars, a link or an image stays text, a line break a space."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def pair_bars(comparison: Comparison) -> dict[str, tuple[float, float]]:
    """Each pair's (link, match) thresholds, by pair id: what a score is read against."""
    return {p.pair_id: (p.params.threshold, p.params.match_threshold) for p in comparison.pairs}


def pair_cards_html(rows: pd.DataFrame, letters: dict[str, str], *, show_pair: bool = False,
                    bars: dict[str, tuple[float, float]] | None = None) -> str:  # fmt: skip
    """Side-by-side cards: A's passage | status and score | B's passage [| discrepancies].

    A unique row shows the missing side as "not in ...", so the same view reads as a parallel text.
    The discrepancies column appears once the table has one (a JSON list per row).
    """
    notes = bool(has_discrepancies(rows).any())
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
        found = row.discrepancies if notes else None
        cells = [_side_html(row.a_text, row.a_index, la, discrepancy_spans(found, "a")), f'<div class="xl-mid">{mid}</div>',
                 _side_html(row.b_text, row.b_index, lb, discrepancy_spans(found, "b"))]  # fmt: skip
        if notes:
            cells.append("<div>" + "".join(f"<div>⚠ {esc(i)}</div>" for i in discrepancy_items(row.discrepancies)) + "</div>")
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


def closest_elsewhere(comparison: Comparison, index: int, segment: int) -> list[tuple[str, int, str, float, float | None]]:
    """For a passage of document ``index``: per other document, its closest passage by margin score.

    ``(letter, index, text, score, threshold)``: how near the call came to a link, and the bar it had to pass.
    """
    target = comparison.documents[index]
    letters = {id(p): letter(i) for i, p in enumerate(comparison.documents)}
    out = []
    for pair in comparison.pairs:
        if target not in (pair.a, pair.b):
            continue
        side, other = ("a", pair.b) if pair.a is target else ("b", pair.a)
        best = pair.nearest(segment, side)
        if best is not None:
            out.append((letters[id(other)], best[0], other.segments[best[0]].text, best[1], pair.params.threshold))
    return out


def nearness(score: float, threshold: float | None) -> str:
    """How close an unlinked passage came to a link, in words, then the numbers."""
    if threshold is None:
        return f"score {score:.3f}"
    gap = threshold - score
    words = "nearly linked" if gap <= NEAR_GAP else "somewhat close" if gap <= SOMEWHAT_GAP else "not close"
    return f"{words} (score {score:.3f}; a link needs {threshold:.3f})"


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


# ---------------------------------------------------------------- charts' data


def coverage_frame(comparison: Comparison) -> pd.DataFrame:
    """Per document and kind (shared, partly shared, only here): the share of its text, long format."""
    rows = [
        {"document": f"{letter(i)} · {p.name}", "kind": LABELS[k], "order": KINDS.index(k), "share": share}
        for i, p in enumerate(comparison.documents)
        for k, share in kind_shares(comparison, i).items()
    ]
    return pd.DataFrame(rows)


def heatmap_frame(pair: PairResult, limit: int = MAX_HEATMAP_CELLS) -> pd.DataFrame | None:
    """One row per (A segment, B segment): cosine, link status and score, both texts; None when too big to draw."""
    n, m = pair.similarity.shape
    if n * m == 0 or n * m > limit:
        return None
    links = {(k.a, k.b): k for k in pair.links}
    a_texts = [excerpt(s.text, TOOLTIP_CHARS) for s in pair.a.segments]
    b_texts = [excerpt(s.text, TOOLTIP_CHARS) for s in pair.b.segments]
    rows = []
    for i in range(n):
        for j in range(m):
            link = links.get((i, j))
            rows.append({"a": i, "b": j, "similarity": round(float(pair.similarity[i, j]), 3), "status": link.status if link else "",
                         "score": link.score if link else None, "a_text": a_texts[i], "b_text": b_texts[j]})  # fmt: skip
    return pd.DataFrame(rows)


def coverage_matrix_frame(comparison: Comparison) -> pd.DataFrame:
    """``comparison.coverage_matrix()`` in long format: how much of ``document`` the ``by`` document covers."""
    matrix = comparison.coverage_matrix()
    label = {p.name: f"{letter(i)} · {p.name}" for i, p in enumerate(comparison.documents)}
    return pd.DataFrame(
        [{"document": label[x], "by": label[y], "share": float(matrix.loc[x, y])} for x in matrix.index for y in matrix.columns if x != y]
    )


def carriers_frame(comparison: Comparison, index: int) -> pd.DataFrame:
    """Per segment of document ``index``: an excerpt, how many others carry it, and which (one column each)."""
    others = [p.name for i, p in enumerate(comparison.documents) if i != index]
    rows = []
    for seg, names in zip(comparison.documents[index].segments, comparison.carriers(index)):
        rows.append({"#": seg.index, "passage": excerpt(seg.text), "carried by": len(names), **{o: o in names for o in others}})
    return pd.DataFrame(rows)
