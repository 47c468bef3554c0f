from __future__ import annotations

import pandas as pd
import pytest

import xling
from xling.export import read_table, to_bytes, write_table

EXPECTED_CSV = """\
pair_id,doc_a,doc_b,a_index,b_index,a_start,a_end,b_start,b_end,a_text,b_text,a_lang,b_lang,similarity,score,status,discrepancies,\
doc_a_title,doc_a_site,doc_a_date,doc_a_author,doc_b_title,doc_b_site,doc_b_date,doc_b_author
a--b,a,b,0,1,0,19,26,45,Il vertice è finito.,The summit is over.,unknown,unknown,0.9,1.2346,match,"[{""kind"":""number"",""a"":""3"",""b"":""4""}]",\
Il vertice,Il Giornale,2023-10-26,,,,,
a--b,a,b,1,,20,35,,,'=SUM(A1:A2) va.,,unknown,,,,unique_a,,Il vertice,Il Giornale,2023-10-26,,,,,
a--b,a,b,,0,,,0,25,,Rain fell on the capital.,,unknown,,,unique_b,,Il vertice,Il Giornale,2023-10-26,,,,,
"""


def small_table() -> pd.DataFrame:
    rows = [
        dict(pair_id="a--b", doc_a="a", doc_b="b", a_index=0, b_index=1, a_start=0, a_end=19, b_start=26, b_end=45,
             a_text="Il vertice è finito.", b_text="The summit is over.", a_lang="unknown", b_lang="unknown",
             similarity=0.9, score=1.234567, status="match", discrepancies='[{"kind":"number","a":"3","b":"4"}]'),
        dict(pair_id="a--b", doc_a="a", doc_b="b", a_index=1, a_start=20, a_end=35, a_text="=SUM(A1:A2) va.",
             a_lang="unknown", status="unique_a"),
        dict(pair_id="a--b", doc_a="a", doc_b="b", b_index=0, b_start=0, b_end=25, b_text="Rain fell on the capital.",
             b_lang="unknown", status="unique_b"),
    ]  # fmt: skip
    for row in rows:  # what document a's web page said about itself; b declared nothing
        row.update(doc_a_title="Il vertice", doc_a_site="Il Giornale", doc_a_date="2023-10-26")
    return pd.DataFrame(rows)


def test_csv_matches_the_literal_contract():
    assert to_bytes(small_table(), "csv").decode() == EXPECTED_CSV


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_json_and_parquet_round_trip_keep_the_original_text(tmp_path, fmt):
    path = tmp_path / f"t.{fmt}"
    write_table(small_table(), path, fmt)
    back = read_table(path)
    assert back.loc[1, "a_text"] == "=SUM(A1:A2) va."
    assert back.loc[0, "score"] == pytest.approx(1.2346)
    assert pd.isna(back.loc[2, "a_index"])


def test_bad_format_names_the_allowed_ones():
    with pytest.raises(ValueError, match="csv, json, parquet, xlsx, tmx"):
        to_bytes(small_table(), "xls")  # type: ignore[arg-type]


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    write_table(small_table(), tmp_path / "out.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert xling.read_table(tmp_path / "out.csv").shape[0] == 3


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_discrepancies_read_back_as_written_and_empty_when_none(tmp_path, fmt):
    path = tmp_path / f"t.{fmt}"
    write_table(small_table(), path, fmt)
    assert read_table(path)["discrepancies"].tolist() == ['[{"kind":"number","a":"3","b":"4"}]', "", ""]
