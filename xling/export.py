"""One writer for every front end: the CLI, the batch run and the dashboard download."""
from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from .errors import OutputError

Format = Literal["csv", "json", "parquet", "xlsx", "tmx"]
# The one list of table formats: the CLI's --format choices, the suffixes -o understands, what to_bytes writes,
# the dashboard's downloads.
FORMATS: tuple[str, ...] = get_args(Format)
STREAM_FORMATS = ("csv", "json", "parquet")  # written in parts by batch; xlsx and tmx (xling.writers) are made whole
COLUMNS: tuple[str, ...] = (
    "pair_id", "doc_a", "doc_b", "a_index", "b_index", "a_start", "a_end", "b_start", "b_end",
    "a_text", "b_text", "a_lang", "b_lang", "similarity", "score", "status", "discrepancies", "bead", "closest", "closest_score",
)  # fmt: skip
# After the contract columns: what each document's file says about itself (xling.formats), "" when unknown.
METADATA_COLUMNS: tuple[str, ...] = tuple(f"doc_{side}_{key}" for side in "ab" for key in ("title", "site", "date", "author"))
# ``bead``: rows of one link between several segments share it (numbered per pair, in order of A); empty on unique rows.
# ``closest`` / ``closest_score``: on a unique row, the other document's segment that came nearest and its score
# (the scale of the link threshold: how close the call was).
# ``discrepancies``: the facts two linked passages disagree on, a compact JSON list (xling.facts); "" when none.
TEXT_DEFAULTS = {"discrepancies": "", **dict.fromkeys(METADATA_COLUMNS, "")}
INT_COLUMNS = ("a_index", "b_index", "a_start", "a_end", "b_start", "b_end", "bead", "closest")
FLOAT_COLUMNS = ("similarity", "score", "closest_score")
TEXT_COLUMNS = tuple(c for c in COLUMNS + METADATA_COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS)
FLOAT_DECIMALS = 4  # enough to rank pairs; fixed so the same input gives the same bytes
# OWASP, CSV injection: a cell starting with one of these is read as a formula by spreadsheets...
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# ...also after leading blanks and quote characters, which spreadsheets skip (" =2+2", "\"=2+2").
FORMULA_LEAD = " \t\r\n\u00a0\"'"


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


def looks_like_formula(value: object) -> bool:
    """Whether a spreadsheet could run this cell as a formula (OWASP: leading blanks and quotes count)."""
    return isinstance(value, str) and (value.startswith(FORMULA_PREFIXES) or value.lstrip(FORMULA_LEAD).startswith(FORMULA_PREFIXES))


def neutralise_formula(value: object) -> object:
    """Prefix a text cell a spreadsheet would run as a formula with a quote (OWASP advice)."""
    return "'" + value if looks_like_formula(value) else value  # type: ignore[operator]


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
    return parquet_bytes(df)


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """Any frame as Parquet, as it is (no table normalising): the table's format, and batch's part files."""
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
    """The format a file name asks for by its suffix; ``default`` without a suffix (or for stdout).

    An unknown suffix (``result.xls``) raises :class:`ValueError` listing the formats, rather
    than writing one format under another's name.
    """
    if path is None or str(path) == "-":
        return default
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    if not suffix:
        return default
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown table format '.{suffix}'; use a suffix of {', '.join('.' + f for f in FORMATS)}, "
                         f"or name the format with --format ({', '.join(FORMATS)})")  # fmt: skip
    return suffix  # type: ignore[return-value]


def write_table(df: pd.DataFrame, out: str | Path, fmt: Format = "csv", **options: object) -> None:
    """Write to a file atomically (temporary file, then rename), or to stdout when ``out`` is ``-``.

    A path that exists and is not a regular file (a FIFO, ``/dev/stdout``, a symlink) is written
    through, never replaced. Raises :class:`~xling.errors.OutputError` naming the file.
    ``options`` go to :func:`to_bytes` (the TMX statuses, for one).
    """
    data = to_bytes(df, fmt, **options)
    if str(out) == "-":
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError("stdout", f"cannot write ({exc.strerror or exc})") from None
        return
    atomic_write(Path(out), data)


def file_mode() -> int:
    """Permissions of a new file under this process's umask (a temporary file starts private)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def check_output(path: str | Path, *, stream: bool = True) -> None:
    """Refuse an output path that cannot be written, before any work: a folder, a missing or read-only folder.

    ``stream``: a path that exists and is not a regular file (a FIFO, a device) may be written
    through; without it such a path is refused (batch writes work files beside its output).
    """
    if str(path) == "-":
        return
    path = Path(path)
    if path.is_dir():
        raise OutputError(str(path), "is a folder; give a file name for the output")
    if os.path.lexists(path) and not _is_regular(path):
        if not stream:
            raise OutputError(str(path), "is not a regular file; this command writes a file (and work files beside it)")
        if not os.access(path, os.W_OK):
            raise OutputError(str(path), "cannot be written (permission denied)")
        return
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(str(path), f"cannot be created: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(str(path), f"cannot be created: the folder {parent} is not writable")


def _is_regular(path: Path) -> bool:
    """A regular file itself, not a symlink to one: only those are replaced by a rename."""
    return stat.S_ISREG(os.lstat(path).st_mode)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: atomically for a regular file, through the path for anything else.

    A new or regular file gets a temporary file in its folder renamed over it, with the
    ordinary umask-respecting mode. A FIFO, a device or a symlink is opened and written,
    never replaced (renaming over ``/dev/stdout`` would destroy the device node).
    """
    try:
        if path.is_dir():
            raise OutputError(str(path), "is a folder; give a file name for the output")
        if os.path.lexists(path) and not _is_regular(path):
            _write_through(path, data)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace(path, data)
    except OSError as exc:
        raise OutputError(str(path), f"cannot write ({exc.strerror or exc})") from None


def _write_through(path: Path, data: bytes) -> None:
    target_regular = path.exists() and stat.S_ISREG(os.stat(path).st_mode)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if target_regular else 0), file_mode())
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
