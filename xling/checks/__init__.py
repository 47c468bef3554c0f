"""Checks on aligned passages: facts that disagree (numbers, dates, names, negation) and translation artifacts.

    facts.py       extract facts from a passage and compare two passages' facts
    artifacts.py   glued words and source-language leftovers in a translation
    wordfreqs.py   the word-frequency table both use (shipped in data/)
"""
