"""xling/batch/assemble.py: per-group coverage from the table, group by group as the windows stream in."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from xling.batch.assemble import ANY_OTHER, GROUP_COVERAGE_COLUMNS, GroupCoverage


def row(pair: str, a: str, b: str, status: str, ai: int | None, bi: int | None, a_len: int = 0, b_len: int = 0) -> dict:
    return {"pair_id": pair, "doc_a": a, "doc_b": b, "status": status,
            "a_index": ai, "a_start": 0, "a_end": a_len, "b_index": bi, "b_start": 0, "b_end": b_len}  # fmt: skip


# Group g: x (segments 0: 10 chars, 1: 30 chars), y (0: 20 chars), z (0: 40 chars).
# x-y links x0 with y0; x-z links x1 with z0; x0 is unlinked in x-z.
TABLE = pd.DataFrame([
    row("g:x--y", "x", "y", "match", 0, 0, 10, 20), row("g:x--y", "x", "y", "unique_a", 1, None, a_len=30),
    row("g:x--z", "x", "z", "partial", 1, 0, 30, 40), row("g:x--z", "x", "z", "unique_a", 0, None, a_len=10),
    row("h:p--q", "p", "q", "unique_b", None, 0, b_len=5),
])  # fmt: skip
PLAN = SimpleNamespace(pairs=[SimpleNamespace(pair_id=p, group_id=p.split(":")[0]) for p in ("g:x--y", "g:x--z", "h:p--q")],
                       groups={"g": ("x", "y", "z"), "h": ("p", "q")})  # fmt: skip


def shares(frame: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    assert list(frame.columns) == list(GROUP_COVERAGE_COLUMNS)
    return {(r.group_id, r.doc, r.covered_by): r.share for r in frame.itertuples()}


def test_each_document_is_covered_by_each_other_and_by_any_in_the_group_order():
    coverage = GroupCoverage(PLAN)
    done = coverage.add(TABLE)  # the window completes group g; h is still open
    assert shares(done) == {
        ("g", "x", "y"): 0.25, ("g", "x", "z"): 0.75, ("g", "x", ANY_OTHER): 1.0,
        ("g", "y", "x"): 1.0, ("g", "y", ANY_OTHER): 1.0, ("g", "z", "x"): 1.0, ("g", "z", ANY_OTHER): 1.0,
    }  # fmt: skip
    assert list(done.doc.drop_duplicates()) == ["x", "y", "z"]
    assert shares(coverage.finish()) == {("h", "q", "p"): 0.0, ("h", "q", ANY_OTHER): 0.0}
    assert coverage.finish().empty  # nothing left open


def test_a_group_split_across_windows_is_reported_once_whole():
    coverage = GroupCoverage(PLAN)
    first = coverage.add(TABLE.iloc[:2])
    assert first.empty  # group g may go on in the next window
    whole = pd.concat([coverage.add(TABLE.iloc[2:]), coverage.finish()], ignore_index=True)
    one_go = GroupCoverage(PLAN)
    expected = pd.concat([one_go.add(TABLE), one_go.finish()], ignore_index=True)
    pd.testing.assert_frame_equal(whole, expected)
    assert shares(whole)[("g", "x", "z")] == pytest.approx(0.75)
