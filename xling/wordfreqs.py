"""Word frequencies of English, Spanish and Italian for the facts checks and language detection, in a small table
shipped with xling (core: both :mod:`xling.langid` and :mod:`xling.checks` read it).

``facts`` asks one question of word frequencies: is this capitalised word common in its
own language (zipf >= 3) and much rarer in the other two (a translated word, not a
name)? Only words common in some language matter, so the table holds every word of
wordfreq's *small* lists (zipf >= 3 in en, es or it) with its zipf in all three
languages taken from the *large* lists: the same answers as wordfreq, read in a tenth
of a second instead of the seconds wordfreq's full lists take to load.

Rebuild with ``python -m xling.wordfreqs`` after a wordfreq upgrade.
"""
from __future__ import annotations

import functools
import gzip
from pathlib import Path

LANGS = ("en", "es", "it")
TABLE = Path(__file__).with_name("data") / "zipf-en-es-it.tsv.gz"


@functools.cache
def _table() -> dict[str, str]:
    """word -> its tab-separated zipf values (parsed on lookup: most words are never asked for)."""
    text = gzip.decompress(TABLE.read_bytes()).decode("utf-8")
    return dict(line.split("\t", 1) for line in text.split("\n") if line)


def _from_table(word: str, lang: str) -> float | None:
    """The table's zipf of ``word`` in ``lang``, or None when the table does not hold the word or the language."""
    found = _table().get(word) if lang in LANGS else None
    return None if found is None else float(found.split("\t")[LANGS.index(lang)])


def zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency of lower-case ``word`` in ``lang``; 0.0 for a word rare in all three languages."""
    found = _from_table(word, lang)
    return 0.0 if found is None else found


@functools.lru_cache(maxsize=400_000)
def zipf_any(word: str, lang: str) -> float:
    """wordfreq's zipf of ``word`` in any language wordfreq knows: from the table when it holds the word (the
    same value), else from wordfreq itself, whose lists load on first use (about 0.1 s a language)."""
    found = _from_table(word, lang)
    if found is not None:
        return found
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def zipfs(word: str) -> tuple[float, ...]:
    """:func:`zipf` of lower-case ``word`` in each of :data:`LANGS`, in that order, from one look-up."""
    found = _table().get(word)
    if found is None:
        return (0.0,) * len(LANGS)
    return tuple(float(value) for value in found.split("\t"))


def build(path: Path = TABLE) -> int:
    """Write the table from the installed wordfreq; returns the number of words."""
    import wordfreq

    words = sorted(set().union(*(wordfreq.get_frequency_dict(lang, "small") for lang in LANGS)))
    lines = [word + "\t" + "\t".join(f"{wordfreq.zipf_frequency(word, lang):.2f}" for lang in LANGS) for word in words]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    return len(words)


if __name__ == "__main__":
    print(f"{build():,} words written to {TABLE}")
