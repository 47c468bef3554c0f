"""The disk cache: vectors in one SQLite file keyed by model id and text, shared by processes."""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .protocol import Embedder

log = logging.getLogger(__name__)

CACHE_ENV = "XLING_CACHE_DIR"
CACHE_FILE = "embeddings.sqlite"
SQLITE_TIMEOUT_S = 60.0


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
