"""``make bench``: every benchmark, one after the other, printing its tables."""
from __future__ import annotations

import platform
import time

from . import accuracy, encoders


def main() -> None:
    print(f"xling benchmarks, {time.strftime('%Y-%m-%d')}, {platform.machine()} {platform.processor() or ''}, "
          f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}\n")  # fmt: skip
    accuracy.main(["--split", "test"])
    print()
    encoders.main([])


if __name__ == "__main__":
    main()
