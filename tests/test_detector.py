"""The faster detector gives langdetect's own probabilities, bit for bit, on corpus text and on odd strings."""
from __future__ import annotations

import random

import pytest
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from benchmarks.comparable import FILES, build_cases, load_lines
from xling import langid
from xling.detector import FastDetector, word_grams

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


def _corpus_sample() -> list[str]:
    rng = random.Random(17)
    lines = [line for key in FILES for line in rng.sample(load_lines(key), 40)]
    documents = [text[: langid.DETECT_SAMPLE_CHARS] for case in build_cases("test")[:10] for text in (case.text_a, case.text_b)]
    odd = ["".join(rng.choice(ODD_ALPHABET) for _ in range(rng.randint(0, 120))) for _ in range(300)]
    return lines + documents + odd + ["NATO AND THE UN", "ABcD EFgh", "  spaces  around  ", "x", ""]


@pytest.mark.parametrize("text", _corpus_sample())
def test_same_probabilities_as_langdetect(text):
    assert _answer(FastDetector, text) == _answer(Detector, text)


def test_a_word_s_ngrams_as_langdetect_lists_them():
    known = frozenset({"a", "b", " a", "ab", " ab", "b ", "ab ", "A", " A", "Ab"})
    assert word_grams("ab", True, known) == ("a", " a", "b", "ab", " ab", "b ", "ab ")
    assert word_grams("ab", False, known) == ("a", " a", "b", "ab", " ab")  # the text's last word: no space after it
    assert word_grams("AB", False, known) == ("A", " A")  # a capital after a capital lists nothing
