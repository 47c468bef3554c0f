"""A progress line on stderr for long runs (an edge module: only the CLI uses it)."""
from __future__ import annotations

import sys
import threading
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


SHOW_AFTER_S = 1.0  # align shows its progress only once the work has lasted this long


class StageProgress:
    """``xling: encoding passages… 00:12`` then ``xling: aligning pairs… 67%  00:20`` on a terminal, for ``align``.

    Called as the pipeline's ``progress(stage, share)``. Nothing is drawn unless the
    stream is a terminal and the work has lasted ``after`` seconds; a thread redraws
    the line while one long call (encoding) runs. ``close()`` clears the line.
    """

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None, after: float | None = None,
                 clock=time.monotonic, ticker: bool = True) -> None:  # fmt: skip
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)()) if tty is None else tty
        self.after = SHOW_AFTER_S if after is None else after
        self.clock = clock
        self.started = clock()
        self.stage, self.share = "preparing", 0.0
        self.drawn = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True) if ticker and self.tty else None
        if self._thread is not None:
            self._thread.start()

    def __call__(self, stage: str, share: float) -> None:
        self.stage, self.share = stage, share
        self.draw()

    def render(self) -> str:
        share = f" {self.share:.0%}" if 0 < self.share < 1 else ""
        return f"xling: {self.stage} {STAGE_NOUNS.get(self.stage, '')}…{share}  {_clock(self.clock() - self.started)}"

    def draw(self) -> None:
        if not self.tty or self.clock() - self.started < self.after:
            return
        with self._lock:
            self.stream.write("\r" + self.render() + "\x1b[K")
            self.stream.flush()
            self.drawn = True

    def _tick(self) -> None:
        while not self._stop.wait(TTY_REFRESH_S * 2.5):
            self.draw()

    def close(self) -> None:
        """Stop redrawing and clear the line (the summary follows on a clean line)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self.drawn:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()


STAGE_NOUNS = {"preparing": "documents", "encoding": "passages", "aligning": "pairs"}


MAX_LISTED = 20  # bad files or failed pairs named on stderr; the rest are in the run's summary files


def list_on_stderr(lines: list[str], more: str, limit: int = MAX_LISTED) -> None:
    """Print the first ``limit`` lines, then one line saying how many ``more`` were left out (``{n}`` in it)."""
    for line in lines[:limit]:
        print(f"xling: {line}", file=sys.stderr)
    if len(lines) > limit:
        print(f"xling: ... and {more.format(n=len(lines) - limit)}", file=sys.stderr)
