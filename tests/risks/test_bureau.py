"""The bureau's view of dual prevention: liveness on hand-made data (through the selector, the page, the API
and the export), its thresholds, scope, the statistics, the map layer, the cockpit panels, the inspection
plans' priority reason and constant query counts."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.hazards.choices import HazardSource
from shouye.inspections.models import InspectionPlan
from shouye.risks import cockpit
from shouye.risks.selectors.liveness import Filters, liveness_rows
from tests.conftest import api_as
from tests.factories import EnterpriseFactory
from tests.hazards.conftest import make_hazard

from .bureau_data import daily, local, points, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def alive(cast):
    """``inside`` (马山镇): published, four points, 30 days of tasks with some missed, hazards of both kinds."""
    inside = cast["inside"]
    today = timezone.localdate()
    points(inside, "major", "high", "high", "low")
    publish(inside)
    for back in range(1, 31):
        daily(inside, today - timedelta(days=back), due=4, done=3, missed=1,
              last_done_at=local(today - timedelta(days=back), 9))
    daily(inside, today, due=4, done=0)                                  # today: excluded
    daily(inside, today - timedelta(days=31), due=100, done=0, missed=100)  # before the window: excluded
    make_hazard(inside, source=HazardSource.SELF_INSPECTION, found_at=local(today - timedelta(days=3)))
    make_hazard(inside, source=HazardSource.SELF_INSPECTION, found_at=local(today - timedelta(days=29)))
    make_hazard(inside, source=HazardSource.INSPECTION, found_at=local(today - timedelta(days=2)))
    make_hazard(inside, source=HazardSource.TIP_OFF, found_at=local(today - timedelta(days=40)))  # too old
    make_hazard(inside, source=HazardSource.ALARM, found_at=local(today - timedelta(days=2)))     # neither
    return inside


def _row(user, enterprise):
    return next(row for row in liveness_rows(user) if row.enterprise_id == enterprise.pk)


def test_liveness_counts_the_last_30_full_days(cast, alive):
    row = _row(cast["users"]["bureau_staff"], alive)
    assert (row.due, row.done, row.missed) == (120, 90, 30)
    assert row.completion_percent == 75.0
    assert row.days_since_done == 1
    assert (row.self_reported, row.found_by_supervisors) == (2, 1)
    assert row.points == {"major": 1, "high": 2, "low": 1} and row.highest_grade == "major"
    assert row.published and row.reasons == ()


def test_an_enterprise_without_anything_is_inactive_for_every_reason(cast):
    row = _row(cast["users"]["bureau_staff"], cast["outside"])
    assert (row.due, row.completion_percent, row.days_since_done) == (0, None, None)
    assert row.reasons == ("no_points", "unpublished", "idle")


@pytest.mark.parametrize(("done", "low"), [(60, False), (59, True)])
def test_the_completion_threshold_includes_its_edge(cast, alive, done, low):
    """60 % is enough (the default threshold), 59 % is not."""
    today = timezone.localdate()
    from shouye.risks.models import TaskDailyTotal

    TaskDailyTotal.objects.filter(enterprise=alive).delete()
    daily(alive, today - timedelta(days=1), due=100, done=done, last_done_at=local(today - timedelta(days=1)))
    assert ("low_completion" in _row(cast["users"]["bureau_staff"], alive).reasons) is low


@pytest.mark.parametrize(("days", "idle"), [(7, False), (8, True)])
def test_the_idle_threshold_counts_whole_days(cast, alive, days, idle):
    from shouye.risks.models import TaskDailyTotal

    today = timezone.localdate()
    TaskDailyTotal.objects.filter(enterprise=alive).delete()
    daily(alive, today - timedelta(days=days), due=1, done=1, last_done_at=local(today - timedelta(days=days), 23))
    row = _row(cast["users"]["bureau_staff"], alive)
    assert row.days_since_done == days
    assert ("idle" in row.reasons) is idle


def test_the_thresholds_are_settings(cast, alive, settings):
    settings.SHOUYE_LIVENESS_MIN_COMPLETION_PERCENT = 80
    assert _row(cast["users"]["bureau_staff"], alive).reasons == ("low_completion",)


def test_the_last_completed_task_is_the_newest_over_all_days(cast, alive):
    """An instance due long ago but done yesterday counts: the newest ``last_done_at`` of any day."""
    from shouye.risks.models import TaskDailyTotal

    today = timezone.localdate()
    TaskDailyTotal.objects.filter(enterprise=alive).delete()
    daily(alive, today - timedelta(days=90), due=1, done=1, last_done_at=local(today - timedelta(days=1)))
    daily(alive, today - timedelta(days=5), due=1, missed=1)
    assert _row(cast["users"]["bureau_staff"], alive).days_since_done == 1


def test_the_page_shows_the_figures_and_flags_the_inactive(client, cast, alive):
    client.force_login(cast["users"]["bureau_staff"])
    response = client.get(reverse("risks:liveness"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "双重预防运行情况" in html and "75.0%" in html and "90/120" in html
    assert "孝里外部机械有限公司" in html and "无风险点" in html
    assert f"{reverse('inspections:create')}?enterprise={cast['outside'].pk}" in html
    assert f"{reverse('inspections:create')}?enterprise={alive.pk}" not in html
    inactive = client.get(reverse("risks:liveness"), {"inactive": "true"}).content.decode()
    assert "孝里外部机械有限公司" in inactive and alive.name not in inactive


def test_the_township_officer_sees_only_its_township(client, cast, alive):
    officer = cast["users"]["township_officer"]
    client.force_login(officer)
    html = client.get(reverse("risks:liveness")).content.decode()
    assert alive.name in html and "孝里外部机械有限公司" not in html and "孝里住建工程有限公司" not in html
    names = {row["name"] for row in api_as(officer).get("/api/v1/risk-liveness/").json()["results"]}
    assert alive.name in names and "孝里外部机械有限公司" not in names


def test_the_enterprise_itself_has_no_liveness_table(client, cast):
    client.force_login(cast["users"]["enterprise_user"])
    assert client.get(reverse("risks:liveness")).status_code == 403
    assert api_as(cast["users"]["enterprise_user"]).get("/api/v1/risk-liveness/").status_code == 403


def test_bad_filters_are_named_and_show_no_rows(client, cast, alive):
    client.force_login(cast["users"]["bureau_staff"])
    response = client.get(reverse("risks:liveness"), {"township": "火星镇", "sort": "salary"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请从列表中选择街镇" in html and "请选择排序的列" in html and alive.name not in html
    answer = api_as(cast["users"]["bureau_staff"]).get("/api/v1/risk-liveness/", {"industry": "x"})
    assert answer.status_code == 400 and "industry" in answer.json()


def test_the_api_sorts_filters_and_pages(cast, alive):
    staff = cast["users"]["bureau_staff"]
    rows = api_as(staff).get("/api/v1/risk-liveness/", {"sort": "-completion"}).json()["results"]
    assert rows[0]["name"] == alive.name and rows[0]["completion_percent"] == 75.0
    assert rows[0]["points"] == {"major": 1, "high": 2, "low": 1} and rows[0]["inactive"] is False
    mashan = api_as(staff).get("/api/v1/risk-liveness/", {"township": alive.township.code}).json()
    assert {row["township"] for row in mashan["results"]} == {alive.township.name}
    inactive = api_as(staff).get("/api/v1/risk-liveness/", {"inactive": "true"}).json()["results"]
    assert alive.name not in {row["name"] for row in inactive}
    assert all(row["reasons"] for row in inactive)


def test_the_export_has_every_filtered_row(client, cast, alive):
    client.force_login(cast["users"]["bureau_staff"])
    response = client.get(reverse("risks:liveness-export"), {"sort": "name"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 3
    mine = next(row for row in rows if row[1] == alive.name)
    assert mine[5:10] == [120, 90, 30, 75, 1]
    refused = client.get(reverse("risks:liveness-export"), {"township": "x"})
    assert refused.status_code == 302


def _make_district(n):
    for _ in range(n):
        enterprise = EnterpriseFactory()
        points(enterprise, "high", "low")
        publish(enterprise)
        daily(enterprise, timezone.localdate() - timedelta(days=2), due=2, done=1,
              last_done_at=local(timezone.localdate() - timedelta(days=2)))
        make_hazard(enterprise, source=HazardSource.SELF_INSPECTION)


@pytest.mark.parametrize("url", ["/risks/liveness/", "/api/v1/risk-liveness/", "/risks/statistics/",
                                 "/map/layers/risks/"])
def test_query_counts_do_not_grow_with_the_district(client, cast, alive, url, django_assert_max_num_queries):
    client.force_login(cast["users"]["bureau_staff"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _make_district(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _make_district(8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_statistics_count_active_points_by_grade_township_and_industry(client, cast, alive):
    building = cast["building"]
    points(building, "high", "moderate")
    from .bureau_data import risk_point

    risk_point(building, "OLD", "major", is_active=False)   # not in use: not counted
    risk_point(building, "NEW", "")                          # not graded yet: not counted
    client.force_login(cast["users"]["bureau_staff"])
    response = client.get(reverse("risks:statistics"))
    stats = response.context["stats"]
    assert stats["totals"] == {"major": 1, "high": 3, "moderate": 1, "low": 1} and stats["total"] == 6
    townships = {row["name"]: (row["major"], row["high"], row["total"]) for row in stats["by_township"]}
    assert townships == {alive.township.name: (1, 2, 4), building.township.name: (0, 1, 2)}
    assert {row["name"] for row in stats["by_industry"]} == {alive.industry.name, building.industry.name}
    assert stats["enterprises_by_highest"] == {"major": 1, "high": 1, "moderate": 0, "low": 0}
    html = response.content.decode()
    assert "风险点（按街镇）" in html and 'data-source="risk-by-township"' in html
    client.force_login(cast["users"]["township_officer"])
    assert client.get(reverse("risks:statistics")).context["stats"]["total"] == 4


def test_the_map_layer_colours_enterprises_by_their_highest_grade(client, cast, alive):
    points(cast["building"], "moderate")
    client.force_login(cast["users"]["bureau_staff"])
    features = client.get("/map/layers/risks/").json()["features"]
    classes = {f["properties"]["id"]: f["properties"]["class"] for f in features}
    assert classes == {alive.pk: "major", cast["building"].pk: "moderate", cast["outside"].pk: "none"}
    details = {f["properties"]["id"]: f["properties"]["detail"] for f in features}
    assert details[alive.pk] == "重大风险1 较大风险2 低风险1"
    assert "双重预防运行不正常" in details[cast["building"].pk]


def test_the_cockpit_panels(cast, alive):
    staff = cast["users"]["bureau_staff"]
    ring = cockpit._points_by_grade(staff)
    assert [item["value"] for item in ring["option"]["series"][0]["data"]] == [1, 2, 0, 1]
    assert ring["kpis"][0]["value"] == 1
    inactive = cockpit._inactive(staff)
    assert inactive["kpis"][0]["value"] == 2
    assert [row["text"].split(" · ")[0] for row in inactive["rows"]] == ["孝里住建工程有限公司", "孝里外部机械有限公司"]
    assert cockpit._inactive(cast["users"]["township_officer"])["kpis"][0]["value"] == 0


def test_the_inspection_plans_show_inactive_enterprises_first_to_visit(client, cast, alive):
    year = timezone.localdate().year
    for enterprise in (alive, cast["outside"]):
        InspectionPlan(year=year, inspections_due=2).stamp_from(enterprise).save()
    client.force_login(cast["users"]["bureau_staff"])
    html = client.get(reverse("inspections:plans"), {"year": year}).content.decode()
    assert html.count('data-testid="priority-reason"') == 1
    row = html[html.index("孝里外部机械有限公司"):]
    assert "双重预防运行不正常" in row[:300]


def test_the_ledger_page_panel(client, cast, alive):
    client.force_login(cast["users"]["township_officer"])
    html = client.get(reverse("enterprises:detail", args=[alive.pk])).content.decode()
    assert 'data-testid="risk-liveness-panel"' in html and "90/120" in html
    client.force_login(cast["users"]["enterprise_user"])
    html = client.get(reverse("enterprises:detail", args=[alive.pk])).content.decode()
    assert 'data-testid="risk-liveness-panel"' not in html


def test_filters_restrict_every_figure(cast, alive):
    rows = liveness_rows(cast["users"]["bureau_staff"], Filters(industry_id=cast["building"].industry_id))
    assert [row.name for row in rows] == ["孝里住建工程有限公司"]


def test_a_page_by_name_has_the_same_figures_as_the_whole_table(cast, alive):
    """The fast page (figures of its own enterprises only) and the whole table agree row for row."""
    from shouye.risks.selectors.liveness import liveness_page

    _make_district(5)
    staff = cast["users"]["bureau_staff"]
    whole = liveness_rows(staff)
    paged = [row for number in (1, 2, 3) for row in liveness_page(staff, Filters(), "name", number, 3)]
    assert [(r.enterprise_id, r.due, r.done, r.points, r.reasons, r.days_since_done) for r in paged] == \
        [(r.enterprise_id, r.due, r.done, r.points, r.reasons, r.days_since_done) for r in whole]
    answer = api_as(staff).get("/api/v1/risk-liveness/", {"page": 99})
    assert answer.status_code == 404
