from __future__ import annotations

import codecs

import pytest

from xling.errors import EmptyDocument, UnreadableFile
from xling.io import document_from_bytes, document_from_text, read_document, split_metadata


def test_seed_metadata_line_is_metadata_not_content(seed_paths):
    doc = read_document(seed_paths[0])
    assert doc.metadata == {"date": "2023-10-26", "title": "Vladimir Putin e Xi Jinping"}
    assert doc.body.lstrip().startswith("Russian-Chinese Summit")
    assert "date 2023" not in doc.body


def test_no_metadata_means_body_is_everything():
    assert split_metadata("Plain text.\n") == (0, {})


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Perché sì.\n".encode(), "Perché sì.\n"),
        ("Uno.\r\nDue.\r\n".encode(), "Uno.\nDue.\n"),
        ("Uno.\rDue.\r".encode(), "Uno.\nDue.\n"),
        (codecs.BOM_UTF16_LE + "Año nuevo.".encode("utf-16-le"), "Año nuevo."),
    ],
)
def test_encodings_and_newlines(data, expected):
    assert document_from_bytes(data, name="x").text == expected


def test_cp1252_is_read_with_a_warning(caplog):
    doc = document_from_bytes("Città “bella” – señor".encode("cp1252"), name="old.txt")
    assert doc.text == "Città “bella” – señor"
    assert doc.warnings and "cp1252" in doc.warnings[0]


@pytest.mark.parametrize("data", [b"", b"   \n\t\n", "\ufeff  \n".encode()])
def test_empty_input_names_the_file(data):
    with pytest.raises(EmptyDocument, match="empty.txt"):
        document_from_bytes(data, name="empty.txt")


@pytest.mark.parametrize(("data", "kind"), [(b"%PDF-1.7\n...", "PDF"), (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"), (b"PK\x03\x04\x14\x00", "zip"), (bytes(range(256)) * 4, "binary")])
def test_binary_input_is_refused(data, kind):
    with pytest.raises(UnreadableFile, match=kind):
        document_from_bytes(data, name="fake.txt")


def test_missing_file_names_it(tmp_path):
    with pytest.raises(UnreadableFile, match="nope.txt: no such file"):
        read_document(tmp_path / "nope.txt")


def test_metadata_only_document_is_empty():
    with pytest.raises(EmptyDocument):
        document_from_text("date 2023-10-26 Title\n\n", name="m")


def test_html_is_stripped_to_text():
    doc = document_from_bytes(b"<html><head><style>p{}</style></head><body><h1>Title</h1><p>One &amp; two.</p></body></html>", name="a.html")
    assert "Title" in doc.text and "One & two." in doc.text and "<" not in doc.text and "p{}" not in doc.text
