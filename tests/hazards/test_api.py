"""The hazards API as its users meet it (issue 3): the ledger with every filter, pagination and a constant
number of queries; the detail with photos, governance plan, listed supervision, expert verifications,
extensions and the caller's allowed actions; a major hazard from report to close-out, with its
notifications."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shouye.audit.models import AuditEvent
from shouye.hazards.choices import HazardLevel, HazardSource, HazardState
from shouye.hazards.models import Hazard
from shouye.notifications.models import Notification
from tests.conftest import api_as
from tests.factories import EnterpriseFactory

from .conftest import COMPLETE_PLAN, make_hazard, pending_extension, photo

pytestmark = pytest.mark.django_db

URL = "/api/v1/hazards/"
S = HazardState


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def ledger(cast):
    today = timezone.localdate()
    now = timezone.now()
    return {
        "inside_major": make_hazard(cast["inside"], level=HazardLevel.MAJOR, found_at=now - timedelta(days=40)),
        "inside_overdue": make_hazard(cast["inside"], state=S.RECTIFYING, deadline=today - timedelta(days=1),
                                      found_at=now - timedelta(days=20)),
        "inside_self": make_hazard(cast["inside"], source=HazardSource.SELF_INSPECTION,
                                   found_at=now - timedelta(days=5)),
        "building_closed": make_hazard(cast["building"], state=S.CLOSED, deadline=today - timedelta(days=3),
                                       found_at=now - timedelta(days=10)),
        "outside_submitted": make_hazard(cast["outside"], state=S.SUBMITTED, deadline=today - timedelta(days=2),
                                         found_at=now - timedelta(days=2)),
    }


def test_each_role_sees_its_scope_in_the_ledger(cast, ledger):
    every = {h.pk for h in ledger.values()}
    inside = {ledger[k].pk for k in ("inside_major", "inside_overdue", "inside_self")}
    for role, expected in [("bureau_staff", every), ("leader", every), ("township_officer", inside),
                           ("enterprise_user", inside), ("expert", inside),
                           ("department_officer", {ledger["building_closed"].pk})]:
        assert ids(api_as(cast["users"][role]).get(URL)) == expected, role


@pytest.mark.parametrize(("params", "expected"), [
    ({"township": "370113107"}, {"inside_major", "inside_overdue", "inside_self"}),
    ({"township": "370113008"}, {"building_closed", "outside_submitted"}),
    ({"industry": "construction"}, {"building_closed"}),
    ({"level": "major"}, {"inside_major"}),
    ({"state": "submitted"}, {"outside_submitted"}),
    ({"source": "self_inspection"}, {"inside_self"}),
    ({"overdue": "true"}, {"inside_overdue"}),
    ({"overdue": "false"}, {"inside_major", "inside_self", "building_closed", "outside_submitted"}),
    ({"township": "370113107", "overdue": "false", "level": "ordinary"}, {"inside_self"}),
])
def test_ledger_filters(cast, ledger, params, expected):
    response = api_as(cast["users"]["bureau_staff"]).get(URL, params)
    assert ids(response) == {ledger[key].pk for key in expected}


def test_filter_by_enterprise_and_found_dates(cast, ledger):
    client = api_as(cast["users"]["bureau_staff"])
    assert ids(client.get(URL, {"enterprise": cast["building"].pk})) == {ledger["building_closed"].pk}
    today = timezone.localdate()
    window = {"found_from": str(today - timedelta(days=10)), "found_to": str(today - timedelta(days=6))}
    assert ids(client.get(URL, window)) == {ledger["building_closed"].pk}
    window = {"found_from": str(today - timedelta(days=5)), "found_to": str(today - timedelta(days=2))}
    assert ids(client.get(URL, window)) == {ledger["inside_self"].pk, ledger["outside_submitted"].pk}


def test_the_enterprise_filter_does_not_reach_outside_the_scope(cast, ledger):
    response = api_as(cast["users"]["township_officer"]).get(URL, {"enterprise": cast["outside"].pk})
    assert ids(response) == set()


def test_unknown_filter_values_are_refused(cast):
    client = api_as(cast["users"]["bureau_staff"])
    assert client.get(URL, {"township": "999999999"}).status_code == 400
    assert client.get(URL, {"state": "lost"}).status_code == 400
    assert client.get(URL, {"found_from": "yesterday"}).status_code == 400


def test_ledger_rows_show_what_the_ledger_needs(cast, ledger):
    rows = api_as(cast["users"]["bureau_staff"]).get(URL, {"enterprise": cast["inside"].pk}).json()["results"]
    overdue = next(r for r in rows if r["id"] == ledger["inside_overdue"].pk)
    assert overdue["overdue"] is True
    assert overdue["enterprise_name"] == cast["inside"].name
    assert overdue["credit_code"] == cast["inside"].credit_code
    assert (overdue["township"], overdue["township_name"]) == ("370113107", "马山镇")
    assert overdue["industry"] == "hazardous_chemicals"
    assert overdue["state"] == "rectifying" and overdue["level"] == "ordinary"


def test_pagination(cast, ledger):
    body = api_as(cast["users"]["bureau_staff"]).get(URL, {"page_size": 2}).json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]


def queries_for(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL, params or {}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer"])
def test_the_ledger_takes_a_constant_number_of_queries(cast, ledger, role):
    client = api_as(cast["users"][role])
    queries_for(client)
    few = queries_for(client, {"page_size": 50})
    for _ in range(15):
        enterprise = EnterpriseFactory(township=cast["inside"].township)
        make_hazard(enterprise, state=S.RECTIFYING)
    many = queries_for(client, {"page_size": 50})
    assert many == few
    assert few <= 6


def test_the_detail_shows_everything_about_a_hazard(cast):
    users = cast["users"]
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING, level=HazardLevel.MAJOR)
    pending_extension(hazard, users["enterprise_user"])
    api_as(users["enterprise_user"]).post(f"{URL}{hazard.pk}/governance-plan/", COMPLETE_PLAN, format="json")
    api_as(users["township_officer"]).post(f"{URL}{hazard.pk}/listed-supervision/",
                                           {"supervising_leader": "刘局长"}, format="json")
    detail = api_as(users["township_officer"]).get(f"{URL}{hazard.pk}/").json()
    assert detail["governance_plan"]["objectives"] == COMPLETE_PLAN["objectives"]
    assert detail["governance_plan"]["missing_parts"] == []
    assert detail["listed_supervision"]["supervising_leader"] == "刘局长"
    assert [e["state"] for e in detail["extensions"]] == ["pending"]
    assert detail["expert_verifications"] == [] and detail["photos"] == []
    assert detail["allowed_actions"] == ["approve-extension", "governance-plan", "listed-supervision", "submit"]


@pytest.mark.parametrize(("role", "state", "level", "expected"), [
    ("township_officer", S.REPORTED, "ordinary", ["assign", "close-on-spot"]),
    ("township_officer", S.REPORTED, "major", ["assign", "governance-plan", "listed-supervision"]),
    ("enterprise_user", S.REPORTED, "ordinary", []),
    ("enterprise_user", S.REPORTED, "major", ["governance-plan"]),
    ("enterprise_user", S.RECTIFYING, "ordinary", ["request-extension", "submit"]),
    ("township_officer", S.SUBMITTED, "ordinary", ["reject", "verify"]),
    ("expert", S.SUBMITTED, "major", ["expert-verify"]),
    ("expert", S.SUBMITTED, "ordinary", []),
    ("leader", S.SUBMITTED, "major", []),
    ("bureau_staff", S.CLOSED, "major", []),
])
def test_allowed_actions_for_the_caller(cast, role, state, level, expected):
    hazard = make_hazard(cast["inside"], state=state, level=level)
    detail = api_as(cast["users"][role]).get(f"{URL}{hazard.pk}/").json()
    assert detail["allowed_actions"] == expected


def test_a_major_hazard_from_report_to_close_out(cast, django_capture_on_commit_callbacks):
    users = cast["users"]
    officer, company, expert = (api_as(users[r]) for r in ("township_officer", "enterprise_user", "expert"))
    deadline = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        reported = officer.post(URL, {"enterprise": cast["inside"].pk, "level": "major", "source": "inspection",
                                      "description": "液化烃储罐未设置注水措施", "legal_basis": "安监总管三〔2017〕121号 第6项",
                                      "photos": [photo("储罐.jpg")]}, format="multipart")
        assert reported.status_code == 201, reported.content
        hazard_id = reported.json()["id"]
        assert reported.json()["township"] == "370113107"
        assert reported.json()["found_by"] == str(users["township_officer"])
        path = f"{URL}{hazard_id}/"
        assert company.put(f"{path}governance-plan/", COMPLETE_PLAN, format="json").status_code == 200
        assert officer.post(f"{path}listed-supervision/", {"supervising_leader": "刘局长",
                                                           "document_number": "长应急督〔2026〕3号"},
                            format="json").status_code == 200
        assigned = officer.post(f"{path}assign/", {"deadline": str(deadline), "responsible_person": "王五",
                                                   "measures": "按GB 50160设置注水措施", "funds": "300000.00"},
                                format="json")
        assert assigned.json()["state"] == S.RECTIFYING and assigned.json()["funds"] == "300000.00"
        submitted = company.post(f"{path}submit/", {"note": "已设置注水设施", "photos": [photo("整改后.png", "PNG")]},
                                 format="multipart")
        assert submitted.json()["state"] == S.SUBMITTED
        assert expert.post(f"{path}expert-verify/", {"passed": True, "opinion": "注水措施符合要求"},
                           format="json").status_code == 200
        closed = officer.post(f"{path}verify/", {"note": "复查合格，准予销号"}, format="json")
    body = closed.json()
    assert body["state"] == S.CLOSED and body["closed_at"] and body["reinspection_result"] == "复查合格，准予销号"
    assert body["reinspected_by"] == str(users["township_officer"])
    assert [p["kind"] for p in body["photos"]] == ["before", "after"]
    assert body["allowed_actions"] == []
    verbs = list(AuditEvent.objects.filter(target_type="hazards.hazard", target_id=str(hazard_id))
                 .order_by("id").values_list("verb", flat=True))
    assert verbs == ["hazard.report", "hazard.governance-plan", "hazard.listed-supervision", "hazard.assign",
                     "hazard.submit", "hazard.expert-verify", "hazard.verify"]
    company_inbox = set(Notification.objects.filter(recipient=users["enterprise_user"]).values_list("verb", flat=True))
    assert {"hazard.listed", "hazard.assigned", "hazard.closed"} <= company_inbox
    officer_inbox = set(Notification.objects.filter(recipient=users["township_officer"])
                        .values_list("verb", flat=True))
    assert {"hazard.major_reported", "hazard.submitted", "hazard.expert_verified"} <= officer_inbox
    assert not Notification.objects.filter(recipient=users["department_officer"]).exists()


def test_a_rejected_rectification_goes_back_with_the_reason(cast, django_capture_on_commit_callbacks):
    users = cast["users"]
    hazard = make_hazard(cast["inside"], state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(users["township_officer"]).post(f"{URL}{hazard.pk}/reject/", {"reason": "接地电阻不合格"},
                                                          format="json")
    assert response.json()["state"] == S.RECTIFYING
    assert response.json()["reinspection_result"] == "接地电阻不合格"
    notice = Notification.objects.get(recipient=users["enterprise_user"])
    assert notice.body == "接地电阻不合格"


def test_close_on_the_spot(cast):
    hazard = make_hazard(cast["inside"])
    response = api_as(cast["users"]["township_officer"]).post(
        f"{URL}{hazard.pk}/close-on-spot/", {"note": "当场清理通道", "photos": [photo()]}, format="multipart")
    assert response.status_code == 200
    assert response.json()["state"] == S.CLOSED
    assert response.json()["deadline"] is None


def test_reporting_as_json_and_a_future_time_found(cast):
    client = api_as(cast["users"]["township_officer"])
    with time_machine.travel(timezone.now(), tick=False):
        future = (timezone.now() + timedelta(hours=2)).isoformat()
        refused = client.post(URL, {"enterprise": cast["inside"].pk, "description": "x", "source": "inspection",
                                    "found_at": future}, format="json")
    assert refused.status_code == 400 and "found_at" in refused.json()
    assert not Hazard.objects.exists()
    ok = client.post(URL, {"enterprise": cast["inside"].pk, "description": "灭火器过期", "source": "inspection",
                           "found_by_name": "张三、李四"}, format="json")
    assert ok.status_code == 201
    assert ok.json()["found_by_name"] == "张三、李四" and ok.json()["photos"] == []


def test_signed_out_callers_get_nothing(cast, ledger):
    client = APIClient()
    assert client.get(URL).status_code in (401, 403)
    assert client.post(f"{URL}{ledger['inside_major'].pk}/assign/", {}, format="json").status_code in (401, 403)


def test_the_export_holds_exactly_the_filtered_rows_of_the_scope(cast, ledger):
    def rows(role, params=None):
        response = api_as(cast["users"][role]).get(f"{URL}export/", params or {})
        assert response.status_code == 200
        assert "spreadsheetml" in response["Content-Type"]
        assert "attachment" in response["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
        return list(sheet.iter_rows(values_only=True))

    header, *data = rows("bureau_staff", {"township": "370113107", "overdue": "true"})
    assert header[:3] == ("序号", "企业名称", "统一社会信用代码") and header[-1] == "是否逾期"
    assert [(r[0], r[1]) for r in data] == [(1, cast["inside"].name)]
    assert AuditEvent.objects.filter(verb="hazard.export").count() == 1
    assert len(rows("bureau_staff")) == 1 + len(ledger)
    names = {r[1] for r in rows("township_officer")[1:]}
    assert names == {cast["inside"].name}


def test_the_export_needs_the_export_permission(cast, ledger):
    for role in ("enterprise_user", "expert"):
        assert api_as(cast["users"][role]).get(f"{URL}export/").status_code == 403
    assert api_as(cast["users"]["nobody"]).get(f"{URL}export/").status_code == 403
