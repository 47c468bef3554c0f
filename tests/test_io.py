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


# --- only regular files, never more than the limit (issue 12, items 2, 7, 8) -----------------------


READ_IN_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))  # if the bound is lost, a MemoryError, not a frozen machine
from xling.io import read_document
from xling.errors import UnreadableFile
try:
    read_document(sys.argv[1])
except UnreadableFile as exc:
    print(exc)
"""


def _read_in_child(path: str) -> str:
    """read_document in a child process with a timeout: a FIFO that blocks fails this test instead of hanging the suite."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", READ_IN_CHILD, path], capture_output=True, text=True, timeout=60, check=False,
                          env=os.environ | {"PYTHONPATH": str(root)})  # fmt: skip
    return done.stdout + done.stderr


@pytest.mark.slow
def test_a_fifo_is_refused_before_it_is_opened(tmp_path):
    import os

    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    out = _read_in_child(str(fifo))
    assert f"{fifo}: is a named pipe (FIFO), not a regular file" in out, out


@pytest.mark.slow
def test_dev_zero_is_refused_not_read_without_bound():
    out = _read_in_child("/dev/zero")
    assert "/dev/zero: is a character device, not a regular file" in out, out


def test_no_more_than_the_limit_is_read_whatever_size_the_file_claims(tmp_path, monkeypatch):
    import os
    import tracemalloc

    import xling.io as io_mod

    big = tmp_path / "grows.txt"
    big.write_bytes(b"word " * 2_000_000)  # 10 MB
    real_stat, real_fstat = os.stat, os.fstat

    def claims_empty(stat_result: os.stat_result) -> os.stat_result:
        return os.stat_result((stat_result.st_mode, *stat_result[1:6], 0, *stat_result[7:]))  # st_size 0, like /proc files

    monkeypatch.setattr(io_mod.os, "stat", lambda p, *a, **k: claims_empty(real_stat(p, *a, **k)))
    monkeypatch.setattr(io_mod.os, "fstat", lambda fd: claims_empty(real_fstat(fd)))
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile, match="grows.txt: file is over the limit of 1,000 bytes"):
            read_document(big, max_bytes=1_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"read {peak:,} bytes into memory for a limit of 1,000"


def test_a_proc_file_that_claims_zero_bytes_is_read_whole():
    from xling.io import read_file_bytes

    assert read_file_bytes("/proc/self/status").startswith(b"Name:")  # st_size is 0, the text is not


ITALIAN = "Il presidente cinese ha ricevuto il leader russo a Pechino. Città e più."


@pytest.mark.parametrize(
    ("data", "warning"),
    [
        (codecs.BOM_UTF32_LE + ITALIAN.encode("utf-32-le"), None),
        (codecs.BOM_UTF32_BE + ITALIAN.encode("utf-32-be"), None),
        (ITALIAN.encode("utf-16-le"), "no byte-order mark; read as UTF-16-LE"),
        (ITALIAN.encode("utf-16-be"), "no byte-order mark; read as UTF-16-BE"),
        (ITALIAN.encode("utf-32-le"), "no byte-order mark; read as UTF-32-LE"),
    ],
)
def test_utf32_with_a_mark_and_utf16_without_one_are_read(data, warning):
    doc = document_from_bytes(data, name="wide.txt")
    assert doc.text == ITALIAN
    assert doc.warnings == ((warning + " from its pattern of zero bytes",) if warning else ())


def test_a_stray_nul_in_a_short_text_is_replaced_with_a_warning():
    data = b"The president received the Russian leader.\x00 Trade was discussed"  # 63 bytes, one NUL
    assert len(data) == 63
    doc = document_from_bytes(data, name="short.txt")
    assert doc.text == "The president received the Russian leader.  Trade was discussed"
    assert doc.warnings == ("control characters (such as NUL) were replaced by spaces",)


@pytest.mark.parametrize("data", [b"\x00\x01\x02\x03" * 200, b"ab\x00" * 100, bytes(64) + b"text", b"\x00\x00\x00\x01" * 50])
def test_binary_with_many_nuls_is_still_refused(data):
    with pytest.raises(UnreadableFile, match="bin.txt: binary file"):
        document_from_bytes(data, name="bin.txt")


def test_distinct_names_take_the_folder_then_a_number(tmp_path):
    from xling.io import distinct_names

    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"Text of {folder}.", encoding="utf-8")
    docs = [read_document(tmp_path / "a" / "x.txt"), read_document(tmp_path / "b" / "x.txt")]
    assert [d.name for d in distinct_names(docs)] == ["a/x", "b/x"]
    pasted = [document_from_text("One.", name="x"), document_from_text("Two.", name="x"), document_from_text("Three.", name="y")]
    assert [d.name for d in distinct_names(pasted)] == ["x", "x (2)", "y"]
