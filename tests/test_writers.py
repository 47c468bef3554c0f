"""XLSX and TMX outputs, the unknown-suffix refusal, and the inputs-to-workbook run of the issue."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from tests.test_export import small_table
from xling.cli import main
from xling.export import COLUMNS, METADATA_COLUMNS, format_for, read_table, to_bytes
from xling.palette import PALETTE
from xling.writers import coverage_summary, tmx_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TMX_DTD = etree.DTD(str(FIXTURES / "tmx14.dtd"))


def linked_table() -> pd.DataFrame:
    """A pair with a one-to-one match, a sentence linked to two (one unit), a partial link and unique rows."""
    base = {"pair_id": "it--es", "doc_a": "it", "doc_b": "es", "a_lang": "it", "b_lang": "es"}
    rows = [
        dict(base, a_index=0, b_index=0, a_start=0, a_end=10, b_start=0, b_end=9, a_text="Uno & due.", b_text="Uno <y> dos.",
             similarity=0.9, score=1.3, status="match"),
        dict(base, a_index=1, b_index=1, a_start=11, a_end=30, b_start=10, b_end=20, a_text="Frase lunga, divisa.", b_text="Frase larga,",
             similarity=0.8, score=1.2, status="match"),
        dict(base, a_index=1, b_index=2, a_start=11, a_end=30, b_start=21, b_end=30, a_text="Frase lunga, divisa.", b_text="dividida.",
             similarity=0.7, score=1.15, status="match", b_lang="unknown"),
        dict(base, a_index=2, b_index=3, a_start=31, a_end=40, b_start=31, b_end=40, a_text="=1+1 vale.", b_text="Algo parecido.",
             similarity=0.5, score=1.05, status="partial"),
        dict(base, a_index=3, a_start=41, a_end=50, a_text="@solo qui.", status="unique_a", b_lang=None),
        dict(base, b_index=4, b_start=41, b_end=50, b_text="Solo aquí.", status="unique_b", a_lang=None),
    ]  # fmt: skip
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- XLSX


def test_xlsx_has_the_table_and_the_coverage_and_opens_in_pandas():
    data = to_bytes(linked_table(), "xlsx")
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == ["alignment", "coverage"]
    table = sheets["alignment"]
    assert tuple(table.columns) == COLUMNS + METADATA_COLUMNS and len(table) == 6
    assert table.loc[3, "a_text"] == "=1+1 vale." and table.loc[4, "a_text"] == "@solo qui."
    coverage = sheets["coverage"].set_index("document")
    assert coverage.loc["it", "passages"] == 4 and coverage.loc["it", "linked"] == 3 and coverage.loc["it", "only_here"] == 1
    assert coverage.loc["es", "passages"] == 5 and coverage.loc["es", "coverage"] == pytest.approx(37 / 46, abs=1e-4)
    assert coverage_summary(linked_table()).equals(coverage_summary(read_table_from_xlsx(data)))


def read_table_from_xlsx(data: bytes) -> pd.DataFrame:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        path.write_bytes(data)
        return read_table(path)


def test_xlsx_cells_are_never_formulas_and_carry_the_dashboard_colours():
    from openpyxl import load_workbook

    data = to_bytes(linked_table(), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = load_workbook(io.BytesIO(data))["alignment"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    status, a_text = header.index("status") + 1, header.index("a_text") + 1
    for row in range(2, sheet.max_row + 1):
        for cell in sheet[row]:
            assert cell.data_type != "f"
        colour = {"match": "match", "partial": "partial"}.get(sheet.cell(row, status).value, "unique")
        assert sheet.cell(row, status).fill.fgColor.rgb == "FF" + PALETTE[colour][1].lstrip("#").upper()
        assert sheet.cell(row, a_text).alignment.wrap_text
    assert sheet.column_dimensions["J"].width == 60  # a_text wraps at a readable width
    assert 8 <= sheet.column_dimensions["A"].width <= 12  # pair_id fitted to "it--es" and its header


def test_xlsx_is_the_same_bytes_for_the_same_table():
    assert to_bytes(linked_table(), "xlsx") == to_bytes(linked_table(), "xlsx")


@pytest.mark.slow
def test_xlsx_converts_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")
    (tmp_path / "t.xlsx").write_bytes(to_bytes(linked_table(), "xlsx"))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path), str(tmp_path / "t.xlsx")], check=True, capture_output=True, timeout=180)  # fmt: skip
    converted = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert list(converted.columns[: len(COLUMNS)]) == list(COLUMNS)
    assert converted.loc[3, "a_text"] == "=1+1 vale."  # shown as text, not computed to 2
    assert converted.status.tolist() == ["match", "match", "match", "partial", "unique_a", "unique_b"]


# ---------------------------------------------------------------- TMX


def test_tmx_is_valid_tmx_14_with_languages_and_joined_units():
    data = tmx_bytes(linked_table(), "match")
    root = etree.fromstring(data)
    assert TMX_DTD.validate(root), TMX_DTD.error_log.filter_from_errors()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "it"
    units = root.findall("body/tu")
    assert len(units) == 2  # the partial link is left out; 1 -> 1,2 is one unit
    texts = [[seg.text for seg in tu.iter("seg")] for tu in units]
    assert texts == [["Uno & due.", "Uno <y> dos."], ["Frase lunga, divisa.", "Frase larga, dividida."]]
    langs = [[tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.findall("tuv")] for tu in units]
    assert langs == [["it", "es"], ["it", "es"]]  # "unknown" falls back to the document's language
    assert b"Uno &amp; due." in data and b"&lt;y&gt;" in data


def test_tmx_with_partial_links_and_bad_choice():
    root = etree.fromstring(tmx_bytes(linked_table(), "match+partial"))
    assert TMX_DTD.validate(root)
    statuses = [tu.find("prop[@type='x-status']").text for tu in root.iter("tu")]
    assert statuses == ["match", "match", "partial"]
    with pytest.raises(ValueError, match="match, match\\+partial"):
        tmx_bytes(linked_table(), "everything")  # type: ignore[arg-type]


def test_tmx_of_a_table_without_links_is_still_valid():
    root = etree.fromstring(tmx_bytes(small_table().iloc[1:]))
    assert TMX_DTD.validate(root) and root.findall("body/tu") == []


# ---------------------------------------------------------------- suffixes


@pytest.mark.parametrize(("name", "fmt"), [("o.csv", "csv"), ("O.XLSX", "xlsx"), ("o.tmx", "tmx"), ("out", "csv"), (None, "csv")])
def test_format_follows_the_suffix(name, fmt):
    assert format_for(name) == fmt


def test_an_unknown_suffix_is_refused_with_the_list_unless_format_is_given(tmp_path, capsys, monkeypatch, fake_embedder):
    monkeypatch.setattr("xling.cli._embedder", lambda args: fake_embedder)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Il vertice è finito. Tutti a casa.", encoding="utf-8")
    b.write_text("The summit is over. Everyone went home.", encoding="utf-8")
    assert main(["align", str(a), str(b), "-o", str(tmp_path / "result.xls")]) == 2
    err = capsys.readouterr().err
    assert "result.xls: unknown table format '.xls'; use a suffix of .csv, .json, .parquet, .xlsx, .tmx" in err
    assert fake_embedder.calls == 0 and not (tmp_path / "result.xls").exists()  # refused before any work
    assert main(["align", str(a), str(b), "-o", str(tmp_path / "result.txt"), "--format", "csv", "-q"]) == 0
    assert (tmp_path / "result.txt").read_text().startswith("pair_id,doc_a,doc_b,")


def test_batch_refuses_whole_file_formats(tmp_path, capsys):
    (tmp_path / "m.csv").write_text("pair_id,doc_a,doc_b\np,a.txt,b.txt\n")
    assert main(["batch", str(tmp_path / "m.csv"), "-o", str(tmp_path / "o.xlsx")]) == 2
    assert "batch writes csv, json, parquet, not 'xlsx'" in capsys.readouterr().err


# ---------------------------------------------------------------- the run


@pytest.mark.slow
def test_page_it_and_pdf_es_to_xlsx_and_tmx(tmp_path, capsys, monkeypatch, fake_embedder):
    """``xling align page_it.html page_es.pdf -o out.xlsx`` (and .tmx) on the fixtures, with the fake encoder."""
    monkeypatch.setattr("xling.cli._embedder", lambda args: fake_embedder)
    page, pdf = str(FIXTURES / "page_it.html"), str(FIXTURES / "page_es.pdf")
    assert main(["align", page, pdf, "-o", str(tmp_path / "out.xlsx"), "-q"]) == 0
    table = pd.read_excel(tmp_path / "out.xlsx", sheet_name="alignment")
    assert set(table.doc_a_site) == {"Corriere Adriatico Online"} and set(table.doc_b_author) == {"Laura Gómez"}
    assert set(table.a_lang.dropna()) == {"it"} and set(table.b_lang.dropna()) == {"es"}
    assert not table.a_text.dropna().str.contains("cookie|Condividi|Iscriviti").any()
    assert not table.b_text.dropna().str.contains("Página|El Diario del Sur").any()
    assert main(["align", page, pdf, "-o", str(tmp_path / "out.tmx"), "--tmx-status", "match+partial", "-q"]) == 0
    assert TMX_DTD.validate(etree.parse(str(tmp_path / "out.tmx")))


def test_near_duplicates_are_warned_before_aligning(tmp_path, capsys, monkeypatch, fake_embedder):
    monkeypatch.setattr("xling.cli._embedder", lambda args: fake_embedder)
    page = FIXTURES / "page_it.html"
    from xling.io import read_document

    (tmp_path / "page_it.txt").write_text(read_document(page).text, encoding="utf-8")
    assert main(["align", str(page), str(tmp_path / "page_it.txt"), "-o", str(tmp_path / "o.csv"), "-q"]) == 0
    assert "warning: fixtures/page_it and test_near_duplicates_are_warne0/page_it look like the same article" in capsys.readouterr().err


@pytest.mark.slow
def test_page_it_and_pdf_es_align_with_the_real_model(tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert main(["align", str(FIXTURES / "page_it.html"), str(FIXTURES / "page_es.pdf"), "-o", str(out)]) == 0
    table = pd.read_excel(out, sheet_name="alignment")
    linked = table[table.status.isin(["match", "partial"])]
    assert len(linked) >= 12  # 15 sentences each, translations of one another
    assert "page_it--page_es" in capsys.readouterr().err
