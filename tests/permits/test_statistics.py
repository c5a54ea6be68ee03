"""Statistics of special operations (issue 12): permits per township and industry with the average approval lead
time and problems per 100 permits, per enterprise per month by kind and grade; filters validated; the Excel."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.audit.models import AuditEvent
from shouye.enterprises.models import Industry
from shouye.permits.choices import PermitKind, PermitState
from tests.conftest import page_as
from tests.factories import EnterpriseFactory

from .boardkit import make_permit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(ZoneInfo("UTC")))


def _applied(day: int, hour: int = 9) -> dict:
    applied = datetime(2026, 12, day, hour, 0, tzinfo=SHANGHAI)
    return {"applied_at": applied, "planned_start": applied + timedelta(hours=3),
            "planned_end": applied + timedelta(hours=8)}


@pytest.fixture
def permits(cast, frozen):
    inside, building = cast["inside"], cast["building"]
    # 马山镇, hazardous chemicals: approved after 2 h and 4 h, one with two problems.
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="1", state=PermitState.ARCHIVED, number="M-1",
                approved_at=datetime(2026, 12, 1, 11, tzinfo=SHANGHAI), problem_count=2, **_applied(1))
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="1", state=PermitState.ARCHIVED, number="M-2",
                approved_at=datetime(2026, 12, 2, 13, tzinfo=SHANGHAI), **_applied(2))
    # Not approved: counted, not in the lead time.
    make_permit(inside, kind=PermitKind.CONFINED_SPACE, state=PermitState.DRAFT, number="M-3", **_applied(3))
    # 孝里街道, construction: approved after 1 h.
    make_permit(building, kind=PermitKind.LIFTING, grade="2", state=PermitState.COMPLETED, number="X-1",
                approved_at=datetime(2026, 12, 5, 10, tzinfo=SHANGHAI), problem_count=1, **_applied(5))
    # Applied on 30 November at 23:30 in Shanghai (15:30 UTC): last month, outside the default period.
    make_permit(building, kind=PermitKind.LIFTING, grade="2", number="X-OLD",
                applied_at=datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI),
                planned_start=datetime(2026, 12, 1, 8, tzinfo=SHANGHAI),
                planned_end=datetime(2026, 12, 1, 12, tzinfo=SHANGHAI))
    return cast


def _rows(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</table>")[0]


def test_the_current_month_by_township_and_industry(permits):
    response = page_as(permits["users"]["bureau_staff"]).get(reverse("permits:statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-12-01" in page and "2026-12-20" in page
    totals = page.split('data-testid="permit-statistics-totals"')[1]
    assert 'data-total="permits">4<' in totals
    # (2 + 4 + 1) / 3 approved = 2.3 h; 3 problems in 4 permits.
    assert 'data-total="lead">2.3<' in totals
    assert 'data-total="per_100">75.0<' in totals
    townships = _rows(page, "by-township")
    mashan = townships.split('data-row="马山镇"')[1].split("</tr>")[0]
    assert 'data-cell="total">3<' in mashan and 'data-cell="lead">3.0<' in mashan and 'data-cell="per_100">66.7<' in mashan
    industries = _rows(page, "by-industry")
    assert 'data-row="建筑施工"' in industries and 'data-row="危险化学品"' in industries
    months = _rows(page, "by-enterprise-month")
    assert "2026-12" in months and "2026-11" not in months


def test_a_period_and_filters(permits):
    client = page_as(permits["users"]["bureau_staff"])
    page = client.get(reverse("permits:statistics"), {"applied_from": "2026-11-30", "applied_to": "2026-11-30"}) \
        .content.decode()
    assert 'data-total="permits">1<' in page
    assert "2026-11" in _rows(page, "by-enterprise-month")
    page = client.get(reverse("permits:statistics"), {"township": "370113107", "kind": "hot_work"}).content.decode()
    assert 'data-total="permits">2<' in page


@pytest.mark.parametrize("params", [{"kind": "flying"}, {"applied_from": "2026-13-01"}, {"township": "999"},
                                    {"enterprise": "99999999999999999999"}, {"applied_to": "9999-12-31"}])
def test_an_invalid_filter_is_an_error_not_everything(permits, params):
    client = page_as(permits["users"]["bureau_staff"])
    response = client.get(reverse("permits:statistics"), params)
    assert response.status_code == 400
    assert 'data-testid="permit-statistics-totals"' not in response.content.decode()
    export = client.get(reverse("permits:statistics-export"), params)
    assert export.status_code == 302
    assert not AuditEvent.objects.filter(verb="permit.export-statistics").exists()


def test_a_township_officer_counts_only_its_township(permits):
    page = page_as(permits["users"]["township_officer"]).get(reverse("permits:statistics")).content.decode()
    assert 'data-total="permits">3<' in page
    assert "孝里" not in _rows(page, "by-township")
    response = page_as(permits["users"]["township_officer"]).get(reverse("permits:statistics"),
                                                                     {"township": "370113008"})
    assert response.status_code == 400, "a township it may not see is refused like an unknown one"


def test_enterprises_and_experts_have_no_statistics(permits):
    for role in ("enterprise_user", "expert"):
        client = page_as(permits["users"][role])
        assert client.get(reverse("permits:statistics")).status_code == 403
        assert client.get(reverse("permits:statistics-export")).status_code == 403


def test_the_excel_holds_each_enterprise_month_kind_and_grade(permits):
    response = page_as(permits["users"]["bureau_staff"]).get(reverse("permits:statistics-export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.values)
    assert rows[0][:8] == ("序号", "企业名称", "街镇", "行业", "月份", "作业类别", "级别", "作业票数")
    body = {(row[1], row[5], row[6]): row for row in rows[1:]}
    hot = body[(permits["inside"].name, "动火作业", "一级")]
    assert hot[4] == "2026-12" and hot[7] == 2 and hot[8] == 3.0 and hot[9] == 2 and hot[10] == 100.0
    lifting = body[(permits["building"].name, "吊装作业", "二级")]
    assert lifting[7] == 1, "the November permit is outside the default period"
    event = AuditEvent.objects.get(verb="permit.export-statistics")
    assert event.changes["rows"] == 3


def test_queries_do_not_grow_with_the_enterprises(permits, django_assert_max_num_queries):
    client = page_as(permits["users"]["bureau_staff"])
    client.get(reverse("permits:statistics"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("permits:statistics"))
    for index in range(6):
        enterprise = EnterpriseFactory(industry=Industry.objects.get(code="industry_trade"))
        make_permit(enterprise, kind=PermitKind.EXCAVATION, **_applied(10 + index))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("permits:statistics"))
