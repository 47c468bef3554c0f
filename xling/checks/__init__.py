"""Checks on aligned passages: facts that disagree (numbers, dates, names, negation) and translation artifacts.

    facts.py          the facade: a passage's facts and the differences between two passages
    extract.py        facts of one passage (numbers, dates, names, quotes, negation)
    compare.py        two passages' facts -> ``Difference`` records
    patterns.py       the expressions and name folding both use
    lexicon.py        vocabulary as data (month names, number words, titles...)
    discrepancies.py  the check stage of a pair: ``PairChecks`` of its links and unlinked passages
    artifacts.py      glued words and source-language leftovers in a translation
"""
