"""pypdf or pdfplumber for xling's PDF reader: the same cleaning on each one's layout text, compared.

    python -m benchmarks.pdf_readers [--docs N]

NTREX-128 articles (Italian, Spanish, English) are typeset as small newspaper PDFs
(``benchmarks/pdf_pages.py``: running header, page footer, hyphenated line ends) and, where
LibreOffice is installed, also written as .docx and converted by ``soffice --headless`` (another
producer: justified lines). Each PDF is read with pypdf (``extraction_mode="layout"``) and with
pdfplumber (``extract_text(layout=True)``), and both texts go through xling's cleaning
(``xling.formats.pdf.clean_pages``). Counted: article sentences found whole, paragraphs found
whole, header or footer lines left in the text, and milliseconds per page.
"""
from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path

from xling.formats.pdf import clean_pages

from .comparable import documents, load_lines
from .news_pages import Article, paragraphs_of
from .pdf_pages import typeset_pdf

LANGS = {"it": ("ita", "Pagina {n} di {total}", "Il Quotidiano del Nord · Esteri"),
         "es": ("spa", "Página {n} de {total}", "El Diario del Sur · Internacional"),
         "en": ("eng", "Page {n} of {total}", "The Evening Post · World")}  # fmt: skip


def pypdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text(extraction_mode="layout") for page in PdfReader(io.BytesIO(data)).pages]


def pdfplumber_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text(layout=True) or "" for page in pdf.pages]


READERS = {"pypdf": pypdf_pages, "pdfplumber": pdfplumber_pages}


def _docx_to_pdf(article: Article, folder: Path, stem: str) -> bytes | None:
    if not shutil.which("soffice"):
        return None
    import docx

    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = LANGS[article.lang][2]
    doc.add_heading(article.headline, level=1)
    for paragraph in article.paragraphs:
        doc.add_paragraph(" ".join(paragraph)).paragraph_format.alignment = 3  # justified
    doc.save(folder / f"{stem}.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(folder / f"{stem}.docx")],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    return (folder / f"{stem}.pdf").read_bytes()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10, help="NTREX documents per language (default 10)")
    args = parser.parse_args(argv)
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0.0, 0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for lang, (file_key, label, header) in LANGS.items():
            lines = load_lines(file_key)
            for doc_id in sorted(documents())[: args.docs]:
                numbers = documents()[doc_id]
                rng = random.Random(zlib.crc32(f"pdf:{lang}:{doc_id}".encode()))
                article = Article(lines[numbers[0]], paragraphs_of([lines[n] for n in numbers[1:]], rng), lang)
                stem = f"{lang}-{doc_id}"
                typeset_pdf(article, folder / f"{stem}.pdf", header=(header, "2019"), byline="Redazione", page_label=label)
                producers = {"fpdf2": (folder / f"{stem}.pdf").read_bytes()}
                office = _docx_to_pdf(article, folder, f"{stem}-lo")
                if office:
                    producers["LibreOffice"] = office
                for producer, data in producers.items():
                    for name, read in READERS.items():
                        started = time.perf_counter()
                        pages = read(data)
                        text = "\n\n".join(clean_pages(pages))
                        t = totals[(name, producer)]
                        sentences = [article.headline, *(s for p in article.paragraphs for s in p)]
                        flat = " ".join(text.split())
                        t[0] += len(sentences)
                        t[1] += sum(" ".join(s.split()) in flat for s in sentences)
                        t[2] += len(article.paragraphs)
                        t[3] += sum(" ".join(" ".join(p).split()) in text.split("\n\n") for p in article.paragraphs)
                        t[4] += text.count(header) if len(pages) > 1 else 0  # on one page a header is just a first line
                        t[8] += len(pages) > 1
                        t[5] += sum(label.split("{")[0] in line for line in text.split("\n"))
                        t[6] += time.perf_counter() - started
                        t[7] += len(pages)
    print(f"PDF readers on NTREX articles ({args.docs} per language, it/es/en), xling's cleaning on each one's layout text")
    print("| reader | PDFs made by | sentences found whole | paragraphs found whole | header lines left (PDFs of 2+ pages) "
          "| page-number lines left | ms/page |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (name, producer), t in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0])):
        print(f"| {name} | {producer} | {t[1] / t[0]:.1%} | {t[3] / t[2]:.1%} | {t[4]} (of {t[8]}) | {t[5]} | {t[6] / t[7] * 1000:.0f} |")


if __name__ == "__main__":
    main()
