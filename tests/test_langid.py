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
