"""compare(documents, embedder, settings): the one place that runs every step.

load -> language -> segment -> embed -> align -> coverage -> table
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import align as align_mod
from .checks import artifacts, discrepancies, facts
from . import coverage as coverage_mod
from .embed.calibration import PairParams, calibration_for, detect_profile, resolve
from .embed import Embedder, get_embedder
from .errors import InputError, ModelMismatch, SettingsError, TooManyPairs, TooManySegments, UsageError, XlingError
from .export import COLUMNS, METADATA_COLUMNS, empty_table, normalise_table
from .langid import LangGuess, detect, segment_languages
from .segment import content_tokens, segment_spans
from .types import MAX_SEGMENTS, UNKNOWN_LANG, Bead, Coverage, Document, Link, Segment, Settings, pair_count, pair_id

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]  # (stage: "encoding" or "aligning", share done 0..1)
WARN_PAIRS = 10  # from this many pairs a comparison says, before the work, how many it will align
PREPARED_LRU_DOCS = 256  # prepared documents a cache keeps by default, so a document met again is not re-segmented
WARN_SEGMENTS = 2_000  # a document of more segments says so: each is language-detected and encoded (about 100 a second)


@dataclass(frozen=True, kw_only=True)
class Prepared:
    """A document with its language, its segments and their vectors ``(len(segments), dim)``.

    ``model_id`` names the encoder that made the vectors: a pair is aligned with that encoder's calibration.
    """

    document: Document
    segments: tuple[Segment, ...]
    embeddings: np.ndarray = field(repr=False, compare=False)
    model_id: str

    @property
    def name(self) -> str:
        return self.document.name


@dataclass(frozen=True, kw_only=True)
class PairResult:
    """The alignment of two prepared documents."""

    pair_id: str
    a: Prepared
    b: Prepared
    links: tuple[Link, ...]
    similarity: np.ndarray = field(repr=False, compare=False)  # (len(a.segments), len(b.segments)) cosines
    params: PairParams  # every parameter the pair was aligned with, none left open
    # the check stage's output for these links: made at construction (so also by dataclasses.replace and
    # :func:`relinked`), never passed in, so it cannot describe other links than the pair's own
    checks: discrepancies.PairChecks = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks", check(self))

    @property
    def profile(self) -> str:
        """``translation`` or ``comparable``: the calibration this pair was aligned with."""
        return self.params.profile

    @property
    def beads(self) -> tuple[Bead, ...]:
        """The links grouped into beads: segments joined by links, directly or through each other, form one bead.

        In order of their first segment of A.
        """
        return group_beads(self.links)

    def all_beads(self) -> list[Bead]:
        """The linked beads, then every unlinked segment of A and of B as a bead of its own (a deletion)."""
        return [*self.beads, *(Bead(a=(i,), b=()) for i in self.unique_a), *(Bead(a=(), b=(j,)) for j in self.unique_b)]

    @property
    def unique_a(self) -> list[int]:
        linked = {link.a for link in self.links}
        return [s.index for s in self.a.segments if s.index not in linked]

    @property
    def unique_b(self) -> list[int]:
        linked = {link.b for link in self.links}
        return [s.index for s in self.b.segments if s.index not in linked]

    @property
    def coverage_a(self) -> Coverage:
        return coverage_mod.coverage(self.a.segments, (link.a for link in self.links))

    @property
    def coverage_b(self) -> Coverage:
        return coverage_mod.coverage(self.b.segments, (link.b for link in self.links))

    def rows(self) -> list[dict[str, object]]:
        """Contract rows: links and unique_a in ``a`` order, then unique_b in ``b`` order.

        A projection of the records: a link's row carries its bead's number and its
        differences (:attr:`checks`); a unique passage's row names the closest passage
        of the other document by margin score, and its conflicts with the closest by cosine.
        """
        a_seg, b_seg = self.a.segments, self.b.segments
        rows: list[tuple[tuple[int, int], dict[str, object]]] = []
        for number, bead in enumerate(self.beads):
            for link in bead.links:
                cell = discrepancies.to_cell(self.checks.of_link(link.a, link.b))
                row = self._row(a_seg[link.a], b_seg[link.b], link.similarity, link.score, link.status, cell)
                rows.append(((link.a, link.b), row | {"bead": number}))
        for i in self.unique_a:
            rows.append(((i, -1), self._unique_row(i, "a")))
        ordered = [row for _, row in sorted(rows, key=lambda item: item[0])]
        ordered += [self._unique_row(j, "b") for j in self.unique_b]
        return ordered

    def _row(self, sa: Segment | None, sb: Segment | None, sim: float | None, score: float | None, status: str,
             cell: str) -> dict[str, object]:  # fmt: skip
        def side(seg: Segment | None, prefix: str) -> dict[str, object]:
            if seg is None:
                return {f"{prefix}_{k}": None for k in ("index", "start", "end", "text", "lang")}
            return {f"{prefix}_index": seg.index, f"{prefix}_start": seg.start, f"{prefix}_end": seg.end,
                    f"{prefix}_text": seg.text, f"{prefix}_lang": seg.lang}  # fmt: skip

        return {"pair_id": self.pair_id, "doc_a": self.a.name, "doc_b": self.b.name, **side(sa, "a"), **side(sb, "b"),
                "similarity": sim, "score": score, "status": status, "discrepancies": cell,
                **self._metadata}  # fmt: skip

    @property
    def _metadata(self) -> dict[str, str]:
        """The metadata columns (``doc_a_title``...): what each document's file says about itself."""
        docs = {"a": self.a.document, "b": self.b.document}
        return {column: docs[column[4]].metadata.get(column[len("doc_a_"):], "") for column in METADATA_COLUMNS}

    def _unique_row(self, index: int, side: str) -> dict[str, object]:
        """A passage no one links, with the closest passage of the other document (and its conflicts with it)."""
        seg = self.a.segments[index] if side == "a" else self.b.segments[index]
        closest = self.checks.closest(side, index)
        cell = discrepancies.to_cell(closest.conflicts, closest=closest.index) if closest is not None else ""
        best = self.nearest(index, side)
        row = self._row(seg if side == "a" else None, seg if side == "b" else None, None, None, f"unique_{side}", cell)
        return row | {"closest": best[0] if best else None, "closest_score": best[1] if best else None}

    def nearest(self, index: int, side: str) -> tuple[int, float] | None:
        """The other document's passage with the best margin score against segment ``index``, and that score.

        The score is on the scale of ``params.threshold``: how near the call came to a link.
        """
        row_knn, col_knn = self._neighbourhoods
        if side == "a":
            if not len(col_knn):
                return None
            scores = align_mod.margin_from(self.similarity[index : index + 1], row_knn[index : index + 1], col_knn)[0]
        else:
            if not len(row_knn):
                return None
            scores = align_mod.margin_from(self.similarity[:, index : index + 1], row_knn, col_knn[index : index + 1])[:, 0]
        best = int(np.argmax(scores))
        return best, float(scores[best])

    @functools.cached_property
    def _neighbourhoods(self) -> tuple[np.ndarray, np.ndarray]:
        return align_mod.neighbourhoods(self.similarity, self.params.neighbours)

    def to_dataframe(self) -> pd.DataFrame:
        rows = self.rows()
        return normalise_table(pd.DataFrame(rows, columns=list(COLUMNS + METADATA_COLUMNS))) if rows else empty_table()


def relinked(pair: PairResult, links: Sequence[Link]) -> PairResult:
    """``pair`` with other links (a human's corrections): every record derived from the links is made again.

    The one way to change a result's links, so the table of a corrected pair is projected by the
    same rules (row order, beads, discrepancy checks, closest passages) as the model's own.
    """
    return dataclasses.replace(pair, links=tuple(links))  # ``checks`` is made anew from these links (__post_init__)


def check(pair: PairResult) -> discrepancies.PairChecks:
    """The check stage of a pair: what its links' passages disagree on, and each unlinked passage's closest passage.

    Between translations every fact one side lacks counts; between independent reports (the
    comparable profile) only contradicting values do. Each segment is read in its own language,
    or its document's when it is too short to judge.
    """
    floor = pair.params.min_similarity
    return discrepancies.check_pair(
        pair.a.segments, pair.b.segments, langs_a=[_lang(s, pair.a) for s in pair.a.segments],
        langs_b=[_lang(s, pair.b) for s in pair.b.segments], beads=pair.beads, unique_a=pair.unique_a, unique_b=pair.unique_b,
        similarity=pair.similarity, floor=floor, comparable=pair.profile == "comparable",
    )  # fmt: skip


def group_beads(links: Sequence[Link]) -> tuple[Bead, ...]:
    """Connected components of the bipartite graph the links make, in order of their first segment of A."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        ra, rb = find(("a", link.a)), find(("b", link.b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[tuple[str, int], list[Link]] = {}
    for link in links:
        groups.setdefault(find(("a", link.a)), []).append(link)
    beads = [
        Bead(a=tuple(sorted({k.a for k in group})), b=tuple(sorted({k.b for k in group})), links=tuple(sorted(group, key=lambda k: (k.a, k.b))))
        for group in groups.values()
    ]
    return tuple(sorted(beads, key=lambda bead: (bead.a[0], bead.b[0])))


def _lang(segment: Segment, prepared: Prepared) -> str:
    """The segment's language, or its document's when the segment is too short to judge."""
    return segment.lang if segment.lang != UNKNOWN_LANG else prepared.document.lang


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Every pair of a set of documents, aligned with one set of settings."""

    documents: tuple[Prepared, ...]
    pairs: tuple[PairResult, ...]
    settings: Settings  # what was asked; each pair's ``params`` hold what it was aligned with

    @property
    def model_id(self) -> str:
        """The encoder that made every document's vectors."""
        return self.documents[0].model_id if self.documents else ""

    def to_dataframe(self) -> pd.DataFrame:
        """The contract table of every pair, one call (the rows of all pairs typed once, not pair by pair)."""
        rows = [row for pair in self.pairs for row in pair.rows()]
        return normalise_table(pd.DataFrame(rows, columns=list(COLUMNS + METADATA_COLUMNS))) if rows else empty_table()

    def coverage(self, index: int) -> Coverage:
        """How much of document ``index`` at least one other document covers."""
        covered: set[int] = set()
        for pair in self.pairs:
            if pair.a is self.documents[index]:
                covered.update(link.a for link in pair.links)
            elif pair.b is self.documents[index]:
                covered.update(link.b for link in pair.links)
        return coverage_mod.coverage(self.documents[index].segments, covered)

    def carriers(self, index: int) -> list[tuple[str, ...]]:
        """For each segment of document ``index``, the other documents that cover it."""
        target = self.documents[index]
        covered_by: dict[str, set[int]] = {}
        for pair in self.pairs:
            if pair.a is target:
                covered_by.setdefault(pair.b.name, set()).update(link.a for link in pair.links)
            elif pair.b is target:
                covered_by.setdefault(pair.a.name, set()).update(link.b for link in pair.links)
        return coverage_mod.carriers(len(target.segments), covered_by)

    def coverage_matrix(self) -> pd.DataFrame:
        """``res.loc[x, y]``: share of document x's characters that document y covers."""
        names = [d.name for d in self.documents]
        matrix = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
        for pair in self.pairs:
            matrix.loc[pair.a.name, pair.b.name] = pair.coverage_a.char_share
            matrix.loc[pair.b.name, pair.a.name] = pair.coverage_b.char_share
        return matrix


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


def _languages(documents: Sequence[Document], spans) -> tuple[list[Document], list[LangGuess]]:
    """Each document with its language (detected once, unless known) and every segment's language, in order."""
    docs = [d if d.lang_prob else with_language(d) for d in documents]
    guesses = [g for doc, doc_spans in zip(docs, spans) for g in _segment_guesses(doc, doc_spans)]
    # what the table's discrepancies will need: read now, while the encoder still works
    facts.warm(_passages(docs, spans, guesses))
    return docs, guesses


def _passages(docs: Sequence[Document], spans, guesses: Sequence[LangGuess]) -> list[tuple[str, str]]:
    """Each segment's text with the language its facts are read in (its own, else its document's)."""
    out, k = [], 0
    for doc, doc_spans in zip(docs, spans):
        for s, e, _ in doc_spans:
            lang = guesses[k].lang
            out.append((doc.text[s:e], lang if lang != UNKNOWN_LANG else doc.lang))
            k += 1
    return out


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
    Segment languages are detected in a thread while the encoder runs (the encoders work
    outside the GIL, so the two overlap instead of adding up): a segment's only when it
    shows signs of another language (:func:`langid.segment_languages`); the others take
    their document's.
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
    """Every segment of the documents encoded in one call, while a thread detects the segments' languages."""
    docs, spans = [d for d, _ in segmented], [sp for _, sp in segmented]
    texts = [d.text[s:e] for d, doc_spans in segmented for s, e, _ in doc_spans]
    encoded = _repaired(docs, spans) if repair else texts
    if progress:
        progress("encoding", 0.0)
    with ThreadPoolExecutor(max_workers=1) as pool:
        languages = pool.submit(_languages, docs, spans)
        vectors = embedder.encode(encoded)
        docs, all_guesses = languages.result()
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


def default_pair_id(a: Document, b: Document) -> str:
    return pair_id(a.name, b.name)


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


def check_pairs(documents: int, settings: Settings, *, announce: bool = True) -> None:
    """Refuse more pairs than ``settings.max_pairs`` before any work; ``announce`` a large comparison (a warning)."""
    pairs = pair_count(documents)
    if pairs > settings.max_pairs:
        raise TooManyPairs(f"{documents} documents make {pairs:,} pairs to align, over the limit of {settings.max_pairs:,} "
                           "(raise it with --max-pairs or Settings(max_pairs=...), or align chosen pairs with xling batch)")  # fmt: skip
    if announce and pairs >= WARN_PAIRS:
        log.warning("%d documents make %s pairs to align (every pair is aligned); this takes a while", documents, f"{pairs:,}")


def model_of(documents: Sequence[Prepared]) -> str:
    """The encoder that made the documents' vectors; documents encoded by different ones are refused."""
    models = dict.fromkeys(p.model_id for p in documents)
    if len(models) > 1:
        made = ", ".join(f"{p.name!r} by {p.model_id!r}" for p in documents)
        raise ModelMismatch(f"the documents were encoded by different models ({made}): vectors of two models cannot be "
                            "aligned; prepare them all with one embedder")  # fmt: skip
    return next(iter(models), "")


def resolve_pair(a: Prepared, b: Prepared, settings: Settings, sim: np.ndarray | None = None) -> PairParams:
    """The parameters the pair will be aligned with: ``settings``, with what they leave ``None`` taken from the
    calibration of the encoder that made the vectors, in the profile ``settings`` name or the pair's own (``auto``).

    ``sim``: the pair's plain cosine matrix, when already made.
    """
    model_id = model_of((a, b))
    profile = settings.profile
    if profile == "auto":
        sim = align_mod.similarity_matrix(a.embeddings, b.embeddings) if sim is None else sim
        profile = detect_profile(align_mod.margin_scores(sim, settings.neighbours), calibration_for(model_id))
    return resolve(settings, model_id, profile)


def pair_similarity(a: Prepared, b: Prepared, params: PairParams) -> np.ndarray:
    """The cosine matrix a pair is aligned on: an ensemble's comparable member for independent reports, else all of it."""
    if params.part is not None:
        return align_mod.part_similarity(a.embeddings, b.embeddings, params.part)
    return align_mod.similarity_matrix(a.embeddings, b.embeddings)


def align_pair(a: Prepared, b: Prepared, settings: Settings, pair_id: str | None = None) -> PairResult:
    """Align two prepared documents (no encoding happens here), with the calibration of the encoder that made them.

    Between translations an unlinked segment may join its neighbour's link
    (``align.neighbour_merges``: a many-to-one link); with an ensemble whose
    calibration names a ``comparable_part``, independent reports are aligned on
    that member alone. Documents encoded by two models raise :class:`ModelMismatch`.
    """
    plain = align_mod.similarity_matrix(a.embeddings, b.embeddings)
    params = resolve_pair(a, b, settings, plain)
    sim = plain if params.part is None else pair_similarity(a, b, params)
    tokens_a = [content_tokens(s.text) for s in a.segments]
    tokens_b = [content_tokens(s.text) for s in b.segments]
    lexical = align_mod.lexical_similarity(tokens_a, tokens_b) if params.lexical_weight else None
    anchors = align_mod.anchor_counts(tokens_a, tokens_b) if params.anchor_weight else None
    links = align_mod.align(
        a.embeddings, b.embeddings, sim=sim, threshold=params.threshold, match_threshold=params.match_threshold,
        extra_threshold=params.extra_threshold, neighbours=params.neighbours, min_similarity=params.min_similarity,
        lexical=lexical, lexical_weight=params.lexical_weight, anchors=anchors, anchor_weight=params.anchor_weight,
        merge_neighbours=params.profile == "translation", lengths=_lengths(a, b), beads=params.beads,
    )  # fmt: skip
    return PairResult(pair_id=pair_id or default_pair_id(a.document, b.document), a=a, b=b, links=tuple(links),
                      similarity=sim, params=params)  # fmt: skip


def _lengths(a: Prepared, b: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Each segment's length in characters, for the bead DP's length agreement."""
    return np.array([len(s) for s in a.segments], dtype=np.float64), np.array([len(s) for s in b.segments], dtype=np.float64)


def compare(
    documents: Sequence[Document],
    embedder: Embedder | None = None,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
) -> Comparison:
    """Align every pair of ``documents`` (2 or more; any iterable of :class:`Document`).

    More than ``settings.max_pairs`` pairs raise :class:`TooManyPairs` before anything is read or encoded;
    a document that cannot be used raises before anything is encoded.
    """
    settings = settings or Settings()
    if not isinstance(settings, Settings):
        raise UsageError(f"compare() takes xling.Settings as its settings, not {type(settings).__name__}")
    documents = as_documents(documents, "compare")
    if len(documents) < 2:
        raise XlingError(f"need at least two documents to compare, got {len(documents)}")
    check_pairs(len(documents), settings)
    return run(documents, embedder or get_embedder(settings.model), settings, progress=progress).comparison()


def realign(prepared: Sequence[Prepared] | Comparison, settings: Settings, *, progress: Progress | None = None) -> Comparison:
    """Align again with new settings, reusing the vectors: no model, no encoding.

    Values left ``None`` take, per pair, the calibrated defaults of the encoder
    that made the vectors (each :class:`Prepared` names it). Settings naming
    another model than the comparison's raise :class:`SettingsError`, and
    documents encoded by different models :class:`ModelMismatch`.
    """
    if not isinstance(settings, Settings):
        raise UsageError(f"realign() takes xling.Settings, not {type(settings).__name__}")
    if isinstance(prepared, Comparison):
        _check_same_model(prepared, settings)
        docs = prepared.documents
    else:
        docs = tuple(prepared)
        if not all(isinstance(d, Prepared) for d in docs):
            raise UsageError("realign() takes a Comparison or the Prepared documents of xling.prepare(), "
                             "not Documents: use xling.compare() for those")  # fmt: skip
    check_pairs(len(docs), settings, announce=False)
    return run(docs, None, settings, progress=progress).comparison()


@dataclass(frozen=True, kw_only=True)
class PairRequest:
    """A pair to align: its id and the names of its two documents."""

    pair_id: str
    a: str
    b: str


@dataclass(frozen=True, kw_only=True)
class Run:
    """What :func:`run` made: the prepared documents, the aligned pairs, and what could not be done, and why."""

    settings: Settings
    documents: tuple[Prepared, ...]
    pairs: tuple[PairResult, ...]  # in the order asked
    problems: dict[str, InputError] = field(default_factory=dict)  # document name -> why it could not be prepared
    failed: dict[str, Exception] = field(default_factory=dict)  # pair id -> why it was not aligned
    fresh_segments: int = 0  # segments prepared afresh (not given prepared, not found in the cache)

    def comparison(self) -> Comparison:
        return Comparison(documents=self.documents, pairs=self.pairs, settings=self.settings)


PAIR_ERRORS = (XlingError, ValueError, ArithmeticError)  # what fails one pair of a run that keeps going, not the run


def run(
    documents: Sequence[Document | Prepared], embedder: Embedder | None, settings: Settings, *,
    pairs: Sequence[PairRequest] | None = None, cache: PreparedCache | None = None, keep_going: bool = False,
    progress: Progress | None = None,
) -> Run:  # fmt: skip
    """The one orchestrator: prepare the documents (those given prepared as they are; the others through
    ``cache`` and :func:`prepare_each`, one encode call), then align ``pairs`` (by default every pair, in order).

    ``keep_going``: a document that cannot be prepared and a pair that cannot be aligned are recorded in
    ``problems`` and ``failed`` and the others go on (batch, the dashboard); else the first one raises,
    a document's before anything is encoded (the library, the CLI). An error of the encoder always raises.
    """
    fresh = [d for d in documents if not isinstance(d, Prepared)]
    if fresh and embedder is None:
        raise UsageError("run() needs an embedder for Documents that are not prepared")
    preparation = prepare_each(fresh, embedder, settings, cache=cache, keep_going=keep_going, progress=progress) if fresh else None
    made = iter(preparation.prepared if preparation else ())
    problems = preparation.problems if preparation else {}
    docs = tuple(d if isinstance(d, Prepared) else next(made) for d in documents
                 if isinstance(d, Prepared) or d.name not in problems)  # fmt: skip
    model_of(docs)  # documents of two models: every pair would refuse them, so say it once
    by_name = {d.name: d for d in docs}
    requests = pairs if pairs is not None else [PairRequest(pair_id=default_pair_id(a.document, b.document), a=a.name, b=b.name)
                                                for a, b in itertools.combinations(docs, 2)]  # fmt: skip
    results, failed = [], {}
    for done, request in enumerate(requests, 1):
        missing = [problems[name] for name in (request.a, request.b) if name in problems]
        try:
            if missing:
                raise missing[0]
            results.append(align_pair(by_name[request.a], by_name[request.b], settings, request.pair_id))
        except PAIR_ERRORS as exc:
            if not keep_going:
                raise
            log.info("pair %s failed: %s", request.pair_id, exc)
            failed[request.pair_id] = exc
        if progress and len(requests) > 1:
            progress("aligning", done / len(requests))
    return Run(settings=settings, documents=docs, pairs=tuple(results), problems=problems, failed=failed,
               fresh_segments=preparation.fresh_segments if preparation else 0)  # fmt: skip


def _check_same_model(comparison: Comparison, settings: Settings) -> None:
    if settings.model != comparison.settings.model:
        raise SettingsError(f"these settings name the model {settings.model!r}, but the comparison was made with "
                            f"{comparison.settings.model!r}: realign changes thresholds only; run compare() again for another "
                            "model, or start from the comparison's own: dataclasses.replace(comparison.settings, threshold=...)")  # fmt: skip
