"""The incident pages: the intake form on a phone, the list with active and closed, the incident's page with
its clocks (overdue in red) and acts, the timeline in a fixed number of queries however long it is."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouye.incidents import services
from shouye.incidents.models import Incident, TimelineEntry

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, staff):
    client.force_login(staff)
    return client


def test_taking_a_call_on_the_form(browser, cast):
    assert browser.get(reverse("incidents:create")).status_code == 200
    answer = browser.post(reverse("incidents:create"), {
        "title": "管道泄漏", "kind": "accident", "accident_kind": "other",
        "occurred_at": (NOW - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"), "place": "园区",
        "source": "duty_phone", "enterprise": cast["inside"].pk, "deaths": "3"})
    incident = Incident.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert incident.grade == "large"
    page = browser.get(answer.url).content.decode()
    assert "较大" in page and 'data-clock="written_report"' in page and "data-due=" in page


def test_a_bad_form_names_the_field_in_chinese(browser, cast):
    answer = browser.post(reverse("incidents:create"), {
        "title": "x", "kind": "accident", "accident_kind": "other", "place": "p", "source": "duty_phone",
        "occurred_at": (NOW + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "enterprise": cast["inside"].pk})
    assert answer.status_code == 400 and "事件发生时间不能晚于现在" in answer.content.decode()
    assert not Incident.objects.exists()


def test_list_filters_active_and_closed(browser, accident, staff):
    services.close_incident(actor=staff, incident=accident, summary="完毕")
    active = browser.get(reverse("incidents:list"), {"active": "true"}).content.decode()
    closed = browser.get(reverse("incidents:list"), {"active": "false"}).content.decode()
    assert "储罐区闪爆" not in active and "储罐区闪爆" in closed


def test_overdue_clocks_are_red_and_acts_work_from_the_page(browser, accident, clock):
    clock.shift(timedelta(minutes=40))
    page = browser.get(reverse("incidents:detail", kwargs={"pk": accident.pk})).content.decode()
    assert 'list-group-item-danger" data-clock="direct_report"' in page
    answer = browser.post(reverse("incidents:report", kwargs={"pk": accident.pk}), {
        "report-report_kind": "first", "report-recipient": "区政府", "report-text": "快报",
        "report-clocks": ["report_county"]})
    assert answer.status_code == 302
    refused = browser.post(reverse("incidents:close", kwargs={"pk": accident.pk}), {"close-summary": ""})
    assert refused.status_code == 400


def test_the_page_of_a_long_timeline_takes_a_fixed_number_of_queries(browser, accident, staff):
    url = reverse("incidents:detail", kwargs={"pk": accident.pk})
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    TimelineEntry.objects.bulk_create([
        TimelineEntry(incident=accident, kind="call", text=f"来电{n}", at=NOW - timedelta(seconds=n), author=staff)
        for n in range(300)])
    with CaptureQueriesContext(connection) as many:
        page = browser.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count('data-kind="call"') == 49 and "?before=" in page


def test_the_to_do_lists_clocks_about_to_run_out(browser, accident):
    home = browser.get(reverse("core:home")).content.decode()
    assert "储罐区闪爆" in home


def test_a_township_officer_updates_from_the_site(client, cast, accident):
    client.force_login(cast["users"]["township_officer"])
    answer = client.post(reverse("incidents:situation", kwargs={"pk": accident.pk}), {
        "situation-missing": "2", "situation-note": "现场搜救中"})
    assert answer.status_code == 302
    accident.refresh_from_db()
    assert accident.missing == 2


def test_the_forms_of_an_intake_have_all_of_article_29(browser):
    page = browser.get(reverse("incidents:create")).content.decode()
    for name in ("occurred_at", "place", "latitude", "enterprise", "unit_name", "township", "kind", "deaths",
                 "missing", "serious_injuries", "direct_loss_yuan", "source", "contact_name", "contact_phone",
                 "scope_of_impact", "development", "handling"):
        assert f'name="{name}"' in page, name


def test_the_report_as_pdf_and_word_from_the_timeline(browser, accident, staff, cast):
    import io

    from docx import Document

    services.add_entry(actor=staff, incident=accident, kind="decision", text="启动区级应急预案")
    word = browser.get(reverse("incidents:report-docx", kwargs={"pk": accident.pk}), {"kind": "follow_up"})
    assert word.status_code == 200 and "filename*" in word["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "续报" in text and "启动区级应急预案" in text
    pdf = browser.get(reverse("incidents:report-pdf", kwargs={"pk": accident.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    reader = Client()
    reader.force_login(cast["users"]["township_officer"])
    assert reader.get(reverse("incidents:report-pdf", kwargs={"pk": accident.pk})).status_code == 403
