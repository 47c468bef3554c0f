"""Byte-identical check of the contract table: the seed pair and the NTREX cases, before and after a change.

    python -m benchmarks.contract            # compare with data/gold/contract_sha256.json; exit 1 on any change
    python -m benchmarks.contract --record   # write the reference (only when a change of output is intended)
    python -m benchmarks.contract --limit 10 # the seed pair and the first 10 NTREX cases (the slow test's set)

Each table is the CSV the CLI writes (``export.to_bytes``), made with the default model and
settings; one SHA-256 per case is kept, so a refactoring that changes one byte of one row shows
which case moved. The corrected seed table (one rejected link, one added link) is checked too.

The bytes depend on the machine as well as the code: the encoders' float kernels follow the CPU's
instruction sets, and the installed packages matter. The reference keeps the environment it was
recorded in; on another one the check says what differs and exits 0 without comparing (``--strict``
fails instead). Record again on the unchanged code before a refactoring, then check after it.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import xling
from xling.workspace.corrections import apply_to_comparison, make_correction

from .comparable import ROOT, build_cases

REFERENCE = ROOT / "data" / "gold" / "contract_sha256.json"
ENVIRONMENT_KEY = "_environment"  # in the reference: where its hashes were made
NOT_PACKAGES = {"pip", "setuptools", "wheel", "xling"}  # installed, but no part of what the tables depend on


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _seed_documents() -> list[xling.Document]:
    return [xling.read_document(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]


def _corrected_seed(comparison: xling.Comparison) -> bytes:
    """The seed table after a human rejects the first link and links the first unique passages of A and B."""
    pair = comparison.pairs[0]
    corrections = []
    if pair.links:
        corrections.append(make_correction(pair, pair.links[0].a, pair.links[0].b, "reject"))
    if pair.unique_a and pair.unique_b:
        corrections.append(make_correction(pair, pair.unique_a[0], pair.unique_b[0], "add", status="partial"))
    corrections = [replace(c, created="2026-01-01T00:00:00Z") for c in corrections]  # the table must not carry today's date
    return xling.to_bytes(apply_to_comparison(comparison, corrections).to_dataframe())


def tables(limit: int | None = None) -> dict[str, bytes]:
    """Case name -> contract CSV bytes, in a fixed order."""
    embedder = xling.get_embedder()
    seeds = xling.compare(_seed_documents(), embedder=embedder)
    out = {"seeds": xling.to_bytes(seeds.to_dataframe()), "seeds-corrected": _corrected_seed(seeds)}
    cases = build_cases("test")
    for case in cases[:limit] if limit is not None else cases:
        docs = [xling.document_from_text(case.text_a, name=f"{case.case_id}-a"),
                xling.document_from_text(case.text_b, name=f"{case.case_id}-b")]
        out[case.case_id] = xling.to_bytes(xling.compare(docs, embedder=embedder).to_dataframe())
    return out


def environment() -> dict[str, object]:
    """What the tables depend on besides the code: the CPU's instruction sets and every installed package's version."""
    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            flags = next((line.split(":", 1)[1] for line in info if line.startswith("flags")), "")
    except OSError:
        pass
    packages = {d.metadata["Name"].lower(): d.version for d in importlib.metadata.distributions()
                if d.metadata["Name"] and d.metadata["Name"].lower() not in NOT_PACKAGES}  # fmt: skip
    return {"cpu_flags": hashlib.sha256(" ".join(sorted(flags.split())).encode()).hexdigest()[:16],
            "packages": dict(sorted(packages.items()))}  # fmt: skip


def environment_changes(recorded: dict[str, object], current: dict[str, object]) -> list[str]:
    """How ``current`` differs from ``recorded``, one phrase each (empty when they are the same)."""
    out = [] if recorded.get("cpu_flags") == current["cpu_flags"] else ["another CPU instruction set"]
    old, new = recorded.get("packages", {}), current["packages"]
    out += [f"{name} {old.get(name, 'absent')} -> {new.get(name, 'absent')}" for name in sorted(set(old) | set(new))
            if old.get(name) != new.get(name)]  # fmt: skip
    return out


def differences(limit: int | None = None, reference: Path = REFERENCE) -> list[str]:
    """The cases whose table differs from the reference (empty when all are byte-identical)."""
    expected = json.loads(reference.read_text(encoding="utf-8"))
    return [name for name, data in tables(limit).items() if name != ENVIRONMENT_KEY and expected.get(name) != _digest(data)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", action="store_true", help="write the reference hashes instead of checking")
    parser.add_argument("--limit", type=int, default=None, help="check only the first N NTREX cases")
    parser.add_argument("--strict", action="store_true", help="fail, not skip, when the environment is not the recorded one")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.record:
        hashes = {ENVIRONMENT_KEY: environment(), **{name: _digest(data) for name, data in tables(args.limit).items()}}
        REFERENCE.write_text(json.dumps(hashes, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"recorded {len(hashes) - 1} tables in {REFERENCE.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s)")
        return 0
    recorded = json.loads(REFERENCE.read_text(encoding="utf-8")).get(ENVIRONMENT_KEY, {})
    moved = environment_changes(recorded, environment())
    if moved:
        print(f"contract not checked: the reference was recorded in another environment ({'; '.join(moved[:8])}); "
              "record it on the unchanged code here first (python -m benchmarks.contract --record)", file=sys.stderr)
        return 1 if args.strict else 0
    changed = differences(args.limit)
    checked = 2 + (args.limit if args.limit is not None else len(build_cases("test")))
    if changed:
        print(f"{len(changed)} of {checked} contract tables changed: {', '.join(changed[:20])}", file=sys.stderr)
        return 1
    print(f"all {checked} contract tables byte-identical ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
