"""The final files of a batch run, assembled from its part files window by window, each written atomically.

The contract table streams (CSV through the shared exporter, Parquet row group
by row group); the per-pair summary and the per-group coverage are CSV files.
Group coverage is computed from the table itself, one group at a time.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .chunks import SHARE_DECIMALS
from ..coverage import coverage_of_lengths
from ..errors import OutputError, XlingError
from ..export import TEXT_COLUMNS, Format, empty_table, file_mode, neutralise_formula, normalise_table, to_bytes
from .manifest import Plan
from .runstore import RunStore, iter_windows
from ..workspace.apply import MODEL, SOURCE_COLUMN

SUMMARY_SUFFIX = ".summary.csv"  # OUT.parquet -> OUT.summary.csv, so two runs in one folder keep their own
GROUP_COVERAGE_SUFFIX = ".group_coverage.csv"
GROUP_COVERAGE_COLUMNS = ("group_id", "doc", "covered_by", "share")
ANY_OTHER = "(any)"  # covered_by value: any other document of the group


def assemble(plan: Plan, store: RunStore, output: Path, fmt: Format, summary: Path, group_coverage: Path | None,
             transform: Callable[[pd.DataFrame], pd.DataFrame] | None = None, *,
             sourced: bool = False) -> tuple[tuple[str, str], ...]:  # fmt: skip
    """Write the table, the summary and (``group_coverage`` given) the group coverage from the parts, each atomically.

    Returns the failed pairs ``(pair_id, error)`` in manifest order. The table is
    renamed into place last, so its presence means the run is complete.
    ``transform`` (the stories' ``story_id`` column) rewrites each window of the table first.
    ``sourced``: the chunks applied human corrections (xling/workspace/apply.py), so the table has a
    ``source`` column, also in a window where no pair was aligned.
    """
    order = {p.pair_id: p.index for p in plan.pairs}
    seen: set[str] = set()
    failed: list[tuple[str, str]] = []
    coverage = GroupCoverage(plan) if group_coverage is not None else None
    with contextlib.ExitStack() as files:
        table_sink = files.enter_context(_TableSink(output, fmt))
        summary_sink = files.enter_context(_CsvSink(summary))
        group_sink = files.enter_context(_CsvSink(group_coverage)) if group_coverage is not None else None
        for table, rows in iter_windows(store, store.entries(), order):
            if sourced and SOURCE_COLUMN not in table:  # only a window without a single aligned pair lacks it
                table = table.assign(**{SOURCE_COLUMN: pd.array([MODEL] * len(table), dtype="string")})
            table = transform(table) if transform is not None else table
            table_sink.write(table)
            summary_sink.write(rows)
            seen.update(rows.pair_id)
            failed += [(r.pair_id, r.error) for r in rows.itertuples() if r.status == "failed"]
            if coverage is not None and group_sink is not None:
                group_sink.write(coverage.add(table))
        if len(seen) < len(plan.pairs):  # only if the work folder was tampered with: say so rather than write a short table
            missing = [p.pair_id for p in plan.pairs if p.pair_id not in seen]
            raise XlingError(f"{len(missing)} pair(s) have no result in {store.folder} (e.g. {missing[0]!r}); rerun with --resume")
        if coverage is not None and group_sink is not None:
            group_sink.write(coverage.finish())
        # Every file complete on disk before any is renamed into place: a full disk leaves none of them half-made.
        sinks = [s for s in (group_sink, summary_sink, table_sink) if s is not None]
        for sink in sinks:
            sink.finish()
        for sink in sinks:  # the table last
            sink.commit()
    return tuple(failed)


class _Sink:
    """A file written in pieces under a temporary name, renamed into place by :meth:`commit` once complete.

    An ``OSError`` (a full disk) becomes an :class:`OutputError` naming the file; the temporary file never stays.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path
        self._header_written = False

    def __enter__(self):
        with self._named():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            os.close(fd)
        self._tmp = Path(tmp)
        return self

    @contextlib.contextmanager
    def _named(self):
        try:
            yield
        except OSError as exc:
            raise OutputError(str(self.path), f"cannot write ({exc.strerror or exc})") from None

    def _append_csv(self, data: bytes) -> None:
        """CSV bytes with a header line: the header goes in once."""
        if self._header_written:
            data = data.split(b"\n", 1)[1]
        with self._named(), self._tmp.open("ab") as handle:
            handle.write(data)
        self._header_written = True

    def _finish(self) -> None:
        pass

    def finish(self) -> None:
        """Complete the temporary file and put it on disk (fsync), with the ordinary file mode."""
        with self._named():
            self._finish()
            with self._tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
            self._tmp.chmod(file_mode())

    def commit(self) -> None:
        with self._named():
            os.replace(self._tmp, self.path)

    def __exit__(self, exc_type, *rest) -> None:
        self._tmp.unlink(missing_ok=True)


class _CsvSink(_Sink):
    """A plain CSV file (summaries); text cells a spreadsheet would run as formulas are quoted, as in the table."""

    def write(self, df: pd.DataFrame) -> None:
        if len(df) or not self._header_written:
            self._append_csv(df.map(neutralise_formula).to_csv(index=False, lineterminator="\n").encode("utf-8"))


class _TableSink(_Sink):
    """The contract table, window by window, through the shared exporter: CSV and Parquet stream; JSON is written whole."""

    def __init__(self, path: Path, fmt: Format) -> None:
        super().__init__(path)
        self.fmt = fmt
        self._frames: list[pd.DataFrame] = []
        self._writer = None
        self._schema = None

    def write(self, df: pd.DataFrame) -> None:
        if self.fmt == "json":
            self._frames.append(df)
        elif self.fmt == "csv":
            if len(df) or not self._header_written:
                self._append_csv(to_bytes(df, "csv"))
        elif len(df):
            with self._named():
                self._parquet(df)

    def _parquet(self, df: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            # the first window's columns: the contract and any extra ones (such as source)
            self._schema = pa.Schema.from_pandas(normalise_table(df.iloc[:0]).astype(_ARROW_SAFE), preserve_index=False)
            self._writer = pq.ParquetWriter(self._tmp, self._schema)
        if len(df):
            table = pa.Table.from_pandas(normalise_table(df).astype(_ARROW_SAFE), schema=self._schema, preserve_index=False)
            self._writer.write_table(table)

    def _finish(self) -> None:
        if self.fmt == "json":
            frames = [f for f in self._frames if len(f)]
            self._tmp.write_bytes(to_bytes(pd.concat(frames, ignore_index=True) if frames else empty_table(), "json"))
        elif self.fmt == "parquet":
            if self._writer is None:
                self._parquet(empty_table())
            self._writer.close()
        elif not self._header_written:
            self._append_csv(to_bytes(empty_table(), "csv"))

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is not None and self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
        super().__exit__(exc_type, *rest)


# Text columns typed as strings even when a window has none (so every Parquet row group has one schema).
_ARROW_SAFE = {c: "string" for c in TEXT_COLUMNS}


class GroupCoverage:
    """Per group, the share of each document's text each other document covers, and any of them (``(any)``).

    Fed the contract table in manifest order, where a group's pairs are contiguous;
    holds one group at a time.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.group_of = {p.pair_id: p.group_id for p in plan.pairs}
        self._group: str | None = None
        self._parts: list[pd.DataFrame] = []

    def add(self, table: pd.DataFrame) -> pd.DataFrame:
        """Take a window of the table; return the rows of the groups it completes."""
        if not len(table):
            return _coverage_frame([])
        groups = table["pair_id"].map(self.group_of)
        done = []
        for group_id in dict.fromkeys(groups):
            if self._group is not None and group_id != self._group:
                done.append(self.finish())
            self._group = group_id
            self._parts.append(_sides(table[groups == group_id]))
        return pd.concat(done, ignore_index=True) if done else _coverage_frame([])

    def finish(self) -> pd.DataFrame:
        """Rows of the group in progress (the last one, at the end of the table)."""
        if self._group is None or not self._parts:
            return _coverage_frame([])
        group_id, sides = self._group, pd.concat(self._parts, ignore_index=True)
        self._group, self._parts = None, []
        return _coverage_frame(_group_rows(group_id, self.plan.groups.get(group_id, ()), sides))


def _sides(table: pd.DataFrame) -> pd.DataFrame:
    """Each segment seen from its document: (doc, index, length, other document, linked)."""
    linked = table["status"].isin(["match", "partial"])
    a = table[table["a_index"].notna()]
    b = table[table["b_index"].notna()]
    return pd.concat([
        pd.DataFrame({"doc": a.doc_a, "index": a.a_index, "length": a.a_end - a.a_start, "other": a.doc_b, "linked": linked[a.index]}),
        pd.DataFrame({"doc": b.doc_b, "index": b.b_index, "length": b.b_end - b.b_start, "other": b.doc_a, "linked": linked[b.index]}),
    ], ignore_index=True)  # fmt: skip


def _group_rows(group_id: str, docs: tuple[str, ...], sides: pd.DataFrame) -> list[dict[str, object]]:
    """Each document's share of characters covered by each other one and by any (xling/coverage.py's rule)."""
    position = {d: i for i, d in enumerate(docs)}
    lengths: dict[str, dict[int, int]] = {}
    covered: dict[tuple[str, str], set[int]] = {}
    for doc, index, length, other, linked in sides.itertuples(index=False):
        lengths.setdefault(doc, {}).setdefault(int(index), int(length))
        if linked:
            covered.setdefault((doc, other), set()).add(int(index))
            covered.setdefault((doc, ANY_OTHER), set()).add(int(index))
    rows = []
    for doc in sorted(lengths, key=lambda d: position.get(d, len(position))):
        others = sorted(set(sides.loc[sides.doc == doc, "other"]), key=lambda d: position.get(d, len(position)))
        for other in [*others, ANY_OTHER]:
            share = coverage_of_lengths(lengths[doc], covered.get((doc, other), ())).char_share
            rows.append({"group_id": group_id, "doc": doc, "covered_by": other, "share": round(share, SHARE_DECIMALS)})
    return rows


def _coverage_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(GROUP_COVERAGE_COLUMNS))
