"""The only module that turns files, bytes or strings into :class:`Document` records."""
from __future__ import annotations

import codecs
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .errors import EmptyDocument, UnreadableFile
from .types import Document

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20_000_000  # a news article is kilobytes; refuse dumps unless raised
BINARY_SIGNATURES: dict[bytes, str] = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a zip archive (or an Office document)",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
MAX_CONTROL_SHARE = 0.01  # above this share of control characters the bytes are not text...
STRAY_CONTROLS = 8  # ...unless there are only this many: a stray NUL in a short text is replaced, not refused
READ_BLOCK = 1 << 20
# Byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)  # fmt: skip
# Without a mark, UTF-16/32 text of a Latin script shows its zero high bytes: NULs at fixed positions of each unit.
# (unit size, positions that are NUL in most units, encoding), the wider units first.
UNMARKED_WIDE: tuple[tuple[int, tuple[int, ...], str], ...] = (
    (4, (1, 2, 3), "utf-32-le"), (4, (0, 1, 2), "utf-32-be"), (2, (1,), "utf-16-le"), (2, (0,), "utf-16-be"),
)
WIDE_NUL_SHARE = 0.7  # NUL share of the zero positions (and at most 1 minus it of the others) to read the text as UTF-16/32
NODE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
              (stat.S_ISSOCK, "a socket"))  # fmt: skip
HTML_SUFFIXES = (".html", ".htm")
# "date 2023-10-26 Vladimir Putin e Xi Jinping": a scraper's header line, not content.
METADATA_LINE = re.compile(r"\A[ \t]*date[ \t]+(?P<date>\d{4}-\d{2}-\d{2})[ \t]*(?P<title>[^\n]*)(\n|\Z)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_document(path: str | Path, *, name: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> Document:
    """Read a text, Markdown, HTML, PDF or .docx file, or an ``http(s)://`` address, into a :class:`Document`.

    Raises :class:`UnreadableFile` or :class:`EmptyDocument` naming the file.
    """
    from .formats.url import fetch, is_url

    if is_url(path):
        page = fetch(str(path), max_bytes=max_bytes)
        return document_from_bytes(page.data, name=name or page.name, source=page.url, max_bytes=max_bytes, suffix=page.suffix)
    path = Path(path)
    data = read_file_bytes(path, max_bytes)
    return document_from_bytes(data, name=name or path.stem, source=str(path), max_bytes=max_bytes)


def read_file_bytes(path: str | Path, max_bytes: int = MAX_FILE_BYTES, *, hint: str = "raise it with --max-bytes") -> bytes:
    """The bytes of a regular file, at most ``max_bytes``: every file xling reads goes through here.

    Anything else (a FIFO, ``/dev/zero``, a socket) is refused before it is read,
    and never more than ``max_bytes + 1`` bytes are read, whatever size the file
    claims (``/proc`` files claim 0). Raises :class:`UnreadableFile` naming the file.
    """
    source = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile(source, "no such file") from None
    except OSError as exc:
        raise UnreadableFile(source, f"cannot be read ({exc.strerror or exc})") from None
    _check_regular(source, info)
    if info.st_size > max_bytes:
        raise UnreadableFile(source, f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,} ({hint})")
    try:
        # O_NONBLOCK: should the path become a FIFO after the check, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnreadableFile(source, f"cannot be read ({exc.strerror or exc})") from None
    try:
        _check_regular(source, os.fstat(fd))
        chunks, total = [], 0
        while total <= max_bytes:
            block = os.read(fd, min(READ_BLOCK, max_bytes + 1 - total))
            if not block:
                break
            chunks.append(block)
            total += len(block)
    except OSError as exc:
        raise UnreadableFile(source, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if total > max_bytes:
        raise UnreadableFile(source, f"file is over the limit of {max_bytes:,} bytes ({hint})")
    return b"".join(chunks)


def _check_regular(source: str, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile(source, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((label for test, label in NODE_KINDS if test(info.st_mode)), "not a regular file")
        raise UnreadableFile(source, f"is {kind}, not a regular file (refused: it could block or never end)")


def document_from_bytes(
    data: bytes, *, name: str, source: str | None = None, max_bytes: int = MAX_FILE_BYTES, suffix: str | None = None
) -> Document:
    """Decode uploaded bytes: text (UTF-8, UTF-8/16 with BOM, or cp1252 with a warning), a web page, a PDF or a .docx.

    A web page, PDF or Word file becomes the text its reader extracts (``xling.formats``); its
    offsets point into that text, and what the file says about itself goes into ``metadata``.
    ``suffix`` (``.html``...) says what the bytes are when ``source`` does not (a URL).
    """
    from . import formats

    source = source or name
    if len(data) > max_bytes:
        raise UnreadableFile(source, f"{len(data):,} bytes, over the limit of {max_bytes:,}")
    kind = formats.binary_kind(data, source)
    if kind is not None:
        found = formats.extract_binary(data, kind, source)
        return document_from_text(found.text, name=name, source=source, warnings=found.warnings, metadata=found.metadata)
    text, warnings = decode_bytes(data, source)
    if (suffix or Path(source).suffix).lower() in HTML_SUFFIXES or _looks_like_html(text):
        from .formats.html import extract_article

        found = extract_article(text, source)
        return document_from_text(found.text, name=name, source=source, warnings=warnings, metadata=found.metadata)
    return document_from_text(text, name=name, source=source, warnings=warnings)


def document_from_text(
    text: str, *, name: str, source: str | None = None, warnings: tuple[str, ...] = (), metadata: dict[str, str] | None = None
) -> Document:
    """Build a :class:`Document` from a string; newlines are normalised to ``\\n``.

    ``metadata`` (title, date, site... from a reader) is kept beside what a leading ``date`` line gives.
    """
    source = source or name
    text = normalise_newlines(text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
        warnings = (*warnings, "control characters (such as NUL) were replaced by spaces")
    if not text.strip():
        raise EmptyDocument(source, "empty document (no text, or only whitespace)")
    body_start, found = split_metadata(text)
    metadata = {**found, **(metadata or {})}
    if not text[body_start:].strip():
        raise EmptyDocument(source, "the document has a metadata line but no text")
    for warning in warnings:
        log.warning("%s: %s", source, warning)
    return Document(name=name, text=text, source=source, body_start=body_start, metadata=metadata, warnings=warnings)


def decode_bytes(data: bytes, source: str) -> tuple[str, tuple[str, ...]]:
    """Return the decoded text and the warnings the decoding deserves."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), ()
            except UnicodeDecodeError:
                raise UnreadableFile(source, f"starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableFile(source, f"binary file ({kind}), not text")
    if not data.strip():
        raise EmptyDocument(source, "empty document (no text, or only whitespace)")
    wide = _unmarked_wide(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            raise UnreadableFile(source, f"looks like {wide.upper()} without a byte-order mark, but is not valid {wide.upper()}") from None
        if _too_many(len(_CONTROL.findall(text)), len(text)):
            raise UnreadableFile(source, "binary file (control characters), not text")
        return text, (f"no byte-order mark; read as {wide.upper()} from its pattern of zero bytes",)
    if _too_many(data.count(b"\x00"), len(data)):
        raise UnreadableFile(source, "binary file (many NUL bytes), not text")
    warnings: tuple[str, ...] = ()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252") if _is_cp1252(data) else data.decode("latin-1")
        warnings = ("not valid UTF-8; read as cp1252/latin-1, check accented letters",)
    if _too_many(len(_CONTROL.findall(text)), len(text)):
        raise UnreadableFile(source, "binary file (control characters), not text")
    return text, warnings


def _too_many(controls: int, length: int) -> bool:
    """Binary, not text: more control bytes than a stray few, and more than a small share."""
    return controls > STRAY_CONTROLS and controls > length * MAX_CONTROL_SHARE


def _unmarked_wide(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the NUL bytes fall; None for anything else."""
    if b"\x00" not in data:
        return None
    for unit, zeros, encoding in UNMARKED_WIDE:
        if len(data) % unit or len(data) < 2 * unit:
            continue
        units = len(data) // unit
        share = [data[k::unit].count(0) / units for k in range(unit)]
        if all(share[k] >= WIDE_NUL_SHARE for k in zeros) and all(share[k] <= 1 - WIDE_NUL_SHARE for k in range(unit) if k not in zeros):
            return encoding
    return None


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_metadata(text: str) -> tuple[int, dict[str, str]]:
    """Find a leading ``date YYYY-MM-DD Title`` line: return where the body starts and the metadata."""
    found = METADATA_LINE.match(text)
    if not found:
        return 0, {}
    metadata = {"date": found["date"]}
    if found["title"].strip():
        metadata["title"] = found["title"].strip()
    return found.end(), metadata


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` with repeats numbered: ``["a", "a"] -> ["a", "a (2)"]``."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def distinct_names(documents: Sequence[Document]) -> list[Document]:
    """The documents, each with a name of its own (pairs and tables know a document by its name).

    Files of one name in two folders take their folder's name (``a/report``, ``b/report``) where that
    tells them apart; any other repeat is numbered (``report (2)``).
    """
    counts = Counter(d.name for d in documents)
    names = [d.name for d in documents]
    if all(n == 1 for n in counts.values()):
        return list(documents)
    for name in (n for n, k in counts.items() if k > 1):
        group = [i for i, d in enumerate(documents) if d.name == name]
        folders = [Path(documents[i].source).parent.name if documents[i].source else "" for i in group]
        if all(folders) and len(set(folders)) == len(group):
            for i, folder in zip(group, folders):
                names[i] = f"{folder}/{name}"
    names = unique_names(names)
    return [d if d.name == n else replace(d, name=n) for d, n in zip(documents, names)]
