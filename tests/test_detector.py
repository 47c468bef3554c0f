"""The faster detector gives langdetect's own probabilities, bit for bit, on corpus text and on odd strings."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from xling import langid
from xling.detector import FastDetector, word_grams

NTREX = Path(__file__).resolve().parent.parent / "data" / "sources" / "ntrex128"
# letters of several scripts, capitals, marks langdetect normalises, spaces, a URL and an address it removes
ODD_ALPHABET = ("aAbBcCZz  \n\t.,;'-ÀéÑñ\u0300\u0301ßẞİıΣσДдЖ中文日本語ひらがなカタカナ한국어العربية\u1ea0\u1ec3ạ𝔘\u2019\u201c"
                "[]^_`@ http://x.y/ john@ex.com ")  # fmt: skip


def _answer(cls: type[Detector], text: str) -> list[tuple[str, float]] | str:
    detector = cls(langid._get_factory())
    detector.n_trial = langid.TRIALS
    detector.append(text)
    try:
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except LangDetectException as exc:
        return str(exc)


def _samples() -> dict[str, list[str]]:
    """Sentences of each NTREX-128 file, the opening of some of its documents, random odd strings and a few edge cases."""
    rng = random.Random(17)
    files = [path.read_text(encoding="utf-8").splitlines() for path in sorted(NTREX.glob("newstest2019-*.txt"))]
    return {
        "sentences": [line for lines in files for line in rng.sample(lines, 40)],
        "documents": [" ".join(lines[start : start + 20])[: langid.DETECT_SAMPLE_CHARS] for lines in files for start in (0, 400)],
        "odd strings": ["".join(rng.choice(ODD_ALPHABET) for _ in range(rng.randint(0, 120))) for _ in range(300)],
        "edge cases": ["NATO AND THE UN", "ABcD EFgh", "  spaces  around  ", "x", ""],
    }


SAMPLES = _samples()
FAST_SHARE = 40  # texts of each kind the fast set checks; make test checks them all


@pytest.mark.parametrize("kind", SAMPLES)
def test_same_probabilities_as_langdetect_on_a_few_of_each_kind(kind):
    for text in SAMPLES[kind][:: max(1, len(SAMPLES[kind]) // FAST_SHARE)]:
        assert _answer(FastDetector, text) == _answer(Detector, text), text


@pytest.mark.slow
@pytest.mark.parametrize("kind", SAMPLES)
def test_same_probabilities_as_langdetect(kind):
    assert SAMPLES[kind]
    for text in SAMPLES[kind]:
        assert _answer(FastDetector, text) == _answer(Detector, text), text


def test_a_word_s_ngrams_as_langdetect_lists_them():
    known = frozenset({"a", "b", " a", "ab", " ab", "b ", "ab ", "A", " A", "Ab"})
    assert word_grams("ab", True, known) == ("a", " a", "b", "ab", " ab", "b ", "ab ")
    assert word_grams("ab", False, known) == ("a", " a", "b", "ab", " ab")  # the text's last word: no space after it
    assert word_grams("AB", False, known) == ("A", " A")  # a capital after a capital lists nothing
