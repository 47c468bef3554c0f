"""Corpora of stories for ``benchmarks/stories.py``: one file per document, the gold story in the file name.

* **NTREX-128**: every article in Spanish, Mexican Spanish, English and British
  English, each an "outlet" of its own; each version drops a random 15% of its
  sentences and, half the time, gains one sentence of another article.
* **FLORES-200 devtest**: 281 short articles (1-6 sentences, grouped by URL) in
  Italian, Spanish and English, as they are.
* **Resampled NTREX** for cost growth: ``n`` documents drawn from the NTREX
  versions, each perturbed anew (its own drop, insertion and story number).

Stories are split into development and test sets by story id (seeded); a
corpus holds the stories of one split. Everything is seeded.
"""
from __future__ import annotations

import random
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NTREX = ROOT / "data" / "sources" / "ntrex128"
FLORES = ROOT / "data" / "sources" / "flores200_devtest"
NTREX_OUTLETS = {"it": "newstest2019-ref.ita.txt", "es": "newstest2019-ref.spa.txt", "es-MX": "newstest2019-ref.spa-MX.txt",
                 "en": "newstest2019-src.eng.txt", "en-GB": "newstest2019-ref.eng-GB.txt"}  # fmt: skip
FLORES_OUTLETS = {"it": "ita_Latn.devtest", "es": "spa_Latn.devtest", "en": "eng_Latn.devtest"}
DROP_SHARE = 0.15
FOREIGN_CHANCE = 0.5
DEV_SHARE = 0.4
SPLIT_SEED = 17
GOLD_SEPARATOR = "__"  # file name: <story>__<n>.txt


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [line.rstrip("\r\n").replace("\r", "") for line in handle]


@cache
def ntrex_articles() -> dict[str, dict[str, list[str]]]:
    """Article id -> outlet -> its sentences."""
    ids = [i.strip() for i in _lines(NTREX / "DOCUMENT_IDS.tsv")]
    texts = {outlet: _lines(NTREX / name) for outlet, name in NTREX_OUTLETS.items()}
    out: dict[str, dict[str, list[str]]] = {}
    for number, doc in enumerate(ids):
        for outlet, lines in texts.items():
            out.setdefault(doc, {}).setdefault(outlet, []).append(lines[number])
    return out


@cache
def flores_articles() -> dict[str, dict[str, list[str]]]:
    """Article (URL) -> language -> its sentences; metadata row i+1 belongs to sentence i."""
    urls = [row.split("\t")[0] for row in _lines(FLORES / "metadata_devtest.tsv")[1:]]
    texts = {lang: _lines(FLORES / name) for lang, name in FLORES_OUTLETS.items()}
    out: dict[str, dict[str, list[str]]] = {}
    for number, url in enumerate(urls):
        for lang, lines in texts.items():
            out.setdefault(url, {}).setdefault(lang, []).append(lines[number])
    return out


def split(ids: list[str], name: str) -> list[str]:
    order = sorted(ids)
    random.Random(SPLIT_SEED).shuffle(order)
    cut = round(len(order) * DEV_SHARE)
    return sorted(order[:cut] if name == "dev" else order[cut:])


def perturb(rng: random.Random, sentences: list[str], others: list[list[str]]) -> list[str]:
    """Drop a random 15% of the sentences (never all); half the time insert one sentence of another article."""
    n = len(sentences)
    drop = set(rng.sample(range(n), min(round(n * DROP_SHARE), n - 1)))
    kept = [s for k, s in enumerate(sentences) if k not in drop]
    if others and rng.random() < FOREIGN_CHANCE:
        kept.insert(rng.randrange(len(kept) + 1), rng.choice(rng.choice(others)))
    return kept


def _write(folder: Path, outlet: str, name: str, sentences: list[str]) -> None:
    path = folder / outlet / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(sentences) + "\n", encoding="utf-8")


def _story_key(article: str, corpus: str) -> str:
    """A file-name-safe gold id."""
    return f"{corpus}{sorted(ntrex_articles()).index(article) if corpus == 'ntrex' else sorted(flores_articles()).index(article):04d}"


def write_ntrex(folder: Path, split_name: str, seed: int = 0) -> dict[str, str]:
    """The NTREX corpus of one split under ``folder``; returns doc (as ``xling stories`` names it) -> gold story."""
    articles = ntrex_articles()
    gold = {}
    for article in split(list(articles), split_name):
        story = _story_key(article, "ntrex")
        for outlet, sentences in articles[article].items():
            rng = random.Random(f"{seed}/ntrex/{article}/{outlet}")
            others = [articles[a][outlet] for a in articles if a != article]
            _write(folder, outlet, story, perturb(rng, sentences, others))
            gold[f"{outlet}/{story}.txt"] = story
    return gold


def write_flores(folder: Path, split_name: str) -> dict[str, str]:
    """The FLORES corpus of one split: each article in it, es and en, unchanged."""
    articles = flores_articles()
    gold = {}
    for article in split(list(articles), split_name):
        story = _story_key(article, "flores")
        for lang, sentences in articles[article].items():
            _write(folder, lang, story, sentences)
            gold[f"{lang}/{story}.txt"] = story
    return gold


@cache
def ntrex_lines() -> dict[str, list[str]]:
    """Outlet -> every NTREX line (the files are line-aligned: line k of each is one sentence in four versions)."""
    return {outlet: _lines(NTREX / name) for outlet, name in NTREX_OUTLETS.items()}


def write_resampled(folder: Path, n_docs: int, seed: int = 0, per_story: int = 4) -> dict[str, str]:
    """``n_docs`` documents in stories of ``per_story``, for cost growth.

    A story is 8-20 NTREX lines drawn at random (in order), so stories are
    distinct however many there are while a few sentences recur across them;
    each of its documents takes an outlet and a perturbation of its own.
    Files are spread over 100 folders.
    """
    lines = ntrex_lines()
    total = len(lines["en"])
    gold = {}
    for number in range(n_docs):
        story_no = number // per_story
        story_rng = random.Random(f"{seed}/story/{story_no}")
        picked = sorted(story_rng.sample(range(total), story_rng.randint(8, 20)))
        rng = random.Random(f"{seed}/doc/{number}")
        outlet = rng.choice(list(NTREX_OUTLETS))
        sentences = [lines[outlet][k] for k in picked]
        other = [lines[outlet][k] for k in rng.sample(range(total), 3)]
        name = f"s{story_no:07d}{GOLD_SEPARATOR}{number}"
        _write(folder, f"f{number % 100:02d}", name, perturb(rng, sentences, [other]))
        gold[f"f{number % 100:02d}/{name}.txt"] = f"s{story_no:07d}"
    return gold
