"""Writes data/gold/seeds_gold.json from the hand annotation below (sentences found by a phrase they contain).

The annotation is the judgement; this script only turns phrases into exact character spans of the seed
files, so the gold does not depend on xling's own segmenter.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_A = ROOT / "seeds" / "000_061724f570955f0f.txt"
SEED_B = ROOT / "seeds" / "002_90f3d8e4bff38bac.txt"
OUT = ROOT / "data" / "gold" / "seeds_pairs.json"

# (phrase in a sentence of A, phrase in a sentence of B, label)
LINKS = [
    ("opening ceremony of the forum on the Belt and Road", "The biggest diplomatic event of the year", "related"),
    ("“Growing mutual trust”", "“mutual political trust”", "related"),
    ("“Our two countries have deepened mutual political trust", "“mutual political trust”", "match"),
    ("“Our two countries have deepened mutual political trust", "is “close and effective”", "related"),
    ("approaching the target of $200 billion", "exceeding $200 billion", "match"),
    ("trade between the two countries reached $190 billion", "exceeding $200 billion", "related"),
    ("Mutual trust continues to deepen", "exceeding $200 billion", "related"),
    ("Mutual trust continues to deepen", "“mutual political trust”", "related"),
    ("Xi welcomed efforts for “close and effective strategic coordination”", "is “close and effective”", "related"),
    ("urged his Russian counterpart to step up joint efforts", "jointly safeguard international justice", "match"),
    ("more joint efforts by Beijing and Moscow to “safeguard international fairness”", "jointly safeguard international justice", "match"),
    ("safeguard international fairness and justice and help promote global development", "jointly safeguard international justice", "related"),
    ("safeguard international fairness and justice and help promote global development", "met 42 times", "related"),
    ("whom he called an “old friend”", "met 42 times", "match"),
    ("42nd meeting between the two leaders", "met 42 times", "related"),
    ("importance of “close coordination in foreign policy”", "close coordination of foreign policy is especially needed", "match"),
    ("Xi to Putin: efforts for close strategic coordination", "close coordination of foreign policy is especially needed", "related"),
    ("The attack on a hospital in Gaza", "massacre in the hospital Gaza", "related"),
    ("underway in the Great Hall of the People in Beijing Xi Jinping", "massacre in the hospital Gaza", "related"),
    ("China represents a major partner for Russia", "The Kremlin needs the economic umbrella", "related"),
]
CLEARLY_UNIQUE_A = ["over 130 countries", "“success story”", "equal cooperation"]
CLEARLY_UNIQUE_B = ["International Criminal Court", "not a signatory"]
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][”“\"]))[ \t]+(?=[“\"A-Z])|\n+")


def sentence_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sentences and headlines of a seed; checked by eye for these two files."""
    spans, cut = [], start
    for found in _SENTENCE_END.finditer(text, start):
        if text[cut : found.start()].strip():
            spans.append((cut, found.start()))
        cut = found.end()
    if text[cut:].strip():
        spans.append((cut, len(text.rstrip())))
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e - (len(text[s:e]) - len(text[s:e].rstrip()))) for s, e in spans]


def span_of(spans: list[tuple[int, int]], text: str, phrase: str) -> tuple[int, int]:
    hits = [s for s in spans if phrase in text[s[0] : s[1]]]
    assert len(hits) == 1, f"{phrase!r} is in {len(hits)} sentences"
    return hits[0]


def main() -> None:
    text_a, text_b = SEED_A.read_text(encoding="utf-8"), SEED_B.read_text(encoding="utf-8")
    body_a = text_a.index("\n") + 1  # the first line of 000 is metadata (date, title), not content
    spans_a, spans_b = sentence_spans(text_a, body_a), sentence_spans(text_b)
    links = [{"a": span_of(spans_a, text_a, pa), "b": span_of(spans_b, text_b, pb), "label": label} for pa, pb, label in LINKS]
    linked_a = {tuple(l["a"]) for l in links}
    linked_b = {tuple(l["b"]) for l in links}
    gold = {
        "doc_a": SEED_A.name,
        "doc_b": SEED_B.name,
        "sentences_a": spans_a,
        "sentences_b": spans_b,
        "links": links,
        "unique_a": [s for s in spans_a if s not in linked_a],
        "unique_b": [s for s in spans_b if s not in linked_b],
        "clearly_unique_a": [span_of(spans_a, text_a, p) for p in CLEARLY_UNIQUE_A],
        "clearly_unique_b": [span_of(spans_b, text_b, p) for p in CLEARLY_UNIQUE_B],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(gold, indent=1) + "\n", encoding="utf-8")
    print(f"{len(spans_a)} + {len(spans_b)} sentences, {len(links)} links, {len(gold['unique_a'])} + {len(gold['unique_b'])} unique")


if __name__ == "__main__":
    main()
