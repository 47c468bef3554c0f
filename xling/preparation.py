"""From documents to :class:`~xling.results.Prepared` ones: language, segments with offsets, and vectors.

Each document's language is detected once; a segment's only when it looks like another language.
Then every segment is encoded in one call. Facts are read later, by the check stage, for the passages it compares.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .checks import artifacts
from .embed import Embedder
from .errors import InputError, TooManySegments, UsageError
from .langid import LangGuess, detect, segment_languages
from .results import Prepared
from .segment import segment_spans
from .types import MAX_SEGMENTS, Document, Segment, Settings

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]  # (stage: "encoding" or "aligning", share done 0..1)
PREPARED_LRU_DOCS = 256  # prepared documents a cache keeps by default, so a document met again is not re-segmented
WARN_SEGMENTS = 2_000  # a document of more segments says so: each is language-detected and encoded (about 100 a second)


def with_language(document: Document) -> Document:
    """The document with its detected language (judged on the body, not the metadata)."""
    guess = detect(document.body)
    return dataclasses.replace(document, lang=guess.lang, lang_prob=guess.prob)


def segment_document(document: Document, level: str = "sentence", *, max_segments: int = MAX_SEGMENTS) -> tuple[Segment, ...]:
    """Segments of the document body, each with its language (see :func:`langid.segment_languages`).

    The document's language (detected here if it has none) chooses the abbreviations; refused over ``max_segments``.
    """
    document, spans = _segmented(document, level, max_segments)
    return _with_languages(document, spans, _segment_guesses(document, spans))


def _segment_guesses(document: Document, spans) -> list[LangGuess]:
    """The document's language for each segment plainly in it; langdetect only for segments that look otherwise."""
    texts = [document.text[s:e] for s, e, _ in spans]
    return segment_languages(document.body, LangGuess(document.lang, document.lang_prob), texts)


def check_segments(document: Document, spans: Sequence[object], level: str, max_segments: int) -> None:
    """Refuse a document over the segment limit, and say so before the work when it is merely large."""
    if len(spans) > max_segments:
        raise TooManySegments(document.source or document.name, f"{len(spans):,} {level}s, over the limit of {max_segments:,} "
                              "(raise it with --max-segments or Settings(max_segments=...))")  # fmt: skip
    if len(spans) > WARN_SEGMENTS:
        log.warning("%s: %s %ss to detect and encode; this takes a while (about %d s)", document.source or document.name,
                    f"{len(spans):,}", level, len(spans) // 100)  # fmt: skip


def _with_languages(document: Document, spans, guesses) -> tuple[Segment, ...]:
    return tuple(
        Segment(index=k, start=s, end=e, text=document.text[s:e], lang=g.lang, lang_prob=g.prob, paragraph=para)
        for k, ((s, e, para), g) in enumerate(zip(spans, guesses))
    )


def prepare(
    documents: Sequence[Document], embedder: Embedder, level: str = "sentence", progress: Progress | None = None, *,
    repair: bool = False, max_segments: int = MAX_SEGMENTS,
) -> list[Prepared]:  # fmt: skip
    """Language, segments and vectors of each document; all segments are encoded in one call.

    Each document's language is detected first: it chooses the abbreviations the segmenter knows.
    A segment's language is detected only when it shows signs of another language
    (:func:`langid.segment_languages`); the others take their document's. This runs before the
    encoder, not beside it: a Python thread next to an encoder that uses every core and takes the
    GIL between its numpy calls (USE) slowed the encoder by more than the thread's own work.
    With ``repair``, the encoder reads each segment with its glued words split
    ("Putinthe" -> "Putin the"); the segments keep the original text and offsets.
    A document of more than ``max_segments`` segments raises :class:`TooManySegments`
    before anything is encoded. Each :class:`Prepared` names the encoder (``embedder.model_id``).
    """
    documents = as_documents(documents, "prepare")
    segmented = [_segmented(d, level, max_segments) for d in documents]
    return _encoded(segmented, embedder, repair, progress)


def _segmented(document: Document, level: str, max_segments: int) -> tuple[Document, list[tuple[int, int, int]]]:
    """The document with its language (which chooses the abbreviations) and its segments' spans, checked against the limit."""
    doc = document if document.lang_prob else with_language(document)
    spans = segment_spans(doc.text, level, doc.body_start, doc.lang)  # type: ignore[arg-type]
    check_segments(doc, spans, level, max_segments)
    return doc, spans


def _encoded(segmented: Sequence[tuple[Document, list[tuple[int, int, int]]]], embedder: Embedder, repair: bool,
             progress: Progress | None) -> list[Prepared]:  # fmt: skip
    """Every segment's language, then every segment of the documents encoded in one call."""
    docs, spans = [d for d, _ in segmented], [sp for _, sp in segmented]
    texts = [d.text[s:e] for d, doc_spans in segmented for s, e, _ in doc_spans]
    encoded = _repaired(docs, spans) if repair else texts
    all_guesses = [g for doc, doc_spans in zip(docs, spans) for g in _segment_guesses(doc, doc_spans)]
    if progress:
        progress("encoding", 0.0)
    vectors = embedder.encode(encoded)
    if progress:
        progress("encoding", 1.0)
    out, start = [], 0
    for doc, doc_spans in zip(docs, spans):
        segments = _with_languages(doc, doc_spans, all_guesses[start : start + len(doc_spans)])
        out.append(Prepared(document=doc, segments=segments, embeddings=vectors[start : start + len(doc_spans)], model_id=embedder.model_id))
        start += len(doc_spans)
    return out


def text_digest(document: Document) -> str:
    """What a document's segments and vectors depend on besides the settings: its decoded text."""
    return hashlib.blake2b(document.text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class PreparedCache:
    """The last prepared documents of this process (bounded, shared by threads): a document met again with the
    same model, level and repair is neither segmented nor encoded. ``size=0`` keeps nothing."""

    def __init__(self, size: int = PREPARED_LRU_DOCS) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, ...], Prepared] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(document: Document, settings: Settings, model_id: str) -> tuple[str, ...]:
        return (document.name, document.source, str(document.body_start), text_digest(document), settings.level,
                str(settings.repair), model_id)  # fmt: skip

    def get(self, key: tuple[str, ...]) -> Prepared | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], prepared: Prepared) -> None:
        with self._lock:
            self._items[key] = prepared
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass(frozen=True, kw_only=True)
class Preparation:
    """What :func:`prepare_each` made of some documents."""

    prepared: tuple[Prepared, ...]  # the documents that could be prepared, in the order given
    problems: dict[str, InputError]  # document name -> why it could not be (over the segment limit)
    fresh_segments: int = 0  # segments that had to be prepared (not found in the cache)


def prepare_each(
    documents: Sequence[Document], embedder: Embedder, settings: Settings, *, cache: PreparedCache | None = None,
    keep_going: bool = True, progress: Progress | None = None,
) -> Preparation:  # fmt: skip
    """Each document prepared on its own: from ``cache`` when it was before, else as :func:`prepare` does, the
    missing ones encoded in one call. A document that cannot be used is a problem of its own (the others go on);
    with ``keep_going=False`` it raises before anything is encoded.
    """
    documents = as_documents(documents, "prepare")
    cache = cache if cache is not None else PreparedCache(0)
    keys = [cache.key(d, settings, embedder.model_id) for d in documents]
    found: dict[int, Prepared] = {i: p for i, key in enumerate(keys) if (p := cache.get(key)) is not None}
    todo, problems = [], {}
    for i, document in enumerate(documents):
        if i in found:
            continue
        try:
            todo.append((i, _segmented(document, settings.level, settings.max_segments)))
        except InputError as exc:
            if not keep_going:
                raise
            problems[document.name] = exc
    fresh = _encoded([item for _, item in todo], embedder, settings.repair, progress) if todo else []
    for (i, _), prepared in zip(todo, fresh):
        cache.put(keys[i], prepared)
        found[i] = prepared
    return Preparation(prepared=tuple(found[i] for i in sorted(found)), problems=problems,
                       fresh_segments=sum(len(p.segments) for p in fresh))  # fmt: skip


def _repaired(docs: Sequence[Document], spans: Sequence[list[tuple[int, int, int]]]) -> list[str]:
    """Every segment's text with the document's glued words split, for the encoder only."""
    out = []
    for doc, doc_spans in zip(docs, spans):
        glued = artifacts.glued_words(doc.text, doc.lang)
        out.extend(artifacts.repair(doc.text[s:e], glued, offset=s) for s, e, _ in doc_spans)
    return out


def as_documents(documents: Iterable[Document], caller: str) -> list[Document]:
    """The documents as a list (a generator works too); anything else is a :class:`UsageError` saying what to pass."""
    if isinstance(documents, (str, bytes, Path, Document)):
        raise UsageError(f"{caller}() takes a list of Documents, not a single {type(documents).__name__}")
    try:
        items = list(documents)
    except TypeError:
        raise UsageError(f"{caller}() takes a list of Documents, not {type(documents).__name__}") from None
    for item in items:
        if isinstance(item, (str, Path)):
            raise UsageError(f"{caller}() takes Documents, not paths or strings ({str(item)[:60]!r}): "
                             "read a file with xling.read_document(path), a string with xling.document_from_text(text, name=...)")  # fmt: skip
        if not isinstance(item, Document):
            raise UsageError(f"{caller}() takes Documents, not {type(item).__name__}")
    return items
