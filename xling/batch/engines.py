"""Where chunks run: in this process (``local``) or on a Dask cluster (``dask``).

Both engines take an iterator of :class:`~xling.chunks.Chunk` and yield a
:class:`~xling.chunks.ChunkResult` per chunk as it finishes; both call the same
:func:`~xling.chunks.align_chunk`, so their results are the same, byte for byte.
On Dask, each worker process builds its embedder once (a module-level cache
keyed by :class:`EmbedderSpec`) and keeps its own small cache of prepared
documents; only a few chunks are in flight at a time, so memory stays flat. A
run's corrections snapshot is scattered to the workers once, not sent with each chunk.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal, Self, get_args

import numpy as np

from ..pipeline import PreparedCache
from .chunks import Chunk, ChunkResult, align_chunk
from ..embed import DEFAULT_MODEL, Embedder, get_embedder
from ..errors import XlingError
from ..types import Settings
from ..workspace.apply import Snapshot

log = logging.getLogger(__name__)

Engine = Literal["local", "dask"]
ENGINES: tuple[str, ...] = get_args(Engine)
IN_FLIGHT_PER_WORKER = 2  # chunks queued per worker thread: enough to hide a round trip, few enough to stay small
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
CONNECT_TIMEOUT_S = 30


@dataclass(frozen=True)
class EmbedderSpec:
    """How to build an embedder in any process: a model name and the cache choice, or a picklable ``factory``."""

    model: str = DEFAULT_MODEL
    cache: bool = True
    factory: Callable[[], Embedder] | None = None

    def build(self) -> Embedder:
        return self.factory() if self.factory is not None else get_embedder(self.model, cache=self.cache)


class LocalEngine:
    """Chunks one after the other in this process; the encoder's own threads use the cores."""

    def __init__(self, embedder: Embedder, settings: Settings, corrections: Snapshot | None = None) -> None:
        self.embedder = embedder
        self.settings = settings
        self.corrections = corrections
        self.cache = PreparedCache()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield align_chunk(chunk, self.embedder, self.settings, self.cache, self.corrections)


# --- on the workers ---------------------------------------------------------------------------

_worker_state: dict[str, tuple[Embedder, PreparedCache]] = {}
_worker_lock = threading.Lock()
BUILDS: Counter[str] = Counter()  # embedders this process built, by model (tests check: one per worker)


class _SerialEmbedder:
    """Lets one worker thread encode at a time: the encoder parallelises inside, and may not be re-entrant."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self._lock = threading.Lock()

    def encode(self, texts) -> np.ndarray:
        with self._lock:
            return self.inner.encode(texts)


def worker_embedder(spec: EmbedderSpec) -> Embedder:
    """This worker process's embedder for ``spec``: built on the first task that needs it, then kept.

    The seam other task kinds (the stories steps) use to share the embedder that batch chunks use.
    """
    return _state(spec)[0]


def _state(spec: EmbedderSpec) -> tuple[Embedder, PreparedCache]:
    # Keyed by value: each task unpickles its own copy of the spec (and of a factory such as a partial).
    import cloudpickle

    key = hashlib.sha256(cloudpickle.dumps(spec)).hexdigest()
    with _worker_lock:
        if key not in _worker_state:
            embedder = _SerialEmbedder(spec.build())
            _worker_state[key] = (embedder, PreparedCache())
            BUILDS[embedder.model_id] += 1
        return _worker_state[key]


def align_chunk_on_worker(chunk: Chunk, spec: EmbedderSpec, settings: Settings, corrections: Snapshot | None = None) -> ChunkResult:
    """The Dask task: the worker's embedder (built on its first chunk) aligns one chunk (and applies ``corrections``)."""
    embedder, cache = _state(spec)
    return align_chunk(chunk, embedder, settings, cache, corrections)


def worker_builds() -> dict[str, int]:
    """How many embedders this worker built, by model id (for checks: one per worker, not per task)."""
    return dict(BUILDS)


def _worker_versions() -> str:
    from .. import __version__

    return __version__


# --- on the client ----------------------------------------------------------------------------


class DaskEngine:
    """Chunks as tasks on a Dask cluster: a ``LocalCluster`` of ``workers`` processes, or the one at ``scheduler``."""

    def __init__(
        self,
        spec: EmbedderSpec,
        settings: Settings,
        *,
        workers: int | None = None,
        threads_per_worker: int | None = None,
        scheduler: str | None = None,
        corrections: Snapshot | None = None,
    ) -> None:
        cores = os.cpu_count() or 1
        self.spec = spec
        self.settings = settings
        self.corrections = corrections
        self._corrections = None  # the snapshot's copy on the workers, once connected
        self.scheduler = scheduler
        self.workers = workers or cores
        # Encoder threads per worker: the cores shared out, so N workers on N cores do not oversubscribe.
        self.threads = threads_per_worker or max(1, cores // self.workers)
        self.client = None
        self._cluster = None
        self._token = uuid.uuid4().hex[:8]

    def __enter__(self) -> Self:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise XlingError(f"--engine dask needs dask[distributed] ({exc})") from None
        if self.scheduler:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError) as exc:
                raise XlingError(f"cannot reach the Dask scheduler at {self.scheduler} ({exc})") from None
        else:
            import dask

            env = {name: str(self.threads) for name in THREAD_ENV}
            # Pre-spawn: the encoder's OpenMP runtime reads its thread count when it starts.
            with dask.config.set({"distributed.nanny.pre-spawn-environ": {"MALLOC_TRIM_THRESHOLD_": 65536, **env}}):
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR, env=env)  # fmt: skip
            self.client = Client(self._cluster)
        try:
            self._check_versions()
            if self.corrections is not None:  # shipped once to every worker, not with each task
                self._corrections = self.client.scatter(self.corrections, broadcast=True, hash=False)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _check_versions(self) -> None:
        from .. import __version__

        found = set(self.client.run(_worker_versions).values())
        if found - {__version__}:
            raise XlingError(f"the Dask workers run xling {', '.join(sorted(found))}, this client {__version__}: install the same on both")

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        self.client = self._cluster = self._corrections = None

    def capacity(self) -> int:
        """Worker threads on the cluster now."""
        return max(1, sum(self.client.nthreads().values()))

    def map(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        """Keep a few chunks per worker thread in flight (workers may come and go); yield results as they come."""
        from dask.distributed import as_completed

        todo = iter(chunks)
        running = as_completed()
        self._top_up(running, todo)
        for future in running:
            result = self._result(future)
            future.release()
            self._top_up(running, todo)
            yield result

    def _top_up(self, running, todo: Iterator[Chunk]) -> None:
        for chunk in _take(todo, IN_FLIGHT_PER_WORKER * self.capacity() - running.count()):
            running.add(self._submit(chunk))

    @staticmethod
    def _result(future) -> ChunkResult:
        """The chunk's result; a cluster failure becomes one clear error (finished chunks are on disk already)."""
        from distributed import KilledWorker
        from distributed.comm import CommClosedError

        try:
            return future.result()
        except KilledWorker:
            raise XlingError(
                f"task {future.key} killed several Dask workers (out of memory?); finished pairs are kept, rerun with --resume"
            ) from None
        except (CommClosedError, TimeoutError, ConnectionError) as exc:
            raise XlingError(f"lost the Dask cluster ({type(exc).__name__}: {exc}); finished pairs are kept, rerun with --resume") from None

    def _submit(self, chunk: Chunk):
        # A key of our own: readable on the dashboard, and unique even when two runs share a cluster.
        key = f"xling-{chunk.chunk_id}-{self._token}"
        return self.client.submit(align_chunk_on_worker, chunk, self.spec, self.settings, self._corrections, key=key, pure=False)


def _take(items: Iterator[Chunk], n: int) -> list[Chunk]:
    out: list[Chunk] = []
    if n <= 0:
        return out
    for item in items:
        out.append(item)
        if len(out) >= n:
            break
    return out
