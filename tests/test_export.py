from __future__ import annotations

import pandas as pd
import pytest

import xling
from xling.export import read_table, to_bytes, write_table

EXPECTED_CSV = """\
pair_id,doc_a,doc_b,a_index,b_index,a_start,a_end,b_start,b_end,a_text,b_text,a_lang,b_lang,similarity,score,status,discrepancies,\
bead,closest,closest_score,doc_a_title,doc_a_site,doc_a_date,doc_a_author,doc_b_title,doc_b_site,doc_b_date,doc_b_author
a--b,a,b,0,1,0,19,26,45,Il vertice è finito.,The summit is over.,unknown,unknown,0.9,1.2346,match,"[{""kind"":""number"",""a"":""3"",""b"":""4""}]",\
0,,,Il vertice,Il Giornale,2023-10-26,,,,,
a--b,a,b,1,,20,35,,,'=SUM(A1:A2) va.,,unknown,,,,unique_a,,,1,0.8123,Il vertice,Il Giornale,2023-10-26,,,,,
a--b,a,b,,0,,,0,25,,Rain fell on the capital.,,unknown,,,unique_b,,,,,Il vertice,Il Giornale,2023-10-26,,,,,
"""


def small_table() -> pd.DataFrame:
    rows = [
        dict(pair_id="a--b", doc_a="a", doc_b="b", a_index=0, b_index=1, a_start=0, a_end=19, b_start=26, b_end=45,
             a_text="Il vertice è finito.", b_text="The summit is over.", a_lang="unknown", b_lang="unknown",
             similarity=0.9, score=1.234567, status="match", discrepancies='[{"kind":"number","a":"3","b":"4"}]', bead=0),
        dict(pair_id="a--b", doc_a="a", doc_b="b", a_index=1, a_start=20, a_end=35, a_text="=SUM(A1:A2) va.",
             a_lang="unknown", status="unique_a", closest=1, closest_score=0.81234),
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


# --- outputs that are not regular files, and output paths checked first (issue 12, items 3, 9, 10) -----------


def device(tmp_path, name: str, minor: int):
    """A character device to write to: as root a private node (so a regression cannot destroy /dev/null), else /dev's own."""
    import os
    import stat
    from pathlib import Path

    if os.geteuid() != 0:
        return Path(f"/dev/{name}")  # not root: the real node cannot be replaced anyway
    node = tmp_path / name
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return node


def is_char_device(path) -> bool:
    import os
    import stat

    return stat.S_ISCHR(os.lstat(path).st_mode)


def test_a_character_device_is_written_through_not_replaced(tmp_path):
    null = device(tmp_path, "null", 3)
    write_table(small_table(), null)
    assert is_char_device(null)


def test_a_full_device_is_one_error_naming_it_and_stays_a_device(tmp_path):
    from xling.errors import OutputError

    full = device(tmp_path, "full", 7)
    with pytest.raises(OutputError, match=f"{full}: cannot write \\(No space left on device\\)"):
        write_table(small_table(), full)
    assert is_char_device(full)


def test_a_fifo_gets_the_table_and_stays_a_fifo(tmp_path):
    import os
    import stat
    import threading

    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_table(small_table(), fifo)
    reader.join(timeout=30)
    assert received == [EXPECTED_CSV.encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_table(small_table(), link)
    assert link.is_symlink() and target.read_text() == EXPECTED_CSV


def test_a_folder_as_output_is_named_before_and_when_writing(tmp_path):
    from xling.errors import OutputError
    from xling.export import check_output

    with pytest.raises(OutputError, match=f"{tmp_path}: is a folder; give a file name"):
        check_output(tmp_path)
    with pytest.raises(OutputError, match=f"{tmp_path}: is a folder"):
        write_table(small_table(), tmp_path)
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


def test_an_output_under_a_file_or_in_a_read_only_folder_is_refused_first(tmp_path):
    import os

    from xling.errors import OutputError
    from xling.export import check_output

    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(OutputError, match="cannot be created: .*file.txt is not a folder"):
        check_output(tmp_path / "file.txt" / "out.csv")
    check_output(tmp_path / "new" / "deeper" / "out.csv")  # missing folders are made when writing
    if os.geteuid() != 0:  # root writes anywhere; a read-only mount is how it is refused there
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OutputError, match="is not writable"):
            check_output(locked / "out.csv")


def test_files_written_get_the_ordinary_umask_mode(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        write_table(small_table(), tmp_path / "out.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644


@pytest.mark.parametrize("name", ["result.xls", "result.tsv", "result.txt"])
def test_an_unknown_output_suffix_is_refused_listing_the_formats(name):
    from xling.export import format_for

    with pytest.raises(ValueError, match=r"unknown table format '\.\w+'; use a suffix of \.csv, \.json, \.parquet, \.xlsx, \.tmx"):
        format_for(name)


@pytest.mark.parametrize(("name", "fmt"), [("out.CSV", "csv"), ("out.parquet", "parquet"), ("out", "csv"), ("-", "csv"), (None, "csv")])
def test_known_or_absent_suffixes_give_their_format(name, fmt):
    from xling.export import format_for

    assert format_for(name) == fmt


@pytest.mark.parametrize(
    "cell", [" =2+2", "\t=2+2", '"=2+2', "'=2+2", "  @SUM(A1)", " -3+cmd", "\u00a0+1", "\n=1+1", " \"' =HYPERLINK(1)"]
)
def test_formulas_behind_blanks_and_quotes_are_neutralised(cell):
    from xling.export import neutralise_formula

    assert neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["2+2 = 4", "a - b", " plain text", '"quoted" words', "e-mail@example"])
def test_ordinary_text_is_left_alone(cell):
    from xling.export import neutralise_formula

    assert neutralise_formula(cell) == cell


def test_index_columns_are_whole_numbers_in_every_format(tmp_path):
    import io

    import pyarrow.parquet as pq

    table = small_table()
    df = xling.export.normalise_table(table)
    assert all(str(df[c].dtype) == "Int64" for c in ("a_index", "b_index", "a_start", "a_end", "b_start", "b_end"))
    assert pq.read_schema(io.BytesIO(to_bytes(table, "parquet"))).field("a_index").type == "int64"
    assert str(read_table_bytes(to_bytes(table, "parquet"), tmp_path / "t.parquet")["b_index"].dtype) == "Int64"
    assert ",1,,20,35,,," in to_bytes(table, "csv").decode()  # 1, not 1.0; empty, not nan
    assert '"a_index":1,' in to_bytes(table, "json").decode().replace(" ", "")


def read_table_bytes(data: bytes, path):
    path.write_bytes(data)
    return read_table(path)
