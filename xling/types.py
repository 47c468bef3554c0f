"""Typed records that flow between the pipeline steps."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Literal, get_args

from .errors import SettingsError

Level = Literal["sentence", "paragraph"]
LEVELS: tuple[str, ...] = get_args(Level)
UNKNOWN_LANG = "unknown"
LEXICAL_WEIGHT_MAX = 2.0
Profile = Literal["auto", "translation", "comparable"]  # "auto": chosen per pair (embed/calibration.py)
PROFILES: tuple[str, ...] = get_args(Profile)
MAX_SEGMENTS = 10_000  # per document: two such documents make a 10,000 x 10,000 similarity matrix (400 MB)
MAX_PAIRS = 100  # per comparison: every pair of documents is aligned, so 15 documents make 105 pairs (batch is for more)
PAIR_SEPARATOR = "--"  # pair ids: NAME_A--NAME_B (GROUP:NAME_A--NAME_B in a batch group)


def pair_id(name_a: str, name_b: str, group: str = "") -> str:
    """The one rule for pair ids, in ``align``, the library and ``batch``: ``[GROUP:]A--B``, A listed first."""
    return f"{group}:{name_a}{PAIR_SEPARATOR}{name_b}" if group else f"{name_a}{PAIR_SEPARATOR}{name_b}"


def pair_count(documents: int) -> int:
    """How many pairs ``documents`` documents make: every pair is aligned."""
    return documents * (documents - 1) // 2


@dataclass(frozen=True, kw_only=True)
class Document:
    """One article.

    ``text`` is the decoded text with newlines normalised to ``\\n``; every offset
    xling reports points into it. ``body_start`` is where content begins, after
    any metadata header (``date 2023-10-26 Title``), which is never aligned.
    """

    name: str
    text: str
    source: str = ""
    body_start: int = 0
    metadata: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    lang: str = UNKNOWN_LANG
    lang_prob: float = 0.0
    warnings: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return self.text[self.body_start :]


@dataclass(frozen=True, kw_only=True)
class Segment:
    """A sentence or paragraph of a document; ``doc.text[start:end] == text``."""

    index: int
    start: int
    end: int
    text: str
    lang: str = UNKNOWN_LANG
    lang_prob: float = 0.0
    paragraph: int = 0

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, kw_only=True)
class Link:
    """A link between segment ``a`` of the first document and ``b`` of the second.

    ``similarity`` is the raw cosine; ``score`` the neighbourhood-calibrated
    (margin) score the decision is made on.
    """

    a: int
    b: int
    similarity: float
    score: float
    status: Literal["match", "partial"]


@dataclass(frozen=True, kw_only=True)
class Bead:
    """Segments ``a`` of the first document linked, as one unit, to segments ``b`` of the second.

    A one-to-many link (a sentence the translator split in two) is one bead;
    a passage with no counterpart is a bead with one side empty. ``links``
    are the bead's rows of the contract table.
    """

    a: tuple[int, ...]
    b: tuple[int, ...]
    links: tuple[Link, ...] = ()

    @property
    def status(self) -> str:
        if not self.links:
            return "unique_a" if self.a else "unique_b"
        return "match" if all(link.status == "match" for link in self.links) else "partial"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every knob of a comparison. Bad values raise :class:`~xling.errors.SettingsError` (a ``ValueError``) naming the allowed ones."""

    model: str = "e5+use"  # embed.DEFAULT_MODEL
    level: Level = "sentence"
    threshold: float | None = None  # None everywhere: the encoder's calibrated default (calibration.py)
    match_threshold: float | None = None
    extra_threshold: float | None = None  # bar for a second link of one segment (many-to-one); None: the model's default
    min_similarity: float | None = None  # cosine floor under which nothing links; None: the model's default
    neighbours: int = 4
    lexical_weight: float | None = None  # weight of shared words, names and numbers beside the embedding cosine
    anchor_weight: float | None = None  # added per anchor (a token only one segment of each document has)
    profile: str = "auto"  # "translation", "comparable", or "auto": chosen per pair (see calibration.py)
    repair: bool = False  # split glued words (xling.artifacts) in what the encoder reads; offsets stay the original's
    max_segments: int = MAX_SEGMENTS  # a document with more segments is refused (raise it for book-length texts)
    max_pairs: int = MAX_PAIRS  # a comparison of more pairs is refused before any work (raise it, or use batch)

    def __post_init__(self) -> None:
        self._check_types()
        if self.level not in LEVELS:
            raise SettingsError(f"level must be one of {', '.join(LEVELS)}, not {self.level!r}")
        for name in ("threshold", "match_threshold", "extra_threshold"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise SettingsError(f"{name} must be a positive number, not {value}")
        if self.max_segments < 1:
            raise SettingsError(f"max_segments must be at least 1, not {self.max_segments}")
        if self.max_pairs < 1:
            raise SettingsError(f"max_pairs must be at least 1, not {self.max_pairs}")
        if self.neighbours < 1:
            raise SettingsError(f"neighbours must be at least 1, not {self.neighbours}")
        if self.profile not in PROFILES:
            raise SettingsError(f"profile must be one of {', '.join(PROFILES)}, not {self.profile!r}")
        for name in ("lexical_weight", "anchor_weight"):
            if getattr(self, name) is not None and not 0 <= getattr(self, name) <= LEXICAL_WEIGHT_MAX:
                raise SettingsError(f"{name} must be between 0 and {LEXICAL_WEIGHT_MAX}, not {getattr(self, name)}")

    def _check_types(self) -> None:
        """A value of the wrong type (``threshold="abc"``) is a :class:`SettingsError` naming the field, not a TypeError later."""
        for name in ("threshold", "match_threshold", "extra_threshold", "min_similarity", "lexical_weight", "anchor_weight"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value)):
                raise SettingsError(f"Settings.{name} must be a number (or None for the calibrated default), not {value!r}")
        for name in ("neighbours", "max_segments", "max_pairs"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral):
                raise SettingsError(f"Settings.{name} must be a whole number, not {value!r}")
        for name in ("model", "level", "profile"):
            if not isinstance(getattr(self, name), str):
                raise SettingsError(f"Settings.{name} must be a string, not {getattr(self, name)!r}")
        if not isinstance(self.repair, bool):
            raise SettingsError(f"Settings.repair must be True or False, not {self.repair!r}")


@dataclass(frozen=True, kw_only=True)
class Coverage:
    """How much of one document the other document(s) cover."""

    segments: int
    covered_segments: int
    chars: int
    covered_chars: int

    @property
    def char_share(self) -> float:
        return self.covered_chars / self.chars if self.chars else 0.0
