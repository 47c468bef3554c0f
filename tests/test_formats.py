"""Readers of real inputs: web pages (trafilatura), PDF, .docx, web addresses, and near-duplicate documents."""
from __future__ import annotations

import http.server
import socket
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

import xling
from xling.duplicates import near_duplicates
from xling.errors import EmptyDocument, InputError, UnreadableFile
from xling.formats.pdf import clean_pages
from xling.io import document_from_bytes, document_from_text, read_document
from xling.segment import segment_spans

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = "newsweek.51300"  # the NTREX article the fixtures are made of (tests/fixtures/make_fixtures.py)


NTREX = Path(__file__).resolve().parent.parent / "data" / "sources" / "ntrex128"
NTREX_FILES = {"eng": "newstest2019-src.eng.txt", "ita": "newstest2019-ref.ita.txt", "spa": "newstest2019-ref.spa.txt"}


def ntrex(lang: str) -> list[str]:
    """The ARTICLE's sentences in ``lang``: the lines whose DOCUMENT_IDS.tsv entry names it (one sentence a line)."""
    ids = (NTREX / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (NTREX / NTREX_FILES[lang]).read_text(encoding="utf-8").split("\n")
    return [lines[n].rstrip("\r").replace("\r", "") for n, doc_id in enumerate(ids) if doc_id.strip() == ARTICLE]


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- web pages


def test_saved_news_page_keeps_the_article_and_drops_the_site():
    doc = read_document(FIXTURES / "page_it.html")
    body = flat(doc.text)
    assert all(flat(sentence) in body for sentence in ntrex("ita"))
    markup = (FIXTURES / "page_it.html").read_text(encoding="utf-8")
    for boilerplate in ("Questo sito utilizza cookie", "Condividi", "I più letti", "Iscriviti", "Tutti i diritti riservati",
                        "Commenti", "Leggi anche", "Potrebbe interessarti"):  # fmt: skip
        assert boilerplate not in doc.text, boilerplate
        assert boilerplate in markup or boilerplate in ("Leggi anche", "Potrebbe interessarti", "Commenti")
    assert doc.metadata["site"] == "Corriere Adriatico Online" and doc.metadata["author"] == "Giulia Ferrari"
    assert doc.metadata["title"].startswith("Elizabeth Warren") and doc.metadata["declared_lang"] == "it"
    assert len(doc.metadata["date"]) == 10


def test_offsets_point_into_the_extracted_text():
    doc = read_document(FIXTURES / "page_it.html")
    spans = segment_spans(doc.text)
    assert spans and all(doc.text[s:e].strip() == doc.text[s:e] for s, e, _ in spans)
    assert "<" not in doc.text and "\n\n" in doc.text  # paragraphs kept


def test_html_entities_are_decoded_exactly_once():
    markup = ("<html><head><title>AT&amp;amp;T</title></head><body><article><h1>AT&amp;amp;T e il codice</h1>"
              "<p>Il tag &amp;lt;b&amp;gt; si scrive così, e AT&amp;amp;T resta AT&amp;amp;T; &lt;i&gt; è un tag vero.</p>"
              "</article></body></html>").encode()  # fmt: skip
    doc = document_from_bytes(markup, name="e.html")
    assert "Il tag &lt;b&gt; si scrive così, e AT&amp;T resta AT&amp;T; <i> è un tag vero." in doc.text
    assert doc.metadata["title"] == "AT&amp;T e il codice"


def test_a_page_without_an_article_is_a_clear_error():
    menu = b"<html><body><nav><a href='/'>Home</a> <a href='/sport'>Sport</a> <a href='/meteo'>Meteo</a></nav></body></html>"
    with pytest.raises(EmptyDocument, match=r"menu\.html: no article text found in this web page"):
        document_from_bytes(menu, name="menu.html")
    with pytest.raises(EmptyDocument, match="blank.html"):
        document_from_bytes(b"<html><body><div></div></body></html>", name="blank.html")


def test_trafilatura_is_deterministic_and_needs_no_network(monkeypatch):
    def no_network(*_args, **_kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    data = (FIXTURES / "page_it.html").read_bytes()
    first, second = document_from_bytes(data, name="p.html"), document_from_bytes(data, name="p.html")
    assert first.text == second.text and first.metadata == second.metadata


# ---------------------------------------------------------------- PDF and .docx


def test_pdf_reads_as_paragraphs_without_headers_footers_or_hyphenation():
    doc = read_document(FIXTURES / "page_es.pdf")
    body = flat(doc.text)
    assert all(flat(sentence) in body for sentence in ntrex("spa")), "every sentence, hyphenated words joined"
    for running in ("El Diario del Sur", "Domingo, 30 de septiembre", "Página 1", "Página 2", "Por Laura Gómez"):
        assert running not in doc.text
    assert "-\n" not in doc.text and doc.text.count("\n\n") >= 5
    assert doc.metadata == {"title": ntrex("spa")[0], "author": "Laura Gómez", "date": "2018-10-01", "declared_lang": "es"}


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (["Diario · 1\nLa senadora dijo que estu-\ndiará la posibilidad.\n\nOtro párrafo aquí.\n- 1 -",
          "Diario · 2\nUna frase final que sigue\nen la misma línea.\n- 2 -"],
         ["La senadora dijo que estudiará la posibilidad.", "Otro párrafo aquí.", "Una frase final que sigue en la misma línea."]),
        (["Un dibattito anti-\nTrump e pro-\nEuropa.\nPagina 1 di 1"], ["Un dibattito anti-Trump e pro-Europa."]),
        (["A paragraph that runs over the page break and goes\n3", "on here with more words to finish it.\n4"],
         ["A paragraph that runs over the page break and goes on here with more words to finish it."]),
    ],
)  # fmt: skip
def test_pdf_cleaning(pages, expected):
    assert clean_pages(pages) == expected


def test_a_scanned_pdf_says_it_has_no_text_layer():
    with pytest.raises(EmptyDocument, match=r"scanned\.pdf: a scanned PDF with no text layer .*no OCR"):
        read_document(FIXTURES / "scanned.pdf")


def test_a_pdf_named_txt_is_read_as_a_pdf_and_a_broken_one_is_named(tmp_path):
    (tmp_path / "report.txt").write_bytes((FIXTURES / "page_es.pdf").read_bytes())
    assert "Elizabeth Warren" in read_document(tmp_path / "report.txt").text
    with pytest.raises(UnreadableFile, match=r"broken\.pdf: not a readable PDF"):
        document_from_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", name="broken.pdf")


def test_docx_body_only_with_hand_broken_words_joined():
    doc = read_document(FIXTURES / "article_en.docx")
    body = flat(doc.text)
    assert all(flat(sentence) in body for sentence in ntrex("eng"))
    assert "Evening Post" not in doc.text and "Page" not in doc.text  # header and footer (with its page field)
    assert "Massa-" not in doc.text and "\u00ad" not in doc.text
    assert "Should not run | 58%" in doc.text
    assert doc.metadata == {"title": ntrex("eng")[0], "author": "Sarah Mitchell", "date": "2018-10-01", "declared_lang": "en"}


def test_an_old_doc_and_a_plain_zip_are_named(tmp_path):
    with pytest.raises(UnreadableFile, match=r"old\.doc: a Word 97-2003 \.doc file"):
        document_from_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name="old.doc")
    with pytest.raises(UnreadableFile, match="zip"):
        document_from_bytes(b"PK\x03\x04\x14\x00" + b"\x00" * 40, name="a.docx")


# ---------------------------------------------------------------- web addresses


class _Site(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:  # the name http.server calls
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up first: what the limits are for
            pass

    def _answer(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(200):
                self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
            return
        if self.path not in self.pages:
            self.send_error(404, "Not Found")
            return
        kind, body = self.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site():
    _Site.pages = {
        "/esteri/warren-2020": ("text/html; charset=utf-8", (FIXTURES / "page_it.html").read_bytes()),
        "/pdf/warren": ("application/pdf", (FIXTURES / "page_es.pdf").read_bytes()),
        "/latin": ("text/html; charset=iso-8859-1", "<html><body><article><p>Città e perché, già.</p></article></body></html>".encode("latin-1")),
        "/slow": ("text/html", b"<p>late</p>"),
    }  # fmt: skip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)  # shutdown waits one poll
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_gives_the_same_document_as_the_saved_page(site):
    page = read_document(f"{site}/esteri/warren-2020")
    saved = read_document(FIXTURES / "page_it.html")
    assert page.text == saved.text and page.name == "warren-2020" and page.source == f"{site}/esteri/warren-2020"
    pdf = read_document(f"{site}/pdf/warren")
    assert pdf.text == read_document(FIXTURES / "page_es.pdf").text
    assert "Città e perché, già." in read_document(f"{site}/latin").text


@pytest.mark.slow
def test_url_errors_name_the_address(site, monkeypatch):
    with pytest.raises(UnreadableFile, match=r"/missing: the server answered HTTP 404"):
        read_document(f"{site}/missing")
    with pytest.raises(UnreadableFile, match=r"/endless: the page is over the limit of 50,000 bytes"):
        read_document(f"{site}/endless", max_bytes=50_000)
    with pytest.raises(UnreadableFile, match=r"over the limit of 1,000"):
        read_document(f"{site}/esteri/warren-2020", max_bytes=1_000)
    monkeypatch.setattr("xling.formats.url.TIMEOUT_S", 0.3)
    with pytest.raises(UnreadableFile, match=r"/slow: no answer within 0.3 s"):
        xling.formats.url.fetch(f"{site}/slow", max_bytes=10_000, timeout=0.3)


def test_an_unreachable_address_is_one_clear_line():
    with socket.socket() as probe:  # a port on this machine that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UnreadableFile, match=rf"http://127.0.0.1:{port}/a: cannot be reached"):
        read_document(f"http://127.0.0.1:{port}/a")


# ---------------------------------------------------------------- near-duplicates


def test_the_same_article_as_page_and_text_is_a_near_duplicate_and_a_translation_is_not():
    page = read_document(FIXTURES / "page_it.html", name="page")
    text = document_from_text("\n".join(ntrex("ita")), name="text")
    spanish = read_document(FIXTURES / "page_es.pdf", name="pdf")
    other = document_from_text("\n".join(ntrex("ita")[:8]) + "\nUna frase tutta nuova che nessun altro ha scritto oggi.", name="part")
    found = near_duplicates([page, text, spanish])
    assert [(d.a, d.b) for d in found] == [("page", "text")] and found[0].containment > 0.95
    assert "page and text look like the same article" in found[0].message()
    assert [(d.a, d.b) for d in near_duplicates([text, other])] == [("text", "part")]  # one contained in the other
    assert near_duplicates([document_from_text("Tre parole sole.", name="x"), spanish]) == []


def test_inputs_errors_stay_input_errors():
    for bad in (b"%PDF-1.4 broken", b"<html><body></body></html>"):
        with pytest.raises(InputError):
            document_from_bytes(bad, name="bad.html" if bad.startswith(b"<") else "bad.pdf")


def test_a_folder_of_groups_takes_pages_pdfs_and_docx(tmp_path):
    from xling.batch.manifest import load_plan

    group = tmp_path / "warren"
    group.mkdir()
    for name in ("page_it.html", "page_es.pdf", "article_en.docx"):
        (group / name).write_bytes((FIXTURES / name).read_bytes())
    (group / "notes.odt").write_bytes(b"PK\x03\x04")  # not a format xling reads: not part of the group
    plan = load_plan(tmp_path)
    assert len(plan.pairs) == 3 and not any("notes" in p.doc_a or "notes" in p.doc_b for p in plan.pairs)
