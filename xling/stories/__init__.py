"""Stories at corpus scale: which articles of a corpus cover the same story, and every pair inside each aligned.

    from xling.stories import run_stories
    report = run_stories(["corpus/"], "out/")   # out/stories.csv, out/alignment.parquet, out/story_summary.csv
"""
from __future__ import annotations

from .calibration import StoryParams, params_for
from .run import ALIGNMENT_NAME, STORIES_NAME, SUMMARY_NAME, StoriesReport, run_stories

__all__ = ["ALIGNMENT_NAME", "STORIES_NAME", "SUMMARY_NAME", "StoriesReport", "StoryParams", "params_for", "run_stories"]
