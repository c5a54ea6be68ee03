"""The cockpit (驾驶舱, issue 10): its page and JSON show every registered panel to the bureau and the officers,
each officer's figures only within its scope, nothing to enterprise users; the JSON costs the same number of
queries whatever the data size."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shouye.core.registry import CockpitPanel, CockpitPanels, cockpit_panels
from shouye.hazards.choices import HazardLevel, HazardSource, HazardState
from shouye.hazards.services import report_hazard
from shouye.inspections import selectors as inspection_selectors
from shouye.inspections.models import InspectionPlan
from tests.conftest import page_as
from tests.factories import EnterpriseFactory, LicenceFactory
from tests.hazards.conftest import make_hazard
from tests.inspections.helpers import finished

pytestmark = pytest.mark.django_db

PANELS = {"hazards-trend", "hazards-by-township", "enterprises-by-township", "plan-coverage", "recent-events",
          "enterprises-by-industry", "enterprises-by-grade", "licences-expiring", "risk-points-by-grade",
          "risk-inactive", "major-hazards-by-grade", "permits-in-progress", "permits-problems", "alarms-active",
          "alarms-per-day", "incidents-active", "warnings-in-force"}


def data(user) -> dict:
    response = page_as(user).get("/cockpit/data/")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def panel(body: dict, key: str) -> dict:
    return next(item for item in body["panels"] if item["key"] == key)


def kpis(body: dict) -> dict:
    return {kpi["key"]: kpi["value"] for kpi in body["kpis"]}


def categories(body: dict, key: str) -> list[str]:
    option = panel(body, key)["option"]
    axis = option["xAxis"] if option["xAxis"]["type"] == "category" else option["yAxis"]
    return axis["data"]


def series(body: dict, key: str, name: str) -> list:
    return next(item["data"] for item in panel(body, key)["option"]["series"] if item["name"] == name)


@pytest.fixture
def district_activity(cast):
    """In 马山镇 (``inside``): an overdue major hazard, an open one and a closed one, a plan of two inspections
    with one inspection finished, and a licence ending in ten days; in 孝里街道 (``building``): an overdue
    hazard, one reported through the service, a finished inspection and an expired licence."""
    inside, building = cast["inside"], cast["building"]
    today = timezone.localdate()
    make_hazard(inside, state=HazardState.RECTIFYING, level=HazardLevel.MAJOR, deadline=today - timedelta(days=3),
                description="马山储罐区紧急切断缺失")
    make_hazard(inside, state=HazardState.RECTIFYING, description="马山灭火器过期")
    make_hazard(inside, state=HazardState.CLOSED, deadline=today + timedelta(days=2), description="马山通道堵塞")
    make_hazard(building, state=HazardState.REPORTED, deadline=today - timedelta(days=1),
                description="孝里脚手架未验收")
    InspectionPlan.objects.create(year=today.year, enterprise=inside, township_id=inside.township_id,
                                  industry_id=inside.industry_id, inspections_due=2)
    finished(cast["users"]["bureau_staff"], inside, non_compliant=())
    finished(cast["users"]["bureau_staff"], building, non_compliant=())
    report_hazard(actor=cast["users"]["bureau_staff"], enterprise=building, description="孝里临边防护缺失",
                  source=HazardSource.INSPECTION)
    LicenceFactory(enterprise=inside, valid_from=today - timedelta(days=300), valid_to=today + timedelta(days=10))
    LicenceFactory(enterprise=building, valid_from=today - timedelta(days=400), valid_to=today - timedelta(days=5))
    return cast


def test_the_page_shows_every_panel_with_its_figures_and_the_data_to_draw_them(district_activity):
    response = page_as(district_activity["users"]["bureau_staff"]).get("/cockpit/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("各街镇隐患整改情况（本年）", "按发现月份的隐患", "检查计划覆盖率（本年）", "最新动态", "证照到期预警"):
        assert title in page
    assert 'data-testid="kpi-hazards-overdue">2<' in page
    assert "济南市长清区应急管理局" in page
    embedded = json.loads(page.split('id="cockpit-data" type="application/json">')[1].split("</script>")[0])
    assert {item["key"] for item in embedded["panels"]} == PANELS
    assert 'data-refresh-seconds="60"' in page


def test_the_bureau_sees_the_whole_district(district_activity):
    body = data(district_activity["users"]["bureau_staff"])
    assert {item["key"] for item in body["panels"]} == PANELS
    figures = kpis(body)
    assert figures["enterprises"] == 3
    assert (figures["hazards-open"], figures["hazards-overdue"], figures["hazards-major"]) == (4, 2, 1)
    assert (figures["licences-expiring"], figures["licences-expired"]) == (1, 1)
    assert figures["plan-coverage"] == 100.0
    assert categories(body, "hazards-by-township") == ["孝里街道", "马山镇"]
    assert series(body, "hazards-by-township", "当前逾期") == [1, 1]
    assert series(body, "hazards-by-township", "发现") == [2, 3]
    assert series(body, "licences-expiring", "许可证")[0]["value"] == 1
    this_month = f"{timezone.localdate():%Y-%m}"
    trend = categories(body, "hazards-trend")
    assert len(trend) == 12 and trend[-1] == this_month
    assert series(body, "hazards-trend", "发现")[-1] == 5
    assert series(body, "hazards-trend", "其中已销号")[-1] == 1
    events = [(row["kind"], row["text"]) for row in panel(body, "recent-events")["rows"]]
    assert events[0] == ("隐患上报", "孝里住建工程有限公司 · 孝里临边防护缺失")
    assert ("检查完成", "孝里住建工程有限公司") in events and ("检查完成", "马山内测化工有限公司") in events


def test_a_township_officer_sees_only_its_township(district_activity):
    body = data(district_activity["users"]["township_officer"])
    figures = kpis(body)
    assert figures["enterprises"] == 1
    assert (figures["hazards-open"], figures["hazards-overdue"], figures["hazards-major"]) == (2, 1, 1)
    assert (figures["licences-expiring"], figures["licences-expired"]) == (1, 0)
    assert categories(body, "enterprises-by-township") == ["马山镇"]
    assert categories(body, "hazards-by-township") == ["马山镇"]
    assert series(body, "hazards-trend", "发现")[-1] == 3
    assert [(row["kind"], row["text"]) for row in panel(body, "recent-events")["rows"]] == [
        ("检查完成", "马山内测化工有限公司")]
    text = json.dumps(body, ensure_ascii=False)
    assert "孝里" not in text


def test_a_department_officer_sees_its_industries(district_activity):
    figures = kpis(data(district_activity["users"]["department_officer"]))
    assert figures["enterprises"] == 1  # 孝里住建工程: construction, 住建's industry
    assert (figures["hazards-open"], figures["hazards-overdue"], figures["licences-expired"]) == (2, 1, 1)


@pytest.mark.parametrize("role", ["enterprise_user", "expert", "nobody"])
def test_enterprise_users_experts_and_users_without_a_role_are_refused(district_activity, role):
    client = page_as(district_activity["users"][role])
    assert client.get("/cockpit/").status_code == 403
    response = client.get("/cockpit/data/")
    assert response.status_code == 403
    assert "马山" not in response.content.decode()


def test_a_visitor_signed_out_is_sent_to_sign_in():
    response = Client().get("/cockpit/data/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_navigation_leads_officers_to_the_cockpit_and_not_enterprise_users(cast):
    assert 'href="/cockpit/"' in page_as(cast["users"]["township_officer"]).get("/").content.decode()
    assert 'href="/cockpit/"' in page_as(cast["users"]["leader"]).get("/").content.decode()
    assert 'href="/cockpit/"' not in page_as(cast["users"]["enterprise_user"]).get("/").content.decode()


def test_the_refresh_period_is_configurable(cast, settings):
    settings.SHOUYE_COCKPIT_REFRESH_SECONDS = 15
    assert data(cast["users"]["leader"])["refresh_seconds"] == 15
    assert 'data-refresh-seconds="15"' in page_as(cast["users"]["leader"]).get("/cockpit/").content.decode()


def test_the_json_costs_the_same_queries_whatever_the_data_size(district_activity):
    """One enterprise's activity per township, then thirty more enterprises with hazards in every state,
    plans, inspections and licences: the same number of queries."""
    cast = district_activity
    users = cast["users"]
    clients, counts = {}, {}
    for role in ("bureau_staff", "township_officer"):
        clients[role] = page_as(users[role])
        clients[role].get("/cockpit/data/")
        with CaptureQueriesContext(connection) as small:
            assert clients[role].get("/cockpit/data/").status_code == 200
        counts[role] = len(small)
        # About two queries a panel (the warnings' panel since issue 14), and the same at any size (below).
        assert counts[role] <= 35, [query["sql"] for query in small]
    today = timezone.localdate()
    for number in range(30):
        enterprise = EnterpriseFactory(township=cast["inside"].township if number % 2 else cast["outside"].township)
        for state in (HazardState.REPORTED, HazardState.RECTIFYING, HazardState.CLOSED):
            make_hazard(enterprise, state=state, deadline=today - timedelta(days=number % 3))
        InspectionPlan.objects.create(year=today.year, enterprise=enterprise, township_id=enterprise.township_id,
                                      industry_id=enterprise.industry_id, inspections_due=1 + number % 3)
        LicenceFactory(enterprise=enterprise, valid_from=today - timedelta(days=300),
                       valid_to=today + timedelta(days=number))
        if number % 5 == 0:
            finished(users["bureau_staff"], enterprise, non_compliant=())
    for role in ("bureau_staff", "township_officer"):
        with CaptureQueriesContext(connection) as large:
            body = clients[role].get("/cockpit/data/").json()
        assert len(large) == counts[role], [query["sql"] for query in large]
    assert kpis(body)["enterprises"] == 16  # the township officer's: ``inside`` and fifteen more


def test_a_panel_an_app_registers_appears_on_the_cockpit(cast, monkeypatch):
    """A later app (alarms, permits …) adds its panel by registering, without editing the cockpit."""
    registry = CockpitPanels(panels=dict(cockpit_panels.panels))
    registry.register(CockpitPanel(key="alarms-today", title="今日报警", order=5, size="s",
                                   data=lambda user: {"option": {"series": []},
                                                      "kpis": [{"key": "alarms", "label": "报警", "value": 7,
                                                                "unit": "", "tone": "danger", "order": 1}]}))
    monkeypatch.setattr("shouye.core.cockpit.cockpit_panels", registry)
    body = data(cast["users"]["bureau_staff"])
    assert body["panels"][0]["key"] == "alarms-today" and body["kpis"][0]["value"] == 7
    with pytest.raises(ValueError, match="size"):
        registry.register(CockpitPanel(key="huge", title="x", order=1, size="xl", data=dict))


def test_the_coverage_panel_agrees_with_the_plans_page(district_activity):
    """The cockpit's grouped coverage counts what the plans page counts plan by plan."""
    cast = district_activity
    today = timezone.localdate()
    for number, enterprise in enumerate([cast["building"], cast["outside"], EnterpriseFactory()]):
        InspectionPlan.objects.create(year=today.year, enterprise=enterprise, township_id=enterprise.township_id,
                                      industry_id=enterprise.industry_id, inspections_due=number)
    for role in ("bureau_staff", "township_officer"):
        user = cast["users"][role]
        page = inspection_selectors.coverage(user, today.year, today)["by_township"]
        cockpit = inspection_selectors.coverage_by_township(user, today.year, today)
        assert [(row["township__code"], row["planned"], row["covered"], row["due"], row["done_total"],
                 row["overdue"]) for row in cockpit] == [
            (row.key, row.planned, row.covered, row.due, row.done, row.overdue) for row in page]
