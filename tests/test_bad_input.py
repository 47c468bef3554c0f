"""Every row of the README's bad-input table, through the real command line."""
from __future__ import annotations

import codecs
import zipfile

import pandas as pd
import pytest

from xling.cli import main

pytestmark = pytest.mark.slow
ITALIAN = "Il presidente cinese ha ricevuto il leader russo a Pechino. I due hanno parlato di commercio e di energia per tre ore."
ENGLISH = "The Chinese president received the Russian leader in Beijing. The two talked about trade and energy for three hours."


def run(tmp_path, capsys, files: dict[str, bytes]) -> tuple[int, str, pd.DataFrame | None]:
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    out = tmp_path / "out.csv"
    code = main(["align", *paths, "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err, pd.read_csv(out) if code == 0 else None


def _zip_bytes(tmp_path) -> bytes:
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        archive.writestr("a.txt", ENGLISH)
    return (tmp_path / "x.zip").read_bytes()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty document"),
        (b"  \n\t \r\n", "empty document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a readable PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image)"),
        (None, "binary file (a zip archive"),
        (b"\x00\x01\x02\x03" * 200, "binary file"),
    ],
)
def test_unusable_files_are_named_and_refused(tmp_path, capsys, data, message):
    data = _zip_bytes(tmp_path) if data is None else data
    code, err, _ = run(tmp_path, capsys, {"good.txt": ENGLISH.encode(), "bad.txt": data})
    assert code == 1 and "bad.txt" in err and message in err


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (ITALIAN.replace("è", "e").encode("utf-8") + b" caf\xe9 \xff", "not valid UTF-8"),
        (codecs.BOM_UTF16_LE + ITALIAN.encode("utf-16-le"), None),
        (ITALIAN.encode("cp1252") + " Città già più.".encode("cp1252"), "not valid UTF-8"),
        (ITALIAN.replace(". ", ".\r\n").encode(), None),
        (ITALIAN.replace(". ", ".\r").encode(), None),
        (ITALIAN.encode()[:20] + b"\x00" + ITALIAN.encode()[20:], "control characters"),
    ],
)
def test_odd_encodings_are_read_with_a_warning_where_due(tmp_path, capsys, data, warning):
    code, err, table = run(tmp_path, capsys, {"it.txt": data, "en.txt": ENGLISH.encode()})
    assert code == 0 and len(table) >= 2
    if warning:
        assert warning in err and "it.txt" in err
    assert "\r" not in "".join(table.a_text.dropna())


def test_file_over_the_size_limit_is_refused(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write((ENGLISH + "\n").encode() * (50_000_000 // (len(ENGLISH) + 1) + 1))
    code = main(["align", str(big), str(big), "-o", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code == 1 and "big.txt" in err and "over the limit" in err


def test_the_size_limit_can_be_raised_and_lowered(tmp_path, capsys):
    (tmp_path / "it.txt").write_text(ITALIAN, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    paths = [str(tmp_path / "it.txt"), str(tmp_path / "en.txt")]
    assert main(["align", *paths, "-o", str(tmp_path / "o.csv"), "--max-bytes", "50"]) == 1
    assert f"it.txt: file is {len(ITALIAN.encode()):,} bytes, over the limit of 50 (raise it with --max-bytes)" in capsys.readouterr().err
    assert main(["align", *paths, "-o", str(tmp_path / "o.csv"), "--max-bytes", "1000", "-q"]) == 0


def test_a_document_over_the_segment_limit_is_refused_by_name(tmp_path, capsys):
    (tmp_path / "it.txt").write_text(ITALIAN, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    code = main(["align", str(tmp_path / "it.txt"), str(tmp_path / "en.txt"), "-o", str(tmp_path / "o.csv"), "--max-segments", "1"])
    err = capsys.readouterr().err
    assert code == 1 and "it.txt: 2 sentences, over the limit of 1 (raise it with --max-segments" in err and "Traceback" not in err


def test_one_long_unpunctuated_sentence_is_cut_not_refused(tmp_path, capsys):
    code, _, table = run(tmp_path, capsys, {"long.txt": (("parola " * 14_300)[:100_000]).encode(), "en.txt": ENGLISH.encode()})
    assert code == 0 and (table[table.doc_a == "long"].a_text.str.len().dropna() <= 2000).all()


def test_one_word_document_gives_a_sensible_result(tmp_path, capsys):
    code, _, table = run(tmp_path, capsys, {"one.txt": b"Pechino", "en.txt": ENGLISH.encode()})
    assert code == 0 and (table.a_lang.dropna() == "unknown").all()


def test_identical_documents_link_every_segment(tmp_path, capsys):
    code, _, table = run(tmp_path, capsys, {"a.txt": ENGLISH.encode(), "b.txt": ENGLISH.encode()})
    assert code == 0 and set(table.status) == {"match"}


def test_unsupported_script_beside_italian_still_aligns(tmp_path, capsys):
    chinese = "习近平会见普京。双方讨论了贸易和能源。".encode()
    arabic = "التقى الرئيس الصيني بالرئيس الروسي في بكين. تحدثا عن التجارة.".encode()
    code, _, table = run(tmp_path, capsys, {"zh.txt": chinese, "ar.txt": arabic, "it.txt": ITALIAN.encode()})
    assert code == 0 and {"zh--ar", "zh--it", "ar--it"} == set(table.pair_id)


def test_formula_cells_are_neutralised_in_csv_but_kept_in_json(tmp_path, capsys):
    hostile = '=HYPERLINK("http://example.invalid","click") here.\n\n@SUM(A1:A9) is a cell.\n\n+1 more line.\n\n-2 less line.'
    (tmp_path / "hostile.txt").write_text(hostile, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    args = ["align", str(tmp_path / "hostile.txt"), str(tmp_path / "en.txt"), "-q"]
    assert main([*args, "-o", str(tmp_path / "o.csv")]) == 0 and main([*args, "-o", str(tmp_path / "o.json")]) == 0
    csv_cells = pd.read_csv(tmp_path / "o.csv").a_text.dropna().tolist()
    assert csv_cells and all(not c.startswith(("=", "+", "-", "@")) for c in csv_cells)
    assert any(c.startswith("'=HYPERLINK") for c in csv_cells) and any(c.startswith("'@SUM") for c in csv_cells)
    json_cells = pd.read_json(tmp_path / "o.json").a_text.dropna().tolist()
    assert any(c.startswith("=HYPERLINK") for c in json_cells) and any(c.startswith("@SUM") for c in json_cells)


def test_input_errors_survive_pickling():
    """The dashboard caches a failed fetch with its error: the error must come back whole from the cache."""
    import pickle

    from xling.errors import OutputError, UnreadableFile

    for error in (UnreadableFile("page.html", "not a web address"), OutputError("out.csv", "no space")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and back.problem == error.problem
