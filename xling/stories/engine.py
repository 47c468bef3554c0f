"""Where the tasks of a stories run execute: this process, or the Dask cluster of ``xling batch`` (engines.py).

One engine serves every step of a run (embedding, verification, alignment), so a
Dask cluster starts once and each worker builds its embedder once, shared with
batch tasks (the worker-side cache of :mod:`xling.engines`). Clustering runs on
the client, where the document vectors are gathered.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Self

from ..batch import engines
from ..batch.engines import DaskEngine, EmbedderSpec
from ..embed import Embedder
from ..types import Settings

Task = Any  # EmbedTask, VerifyTask or AlignTask: each has a chunk_id
TaskFn = Callable[[Task, Embedder, Settings], Any]


def run_on_worker(fn: TaskFn, task: Task, spec: EmbedderSpec, settings: Settings) -> Any:
    """The Dask task: the worker's embedder (built once per worker process) runs ``fn`` on ``task``."""
    return fn(task, engines.worker_embedder(spec), settings)  # the same per-worker embedder batch tasks use


class LocalRunner:
    """Tasks one after the other in this process; the encoder's own threads use the cores."""

    def __init__(self, embedder: Embedder, settings: Settings) -> None:
        self.embedder = embedder
        self.settings = settings

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn: TaskFn, tasks: Iterable[Task]) -> Iterator[Any]:
        for task in tasks:
            yield fn(task, self.embedder, self.settings)


class DaskRunner(DaskEngine):
    """:class:`xling.engines.DaskEngine` (cluster, in-flight window, clear errors) running any task function."""

    def __init__(self, spec: EmbedderSpec, settings: Settings, **options: Any) -> None:
        super().__init__(spec, settings, **options)
        self._fn: TaskFn | None = None

    def map(self, fn: TaskFn, tasks: Iterable[Task]) -> Iterator[Any]:  # type: ignore[override]
        self._fn = fn
        yield from super().map(tasks)

    def _submit(self, chunk: Task):
        key = f"xling-stories-{chunk.chunk_id}-{self._token}"
        return self.client.submit(run_on_worker, self._fn, chunk, self.spec, self.settings, key=key, pure=False)


def make_runner(engine: str, embedder: Embedder | EmbedderSpec, settings: Settings, *, workers: int | None = None,
                threads_per_worker: int | None = None, scheduler: str | None = None) -> LocalRunner | DaskRunner:  # fmt: skip
    if engine not in engines.ENGINES:
        raise ValueError(f"engine must be one of {', '.join(engines.ENGINES)}, not {engine!r}")
    if engine == "dask":
        if not isinstance(embedder, EmbedderSpec):
            raise ValueError("the dask engine builds an embedder on each worker: pass an EmbedderSpec, not an embedder")
        return DaskRunner(embedder, settings, workers=workers, threads_per_worker=threads_per_worker, scheduler=scheduler)
    if workers or threads_per_worker or scheduler:
        raise ValueError("--workers, --threads-per-worker and --scheduler need --engine dask")
    return LocalRunner(embedder.build() if isinstance(embedder, EmbedderSpec) else embedder, settings)
