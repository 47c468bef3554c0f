"""Peak memory of aligning two long documents (default: 5,000 sentences each).

    python -m benchmarks.memory [--sentences 5000]

Encoding is replaced by a hashing embedder so the figure is the alignment's own
(similarity, margins, TF-IDF, anchors, table); the encoder adds its model size.
"""
from __future__ import annotations

import argparse
import resource
import time
import zlib

import numpy as np

import xling

from .comparable import load_lines

DIM = 384


class HashEmbedder:
    model_id = "bench/hash"

    def encode(self, texts):
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, zlib.crc32(word.encode()) % DIM] += 1.0
        out[:, 0] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=5000)
    args = parser.parse_args(argv)
    ita, eng = load_lines("ita"), load_lines("eng")
    text_a = "\n".join(ita[i % len(ita)] for i in range(args.sentences))
    text_b = "\n".join(eng[(i * 7) % len(eng)] for i in range(args.sentences))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    docs = [xling.document_from_text(text_a, name="a"), xling.document_from_text(text_b, name="b")]
    comparison = xling.compare(docs, HashEmbedder())
    rows = len(comparison.to_dataframe())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    segs = [len(d.segments) for d in comparison.documents]
    print(f"two documents of {segs[0]:,} and {segs[1]:,} segments: {rows:,} rows in {time.perf_counter() - started:.1f} s, "
          f"peak memory {peak / 1024:.0f} MB (process before: {before / 1024:.0f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
