"""Shared fixtures: a deterministic fake embedder for logic tests, the real models for slow ones."""
from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
FAKE_DIM = 512


class FakeEmbedder:
    """Bag of words hashed into a vector: texts sharing words are similar. No model, fully repeatable."""

    model_id = "fake/bag-of-words"

    def __init__(self) -> None:
        self.calls = 0
        self.texts_encoded = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_encoded += len(texts)
        out = np.zeros((len(texts), FAKE_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, zlib.crc32(word.encode()) % FAKE_DIM] += 1.0
            out[row, FAKE_DIM - 1] += 0.5  # a shared direction, like real encoders have
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's embedding cache."""
    monkeypatch.setenv("XLING_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "xling-cache"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    assert len(SEEDS) == 2, "the two seed articles must be in seeds/"
    return SEEDS


@pytest.fixture(scope="session")
def seed_comparison(tmp_path_factory: pytest.TempPathFactory):
    """The seed pair compared with the default offline model (slow tests only)."""
    import xling

    docs = [xling.read_document(p) for p in SEEDS]
    return xling.compare(docs, xling.get_embedder(cache=tmp_path_factory.mktemp("seed-cache")))
