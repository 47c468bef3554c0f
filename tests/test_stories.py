"""xling stories: clustering rules on arrays, then the command end to end with the fake embedder."""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import FakeEmbedder

from xling.cli import main
from xling.stories import StoryParams, cluster, run_stories
from xling.stories.corpus import discover

STORIES = {
    "quake": ["A strong earthquake struck central Italy early on Tuesday morning.", "The quake had a magnitude of 6.1 and was felt in Rome.",
              "Firefighters searched collapsed buildings in the town of Norcia.", "At least twelve people were injured, officials said.",
              "Schools across the region will stay closed on Wednesday.", "The civil protection agency opened shelters for displaced families."],
    "election": ["Voters in Spain went to the polls on Sunday for a snap general election.",
                 "The socialist party won the most seats but fell short of a majority.",
                 "Turnout reached seventy percent, higher than in the previous vote.", "The conservative leader conceded defeat late in the evening.",
                 "Coalition talks are expected to last several weeks.", "Markets reacted calmly on Monday morning."],
    "football": ["Manchester City won the league title after beating Brighton four goals to one.", "Erling Haaland scored twice in the second half.",
                 "The manager praised his players for their consistency all season.", "Thousands of supporters celebrated outside the stadium.",
                 "It is the club's fourth title in five years.", "The trophy will be presented at the final home game."],
}  # fmt: skip
OUTLETS = ("ansa", "elpais", "bbc")
SINGLE = "bbc/weather.txt"


def write_corpus(root: Path, bad: bool = True) -> dict[str, str]:
    """Three stories told by three outlets (each drops a sentence or not), one story told once, and two bad files."""
    rng = random.Random(0)
    gold = {}
    for outlet in OUTLETS:
        for story, lines in STORIES.items():
            drop = rng.randrange(len(lines) + 2)  # sometimes nothing is dropped
            path = root / outlet / f"{story}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n\n".join(line for k, line in enumerate(lines) if k != drop) + "\n", encoding="utf-8")
            gold[f"{outlet}/{story}.txt"] = story
    (root / SINGLE).write_text("Heavy snow closed roads across Scotland on Friday.\n\nForecasters expect more snow over the weekend.\n")
    gold[SINGLE] = "weather"
    if bad:
        (root / "bbc" / "empty.txt").write_text("   \n")
        (root / "bbc" / "scan.txt").write_bytes(b"%PDF-1.4 not text")
    (root / "bbc" / ".hidden.txt").write_text("never read")
    (root / "bbc" / "notes.csv").write_text("not a document type\n")
    return gold


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    return tmp_path / "in", write_corpus(tmp_path / "in")


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> str:
    from xling import embed

    monkeypatch.setitem(embed.ALIASES, "fake", FakeEmbedder)
    return "fake"


# --- the rule, on arrays ----------------------------------------------------------------------


def unit(rows: list[list[float]]) -> np.ndarray:
    x = np.array(rows, dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_document_vector_is_the_unit_mean_without_short_segments():
    segs = unit([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    vector = cluster.document_vector(segs, [40, 40, 5])  # the 5-character dateline is left out
    assert np.allclose(vector, unit([[1, 1, 0]])[0])
    assert np.allclose(cluster.document_vector(segs[2:], [5]), segs[2])  # nothing else left: kept


def test_centring_takes_each_language_s_mean_out(monkeypatch):
    x = unit([[1, 0.2, 0], [1, -0.2, 0], [0, 0.2, 1], [0, -0.2, 1]])
    assert np.allclose(cluster.centre_by_group(x, ["it", "it", "en", "en"]), x)  # too few documents to know a language's mean
    monkeypatch.setattr(cluster, "CENTRE_MIN_DOCS", 2)
    centred = cluster.centre_by_group(x, ["it", "it", "en", "en"])
    # before: each document is closest to the other of its language; after: to its counterpart in the other one
    assert np.argmax(x @ x.T - 2 * np.eye(4), axis=1).tolist() == [1, 0, 3, 2]
    assert np.argmax(centred @ centred.T - 2 * np.eye(4), axis=1).tolist() == [2, 3, 0, 1]


def test_nearest_excludes_each_document_itself_and_hnsw_finds_the_exact_neighbours(monkeypatch):
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((300, 64))
    x = centres.repeat(4, axis=0) + 0.2 * rng.standard_normal((1200, 64))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    exact_ids, exact_sims = cluster.nearest(x, 3)
    assert not (exact_ids == np.arange(1200)[:, None]).any()
    assert np.all(np.diff(exact_sims, axis=1) <= 1e-6)
    monkeypatch.setattr(cluster, "EXACT_MAX_DOCS", 100)  # the HNSW path
    ids, _ = cluster.nearest(x, 3)
    recall = np.mean([len(set(a) & set(b)) / 3 for a, b in zip(ids, exact_ids)])
    assert recall > 0.97
    again, _ = cluster.nearest(x, 3)
    assert np.array_equal(ids, again)  # built on one thread: the same graph every time


def test_candidates_are_mutual_neighbours_over_the_floor():
    ids = np.array([[1, 2], [0, 2], [0, 1], [2, 0]])
    sims = np.array([[0.9, 0.5], [0.9, 0.2], [0.5, 0.2], [0.6, 0.1]], dtype=np.float32)
    assert cluster.candidate_pairs(ids, sims, 0.3).tolist() == [[0, 1], [0, 2]]  # 3->2 is not returned by 2
    assert cluster.candidate_pairs(ids, sims, 0.3, mutual=False).tolist() == [[0, 1], [0, 2], [2, 3]]
    assert cluster.candidate_pairs(ids, sims, 0.0).tolist() == [[0, 1], [0, 2], [1, 2]]


def test_agglomeration_does_not_chain_two_stories_through_one_document():
    # A1 A2 are one story, C1 C2 another; B shares a little with both
    x = unit([[1, 0, 0.1], [1, 0.05, 0.1], [0.6, 0.6, 0.2], [0, 1, 0.1], [0.05, 1, 0.1]])
    edges = np.array([[0, 1], [3, 4], [1, 2], [2, 3]])
    weights = np.array([0.9, 0.9, 0.5, 0.5])
    chained = cluster.agglomerate(5, edges, weights, x, min_average=-1.0)  # plain connected components
    guarded = cluster.agglomerate(5, edges, weights, x, min_average=0.5)
    assert len(set(chained.tolist())) == 1
    assert guarded[0] == guarded[1] and guarded[3] == guarded[4] and guarded[0] != guarded[3]
    assert guarded.tolist()[0] == 0 and sorted(set(guarded.tolist())) == list(range(len(set(guarded.tolist()))))


@pytest.mark.parametrize(("predicted", "gold", "expected"), [
    ([0, 0, 1, 1], ["a", "a", "b", "b"], (1.0, 1.0, 1.0)),
    ([0, 0, 0, 0], ["a", "a", "b", "b"], (0.5, 1.0, 2 / 3)),
    ([0, 1, 2, 3], ["a", "a", "b", "b"], (1.0, 0.5, 2 / 3)),
])  # fmt: skip
def test_bcubed(predicted, gold, expected):
    assert cluster.bcubed(predicted, gold) == pytest.approx(expected)


def test_the_rule_needs_enough_linked_passages():
    params = StoryParams(min_links=2, min_share=0.5)
    assert params.accepts(3, 0.6, 5) and not params.accepts(3, 0.4, 5) and not params.accepts(1, 1.0, 5)
    assert params.accepts(1, 1.0, 1)  # a one-sentence article needs its one passage linked
    with pytest.raises(ValueError, match="min_share"):
        StoryParams(min_share=2)


# --- the command ----------------------------------------------------------------------------


def test_discover_names_documents_relative_to_their_input_and_disambiguates(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder / "site").mkdir(parents=True)
        (tmp_path / folder / "site" / "a.txt").write_text("text")
    (tmp_path / "loose.md").write_text("text")
    entries = discover([tmp_path / "one", tmp_path / "two", tmp_path / "loose.md", tmp_path / "one"])
    assert [e.doc for e in entries] == ["one/site/a.txt", "two/site/a.txt", str(tmp_path / "loose.md")]
    assert [e.site for e in entries] == ["site", "site", ""]
    with pytest.raises(Exception, match="no such file or folder"):
        discover([tmp_path / "nope"])


@pytest.mark.slow
def test_stories_are_found_and_the_three_files_written(corpus, tmp_path):
    root, gold = corpus
    out = tmp_path / "out"
    report = run_stories([root], out, embedder=FakeEmbedder())
    stories = pd.read_csv(out / "stories.csv", keep_default_na=False)
    assert list(stories.columns) == ["story_id", "doc", "lang", "title", "site", "date", "segments", "path"]
    assert all(Path(p).is_file() for p in stories["path"])
    assert sorted(stories["doc"]) == sorted(gold)
    assert cluster.bcubed(list(stories["story_id"]), [gold[d] for d in stories["doc"]]) == (1.0, 1.0, 1.0)
    assert set(stories["site"]) == set(OUTLETS) and set(stories["lang"]) == {"en"}
    assert report.stories == 4 and report.multi_document_stories == 3 and report.pairs == 9

    table = pd.read_parquet(out / "alignment.parquet")
    from xling.export import COLUMNS

    assert list(table.columns[: len(COLUMNS)]) == list(COLUMNS) and "story_id" in table.columns
    story_of = dict(zip(stories["doc"], stories["story_id"]))
    assert (table["doc_a"].map(story_of) == table["story_id"]).all() and (table["doc_b"].map(story_of) == table["story_id"]).all()
    pairs = {frozenset(p) for p in zip(table["doc_a"], table["doc_b"])}
    assert len(pairs) == 9 and all(len({gold[d] for d in p}) == 1 for p in pairs)  # every pair inside a story, none across

    summary = pd.read_csv(out / "story_summary.csv", keep_default_na=False)
    assert list(summary["story_id"]) == sorted(set(stories["story_id"]))
    quake = summary[summary["story_id"] == story_of["ansa/quake.txt"]].iloc[0]
    assert quake["documents"] == 3 and quake["languages"] == "en" and quake["outlets"] == "ansa,bbc,elpais" and quake["pairs"] == 3
    shared = json.loads(quake["shared_passages"])
    assert shared and shared[0]["documents"] == 3 and "earthquake" in json.loads(quake["shared_passages"])[0]["text"] + quake["headline"]
    assert set(json.loads(quake["unique_shares"])) == {f"{o}/quake.txt" for o in OUTLETS}
    single = summary[summary["story_id"] == story_of[SINGLE]].iloc[0]
    assert single["documents"] == 1 and json.loads(single["unique_shares"]) == {SINGLE: 1.0} and single["headline"].startswith("Heavy snow")
    assert not (out / ".stories-work").exists() and not (out / "alignment.parquet.parts").exists()


@pytest.mark.slow
def test_bad_files_are_reported_and_skipped(corpus, tmp_path, fake_model, capsys):
    root, _ = corpus
    out = tmp_path / "out"
    code = main(["stories", str(root), "-o", str(out), "--model", fake_model, "-q"])
    err = capsys.readouterr().err
    assert code == 3
    assert "bbc/empty.txt: empty document" in err and "bbc/scan.txt: not a readable PDF" in err
    skipped = pd.read_csv(out / "skipped.csv")
    assert sorted(skipped["doc"]) == ["bbc/empty.txt", "bbc/scan.txt"]
    assert len(pd.read_csv(out / "stories.csv")) == 10 and (out / "alignment.parquet").exists() and (out / "story_summary.csv").exists()


def test_a_story_with_a_differing_fact_counts_it(tmp_path):
    root = tmp_path / "in"
    for outlet, toll in (("a", "twelve"), ("b", "12"), ("c", "40")):
        (root / outlet).mkdir(parents=True)
        lines = STORIES["quake"][:3] + [f"At least {toll} people were injured, officials said on Tuesday."]
        (root / outlet / "quake.txt").write_text("\n\n".join(lines) + "\n")
    run_stories([root], tmp_path / "out", embedder=FakeEmbedder())
    summary = pd.read_csv(tmp_path / "out" / "story_summary.csv", keep_default_na=False)
    assert summary["documents"].tolist() == [3] and summary["differing_links"].iloc[0] >= 1


class StopAfter(FakeEmbedder):
    """Interrupts the run (Ctrl-C) on its n-th encode call."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.stop_at = calls

    def encode(self, texts):
        if self.calls + 1 >= self.stop_at:
            raise KeyboardInterrupt
        return super().encode(texts)


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("stories.csv", "alignment.parquet", "story_summary.csv", "pairs.csv")}


@pytest.mark.slow
@pytest.mark.parametrize("stop_at", [2, 4, 6])  # while embedding, verifying, aligning
def test_an_interrupted_run_resumes_to_the_same_bytes(tmp_path, monkeypatch, stop_at):
    monkeypatch.setattr("xling.stories.run.EMBED_DOCS", 4)
    monkeypatch.setattr("xling.stories.run.CHUNK_DOCS", 3)
    root = tmp_path / "in"
    write_corpus(root, bad=False)
    run_stories([root], tmp_path / "ref", embedder=FakeEmbedder())
    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        run_stories([root], out, embedder=StopAfter(stop_at))
    assert (out / ".stories-work").exists()
    with pytest.raises(Exception, match="unfinished run: finish it with --resume"):
        run_stories([root], out, embedder=FakeEmbedder())
    again = FakeEmbedder()
    run_stories([root], out, embedder=again, resume=True)
    assert outputs(out) == outputs(tmp_path / "ref")
    full = FakeEmbedder()
    run_stories([root], tmp_path / "full", embedder=full)
    assert again.texts_encoded < full.texts_encoded  # the finished part was not redone
    assert not (out / ".stories-work").exists()


def test_resume_refuses_other_inputs(tmp_path):
    root = tmp_path / "in"
    write_corpus(root, bad=False)
    with pytest.raises(KeyboardInterrupt):
        run_stories([root], tmp_path / "out", embedder=StopAfter(2))
    (root / "bbc" / "late.txt").write_text("A late article about something else entirely.\n")
    with pytest.raises(Exception, match="started with other inputs"):
        run_stories([root], tmp_path / "out", embedder=FakeEmbedder(), resume=True)


@pytest.mark.slow
def test_same_input_same_bytes_and_no_story_left_empty(tmp_path):
    root = tmp_path / "in"
    write_corpus(root, bad=False)
    run_stories([root], tmp_path / "a", embedder=FakeEmbedder())
    run_stories([root], tmp_path / "b", embedder=FakeEmbedder())
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_corpus_of_single_stories_writes_an_empty_table_with_story_id(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text("Heavy snow closed roads across Scotland on Friday.\n")
    (tmp_path / "in" / "two.txt").write_text("Voters in Spain went to the polls on Sunday.\n")
    report = run_stories([tmp_path / "in"], tmp_path / "out", embedder=FakeEmbedder())
    assert report.stories == 2 and report.pairs == 0
    table = pd.read_parquet(tmp_path / "out" / "alignment.parquet")
    assert table.empty and "story_id" in table.columns


def test_cli_needs_an_output_folder_and_names_a_missing_input(tmp_path, fake_model, capsys):
    with pytest.raises(SystemExit):
        main(["stories", str(tmp_path)])
    assert main(["stories", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--model", fake_model]) == 1
    assert "nope: no such file or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["stories", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "--model", fake_model]) == 1
    assert "no documents" in capsys.readouterr().err
    assert main(["stories", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "--workers", "2"]) == 2


@pytest.mark.dask
def test_dask_engine_gives_the_local_engine_s_bytes(tmp_path, fake_by_value):
    root = tmp_path / "in"
    write_corpus(root)
    run_stories([root], tmp_path / "local", embedder=FakeEmbedder())
    run_stories([root], tmp_path / "dask", embedder=fake_by_value, engine="dask", workers=2)
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")


def test_close_documents_can_need_fewer_matched_passages():
    from xling.stories.rule import evidence_arrays, story_labels

    vectors = unit([[1, 0.1], [1, 0.12], [0, 1]])
    candidates = np.array([[0, 1]])
    evidence = evidence_arrays(candidates, [7], [0.6], [0.5])  # like the seed pair: 58% linked, half of them match
    strict = StoryParams(matched_only=True, min_share=0.7, min_links=1)
    assert story_labels(np.array([12, 31, 5]), ["en"] * 3, vectors, candidates, np.array([0.95]), evidence, strict).tolist() == [0, 1, 2]
    close = StoryParams(matched_only=True, min_share=0.7, min_links=1, close_cosine=0.9, close_share=0.5)
    assert story_labels(np.array([12, 31, 5]), ["en"] * 3, vectors, candidates, np.array([0.95]), evidence, close).tolist() == [0, 0, 1]
    assert story_labels(np.array([12, 31, 5]), ["en"] * 3, vectors, candidates, np.array([0.85]), evidence, close).tolist() == [0, 1, 2]


@pytest.mark.slow
def test_real_model_groups_a_mixed_it_es_en_folder(tmp_path):
    """Five FLORES articles in Italian, Spanish and English, and the two seed reports: the default model, end to end."""
    import shutil

    import xling
    from benchmarks.story_corpora import write_flores

    everything = write_flores(tmp_path / "all", "test")
    chosen = sorted(set(everything.values()))[:5]
    root = tmp_path / "in"
    gold = {}
    for doc, story in everything.items():
        if story in chosen:
            (root / doc).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(tmp_path / "all" / doc, root / doc)
            gold[doc] = story
    report = run_stories([root], tmp_path / "out", embedder=xling.get_embedder())
    stories = pd.read_csv(tmp_path / "out" / "stories.csv", keep_default_na=False)
    assert cluster.bcubed(list(stories["story_id"]), [gold[d] for d in stories["doc"]]) == (1.0, 1.0, 1.0)
    assert set(stories["lang"]) == {"it", "es", "en"} and report.pairs == 15
    table = pd.read_parquet(tmp_path / "out" / "alignment.parquet")
    assert set(table["status"]) >= {"match"} and table["story_id"].nunique() == 5


@pytest.mark.parametrize(("links", "expected"), [
    ([(0, 0), (1, 1), (2, 2)], 3),  # a translation: one to one, in order
    ([(0, 0), (1, 1), (3, 2), (4, 4)], 4),  # a dropped and an added sentence do not break the order
    ([(2, 3), (3, 0), (3, 2)], 1),  # one sentence drawn to two, and a crossing: chance links of one topic
    ([(0, 5), (2, 3), (3, 2)], 1),  # all crossing
    ([(1, 1), (1, 2), (2, 2)], 2),  # a split sentence counts once on each side
    ([], 0),
])  # fmt: skip
def test_ordered_matches_counts_links_one_to_one_in_order(links, expected):
    from xling.stories.tasks import ordered_matches

    assert ordered_matches(links) == expected


def test_matches_out_of_order_do_not_make_a_story_of_two_short_articles():
    from xling.stories.rule import evidence_arrays, story_labels

    vectors = unit([[1, 0.1], [1, 0.12], [0, 1]])
    candidates = np.array([[0, 1]])
    # 3 of the shorter article's 4 passages have a match link, but only one in order (+ one allowed out of place)
    evidence = evidence_arrays(candidates, [3], [0.75], [0.75], [0.5])
    segments = np.array([4, 6, 5])
    loose = StoryParams(matched_only=True, in_order=False, min_share=0.7, min_links=1)
    strict = StoryParams(matched_only=True, in_order=True, min_share=0.7, min_links=1)
    assert story_labels(segments, ["it"] * 3, vectors, candidates, np.array([0.86]), evidence, loose).tolist() == [0, 0, 1]
    assert story_labels(segments, ["it"] * 3, vectors, candidates, np.array([0.86]), evidence, strict).tolist() == [0, 1, 2]


@pytest.mark.parametrize(("links", "matched", "expected"), [
    ([(0, 1), (2, 3), (3, 2)], 3, 3),  # a headline linked to the lead of a version without one: one out of place
    ([(2, 3), (3, 0), (3, 2)], 3, 1),  # no order to be out of: the chance links of two short articles on one topic
    ([(0, 0), (1, 1)], 2, 2),  # never more than the matched passages
])  # fmt: skip
def test_one_passage_may_be_out_of_place_beside_an_ordered_chain(links, matched, expected):
    from xling.stories.tasks import in_order_count

    assert in_order_count(links, matched) == expected
