from __future__ import annotations

import pandas as pd
import pytest

from xling.cli import main
from xling.export import COLUMNS


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_is_one_clear_line(tmp_path, capsys):
    code = main(["align", str(write(tmp_path, "a.txt", "Hello there friends.")), str(tmp_path / "missing.txt")])
    err = capsys.readouterr().err
    assert code == 1
    assert "missing.txt: no such file" in err and "Traceback" not in err


def test_single_document_is_refused(tmp_path, capsys):
    assert main(["align", str(write(tmp_path, "a.txt", "Hello."))]) == 1
    assert "at least two" in capsys.readouterr().err


def test_bad_option_value_exits_non_zero(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["align", "a", "b", "--threshold", "-3"])
    assert exc.value.code == 2 and "must be positive" in capsys.readouterr().err


def test_empty_file_is_named(tmp_path, capsys):
    code = main(["align", str(write(tmp_path, "a.txt", "Some text here.")), str(write(tmp_path, "blank.txt", "  \n"))])
    assert code == 1 and "blank.txt: empty document" in capsys.readouterr().err


def test_unknown_model_is_one_clear_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    a, b = write(tmp_path, "a.txt", "One sentence here."), write(tmp_path, "b.txt", "Another sentence there.")
    code = main(["align", str(a), str(b), "--model", "no-such-model-anywhere", "-o", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "cannot load model 'no-such-model-anywhere'" in err and "Traceback" not in err


@pytest.mark.slow
def test_align_writes_the_contract_to_a_file_and_the_summary_to_stderr(seed_paths, tmp_path, capsys):
    out = tmp_path / "seeds.csv"
    assert main(["align", *map(str, seed_paths), "-o", str(out)]) == 0
    df = pd.read_csv(out)
    assert tuple(df.columns[: len(COLUMNS)]) == COLUMNS
    assert df.pair_id.unique().tolist() == [f"{seed_paths[0].stem}--{seed_paths[1].stem}"]
    err = capsys.readouterr().err
    assert "segments" in err and "unique" in err


@pytest.mark.slow
def test_stdout_and_formats_agree(seed_paths, tmp_path, capsysbinary):
    assert main(["align", *map(str, seed_paths), "-q"]) == 0
    csv_bytes = capsysbinary.readouterr().out
    assert csv_bytes.startswith(b"pair_id,doc_a,doc_b,")
    assert main(["align", *map(str, seed_paths), "-q", "-o", str(tmp_path / "t.parquet")]) == 0
    assert main(["align", *map(str, seed_paths), "-q", "-o", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_bytes() == csv_bytes
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == len(pd.read_csv(tmp_path / "t.csv"))


@pytest.mark.slow
def test_batch_manifest_with_a_bad_document_finishes_the_rest(seed_paths, tmp_path, capsys):
    for p in seed_paths:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "bad.txt").write_bytes(b"%PDF-1.4 binary")
    manifest = tmp_path / "pairs.csv"
    manifest.write_text(f"pair_id,doc_a,doc_b\nseeds,{seed_paths[0].name},{seed_paths[1].name}\nbroken,{seed_paths[0].name},bad.txt\n")
    out = tmp_path / "out.csv"
    code = main(["batch", str(manifest), "-o", str(out)])
    assert code == 3
    assert set(pd.read_csv(out).pair_id) == {"seeds"}
    err = capsys.readouterr().err
    assert "broken" in err and "bad.txt" in err and "PDF" in err
