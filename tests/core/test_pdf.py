"""The one PDF maker (shouye/core/pdf.py): every app's documents go through it, so the scope walk can read their
words in their HTML (tests/core/test_scope.py), and a document's Chinese survives into the file."""

import io
import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy
from pypdf import PdfReader

from shouye.core import pdf

ROOT = Path(__file__).resolve().parents[2]
MAKER = ROOT / "shouye" / "core" / "pdf.py"


def test_a_page_of_chinese_comes_back_from_the_pdf_in_embedded_fonts():
    html = ("<html><head><style>@page { size: A4 } body { font-family: 'Noto Sans CJK SC' }</style></head>"
            "<body><h1>责令限期整改指令书</h1><p>马山镇化工有限公司</p></body></html>")
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(html)))
    text = reader.pages[0].extract_text()
    assert "责令限期整改指令书" in text and "马山镇化工有限公司" in text
    fonts = [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
             for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all(any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3")) for d in fonts)


def test_a_document_is_rendered_in_chinese_whatever_the_requests_language():
    """A label the context carries untranslated (a choice's name) is written in Chinese, and the request's own
    language is back afterwards."""
    with translation.override("en"):
        html = pdf.render_html("incidents/report.html", {"rows": [(gettext_lazy("Enterprise"), "马山镇化工")]})
        assert translation.get_language() == "en"
    assert "<th>企业</th>" in html


def test_no_pdf_is_laid_out_outside_the_one_maker():
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted([*(ROOT / "shouye").rglob("*.py"), *(ROOT / "config").rglob("*.py")])
                 if path != MAKER
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\b(from|import) weasyprint\b", line)]
    assert offenders == [], "make PDFs with shouye.core.pdf:\n" + "\n".join(offenders)
