"""Translation artifacts in a document: glued words and source-language leftovers.

Machine-translated news carries two tell-tale defects. A space lost where a link
or some markup ended glues two words into one (``Putinthe``, ``USAthey``); and a
short fragment the translator left alone stays in the source language
(``Xi Jinping y Vladimir Putin`` in an English text), which also hints at where
the article came from. Both are found with word frequencies (``wordfreq``), no
model: deterministic and pure, strings in, :class:`Artifact` records out, with
offsets into the text given.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Literal

from ..types import UNKNOWN_LANG, Document
from ..wordfreqs import zipf_any

Kind = Literal["glued", "leftover"]
LANG_NAMES = {"en": "English", "es": "Spanish", "it": "Italian", "fr": "French", "de": "German", "pt": "Portuguese"}
# Languages a leftover may come from. More languages find more origins but confuse close ones (es/pt/it share words).
LEFTOVER_LANGS = ("en", "es", "it", "fr", "de", "pt")

# --- glued words -------------------------------------------------------------
MIN_GLUED_CHARS = 5  # "ofthe" is the shortest glue worth reporting; shorter tokens are mostly real words
RARE_ZIPF = 2.0  # a token at least this frequent is a real word (or a common typo we leave alone)
FUNCTION_GAP = 3.0  # "ofthe" (3.3) is a frequent typo, yet far rarer than "of" and "the"; "another" is not
# Only before these does a frequent-but-far-rarer glue count ("depara", "thereto" are words).
GAP_RIGHT: dict[str, frozenset[str]] = {"en": frozenset({"the"}), "es": frozenset({"el"}), "it": frozenset({"il"})}
NAME_ENDINGS = frozenset({"her", "son"})  # "Ree|her", "Gold|son" (es "son"): names end so more often than they lose a space
FUNCTION_LEFT_ZIPF = 3.0  # the word before a glued function word must itself be a word...
NAME_LEFT_ZIPF = 2.0  # ...or a capitalised name wordfreq knows ("Jinping" is 2.8)
SHORT_FUNCTION_LEFT_ZIPF = 3.5  # "Brita|in": two-letter function words need a common word before them
CONTENT_PART_ZIPF = 3.5  # both halves of a content+content glue must be common words
MIN_CONTENT_PART = 3  # and not tiny: "ab|solutely" is no split
CAMEL_PART_ZIPF = 3.0  # "USA|they", "the|Kremlin": the lower-case side must be a common word
FUNCTION_NEXT_ZIPF = 3.0  # "il|mondo": after a function word, any fairly common word...
FUNCTION_NEXT_GAP = 4.0  # ...when the whole is unknown, or far rarer than that word (a typo, not "de|liberen")
ONE_LETTER_LEFT_CHARS = 4  # "ostaggi|e", "Poyet|y": a one-letter function word only after a long common word
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    # Short, closed-class words that start a phrase. Words that are also Italian or Spanish clitic pronouns
    # (lo, la, los, las, gli, le, ne, se...) are left out on purpose: "dargli", "tiralo", "alterarlas" are words.
    "en": frozenset(
        """the they their them these those this that there then than which who whom whose what when where while
        and but for nor with from into onto upon about after before over under between against during without
        was were is are has have had will would could should can may might must shall been being its his her
        our your she he we you it in on at of to by an as or if so not no also such""".split()
    ),
    "es": frozenset(
        """el una unos unas del al que quien quienes cual cuales cuando donde como pero sino porque
        para por con sin sobre entre hasta desde hacia durante según tras ante contra este esta estos estas
        ese esa esos esas aquel sus su es son fue fueron ha han había era eran está están será muy más también
        ya en de y o u ni""".split()
    ),
    "it": frozenset(
        """il una uno un dei degli delle della dello del nel nella nei negli nelle sul sulla sui alla allo
        alle agli ai dal dalla dai che chi cui quale quali quando dove come ma però perché per con senza su
        fra tra verso durante secondo contro questo questa questi queste quello quella quelli quelle suo sua suoi
        sue loro è sono era erano ha hanno aveva stato stata sarà molto più anche già non di da in e ed o""".split()
    ),
}
# Parts that make real compounds, not glue: "antiimmigrazione", "superpotenza", "overreliance".
COMPOUND_PREFIXES = frozenset(
    """anti auto contra contro counter extra infra inter intra micro macro mini multi neo non over post pre pro pseudo
    semi sub super sovra sopra tele ultra under vice eco euro geo bio mega maxi out self cyber hyper""".split()
)
FOREIGN_WORD_ZIPF = 3.0  # a token this common in another language is a word of it
# Second parts that make real compounds: "woundedness", "cinemagoing", "homewear".
COMPOUND_SUFFIXES = frozenset("ness less ship hood wise ward wards going goer goers wear ware like".split())
_WORD = re.compile(r"[^\W\d_]+")
_NOT_PROSE_BEFORE = "@#/\\._"  # handles, hashtags, paths, domains: their words are glued on purpose
_NOT_PROSE_AFTER = re.compile(r"[@_/]|\.[^\W\d_]")

# --- leftovers ---------------------------------------------------------------
FOREIGN_MARGIN = 2.0  # a word this much more frequent (zipf) in another language than the document's is foreign
DOC_WORD_ZIPF = 3.0  # a word at least this frequent in the document's language, and not clearly foreign, is native
SHARED_MARGIN = 0.5  # a word about as frequent elsewhere as here ("a", "in", "come") neither starts nor ends a fragment
MAX_TITLE_LINK_CHARS = 3  # titles and names link capitalised words with short ones: "of the", "von der", "and"
MIN_FOREIGN_WORDS = 2  # one foreign word is a loanword or a name ("Rio de Janeiro"); two in a row are a fragment
# "Xi Jinping y Vladimir Putin": a conjunction of another language between two names. Not English "and":
# Italian and Spanish news keep English names whole ("Marks and Spencer", "Avon and Somerset").
CONJUNCTIONS: dict[str, str] = {"y": "es", "e": "it", "ed": "it", "et": "fr", "und": "de"}
NATIVE_CONJUNCTIONS: dict[str, frozenset[str]] = {
    "en": frozenset({"and"}), "es": frozenset({"y", "e"}), "it": frozenset({"e", "ed"}),
    "fr": frozenset({"et"}), "de": frozenset({"und"}), "pt": frozenset({"e"}),
}  # fmt: skip
_RUN_GLUE = re.compile(r"[\s,'’\-]*")  # what may stand between two words of one fragment


@dataclass(frozen=True, kw_only=True)
class Artifact:
    """A defect at ``text[start:end]`` of the text it was found in.

    ``suggestion`` is the split of a glued word (``"Putin the"``) or, for a
    leftover, a hint (the conjunction in the document's language) or ``""``.
    ``lang`` is the document's language for a glued word and the language a
    leftover comes from.
    """

    kind: Kind
    start: int
    end: int
    text: str
    suggestion: str
    lang: str

    def message(self) -> str:
        if self.kind == "glued":
            return f"glued words: {self.text!r} -> {self.suggestion!r}"
        hint = f" (in the document's language: {self.suggestion!r})" if self.suggestion else ""
        return f"{LANG_NAMES.get(self.lang, self.lang)} leftover: {self.text!r}{hint}"

    def to_dict(self) -> dict:
        return {**asdict(self), "message": self.message()}


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages())


def _supported(lang: str) -> bool:
    return lang != UNKNOWN_LANG and lang in _wordfreq_languages()


# --- glued words -------------------------------------------------------------


def glued_words(text: str, lang: str) -> list[Artifact]:
    """Words that lost the space between them, each with its split, in a ``lang`` text.

    A token is a candidate only when it is rare as a whole (wordfreq's ``zipf``
    below :data:`RARE_ZIPF`), is not a common word of another language (that is
    a leftover), and splits into two common parts in one of these shapes, best
    evidence first: a word or name followed by a function word (``Putin|the``);
    an upper-case run followed by a word, or a word followed by a name
    (``USA|they``, ``visto|Kante``); a function word followed by a word
    (``il|mondo``); two common content words (``bilateral|trade``). Languages
    wordfreq does not know give no artifacts.
    """
    if not _supported(lang):
        return []
    found = []
    for match in _WORD.finditer(text):
        token = match.group()
        if len(token) < MIN_GLUED_CHARS or not _is_prose(text, match.start(), match.end()):
            continue
        split = best_split(token, lang)
        if split is not None:
            left, right = split
            found.append(Artifact(kind="glued", start=match.start(), end=match.end(), text=token,
                                  suggestion=f"{left} {right}", lang=lang))  # fmt: skip
    return found


def _is_prose(text: str, start: int, end: int) -> bool:
    """False for a word inside a handle, hashtag, path, domain or e-mail address."""
    if start and text[start - 1] in _NOT_PROSE_BEFORE:
        return False
    return _NOT_PROSE_AFTER.match(text, end) is None


def best_split(token: str, lang: str) -> tuple[str, str] | None:
    """The most plausible ``(left, right)`` split of a glued ``token``, or None if it is a word."""
    whole = zipf_any(token.lower(), lang)
    if whole >= RARE_ZIPF + FUNCTION_GAP or _foreign_word(token.lower(), lang):
        return None
    scored = [(score, i) for i in range(2, len(token)) if (score := _split_score(token[:i], token[i:], whole, lang)) is not None]
    if not scored:
        return None
    _, cut = max(scored)
    return token[:cut], token[cut:]


def _foreign_word(word: str, lang: str) -> bool:
    """A common word of another language ("fatto" in an English text) is a leftover, not two glued words."""
    return any(zipf_any(word, other) >= FOREIGN_WORD_ZIPF for other in LEFTOVER_LANGS if other != lang)


def _split_score(left: str, right: str, whole: float, lang: str) -> float | None:
    """How plausible ``left right`` is as the words that were glued (higher is better); None if not at all."""
    if left.lower() in COMPOUND_PREFIXES:
        return None
    z_left, z_right = zipf_any(left.lower(), lang), zipf_any(right.lower(), lang)
    functions = FUNCTION_WORDS.get(lang, frozenset())
    if len(right) == 1:  # "ostaggi|e": Italian words end in "e" all the time, so only when nothing else is possible
        return _one_letter_score(left, right, z_left, whole, functions)
    if right.islower() and right in functions:
        if right in GAP_RIGHT.get(lang, ()) and left.lower() in functions and whole < min(z_left, z_right) - FUNCTION_GAP:
            return min(z_left, z_right)  # "ofthe", "inthe": frequent typos, but far rarer than their parts
        if whole < RARE_ZIPF and _plausible_before_function_word(left, z_left, right):
            return min(z_left, z_right) + 1  # the commonest shape: a phrase boundary lost its space
        return None
    if whole >= RARE_ZIPF:
        return None
    if left.isupper() and len(left) >= 2 and right.islower() and z_right >= CAMEL_PART_ZIPF and z_left >= NAME_LEFT_ZIPF:
        return min(z_left, z_right)  # "USA|they"
    if left.islower() and z_left >= CAMEL_PART_ZIPF and right[0].isupper() and right[1:].islower():
        return z_left  # "visto|Kante": a lower-case word glued to a name, which need not be in wordfreq
    if left in functions and right.islower() and len(right) >= MIN_CONTENT_PART and _glued_after_function_word(z_right, whole):
        return z_right  # "il|mondo", "to|succeed"; not "Su|topo", "El|don": capitalised, these are names
    if (
        left.islower()
        and right.islower()
        and whole == 0.0
        and min(len(left), len(right)) >= MIN_CONTENT_PART
        and min(z_left, z_right) >= CONTENT_PART_ZIPF
        and right not in COMPOUND_SUFFIXES
    ):  # capitalised tokens are left alone here: "Dong|gala", "Burn|aston" are places
        return min(z_left, z_right) - 1  # two content words: the weakest evidence, so the last choice
    return None


def _glued_after_function_word(z_right: float, whole: float) -> bool:
    """Unknown as a whole, or a typo far rarer than its word ("ilmondo"); "deliberen", "encomió" are words."""
    return z_right >= FUNCTION_NEXT_ZIPF if whole == 0.0 else z_right - whole >= FUNCTION_NEXT_GAP


def _one_letter_score(left: str, right: str, z_left: float, whole: float, functions: frozenset[str]) -> float | None:
    long_word = left.islower() and len(left) >= ONE_LETTER_LEFT_CHARS and z_left >= SHORT_FUNCTION_LEFT_ZIPF
    if right in functions and long_word and whole == 0.0:
        return z_left - 2
    return None


def _plausible_before_function_word(left: str, z_left: float, right: str) -> bool:
    if len(right) <= 2:  # "Brita|in", "Lond|on": short endings are everywhere, so ask for a common word first
        return left.islower() and len(left) >= 3 and z_left >= SHORT_FUNCTION_LEFT_ZIPF
    if left[:1].isupper():
        return z_left >= NAME_LEFT_ZIPF and right not in NAME_ENDINGS
    return z_left >= FUNCTION_LEFT_ZIPF


# --- leftovers ---------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    origin: str  # "native", "foreign", "shared" (common here and elsewhere), "name" or "neutral" (rare everywhere)


def leftovers(text: str, lang: str, glued: Sequence[Artifact] | None = None) -> list[Artifact]:
    """Short fragments of ``text`` (in ``lang``) written in another language, with that language.

    A fragment is a run of words with no native word or sentence punctuation in
    it that holds at least :data:`MIN_FOREIGN_WORDS` foreign words of one
    language (a word ``FOREIGN_MARGIN`` zipf more frequent there than in
    ``lang``), or a foreign conjunction between two names (``Xi Jinping y
    Vladimir Putin``). Capitalised words count as names, native or foreign, so
    names and titles alone are never flagged. Glued words (``glued``, found
    here when not given) are read as the two words they are.
    """
    if not _supported(lang):
        return []
    words = list(_classified_words(text, lang, glued_words(text, lang) if glued is None else glued))
    found = []
    for run in _runs(text, words):
        artifact = _fragment(text, run, lang)
        if artifact is not None:
            found.append(artifact)
    return found


def _classified_words(text: str, lang: str, glued: Sequence[Artifact]) -> Iterator[_Word]:
    splits = {(a.start, a.end): a.suggestion for a in glued if a.kind == "glued"}
    for match in _WORD.finditer(text):
        start, end = match.span()
        if (start, end) in splits:
            left = splits[(start, end)].split(" ")[0]
            yield _Word(start, start + len(left), left, _origin(left, lang))
            yield _Word(start + len(left), end, text[start + len(left) : end], _origin(text[start + len(left) : end], lang))
        else:
            yield _Word(start, end, match.group(), _origin(match.group(), lang))


def _origin(word: str, lang: str) -> str:
    lower = word.lower()
    native = zipf_any(lower, lang)
    elsewhere = max(zipf_any(lower, other) for other in LEFTOVER_LANGS if other != lang)
    if word[:1].isupper():  # wordfreq cannot tell "Xi" from "xi": capitalised words are names unless they are "The"...
        return "native" if lower in FUNCTION_WORDS.get(lang, ()) and elsewhere - native < FOREIGN_MARGIN else "name"
    if elsewhere - native >= FOREIGN_MARGIN:
        return "foreign"
    if native < DOC_WORD_ZIPF:
        return "neutral"
    return "shared" if elsewhere - native >= -SHARED_MARGIN else "native"


def _runs(text: str, words: list[_Word]) -> Iterator[list[_Word]]:
    """Maximal runs of non-native words joined only by spaces, commas, apostrophes or hyphens."""
    run: list[_Word] = []
    for word in words:
        joined = bool(run) and _RUN_GLUE.fullmatch(text, run[-1].end, word.start) is not None
        if word.origin == "native" or not joined:
            if run:
                yield run
            run = [] if word.origin == "native" else [word]
        else:
            run.append(word)
    if run:
        yield run


def _fragment(text: str, run: list[_Word], lang: str) -> Artifact | None:
    if sum(w.origin == "foreign" for w in run) >= MIN_FOREIGN_WORDS:
        words = _trimmed(text, run)
        if not _is_title(words):
            return Artifact(kind="leftover", start=words[0].start, end=words[-1].end, text=text[words[0].start : words[-1].end],
                            suggestion="", lang=_source_language(words, lang))  # fmt: skip
    return _coordination(text, run, lang)


def _source_language(run: list[_Word], lang: str) -> str:
    """The language in which the run's lower-case words are, together, most frequent.

    Judged on the whole fragment, not word by word: Spanish and Portuguese share
    most words, and it is the few they do not share that decide.
    """
    lowered = [w.text.lower() for w in run if w.origin == "foreign"]
    return max((other for other in LEFTOVER_LANGS if other != lang), key=lambda other: sum(zipf_any(w, other) for w in lowered))


def _is_title(run: list[_Word]) -> bool:
    """A name or title kept in its language ("Member of the Welsh Parliament", "Ursula von der Leyen"): it
    starts and ends with a capital, has at least as many capitalised words as others, and those are all short."""
    names = [w for w in run if w.origin == "name"]
    others = [w for w in run if w.origin != "name"]
    return (
        run[0].origin == "name" and run[-1].origin == "name" and len(names) >= len(others)
        and all(len(w.text) <= MAX_TITLE_LINK_CHARS for w in others)
    )  # fmt: skip


def _trimmed(text: str, run: list[_Word]) -> list[_Word]:
    """The run from its first to its last foreign word, widened to the names right next to them
    ("Newport on the Levee", not "Vive en Newport on the Levee")."""
    foreign = [k for k, w in enumerate(run) if w.origin == "foreign"]
    first, last = foreign[0], foreign[-1]
    while first > 0 and run[first - 1].origin == "name" and text[run[first - 1].end : run[first].start] == " ":
        first -= 1
    while last < len(run) - 1 and run[last + 1].origin == "name" and text[run[last].end : run[last + 1].start] == " ":
        last += 1
    return run[first : last + 1]


def _coordination(text: str, run: list[_Word], lang: str) -> Artifact | None:
    """``NAME y NAME``: a lone conjunction of another language between capitalised names."""
    for k, word in enumerate(run):
        source = CONJUNCTIONS.get(word.text)
        if source is None or source == lang or word.text in NATIVE_CONJUNCTIONS.get(lang, ()):
            continue
        if not (0 < k < len(run) - 1 and text[word.start - 1] == " " and text[word.end : word.end + 1] == " "):
            continue
        before, after = _names_around(text, run, k)
        if before and after:
            native = sorted(NATIVE_CONJUNCTIONS.get(lang, ()))
            suggestion = f"{text[before[0].start : word.start]}{native[0]}{text[word.end : after[-1].end]}" if native else ""
            return Artifact(kind="leftover", start=before[0].start, end=after[-1].end,
                            text=text[before[0].start : after[-1].end], suggestion=suggestion, lang=source)  # fmt: skip
    return None


def _names_around(text: str, run: list[_Word], k: int) -> tuple[list[_Word], list[_Word]]:
    """The names right before and after ``run[k]``, separated by single spaces only (no comma)."""
    before = _names(text, reversed(run[:k]), run[k])
    after = _names(text, iter(run[k + 1 :]), run[k])
    return before[::-1], after


def _names(text: str, words: Iterator[_Word], nearest: _Word) -> list[_Word]:
    names: list[_Word] = []
    for word in words:
        neighbour = names[-1] if names else nearest
        gap = text[word.end : neighbour.start] if word.end <= neighbour.start else text[neighbour.end : word.start]
        if word.origin != "name" or gap != " ":
            break
        names.append(word)
    return names


# --- the document --------------------------------------------------------------


def document_language(document: Document) -> str:
    """The document's language, detected on its body when the document does not say."""
    if document.lang != UNKNOWN_LANG:
        return document.lang
    from ..langid import detect

    return detect(document.body).lang


def find_artifacts(document: Document) -> list[Artifact]:
    """Glued words and leftovers over the whole ``document.text`` (metadata line included), sorted by start."""
    lang = document_language(document)
    glued = glued_words(document.text, lang)
    return sorted([*glued, *leftovers(document.text, lang, glued)], key=lambda a: (a.start, a.kind))


def repair(text: str, artifacts: Sequence[Artifact], offset: int = 0) -> str:
    """``text`` with the glued words that fall inside it split as suggested.

    ``offset`` is where ``text`` starts in the document the artifacts were found
    in, so a segment (``offset=segment.start``) is repaired with the document's
    artifacts. The result is for the encoder only: offsets keep pointing into
    the original text, which stays as it was.
    """
    parts, cut = [], 0
    for artifact in sorted(artifacts, key=lambda a: a.start):
        start, end = artifact.start - offset, artifact.end - offset
        if artifact.kind != "glued" or start < cut or end > len(text) or text[start:end] != artifact.text:
            continue
        parts.append(text[cut:start])
        parts.append(artifact.suggestion)
        cut = end
    parts.append(text[cut:])
    return "".join(parts)
