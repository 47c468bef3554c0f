"""End to end: the dashboard served by ``streamlit run``, read in headless Chromium (Debian's, via Playwright).

The README's screenshots of each view are written by ``python -m benchmarks.dashboard_bench --screenshots docs``.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip
VIEWPORT = {"width": 1400, "height": 1800}
SERVER_START_S = 60
PAGE_READY_S = 120  # first page: the server loads the model and encodes the seeds
INSTALL_TIMEOUT_S = 900


def chromium() -> Path | None:
    """Debian's chromium, installed now if missing and we may (root with apt-get); None when impossible."""
    if CHROMIUM.exists():
        return CHROMIUM
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, capture_output=True, timeout=INSTALL_TIMEOUT_S, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=INSTALL_TIMEOUT_S, check=False)
        subprocess.run(install, env=env, capture_output=True, timeout=INSTALL_TIMEOUT_S, check=False)
    return CHROMIUM if CHROMIUM.exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "XLING_CACHE_DIR": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1", "XLING_WORKSPACE": str(tmp_path / "default.db")}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, SERVER_START_S)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def browser_or_skip() -> tuple[object, Path]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")
    browser_path = chromium()
    if browser_path is None:
        pytest.skip(f"{CHROMIUM} is missing and cannot be installed here (needs root and apt-get: apt-get install -y chromium)")
    return sync_api, browser_path


def test_dashboard_in_a_real_browser(server, tmp_path):
    sync_api, browser_path = browser_or_skip()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            started = time.perf_counter()
            page.goto(server)
            page.frame_locator("iframe").first.locator(".xs-row", has_text="old friend").first.wait_for(state="visible", timeout=PAGE_READY_S * 1000)
            first_render_s = time.perf_counter() - started
            # one step stricter: fewer or as many links, and the numbers behind it move
            shared = page.get_by_test_id("stMetricValue").first
            before = int(shared.inner_text())
            handle = page.get_by_test_id("stSidebar").get_by_role("slider").first
            handle.focus()
            handle.press("ArrowLeft")
            page.get_by_test_id("stSidebar").get_by_text("stricter", exact=True).wait_for(state="visible", timeout=10_000)
            page.wait_for_function("b => document.querySelector('[data-testid=stMetricValue]').innerText !== b", arg=str(before), timeout=30_000)
            assert int(shared.inner_text()) < before
            handle.press("ArrowRight")
            page.wait_for_function("b => document.querySelector('[data-testid=stMetricValue]').innerText === b", arg=str(before), timeout=30_000)
            # the report: one self-contained page
            with page.expect_download() as download:
                page.get_by_role("button", name="HTML report of the comparison").click()
            report = Path(download.value.path()).read_text(encoding="utf-8")
            assert report.startswith("<!DOCTYPE html>") and "Where they differ" in report and "old friend" in report
            page.get_by_role("tab", name="All articles, unit by unit").click()
            page.get_by_test_id("stDataFrame").first.wait_for(state="visible", timeout=10_000)
            page.get_by_text(re.compile(r"^\d+ units in reading order")).wait_for(state="visible", timeout=10_000)
            # the reading view: scrolling A's pane brings B's along
            page.get_by_role("tab", name="Reading view").click()
            panes = page.frame_locator("iframe").first.locator(".xp-pane")
            panes.first.wait_for(state="visible", timeout=10_000)
            panes.first.evaluate("p => { p.scrollTop = 900; }")
            page.wait_for_timeout(500)
            assert panes.nth(1).evaluate("p => p.scrollTop") > 0, "the panes scroll in step"
            page.get_by_role("tab", name="Linked pairs").click()
            pair = page.locator(".xl-card", has_text="old friend").first
            pair.wait_for(state="visible", timeout=10_000)
            page.locator(".xl-conf").first.wait_for(state="visible", timeout=10_000)
            for label in ("Shared passages", "Only in A", "Only in B"):
                page.get_by_test_id("stMetricLabel").filter(has_text=label).first.wait_for(state="visible", timeout=10_000)
            page.get_by_role("tab", name="Only in one article").click()
            page.locator(".xl-passage", has_text="International Criminal Court").first.wait_for(state="visible", timeout=10_000)
            page.get_by_role("tab", name=re.compile("^Where they differ")).click()
            page.locator("mark.xl-diff", has_text="$190 billion").first.wait_for(state="visible", timeout=10_000)
            page.locator("mark.xl-diff", has_text="Putinthe").first.wait_for(state="visible", timeout=10_000)
            differ = tmp_path / "dashboard-differ.png"
            page.screenshot(path=str(differ))
            page.get_by_role("tab", name="Linked pairs").click()
            pair.wait_for(state="visible", timeout=10_000)
            page.wait_for_timeout(500)  # let charts and fonts settle before the picture
            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
            print(f"first render in the browser (cold cache, model load included): {first_render_s:.1f} s")
        finally:
            browser.close()


def test_a_link_fixed_in_the_browser_is_human_in_the_cli_csv(server, tmp_path):
    """The issue's flow: in the page a reader rejects a wrong link on the seed pair, names herself and says why;
    with the browser closed, `xling align` on the seeds with that workspace marks the fix `human` in the CSV."""
    sync_api, browser_path = browser_or_skip()
    db = tmp_path / "team.db"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server)
            frame = page.frame_locator("iframe").first
            frame.locator(".xs-row").first.wait_for(state="visible", timeout=PAGE_READY_S * 1000)
            # the side-by-side view: a click selects the bead, "next unique" goes to a passage only one article has
            frame.locator(".xs-row.xs-match .xs-seg").first.click()
            assert frame.locator(".xs-row.xs-sel").count() == 1
            frame.get_by_role("button", name=re.compile("^next unique")).click()
            frame.locator(".xs-row.xs-unique.xs-cur").wait_for(state="visible", timeout=5_000)
            sidebar = page.get_by_test_id("stSidebar")
            for label, value in (("Workspace file", str(db)), ("Your name", "ana")):
                box = sidebar.get_by_role("textbox", name=label)
                box.fill(value)
                box.press("Enter")
                page.wait_for_timeout(800)
            link = page.get_by_role("combobox", name="Link").input_value()
            a_index, b_index = (int(x) for x in re.findall(r"#(\d+)", link)[:2])
            page.get_by_text("Reject: they do not say the same thing").click()
            note = page.get_by_role("textbox", name="Note").first
            note.fill("another statement")
            note.press("Enter")
            page.wait_for_timeout(800)
            page.get_by_role("button", name="Save the correction").click()
            page.get_by_text(re.compile("^Kept in")).wait_for(state="visible", timeout=30_000)
            # the choices start again from the corrected links: the rejected one is no longer offered
            page.wait_for_function("v => document.querySelector('input[aria-label=Link]').value !== v", arg=link, timeout=30_000)
            assert page.get_by_role("textbox", name="Note").first.input_value() == ""
            frame.locator(".xs-badge.xs-human").first.wait_for(state="visible", timeout=30_000)
            # saved, then reopened from the workspace: no model, no encoding, the fix still shown
            sidebar.get_by_role("button", name="Save this comparison").click()
            sidebar.get_by_text(re.compile("^Saved as #1")).wait_for(state="visible", timeout=30_000)
            sidebar.get_by_text("Saved comparison", exact=True).click()
            sidebar.get_by_text(re.compile("^Reopened from")).wait_for(state="visible", timeout=30_000)
            page.frame_locator("iframe").first.locator(".xs-badge.xs-human").first.wait_for(state="visible", timeout=30_000)
        finally:
            browser.close()
    assert db.is_file(), "the page created the workspace it was given"
    out = tmp_path / "out.csv"
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLING_CACHE_DIR": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
    run = subprocess.run([sys.executable, "-m", "xling.cli", "align", *map(str, seeds), "--workspace", str(db), "-o", str(out), "-q"],
                         env=env, capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    import pandas as pd

    rows = pd.read_csv(out)
    linked = rows[rows.status.isin(["match", "partial"])]
    assert not ((linked.a_index == a_index) & (linked.b_index == b_index)).any(), "the rejected link is gone from the CSV"
    human = rows[rows.source == "human"]
    assert len(human) >= 1 and set(human.status) <= {"match", "partial", "unique_a", "unique_b"}
    assert (human.a_index == a_index).any() or (human.b_index == b_index).any(), "the fix is marked human"


def test_an_upload_over_the_limit_gets_the_red_message_in_the_browser(server):
    sync_api, browser_path = browser_or_skip()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    big = b"A sentence about the summit. " * (6 * 1024 * 1024 // 29)  # 6 MB: over the 5 MB limit
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(server)
            page.frame_locator("iframe").first.locator(".xs-row").first.wait_for(state="visible", timeout=PAGE_READY_S * 1000)
            page.get_by_test_id("stSidebar").get_by_text("Upload files").click()
            files = [{"name": p.name, "mimeType": "text/plain", "buffer": p.read_bytes()} for p in seeds]
            files.append({"name": "huge.txt", "mimeType": "text/plain", "buffer": big})
            page.locator("input[type=file]").set_input_files(files)
            alert = page.get_by_test_id("stAlertContentError").filter(has_text="huge.txt")
            alert.wait_for(state="visible", timeout=60_000)
            assert "over the upload limit of 5 MB" in alert.inner_text()
            page.get_by_text("3 files chosen.").wait_for(state="visible", timeout=10_000)
        finally:
            browser.close()
