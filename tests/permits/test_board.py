"""The bureau's live board (issue 12): figures and flags at a frozen moment, through the API and the page; scope
(a township officer sees only its township); the same number of queries whatever the number of permits."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shouye.permits.choices import PermitKind, PermitState, ProblemCode
from shouye.workcalendar.models import SpecialPeriod
from tests.conftest import api_as
from tests.factories import EnterpriseFactory

from .boardkit import make_permit

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 2026-12-07 10:00 in Shanghai.
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
BOARD_URL = "/api/v1/permits/board/"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(ZoneInfo("UTC")))
    return NOW


def _board(user):
    response = api_as(user).get(BOARD_URL)
    assert response.status_code == 200, response.content
    return response.json()


def _flags(data, number):
    row = next(row for row in data["problems"] if row["number"] == number)
    return {flag["code"] for flag in row["problems"]}


def test_figures_by_kind_and_grade_and_special_hot_work(cast, frozen):
    inside = cast["inside"]
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="special", now=NOW, number="DH-1",
                video_url="https://video.example/1", last_gas_test_at=NOW - timedelta(minutes=20))
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="2", now=NOW, number="DH-2",
                last_gas_test_at=NOW - timedelta(minutes=20))
    make_permit(inside, kind=PermitKind.WORK_AT_HEIGHT, grade="III", state=PermitState.SUSPENDED, now=NOW)
    make_permit(inside, kind=PermitKind.LIFTING, grade="1", state=PermitState.APPROVED, now=NOW)
    make_permit(inside, kind=PermitKind.EXCAVATION, state=PermitState.ARCHIVED, now=NOW)

    data = _board(cast["users"]["bureau_staff"])

    assert data["figures"]["in_progress"] == 2
    assert data["figures"]["suspended"] == 1
    assert data["figures"]["special_hot_work"] == 1
    kinds = {row["kind"]: row for row in data["by_kind"]}
    assert kinds["hot_work"]["total"] == 2
    assert [(g["label"], g["count"]) for g in kinds["hot_work"]["grades"]] == [("特级", 1), ("二级", 1)]
    assert kinds["work_at_height"]["grades"] == [{"grade": "III", "label": "Ⅲ级", "count": 1}]
    assert kinds["lifting"]["total"] == 0, "approved, not yet under way"
    assert kinds["excavation"]["total"] == 0
    assert [row["number"] for row in data["special_hot_work"]] == ["DH-1"]
    assert data["special_hot_work"][0]["video_url"] == "https://video.example/1"


def test_gas_test_older_than_the_kinds_interval_is_flagged_while_in_progress(cast, frozen):
    inside = cast["inside"]
    # Confined space: recorded every 2 h (GB 30871-2022 6.5).
    make_permit(inside, kind=PermitKind.CONFINED_SPACE, now=NOW, number="SX-STALE",
                last_gas_test_at=NOW - timedelta(hours=2, minutes=1))
    make_permit(inside, kind=PermitKind.CONFINED_SPACE, now=NOW, number="SX-FRESH",
                last_gas_test_at=NOW - timedelta(hours=2))
    # Hot work: analysed again every day (5.3.1 d).
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="2", now=NOW, number="DH-STALE",
                last_gas_test_at=NOW - timedelta(hours=25), planned_end=NOW + timedelta(hours=30))
    make_permit(inside, kind=PermitKind.HOT_WORK, grade="2", now=NOW, number="DH-FRESH",
                last_gas_test_at=NOW - timedelta(hours=23), planned_end=NOW + timedelta(hours=30))
    # Suspended: nobody works, no re-test due.
    make_permit(inside, kind=PermitKind.CONFINED_SPACE, state=PermitState.SUSPENDED, now=NOW, number="SX-PAUSED",
                last_gas_test_at=NOW - timedelta(hours=5))
    # Work at height has no gas test.
    make_permit(inside, kind=PermitKind.WORK_AT_HEIGHT, grade="I", now=NOW, number="GC-1")

    data = _board(cast["users"]["bureau_staff"])

    flagged = {row["number"] for row in data["problems"]}
    assert flagged == {"SX-STALE", "DH-STALE"}
    assert _flags(data, "SX-STALE") == {ProblemCode.GAS_TEST_STALE}
    counts = {row["code"]: row["count"] for row in data["problem_counts"]}
    assert counts[ProblemCode.GAS_TEST_STALE] == 2
    assert data["figures"]["with_problems"] == 2


def test_validity_running_out_within_the_margin(cast, frozen, settings):
    inside = cast["inside"]
    make_permit(inside, now=NOW, number="SX-ENDING", planned_end=NOW + timedelta(minutes=60),
                last_gas_test_at=NOW)
    make_permit(inside, now=NOW, number="SX-LATER", planned_end=NOW + timedelta(minutes=61), last_gas_test_at=NOW)
    make_permit(inside, state=PermitState.SUSPENDED, now=NOW, number="SX-PAUSED-ENDING",
                planned_end=NOW + timedelta(minutes=30))
    make_permit(inside, state=PermitState.APPROVED, now=NOW, number="SX-NOT-STARTED",
                planned_end=NOW + timedelta(minutes=30))

    data = _board(cast["users"]["bureau_staff"])
    assert {row["number"] for row in data["problems"]} == {"SX-ENDING", "SX-PAUSED-ENDING"}
    assert _flags(data, "SX-ENDING") == {ProblemCode.VALIDITY_RUNNING_OUT}
    assert data["expiry_warning_minutes"] == 60

    settings.SHOUYE_PERMIT_EXPIRY_WARNING_MINUTES = 90
    data = _board(cast["users"]["bureau_staff"])
    assert {row["number"] for row in data["problems"]} == {"SX-ENDING", "SX-LATER", "SX-PAUSED-ENDING"}


def test_stored_problems_become_flags_that_open_the_permit(cast, frozen):
    inside = cast["inside"]
    below = make_permit(inside, kind=PermitKind.HOT_WORK, grade="1", now=NOW, number="DH-LOW",
                        last_gas_test_at=NOW, problems=[ProblemCode.APPROVER_BELOW_LEVEL], problem_count=1)
    make_permit(inside, kind=PermitKind.LIFTING, grade="2", state=PermitState.APPROVED, now=NOW, number="DZ-CERT",
                problems=[{"code": ProblemCode.CERTIFICATE_EXPIRED, "detail": "证书已过期"}], problem_count=1)
    make_permit(inside, kind=PermitKind.LIFTING, grade="2", state=PermitState.ARCHIVED, now=NOW, number="DZ-OLD",
                problems=[ProblemCode.CERTIFICATE_EXPIRED], problem_count=1)

    data = _board(cast["users"]["bureau_staff"])

    assert {row["number"] for row in data["problems"]} == {"DH-LOW", "DZ-CERT"}, "closed permits leave the board"
    assert _flags(data, "DH-LOW") == {ProblemCode.APPROVER_BELOW_LEVEL}
    assert _flags(data, "DZ-CERT") == {ProblemCode.CERTIFICATE_EXPIRED}
    row = next(row for row in data["problems"] if row["number"] == "DH-LOW")
    assert row["url"] == f"/permits/{below.pk}/"
    counts = {row["code"]: row["count"] for row in data["problem_counts"]}
    assert counts[ProblemCode.APPROVER_BELOW_LEVEL] == 1
    assert counts[ProblemCode.CERTIFICATE_EXPIRED] == 1

    page = _page(cast["users"]["bureau_staff"])
    assert f'href="/permits/{below.pk}/"' in page
    assert 'data-flag="approver_below_level">审批人级别低于要求<' in page


def test_filings_during_special_periods(cast, frozen):
    period = SpecialPeriod.objects.create(**_period_fields())
    inside = cast["inside"]
    make_permit(inside, state=PermitState.SIGNING, now=NOW, number="FILED", special_period=period,
                filing_due_by=NOW + timedelta(hours=2), filed_at=NOW - timedelta(hours=1))
    make_permit(inside, state=PermitState.BRIEFED, now=NOW, number="WAITING", special_period=period,
                filing_due_by=NOW + timedelta(hours=2))
    make_permit(inside, state=PermitState.APPROVED, now=NOW, number="OVERDUE", special_period=period,
                filing_due_by=NOW - timedelta(minutes=1))
    make_permit(inside, state=PermitState.COMPLETED, now=NOW, number="DONE", special_period=period,
                filing_due_by=NOW - timedelta(days=1))

    data = _board(cast["users"]["bureau_staff"])

    assert data["figures"]["filings"] == 3
    assert data["figures"]["filings_waiting"] == 2
    assert data["figures"]["filings_late"] == 1
    assert [row["number"] for row in data["filings"]] == ["OVERDUE", "WAITING", "FILED"]
    assert [row["late"] for row in data["filings"]] == [True, False, False]
    assert data["filings"][0]["special_period"] == period.name


def _period_fields() -> dict:
    from shouye.workcalendar.choices import SpecialPeriodKind

    from .boardkit import creator

    return {"name": "春节特殊时段", "kind": SpecialPeriodKind.HOLIDAY, "starts_on": NOW.date(),
            "ends_on": NOW.date() + timedelta(days=7), "created_by": creator()}


def test_a_township_officer_sees_only_its_township(cast, frozen):
    make_permit(cast["inside"], now=NOW, number="MASHAN-1", last_gas_test_at=NOW - timedelta(hours=3))
    make_permit(cast["outside"], now=NOW, number="XIAOLI-1", last_gas_test_at=NOW - timedelta(hours=3))
    make_permit(cast["outside"], kind=PermitKind.HOT_WORK, grade="special", now=NOW, number="XIAOLI-DH")

    data = _board(cast["users"]["township_officer"])
    assert data["figures"]["in_progress"] == 1
    assert data["figures"]["special_hot_work"] == 0
    assert [row["number"] for row in data["problems"]] == ["MASHAN-1"]
    page = _page(cast["users"]["township_officer"])
    assert "MASHAN-1" in page and "XIAOLI" not in page

    assert _board(cast["users"]["bureau_staff"])["figures"]["in_progress"] == 3


def test_who_may_see_the_board(cast, client):
    assert api_as(cast["users"]["enterprise_user"]).get(BOARD_URL).status_code == 403
    assert api_as(cast["users"]["expert"]).get(BOARD_URL).status_code == 403
    assert client.get(BOARD_URL).status_code in (401, 403)
    client.force_login(cast["users"]["enterprise_user"])
    assert client.get(reverse("permits:board")).status_code == 403


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("permits:board"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_refreshes_itself_and_htmx_gets_the_content_only(cast, frozen, client):
    make_permit(cast["inside"], kind=PermitKind.HOT_WORK, grade="special", now=NOW, number="DH-PAGE")
    client.force_login(cast["users"]["township_officer"])
    page = client.get(reverse("permits:board")).content.decode()
    assert 'hx-trigger="every 60s"' in page
    assert "DH-PAGE" in page
    fragment = client.get(reverse("permits:board"), HTTP_HX_REQUEST="true").content.decode()
    assert "DH-PAGE" in fragment and "<html" not in fragment


def _district(n: int) -> None:
    for index in range(n):
        enterprise = EnterpriseFactory()
        make_permit(enterprise, kind=PermitKind.HOT_WORK, grade="special", now=NOW,
                    last_gas_test_at=NOW - timedelta(days=2), problems=[ProblemCode.APPROVER_BELOW_LEVEL],
                    problem_count=1)
        make_permit(enterprise, now=NOW, special_period=None, filing_due_by=NOW + timedelta(hours=index))


def test_queries_do_not_grow_with_the_permits(cast, frozen, django_assert_max_num_queries):
    user = cast["users"]["bureau_staff"]
    client = api_as(user)
    _district(2)
    with django_assert_max_num_queries(12) as few:
        client.get(BOARD_URL)
    _district(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        data = client.get(BOARD_URL).json()
    assert data["figures"]["special_hot_work"] == 14


def test_the_page_costs_the_same_queries_whatever_the_permits(cast, frozen, django_assert_max_num_queries):
    page = Client()
    page.force_login(cast["users"]["township_officer"])
    _district(2)
    page.get(reverse("permits:board"))
    with django_assert_max_num_queries(20) as few:
        page.get(reverse("permits:board"))
    _district(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert page.get(reverse("permits:board")).status_code == 200

