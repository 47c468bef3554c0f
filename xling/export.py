"""One writer for every front end: the CLI, the batch run and the dashboard download."""
from __future__ import annotations

import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

Format = Literal["csv", "json", "parquet", "xlsx", "tmx"]
FORMATS: tuple[str, ...] = get_args(Format)
STREAM_FORMATS = ("csv", "json", "parquet")  # written in parts by batch; xlsx and tmx (xling.writers) are made whole
COLUMNS: tuple[str, ...] = (
    "pair_id", "doc_a", "doc_b", "a_index", "b_index", "a_start", "a_end", "b_start", "b_end",
    "a_text", "b_text", "a_lang", "b_lang", "similarity", "score", "status", "discrepancies",
)  # fmt: skip
# After the contract columns: what each document's file says about itself (xling.formats), "" when unknown.
METADATA_COLUMNS: tuple[str, ...] = tuple(f"doc_{side}_{key}" for side in "ab" for key in ("title", "site", "date", "author"))
# ``discrepancies``: the facts two linked passages disagree on, a compact JSON list (xling.facts); "" when none.
TEXT_DEFAULTS = {"discrepancies": "", **dict.fromkeys(METADATA_COLUMNS, "")}
INT_COLUMNS = ("a_index", "b_index", "a_start", "a_end", "b_start", "b_end")
FLOAT_COLUMNS = ("similarity", "score")
TEXT_COLUMNS = tuple(c for c in COLUMNS + METADATA_COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS)
FLOAT_DECIMALS = 4  # enough to rank pairs; fixed so the same input gives the same bytes
# OWASP, CSV injection: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def empty_table() -> pd.DataFrame:
    return normalise_table(pd.DataFrame(columns=list(COLUMNS)))


def normalise_table(df: pd.DataFrame) -> pd.DataFrame:
    """Contract columns first, with their types: nullable integers, rounded floats, strings."""
    df = df.copy()
    for col in COLUMNS + METADATA_COLUMNS:
        if col not in df:
            df[col] = pd.NA
    for col in INT_COLUMNS:
        df[col] = pd.array(df[col], dtype="Int64")
    for col in FLOAT_COLUMNS:
        df[col] = pd.to_numeric(df[col]).astype("float64").round(FLOAT_DECIMALS)
    for col, default in TEXT_DEFAULTS.items():
        df[col] = df[col].astype(object).where(df[col].notna(), default)
    extra = [c for c in df.columns if c not in COLUMNS + METADATA_COLUMNS]
    return df[list(COLUMNS + METADATA_COLUMNS) + extra].reset_index(drop=True)


def neutralise_formula(value: object) -> object:
    """Prefix a text cell a spreadsheet would run as a formula with a quote (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_bytes(df: pd.DataFrame, fmt: Format = "csv", **options: object) -> bytes:
    """Serialise the table. CSV cells are made spreadsheet-safe; JSON and Parquet keep text as is.

    ``xlsx`` and ``tmx`` are made by :mod:`xling.writers` (``options`` go to them: ``coverage_from``
    for xlsx, ``statuses`` and ``segtype`` for tmx).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    df = normalise_table(df)
    if fmt in ("xlsx", "tmx"):
        from . import writers

        return writers.xlsx_bytes(df, **options) if fmt == "xlsx" else writers.tmx_bytes(df, **options)  # type: ignore[arg-type]
    if fmt == "csv":
        safe = df.copy()
        for col in safe.columns:
            if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                safe[col] = safe[col].map(neutralise_formula)
        return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "json":
        return (df.to_json(orient="records", force_ascii=False, indent=1) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    df.to_parquet(buffer, index=False)
    return buffer.getvalue()


def read_table(path: str | Path, fmt: Format | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_table` back (CSV, JSON, Parquet or the XLSX ``alignment`` sheet)."""
    path = Path(path)
    fmt = fmt or format_for(path)
    if fmt == "tmx":
        raise ValueError("a TMX file holds the linked pairs only, not the table: read the CSV, JSON, Parquet or XLSX")
    if fmt == "xlsx":
        return normalise_table(pd.read_excel(path, sheet_name="alignment", dtype=object).astype(object).where(lambda d: d.notna(), None))
    if fmt == "parquet":
        return normalise_table(pd.read_parquet(path))
    if fmt == "json":
        return normalise_table(pd.read_json(path, orient="records", dtype=False))
    return normalise_table(pd.read_csv(path, keep_default_na=False, na_values={c: [""] for c in INT_COLUMNS + FLOAT_COLUMNS}))


def format_for(path: str | Path | None, default: Format = "csv") -> Format:
    """The format a file name asks for by its suffix, ``default`` when it has none.

    An unknown suffix raises ``ValueError`` listing the formats: ``-o out.xls`` must not silently write CSV.
    """
    suffix = Path(str(path)).suffix.lower().lstrip(".") if path else ""
    if not suffix:
        return default
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown output format .{suffix}; use one of {', '.join('.' + f for f in FORMATS)}, "
                         "or name one with --format")  # fmt: skip
    return suffix  # type: ignore[return-value]


def write_table(df: pd.DataFrame, out: str | Path, fmt: Format = "csv", **options: object) -> None:
    """Write to a file atomically (temporary file, then rename), or to stdout when ``out`` is ``-``.

    ``options`` go to :func:`to_bytes` (the TMX statuses, for one).
    """
    data = to_bytes(df, fmt, **options)
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic_write(Path(out), data)


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
