"""xling/progress.py: the batch progress bar, the align stage line, and capped lists on stderr."""
from __future__ import annotations

import io

from xling.progress import BAR_WIDTH, ProgressBar, StageProgress, list_on_stderr


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_shows_the_share_done_the_rate_of_this_run_and_the_eta():
    bar = ProgressBar(stream=io.StringIO())
    bar._start = (100.0, 20)  # resumed at 20 done: those do not count for the rate
    line = bar.render(80, 120, 160.0)  # 60 pairs in 60 s
    assert line.startswith("[" + "#" * (BAR_WIDTH * 80 // 120) + "-" * (BAR_WIDTH - BAR_WIDTH * 80 // 120) + "] 80/120 pairs")
    assert "60.0 pairs/min" in line and "ETA 00:40" in line
    assert "elapsed 01:00" in bar.render(120, 120, 160.0)


def test_on_a_pipe_the_bar_writes_whole_lines_and_always_the_last_one():
    out = io.StringIO()
    bar = ProgressBar(stream=out)
    for done in range(1, 6):
        bar(done, 5)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert lines[0].split("] ")[1].startswith("1/5") and lines[-1].split("] ")[1].startswith("5/5")
    assert len(lines) == 2  # the first and the last: the rest fall within LOG_REFRESH_S


def test_the_stage_line_waits_then_draws_and_clears_on_a_terminal():
    out, clock = io.StringIO(), Clock()
    stage = StageProgress(out, tty=True, after=1.0, clock=clock, ticker=False)
    stage("encoding", 0.0)
    assert out.getvalue() == ""  # not yet a second: nothing drawn
    clock.now = 12.0
    stage("aligning", 0.5)
    assert out.getvalue() == "\rxling: aligning pairs… 50%  00:12\x1b[K"
    stage.close()
    assert out.getvalue().endswith("\r\x1b[K")


def test_the_stage_line_draws_nothing_off_a_terminal():
    out, clock = io.StringIO(), Clock()
    stage = StageProgress(out, tty=False, after=0.0, clock=clock, ticker=False)
    clock.now = 30.0
    stage("encoding", 0.2)
    stage.close()
    assert out.getvalue() == ""


def test_a_long_list_is_cut_with_a_line_saying_how_many_more(capsys):
    list_on_stderr([f"bad{i}.txt: empty" for i in range(5)], "{n} more in summary.csv", limit=3)
    assert capsys.readouterr().err.splitlines() == [
        "xling: bad0.txt: empty", "xling: bad1.txt: empty", "xling: bad2.txt: empty", "xling: ... and 2 more in summary.csv"]
