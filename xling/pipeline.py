"""The one orchestrator: :func:`run` prepares documents and aligns pairs; :func:`compare` and :func:`realign` call it.

load -> language -> segment -> embed (:mod:`xling.preparation`) -> align -> check -> records (:mod:`xling.results`)
"""
from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from . import align as align_mod
from .embed.calibration import PairParams, calibration_for, detect_profile, resolve
from .embed import Embedder, get_embedder
from .errors import InputError, ModelMismatch, SettingsError, TooManyPairs, UsageError, XlingError
from .preparation import (PreparedCache, Progress, as_documents, prepare, prepare_each, segment_document, text_digest,
                          with_language)
from .results import Comparison, PairResult, Prepared, check, relinked, word_evidence
from .io import distinct_names
from .types import Document, Settings, pair_count, pair_id

__all__ = [  # the orchestrator's own, then the records and preparation steps its callers reach through it
    "PairRequest", "Run", "align_pair", "check_pairs", "compare", "default_pair_id", "model_of", "pair_similarity",
    "realign", "resolve_pair", "run",
    "Comparison", "PairResult", "Prepared", "PreparedCache", "Progress", "check", "prepare", "prepare_each", "relinked",
    "segment_document", "text_digest", "with_language",
]
log = logging.getLogger(__name__)
WARN_PAIRS = 10  # from this many pairs a comparison says, before the work, how many it will align


def default_pair_id(a: Document, b: Document) -> str:
    return pair_id(a.name, b.name)


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
    lexical, anchors = word_evidence(a, b, params)
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
    """Align every pair of ``documents`` (2 or more; any iterable of :class:`Document`; repeated names are
    told apart as :func:`xling.io.distinct_names` does).

    More than ``settings.max_pairs`` pairs raise :class:`TooManyPairs` before anything is read or encoded;
    a document that cannot be used raises before anything is encoded.
    """
    settings = settings or Settings()
    if not isinstance(settings, Settings):
        raise UsageError(f"compare() takes xling.Settings as its settings, not {type(settings).__name__}")
    documents = distinct_names(as_documents(documents, "compare"))
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
    if len(by_name) < len(docs):
        raise UsageError("run() takes documents of distinct names (a pair names its documents): "
                         "xling.io.distinct_names(documents) gives each its own")  # fmt: skip
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
