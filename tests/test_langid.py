"""Language detection: seeded, 'unknown' when too short, and the lazy profile map gives langdetect's own answers."""
from __future__ import annotations

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

from xling import langid

TEXTS = [
    "The Chinese president received the Russian leader in Beijing to talk about trade.",
    "Il presidente cinese ha ricevuto il leader russo a Pechino per parlare di commercio.",
    "El presidente chino recibió al líder ruso en Pekín para hablar de comercio.",
    "Der chinesische Präsident empfing den russischen Staatschef in Peking.",
    "习近平会见普京。双方讨论了贸易和能源问题，并同意加强合作。",
    "التقى الرئيس الصيني بالرئيس الروسي في بكين. تحدثا عن التجارة والطاقة.",
]


@pytest.fixture(scope="module")
def eager() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(langid.SEED)
    return factory


@pytest.mark.parametrize("text", TEXTS)
def test_lazy_profiles_give_langdetect_s_own_answer(eager, text):
    detector = eager.create()
    detector.n_trial = langid.TRIALS
    detector.append(text)
    best = detector.get_probabilities()[0]
    assert langid.detect(text) == langid.LangGuess(best.lang, round(best.prob, 4))


def test_same_text_same_answer_and_short_text_is_unknown():
    assert [langid.detect(t) for t in TEXTS] == [langid.detect(t) for t in TEXTS]
    assert [g.lang for g in map(langid.detect, TEXTS[:3])] == ["en", "it", "es"]
    assert langid.detect("Pechino") == langid.LangGuess("unknown", 0.0)


ARTICLE = [
    "The president of the commission met the ministers of the member states in Brussels on Monday morning.",
    "The ministers discussed the budget of the union for the next seven years and the rules on state aid.",
    "Il presidente della commissione ha incontrato i ministri degli stati membri a Bruxelles lunedì mattina.",
    "The talks will continue on Tuesday, when the ministers of the member states meet again in Brussels.",
    "Президент комиссии встретился с министрами в Брюсселе в понедельник утром.",
    "Los ministros discutieron el presupuesto de la unión para los próximos siete años.",
    "Brussels, Monday.",
    "The commission said that the ministers of the member states had agreed on the rules for the budget.",
    "The president of the commission told the press that the talks with the ministers had been good.",
    "The budget of the union will be discussed again by the ministers of the member states in March.",
    "Some of the member states want the commission to spend more of the budget on the rules of the market.",
]


def test_segments_take_their_document_s_language_unless_they_look_otherwise(monkeypatch):
    body = "\n".join(ARTICLE)
    document = langid.detect(body)
    calls = []
    real = langid.detect
    monkeypatch.setattr(langid, "detect", lambda text: calls.append(text) or real(text))
    guesses = langid.segment_languages(body, document, ARTICLE)
    assert [g.lang for g in guesses] == ["en", "en", "it", "en", "ru", "es", "unknown", "en", "en", "en", "en"]
    assert set(ARTICLE[2:3] + ARTICLE[4:6]) <= set(calls)  # the foreign segments were detected...
    assert len(calls) < 8 and any(g == document for g in guesses)  # ...and English ones plainly so took the document's guess


def test_an_unknown_document_language_detects_every_segment():
    texts = ARTICLE[:3]
    guesses = langid.segment_languages(" ".join(texts), langid.LangGuess("unknown", 0.0), texts)
    assert guesses == [langid.detect(t) for t in texts]


# --- the ambiguity rule, as first written (per-character loops), against the one in use --------------------


def _reference_segment_languages(body: str, document: langid.LangGuess, texts: list[str]) -> list[langid.LangGuess]:
    from xling.wordfreqs import LANGS

    def trigrams(words):
        text = " " + " ".join(words) + " "
        counts = {}
        for i in range(len(text) - 2):
            counts[text[i : i + 3]] = counts.get(text[i : i + 3], 0) + 1
        return counts

    def vote(words, lang):
        if lang not in LANGS:
            return 0.0
        scores = [0.0] * len(LANGS)
        for word in words:
            for k, value in enumerate(langid._zipfs(word)):
                scores[k] += value
        return scores[LANGS.index(lang)] - max(v for k, v in enumerate(scores) if LANGS[k] != lang)

    doc_words = [w.lower() for w in langid._WORD.findall(body)]
    doc_latin = langid._latin(body, sum(len(w) for w in doc_words))
    counts = trigrams(doc_words)
    out = []
    for text in texts:
        words = [w.lower() for w in langid._WORD.findall(text)]
        letters = sum(len(w) for w in words)
        if letters < langid.MIN_LETTERS:
            out.append(langid.LangGuess("unknown", 0.0))
            continue
        v = vote(words, document.lang)
        if document.lang == "unknown" or langid._latin(text, letters) != doc_latin or v < -langid.VOTE_MARGIN:
            out.append(langid.detect(text))
            continue
        own = trigrams(words)
        supported = sum(c for gram, c in own.items() if counts.get(gram, 0) > c) / sum(own.values())
        clear = supported >= langid.SUPPORT_MIN or (v >= langid.STRONG_VOTE and supported >= langid.SUPPORT_MIN_VOTED)
        out.append(document if clear else langid.detect(text))
    return out


def _mixed_articles() -> list[tuple[str, list[str]]]:
    """Italian NTREX articles as xling segments them, each with a Spanish or English sentence put in."""
    import random

    from benchmarks.comparable import build_cases, load_lines
    from xling.segment import segment_spans

    rng = random.Random(3)
    foreign = [line for pair in zip(rng.sample(load_lines("spa"), 6), rng.sample(load_lines("eng"), 6)) for line in pair]
    out = []
    for k, case in enumerate(build_cases("test")[:36:3]):
        paragraphs = case.text_a.split("\n\n")
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), foreign[k % len(foreign)])
        body = "\n\n".join(paragraphs)
        out.append((body, [body[s:e] for s, e, _ in segment_spans(body)]))
    return out


@pytest.mark.slow
def test_the_ambiguity_rule_decides_as_first_written_on_corpus_articles():
    decided = 0
    for body, texts in _mixed_articles():
        document = langid.detect(body)
        got = langid.segment_languages(body, document, texts)
        assert got == _reference_segment_languages(body, document, texts)
        decided += sum(g != document for g in got)
    assert decided >= 10  # the foreign sentences (and a few others) were detected, not all given the document's answer


def test_too_short_counts_letters_not_characters():
    assert langid._too_short("1234567890 ... 19 letters here: abcdefg"[:30])
    assert not langid._too_short("twenty letters right here")
    assert langid._too_short("") and langid._too_short("x" * 19) and not langid._too_short("x" * 20)
