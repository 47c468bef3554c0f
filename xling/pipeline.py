"""compare(documents, embedder, settings): the one place that runs every step.

load -> language -> segment -> embed -> align -> coverage -> table
"""
from __future__ import annotations

import dataclasses
import itertools
import logging
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import align as align_mod
from . import artifacts
from . import coverage as coverage_mod
from . import facts
from .calibration import calibration_for, detect_profile, resolve
from .embed import Embedder, get_embedder
from .errors import TooManySegments, XlingError
from .export import COLUMNS, empty_table, normalise_table
from .langid import LangGuess, detect, segment_languages
from .segment import content_tokens, segment_spans
from .types import MAX_SEGMENTS, UNKNOWN_LANG, Coverage, Document, Link, Segment, Settings

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]


@dataclass(frozen=True, kw_only=True)
class Prepared:
    """A document with its language, its segments and their vectors ``(len(segments), dim)``."""

    document: Document
    segments: tuple[Segment, ...]
    embeddings: np.ndarray = field(repr=False, compare=False)

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
    profile: str = ""  # "translation" or "comparable": the calibration this pair was aligned with
    settings: Settings | None = None  # every value resolved

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
        """Contract rows: links and unique_a in ``a`` order, then unique_b in ``b`` order."""
        a_seg, b_seg = self.a.segments, self.b.segments
        rows: list[tuple[tuple[int, int], dict[str, object]]] = []
        for link in self.links:
            rows.append(((link.a, link.b), self._row(a_seg[link.a], b_seg[link.b], link.similarity, link.score, link.status)))
        for i in self.unique_a:
            rows.append(((i, -1), self._row(a_seg[i], None, None, None, "unique_a")))
        ordered = [row for _, row in sorted(rows, key=lambda item: item[0])]
        ordered += [self._row(None, b_seg[j], None, None, "unique_b") for j in self.unique_b]
        return ordered

    def _row(self, sa: Segment | None, sb: Segment | None, sim: float | None, score: float | None, status: str) -> dict[str, object]:
        def side(seg: Segment | None, prefix: str) -> dict[str, object]:
            if seg is None:
                return {f"{prefix}_{k}": None for k in ("index", "start", "end", "text", "lang")}
            return {f"{prefix}_index": seg.index, f"{prefix}_start": seg.start, f"{prefix}_end": seg.end,
                    f"{prefix}_text": seg.text, f"{prefix}_lang": seg.lang}  # fmt: skip

        return {"pair_id": self.pair_id, "doc_a": self.a.name, "doc_b": self.b.name, **side(sa, "a"), **side(sb, "b"),
                "similarity": sim, "score": score, "status": status,
                "discrepancies": self._discrepancies(sa, sb)}  # fmt: skip

    def _discrepancies(self, sa: Segment | None, sb: Segment | None) -> str:
        """The table cell: a link's differences, or a unique passage's conflicts with the closest passage."""
        if sa is not None and sb is not None:
            return facts.to_json(self.differences(sa, sb))
        return self._closest_conflicts(sa.index, "a") if sa is not None else self._closest_conflicts(sb.index, "b")  # type: ignore[union-attr]

    def differences(self, sa: Segment, sb: Segment) -> list[facts.Difference]:
        """The checkable facts (numbers, dates, names, quotes) two linked passages disagree on.

        Between translations every fact one side lacks counts; between independent
        reports (the comparable profile) only contradicting values do (:func:`facts.conflicts`).
        """
        found = self._compare(sa, sb)
        return facts.conflicts(found) if self.profile == "comparable" else found

    def _compare(self, sa: Segment, sb: Segment) -> list[facts.Difference]:
        return facts.compare_facts(sa.text, _lang(sa, self.a), sb.text, _lang(sb, self.b))

    def closest(self, index: int, side: str) -> int | None:
        """The other document's passage most like segment ``index`` of ``side`` ("a" or "b"), if over the cosine floor."""
        row = self.similarity[index] if side == "a" else self.similarity[:, index]
        if row.size == 0:
            return None
        best = int(np.argmax(row))
        floor = self.settings.min_similarity if self.settings and self.settings.min_similarity is not None else 0.0
        return best if row[best] >= floor else None

    def _closest_conflicts(self, index: int, side: str) -> str:
        """A passage no one links may still contradict the passage closest to it ("$190 billion" vs "$200 billion")."""
        other = self.closest(index, side)
        if other is None:
            return ""
        sa, sb = (self.a.segments[index], self.b.segments[other]) if side == "a" else (self.a.segments[other], self.b.segments[index])
        return facts.to_json(facts.conflicts(self._compare(sa, sb)), closest=other)

    def to_dataframe(self) -> pd.DataFrame:
        rows = self.rows()
        return normalise_table(pd.DataFrame(rows, columns=list(COLUMNS))) if rows else empty_table()


def _lang(segment: Segment, prepared: Prepared) -> str:
    """The segment's language, or its document's when the segment is too short to judge."""
    return segment.lang if segment.lang != UNKNOWN_LANG else prepared.document.lang


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """Every pair of a set of documents, aligned with one set of settings."""

    documents: tuple[Prepared, ...]
    pairs: tuple[PairResult, ...]
    settings: Settings
    model_id: str = ""

    def to_dataframe(self) -> pd.DataFrame:
        """The contract table of every pair, one call (the rows of all pairs typed once, not pair by pair)."""
        rows = [row for pair in self.pairs for row in pair.rows()]
        return normalise_table(pd.DataFrame(rows, columns=list(COLUMNS))) if rows else empty_table()

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


def segment_document(document: Document, level: str = "sentence") -> tuple[Segment, ...]:
    """Segments of the document body, each with its language (see :func:`langid.segment_languages`)."""
    spans = segment_spans(document.text, level, document.body_start)  # type: ignore[arg-type]
    document = document if document.lang_prob else with_language(document)
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

    Languages are detected in a thread while the encoder runs (the encoders work
    outside the GIL, so the two overlap instead of adding up): each document's
    once, and a segment's only when it shows signs of another language
    (:func:`langid.segment_languages`); the others take their document's.
    With ``repair``, the encoder reads each segment with its glued words split
    ("Putinthe" -> "Putin the"); the segments keep the original text and offsets.
    A document of more than ``max_segments`` segments raises :class:`TooManySegments`
    before anything is encoded.
    """
    spans = [segment_spans(d.text, level, d.body_start) for d in documents]  # type: ignore[arg-type]
    for doc, doc_spans in zip(documents, spans):
        if len(doc_spans) > max_segments:
            raise TooManySegments(doc.source or doc.name, f"{len(doc_spans):,} {level}s, over the limit of {max_segments:,} "
                                  "(raise it with --max-segments or Settings(max_segments=...))")  # fmt: skip
    docs = [d if d.lang_prob or not repair else with_language(d) for d in documents]  # repair needs the language first
    texts = [d.text[s:e] for d, doc_spans in zip(docs, spans) for s, e, _ in doc_spans]
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
        out.append(Prepared(document=doc, segments=segments, embeddings=vectors[start : start + len(doc_spans)]))
        start += len(doc_spans)
    return out


def _repaired(docs: Sequence[Document], spans: Sequence[list[tuple[int, int, int]]]) -> list[str]:
    """Every segment's text with the document's glued words split, for the encoder only."""
    out = []
    for doc, doc_spans in zip(docs, spans):
        glued = artifacts.glued_words(doc.text, doc.lang)
        out.extend(artifacts.repair(doc.text[s:e], glued, offset=s) for s, e, _ in doc_spans)
    return out


def default_pair_id(a: Document, b: Document) -> str:
    return f"{a.name}--{b.name}"


def resolve_thresholds(settings: Settings, model_id: str) -> Settings:
    """Record which encoder made the vectors, so each pair gets that encoder's calibrated defaults."""
    return dataclasses.replace(settings, encoder_id=model_id or settings.encoder_id)


def resolve_for_pair(settings: Settings, sim: np.ndarray) -> tuple[Settings, str]:
    """Settings with nothing left ``None`` for one pair, and the profile used (see calibration.py)."""
    calibration = calibration_for(settings.encoder_id)
    profile = settings.profile
    if profile == "auto":
        profile = detect_profile(align_mod.margin_scores(sim, settings.neighbours), calibration)
    return resolve(settings, settings.encoder_id, profile), profile


def pair_similarity(a: Prepared, b: Prepared, encoder_id: str, profile: str) -> np.ndarray:
    """The cosine matrix a pair is aligned on: an ensemble's comparable member for independent reports, else all of it."""
    part = calibration_for(encoder_id).comparable_part
    if profile == "comparable" and part is not None:
        return align_mod.part_similarity(a.embeddings, b.embeddings, part)
    return align_mod.similarity_matrix(a.embeddings, b.embeddings)


def align_pair(a: Prepared, b: Prepared, settings: Settings, pair_id: str | None = None) -> PairResult:
    """Align two prepared documents (no encoding happens here).

    Between translations an unlinked segment may join its neighbour's link
    (``align.neighbour_merges``: a many-to-one link); with an ensemble whose
    calibration names a ``comparable_part``, independent reports are aligned on
    that member alone.
    """
    settings, profile = resolve_for_pair(settings, align_mod.similarity_matrix(a.embeddings, b.embeddings))
    sim = pair_similarity(a, b, settings.encoder_id, profile)
    tokens_a = [content_tokens(s.text) for s in a.segments]
    tokens_b = [content_tokens(s.text) for s in b.segments]
    lexical = align_mod.lexical_similarity(tokens_a, tokens_b) if settings.lexical_weight else None
    anchors = align_mod.anchor_counts(tokens_a, tokens_b) if settings.anchor_weight else None
    links = align_mod.align(
        a.embeddings, b.embeddings, sim=sim, threshold=settings.threshold, match_threshold=settings.match_threshold,
        extra_threshold=settings.extra_threshold, neighbours=settings.neighbours, min_similarity=settings.min_similarity,
        lexical=lexical, lexical_weight=settings.lexical_weight, anchors=anchors, anchor_weight=settings.anchor_weight,
        merge_neighbours=profile == "translation",
    )  # fmt: skip
    return PairResult(pair_id=pair_id or default_pair_id(a.document, b.document), a=a, b=b, links=tuple(links),
                      similarity=sim, profile=profile, settings=settings)  # fmt: skip


def compare(
    documents: Sequence[Document],
    embedder: Embedder | None = None,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
) -> Comparison:
    """Align every pair of ``documents`` (2 or more)."""
    settings = settings or Settings()
    if len(documents) < 2:
        raise XlingError(f"need at least two documents to compare, got {len(documents)}")
    embedder = embedder or get_embedder(settings.model)
    prepared = prepare(documents, embedder, settings.level, progress, repair=settings.repair, max_segments=settings.max_segments)
    return realign(prepared, settings, model_id=embedder.model_id)


def realign(prepared: Sequence[Prepared] | Comparison, settings: Settings, *, model_id: str | None = None) -> Comparison:
    """Align again with new settings, reusing the vectors: no model, no encoding.

    Values left ``None`` take the calibrated defaults of the encoder that made
    the vectors (``model_id``, or the one recorded in the comparison), per pair.
    """
    if isinstance(prepared, Comparison):
        model_id = model_id or prepared.model_id
        docs = prepared.documents
    else:
        docs = tuple(prepared)
    settings = resolve_thresholds(settings, model_id or "")
    pairs = tuple(align_pair(a, b, settings) for a, b in itertools.combinations(docs, 2))
    return Comparison(documents=docs, pairs=pairs, settings=settings, model_id=settings.encoder_id)
