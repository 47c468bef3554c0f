"""``make bench``: the Text+Berg bead, NTREX accuracy, segmentation, discrepancy, artifact, boilerplate and speed benchmarks, one after the other.

The batch throughput benchmark (``python -m benchmarks.batch_bench``, about an hour) and the
memory benchmark (``python -m benchmarks.memory``) run on their own.
"""
from __future__ import annotations

import platform
import time

from . import accuracy, artifacts, boilerplate, discrepancies, encoders, segmentation, textberg


def main() -> None:
    print(f"xling benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()} {platform.processor() or ''}, "
          f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}\n")  # fmt: skip
    textberg.main(["--split", "test"])
    print()
    accuracy.main(["--split", "test"])
    print()
    discrepancies.main(["--split", "test"])
    print()
    artifacts.main()
    print()
    boilerplate.main([])
    print()
    segmentation.main(["--split", "test"])
    print()
    encoders.main([])


if __name__ == "__main__":
    main()
