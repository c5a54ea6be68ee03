"""The plans' pages: the list with its overdue filter, a plan's page with the acts offered now, creating a plan
and a drill through the forms, an act refused by its state (409) or its input (400), the unit's clocks, the
statistics and their Excel, the to-dos and the enterprise ledger panel."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from shouye.core.registry import todo_providers
from shouye.plans.models import Drill, EmergencyPlan
from tests.conftest import page_as

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_the_list_marks_and_filters_the_overdue(cast, owner, plan):
    client = page_as(owner)
    html = client.get("/emergency-plans/").content.decode()
    assert plan.title in html and "备案逾期" in html
    assert plan.title in client.get("/emergency-plans/?overdue=true").content.decode()
    assert plan.title not in client.get("/emergency-plans/?overdue=false").content.decode()


def test_create_publish_and_a_refused_act_on_the_pages(cast, owner):
    client = page_as(owner)
    response = client.post("/emergency-plans/new/", {"enterprise": cast["inside"].pk, "kind": "special", "title": "火灾专项预案",
                                           "topics": ["production_safety"], "audience": "society"})
    plan = EmergencyPlan.objects.get(title="火灾专项预案")
    assert response.status_code == 302 and response["Location"] == f"/emergency-plans/{plan.pk}/"
    page = client.get(f"/emergency-plans/{plan.pk}/").content.decode()
    assert 'data-action="publish"' in page and 'data-action="file"' not in page
    bad = client.post(f"/emergency-plans/{plan.pk}/publish/", {"publish-published_on": (TODAY + timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and "日期不能晚于今天" in bad.content.decode()
    client.post(f"/emergency-plans/{plan.pk}/publish/", {"publish-published_on": "2026-09-01"})
    plan.refresh_from_db()
    assert plan.state == "published" and plan.filing_due_on.isoformat() == "2026-09-29"
    refused = client.post(f"/emergency-plans/{plan.pk}/publish/", {"publish-published_on": "2026-09-01"})
    assert refused.status_code == 409 and "已发布" in refused.content.decode()


def test_plan_and_hold_a_drill_on_the_pages(cast, owner, plan):
    client = page_as(owner)
    response = client.post("/emergency-plans/drills/new/", {"unit": plan.unit_id, "title": "桌面推演", "kind": "tabletop",
                                                  "planned_on": "2026-09-14", "plans": [plan.pk]})
    drill = Drill.objects.get(title="桌面推演")
    assert response.status_code == 302
    client.post(f"/emergency-plans/drills/{drill.pk}/hold/", {"hold-held_on": "2026-09-14", "hold-participants": 12,
                                                    "hold-evaluation": "按预案处置"})
    drill.refresh_from_db()
    assert drill.state == "held"
    unit_page = client.get(f"/emergency-plans/units/{plan.unit_id}/").content.decode()
    assert "2027-03-14" in unit_page and "高危单位或人员密集场所" in unit_page and "第六十三条" in unit_page
    assert "桌面推演" in client.get("/emergency-plans/drills/").content.decode()


def test_statistics_and_their_excel(cast, plan):
    client = page_as(cast["users"]["bureau_staff"])
    assert "马山镇" in client.get("/emergency-plans/statistics/").content.decode()
    response = client.get("/emergency-plans/statistics/export/")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "街镇" and ["马山镇", "企业", 1, 1, 0, 1, 0, 0, 1, 1] in rows
    assert page_as(cast["users"]["enterprise_user"]).get("/emergency-plans/statistics/").status_code == 403


def test_to_dos_for_the_enterprise_and_the_township_and_the_ledger_panel(cast, owner, plan):
    providers = {p.key: p for p in todo_providers.for_user(owner)}
    assert providers["plans-overdue"].count(owner) == 1
    item = providers["plans-overdue"].items(owner, 5)[0]
    assert item.url == f"/emergency-plans/{plan.pk}/" and item.overdue and "备案逾期" in item.detail
    # 2 March + 6 months = 2 September: the high-risk unit's drill is overdue on 15 September.
    assert providers["plans-drills-overdue"].count(owner) == 1
    officer = cast["users"]["township_officer"]
    assert {"plans-overdue", "plans-drills-overdue"} <= {p.key for p in todo_providers.for_user(officer)}
    assert "plans-overdue" not in {p.key for p in todo_providers.for_user(cast["users"]["bureau_staff"])}
    html = page_as(owner).get(f"/enterprises/{cast['inside'].pk}/").content.decode()
    assert 'data-testid="plans-panel"' in html and plan.title in html
