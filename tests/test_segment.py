from __future__ import annotations

import pytest

from xling.io import read_document
from xling.segment import segment_spans


def texts(text: str, level: str = "sentence") -> list[str]:
    return [text[s:e] for s, e, _ in segment_spans(text, level)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Another one.", ["One sentence.", "Another one."]),
        ("Headline without stop\nBody sentence here.", ["Headline without stop", "Body sentence here."]),
        ("Trade grew 3.5 percent. Then it fell.", ["Trade grew 3.5 percent.", "Then it fell."]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Il sig. Rossi e il dott. Bianchi. Poi basta.", ["Il sig. Rossi e il dott. Bianchi.", "Poi basta."]),
        ("La Sra. García llegó. Habló.", ["La Sra. García llegó.", "Habló."]),
        ("He said: “We agree.” Then he left.", ["He said: “We agree.”", "Then he left."]),
        ("«Siamo d'accordo.» Poi è uscito.", ["«Siamo d'accordo.»", "Poi è uscito."]),
        ('"Is it true?" she asked. "Yes."', ['"Is it true?" she asked.', '"Yes."']),
        ("The U.S. Senate voted. J. K. Rowling wrote.", ["The U.S. Senate voted.", "J. K. Rowling wrote."]),
        ("¿Qué pasó? ¡Nada! Bien.", ["¿Qué pasó?", "¡Nada!", "Bien."]),
        ("A line that wraps\ninto the next line. Done.", ["A line that wraps\ninto the next line.", "Done."]),
        ("# Markdown title\n\n- first point. Second.", ["Markdown title", "first point.", "Second."]),
    ],
)
def test_sentences(text, expected):
    assert texts(text) == expected


def test_paragraph_level():
    text = "Title\n\nFirst sentence. Second sentence.\nNext paragraph."
    assert texts(text, "paragraph") == ["Title", "First sentence. Second sentence.", "Next paragraph."]


def test_long_unpunctuated_text_is_cut():
    text = "word " * 5000
    spans = segment_spans(text)
    assert len(spans) > 1 and all(e - s <= 2000 for s, e, _ in spans)


def test_bad_level_names_the_allowed_ones():
    with pytest.raises(ValueError, match="sentence, paragraph"):
        segment_spans("x", "word")  # type: ignore[arg-type]


@pytest.mark.parametrize("level", ["sentence", "paragraph"])
def test_offsets_are_exact_on_every_seed_segment(seed_paths, level):
    for path in seed_paths:
        doc = read_document(path)
        spans = segment_spans(doc.text, level, doc.body_start)
        assert spans
        previous_end = doc.body_start
        for start, end, _ in spans:
            segment = doc.text[start:end]
            assert segment == segment.strip() and segment
            assert start >= previous_end
            previous_end = end


def test_seed_headlines_are_their_own_segments(seed_paths):
    doc = read_document(seed_paths[0])
    segs = [doc.text[s:e] for s, e, _ in segment_spans(doc.text, "sentence", doc.body_start)]
    assert "Beijing, bilateral negotiations between Xi and Putin underway" in segs
    assert "Xi to Putin: efforts for close strategic coordination" in segs
