"""Near-duplicate documents: the same article given twice (or once as a web page, once as text).

Found before anything is encoded, from the words alone: each document's text becomes the set of
its overlapping five-word runs (shingles, lower case, punctuation ignored), and two documents are
near-duplicates when most of the smaller one's shingles are also in the other. A translation
shares almost none (other words), an independent report on the same event only a few (quotes,
names); a copy, a re-save of the same page or its extracted text shares nearly all.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .types import Document

SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8  # share of the smaller document's shingles found in the other
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, kw_only=True)
class NearDuplicate:
    """Documents ``a`` and ``b`` (names) share ``containment`` of the smaller one's word runs; ``resemblance`` is the Jaccard index."""

    a: str
    b: str
    containment: float
    resemblance: float

    def message(self) -> str:
        same = "the same text" if self.resemblance >= 0.999 else f"{self.containment:.0%} of the shorter one's text word for word"
        return f"{self.a} and {self.b} look like the same article ({same}); aligning them tells little"


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[tuple[str, ...]]:
    """The document's runs of ``size`` consecutive words (all its words as one run when it has fewer)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[k : k + size]) for k in range(len(words) - size + 1))


def near_duplicates(documents: Sequence[Document], threshold: float = NEAR_DUPLICATE) -> list[NearDuplicate]:
    """Every pair of ``documents`` whose texts are near-duplicates, in the order the pairs are aligned."""
    sets = [shingles(doc.body) for doc in documents]
    found = []
    for (i, a), (j, b) in itertools.combinations(enumerate(sets), 2):
        if not a or not b:
            continue
        shared = len(a & b)
        containment = shared / min(len(a), len(b))
        if containment >= threshold:
            found.append(NearDuplicate(a=documents[i].name, b=documents[j].name, containment=containment,
                                       resemblance=shared / len(a | b)))  # fmt: skip
    return found
