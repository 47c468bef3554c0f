from __future__ import annotations

import json
from pathlib import Path

import pytest

from xling.checks.artifacts import Artifact, find_artifacts, glued_words, leftovers, repair
from xling.cli import main
from xling.io import document_from_text, read_document

ROOT = Path(__file__).resolve().parent.parent
NTREX = ROOT / "data" / "sources" / "ntrex128"
SEED_000 = ROOT / "seeds" / "000_061724f570955f0f.txt"
SEED_002 = ROOT / "seeds" / "002_90f3d8e4bff38bac.txt"
CLEAN_LINES = 300  # enough text to catch a careless rule, few enough to stay fast


def found(path: Path) -> set[tuple[str, str, str]]:
    return {(a.kind, a.text, a.suggestion if a.kind == "glued" else a.lang) for a in find_artifacts(read_document(path))}


@pytest.mark.slow
def test_seed_002_has_three_glued_words_and_a_spanish_leftover():
    assert found(SEED_002) == {
        ("glued", "Putinthe", "Putin the"),
        ("glued", "USAthey", "USA they"),
        ("glued", "tradewhich", "trade which"),
        ("leftover", "Xi Jinping y Vladimir Putin", "es"),
    }


@pytest.mark.slow
def test_seed_000_has_a_glued_word_and_an_italian_leftover_in_its_metadata_line():
    assert found(SEED_000) == {("glued", "effectivethe", "effective the"), ("leftover", "Vladimir Putin e Xi Jinping", "it")}
    document = read_document(SEED_000)
    leftover = next(a for a in find_artifacts(document) if a.kind == "leftover")
    assert leftover.end <= document.body_start  # found in the title line, which the aligner never sees


@pytest.mark.slow
@pytest.mark.parametrize("path", [SEED_000, SEED_002])
def test_offsets_point_into_the_text(path):
    document = read_document(path)
    artifacts = find_artifacts(document)
    assert artifacts == sorted(artifacts, key=lambda a: a.start)
    for artifact in artifacts:
        assert document.text[artifact.start : artifact.end] == artifact.text


@pytest.mark.slow
@pytest.mark.parametrize("key, lang", [("src.eng", "en"), ("ref.ita", "it"), ("ref.spa", "es")])
def test_clean_translations_are_not_flagged(key, lang):
    lines = (NTREX / f"newstest2019-{key}.txt").read_text(encoding="utf-8").splitlines()[:CLEAN_LINES]
    flagged = [a.message() for line in lines for a in (*glued_words(line, lang), *leftovers(line, lang))]
    assert flagged == []


@pytest.mark.parametrize(
    "word, lang",
    [
        ("therefore", "en"), ("nevertheless", "en"), ("withdrawal", "en"), ("understatement", "en"), ("Johnson", "en"),
        ("Thompson", "en"), ("YouTube", "en"), ("MoveOn", "en"), ("iPhone", "en"), ("dargli", "it"), ("tiralo", "it"),
        ("incostituzionalmente", "it"), ("dímelo", "es"), ("comprarla", "es"), ("alterarlas", "es"), ("deliberen", "es"),
    ],
)  # fmt: skip
def test_real_words_names_and_compounds_are_not_glued(word, lang):
    assert glued_words(f"They said {word} twice.", lang) == []


@pytest.mark.parametrize(
    "text, lang, split",
    [("the theory ofthe case", "en", "of the"), ("ha detto che ilmondo cambia", "it", "il mondo"),
     ("ha visto Kante", "it", None), ("ha vistoKante ieri", "it", "visto Kante"), ("dijo que elcambio llega", "es", "el cambio")],
)  # fmt: skip
def test_glued_words_are_split(text, lang, split):
    assert [a.suggestion for a in glued_words(text, lang)] == ([split] if split else [])


@pytest.mark.parametrize(
    "text",
    [
        "Use a log scale, e.g. on the y-axis.", "They flew to Rio de Janeiro and walked over the Ponte Vecchio.",
        "He plays in La Liga, then in El Salvador.", "Ursula von der Leyen spoke de facto for everyone.",
        "The Member of the Welsh Parliament met Marks and Spencer staff.",
    ],
)  # fmt: skip
def test_normal_english_has_no_leftovers(text):
    assert leftovers(text, "en") == []


def test_a_foreign_clause_is_a_leftover_in_its_language():
    text = "The minister said que no habrá más impuestos este año before leaving."
    (artifact,) = leftovers(text, "en")
    assert artifact.lang == "es" and artifact.text.startswith("que no") and text[artifact.start : artifact.end] == artifact.text


def test_unknown_or_unsupported_language_gives_nothing():
    assert glued_words("Putinthe", "unknown") == [] and leftovers("Xi Jinping y Vladimir Putin", "xx") == []


def test_the_language_is_detected_when_the_document_does_not_say():
    text = "Again, Xi Jinping y Vladimir Putin met in Beijing. The two leaders talked about the bilateral tradewhich grows."
    document = document_from_text(text, name="d")
    assert document.lang == "unknown"
    assert {(a.kind, a.lang) for a in find_artifacts(document)} == {("glued", "en"), ("leftover", "es")}


def test_repair_splits_glued_words_of_the_text_only():
    text = "led by USAthey sat with Putinthe two"
    assert repair(text, glued_words(text, "en")) == "led by USA they sat with Putin the two"
    assert repair(text, leftovers("Xi y Li met", "en")) == text


def test_repair_of_a_segment_uses_the_document_offsets():
    document = read_document(SEED_002)
    artifacts = find_artifacts(document)
    start = document.text.index("The Chinese president highlighted")
    end = document.text.index("$200 billion.") + len("$200 billion.")
    segment = document.text[start:end]
    repaired = repair(segment, artifacts, offset=start)
    assert "bilateral trade which this year" in repaired
    assert len(repaired) == len(segment) + 1  # one split inside; the artifacts elsewhere are ignored
    assert repair(segment[:20], artifacts, offset=start) == segment[:20]


def test_repair_skips_an_artifact_that_does_not_match_the_text():
    stale = Artifact(kind="glued", start=0, end=8, text="Putinthe", suggestion="Putin the", lang="en")
    assert repair("Something else", [stale]) == "Something else"


def test_message_and_dict():
    glued = Artifact(kind="glued", start=0, end=8, text="Putinthe", suggestion="Putin the", lang="en")
    leftover = Artifact(kind="leftover", start=0, end=5, text="Xi y Li", suggestion="", lang="es")
    assert glued.message() == "glued words: 'Putinthe' -> 'Putin the'"
    assert leftover.message() == "Spanish leftover: 'Xi y Li'"
    assert json.loads(json.dumps(glued.to_dict()))["message"] == glued.message()


def test_inspect_prints_language_segments_and_artifacts(capsys):
    assert main(["inspect", str(SEED_002)]) == 0
    out = capsys.readouterr().out
    assert "language en" in out and "12 segments" in out and "4 artifacts" in out
    assert "glued words: 'USAthey' -> 'USA they'" in out and "Spanish leftover: 'Xi Jinping y Vladimir Putin'" in out


def test_inspect_json_and_repair(capsys):
    assert main(["inspect", str(SEED_000), "--json", "--repair"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lang"] == "en" and report["segments"][0]["index"] == 0
    assert [a["kind"] for a in report["artifacts"]] == ["leftover", "glued"]
    assert "close and effective the bilateral" in report["repaired_text"]


def test_inspect_of_an_empty_file_is_one_clear_line(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["inspect", str(empty)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"xling: error: {empty}: empty document (no text, or only whitespace)" and "Traceback" not in err
