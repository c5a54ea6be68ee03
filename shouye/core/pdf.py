"""PDF documents from HTML templates, for every app (ARCHITECTURE.md §2: WeasyPrint and the Noto CJK fonts).

An app keeps its template and the context it fills it with; this module lays the page out. A template is
rendered in Chinese whatever the language of the request that asked for it, because an enforcement document,
a permit or a notice board has one official wording. Paths in a template (``static/…`` fonts, images) are
resolved against the project's base directory.

The PDF is made from the HTML alone, so the HTML holds every word the PDF shows: tests that search a
document's words for something that must not be there (tests/core/test_scope.py) read the HTML through
``html_to_pdf``, where a PDF's compressed text would hide it."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def html_to_pdf(html: str) -> bytes:
    """``html`` laid out as PDF bytes, fonts embedded (subset to the characters used)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def render_html(template: str, context: dict) -> str:
    """``template`` rendered with ``context`` in Chinese, the language of the platform's documents."""
    with translation.override("zh-hans"):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict) -> bytes:
    """``template`` rendered with ``context`` in Chinese and laid out as PDF bytes."""
    return html_to_pdf(render_html(template, context))
