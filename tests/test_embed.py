from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from xling.embed import CachedEmbedder, EmbeddingCache, available_models, build_embedder, get_embedder
from xling.errors import UnknownModel


def test_second_run_reads_the_cache_and_encodes_nothing(fake_embedder, tmp_path):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    first = CachedEmbedder(fake_embedder, cache).encode(["uno due", "tre quattro", "uno due"])
    again = CachedEmbedder(fake_embedder, EmbeddingCache(tmp_path / "e.sqlite"))
    second = again.encode(["tre quattro", "uno due"])
    assert again.encoded == 0 and fake_embedder.texts_encoded == 2  # the repeated text was encoded once
    np.testing.assert_array_equal(second, first[[1, 0]])


def test_cache_is_keyed_by_model(fake_embedder, tmp_path):
    class Other(type(fake_embedder)):
        model_id = "fake/other"

    cache = EmbeddingCache(tmp_path / "e.sqlite")
    CachedEmbedder(fake_embedder, cache).encode(["same text"])
    other = CachedEmbedder(Other(), cache)
    other.encode(["same text"])
    assert other.encoded == 1


def test_offline_names_and_nothing_loaded_at_build():
    assert {"e5-small", "minilm", "use-multilingual"} <= set(available_models())
    embedder = build_embedder("e5-small")
    assert embedder._model is None  # loading waits for the first encode


def test_unknown_model_fails_clearly_offline(monkeypatch):
    """The loader's failure becomes UnknownModel. sentence-transformers is stood in by a module that fails as it
    does offline, so no torch import; tests/test_cli.py's slow twin runs the real one."""

    class NoSuchModel:
        def __init__(self, name, **_kwargs):
            raise OSError(f"{name} is not a local folder and not in the cache")

    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=NoSuchModel))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(UnknownModel, match="no/such-model"):
        get_embedder("no/such-model", cache=False).encode(["x"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["e5-small", "minilm", "use-multilingual"])
def test_offline_models_give_unit_vectors_that_rank_translations_first(name):
    embedder = build_embedder(name)
    vectors = embedder.encode(["The summit ended late at night.", "Il vertice è finito a tarda notte.", "I like green apples."])
    assert vectors.shape[0] == 3 and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    sims = vectors @ vectors.T
    if name != "minilm":  # the English model is not expected to cross languages
        assert sims[0, 1] > sims[0, 2]


def test_ensemble_loads_a_later_member_early_only_when_it_has_texts_to_encode():
    from xling.embed import EnsembleEmbedder

    class Member:
        def __init__(self, name: str, cached: bool) -> None:
            self.model_id, self.cached, self.loaded = name, cached, 0

        def load(self) -> None:
            self.loaded += 1

        def missing(self, texts):
            return [] if self.cached else list(texts)

        def encode(self, texts):
            return np.ones((len(texts), 2), dtype=np.float32)

    first, fresh, cached = Member("a", False), Member("b", False), Member("c", True)
    out = EnsembleEmbedder([first, fresh, cached], [2, 2, 2]).encode(["x", "y"])
    assert out.shape == (2, 6) and np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert (first.loaded, fresh.loaded, cached.loaded) == (0, 1, 0)


def test_use_takes_its_thread_count_from_omp_num_threads(monkeypatch):
    """A Dask worker's share of the cores (OMP_NUM_THREADS) holds for USE too, not only for the OpenMP encoders."""
    import os

    from xling.embed.backends import _threads

    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert _threads() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "many")
    assert _threads() == (os.cpu_count() or 1)
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert _threads() == (os.cpu_count() or 1)
