"""Properties that must hold for any input (hypothesis)."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xling
from xling.errors import InputError
from xling.export import read_table, to_bytes
from xling.io import document_from_bytes
from xling.segment import segment_spans

from conftest import FakeEmbedder

ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
WORDS = st.sampled_from("il la el the trade Putin Xi 42 200 dollari dólares summit vertice cumbre « » “ ” . ! ? , ; : Mr. sig. 3.5 \n \n\n".split(" ") + [" "])
FUZZ_EXAMPLES = 300


@settings(max_examples=200, deadline=None)
@given(text=st.text(ALPHABET, max_size=400), level=st.sampled_from(["sentence", "paragraph"]))
def test_every_segment_gives_back_its_text(text, level):
    previous = 0
    for start, end, _ in segment_spans(text, level):
        assert 0 <= previous <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        previous = end


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(data=st.binary(max_size=600))
def test_loaders_never_crash_on_random_bytes(data):
    try:
        doc = document_from_bytes(data, name="fuzz.txt")
    except InputError as exc:
        assert "fuzz.txt" in str(exc)
        return
    assert doc.text.strip()
    for start, end, _ in segment_spans(doc.text, "sentence", doc.body_start):
        assert doc.text[start:end]


def _article(words: list[str]) -> str:
    return " ".join(words) + " Final sentence here."


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.lists(WORDS, min_size=3, max_size=60), b=st.lists(WORDS, min_size=3, max_size=60))
@pytest.mark.slow
def test_alignment_is_mirrored_and_repeatable_and_export_round_trips(a, b, tmp_path_factory):
    doc_a = xling.document_from_text(_article(a), name="a")
    doc_b = xling.document_from_text(_article(b) + " Other ending.", name="b")
    forward = xling.compare([doc_a, doc_b], FakeEmbedder()).pairs[0]
    backward = xling.compare([doc_b, doc_a], FakeEmbedder()).pairs[0]
    assert sorted((l.a, l.b, l.status) for l in forward.links) == sorted((l.b, l.a, l.status) for l in backward.links)
    table = forward.to_dataframe()
    assert to_bytes(table) == to_bytes(xling.compare([doc_a, doc_b], FakeEmbedder()).pairs[0].to_dataframe())
    folder = tmp_path_factory.mktemp("roundtrip")
    for fmt in ("json", "parquet"):
        path = folder / f"t.{fmt}"
        path.write_bytes(to_bytes(table, fmt))
        pd.testing.assert_frame_equal(read_table(path), xling.export.normalise_table(table), check_dtype=False)
    back = pd.read_csv(io.BytesIO(to_bytes(table, "csv")), keep_default_na=False)
    assert len(back) == len(table)
