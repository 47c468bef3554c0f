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
