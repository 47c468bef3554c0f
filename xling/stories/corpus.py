"""The documents of a stories run: files found under the inputs, each named by its path relative to its input folder.

Nothing is read here beyond directory listings; a file that cannot be used is
found out when it is read (:func:`read_entry`) and skipped with its reason.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, XlingError
from ..io import read_document
from ..batch.manifest import DOCUMENT_SUFFIXES
from ..types import Document

FOLDER_SUFFIXES = (*DOCUMENT_SUFFIXES, ".markdown", ".text")  # what a folder is searched for: every format xling reads


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A document of the corpus: its name in every output (``doc``) and its file."""

    doc: str
    path: Path
    site: str = ""  # the outlet: the first folder under the input folder, when there is one


class NoDocuments(XlingError):
    """The inputs hold no document to read."""


def discover(inputs: list[str | Path]) -> list[Entry]:
    """Every document under ``inputs`` (folders searched recursively, hidden ones skipped), in a stable order.

    ``doc`` is the path relative to its input folder (``outlet/article.txt``), or
    the path as given for a file named directly; a name two inputs share gets its
    input folder's name in front. A missing input raises :class:`InputError`.
    """
    found: list[Entry] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for file in sorted(_files(path)):
                rel = file.relative_to(path)
                found.append(Entry(doc=rel.as_posix(), path=file, site=rel.parts[0] if len(rel.parts) > 1 else ""))
        elif path.exists():
            found.append(Entry(doc=str(given), path=path))
        else:
            raise InputError(str(given), "no such file or folder")
    if not found:
        raise NoDocuments(f"no documents ({', '.join(FOLDER_SUFFIXES)}) under {', '.join(map(str, inputs))}")
    return _distinct(found, inputs)


def _files(folder: Path):
    for file in folder.rglob("*"):
        rel = file.relative_to(folder)
        if file.is_file() and file.suffix.lower() in FOLDER_SUFFIXES and not any(p.startswith(".") for p in rel.parts):
            yield file


def _distinct(entries: list[Entry], inputs: list[str | Path]) -> list[Entry]:
    """Names that two inputs share get their input folder in front; the same file given twice is kept once."""
    seen_paths: set[Path] = set()
    unique = []
    for entry in entries:
        resolved = entry.path.resolve()
        if resolved not in seen_paths:
            seen_paths.add(resolved)
            unique.append(entry)
    counts: dict[str, int] = {}
    for entry in unique:
        counts[entry.doc] = counts.get(entry.doc, 0) + 1
    out, taken = [], set()
    for entry in unique:
        doc = entry.doc
        if counts[doc] > 1:
            folder = next((Path(i) for i in inputs if Path(i).is_dir() and entry.path.is_relative_to(Path(i))), entry.path.parent)
            doc = f"{folder.name}/{doc}"
        base, number = doc, 2
        while doc in taken:
            doc, number = f"{base}#{number}", number + 1
        taken.add(doc)
        out.append(Entry(doc=doc, path=entry.path, site=entry.site))
    return out


def read_entry(entry: Entry, max_bytes: int) -> Document:
    """The document, with title, site and date in its metadata where the file says them (raises :class:`InputError`)."""
    document = read_document(entry.path, name=entry.doc, max_bytes=max_bytes)
    metadata = dict(document.metadata)  # a web page's title, site and date, as its reader found them
    if entry.site and "site" not in metadata:
        metadata["site"] = entry.site
    return Document(name=document.name, text=document.text, source=document.source, body_start=document.body_start,
                    metadata=metadata, warnings=document.warnings)  # fmt: skip


def text_digest(text: str) -> str:
    """Identifies a document's text: a file changed between two steps of a run is caught."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
