"""The shipped word-frequency table gives wordfreq's own answers for the words xling.checks.facts asks about."""
from __future__ import annotations

import pytest
import wordfreq

from xling.checks import wordfreqs

WORDS = ["the", "giustizia", "seguridad", "pechino", "beijing", "merkel", "putin", "kavanaugh", "senato", "miércoles"]


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("lang", wordfreqs.LANGS)
def test_table_matches_wordfreq(word, lang):
    assert wordfreqs.zipf(word, lang) == pytest.approx(wordfreq.zipf_frequency(word, lang), abs=0.006)


def test_words_rare_in_every_language_are_zero_and_unknown_languages_too():
    assert wordfreqs.zipf("nugrohoxyz", "en") == 0.0
    assert wordfreqs.zipf("the", "fr") == 0.0


def test_zipfs_gives_zipf_in_each_language_from_one_look_up():
    for word in ("the", "della", "pueblo", "nugroho", "zzzxq", ""):
        assert wordfreqs.zipfs(word) == tuple(wordfreqs.zipf(word, lang) for lang in wordfreqs.LANGS)
    assert wordfreqs.zipfs("the")[0] > 6 and wordfreqs.zipfs("zzzxq") == (0.0, 0.0, 0.0)
