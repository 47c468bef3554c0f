"""The workspace: saved comparisons and human corrections in one local SQLite file (default ``data/xling.db``).

    ws = Workspace("data/xling.db")                  # created, or migrated, on first use
    cid = ws.save(comparison, title="Putin and Xi", author="ana")
    ws.list()                                         # DataFrame of saved comparisons, newest first
    comparison = ws.load(cid)                         # no model, no encoding: the same to_dataframe()
    ws.correct(comparison.pairs[0], 3, 5, "reject", author="ana", note="another summit")
    corrected = ws.apply(comparison)                  # .table has the source column; .stale what no longer applies
    ws.delete(cid)

A saved comparison keeps its documents (text, name, language, content hash),
the settings, each document's segments and vectors, and the links, so reopening
it rebuilds the very same :class:`~xling.pipeline.Comparison`. Corrections are
kept apart from comparisons, keyed by the documents' content hashes (see
:mod:`xling.workspace.corrections`), so they apply to any later comparison of the same documents.

Reliability: every write is one ``BEGIN IMMEDIATE`` transaction on its own
connection, so threads and processes may share a workspace (writers queue,
up to :data:`BUSY_TIMEOUT_S`); the journal is WAL, so a writer killed mid-save
leaves the last committed state. The schema version is ``PRAGMA user_version``;
opening an older file migrates it step by step (:mod:`xling.workspace.schema`).
"""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .apply import CorrectedComparison, apply_to_comparison, orient
from .corrections import CORRECTION_FIELDS, Action, Correction, CorrectionFormat, corrections_to_bytes, document_hash, make_correction, now
from ..errors import WorkspaceError
from ..embed.calibration import SAVED_FIELDS, PairParams, from_dict
from .schema import SCHEMA_VERSION, migrate
from ..pipeline import Comparison, PairResult, Prepared, pair_similarity
from ..types import Document, Link, Segment, Settings

log = logging.getLogger(__name__)

DEFAULT_PATH = Path("data") / "xling.db"
WORKSPACE_ENV = "XLING_WORKSPACE"  # overrides the default path
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another one before giving up
LIST_COLUMNS = ("id", "title", "author", "created", "documents", "languages", "level", "model", "pairs", "links")


def default_path() -> Path:
    """``$XLING_WORKSPACE``, else ``data/xling.db`` (relative to the working directory)."""
    return Path(os.environ.get(WORKSPACE_ENV) or DEFAULT_PATH)


@dataclass(frozen=True)
class ImportReport:
    added: int
    skipped: int  # already in the workspace (same record)


class Workspace:
    """Saved comparisons and corrections in the SQLite file ``path`` (default: :func:`default_path`).

    Cheap to create; holds no open connection, so one object may be shared by
    threads (a dashboard's sessions) and several processes may open the same file.
    ``create=False`` refuses a path where no file exists yet.
    """

    def __init__(self, path: str | Path | None = None, *, create: bool = True) -> None:
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            if not create:
                raise WorkspaceError(f"{self.path}: no workspace there")
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._open_schema()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    # ------------------------------------------------------------ comparisons

    def save(self, comparison: Comparison | CorrectedComparison, *, title: str = "", author: str = "") -> int:
        """Store ``comparison`` (documents, settings, segments, vectors, links); returns its id.

        A corrected comparison is stored as the aligner made it: its corrections are kept apart and applied on reopening.
        """
        if isinstance(comparison, CorrectedComparison):
            comparison = comparison.original
        title = title or " / ".join(p.name for p in comparison.documents)
        with self._write() as conn:
            cid = conn.execute(
                "INSERT INTO comparisons (title, author, created, model_id, settings) VALUES (?, ?, ?, ?, ?)",
                (title, author, now(), comparison.model_id, _settings_json(comparison.settings)),
            ).lastrowid
            for position, prepared in enumerate(comparison.documents):
                digest = document_hash(prepared.document)
                conn.execute("INSERT OR IGNORE INTO documents (hash, text) VALUES (?, ?)", (digest, prepared.document.text))
                conn.execute(f"INSERT INTO comparison_documents VALUES ({', '.join('?' * 13)})", _document_row(cid, position, digest, prepared))
            for position, pair in enumerate(comparison.pairs):
                conn.execute(f"INSERT INTO pairs VALUES ({', '.join('?' * 8)})", _pair_row(cid, position, pair, comparison))
        log.info("saved comparison %s (%s) in %s", cid, title, self.path)
        return int(cid)  # type: ignore[arg-type]

    def list(self) -> pd.DataFrame:
        """Saved comparisons, newest first: one row each with :data:`LIST_COLUMNS`."""
        with self._read() as conn:
            heads = conn.execute("SELECT id, title, author, created, model_id, settings FROM comparisons ORDER BY created DESC, id DESC").fetchall()
            docs: dict[int, list[tuple[str, str]]] = {}
            for cid, name, lang in conn.execute("SELECT comparison_id, name, lang FROM comparison_documents ORDER BY comparison_id, position"):
                docs.setdefault(cid, []).append((name, lang))
            counts = {cid: (n, links) for cid, n, links in conn.execute(
                "SELECT comparison_id, count(*), sum(json_array_length(links)) FROM pairs GROUP BY comparison_id")}  # fmt: skip
        rows = []
        for cid, title, author, created, model_id, settings in heads:
            names = docs.get(cid, [])
            pairs, links = counts.get(cid, (0, 0))
            rows.append({"id": cid, "title": title, "author": author, "created": created, "documents": ", ".join(n for n, _ in names),
                         "languages": ", ".join(lang for _, lang in names), "level": json.loads(settings).get("level", ""),
                         "model": model_id, "pairs": pairs, "links": links or 0})  # fmt: skip
        return pd.DataFrame(rows, columns=list(LIST_COLUMNS))

    def load(self, comparison_id: int) -> Comparison:
        """The saved comparison, rebuilt without a model: ``load(save(c)).to_dataframe()`` equals ``c.to_dataframe()``."""
        with self._read() as conn:
            head = conn.execute("SELECT model_id, settings FROM comparisons WHERE id = ?", (comparison_id,)).fetchone()
            if head is None:
                raise WorkspaceError(f"{self.path}: no saved comparison {comparison_id}")
            doc_rows = conn.execute(
                "SELECT d.*, t.text FROM comparison_documents d JOIN documents t ON t.hash = d.doc_hash "
                "WHERE d.comparison_id = ? ORDER BY d.position", (comparison_id,)).fetchall()  # fmt: skip
            pair_rows = conn.execute("SELECT * FROM pairs WHERE comparison_id = ? ORDER BY position", (comparison_id,)).fetchall()
        settings = _settings(head[1]) or Settings()
        prepared = [_prepared(row, self.path, head[0]) for row in doc_rows]
        pairs = tuple(_pair(row, prepared, settings) for row in pair_rows)
        return Comparison(documents=tuple(prepared), pairs=pairs, settings=settings)

    def delete(self, comparison_id: int) -> bool:
        """Remove a saved comparison (its corrections stay: they belong to the documents). False if there was none."""
        with self._write() as conn:
            gone = conn.execute("DELETE FROM comparisons WHERE id = ?", (comparison_id,)).rowcount
            conn.execute("DELETE FROM documents WHERE hash NOT IN (SELECT doc_hash FROM comparison_documents)")
        return bool(gone)

    def export_comparison(self, comparison_id: int) -> bytes:
        """A saved comparison as one JSON file: settings, documents, the corrected table, its corrections, stale ones."""
        comparison = self.load(comparison_id)
        head = self.list().set_index("id").loc[comparison_id]
        corrected = self.apply(comparison)
        corrections = {c.uid: c for i, a in enumerate(comparison.documents) for b in comparison.documents[i + 1 :]
                       for c in self.corrections_between(a.document, b.document)}  # fmt: skip
        about = {"id": comparison_id, "title": head["title"], "author": head["author"], "created": head["created"],
                 "model_id": comparison.model_id, "settings": dataclasses.asdict(comparison.settings)}  # fmt: skip
        documents = [{"name": p.name, "hash": document_hash(p.document), "lang": p.document.lang, "source": p.document.source}
                     for p in comparison.documents]  # fmt: skip
        payload = {
            "comparison": about,
            "documents": documents,
            "table": json.loads(corrected.table.to_json(orient="records", force_ascii=False)),
            "corrections": [c.to_record() for c in corrections.values()],
            "stale": [str(s) for s in corrected.stale],
        }
        return (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    # ------------------------------------------------------------ corrections

    def add_correction(self, correction: Correction) -> Correction:
        """Store a correction (``created`` filled if empty); returns it with its ``id``. Storing the same record twice keeps one."""
        if not correction.created:
            correction = dataclasses.replace(correction, created=now())
        with self._write() as conn:
            return _insert_correction(conn, correction)[0]

    def correct(self, pair: PairResult, a_index: int, b_index: int, action: Action, *,
                status: Literal["match", "partial"] | None = None, note: str = "", author: str = "") -> Correction:  # fmt: skip
        """Record a decision about the link between segments ``a_index`` and ``b_index`` of ``pair`` (the library's shortcut:
        the dashboard builds its corrections with :mod:`xling.ui.workbench` and stores them with :meth:`add_correction`)."""
        return self.add_correction(make_correction(pair, a_index, b_index, action, status=status, note=note, author=author))

    def corrections_for(self, doc_hash_a: str, doc_hash_b: str) -> list[Correction]:
        """Every correction stored for these two documents (either order, as stored), oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_CORRECTION_SELECT} FROM corrections WHERE (doc_a = ? AND doc_b = ?) OR (doc_a = ? AND doc_b = ?) "
                "ORDER BY created, id", (doc_hash_a, doc_hash_b, doc_hash_b, doc_hash_a)).fetchall()  # fmt: skip
        return [_correction(row) for row in rows]

    def corrections_between(self, a: Document, b: Document) -> list[Correction]:
        """Corrections that concern a comparison of ``a`` and ``b``: same texts, or one of them an earlier version (same name)."""
        ha, hb = document_hash(a), document_hash(b)
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_CORRECTION_SELECT} FROM corrections WHERE doc_a IN (?, ?) OR doc_b IN (?, ?) ORDER BY created, id",
                (ha, hb, ha, hb),
            ).fetchall()  # fmt: skip
        return [c for c in map(_correction, rows) if orient(c, ha, hb, a.name, b.name) is not None]

    def all_corrections(self) -> list[Correction]:
        """Every stored correction, oldest first."""
        with self._read() as conn:
            return [_correction(r) for r in conn.execute(f"SELECT {_CORRECTION_SELECT} FROM corrections ORDER BY created, id")]

    def remove_correction(self, correction_id: int) -> bool:
        """Forget a correction (an undo). False if there was none with that id."""
        with self._write() as conn:
            return bool(conn.execute("DELETE FROM corrections WHERE id = ?", (correction_id,)).rowcount)

    def import_corrections(self, corrections: Iterable[Correction]) -> ImportReport:
        """Store corrections from another workspace in one transaction; records already here are skipped."""
        added = skipped = 0
        with self._write() as conn:
            for correction in corrections:
                if _insert_correction(conn, correction)[1]:
                    added += 1
                else:
                    skipped += 1
        return ImportReport(added=added, skipped=skipped)

    def export_corrections(self, fmt: CorrectionFormat = "csv") -> bytes:
        """Every correction as CSV or JSON, for :meth:`import_corrections` elsewhere."""
        return corrections_to_bytes(self.all_corrections(), fmt)

    def apply(self, comparison: Comparison) -> CorrectedComparison:
        """``comparison`` with the stored corrections of its documents applied (stale ones logged and listed)."""
        return apply_to_comparison(comparison, self)

    # ------------------------------------------------------------ connections and schema

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")  # corrections are people's work: durable once saved
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path}: cannot be opened as a workspace ({exc})") from None
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; taken at once (IMMEDIATE), so concurrent writers queue instead of failing later."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            _rollback(conn)
            raise WorkspaceError(f"{self.path}: {exc}") from exc
        except BaseException:
            _rollback(conn)
            raise
        finally:
            conn.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot, never blocked by a writer (WAL)."""
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{self.path}: {exc}") from exc
        finally:
            _rollback(conn)
            conn.close()

    def _open_schema(self) -> None:
        conn = self._connect()
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            conn.execute("PRAGMA journal_mode = WAL")  # persistent: set once, when the file is made or migrated
            conn.execute("BEGIN IMMEDIATE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it meanwhile
            if version > SCHEMA_VERSION:
                raise WorkspaceError(f"{self.path}: made by a newer xling (schema {version}; this one knows up to {SCHEMA_VERSION})")
            migrate(conn, version, str(self.path))
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            _rollback(conn)
            raise WorkspaceError(f"{self.path}: cannot be used as a workspace ({exc})") from None
        except BaseException:
            _rollback(conn)
            raise
        finally:
            conn.close()


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


# ---------------------------------------------------------------- rows <-> records


def _settings_json(settings: Settings) -> str:
    return json.dumps(dataclasses.asdict(settings), sort_keys=True)


def _settings(text: str | None) -> Settings | None:
    if text is None:
        return None
    values = json.loads(text)
    known = {f.name for f in dataclasses.fields(Settings)}
    dropped = sorted(set(values) - known)
    if dropped:
        log.info("saved settings %s are no longer known; ignored", ", ".join(dropped))
    return Settings(**{k: v for k, v in values.items() if k in known})


def _document_row(cid: int, position: int, digest: str, prepared: Prepared) -> tuple:
    doc, vectors = prepared.document, np.ascontiguousarray(prepared.embeddings)
    segments = [[s.start, s.end, s.lang, s.lang_prob, s.paragraph] for s in prepared.segments]
    if any(s.index != i for i, s in enumerate(prepared.segments)):
        raise WorkspaceError(f"{doc.name}: segment indices are not 0..n-1; cannot save")
    return (cid, position, digest, doc.name, doc.source, doc.body_start, doc.lang, doc.lang_prob, json.dumps(doc.metadata),
            json.dumps(list(doc.warnings)), json.dumps(segments), vectors.tobytes(), json.dumps([vectors.dtype.str, list(vectors.shape)]))  # fmt: skip


def _prepared(row: sqlite3.Row | tuple, path: Path, model_id: str) -> Prepared:
    (_, _, digest, name, source, body_start, lang, lang_prob, metadata, warnings, segments, blob, layout, text) = row
    if document_hash(text) != digest:
        raise WorkspaceError(f"{path}: the stored text of {name} does not match its hash; the file is damaged")
    doc = Document(name=name, text=text, source=source, body_start=body_start, metadata=json.loads(metadata), lang=lang,
                   lang_prob=lang_prob, warnings=tuple(json.loads(warnings)))  # fmt: skip
    segs = tuple(Segment(index=i, start=s, end=e, text=text[s:e], lang=sl, lang_prob=sp, paragraph=para)
                 for i, (s, e, sl, sp, para) in enumerate(json.loads(segments)))  # fmt: skip
    dtype, shape = json.loads(layout)
    vectors = np.frombuffer(blob, dtype=np.dtype(dtype)).reshape(shape).copy()
    return Prepared(document=doc, segments=segs, embeddings=vectors, model_id=model_id)


def _pair_row(cid: int, position: int, pair: PairResult, comparison: Comparison) -> tuple:
    ia, ib = comparison.ends(pair)
    links = [[link.a, link.b, float(link.similarity), float(link.score), link.status] for link in pair.links]
    params = json.dumps(pair.params.to_dict())
    return (cid, position, pair.pair_id, ia, ib, pair.profile, params, json.dumps(links))


def _pair(row: tuple, prepared: list[Prepared], settings: Settings) -> PairResult:
    _, _, pair_id, a_pos, b_pos, profile, saved, links = row
    a, b = prepared[a_pos], prepared[b_pos]
    params = _params(saved, profile, a.model_id, settings)
    return PairResult(
        pair_id=pair_id, a=a, b=b, params=params,
        links=tuple(Link(a=la, b=lb, similarity=sim, score=score, status=status) for la, lb, sim, score, status in json.loads(links)),
        similarity=pair_similarity(a, b, params),
    )  # fmt: skip


def _params(saved: str | None, profile: str, model_id: str, settings: Settings) -> PairParams:
    """The pair's parameters as saved; a file of an older version kept resolved Settings there, or nothing: their values
    (``encoder_id`` and ``model`` are not parameters of the pair) or else the comparison's settings, in the saved profile."""
    values = json.loads(saved) if saved else {}
    values = {k: v for k, v in values.items() if k in SAVED_FIELDS} or {"level": settings.level, "neighbours": settings.neighbours}
    return from_dict(values | {"model_id": model_id, "profile": profile})


_CORRECTION_COLUMNS = tuple(f for f in CORRECTION_FIELDS if f != "id")
_CORRECTION_SELECT = ", ".join(("id", *_CORRECTION_COLUMNS))


def _correction(row: tuple) -> Correction:
    return Correction(id=row[0], **dict(zip(_CORRECTION_COLUMNS, row[1:])))


def _insert_correction(conn: sqlite3.Connection, c: Correction) -> tuple[Correction, bool]:
    """Insert unless the same record is there; returns it with its id, and whether it was new."""
    cur = conn.execute(
        f"INSERT INTO corrections (uid, {', '.join(_CORRECTION_COLUMNS)}) VALUES ({', '.join('?' * (len(_CORRECTION_COLUMNS) + 1))}) "
        "ON CONFLICT (uid) DO NOTHING",
        (c.uid, *(getattr(c, f) for f in _CORRECTION_COLUMNS)),
    )  # fmt: skip
    if cur.rowcount:
        return dataclasses.replace(c, id=cur.lastrowid), True
    return dataclasses.replace(c, id=conn.execute("SELECT id FROM corrections WHERE uid = ?", (c.uid,)).fetchone()[0]), False
