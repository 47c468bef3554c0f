"""The dashboard opens an output folder of xling stories (Streamlit AppTest, the fake embedder)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder
from streamlit.testing.v1 import AppTest
from test_app import shown
from test_stories import write_corpus

from xling.errors import XlingError
from xling.stories import run_stories
from xling.stories.view import open_folder

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "in")
    run_stories([tmp_path / "in"], tmp_path / "out", embedder=FakeEmbedder())
    return tmp_path / "out"


def test_the_folder_view_lists_stories_largest_first_with_their_files(out_dir):
    folder = open_folder(out_dir)
    ids = folder.stories(min_documents=2)
    assert len(ids) == 3 and len(folder.stories()) == 4
    members = folder.members(ids[0])
    assert len(members) == 3 and all(path.is_file() for _, path in members)
    assert folder.label(ids[0]).startswith(f"{ids[0]} · 3 docs · en · ")
    assert list(folder.overview().columns) == ["story_id", "documents", "languages", "outlets", "headline", "differing_links", "shared"]
    with pytest.raises(XlingError, match="no stories.csv"):
        open_folder(out_dir.parent / "in")


@pytest.mark.slow
def test_dashboard_opens_a_stories_folder_and_compares_a_story(out_dir, monkeypatch):
    from xling import embed

    monkeypatch.setitem(embed.ALIASES, "fake", FakeEmbedder)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["stories"] = str(out_dir)
    at.session_state["model"] = "fake"
    at.run()
    assert not at.exception, at.exception
    story = next(s for s in at.sidebar.selectbox if s.key == "story")
    assert len(story.options) == 3
    first = "\n".join(m.value for m in at.markdown)
    assert "ansa/" in first and "bbc/" in first and "elpais/" in first  # the story's three documents, in the cards
    assert any(m.label == "Shared passages" for m in at.metric)
    story.set_value(story.options[1]).run()
    assert not at.exception, at.exception
    chosen = open_folder(out_dir).stories(min_documents=2)[1]
    names = [doc for doc, _ in open_folder(out_dir).members(chosen)]
    assert all(name in "\n".join(m.value for m in at.markdown) for name in names)


def test_dashboard_names_a_folder_that_is_not_a_stories_output(tmp_path, monkeypatch):
    from xling import embed

    monkeypatch.setitem(embed.ALIASES, "fake", FakeEmbedder)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["stories"] = str(tmp_path)
    at.session_state["model"] = "fake"
    at.run()
    assert not at.exception and any("stories.csv" in shown(e.value) for e in at.error)
