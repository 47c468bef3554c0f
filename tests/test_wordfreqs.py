"""The shipped word-frequency table gives wordfreq's own answers for the words xling.checks.facts asks about."""
from __future__ import annotations

import pytest
import wordfreq

from xling import wordfreqs

WORDS = ["the", "giustizia", "seguridad", "pechino", "beijing", "merkel", "putin", "kavanaugh", "senato", "miércoles"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("lang", wordfreqs.LANGS)
def test_table_matches_wordfreq(word, lang):
    assert wordfreqs.zipf(word, lang) == pytest.approx(wordfreq.zipf_frequency(word, lang), abs=0.006)


def test_words_rare_in_every_language_are_zero_and_unknown_languages_too():
    assert wordfreqs.zipf("nugrohoxyz", "en") == 0.0
    assert wordfreqs.zipf("the", "fr") == 0.0


@pytest.mark.parametrize("lang", ["en", "es", "it", "fr", "de", "pt"])
def test_any_word_in_any_language_is_wordfreq_s_own_value(lang):
    """What the artifact checks ask: common words from the table, rare ones and other languages from wordfreq, one answer."""
    words = [*WORDS, "putinthe", "tradewhich", "ofthe", "ilmondo", "nugrohoxyz", "jinping", "y", "fatto", "der", "você"]
    for word in words:
        assert wordfreqs.zipf_any(word, lang) == wordfreq.zipf_frequency(word, lang), word


def test_zipfs_gives_zipf_in_each_language_from_one_look_up():
    for word in ("the", "della", "pueblo", "nugroho", "zzzxq", ""):
        assert wordfreqs.zipfs(word) == tuple(wordfreqs.zipf(word, lang) for lang in wordfreqs.LANGS)
    assert wordfreqs.zipfs("the")[0] > 6 and wordfreqs.zipfs("zzzxq") == (0.0, 0.0, 0.0)
