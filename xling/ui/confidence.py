"""Confidence in words: a link's score read against the thresholds it was judged by."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Confidence = Literal["high", "medium", "low"]
LEVELS: tuple[Confidence, ...] = ("high", "medium", "low")
# Strictness steps of the "stricter <-> looser" control: how far the thresholds move from the calibrated
# ones, as a share of the gap between the link and the match threshold (the scale every model shares).
STRICTNESS = {"much looser": -1.0, "looser": -0.5, "as calibrated": 0.0, "stricter": 0.5, "much stricter": 1.0}
MIN_GAP = 0.005  # a calibration with the two thresholds almost equal still moves by this much per step


def confidence(score: float, threshold: float, match_threshold: float, status: str = "match") -> Confidence:
    """``high`` from the match threshold up, ``medium`` in the upper half between the two bars, else ``low``.

    A ``partial`` link (related, not the same content) is at most ``medium``: "high confidence" beside
    "partly shared" would read as a contradiction.
    """
    if score >= match_threshold:
        found: Confidence = "high"
    else:
        found = "medium" if score >= (threshold + match_threshold) / 2 else "low"
    return "medium" if status == "partial" and found == "high" else found


@dataclass(frozen=True)
class Thresholds:
    """The (link, match) thresholds a strictness step gives, from the calibrated ones."""

    threshold: float
    match_threshold: float


def thresholds_for(step: str, calibrated: tuple[float, float]) -> Thresholds:
    """The thresholds for ``step`` (a key of :data:`STRICTNESS`): both move by the same amount."""
    if step not in STRICTNESS:
        raise ValueError(f"strictness must be one of {', '.join(STRICTNESS)}, not {step!r}")
    link, match = calibrated
    shift = STRICTNESS[step] * max(match - link, MIN_GAP)
    return Thresholds(round(link + shift, 3), round(match + shift, 3))


def changed_note(before: tuple[float, float] | None, after: tuple[float, float], why: str) -> str | None:
    """What to tell the reader when the calibrated thresholds moved by themselves (None when they did not)."""
    if before is None or all(abs(x - y) < 1e-9 for x, y in zip(before, after)):
        return None
    return (f"The thresholds changed by themselves ({why}): link {before[0]:.3f} → {after[0]:.3f}, "
            f"match {before[1]:.3f} → {after[1]:.3f}. The strictness control starts again from them.")  # fmt: skip
