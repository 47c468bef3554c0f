"""The small corpus of the batch tests: articles made of shared facts, and manifests over them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import FakeEmbedder

from xling.pipeline import align_pair, prepare
from xling.types import Settings


ROOT = Path(__file__).resolve().parent.parent
FACTS = [
    "The summit opened in Beijing on Tuesday with twenty delegations.",
    "Prices of wheat rose by nine percent after the harbour closed.",
    "The minister said the bridge will reopen in March.",
    "Rescue teams found three survivors under the collapsed school.",
    "Voters in the northern provinces backed the new governor.",
    "The orchestra cancelled its tour because of a strike at the airport.",
    "Scientists counted four hundred wolves in the national park.",
    "The court fined the company for dumping oil in the river.",
]


def article(seed: int, n: int = 5) -> str:
    """A small article: ``n`` of the facts, picked and ordered by ``seed``, plus one sentence of its own."""
    picked = [FACTS[(seed * 3 + k * 5) % len(FACTS)] for k in range(n)]
    return " ".join(dict.fromkeys(picked)) + f" Only article {seed} reports that the mayor number {seed} resigned.\n"


def corpus(folder: Path, n_docs: int = 6) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n_docs):
        (folder / f"d{i}.txt").write_text(article(i), encoding="utf-8")
        names.append(f"d{i}.txt")
    return names


def pair_manifest(folder: Path, pairs: list[tuple[str, str, str]]) -> Path:
    path = folder / "pairs.csv"
    path.write_text("pair_id,doc_a,doc_b\n" + "".join(f"{p},{a},{b}\n" for p, a, b in pairs), encoding="utf-8")
    return path


def expected_table(manifest: Path) -> pd.DataFrame:
    """What the batch table must be: each pair aligned on its own, in manifest order."""
    rows = pd.read_csv(manifest)
    from xling.io import read_document

    embedder = FakeEmbedder()
    docs = {n: read_document(manifest.parent / n, name=n) for n in dict.fromkeys([*rows.doc_a, *rows.doc_b])}
    prepared = {p.name: p for p in prepare(list(docs.values()), embedder)}
    frames = [align_pair(prepared[r.doc_a], prepared[r.doc_b], Settings(), r.pair_id).to_dataframe() for r in rows.itertuples()]
    return pd.concat(frames, ignore_index=True)
