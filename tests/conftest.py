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


@pytest.fixture
def ws(tmp_path):
    """An empty workspace file of this test's own."""
    from xling.workspace.store import Workspace

    return Workspace(tmp_path / "ws.db")


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


@pytest.fixture(scope="module")
def fake_by_value():
    """Dask workers cannot import the tests' conftest: ship the fake embedder's code with the task."""
    import sys

    import cloudpickle

    from xling.batch.engines import EmbedderSpec

    module = sys.modules[FakeEmbedder.__module__]
    cloudpickle.register_pickle_by_value(module)
    yield EmbedderSpec(factory=FakeEmbedder)
    cloudpickle.unregister_pickle_by_value(module)


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> str:
    """``--model fake`` on the command line: the deterministic bag-of-words embedder."""
    from xling import embed

    monkeypatch.setitem(embed.ALIASES, "fake", FakeEmbedder)
    return "fake"


# A child process running the CLI with ``--model fake``: for what must not hang the suite (FIFOs) or touch its stdout.
CLI_CHILD = """
import sys
sys.path.insert(0, {tests!r})
from conftest import FakeEmbedder
from xling import embed
from xling.cli import main
embed.ALIASES["fake"] = FakeEmbedder
sys.exit(main(sys.argv[1:]))
"""


def run_cli_child(args: Sequence[str], *, timeout: float = 60, **popen):
    """``xling ARGS`` in a child process (``--model fake`` available), killed after ``timeout`` seconds."""
    import os
    import subprocess
    import sys

    script = CLI_CHILD.format(tests=str(ROOT / "tests"))
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], timeout=timeout, check=False,
                          env=os.environ | {"PYTHONPATH": str(ROOT)}, **({"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | popen))  # fmt: skip


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """A pair manifest over six small articles (tests/batch_corpus.py): seven pairs, one of them reversed."""
    from batch_corpus import corpus, pair_manifest

    names = corpus(tmp_path)
    pairs = [(f"p{k}", names[a], names[b]) for k, (a, b) in enumerate([(0, 1), (2, 3), (1, 2), (4, 5), (0, 5), (3, 4), (1, 0)])]
    return pair_manifest(tmp_path, pairs)
