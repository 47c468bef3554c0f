"""End to end: the dashboard served by ``streamlit run``, read in headless Chromium (Debian's, via Playwright).

Set XLING_SCREENSHOT=docs/dashboard.png to also write the README's screenshot (1400 px wide).
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
    env = {**os.environ, "XLING_CACHE_DIR": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
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


def test_dashboard_in_a_real_browser(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")
    browser_path = chromium()
    if browser_path is None:
        pytest.skip(f"{CHROMIUM} is missing and cannot be installed here (needs root and apt-get: apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(browser_path), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            started = time.perf_counter()
            page.goto(server)
            pair = page.locator(".xl-card", has_text="old friend").first
            pair.wait_for(state="visible", timeout=PAGE_READY_S * 1000)
            first_render_s = time.perf_counter() - started
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
            if os.environ.get("XLING_SCREENSHOT"):
                target = ROOT / os.environ["XLING_SCREENSHOT"]
                shutil.copyfile(shot, target)
                shutil.copyfile(differ, target.with_name(f"{target.stem}-differ{target.suffix}"))
            print(f"first render in the browser (cold cache, model load included): {first_render_s:.1f} s")
        finally:
            browser.close()
