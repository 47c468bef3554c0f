"""The dashboard's charts: built from the view models' frames, with what a reader hovers and sees."""
from __future__ import annotations

import pytest

import xling
from xling.embed.protocol import OFFLINE_MODELS
from xling.ui import charts
from xling.ui import dashboard as view

A = "The summit opened in Beijing today. Leaders discussed trade and energy. The weather was cold and rainy."
B = "Leaders discussed trade and energy at length. A new railway will link the cities. The summit opened in Beijing today."
C = "The summit opened in Beijing today. A new railway will link the cities."


@pytest.fixture
def comparison(fake_embedder):
    docs = [xling.document_from_text(t, name=n) for t, n in ((A, "a"), (B, "b"), (C, "c"))]
    return xling.compare(docs, fake_embedder, xling.Settings(threshold=1.05, match_threshold=1.3, min_similarity=0.2))


def test_coverage_bars_stack_each_kind_in_the_palette_order(comparison):
    spec = charts.coverage_chart(view.coverage_frame(comparison)).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["color"]["scale"]["domain"] == [view.LABELS[k] for k in view.KINDS]
    assert {row["document"] for row in spec["datasets"][spec["data"]["name"]]} == {"A · a", "B · b", "C · c"}


def test_heatmap_outlines_only_linked_cells_and_names_both_passages(comparison):
    pair = comparison.pairs[0]
    spec = charts.heatmap_chart(view.heatmap_frame(pair), "A", "B").to_dict()
    heat, linked = spec["layer"]
    assert linked["transform"] == [{"filter": "(datum.status !== '')"}]
    titles = {t.get("title") for t in (spec.get("encoding") or heat["encoding"])["tooltip"]}
    assert {"A", "B", "cosine"} <= titles


def test_the_matrix_labels_each_cell_with_its_share(comparison):
    spec = charts.matrix_chart(view.coverage_matrix_frame(comparison)).to_dict()
    assert spec["layer"][1]["encoding"]["text"]["format"] == ".0%"


@pytest.mark.parametrize("model", OFFLINE_MODELS)
def test_every_offline_model_says_what_it_is_for(model):
    label = view.model_label(model)
    assert label.startswith(f"{model} · ") and len(label) > len(model) + 6
    assert label.endswith("(default)") == (model == xling.embed.DEFAULT_MODEL)
    assert view.model_label("other") == "other: a sentence-transformers name or path"
    assert view.model_label("some/hub-model") == "some/hub-model"
