"""An ensemble: members' vectors, each normalised and weighted, side by side in one vector."""
from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .protocol import Embedder, _normalise


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
