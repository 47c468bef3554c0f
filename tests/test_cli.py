from __future__ import annotations

import sys
import types

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


def _unknown_model_run(tmp_path, capsys, monkeypatch) -> tuple[int, str]:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    a, b = write(tmp_path, "a.txt", "One sentence here."), write(tmp_path, "b.txt", "Another sentence there.")
    code = main(["align", str(a), str(b), "--model", "no-such-model-anywhere", "-o", str(tmp_path / "o.csv")])
    return code, capsys.readouterr().err


def test_unknown_model_is_one_clear_line(tmp_path, capsys, monkeypatch):
    """sentence-transformers stood in by a module whose loader fails as it does offline: no torch import."""

    class NoSuchModel:
        def __init__(self, name, **_kwargs):
            raise OSError(f"{name} is not a local folder and not in the cache")

    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=NoSuchModel))
    code, err = _unknown_model_run(tmp_path, capsys, monkeypatch)
    assert code == 1 and "cannot load model 'no-such-model-anywhere'" in err and "Traceback" not in err
    assert "not a known name (" in err and "e5-small" in err


@pytest.mark.slow
def test_unknown_model_is_one_clear_line_with_the_real_sentence_transformers(tmp_path, capsys, monkeypatch):
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


# --- hostile outputs and inputs (issue 12) ----------------------------------------------------------------

EN = "The summit opened in Beijing on Tuesday. Prices of wheat rose by nine percent. The minister resigned.\n"
IT = "Il vertice si è aperto a Pechino martedì. I prezzi del grano sono saliti del nove per cento.\n"


def two_docs(tmp_path):
    return [str(write(tmp_path, "en.txt", EN)), str(write(tmp_path, "it.txt", IT))]


@pytest.mark.slow
def test_a_symlink_to_stdout_gets_the_table_and_stays_a_link(tmp_path):
    from conftest import run_cli_child

    link = tmp_path / "out.csv"
    link.symlink_to("/proc/self/fd/1")  # what /dev/stdout is; a private link, so a regression harms nothing shared
    done = run_cli_child(["align", *two_docs(tmp_path), "--model", "fake", "-q", "-o", link])
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("pair_id,doc_a,doc_b,")
    assert link.is_symlink()


@pytest.mark.slow
def test_stdout_on_a_full_device_is_one_line_naming_stdout(tmp_path):
    from conftest import run_cli_child

    with open("/dev/full", "wb") as full:
        done = run_cli_child(["align", *two_docs(tmp_path), "--model", "fake", "-q"], stdout=full, stderr=-1)
    assert done.returncode == 1
    assert done.stderr.decode() == "xling: error: stdout: cannot write (No space left on device)\n"


def test_a_full_disk_names_the_output_file(tmp_path, fake_model, capsys):
    from test_export import device

    full = device(tmp_path, "full", 7)
    assert main(["align", *two_docs(tmp_path), "--model", fake_model, "-q", "-o", str(full)]) == 1
    assert capsys.readouterr().err == f"xling: error: {full}: cannot write (No space left on device)\n"


def test_a_bad_output_path_is_refused_before_any_document_is_read(tmp_path, fake_model, capsys):
    missing = str(tmp_path / "missing.txt")  # reading it would fail: the output is checked first
    assert main(["align", two_docs(tmp_path)[0], missing, "--model", fake_model, "-o", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"xling: error: {tmp_path}: is a folder; give a file name for the output\n"
    assert main(["align", two_docs(tmp_path)[0], missing, "--model", fake_model, "-o", str(tmp_path / "result.xls")]) == 2
    err = capsys.readouterr().err
    assert "result.xls: unknown table format '.xls'; use a suffix of .csv, .json, .parquet, .xlsx, .tmx, or name the format with --format" in err


def test_an_unknown_suffix_is_honoured_when_the_format_is_named(tmp_path, fake_model):
    out = tmp_path / "result.xls"
    assert main(["align", *two_docs(tmp_path), "--model", fake_model, "-q", "-o", str(out), "--format", "csv"]) == 0
    assert out.read_text(encoding="utf-8").startswith("pair_id,")


def test_align_writes_files_with_the_umask_mode_like_batch(tmp_path, fake_model):
    import os
    import stat

    old = os.umask(0o022)
    try:
        assert main(["align", *two_docs(tmp_path), "--model", fake_model, "-q", "-o", str(tmp_path / "o.csv")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "o.csv").stat().st_mode) == 0o644


@pytest.mark.slow
@pytest.mark.parametrize("command", ["inspect", "align", "batch"])
def test_a_fifo_as_input_is_refused_not_waited_on(tmp_path, command):
    import os

    from conftest import run_cli_child

    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    good = two_docs(tmp_path)
    if command == "inspect":
        args = ["inspect", fifo]
    elif command == "align":
        args = ["align", good[0], fifo, "--model", "fake", "-o", tmp_path / "o.csv"]
    else:
        manifest = write(tmp_path, "m.csv", "pair_id,doc_a,doc_b\ngood,en.txt,it.txt\nbad,en.txt,p.txt\n")
        args = ["batch", manifest, "-o", tmp_path / "o.csv", "--model", "fake", "-q"]
    done = run_cli_child(args, timeout=90)
    err = done.stderr.decode()
    assert f"{fifo}: is a named pipe (FIFO), not a regular file" in err or "p.txt: is a named pipe (FIFO)" in err, err
    assert "Traceback" not in err
    if command == "batch":
        assert done.returncode == 3 and list(pd.read_csv(tmp_path / "o.csv").pair_id.unique()) == ["good"]
    else:
        assert done.returncode == 1


# --- costs made visible before the work (issue 12, item 11) ------------------------------------------------


def many_docs(tmp_path, n: int) -> list[str]:
    return [str(write(tmp_path, f"d{i}.txt", f"Document {i} says the summit opened. It names {i} delegations.\n")) for i in range(n)]


def test_too_many_pairs_are_refused_before_anything_is_read(tmp_path, fake_model, capsys):
    docs = many_docs(tmp_path, 14) + [str(tmp_path / "missing.txt")]  # 15 documents, 105 pairs
    assert main(["align", *docs, "--model", fake_model, "-o", str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err
    assert err == ("xling: error: 15 documents make 105 pairs to align, over the limit of 100 (raise it with --max-pairs "
                   "or Settings(max_pairs=...), or align chosen pairs with xling batch)\n")  # fmt: skip
    assert main(["align", *many_docs(tmp_path, 4), "--model", fake_model, "--max-pairs", "5", "-q"]) == 1
    assert "4 documents make 6 pairs to align, over the limit of 5" in capsys.readouterr().err


def test_a_large_comparison_is_announced_with_its_pairs_before_the_work(tmp_path, fake_model, capsys):
    assert main(["align", *many_docs(tmp_path, 5), "--model", fake_model, "-q", "-o", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert "xling: warning: 5 documents make 10 pairs to align" in err
    assert main(["align", *many_docs(tmp_path, 3), "--model", fake_model, "-q", "-o", str(tmp_path / "o.csv")]) == 0
    assert "pairs to align" not in capsys.readouterr().err


def test_inspect_applies_the_segment_limit(tmp_path, capsys):
    path = write(tmp_path, "long.txt", "One sentence here. " * 30)
    assert main(["inspect", str(path), "--max-segments", "20"]) == 1
    assert "long.txt: 30 sentences, over the limit of 20 (raise it with --max-segments" in capsys.readouterr().err


def test_a_document_of_many_segments_is_announced(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("xling.preparation.WARN_SEGMENTS", 20)
    path = write(tmp_path, "long.txt", "One sentence here. " * 30)
    assert main(["inspect", str(path)]) == 0
    assert "xling: warning: " + str(path) + ": 30 sentences to detect and encode; this takes a while" in capsys.readouterr().err


# --- progress of align on a terminal (issue 12, output traps) ----------------------------------------------


class FakeTerminal:
    """A stderr that says it is a terminal, keeping what is written."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        return "".join(self.parts)


def test_stage_progress_draws_only_on_a_terminal_and_only_after_a_moment():
    from xling.progress import StageProgress

    now = [0.0]
    terminal = FakeTerminal()
    progress = StageProgress(terminal, after=1.0, clock=lambda: now[0], ticker=False)
    progress("encoding", 0.0)
    assert terminal.getvalue() == ""  # the work has not lasted a moment yet
    now[0] = 12.0
    progress("aligning", 0.5)
    assert terminal.getvalue() == "\rxling: aligning pairs… 50%  00:12\x1b[K"
    progress.close()
    assert terminal.getvalue().endswith("\r\x1b[K")  # the line is cleared for the summary
    piped = FakeTerminal()
    piped.isatty = lambda: False  # type: ignore[method-assign]
    quiet = StageProgress(piped, after=0.0, clock=lambda: 99.0, ticker=False)
    quiet("encoding", 0.0)
    quiet.close()
    assert piped.getvalue() == ""


def test_align_shows_its_stages_on_a_terminal_and_nothing_with_quiet(tmp_path, fake_model, monkeypatch):
    import sys

    monkeypatch.setattr("xling.progress.SHOW_AFTER_S", 0.0)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    docs = many_docs(tmp_path, 3)
    assert main(["align", *docs, "--model", fake_model, "-o", str(tmp_path / "o.csv")]) == 0
    shown = terminal.getvalue()
    assert "\rxling: encoding passages…" in shown and "\rxling: aligning pairs… 67%" in shown
    terminal.parts.clear()
    assert main(["align", *docs, "--model", fake_model, "-o", str(tmp_path / "o.csv"), "-q"]) == 0
    assert "xling:" not in terminal.getvalue()
