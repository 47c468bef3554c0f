from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xling.abbreviations import SHARED, for_language, listed
from xling.io import read_document
from xling.segment import line_layout, line_spans, segment_spans


def texts(text: str, level: str = "sentence", lang: str | None = None) -> list[str]:
    return [text[s:e] for s, e, _ in segment_spans(text, level, lang=lang)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Another one.", ["One sentence.", "Another one."]),
        ("Headline without stop\nBody sentence here.", ["Headline without stop", "Body sentence here."]),
        ("Trade grew 3.5 percent. Then it fell.", ["Trade grew 3.5 percent.", "Then it fell."]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("He said: “We agree.” Then he left.", ["He said: “We agree.”", "Then he left."]),
        ("«Siamo d'accordo.» Poi è uscito.", ["«Siamo d'accordo.»", "Poi è uscito."]),
        ('"Is it true?" she asked. "Yes."', ['"Is it true?" she asked.', '"Yes."']),
        ('He said "that is the end." Next came the vote.', ['He said "that is the end."', "Next came the vote."]),
        ("The U.S. Senate voted. J. K. Rowling wrote.", ["The U.S. Senate voted.", "J. K. Rowling wrote."]),
        ("¿Qué pasó? ¡Nada! Bien.", ["¿Qué pasó?", "¡Nada!", "Bien."]),
        ("Wow! Great. Really?", ["Wow!", "Great.", "Really?"]),
        ("He paused... Then he left. Wait… what was that?", ["He paused...", "Then he left.", "Wait… what was that?"]),
        ("今天下雨。我们走吧！好吗？", ["今天下雨。", "我们走吧！", "好吗？"]),
        ("Visit www.example.com. Then write to info@example.org. Done.",
         ["Visit www.example.com.", "Then write to info@example.org.", "Done."]),
        ("A line that wraps\ninto the next line. Done.", ["A line that wraps\ninto the next line.", "Done."]),
        ("# Markdown title\n\n- first point. Second.", ["Markdown title", "first point.", "Second."]),
    ],
)
def test_sentences_in_any_language(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("lang", [None, "en"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [  # the examples: "ago", "no", "on" are words, not abbreviations
        ("Lloyds paid for it £125m, three years ago. It said Lloyds would grow.",
         ["Lloyds paid for it £125m, three years ago.", "It said Lloyds would grow."]),
        ("The answer was no. Then he left.", ["The answer was no.", "Then he left."]),
        ("They carried on. Gen Z did not.", ["They carried on.", "Gen Z did not."]),
        ("She loves art. Mar-a-Lago is closed.", ["She loves art.", "Mar-a-Lago is closed."]),
    ],
)  # fmt: skip
def test_common_words_end_sentences(text, expected, lang):
    assert texts(text, lang=lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("it", "Il sig. Rossi e il dott. Bianchi. Poi basta.", ["Il sig. Rossi e il dott. Bianchi.", "Poi basta."]),
        ("it", "Il Sig. Verdi parla con la Dott. Neri. Poi va via.", ["Il Sig. Verdi parla con la Dott. Neri.", "Poi va via."]),
        ("it", "Ci sono molti casi, p. es. Roma e Milano. Poi altri.", ["Ci sono molti casi, p. es. Roma e Milano.", "Poi altri."]),
        ("it", "Lo dice l'art. 5 della legge. Il prof. Czeisler concorda.", ["Lo dice l'art. 5 della legge.", "Il prof. Czeisler concorda."]),
        ("it", "Ha vinto il paese n. 1 al mondo. Ora tocca a noi.", ["Ha vinto il paese n. 1 al mondo.", "Ora tocca a noi."]),
        ("it", "Lo sci risale al 5000 a.C.! Lo sci alpino è più recente.", ["Lo sci risale al 5000 a.C.!", "Lo sci alpino è più recente."]),
        ("es", "La Sra. García llegó. Habló.", ["La Sra. García llegó.", "Habló."]),
        ("es", "El Sr. Clark y la Dra. Ford hablaron. Luego se fueron.", ["El Sr. Clark y la Dra. Ford hablaron.", "Luego se fueron."]),
        ("es", "Los EE. UU. siguen aplicando sanciones. EE. UU. El presidente habló.",
         ["Los EE. UU. siguen aplicando sanciones.", "EE. UU.", "El presidente habló."]),
        ("es", "Frutas, verduras, etc. Luego el pan.", ["Frutas, verduras, etc.", "Luego el pan."]),
        ("es", "Hay casos, p. ej. Madrid y Sevilla. Otros no.", ["Hay casos, p. ej. Madrid y Sevilla.", "Otros no."]),
        ("es", "Fue a las 10:00 p. m. del lunes. En el siglo III a. C. El imperio cayó.",
         ["Fue a las 10:00 p. m. del lunes.", "En el siglo III a. C.", "El imperio cayó."]),
        ("es", "El barco salió al mar. El viaje duró días.", ["El barco salió al mar.", "El viaje duró días."]),
        ("es", "Fue el 1.º de mayo. La 2.ª edición salió después.", ["Fue el 1.º de mayo.", "La 2.ª edición salió después."]),
        ("en", "Dr. Jones met Sen. Flake and Gov. Brown. They talked.", ["Dr. Jones met Sen. Flake and Gov. Brown.", "They talked."]),
        ("en", "Martin Luther King Jr. The march began. Apple Inc. The firm grew.",
         ["Martin Luther King Jr.", "The march began.", "Apple Inc.", "The firm grew."]),
        ("en", "Cakes, pies, etc. Then came the coffee.", ["Cakes, pies, etc.", "Then came the coffee."]),
        ("en", "Moisture moves to the West Coast of the U.S. As Rosa approaches, rain falls.",
         ["Moisture moves to the West Coast of the U.S.", "As Rosa approaches, rain falls."]),
        ("en", "The rally starts at 7 p.m. ET tonight. It ended at 3 p.m. The crowd left.",
         ["The rally starts at 7 p.m. ET tonight.", "It ended at 3 p.m.", "The crowd left."]),
        ("en", "It ran on Sept. 29 and the No. 5 bus. It was late in Jan. The next day too.",
         ["It ran on Sept. 29 and the No. 5 bus.", "It was late in Jan.", "The next day too."]),
        ("en", "The Grace v. Sessions suit, e.g. the latest one. It failed.", ["The Grace v. Sessions suit, e.g. the latest one.", "It failed."]),
        ("en", "She won the Super-G. Czech skiers came second.", ["She won the Super-G.", "Czech skiers came second."]),
        ("en", "He needs vitamin C. It helps. George W. Bush agreed.", ["He needs vitamin C.", "It helps.", "George W. Bush agreed."]),
    ],
)  # fmt: skip
def test_abbreviations_of_the_language(lang, text, expected):
    assert texts(text, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sales rose in 2019. iPhone demand fell.", ["Sales rose in 2019.", "iPhone demand fell."]),
        ("Goods were taxed in those countries. we treat you fairly.", ["Goods were taxed in those countries.", "we treat you fairly."]),
        ("The U.S. officials agreed. T. rex was big.", ["The U.S. officials agreed.", "T. rex was big."]),
        ('"Why?" she asked. "Ready!" he said.', ['"Why?" she asked.', '"Ready!" he said.']),
    ],
)
def test_lower_case_starts_only_after_a_clear_end(text, expected):
    assert texts(text, lang="en") == expected


def test_an_unknown_language_uses_only_the_shared_abbreviations():
    assert for_language(None).titles == SHARED.titles and for_language("de").titles == SHARED.titles
    assert "sig" in for_language("it").titles and "sig" not in for_language("es").titles
    assert texts("Il dott. Bianchi parla.", lang="it") == ["Il dott. Bianchi parla."]
    assert texts("Il dott. Bianchi parla.") == ["Il dott.", "Bianchi parla."]
    assert texts("Dr. Smith came. He left.") == ["Dr. Smith came.", "He left."]
    assert texts("Prices in the U.S. The rest of the world.") == ["Prices in the U.S.", "The rest of the world."]


SENTENCE_FINAL_WORDS = {  # common words that can end a sentence: no abbreviation of their language may take them
    "en": "ago no on art gen mar sen rep col set card est",
    "it": "no ago art set card mare sei",
    "es": "no mar art sen gen col",
}


@pytest.mark.parametrize("lang", sorted(SENTENCE_FINAL_WORDS))
def test_no_abbreviation_swallows_a_common_word(lang):
    known = for_language(lang)
    for word in SENTENCE_FINAL_WORDS[lang].split():
        assert not listed(word, known.titles) and not listed(word, known.ambiguous), word
        assert texts(f"It was {word}. The end.", lang=lang) == [f"It was {word}.", "The end."]


# --- what a line break means, decided once per document ---------------------------------------------------------

WRAPPED = """The Russian president attended the opening ceremony of the forum in
Beijing, the diplomatic event celebrating ten years of the infrastructure
connection initiative launched by Xi. This was followed by a ninety-minute
bilateral meeting with Xi Jinping. During the meeting, the Chinese
President urged his Russian counterpart to step up joint efforts.
Trade is growing.
A second paragraph starts here after a short line, and it goes on for
a while in the same way, wrapped at a fixed width by the mail program
that sent it."""

ONE_PER_LINE = """The summit opened in Beijing on Wednesday morning.
the Russian president arrived an hour late, officials said.
Trade between the two countries reached a record.
iPhone sales were not discussed at all.
Both leaders spoke of a multipolar world."""


def test_hard_wrapped_text_joins_its_lines_whatever_their_case():
    assert line_layout(WRAPPED, line_spans(WRAPPED)).kind == "wrapped"
    spans = segment_spans(WRAPPED)
    segs = [WRAPPED[s:e] for s, e, _ in spans]
    assert segs[:3] == [
        ("The Russian president attended the opening ceremony of the forum in\nBeijing, the diplomatic event celebrating "
         "ten years of the infrastructure\nconnection initiative launched by Xi."),
        "This was followed by a ninety-minute\nbilateral meeting with Xi Jinping.",
        "During the meeting, the Chinese\nPresident urged his Russian counterpart to step up joint efforts.",
    ]
    assert segs[3] == "Trade is growing." and segs[4].startswith("A second paragraph") and segs[4].endswith("that sent it.")
    assert [para for _, _, para in spans] == [0, 0, 0, 0, 1]
    assert texts(WRAPPED, "paragraph")[1].startswith("A second paragraph")


def test_one_sentence_per_line_keeps_each_line_even_in_lower_case():
    assert line_layout(ONE_PER_LINE, line_spans(ONE_PER_LINE)).kind == "lines"
    assert texts(ONE_PER_LINE) == ONE_PER_LINE.split("\n")
    assert [para for _, _, para in segment_spans(ONE_PER_LINE)] == [0, 1, 2, 3, 4]


def test_a_short_document_falls_back_to_gluing_lower_case_lines():
    text = "A line that wraps\ninto the next one. Done."
    assert line_layout(text, line_spans(text)).kind == "unknown"
    assert texts(text) == ["A line that wraps\ninto the next one.", "Done."]


def test_a_dash_at_the_start_of_a_wrapped_line_is_not_a_list_item():
    text = WRAPPED.replace("the Chinese\nPresident urged", "the Chinese\n- who urged")
    assert "During the meeting, the Chinese\n- who urged his Russian counterpart to step up joint efforts." in texts(text)


def test_paragraph_level():
    text = "Title\n\nFirst sentence. Second sentence.\nNext paragraph."
    assert texts(text, "paragraph") == ["Title", "First sentence. Second sentence.", "Next paragraph."]


def test_sentences_carry_their_paragraph_number():
    text = "Title\n\nOne here. Two here.\n\nThree here."
    assert [para for _, _, para in segment_spans(text)] == [0, 1, 1, 2]


def test_long_unpunctuated_text_is_cut():
    text = "word " * 5000
    spans = segment_spans(text)
    assert len(spans) > 1 and all(e - s <= 2000 for s, e, _ in spans)


def test_bad_level_names_the_allowed_ones():
    with pytest.raises(ValueError, match="sentence, paragraph"):
        segment_spans("x", "word")  # type: ignore[arg-type]


TRICKY = st.sampled_from([
    "Sr.", "Sra.", "sig.", "Dott.", "EE.", "UU.", "U.S.", "a.m.", "p.", "es.", "J.", "K.", "No.", "5", "etc.", "...", "…",
    "?", "!", "»", "«", "“", "”", '"', "(", ")", "iPhone", "we", "The", "El", "Il", "word", "palabra", "parola", "3.5",
    "1.º", "www.x.com.", "\n", "\n\n", "-", "#", "。", " ",
])


@settings(max_examples=300, deadline=None)
@given(words=st.lists(TRICKY, max_size=80), lang=st.sampled_from([None, "it", "es", "en", "fr"]),
       level=st.sampled_from(["sentence", "paragraph"]))  # fmt: skip
@pytest.mark.slow
def test_offsets_are_exact_and_nothing_but_markup_is_lost(words, lang, level):
    text = " ".join(words)
    spans = segment_spans(text, level, lang=lang)
    covered = [False] * len(text)
    previous = 0
    for start, end, _ in spans:
        assert previous <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        covered[start:end] = [True] * (end - start)
        previous = end
    assert all(c.isspace() or c in "-#" for c, seen in zip(text, covered) if not seen)
    assert [p for _, _, p in spans] == sorted(p for _, _, p in spans)


@pytest.mark.parametrize("level", ["sentence", "paragraph"])
def test_offsets_are_exact_on_every_seed_segment(seed_paths, level):
    for path in seed_paths:
        doc = read_document(path)
        spans = segment_spans(doc.text, level, doc.body_start, lang="en")
        assert spans
        previous_end = doc.body_start
        for start, end, _ in spans:
            segment = doc.text[start:end]
            assert segment == segment.strip() and segment
            assert start >= previous_end
            previous_end = end


def test_seed_headlines_are_their_own_segments(seed_paths):
    doc = read_document(seed_paths[0])
    segs = [doc.text[s:e] for s, e, _ in segment_spans(doc.text, "sentence", doc.body_start, lang="en")]
    assert "Beijing, bilateral negotiations between Xi and Putin underway" in segs
    assert "Xi to Putin: efforts for close strategic coordination" in segs
