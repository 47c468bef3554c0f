"""Articles typeset as small newspaper PDFs (fpdf2): the PDF fixture of the tests and the PDF reader benchmark.

A5 pages with a running header (outlet and date) and a page footer (``Página 1 de 2``), a bold
headline, a byline, paragraphs separated by space, and long words hyphenated at line ends as a
typesetter would (after a vowel followed by a consonant). Needs fpdf2 and the DejaVu fonts.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .news_pages import Article

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CREATED = dt.datetime(2018, 10, 1, 9, 30, tzinfo=dt.UTC)  # fixed, so the same text gives the same file
VOWELS = set("aeiouáéíóúüàèìòù")


def hyphen_split(word: str, fits) -> tuple[str, str] | None:
    """Split ``word`` as a typesetter would, after a vowel followed by a consonant, the longest head that fits."""
    for cut in range(len(word) - 3, 2, -1):
        head = word[:cut]
        if head[-1].lower() in VOWELS and word[cut].lower() not in VOWELS and word[cut].isalpha() and fits(head + "-"):
            return head + "-", word[cut:]
    return None


def wrap(pdf, text: str, width: float) -> list[str]:
    """Lines of at most ``width``; a long word that does not fit is hyphenated."""
    lines, line = [], ""
    words = text.split()
    while words:
        word = words.pop(0)
        candidate = f"{line} {word}" if line else word
        if pdf.get_string_width(candidate) <= width:
            line = candidate
            continue
        split = hyphen_split(word, lambda head, before=line: pdf.get_string_width(f"{before} {head}" if before else head) <= width) if len(word) >= 7 else None
        if split:
            lines.append(f"{line} {split[0]}" if line else split[0])
            words.insert(0, split[1])
            line = ""
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def typeset_pdf(text: Article, path: Path, *, header: tuple[str, str], byline: str, page_label: str) -> None:
    """``text`` set as a small newspaper PDF: running header and page footer, hyphenated line ends, spaced paragraphs."""
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self) -> None:
            self.set_font("Serif", "", 8)
            self.cell(0, 5, header[0], align="L")
            self.cell(0, 5, header[1], align="R", new_x="LMARGIN", new_y="NEXT")
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Serif", "", 8)
            self.cell(0, 5, page_label.format(n=self.page_no(), total="{nb}"), align="C")

    pdf = Paper(format="A5")
    pdf.set_creation_date(CREATED)
    pdf.set_title(text.headline)
    pdf.set_author(byline.split(" ", 1)[-1])
    pdf.set_lang(text.lang)
    pdf.add_font("Serif", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.add_font("Serif", "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(True, 16)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Serif", "B", 14)
    pdf.multi_cell(0, 7, text.headline)
    pdf.ln(2)
    pdf.set_font("Serif", "", 8)
    pdf.cell(0, 5, byline, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Serif", "", 10)
    for paragraph in text.paragraphs:
        for line in wrap(pdf, " ".join(paragraph), width):
            pdf.cell(0, 5.2, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.6)
    pdf.output(str(path))
