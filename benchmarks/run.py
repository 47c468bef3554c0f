"""``make bench``: the Text+Berg bead, NTREX accuracy, segmentation, discrepancy, artifact, boilerplate and speed benchmarks, one after the other.

The batch throughput benchmark (``python -m benchmarks.batch_bench``, about an hour), the memory
benchmark (``python -m benchmarks.memory``) and the stories cost growth (``python -m benchmarks.stories_scale``,
an hour or more for 100,000 documents) run on their own; here the stories accuracy on the test stories and the
clustering step on 10,000 documents.
"""
from __future__ import annotations

import platform
import time

from . import accuracy, artifacts, boilerplate, discrepancies, encoders, segmentation, stories, stories_scale, textberg


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
    print()
    stories.main(["--split", "test"])
    print()
    stories_scale.main(["--sizes", "--cluster-sizes", "10000"])


if __name__ == "__main__":
    main()
