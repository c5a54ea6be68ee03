"""The enterprise registry in a real browser, as the township officers of the demo district use it."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from shouye.core.identifiers import credit_code
from shouye.enterprises.imports import COLUMNS_BY_KEY
from shouye.enterprises.models import Enterprise

from .conftest import ARTEFACTS, PHONE

pytestmark = pytest.mark.browser

MASHAN = "370113107"
XIAOLI = "370113008"
#: How the masked numbers look to a role without the personal-data permission (REGULATIONS.md §10.2).
MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")
MASKED_ID_NUMBER = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def township_cells(page):
    return page.get_by_test_id("enterprise-table").locator("tbody tr td:nth-child(3)")


def names_in(township_code: str) -> list[str]:
    return list(Enterprise.objects.filter(township__code=township_code).values_list("name", flat=True))


def filled_template(template: bytes, values: dict) -> bytes:
    """The downloaded import template with one row filled in, found by the Chinese column titles a user
    reads (required ones end in *)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    columns = {str(cell.value).rstrip("*"): cell.column for cell in sheet[1] if cell.value}
    with translation.override("zh-hans"):
        for key, value in values.items():
            sheet.cell(row=2, column=columns[str(COLUMNS_BY_KEY[key].title)], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def expect_charts_drawn(page) -> None:
    """Every chart of the page has its ECharts canvas (the home page has at least one chart)."""
    charts = page.locator("[data-chart]").count()
    assert charts > 0
    expect(page.locator("[data-chart] canvas")).to_have_count(charts)


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_township_officer_sees_only_its_township_and_the_ledger_page(visit):
    tab = visit()
    page = tab.page
    tab.sign_in("mashan")
    expect_charts_drawn(page)
    tab.shot("01-home")

    page.get_by_role("link", name="企业", exact=True).first.click()
    expect(page.get_by_test_id("enterprise-table")).to_be_visible()
    mashan_names = names_in(MASHAN)
    expect(township_cells(page)).to_have_count(len(mashan_names))
    assert set(township_cells(page).all_inner_texts()) == {"马山镇"}
    expect(page.get_by_test_id("result-count")).to_have_text(str(len(mashan_names)))
    expect(page.get_by_test_id("enterprise-table")).not_to_contain_text(names_in(XIAOLI)[0])
    tab.shot("02-list")

    link = page.get_by_test_id("enterprise-table").locator("tbody tr a").first
    name = link.inner_text()
    link.click()
    expect(page.get_by_test_id("enterprise-name")).to_have_text(name)
    enterprise = Enterprise.objects.get(name=name)
    for heading in ("基本信息", "关键人员", "操作记录"):
        expect(page.locator(".card-header", has_text=heading)).to_be_visible()
    expect(page.locator("dd code")).to_have_text(enterprise.credit_code)
    people = page.get_by_test_id("people")
    expect(people.locator("tbody tr")).to_have_count(enterprise.people.count())
    masked = people.locator("td.masked").all_inner_texts()
    phones = [text for text in masked if MASKED_PHONE.match(text)]
    id_numbers = [text for text in masked if MASKED_ID_NUMBER.match(text)]
    assert len(phones) == enterprise.people.exclude(phone="").count()
    assert len(id_numbers) == enterprise.people.exclude(id_number="").count()
    for person in enterprise.people.all():
        for clear in (person.phone, person.id_number):
            if clear:
                expect(people).not_to_contain_text(clear)
    licences = list(enterprise.licences.all())
    # One row per licence, or the one row saying there is none (the demo's enterprises hold their industry's).
    expect(page.get_by_test_id("licences").locator("tbody tr")).to_have_count(max(1, len(licences)))
    for licence in licences:
        expect(page.get_by_test_id("licences")).to_contain_text(licence.number)
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    expect(page.locator("#timeline")).to_be_visible()
    tab.shot("03-ledger")

    page.get_by_role("link", name="导入", exact=True).first.click()
    form = page.get_by_test_id("import-form")
    expect(form.locator("input[type=file]")).to_be_visible()
    template = page.request.get(reverse("enterprises:import-template"))
    assert template.ok
    new_name = "马山演示岱岳新材料化工有限公司（浏览器导入）"
    workbook = filled_template(template.body(), {
        "name": new_name, "credit_code": credit_code(90_001), "township": "马山镇", "industry": "危险化学品",
        "legal_representative": "赵明远", "supervision_grade": "B", "address": "济南市长清区马山镇演示路8号",
        "longitude": 116.561, "latitude": 36.512, "principal_name": "钱晓静", "principal_phone": "13905310001",
    })
    (ARTEFACTS / f"{tab.prefix}-04-upload.xlsx").write_bytes(workbook)
    form.locator("input[type=file]").set_input_files(
        {"name": "马山镇新增企业.xlsx", "mimeType": XLSX, "buffer": workbook})
    tab.shot("04-upload")
    form.locator("button[type=submit]").click()

    expect(page.locator("[data-testid=import-status][data-status=succeeded]")).to_be_visible()
    expect(page.get_by_test_id("import-result")).to_contain_text(re.compile(r"(^|\D)1(\D|$)"))
    tab.shot("05-imported")
    assert Enterprise.objects.get(credit_code=credit_code(90_001)).township.code == MASHAN
    page.get_by_test_id("import-result").get_by_role("link").click()
    table = page.get_by_test_id("enterprise-table")
    expect(table).to_contain_text(new_name)
    expect(township_cells(page)).to_have_count(len(mashan_names) + 1)
    assert set(township_cells(page).all_inner_texts()) == {"马山镇"}
    tab.shot("06-list-after-import")

    table.get_by_role("link", name=new_name).click()
    expect(page.get_by_test_id("enterprise-name")).to_have_text(new_name)
    expect(page.get_by_test_id("people")).to_contain_text("139****0001")
    expect(page.locator("#timeline li")).not_to_have_count(0)
    tab.shot("07-imported-ledger")
    assert tab.errors == []


def test_list_and_ledger_page_fit_a_phone(visit):
    tab = visit(PHONE)
    page = tab.page
    tab.open("accounts:login")
    assert horizontal_overflow(page) <= 1
    tab.sign_in("mashan")
    expect_charts_drawn(page)
    assert horizontal_overflow(page) <= 1

    menu = page.locator("#mainnav")
    expect(menu).to_be_hidden()
    page.locator("button.navbar-toggler").click()
    expect(menu).to_be_visible()
    tab.shot("01-menu-open")
    menu.get_by_role("link", name="企业", exact=True).click()

    expect(page.get_by_test_id("enterprise-table")).to_be_visible()
    expect(menu).to_be_hidden()
    assert horizontal_overflow(page) <= 1
    tab.shot("02-list")

    page.get_by_test_id("enterprise-table").locator("tbody tr a").first.click()
    expect(page.locator("#map .leaflet-marker-icon")).to_be_visible()
    expect(page.get_by_test_id("people")).to_be_visible()
    assert horizontal_overflow(page) <= 1
    tab.shot("03-ledger")
    assert tab.errors == []


def test_another_township_officer_sees_its_own_township_only(visit):
    tab = visit()
    page = tab.page
    tab.sign_in("xiaoli")
    tab.open("enterprises:list")
    xiaoli_names = names_in(XIAOLI)
    expect(township_cells(page)).to_have_count(len(xiaoli_names))
    assert set(township_cells(page).all_inner_texts()) == {"孝里街道"}
    table = page.get_by_test_id("enterprise-table")
    for name in names_in(MASHAN):
        expect(table).not_to_contain_text(name)
    tab.shot("01-list")

    mashan_enterprise = Enterprise.objects.filter(township__code=MASHAN).first()
    response = page.goto(reverse("enterprises:detail", kwargs={"pk": mashan_enterprise.pk}))
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(mashan_enterprise.name)
    tab.shot("02-other-township-not-found")
