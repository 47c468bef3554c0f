"""Scoring a contract table against gold character spans.

A predicted segment stands for a gold span when one covers at least half of
the other. A predicted link is right when both its segments stand for the two
sides of one gold link; a gold link is found when some predicted link stands
for it. Unique passages are scored the same way against the gold unique spans.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

Span = tuple[int, int]


def stands_for(pred: Span, gold: Span) -> bool:
    overlap = min(pred[1], gold[1]) - max(pred[0], gold[0])
    return overlap > 0 and (overlap >= 0.5 * (gold[1] - gold[0]) or overlap >= 0.5 * (pred[1] - pred[0]))


@dataclass
class Counts:
    """True positives counted on each side (precision and recall differ in what they count)."""

    pred: int = 0
    pred_right: int = 0
    gold: int = 0
    gold_found: int = 0

    def add(self, other: Counts) -> None:
        self.pred += other.pred
        self.pred_right += other.pred_right
        self.gold += other.gold
        self.gold_found += other.gold_found

    @property
    def precision(self) -> float:
        return self.pred_right / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def link_counts(pred: list[tuple[Span, Span]], gold: list[tuple[Span, Span]]) -> Counts:
    right = sum(1 for pa, pb in pred if any(stands_for(pa, ga) and stands_for(pb, gb) for ga, gb in gold))
    found = sum(1 for ga, gb in gold if any(stands_for(pa, ga) and stands_for(pb, gb) for pa, pb in pred))
    return Counts(len(pred), right, len(gold), found)


def unique_counts(pred: list[Span], gold: list[Span]) -> Counts:
    right = sum(1 for p in pred if any(stands_for(p, g) for g in gold))
    found = sum(1 for g in gold if any(stands_for(p, g) for p in pred))
    return Counts(len(pred), right, len(gold), found)


def predictions(df: pd.DataFrame) -> tuple[list[tuple[Span, Span]], list[Span]]:
    """Links and unique spans (both sides together, tagged by side) from a contract table."""
    linked = df[df.status.isin(["match", "partial"])]
    links = [((int(r.a_start), int(r.a_end)), (int(r.b_start), int(r.b_end))) for r in linked.itertuples()]
    return links, []


def score_table(df: pd.DataFrame, links: list, unique_a: list, unique_b: list) -> tuple[Counts, Counts]:
    """(link counts, unique counts) of one case's table."""
    pred_links, _ = predictions(df)
    ua = [(int(r.a_start), int(r.a_end)) for r in df[df.status == "unique_a"].itertuples()]
    ub = [(int(r.b_start), int(r.b_end)) for r in df[df.status == "unique_b"].itertuples()]
    uniq = unique_counts(ua, [tuple(s) for s in unique_a])
    uniq.add(unique_counts(ub, [tuple(s) for s in unique_b]))
    return link_counts(pred_links, [(tuple(a), tuple(b)) for a, b in links]), uniq
