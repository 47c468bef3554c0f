"""The two short reports the workspace tests save, correct and share, and their comparison."""
from __future__ import annotations

from xling.io import document_from_text
from xling.pipeline import compare

TEXT_A = (
    "Putin met Xi in Beijing on Wednesday for their forty second meeting. "
    "Trade between Russia and China reached two hundred billion dollars this year. "
    "The forum gathered delegations from one hundred and thirty countries. "
    "Gaza was discussed briefly after the hospital attack. "
    "The mayor of the small town opened a new library.\n"
)
TEXT_B = (
    "Xi and Putin met in Beijing on Wednesday, their forty second meeting. "
    "Trade between Russia and China reached two hundred billion dollars. "
    "The hospital attack in Gaza was discussed briefly. "
    "Sanctions against Iran were not mentioned by anyone at all.\n"
)


def docs():
    return [document_from_text(TEXT_A, name="a"), document_from_text(TEXT_B, name="b")]


def comparison_of(embedder):
    """The two reports aligned with default settings."""
    return compare(docs(), embedder)
