"""The hazard pages as a user meets them (issue 3, "Hazards" and "The ledger and statistics"): the ledger
with its filters, counts and sort; a hazard's page offering only the actions its user may take now; each
action posted through the page changing the state and writing one audit event; a refused action (409, 400,
403) changing nothing; reporting; the statistics panels on the home page and the enterprise ledger page."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from shouye.audit.models import AuditEvent
from shouye.enterprises.models import Industry
from shouye.hazards import actions
from shouye.hazards.choices import HazardLevel, HazardSource, HazardState, PhotoKind
from shouye.hazards.models import ExtensionState, GovernancePlan, Hazard, ListedSupervision
from tests.factories import EnterpriseFactory

from .conftest import COMPLETE_PLAN, complete_plan, listed, make_hazard, pending_extension, photo, snapshot

pytestmark = pytest.mark.django_db

S = HazardState


@pytest.fixture(autouse=True)
def _mid_year():
    """A clock in the middle of a year, so "found this year" does not depend on the day the tests run."""
    with time_machine.travel(datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def zh(label) -> str:
    """A label as the Chinese page shows it (the tests run in zh-hans)."""
    with override("zh-hans"):
        return str(label)


def signed_in(client, user):
    client.force_login(user)
    return client


def actions_offered(response) -> set[str]:
    """The actions the page offers: one <section data-action> with its form each."""
    return set(re.findall(r'data-action="([a-z-]+)"', response.content.decode()))


def events(verb: str) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


@pytest.fixture
def ledger(cast, mashan, xiaoli):
    """Hazards the bureau sees, of two townships, both levels, several states and sources."""
    today = timezone.localdate()
    inside, building, outside = cast["inside"], cast["building"], cast["outside"]
    return {
        "major_reported": make_hazard(inside, level=HazardLevel.MAJOR, description="储罐区未设置紧急切断装置"),
        "ordinary_overdue": make_hazard(inside, state=S.RECTIFYING, deadline=today - timedelta(days=3),
                                        description="消防通道堵塞", source=HazardSource.SELF_INSPECTION),
        "ordinary_closed": make_hazard(building, state=S.CLOSED, description="脚手架未设置安全网",
                                       found_at=timezone.now() - timedelta(days=40)),
        "old": make_hazard(outside, description="配电箱未上锁", found_at=timezone.now() - timedelta(days=400)),
    }


def texts(response) -> str:
    return response.content.decode()


def chart_data(page: str, element_id: str):
    """The JSON a chart draws (json_script)."""
    return json.loads(page.split(f'id="{element_id}" type="application/json">')[1].split("</script>")[0])


# --- the ledger ---------------------------------------------------------------------------------------------


def test_the_ledger_lists_the_scope_with_counts(client, cast, ledger):
    response = signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/")
    assert response.status_code == 200
    page = texts(response)
    for hazard in ledger.values():
        assert hazard.description in page
    assert 'data-testid="result-count">4<' in page
    counts = page.split('data-testid="ledger-counts"')[1].split("</div>")[0]
    assert re.search(r"逾期 <strong>1</strong>", counts)


def test_a_ledger_row_reads_as_the_bureau_writes_it(client, cast):
    found = datetime(2026, 6, 10, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # 15:30 UTC: still 10 June here
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING, level=HazardLevel.MAJOR, found_at=found,
                         deadline=datetime(2026, 6, 12).date(), source=HazardSource.SELF_INSPECTION,
                         description="液氨储罐区可燃气体报警器失效")
    page = texts(signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/"))
    table = page.split('data-testid="hazard-table"')[1]
    cards = page.split('data-testid="hazard-cards"')[1].split('data-testid="hazard-table"')[0]
    row = table.split("<tr>")[2].split("</tr>")[0]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("</td>")[:-1]]
    assert cells == ["2026-06-10", cast["inside"].name, cast["inside"].township.name, hazard.description,
                     "重大事故隐患", "企业自查", "整改中", "2026-06-12 逾期"]
    assert f'href="/hazards/{hazard.pk}/"' in row and "text-bg-danger" in row
    assert f'href="/hazards/{hazard.pk}/"' in cards and "2026-06-10" in cards and "整改期限 2026-06-12" in cards


def test_the_township_officer_sees_only_its_township(client, cast, ledger):
    page = texts(signed_in(client, cast["users"]["township_officer"]).get("/hazards/"))
    assert ledger["major_reported"].description in page and ledger["ordinary_overdue"].description in page
    assert ledger["ordinary_closed"].description not in page and ledger["old"].description not in page


@pytest.mark.parametrize(("query", "expected"), [
    ("level=major", {"major_reported"}),
    ("state=closed", {"ordinary_closed"}),
    ("overdue=true", {"ordinary_overdue"}),
    ("source=self_inspection", {"ordinary_overdue"}),
    ("township=370113008", {"ordinary_closed", "old"}),
    ("industry=construction", {"ordinary_closed"}),
    ("found_from={week_ago}", {"major_reported", "ordinary_overdue"}),
    ("found_to={month_ago}", {"ordinary_closed", "old"}),
    ("found_from={year_ago}&found_to={month_ago}", {"ordinary_closed"}),
])
def test_each_filter_narrows_the_ledger(client, cast, ledger, query, expected):
    today = timezone.localdate()
    query = query.format(week_ago=today - timedelta(days=7), month_ago=today - timedelta(days=30),
                         year_ago=today - timedelta(days=365))
    page = texts(signed_in(client, cast["users"]["bureau_staff"]).get(f"/hazards/?{query}"))
    shown = {key for key, hazard in ledger.items() if hazard.description in page}
    assert shown == expected
    assert f'data-testid="result-count">{len(expected)}<' in page


def test_the_enterprise_filter_names_the_enterprise(client, cast, ledger):
    page = texts(signed_in(client, cast["users"]["bureau_staff"]).get(f"/hazards/?enterprise={cast['building'].pk}"))
    assert ledger["ordinary_closed"].description in page
    assert ledger["major_reported"].description not in page
    assert cast["building"].name in page


def test_an_invalid_filter_is_shown_and_lists_nothing(client, cast, ledger):
    response = signed_in(client, cast["users"]["bureau_staff"]).get("/hazards/?level=huge&found_from=yesterday")
    assert response.status_code == 400  # one answer for an invalid filter on every page (issue 8)
    page = texts(response)
    assert 'data-testid="filter-errors"' in page
    assert not any(hazard.description in page for hazard in ledger.values())


def test_the_ledger_sorts_by_deadline(client, cast, mashan):
    today = timezone.localdate()
    late = make_hazard(cast["inside"], state=S.RECTIFYING, deadline=today + timedelta(days=30), description="迟")
    soon = make_hazard(cast["inside"], state=S.RECTIFYING, deadline=today + timedelta(days=2), description="早")
    client = signed_in(client, cast["users"]["bureau_staff"])
    ascending = texts(client.get("/hazards/?sort=deadline"))
    descending = texts(client.get("/hazards/?sort=-deadline"))
    assert ascending.index(f"/hazards/{soon.pk}/") < ascending.index(f"/hazards/{late.pk}/")
    assert descending.index(f"/hazards/{late.pk}/") < descending.index(f"/hazards/{soon.pk}/")


def test_the_ledger_paginates_keeping_the_filters(client, cast):
    for number in range(23):
        make_hazard(cast["inside"], description=f"隐患第{number:02d}号")
    client = signed_in(client, cast["users"]["bureau_staff"])
    first, second = texts(client.get("/hazards/?level=ordinary")), texts(client.get("/hazards/?level=ordinary&page=2"))
    assert len(set(re.findall(r'href="/hazards/(\d+)/"', first))) == 20
    assert len(set(re.findall(r'href="/hazards/(\d+)/"', second))) == 3
    assert "?level=ordinary&page=2" in first


def test_the_ledger_needs_the_view_permission(client, cast):
    assert signed_in(client, cast["users"]["nobody"]).get("/hazards/").status_code == 403
    assert client.logout() is None
    assert client.get("/hazards/").status_code == 302


def test_the_navigation_links_the_ledger_for_those_who_may_read_it(client, cast):
    assert 'href="/hazards/"' in texts(signed_in(client, cast["users"]["enterprise_user"]).get("/"))
    assert 'href="/hazards/"' not in texts(signed_in(client, cast["users"]["nobody"]).get("/"))


# --- one hazard: the actions offered ----------------------------------------------------------------------


@pytest.mark.parametrize(("state", "level", "role", "expected"), [
    (S.REPORTED, HazardLevel.ORDINARY, "township_officer", {"assign", "close-on-spot"}),
    (S.REPORTED, HazardLevel.ORDINARY, "enterprise_user", set()),
    (S.REPORTED, HazardLevel.ORDINARY, "leader", set()),
    (S.REPORTED, HazardLevel.MAJOR, "bureau_staff", {"assign", "governance-plan", "listed-supervision"}),
    (S.REPORTED, HazardLevel.MAJOR, "enterprise_user", {"governance-plan"}),
    (S.RECTIFYING, HazardLevel.ORDINARY, "enterprise_user", {"submit", "request-extension"}),
    (S.RECTIFYING, HazardLevel.ORDINARY, "expert", set()),
    (S.SUBMITTED, HazardLevel.ORDINARY, "township_officer", {"verify", "reject"}),
    (S.SUBMITTED, HazardLevel.ORDINARY, "enterprise_user", set()),
    (S.SUBMITTED, HazardLevel.MAJOR, "expert", {"expert-verify"}),
    (S.SUBMITTED, HazardLevel.MAJOR, "bureau_staff", {"verify", "reject"}),
    (S.CLOSED, HazardLevel.ORDINARY, "bureau_admin", set()),
])
def test_the_page_offers_only_the_actions_the_user_may_take_now(client, cast, state, level, role, expected):
    hazard = make_hazard(cast["inside"], state=state, level=level)
    response = signed_in(client, cast["users"][role]).get(f"/hazards/{hazard.pk}/")
    assert response.status_code == 200
    assert actions_offered(response) == expected
    if not expected:
        assert 'data-testid="no-actions"' in texts(response)


def test_the_page_shows_the_hazard_its_photos_plan_and_timeline(client, cast, root):
    from shouye.audit import verbs
    from shouye.hazards import services

    hazard = services.report_hazard(actor=cast["users"]["township_officer"], enterprise=cast["inside"],
                                    description="液氨储罐区未设置紧急切断", source=HazardSource.INSPECTION,
                                    level=HazardLevel.MAJOR, location="二号罐区", legal_basis="安监总管三〔2017〕121号 第5条",
                                    photos=[photo("罐区.jpg")])
    complete_plan(hazard, root)
    listed(hazard, root)
    page = texts(signed_in(client, cast["users"]["bureau_staff"]).get(f"/hazards/{hazard.pk}/"))
    assert "液氨储罐区未设置紧急切断" in page and "二号罐区" in page and "安监总管三〔2017〕121号 第5条" in page
    assert 'data-kind="before"' in page and hazard.photos.get().thumbnail.url in page
    for text in COMPLETE_PLAN.values():
        assert text in page
    assert "刘局长" in page
    assert 'id="timeline"' in page and zh(verbs.LABELS["hazard.report"]) in page


def test_an_outside_hazard_is_not_found_on_the_page_or_by_an_action(client, cast):
    hazard = make_hazard(cast["outside"])
    client = signed_in(client, cast["users"]["township_officer"])
    before = snapshot(hazard)
    assert client.get(f"/hazards/{hazard.pk}/").status_code == 404
    assert client.post(f"/hazards/{hazard.pk}/close-on-spot/", {"close-on-spot-note": "x"}).status_code == 404
    assert snapshot(hazard) == before


# --- one hazard: acting through the page ---------------------------------------------------------------------


def test_ordering_rectification_through_the_page(client, cast):
    hazard = make_hazard(cast["inside"])
    deadline = timezone.localdate() + timedelta(days=20)
    response = signed_in(client, cast["users"]["township_officer"]).post(f"/hazards/{hazard.pk}/assign/", {
        "assign-deadline": deadline.isoformat(), "assign-responsible_person": "王五",
        "assign-measures": "清理通道并设置警示标识", "assign-funds": "1500.00"})
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    hazard.refresh_from_db()
    assert (hazard.state, hazard.deadline, hazard.responsible_person, str(hazard.funds)) == \
        (S.RECTIFYING, deadline, "王五", "1500.00")
    assert events("hazard.assign") == 1
    page = texts(client.get(f"/hazards/{hazard.pk}/"))
    assert zh(actions.HAZARD.actions["assign"].success) in page
    assert actions_offered(client.get(f"/hazards/{hazard.pk}/")) == {"submit", "request-extension"}


def test_submitting_with_a_photo_from_the_camera(client, cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    client = signed_in(client, cast["users"]["enterprise_user"])
    form = texts(client.get(f"/hazards/{hazard.pk}/")).split('data-action="submit"')[1].split("</form>")[0]
    assert 'enctype="multipart/form-data"' in form
    assert re.search(r'<input type="file" name="submit-photos"[^>]*accept="image/\*"[^>]*capture="environment"'
                     r'[^>]*multiple', form)
    response = client.post(f"/hazards/{hazard.pk}/submit/", {
        "submit-note": "已清理通道", "submit-photos": [photo("after1.jpg"), photo("after2.png", fmt="PNG")]})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == S.SUBMITTED and hazard.rectification_note == "已清理通道"
    assert hazard.photos.filter(kind=PhotoKind.AFTER).count() == 2
    assert events("hazard.submit") == 1
    page = texts(client.get(f"/hazards/{hazard.pk}/"))
    assert page.count('data-kind="after"') == 2


def test_verifying_and_rejecting_through_the_page(client, cast):
    client = signed_in(client, cast["users"]["township_officer"])
    passed, failed = make_hazard(cast["inside"], state=S.SUBMITTED), make_hazard(cast["inside"], state=S.SUBMITTED)
    assert client.post(f"/hazards/{passed.pk}/verify/", {"verify-note": "复查合格"}).status_code == 302
    assert client.post(f"/hazards/{failed.pk}/reject/", {"reject-reason": "照片不清晰"}).status_code == 302
    passed.refresh_from_db()
    failed.refresh_from_db()
    assert (passed.state, failed.state) == (S.CLOSED, S.RECTIFYING)
    assert failed.reinspection_result == "照片不清晰"
    assert events("hazard.verify") == 1 and events("hazard.reject") == 1


def test_closing_on_the_spot_through_the_page(client, cast):
    hazard = make_hazard(cast["inside"])
    response = signed_in(client, cast["users"]["township_officer"]).post(
        f"/hazards/{hazard.pk}/close-on-spot/", {"close-on-spot-note": "当场整改", "close-on-spot-photos": photo()})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == S.CLOSED and hazard.photos.filter(kind=PhotoKind.AFTER).count() == 1
    assert events("hazard.close-on-spot") == 1


def test_a_major_hazard_through_the_page_plan_listing_then_rectification(client, cast):
    hazard = make_hazard(cast["inside"], level=HazardLevel.MAJOR)
    officer = signed_in(client, cast["users"]["bureau_staff"])
    parts = {f"governance-plan-{part}": text for part, text in COMPLETE_PLAN.items()}
    incomplete = {**parts, "governance-plan-safety_measures": ""}
    assert officer.post(f"/hazards/{hazard.pk}/governance-plan/", incomplete).status_code == 302
    deadline = (timezone.localdate() + timedelta(days=60)).isoformat()
    assign = {"assign-deadline": deadline, "assign-responsible_person": "王五", "assign-measures": "加装紧急切断阀"}
    refused = officer.post(f"/hazards/{hazard.pk}/assign/", assign)
    assert refused.status_code == 400
    page = texts(refused)
    assert zh(GovernancePlan._meta.get_field("safety_measures").verbose_name) in page
    assert zh(gettext_lazy("A major hazard must be put under listed supervision first.")) in page
    assert Hazard.objects.get(pk=hazard.pk).state == S.REPORTED
    assert officer.post(f"/hazards/{hazard.pk}/governance-plan/", parts).status_code == 302
    assert officer.post(f"/hazards/{hazard.pk}/listed-supervision/", {
        "listed-supervision-supervising_leader": "刘局长",
        "listed-supervision-document_number": "长应急督〔2026〕3号"}).status_code == 302
    assert officer.post(f"/hazards/{hazard.pk}/assign/", assign).status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == S.RECTIFYING
    assert GovernancePlan.objects.get(hazard=hazard).missing_parts() == []
    assert ListedSupervision.objects.get(hazard=hazard).document_number == "长应急督〔2026〕3号"
    assert (events("hazard.governance-plan"), events("hazard.listed-supervision"), events("hazard.assign")) \
        == (2, 1, 1)


def test_the_expert_verifies_then_the_officer_closes_a_major_hazard(client, cast, root):
    hazard = make_hazard(cast["inside"], state=S.SUBMITTED, level=HazardLevel.MAJOR)
    complete_plan(hazard, root)
    listed(hazard, root)
    expert = signed_in(client, cast["users"]["expert"])
    assert expert.post(f"/hazards/{hazard.pk}/expert-verify/", {
        "expert-verify-passed": "1", "expert-verify-opinion": "整改到位"}).status_code == 302
    assert hazard.expert_verifications.get().passed is True
    officer = signed_in(client, cast["users"]["township_officer"])
    assert officer.post(f"/hazards/{hazard.pk}/verify/", {"verify-note": "同意销号"}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).state == S.CLOSED
    assert events("hazard.expert-verify") == 1 and events("hazard.verify") == 1


def test_asking_for_and_deciding_an_extension_through_the_page(client, cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    old_deadline = hazard.deadline
    new_deadline = old_deadline + timedelta(days=30)
    owner = signed_in(client, cast["users"]["enterprise_user"])
    assert owner.post(f"/hazards/{hazard.pk}/request-extension/", {
        "request-extension-requested_deadline": new_deadline.isoformat(),
        "request-extension-reason": "设备到货延迟"}).status_code == 302
    extension = hazard.extensions.get()
    officer = signed_in(client, cast["users"]["township_officer"])
    page = officer.get(f"/hazards/{hazard.pk}/")
    assert "approve-extension" in actions_offered(page) and "设备到货延迟" in texts(page)
    assert officer.post(f"/hazards/{hazard.pk}/approve-extension/", {
        "approve-extension-extension": extension.pk, "approve-extension-approved": "1"}).status_code == 302
    hazard.refresh_from_db()
    extension.refresh_from_db()
    assert (hazard.deadline, hazard.extension_count, extension.state) == (new_deadline, 1, ExtensionState.APPROVED)
    assert events("hazard.request-extension") == 1 and events("hazard.approve-extension") == 1


def test_refusing_an_extension_needs_a_reason(client, cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    extension = pending_extension(hazard, cast["users"]["enterprise_user"])
    before = snapshot(hazard)
    officer = signed_in(client, cast["users"]["township_officer"])
    response = officer.post(f"/hazards/{hazard.pk}/approve-extension/", {
        "approve-extension-extension": extension.pk, "approve-extension-approved": "0"})
    assert response.status_code == 400
    assert 'class="invalid-feedback d-block"' in texts(response).split('data-action="approve-extension"')[1]
    assert snapshot(hazard) == before


# --- refusals change nothing ---------------------------------------------------------------------------------


def test_a_refused_transition_is_explained_and_changes_nothing(client, cast):
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    response = signed_in(client, cast["users"]["township_officer"]).post(
        f"/hazards/{hazard.pk}/verify/", {"verify-note": "复查合格"})
    assert response.status_code == 409
    refusal = texts(response).split('data-testid="refusal"')[1].split("</div>")[0]
    assert zh(S.REPORTED.label) in refusal and zh(actions.HAZARD.actions["assign"].title) in refusal
    assert zh(actions.HAZARD.actions["close-on-spot"].title) in refusal
    assert snapshot(hazard) == before
    assert actions_offered(response) == {"assign", "close-on-spot"}


def test_a_refused_input_is_shown_on_the_form_and_changes_nothing(client, cast):
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = signed_in(client, cast["users"]["township_officer"]).post(f"/hazards/{hazard.pk}/assign/", {
        "assign-deadline": yesterday, "assign-responsible_person": "王五", "assign-measures": "整改"})
    assert response.status_code == 400
    form = texts(response).split('data-action="assign"')[1].split("</form>")[0]
    assert "invalid-feedback" in form and yesterday in form
    assert snapshot(hazard) == before


def test_submitting_without_a_photo_is_refused(client, cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    before = snapshot(hazard)
    response = signed_in(client, cast["users"]["enterprise_user"]).post(
        f"/hazards/{hazard.pk}/submit/", {"submit-note": "已整改"})
    assert response.status_code == 400
    assert snapshot(hazard) == before


def test_a_photo_that_is_not_a_photo_is_refused_by_name(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    hazard = make_hazard(cast["inside"], state=S.RECTIFYING)
    before = snapshot(hazard)
    fake = SimpleUploadedFile("整改后.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = signed_in(client, cast["users"]["enterprise_user"]).post(
        f"/hazards/{hazard.pk}/submit/", {"submit-note": "已整改", "submit-photos": fake})
    assert response.status_code == 400 and "整改后.jpg" in texts(response)
    assert snapshot(hazard) == before


def test_an_action_the_role_may_not_take_is_forbidden_and_changes_nothing(client, cast):
    hazard = make_hazard(cast["inside"])
    before = snapshot(hazard)
    response = signed_in(client, cast["users"]["enterprise_user"]).post(f"/hazards/{hazard.pk}/assign/", {
        "assign-deadline": "2099-01-01", "assign-responsible_person": "王五", "assign-measures": "整改"})
    assert response.status_code == 403
    assert snapshot(hazard) == before


# --- reporting -------------------------------------------------------------------------------------------------


def test_an_officer_reports_a_hazard_with_photos(client, cast):
    client = signed_in(client, cast["users"]["township_officer"])
    form = texts(client.get(f"/hazards/report/?enterprise={cast['inside'].pk}"))
    assert cast["inside"].name in form and cast["outside"].name not in form
    response = client.post("/hazards/report/", {
        "enterprise": cast["inside"].pk, "description": "配电室门口堆放杂物", "level": "ordinary",
        "category": "things", "source": "inspection", "location": "配电室", "legal_basis": "GB 50054",
        "photos": [photo("现场.jpg")]})
    hazard = Hazard.objects.get(description="配电室门口堆放杂物")
    assert response.status_code == 302 and response["Location"] == f"/hazards/{hazard.pk}/"
    assert (hazard.township_id, hazard.found_by) == (cast["inside"].township_id, cast["users"]["township_officer"])
    assert hazard.photos.filter(kind=PhotoKind.BEFORE).count() == 1
    assert events("hazard.report") == 1


def test_an_enterprise_user_reports_only_its_self_inspection(client, cast):
    client = signed_in(client, cast["users"]["enterprise_user"])
    form = texts(client.get("/hazards/report/"))
    sources = re.findall(r'<option value="([a-z_]+)"', form.split('name="source"')[1].split("</select>")[0])
    assert sources == ["self_inspection"]
    refused = client.post("/hazards/report/", {"enterprise": cast["inside"].pk, "description": "x", "level": "ordinary",
                                                "category": "things", "source": "inspection"})
    assert refused.status_code == 400 and not Hazard.objects.exists()


def test_an_enterprise_out_of_scope_cannot_be_chosen(client, cast):
    response = signed_in(client, cast["users"]["township_officer"]).post("/hazards/report/", {
        "enterprise": cast["outside"].pk, "description": "越权上报", "level": "ordinary", "category": "things",
        "source": "inspection"})
    assert response.status_code == 400 and not Hazard.objects.exists()


def test_a_large_scope_types_the_credit_code(client, cast, settings, monkeypatch):
    from shouye.hazards import forms

    monkeypatch.setattr(forms, "ENTERPRISE_SELECT_MAX", 1)
    client = signed_in(client, cast["users"]["bureau_staff"])
    form = texts(client.get("/hazards/report/"))
    assert '<input type="text" name="enterprise"' in form
    response = client.post("/hazards/report/", {
        "enterprise": cast["building"].credit_code, "description": "基坑临边无防护", "level": "ordinary",
        "category": "things", "source": "inspection"})
    assert response.status_code == 302
    assert Hazard.objects.get().enterprise == cast["building"]


def test_reporting_needs_the_permission(client, cast):
    assert signed_in(client, cast["users"]["leader"]).get("/hazards/report/").status_code == 403


# --- statistics panels ---------------------------------------------------------------------------------------


def test_the_home_page_shows_the_hazard_statistics(client, cast, ledger):
    page = texts(signed_in(client, cast["users"]["bureau_staff"]).get("/"))
    panel = page.split('data-testid="hazard-stats"')[1].split("</section>")[0]
    assert re.search(r'data-kpi="found">3<', panel)  # found this year (the 400-day-old one is not)
    assert re.search(r'data-kpi="closed">1<', panel)
    assert re.search(r'data-kpi="overdue-now">1<', panel)
    assert 'data-chart="stacked"' in panel and 'data-chart="pie"' in panel
    assert "马山镇" in chart_data(page, "hazards-by-township")["categories"]


def test_the_home_statistics_follow_the_scope(client, cast, ledger):
    page = texts(signed_in(client, cast["users"]["township_officer"]).get("/"))
    assert chart_data(page, "hazards-by-township")["categories"] == ["马山镇"]


def test_the_home_statistics_of_another_year(client, cast, ledger):
    year = timezone.localdate().year - 1
    page = texts(signed_in(client, cast["users"]["bureau_staff"]).get(f"/?hazard_year={year}"))
    assert f'<option value="{year}" selected>' in page


def test_no_statistics_for_a_user_who_may_not_read_hazards(client, cast, ledger):
    assert 'data-testid="hazard-stats"' not in texts(signed_in(client, cast["users"]["nobody"]).get("/"))


def test_the_enterprise_ledger_page_shows_its_hazards_and_statistics(client, cast, ledger):
    other = EnterpriseFactory(name="马山另一家公司", township=cast["inside"].township,
                              industry=Industry.objects.get(code="hazardous_chemicals"))
    make_hazard(other, description="别家的隐患")
    page = texts(signed_in(client, cast["users"]["township_officer"]).get(f"/enterprises/{cast['inside'].pk}/"))
    panel = page.split('data-testid="hazards-panel"')[1]
    assert ledger["major_reported"].description in panel and ledger["ordinary_overdue"].description in panel
    assert "别家的隐患" not in panel
    assert re.search(r'data-kpi="found">2<', panel) and re.search(r'data-kpi="overdue-now">1<', panel)
    assert f"/hazards/report/?enterprise={cast['inside'].pk}" in panel


# --- queries -----------------------------------------------------------------------------------------------------


def test_the_ledger_and_a_hazards_page_cost_the_same_queries_whatever_their_size(client, cast, root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client = signed_in(client, cast["users"]["township_officer"])
    small = make_hazard(cast["inside"], state=S.RECTIFYING, level=HazardLevel.MAJOR)
    count("/hazards/")  # warms the per-process caches (content types, the catalogue)
    ledger_small, detail_small = count("/hazards/"), count(f"/hazards/{small.pk}/")
    for _ in range(15):
        make_hazard(cast["inside"], state=S.RECTIFYING)
    big = make_hazard(cast["inside"], state=S.RECTIFYING, level=HazardLevel.MAJOR)
    from shouye.hazards.models import HazardPhoto

    for kind in (PhotoKind.BEFORE, PhotoKind.AFTER, PhotoKind.AFTER):
        HazardPhoto.objects.create(hazard=big, kind=kind, uploaded_by=root, image="hazards/a.jpg",
                                   thumbnail="hazards/a-thumb.jpg")
    complete_plan(big, root)
    listed(big, root)
    pending_extension(big, root)
    big.expert_verifications.create(expert=root, passed=False, opinion="未到位")
    big.expert_verifications.create(expert=root, passed=True, opinion="到位")
    assert count("/hazards/") == ledger_small
    assert count(f"/hazards/{big.pk}/") <= detail_small + 2  # the extension decision form, the plan and listing


@pytest.mark.parametrize("value", ["1999", "abc", "99999999999999999999"])
def test_a_year_the_panels_do_not_offer_is_an_error_not_this_years_figures(client, cast, ledger, value):
    """ARCHITECTURE.md §10: an invalid period is said, never replaced by another one (issue 8)."""
    user = signed_in(client, cast["users"]["township_officer"])
    home = texts(user.get(f"/?hazard_year={value}"))
    panel = home.split('data-testid="hazard-stats"')[1]
    assert 'data-testid="filter-errors"' in panel and 'data-kpi="found"' not in panel
    ledger_page = texts(user.get(f"/enterprises/{cast['inside'].pk}/?hazard_year={value}"))
    panel = ledger_page.split('data-testid="hazards-panel"')[1]
    assert 'data-testid="filter-errors"' in panel and 'data-kpi="found"' not in panel
