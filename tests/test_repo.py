"""The project's own files: what is tracked, and how the dashboard is served (issue 12, output traps)."""
from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = "data/seeds_alignment.csv"  # make demo writes it


def git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_generated_output_is_ignored_not_tracked():
    assert git("ls-files", "--error-unmatch", GENERATED).returncode != 0, f"{GENERATED} is tracked"
    assert git("check-ignore", "-q", GENERATED).returncode == 0, f"{GENERATED} is not ignored"
    assert f"-o {GENERATED}" in (ROOT / "Makefile").read_text()  # make demo still writes it


def test_the_dashboard_does_not_watch_the_whole_folder_recursively():
    from streamlit import config
    from streamlit.watcher.path_watcher import get_path_watcher_class
    from streamlit.watcher.polling_path_watcher import PollingPathWatcher

    server = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert "server.fileWatcherType" in config._config_options_template  # an option this Streamlit knows
    # "auto" and "watchdog" put a recursive inotify watch on the app's folder, .venv and .cache included.
    assert get_path_watcher_class(server["fileWatcherType"]) is PollingPathWatcher
