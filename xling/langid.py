"""Seeded language detection (langdetect): the same text always gets the same answer."""
from __future__ import annotations

import functools
import itertools
import json
import operator
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass

from .types import UNKNOWN_LANG

MIN_LETTERS = 20  # below this many letters a language guess is noise: say "unknown"
MIN_PROBABILITY = 0.5  # a top guess weaker than this is reported as "unknown"
DETECT_SAMPLE_CHARS = 2_000  # a document's language is judged on its opening, enough and fast
TRIALS = 3  # langdetect's random restarts; 3 agree with its default 7 on 99% of NTREX sentences at half the cost
SEED = 0
_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()
_factory = None


@dataclass(frozen=True)
class LangGuess:
    lang: str
    prob: float


class _LazyProbabilities(dict):
    """langdetect's n-gram -> per-language probability map, each row built when first looked up.

    ``DetectorFactory.load_profile`` builds all ~170,000 rows up front, about a second
    per process; a run looks up a few thousand. Rows hold exactly the values
    ``DetectorFactory.add_profile`` would compute, so answers do not change.
    """

    def __init__(self, profiles: list[tuple[int, dict]], langsize: int) -> None:
        super().__init__()
        self._profiles = profiles  # (column, profile JSON) for every language
        self._langsize = langsize
        self.grams = frozenset().union(*(profile["freq"] for _, profile in profiles))

    def __contains__(self, gram: object) -> bool:
        return gram in self.grams

    def __missing__(self, gram: str) -> list[float]:
        if gram not in self.grams:
            raise KeyError(gram)
        row = [0.0] * self._langsize
        if 1 <= len(gram) <= 3:
            for column, profile in self._profiles:
                count = profile["freq"].get(gram)
                if count is not None:
                    row[column] = 1.0 * count / profile["n_words"][len(gram) - 1]
        self[gram] = row
        return row


def _get_factory():
    """Our own seeded factory, so nobody else's ``DetectorFactory.seed`` changes our answers.

    The profiles are read as ``DetectorFactory.load_profile`` reads them (same files,
    same order, same columns); only the probability rows are built lazily.
    """
    global _factory
    if _factory is None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        names = os.listdir(PROFILES_DIRECTORY)
        profiles = []
        for name in names:
            path = os.path.join(PROFILES_DIRECTORY, name)
            if not name.startswith(".") and os.path.isfile(path):
                with open(path, encoding="utf-8") as handle:
                    profiles.append((len(profiles), json.load(handle)))
        factory = DetectorFactory()
        factory.langlist = [profile["name"] for _, profile in profiles]
        factory.word_lang_prob_map = _LazyProbabilities(profiles, len(names))
        factory.set_seed(SEED)
        _factory = factory
    return _factory


def _too_short(text: str) -> bool:
    """Fewer than :data:`MIN_LETTERS` letters (counted up to that many, not through a whole document)."""
    return next(itertools.islice(_LETTER.finditer(text), MIN_LETTERS - 1, None), None) is None


def detect(text: str) -> LangGuess:
    """Best language of ``text`` with its probability, or ``unknown`` when too short to judge."""
    if _too_short(text):
        return LangGuess(UNKNOWN_LANG, 0.0)
    from langdetect.lang_detect_exception import LangDetectException

    from .detector import FastDetector

    with _lock:  # one detector at a time: the factory is shared state
        try:
            detector = FastDetector(_get_factory())
            detector.n_trial = TRIALS
            detector.append(text[:DETECT_SAMPLE_CHARS])
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return LangGuess(UNKNOWN_LANG, 0.0)
    if best.prob < MIN_PROBABILITY:
        return LangGuess(UNKNOWN_LANG, round(best.prob, 4))
    return LangGuess(best.lang, round(best.prob, 4))


# --- segments: the document's language unless a cheap check doubts it ------------------------------------

SUPPORT_MIN = 0.7  # share of a segment's letter trigrams found elsewhere in its document, below which it is checked
VOTE_MARGIN = 1.0  # zipf points by which another language's words must beat the document's for a check
STRONG_VOTE = 3.0  # zipf points by which the document's language leads: its words, whatever the trigrams say...
SUPPORT_MIN_VOTED = 0.5  # ...as long as this share of the trigrams recurs in the document
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F\u1E00-\u1EFF]")  # a letter outside the Latin script


def _trigrams(words: list[str]) -> Counter[str]:
    """How often each three-character piece of the words (joined by spaces, a space at both ends) occurs."""
    text = " " + " ".join(words) + " "
    return Counter([text[i : i + 3] for i in range(len(text) - 2)])  # counted in C


def _latin(text: str, letters: int) -> bool:
    return len(_NON_LATIN.findall(text)) <= 0.1 * letters


@functools.lru_cache(maxsize=65_536)
def _zipfs(word: str) -> tuple[float, ...]:
    from .wordfreqs import zipfs

    return zipfs(word)


def _vote(words: list[str], lang: str) -> float:
    """How much more ``words`` read like ``lang`` than like the likeliest other of en/es/it, in zipf points
    (word frequencies); 0.0 for another document language."""
    from .wordfreqs import LANGS

    if lang not in LANGS:
        return 0.0
    # per language, the words' zipf values added left to right from 0.0 (the order fixes the float result)
    scores = [functools.reduce(operator.add, column, 0.0) for column in zip(*map(_zipfs, words))] or [0.0] * len(LANGS)
    mine = scores[LANGS.index(lang)]
    return mine - max(v for k, v in enumerate(scores) if LANGS[k] != lang)


def segment_languages(body: str, document: LangGuess, texts: list[str]) -> list[LangGuess]:
    """Each segment's language: the document's, unless the segment shows signs of another; those are detected.

    langdetect costs milliseconds a call; most segments of an article are plainly in
    its language. A segment is detected on its own when the document's language is
    unknown, when its script differs from the document's, when fewer than
    :data:`SUPPORT_MIN` of its letter trigrams recur elsewhere in the document (a
    foreign sentence shares little with the rest), or when its words read more like
    another of English, Spanish and Italian. A segment too short to judge is ``unknown``.
    """
    doc_words = [w.lower() for w in _WORD.findall(body)]
    doc_letters = len("".join(doc_words))
    doc_latin = _latin(body, doc_letters)
    counts = _trigrams(doc_words)
    out = []
    for text in texts:
        words = [w.lower() for w in _WORD.findall(text)]
        letters = len("".join(words))
        if letters < MIN_LETTERS:
            out.append(LangGuess(UNKNOWN_LANG, 0.0))
            continue
        vote = _vote(words, document.lang)
        if document.lang == UNKNOWN_LANG or _latin(text, letters) != doc_latin or vote < -VOTE_MARGIN:
            out.append(detect(text))
            continue
        own = _trigrams(words)
        found = counts.get
        supported = sum([c for gram, c in own.items() if found(gram, 0) > c]) / own.total()
        clear = supported >= SUPPORT_MIN or (vote >= STRONG_VOTE and supported >= SUPPORT_MIN_VOTED)
        out.append(document if clear else detect(text))
    return out
