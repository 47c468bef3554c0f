"""A progress line on stderr for long runs (an edge module: only the CLI uses it)."""
from __future__ import annotations

import sys
import time
from typing import TextIO

BAR_WIDTH = 24
TTY_REFRESH_S = 0.2  # redraw at most this often on a terminal
LOG_REFRESH_S = 30.0  # on a pipe or log file, one line this often (no carriage returns)


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


class ProgressBar:
    """``[#####-----] 120/369 pairs  41.5 pairs/min  ETA 06:00``; the rate counts this run's pairs only."""

    def __init__(self, label: str = "pairs", stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start: tuple[float, int] | None = None
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self._start is None:
            self._start = (now, done)
        refresh = TTY_REFRESH_S if self.tty else LOG_REFRESH_S
        if done < total and now - self._last < refresh and self._drawn:
            return
        self._last = now
        self._drawn = True
        line = self.render(done, total, now)
        self.stream.write(("\r" + line + "\x1b[K") if self.tty else line + "\n")
        if done >= total and self.tty:
            self.stream.write("\n")
        self.stream.flush()

    def render(self, done: int, total: int, now: float) -> str:
        start_time, start_done = self._start or (now, done)
        elapsed, fresh = now - start_time, done - start_done
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        rate = fresh / elapsed if elapsed > 0 and fresh > 0 else 0.0
        speed = f"{rate * 60:.1f} {self.label}/min" if rate else f"-- {self.label}/min"
        eta = f"ETA {_clock((total - done) / rate)}" if rate and done < total else f"elapsed {_clock(elapsed)}"
        return f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total} {self.label}  {speed}  {eta}"
