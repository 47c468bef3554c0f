"""``make bench``: the accuracy, discrepancy, artifact and speed benchmarks, one after the other, printing their tables.

The batch throughput benchmark (``python -m benchmarks.batch_bench``, about an hour), the memory
benchmark (``python -m benchmarks.memory``) and the stories cost growth (``python -m benchmarks.stories_scale``,
an hour or more for 100,000 documents) run on their own; here the stories accuracy on the test stories and the
clustering step on 10,000 documents.
"""
from __future__ import annotations

import platform
import time

from . import accuracy, artifacts, discrepancies, encoders, stories, stories_scale


def main() -> None:
    print(f"xling benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()} {platform.processor() or ''}, "
          f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}\n")  # fmt: skip
    accuracy.main(["--split", "test"])
    print()
    discrepancies.main(["--split", "test"])
    print()
    artifacts.main()
    print()
    encoders.main([])
    print()
    stories.main(["--split", "test"])
    print()
    stories_scale.main(["--sizes", "--cluster-sizes", "10000"])


if __name__ == "__main__":
    main()
