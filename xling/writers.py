"""The table as an Excel workbook (openpyxl) and its linked pairs as a TMX 1.4 translation memory.

Both are projections of the contract table made at the edge, like CSV: ``xling.export.to_bytes``
calls them for ``xlsx`` and ``tmx``. Same table, same bytes (no timestamps are written).

- XLSX: sheet ``alignment`` holds the table (frozen header, filters, fitted column widths,
  wrapped passage text, the dashboard's status colours); sheet ``coverage`` one row per document
  (passages, linked, only here, characters, share covered by the other document(s)). Every text
  cell is stored as a string, never as a formula, whatever it starts with.
- TMX: one translation unit per group of linked passages (a sentence linked to two joins them in
  one unit), ``xml:lang`` from the detected languages, ``status``/``score``/``pair`` as ``<prop>``s.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Literal, get_args
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from . import __version__
from .palette import PALETTE, kind
from .types import LEVELS, UNKNOWN_LANG, Level

TmxStatus = Literal["match", "match+partial"]
TMX_STATUSES: tuple[str, ...] = get_args(TmxStatus)
TMX_DEFAULT: TmxStatus = "match"  # a translation memory wants translations; partial links are related passages
XLSX_MAX_CELL = 32_767  # Excel's limit on the characters of one cell
XLSX_MAX_WIDTH = 60  # characters; wider columns wrap
XLSX_TEXT_WIDTH = 60
XLSX_TEXT_COLUMNS = ("a_text", "b_text", "discrepancies")
XLSX_WIDTH_SAMPLE = 500  # rows looked at to fit a column's width
UNDETERMINED = "und"  # BCP 47 for "language not known": TMX needs an xml:lang on every variant
# Characters XML 1.0 (and so XLSX and TMX) cannot hold at all.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub(" ", text)


# ---------------------------------------------------------------- XLSX


def xlsx_bytes(table: pd.DataFrame, *, coverage_from: pd.DataFrame | None = None) -> bytes:
    """The workbook. ``coverage_from`` is the full table when ``table`` holds only some rows (a filtered view)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = "alignment"
    _write_sheet(sheet, table, status_column="status")
    _write_sheet(book.create_sheet("coverage"), coverage_summary(table if coverage_from is None else coverage_from))
    book.properties.creator = f"xling {__version__}"
    for stamp in ("created", "modified"):
        setattr(book.properties, stamp, pd.Timestamp("2000-01-01").to_pydatetime())  # fixed: same table, same bytes
    buffer = io.BytesIO()
    # ExcelWriter, not book.save(): save() stamps "modified" with the time of the call
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return _fixed_zip_times(buffer.getvalue())


ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _fixed_zip_times(data: bytes) -> bytes:
    """The workbook's zip with every member dated ZIP_TIME: openpyxl dates them now, so two saves a second apart differed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def _write_sheet(sheet, frame: pd.DataFrame, status_column: str | None = None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = list(frame.columns)
    bold = Font(bold=True)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = bold
    fills = {k: PatternFill("solid", fgColor="FF" + bg.lstrip("#").upper()) for k, (_, bg) in PALETTE.items()}
    fonts = {k: Font(bold=True, color="FF" + fg.lstrip("#").upper()) for k, (fg, _) in PALETTE.items()}
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    status_at = columns.index(status_column) if status_column in columns else None
    coloured = {columns.index(c) for c in ("a_text", "b_text") if c in columns}
    for values in frame.itertuples(index=False, name=None):
        row = [_cell_value(v) for v in values]
        sheet.append(row)
        cells = sheet[sheet.max_row]
        paint = kind(str(values[status_at])) if status_at is not None else None
        for k, cell in enumerate(cells):
            if isinstance(row[k], str):
                cell.data_type = "s"  # text stays text: "=SUM(A1)" is shown, never computed
            cell.alignment = wrap if columns[k] in XLSX_TEXT_COLUMNS else top
            if paint and (k == status_at or k in coloured):
                cell.fill = fills[paint]
                if k == status_at:
                    cell.font = fonts[paint]
    for k, name in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(k)].width = _width(name, frame[name])
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions


def _cell_value(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, str):
        return _clean(value)[:XLSX_MAX_CELL]
    return value


def _width(name: str, values: pd.Series) -> float:
    if name in XLSX_TEXT_COLUMNS:
        return XLSX_TEXT_WIDTH
    sample = values.head(XLSX_WIDTH_SAMPLE).dropna().astype(str)
    longest = max([len(name), *(len(v) for v in sample)])
    return min(longest + 2, XLSX_MAX_WIDTH)


def coverage_summary(table: pd.DataFrame) -> pd.DataFrame:
    """One row per document of the table: its passages, how many another document links, and the share of its text covered.

    A passage is covered when at least one other document links it (as ``Comparison.coverage``).
    """
    segments: dict[str, dict[tuple[int, int], bool]] = defaultdict(dict)
    langs: dict[str, Counter] = defaultdict(Counter)
    meta: dict[str, dict[str, str]] = defaultdict(dict)
    for side in ("a", "b"):
        doc, start, end, lang = f"doc_{side}", f"{side}_start", f"{side}_end", f"{side}_lang"
        present = table[table[start].notna()] if start in table else table.iloc[0:0]
        for row in present.itertuples(index=False):
            name = getattr(row, doc)
            span = (int(getattr(row, start)), int(getattr(row, end)))
            linked = row.status in ("match", "partial")
            segments[name][span] = segments[name].get(span, False) or linked
            if getattr(row, lang) and getattr(row, lang) != UNKNOWN_LANG:
                langs[name][getattr(row, lang)] += 1
            for key in ("title", "site", "date"):
                value = getattr(row, f"doc_{side}_{key}", "")
                if isinstance(value, str) and value:
                    meta[name].setdefault(key, value)
    rows = []
    for name, spans in segments.items():
        chars = sum(e - s for s, e in spans)
        covered = sum(e - s for (s, e), linked in spans.items() if linked)
        rows.append({
            "document": name, "language": langs[name].most_common(1)[0][0] if langs[name] else UNKNOWN_LANG,
            "title": meta[name].get("title", ""), "site": meta[name].get("site", ""), "date": meta[name].get("date", ""),
            "passages": len(spans), "linked": sum(spans.values()), "only_here": len(spans) - sum(spans.values()),
            "characters": chars, "coverage": round(covered / chars, 4) if chars else 0.0,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["document", "language", "title", "site", "date", "passages", "linked", "only_here",
                                       "characters", "coverage"])  # fmt: skip


# ---------------------------------------------------------------- TMX


def tmx_bytes(table: pd.DataFrame, statuses: TmxStatus = TMX_DEFAULT, segtype: Level = "sentence") -> bytes:
    """TMX 1.4: the table's linked pairs (``match``, or ``match+partial``) as translation units."""
    if statuses not in TMX_STATUSES:
        raise ValueError(f"TMX status must be one of {', '.join(TMX_STATUSES)}, not {statuses!r}")
    if segtype not in LEVELS:  # TMX's segtype names the unit, as the segment level does
        raise ValueError(f"segtype must be one of {', '.join(LEVELS)}, not {segtype!r}")
    wanted = ("match",) if statuses == "match" else ("match", "partial")
    links = table[table["status"].isin(wanted)]
    doc_langs = _document_languages(table)
    units = [unit for _, pair in links.groupby("pair_id", sort=False) for unit in _units(pair, doc_langs)]
    source_langs = {unit[0][0] for unit in units}
    srclang = source_langs.pop() if len(source_langs) == 1 else "*all*"
    header = (f'  <header creationtool="xling" creationtoolversion={quoteattr(__version__)} segtype="{segtype}" '
              f'o-tmf="xling" adminlang="en" srclang={quoteattr(srclang)} datatype="plaintext"/>')
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE tmx SYSTEM "tmx14.dtd">', '<tmx version="1.4">', header, "  <body>"]
    for (lang_a, text_a), (lang_b, text_b), props in units:
        out.append(f"    <tu tuid={quoteattr(props['tuid'])}>")
        out.extend(f"      <prop type={quoteattr('x-' + key)}>{escape(_clean(value))}</prop>" for key, value in props.items() if key != "tuid")
        for lang, text in ((lang_a, text_a), (lang_b, text_b)):
            out.append(f"      <tuv xml:lang={quoteattr(lang)}><seg>{escape(_clean(text))}</seg></tuv>")
        out.append("    </tu>")
    out += ["  </body>", "</tmx>", ""]
    return "\n".join(out).encode("utf-8")


def _document_languages(table: pd.DataFrame) -> dict[str, str]:
    """Each document's most frequent detected segment language (what a segment too short to judge falls back to)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for side in ("a", "b"):
        for name, lang in zip(table[f"doc_{side}"], table[f"{side}_lang"]):
            if isinstance(lang, str) and lang and lang != UNKNOWN_LANG:
                counts[name][lang] += 1
    return {name: c.most_common(1)[0][0] for name, c in counts.items()}


def _units(pair: pd.DataFrame, doc_langs: dict[str, str]) -> Iterable[tuple[tuple[str, str], tuple[str, str], dict[str, str]]]:
    """Connected groups of links (one A sentence linked to two B sentences is one unit), in A order."""
    rows = pair.to_dict("records")
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(key: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for row in rows:
        parent[root(("b", int(row["b_index"])))] = root(("a", int(row["a_index"])))
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in rows:
        groups[root(("a", int(row["a_index"])))].append(row)
    for group in sorted(groups.values(), key=lambda g: min(int(r["a_index"]) for r in g)):
        first = group[0]
        sides = []
        for side in ("a", "b"):
            seen = sorted({int(r[f"{side}_index"]): r for r in group}.items())
            text = " ".join(" ".join(str(r[f"{side}_text"]).split()) for _, r in seen)
            langs = Counter(r[f"{side}_lang"] for _, r in seen if r[f"{side}_lang"] and r[f"{side}_lang"] != UNKNOWN_LANG)
            lang = langs.most_common(1)[0][0] if langs else doc_langs.get(first[f"doc_{side}"], UNDETERMINED)
            sides.append((lang, text, ",".join(str(i) for i, _ in seen)))
        scores = [float(r["score"]) for r in group if not pd.isna(r["score"])]
        props = {"tuid": f"{first['pair_id']}:{sides[0][2]}:{sides[1][2]}", "pair": str(first["pair_id"]),
                 "doc-a": str(first["doc_a"]), "doc-b": str(first["doc_b"]),
                 "status": "match" if all(r["status"] == "match" for r in group) else "partial"}  # fmt: skip
        if scores:
            props["score"] = f"{min(scores):.4f}"
        yield (sides[0][0], sides[0][1]), (sides[1][0], sides[1][1]), props
