"""langdetect's ``Detector`` with its per-character Python steps done per word or in C; the answers are langdetect's own.

langdetect spends most of a call reading the text one character at a time: it collapses
spaces, counts scripts, normalises each character and keeps a three-character window to
list the text's n-grams. A document's language costs about 2 ms that way, more than the
random trials that decide it. Here the same steps are done with ``str.translate``, regular
expressions and a cache of the n-grams of each word: a word's n-grams depend on the word
alone (the window starts afresh after every space), so the list is the concatenation of
its words' lists, in the same order. The trials, their seed and their arithmetic are
langdetect's (the updates below do the same floating-point operations in the same order),
so every probability is bit for bit the one ``langdetect.detector.Detector`` gives
(``tests/test_detector.py`` checks it on the corpora).
"""
from __future__ import annotations

import functools
import re

import numpy as np
from langdetect.detector import Detector
from langdetect.language import Language
from langdetect.utils.ngram import NGram

WORD_GRAMS_CACHE = 65_536  # words whose n-grams are kept: a language's common words recur in every document
_SPACE_RUN = re.compile(" {2,}")  # Detector.append keeps one space of a run of spaces
_SPACES = re.compile(" +")
_BASIC_LATIN_RANGE = re.compile("[A-z]")  # Detector.cleaning_text's 'A' <= ch <= 'z' (with the six signs between Z and a)
# cleaning_text compares unicode_block's number with a block *name*, so every character from U+0300 on counts as non-Latin
_FROM_U0300 = re.compile("[\u0300-\U0010ffff]")


class _Normalised(dict):
    """Code point -> ``NGram.normalize`` of its character, each computed once (``str.translate`` reads it)."""

    def __missing__(self, code: int) -> str:
        normalised = NGram.normalize(chr(code))
        self[code] = normalised
        return normalised


_NORMALISED = _Normalised()


class FastDetector(Detector):
    """A ``Detector`` whose text preparation and probability updates avoid per-character and per-language Python loops."""

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += _SPACE_RUN.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        latin = len(_BASIC_LATIN_RANGE.findall(self.text))
        if latin * 2 < len(_FROM_U0300.findall(self.text)):
            self.text = _BASIC_LATIN_RANGE.sub("", self.text)

    def _extract_ngrams(self) -> list[str]:
        words = _SPACES.split(self.text.translate(_NORMALISED))
        known = _known_grams(self.word_lang_prob_map)
        out: list[str] = []
        last = len(words) - 1
        for k, word in enumerate(words):
            if word:  # every word but the text's last is followed by a space, which ends its last n-grams
                out.extend(word_grams(word, k < last, known))
        return out

    # The trials' probabilities are a float64 array: one element-wise add and multiply per n-gram instead of a
    # loop over the 55 languages. Each element gets the same two IEEE operations as in langdetect's loop.
    def _init_probability(self) -> np.ndarray:
        return np.array(super()._init_probability(), dtype=np.float64)

    def _update_lang_prob(self, prob: np.ndarray, word: str, alpha: float) -> bool:
        row = _ROWS.get((id(self.word_lang_prob_map), word))  # a gram met before is known to the profile
        if row is None:
            if word is None or word not in self.word_lang_prob_map:
                return False
            row = _row(self.word_lang_prob_map, word)
        prob *= alpha / self.BASE_FREQ + row
        return True

    def _normalize_prob(self, prob: np.ndarray) -> float:
        total = sum(prob.tolist())  # Python floats left to right, as langdetect sums (numpy's sum is pairwise)
        prob /= total
        return max(0.0, float(prob.max()))

    def _sort_probability(self, prob) -> list[Language]:
        return super()._sort_probability([float(p) for p in prob])  # plain floats, as langdetect's own lists hold


def _row(profile, gram: str) -> np.ndarray:
    """The profile's per-language probabilities of ``gram`` as an array, made once per gram."""
    row = _ROWS.get((id(profile), gram))
    if row is None:
        row = _ROWS[(id(profile), gram)] = np.array(profile[gram], dtype=np.float64)
    return row


_ROWS: dict[tuple[int, str], np.ndarray] = {}  # (profile map, gram) -> its row; bounded by the profile (a run meets a few thousand)


def _known_grams(profile) -> frozenset[str]:
    """The n-grams of the profile map (xling's lazy map keeps them; a plain map of langdetect's is read once)."""
    grams = getattr(profile, "grams", None)
    if grams is None:
        grams = _PLAIN_MAP_GRAMS.get(id(profile))
        if grams is None:
            grams = _PLAIN_MAP_GRAMS[id(profile)] = frozenset(profile)
    return grams


_PLAIN_MAP_GRAMS: dict[int, frozenset[str]] = {}


@functools.lru_cache(maxsize=WORD_GRAMS_CACHE)
def word_grams(word: str, spaced: bool, known: frozenset[str]) -> tuple[str, ...]:
    """The n-grams langdetect lists for one word (no spaces in it) read after a space, and before one when ``spaced``.

    At each character the window holds the last three characters (the space before the word
    included); its 1-, 2- and 3-character ends are listed when ``known`` (the profile) has them.
    A capital after a capital lists nothing (langdetect skips all-capital words but their first letter).
    """
    padded = " " + word + (" " if spaced else "")
    ends = range(1, len(padded))
    if not word.islower():  # only a capital can follow a capital: lower-case words (most) skip the test
        ends = [j for j in ends if not (padded[j].isupper() and padded[j - 1].isupper())]
    # the window's ends: 1, 2 and (from the second letter on) 3 characters long, in that order
    windows = [padded[j - n + 1 : j + 1] for j in ends for n in (1, 2, 3) if n <= j + 1]
    return tuple([gram for gram in windows if gram != " " and gram in known])
