"""xling/batch/manifest.py: pair and group manifests, folders of groups, and pair ids."""
from __future__ import annotations


import pandas as pd
import pytest
from batch_corpus import article, corpus

from xling.cli import main
from xling.export import read_table


@pytest.mark.parametrize(
    "content,message",
    [
        ("id,a,b\nx,d0.txt,d1.txt\n", "needs columns pair_id,doc_a,doc_b (pairs) or group_id,doc (groups); found id,a,b"),
        ("pair_id,doc_a\nx,d0.txt\n", "found pair_id,doc_a"),
        ("pair_id,doc_a,doc_b\nx,d0.txt,d1.txt\nx,d1.txt,d2.txt\n", "duplicate pair_id 'x' on lines 2 and 3"),
        ("pair_id,doc_a,doc_b\nx,d0.txt,\n", "line 2 has an empty doc_b"),
        ("pair_id,doc_a,doc_b\n", "no pairs"),
        ("group_id,doc\ng,d0.txt\ng,d1.txt\ng,d0.txt\n", "document 'd0.txt' listed twice in group 'g' (lines 2 and 4)"),
        ("group_id,doc\ng,d0.txt\nh,d1.txt\n", "no group has two documents"),
        ("", "found none"),
    ],
)
def test_malformed_manifests_are_one_clear_line(tmp_path, fake_model, capsys, content, message):
    corpus(tmp_path, 3)
    (tmp_path / "m.csv").write_text(content, encoding="utf-8")
    assert main(["batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "o.csv"), "--model", fake_model]) == 1
    err = capsys.readouterr().err
    assert err.startswith("xling: error: ") and message in err and err.count("\n") == 1, err


def test_missing_manifest_and_stdout_output_are_refused(tmp_path, fake_model, capsys):
    assert main(["batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv")]) == 1
    assert "none.csv: no such manifest file or folder" in capsys.readouterr().err
    (tmp_path / "m.csv").write_text("pair_id,doc_a,doc_b\nx,a,b\n")
    assert main(["batch", str(tmp_path / "m.csv")]) == 2
    assert "batch writes a file" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "o.csv"), "--workers", "2"]) == 2
    assert "need --engine dask" in capsys.readouterr().err


@pytest.mark.slow
def test_group_manifest_aligns_every_pair_of_each_group(tmp_path, fake_model, capsys):
    corpus(tmp_path, 5)
    (tmp_path / "copy.txt").write_text(article(0), encoding="utf-8")
    (tmp_path / "groups.csv").write_text("group_id,doc\nsummit,d0.txt\nsummit,d1.txt\nsummit,copy.txt\nwolves,d3.txt\nwolves,d4.txt\n")
    out = tmp_path / "out.parquet"
    assert main(["batch", str(tmp_path / "groups.csv"), "-o", str(out), "--model", fake_model, "-q"]) == 0
    summary = pd.read_csv(tmp_path / "out.summary.csv")
    assert list(summary.pair_id) == ["summit:d0--d1", "summit:d0--copy", "summit:d1--copy", "wolves:d3--d4"]
    assert list(summary.group_id) == ["summit"] * 3 + ["wolves"]
    assert list(read_table(out).pair_id.unique()) == list(summary.pair_id)
    coverage = pd.read_csv(tmp_path / "out.group_coverage.csv")
    assert list(coverage.columns) == ["group_id", "doc", "covered_by", "share"]
    summit = coverage[coverage.group_id == "summit"].set_index(["doc", "covered_by"]).share
    assert summit["d0.txt", "copy.txt"] == 1.0 and summit["copy.txt", "d0.txt"] == 1.0  # an exact copy covers everything
    assert summit["d0.txt", "(any)"] == 1.0
    assert summit["d1.txt", "(any)"] >= max(summit["d1.txt", "d0.txt"], summit["d1.txt", "copy.txt"])
    # The pairwise shares are the pairs' own coverage figures.
    first = summary.iloc[0]
    assert summit["d0.txt", "d1.txt"] == first.coverage_a and summit["d1.txt", "d0.txt"] == first.coverage_b
    assert list(coverage.doc.unique()) == ["d0.txt", "d1.txt", "copy.txt", "d3.txt", "d4.txt"]


@pytest.mark.slow
def test_a_folder_of_sub_folders_is_a_set_of_groups(tmp_path, fake_model, capsys):
    for group, seeds in (("event-a", (0, 1, 2)), ("event-b", (3, 4))):
        (tmp_path / "in" / group).mkdir(parents=True)
        for s in seeds:
            (tmp_path / "in" / group / f"art{s}.{'md' if s == 2 else 'txt'}").write_text(article(s), encoding="utf-8")
    (tmp_path / "in" / "event-b" / "notes.csv").write_text("not an article")
    (tmp_path / "in" / "loose.txt").write_text(article(7))
    out = tmp_path / "out" / "table.csv"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "--model", fake_model, "-q"]) == 0
    summary = pd.read_csv(tmp_path / "out" / "table.summary.csv")
    assert list(summary.pair_id) == ["event-a:art0--art1", "event-a:art0--art2", "event-a:art1--art2", "event-b:art3--art4"]
    assert list(summary.doc_a) == ["event-a/art0.txt", "event-a/art0.txt", "event-a/art1.txt", "event-b/art3.txt"]
    assert "loose.txt" not in set(pd.read_csv(out).doc_a) and (tmp_path / "out" / "table.group_coverage.csv").exists()


@pytest.mark.slow
def test_pair_ids_follow_one_rule_in_align_and_batch(tmp_path, fake_model):
    """``[GROUP:]A--B`` of the documents' names without folder and suffix, A listed first (in a folder: by name)."""
    group = tmp_path / "in" / "summit"
    group.mkdir(parents=True)
    for name, seed in (("rome.txt", 0), ("beijing.md", 1)):
        (group / name).write_text(article(seed), encoding="utf-8")
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "b.csv"), "--model", fake_model, "-q"]) == 0
    assert main(["align", str(group / "beijing.md"), str(group / "rome.txt"), "-o", str(tmp_path / "a.csv"), "--model", fake_model, "-q"]) == 0
    batch_ids, align_ids = set(pd.read_csv(tmp_path / "b.csv").pair_id), set(pd.read_csv(tmp_path / "a.csv").pair_id)
    assert batch_ids == {"summit:beijing--rome"} and align_ids == {"beijing--rome"}
    assert batch_ids == {f"summit:{i}" for i in align_ids}
