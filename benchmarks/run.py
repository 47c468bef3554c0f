"""``make bench``: the accuracy, discrepancy, artifact, segmentation and speed benchmarks, one after the other, printing their tables.

The batch throughput benchmark (``python -m benchmarks.batch_bench``, about an hour) and the
memory benchmark (``python -m benchmarks.memory``) run on their own.
"""
from __future__ import annotations

import platform
import time

from . import accuracy, artifacts, discrepancies, encoders, segmentation


def main() -> None:
    print(f"xling benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()} {platform.processor() or ''}, "
          f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}\n")  # fmt: skip
    accuracy.main(["--split", "test"])
    print()
    discrepancies.main(["--split", "test"])
    print()
    artifacts.main()
    print()
    segmentation.main(["--split", "test"])
    print()
    encoders.main([])


if __name__ == "__main__":
    main()
