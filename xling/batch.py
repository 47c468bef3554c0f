"""Many pairs at once from a manifest; one model load, each document read and encoded once."""
from __future__ import annotations

import csv
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .embed import Embedder
from .errors import ManifestError, XlingError
from .export import empty_table, normalise_table
from .io import read_document
from .pipeline import Prepared, align_pair, prepare, resolve_thresholds
from .types import Document, Settings

log = logging.getLogger(__name__)
PAIR_COLUMNS = ("pair_id", "doc_a", "doc_b")


def read_manifest(path: Path) -> list[dict[str, str]]:
    """Rows of a ``pair_id,doc_a,doc_b`` manifest; raises :class:`ManifestError` naming the problem."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in PAIR_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ManifestError(f"{path}: missing column(s) {', '.join(missing)} (needs {','.join(PAIR_COLUMNS)})")
            rows = [{k: (row.get(k) or "").strip() for k in PAIR_COLUMNS} for row in reader]
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not a UTF-8 CSV file") from None
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not all(row.values()):
            raise ManifestError(f"{path}: line {number} has an empty pair_id, doc_a or doc_b")
        if row["pair_id"] in seen:
            raise ManifestError(f"{path}: duplicate pair_id {row['pair_id']!r} on line {number}")
        seen.add(row["pair_id"])
    if not rows:
        raise ManifestError(f"{path}: no pairs")
    return rows


def run_manifest(
    manifest: Path,
    *,
    settings: Settings,
    embedder: Embedder,
    write: Callable[[pd.DataFrame], None],
    quiet: bool = False,
) -> list[tuple[str, str]]:
    """Align every pair of ``manifest``, write one table, return ``(pair_id, error)`` of failed pairs.

    A document that cannot be read fails only the pairs that use it.
    """
    rows = read_manifest(manifest)
    base = manifest.parent
    documents: dict[str, Document | XlingError] = {}
    for row in rows:
        for key in ("doc_a", "doc_b"):
            name = row[key]
            if name not in documents:
                try:
                    documents[name] = read_document(base / name, name=name)
                except XlingError as exc:
                    documents[name] = exc
    readable = [d for d in documents.values() if isinstance(d, Document)]
    prepared: dict[str, Prepared] = {p.name: p for p in prepare(readable, embedder, settings.level)} if readable else {}
    settings = resolve_thresholds(settings, embedder.model_id)
    frames, failures = [], []
    for row in rows:
        problems = [str(documents[row[k]]) for k in ("doc_a", "doc_b") if not isinstance(documents[row[k]], Document)]
        if problems:
            failures.append((row["pair_id"], "; ".join(problems)))
            continue
        frames.append(align_pair(prepared[row["doc_a"]], prepared[row["doc_b"]], settings, row["pair_id"]).to_dataframe())
    write(normalise_table(pd.concat(frames, ignore_index=True)) if frames else empty_table())
    for pair_id, error in failures:
        print(f"xling: pair {pair_id} failed: {error}", file=sys.stderr)
    if not quiet:
        print(f"{len(rows) - len(failures)} of {len(rows)} pairs aligned", file=sys.stderr)
    return failures
