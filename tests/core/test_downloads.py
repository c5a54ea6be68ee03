"""The one download helper (shouye.core.downloads): a file's name reaches the browser however it is spelled,
and the platform's downloads all carry it the same way."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from shouye.core.downloads import PDF, XLSX, ascii_fallback, content_disposition, download


def _filename_star(header: str) -> str:
    value = header.split("filename*=", 1)[1]
    assert value.startswith("UTF-8''")
    return unquote(value.removeprefix("UTF-8''"))


def test_a_chinese_name_is_sent_encoded_with_an_ascii_fallback():
    header = content_disposition("风险分级管控清单导入模板.xlsx")
    assert header.startswith('attachment; filename="download.xlsx"; ')
    assert _filename_star(header) == "风险分级管控清单导入模板.xlsx"
    assert header.isascii()


def test_an_ascii_name_is_sent_as_it_is():
    assert content_disposition("hazard-ledger-20261206.xlsx") == 'attachment; filename="hazard-ledger-20261206.xlsx"'


def test_inline_for_a_pdf_shown_in_the_browser():
    assert content_disposition("preview.pdf", inline=True) == 'inline; filename="preview.pdf"'


@pytest.mark.parametrize(("name", "fallback"), [
    ("四色图 plan 12.pdf", "plan-12.pdf"),
    ('a"b\\c/d.xlsx', "d.xlsx"),
    ("Café crème.xlsx", "Cafe-creme.xlsx"),
    ("清单", "download"),
    ("report.表格", "report"),
    ("50% 台账;x.xlsx", "50-x.xlsx"),
])
def test_the_fallback_keeps_only_safe_ascii(name, fallback):
    assert ascii_fallback(name) == fallback
    header = content_disposition(name)
    assert _filename_star(header) == name
    assert f'filename="{fallback}"' in header


def test_the_response_carries_the_bytes_and_type():
    response = download(b"%PDF-1.7", "告知卡.pdf", content_type=PDF, inline=True)
    assert response.content == b"%PDF-1.7"
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith('inline; filename="download.pdf"; filename*=')


def test_the_risk_list_import_template_downloads_under_its_chinese_name(client, cast):
    client.force_login(cast["users"]["enterprise_user"])
    response = client.get(reverse("risks:import-template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert _filename_star(response["Content-Disposition"]) == "风险分级管控清单导入模板.xlsx"
