"""What a batch run aligns: a pair manifest, a group manifest or a folder of groups, read into a :class:`Plan`.

Nothing is aligned or encoded here; documents are only located. A problem with
the manifest itself (missing columns, duplicate ids) raises :class:`ManifestError`;
a problem with one document (a path escaping the manifest's folder) is kept on
that document and fails only the pairs that use it.
"""
from __future__ import annotations

import csv
import hashlib
import io
import itertools
import logging
from dataclasses import dataclass
from pathlib import Path

from ..errors import ManifestError, UnreadableFile
from ..io import read_file_bytes
from ..types import pair_id as make_pair_id

log = logging.getLogger(__name__)

PAIR_COLUMNS = ("pair_id", "doc_a", "doc_b")
GROUP_COLUMNS = ("group_id", "doc")
DOCUMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")  # what a folder of groups holds
MAX_MANIFEST_BYTES = 500_000_000  # millions of pairs; a manifest is read whole


@dataclass(frozen=True, kw_only=True)
class DocRef:
    """A document of the manifest: its name (the path as written), where it is, or why it cannot be used."""

    name: str
    path: Path | None
    problem: str = ""


@dataclass(frozen=True, kw_only=True)
class PairTask:
    """One pair to align; ``index`` is its position in manifest order, which the output keeps."""

    index: int
    pair_id: str
    group_id: str
    doc_a: str
    doc_b: str


@dataclass(frozen=True, kw_only=True)
class Plan:
    """Every pair of a run, in manifest order, and the documents they name."""

    source: Path
    kind: str  # "pairs" or "groups"
    pairs: tuple[PairTask, ...]
    documents: dict[str, DocRef]
    groups: dict[str, tuple[str, ...]]  # group id -> its documents, in manifest order (empty for pair manifests)

    def fingerprint(self) -> str:
        """Changes whenever the pairs or their documents change: a resumed run must match it."""
        digest = hashlib.sha256(self.kind.encode())
        for pair in self.pairs:
            digest.update(f"{pair.pair_id}\x00{pair.group_id}\x00{pair.doc_a}\x00{pair.doc_b}\x00\n".encode())
        return digest.hexdigest()


def load_plan(source: str | Path) -> Plan:
    """The plan for a manifest file (pair or group columns) or a folder whose sub-folders are groups."""
    source = Path(source)
    if source.is_dir():
        return plan_from_folder(source)
    rows, columns = _read_csv(source)
    if all(c in columns for c in PAIR_COLUMNS):
        return plan_from_pairs(source, rows)
    if all(c in columns for c in GROUP_COLUMNS):
        return plan_from_groups(source, rows)
    raise ManifestError(
        f"{source}: needs columns {','.join(PAIR_COLUMNS)} (pairs) or {','.join(GROUP_COLUMNS)} (groups); "
        f"found {','.join(columns) or 'none'}"
    )


def _read_csv(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    try:
        data = read_file_bytes(path, MAX_MANIFEST_BYTES, hint="split the manifest")
    except UnreadableFile as exc:
        problem = "no such manifest file or folder" if exc.problem == "no such file" else exc.problem
        raise ManifestError(f"{path}: {problem}") from None
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        columns = [c.strip() for c in reader.fieldnames or []]
        reader.fieldnames = columns
        rows = [{k: (v or "").strip() for k, v in row.items() if isinstance(k, str)} for row in reader]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ManifestError(f"{path}: not a UTF-8 CSV file ({exc})") from None
    return rows, columns


def _locate(base: Path, name: str) -> DocRef:
    """The document ``name`` relative to ``base``; refused if it resolves outside ``base``."""
    root = base.resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(root):
        return DocRef(name=name, path=None, problem=f"{name}: path leads outside the manifest's folder (refused)")
    return DocRef(name=name, path=path)


def plan_from_pairs(source: Path, rows: list[dict[str, str]]) -> Plan:
    """A ``pair_id,doc_a,doc_b`` manifest: one pair per row."""
    seen: dict[str, int] = {}
    pairs, documents = [], {}
    for line, row in enumerate(rows, start=2):
        values = [row.get(c, "") for c in PAIR_COLUMNS]
        if not all(values):
            raise ManifestError(f"{source}: line {line} has an empty {', '.join(c for c, v in zip(PAIR_COLUMNS, values) if not v)}")
        pair_id, doc_a, doc_b = values
        if pair_id in seen:
            raise ManifestError(f"{source}: duplicate pair_id {pair_id!r} on lines {seen[pair_id]} and {line}")
        seen[pair_id] = line
        for name in (doc_a, doc_b):
            documents.setdefault(name, _locate(source.parent, name))
        pairs.append(PairTask(index=len(pairs), pair_id=pair_id, group_id="", doc_a=doc_a, doc_b=doc_b))
    if not pairs:
        raise ManifestError(f"{source}: no pairs")
    return Plan(source=source, kind="pairs", pairs=tuple(pairs), documents=documents, groups={})


def plan_from_groups(source: Path, rows: list[dict[str, str]]) -> Plan:
    """A ``group_id,doc`` manifest: every pair of documents inside each group."""
    groups: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        group_id, doc = row.get("group_id", ""), row.get("doc", "")
        if not group_id or not doc:
            raise ManifestError(f"{source}: line {line} has an empty {'group_id' if not group_id else 'doc'}")
        if (group_id, doc) in seen:
            raise ManifestError(f"{source}: document {doc!r} listed twice in group {group_id!r} (lines {seen[group_id, doc]} and {line})")
        seen[group_id, doc] = line
        groups.setdefault(group_id, []).append(doc)
    return _plan_groups(source, source.parent, groups)


def plan_from_folder(folder: Path) -> Plan:
    """A folder whose sub-folders are groups of documents (.txt, .md, .html); names are relative to the folder."""
    groups: dict[str, list[str]] = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(f for f in sub.iterdir() if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES and not f.name.startswith("."))
        groups[sub.name] = [f"{sub.name}/{f.name}" for f in files]
    loose = [f.name for f in folder.iterdir() if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES]
    if loose:
        log.warning("%s: %d document(s) outside any sub-folder ignored (each sub-folder is a group)", folder, len(loose))
    if not groups:
        raise ManifestError(f"{folder}: no sub-folders; each sub-folder of documents is a group")
    return _plan_groups(folder, folder, groups)


def _plan_groups(source: Path, base: Path, groups: dict[str, list[str]]) -> Plan:
    pairs, documents = [], {}
    for group_id, docs in groups.items():
        for name in docs:
            documents.setdefault(name, _locate(base, name))
        short = _short_names(group_id, docs)
        for (doc_a, short_a), (doc_b, short_b) in itertools.combinations(zip(docs, short), 2):
            pair_id = make_pair_id(short_a, short_b, group_id)
            pairs.append(PairTask(index=len(pairs), pair_id=pair_id, group_id=group_id, doc_a=doc_a, doc_b=doc_b))
    if not pairs:
        raise ManifestError(f"{source}: no group has two documents, so there is nothing to align")
    alone = [g for g, docs in groups.items() if len(docs) < 2]
    if alone:
        log.warning("%s: %d group(s) with a single document, nothing to align there (e.g. %r)", source, len(alone), alone[0])
    return Plan(source=source, kind="groups", pairs=tuple(pairs), documents=documents, groups={g: tuple(d) for g, d in groups.items()})


def _short_names(group_id: str, docs: list[str]) -> list[str]:
    """Document names for pair ids, as ``align`` names documents: the file name without folder and suffix.

    Where that would make two documents of the group alike (``a.txt``, ``a.md``), the
    name without the group's folder, else the name as written.
    """
    prefix = f"{group_id}/"
    for short in ([Path(d).stem for d in docs], [d.removeprefix(prefix) for d in docs]):
        if len(set(short)) == len(short):
            return short
    return docs
