"""The dashboard in a real browser: first render on the seeds and the time a control change takes; screenshots.

    python -m benchmarks.dashboard_bench [--runs 5] [--screenshots docs]

Serves app.py with ``streamlit run`` on 127.0.0.1 and drives Debian's headless Chromium with Playwright.
Figures, each the median of ``--runs``:

- *cold first render*: the server's first page, model loading and encoding included (once);
- *first render, models loaded*: a new browser session opening the seeds, until the side-by-side view is drawn
  (the targets of issue 15: <= 3 s);
- *control change*: one step of the "stricter <-> looser" control, from the key press until the metric tiles show
  the new counts (target <= 0.5 s); and a tab switch, until the tab's content is drawn.

``--screenshots DIR`` also writes a 1400 px wide picture of each view (docs/dashboard-*.png in the README).
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# the test's own server helpers, found through sys.path above
from test_browser import CHROMIUM_ARGS, chromium, free_port, wait_healthy

VIEWPORT = {"width": 1400, "height": 1000}
READY_MS = 180_000


def serve(workspace: Path):  # -> subprocess.Popen, url
    import subprocess

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "XLING_WORKSPACE": str(workspace)}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, 60)
    return process, url


def first_render(browser, url: str) -> tuple[float, object]:
    page = browser.new_page(viewport=VIEWPORT)
    started = time.perf_counter()
    page.goto(url)
    page.frame_locator("iframe").first.locator(".xs-row").first.wait_for(state="visible", timeout=READY_MS)
    page.get_by_test_id("stMetricValue").first.wait_for(state="visible", timeout=READY_MS)
    return time.perf_counter() - started, page


def shared(page) -> str:
    return page.get_by_test_id("stMetricValue").first.inner_text()


def control_change(page, key: str) -> float:
    """One step of the strictness control with the keyboard; seconds until the metric tiles show new counts."""
    before = shared(page)
    handle = page.get_by_test_id("stSidebar").get_by_role("slider").first
    handle.focus()
    started = time.perf_counter()
    handle.press(key)
    page.wait_for_function("b => document.querySelector('[data-testid=stMetricValue]').innerText !== b", arg=before, timeout=30_000)
    elapsed = time.perf_counter() - started
    page.wait_for_timeout(400)  # let the rest of the run finish before the next press
    return elapsed


def tab_switch(page, name: str, ready: str) -> float:
    started = time.perf_counter()
    page.get_by_role("tab", name=name).click()
    page.locator(ready).first.wait_for(state="visible", timeout=30_000)
    return time.perf_counter() - started


def screenshots(page, folder: Path) -> list[Path]:
    """One picture per view, the page scrolled to its top."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []

    def shot(name: str, full: bool = False) -> None:
        page.wait_for_timeout(700)
        path = folder / f"dashboard-{name}.png"
        page.screenshot(path=str(path), full_page=full)
        out.append(path)

    page.get_by_role("tab", name="Side by side").click()
    page.frame_locator("iframe").first.locator(".xs-row").first.wait_for(state="visible")
    page.evaluate("window.scrollTo(0, 0)")
    shot("sidebyside")
    for name, ready, file in (("Linked pairs", ".xl-card", "pairs"), ("All articles, unit by unit", "[data-testid=stDataFrame]", "units"),
                              ("Only in one article", ".xl-passage", "unique")):  # fmt: skip
        page.get_by_role("tab", name=name).click()
        page.locator(ready).first.wait_for(state="visible")
        shot(file)
    page.get_by_role("tab", name="Where they differ").click()
    page.locator("mark.xl-diff").first.wait_for(state="visible")
    shot("differ")
    # last, as it changes the comparison: a correction made, then the panel with its list and the badge
    page.get_by_role("tab", name="Side by side").click()
    sidebar = page.get_by_test_id("stSidebar")
    name = sidebar.get_by_role("textbox", name="Your name")
    name.fill("ana")
    name.press("Enter")
    page.wait_for_timeout(800)
    page.get_by_text("Reject: they do not say the same thing").click()
    note = page.get_by_role("textbox", name="Note").first
    note.fill("the headline is not this quote")
    note.press("Enter")
    page.wait_for_timeout(800)
    rejected = page.get_by_role("combobox", name="Link").input_value()
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text(re.compile("^Kept in")).wait_for(state="visible", timeout=30_000)
    page.wait_for_function("v => document.querySelector('input[aria-label=Link]').value !== v", arg=rejected, timeout=30_000)
    page.frame_locator("iframe").first.locator(".xs-badge.xs-human").first.wait_for(state="visible")
    page.get_by_role("heading", name="Fix what is wrong").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -260)")
    shot("corrections")
    return out


def report_screenshot(browser, page, folder: Path) -> Path:
    """The downloaded HTML report, opened from disk (offline) and pictured."""
    page.get_by_role("tab", name="Side by side").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="HTML report of the comparison").click()
    saved = (folder / "xling-report.html").resolve()
    download.value.save_as(saved)
    offline = browser.new_page(viewport=VIEWPORT)
    offline.goto(saved.as_uri())
    offline.wait_for_timeout(500)
    path = folder / "dashboard-report.png"
    offline.screenshot(path=str(path))
    offline.close()
    saved.unlink()
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshots", type=Path, help="write a picture of each view in this folder")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    path = chromium()
    if path is None:
        raise SystemExit("Debian's chromium is missing: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp:
        process, url = serve(Path(tmp) / "bench.db")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
                cold, page = first_render(browser, url)
                page.close()
                warm, changes, tabs = [], [], []
                for _ in range(args.runs):
                    seconds, page = first_render(browser, url)
                    warm.append(seconds)
                    changes += [control_change(page, "ArrowLeft"), control_change(page, "ArrowRight")]
                    tabs.append(tab_switch(page, "Linked pairs", ".xl-card"))
                    if args.screenshots and len(warm) == args.runs:
                        for shot in [*screenshots(page, args.screenshots), report_screenshot(browser, page, args.screenshots)]:
                            print(f"wrote {shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot}")
                    page.close()
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"dashboard on the seeds in headless Chromium ({args.runs} runs, medians):")
    print(f"  cold first render (model load and encoding included): {cold:.2f} s")
    print(f"  first render, models loaded: {statistics.median(warm):.2f} s (max {max(warm):.2f}; target <= 3 s)")
    print(f"  control change (one strictness step): {statistics.median(changes):.2f} s (max {max(changes):.2f}; target <= 0.5 s)")
    print(f"  tab switch (to Linked pairs): {statistics.median(tabs):.2f} s")


if __name__ == "__main__":
    main()
