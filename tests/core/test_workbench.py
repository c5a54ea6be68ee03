"""The workbench (我的待办, issue 10): the home page shows each role its own to-dos, read from the providers the
apps register, within its scope; the statistics only to the supervising roles; the navigation bar's to-do total;
each provider in a number of queries that does not grow with the data."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from shouye.core.registry import TodoItem, TodoProvider, todo_providers
from shouye.hazards.choices import ExtensionState, HazardLevel, TipOffState
from shouye.hazards.choices import HazardState as S
from shouye.hazards.models import ExpertVerification, Extension, TipOff
from shouye.inspections import services as inspection_services
from shouye.inspections.models import InspectionPlan
from shouye.notifications.services import notify
from shouye.regions.scoping import scope_for
from tests.conftest import api_as, page_as
from tests.factories import LicenceFactory
from tests.hazards.conftest import make_hazard
from tests.inspections.helpers import finished

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def home(user) -> str:
    response = page_as(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def card(html: str, key: str) -> str:
    """The HTML of one to-do card; fails when the card is not on the page."""
    match = re.search(rf'<section [^>]*data-todo="{key}">(.*?)</section>', html, re.S)
    assert match, f"no {key} card"
    return match.group(1)


def cards(html: str) -> list[str]:
    return re.findall(r'data-todo="([\w-]+)"', html)


def count_of(html: str, key: str) -> int:
    return int(re.search(r'data-testid="todo-count">(\d+)<', card(html, key)).group(1))


def yesterday():
    return timezone.localdate() - timedelta(days=1)


# --- what each role sees ------------------------------------------------------------------------------------


def test_an_enterprise_user_sees_its_deadlines_overdue_first_and_no_bureau_charts(cast):
    inside = cast["inside"]
    later = make_hazard(inside, state=S.RECTIFYING, description="消防通道堵塞",
                        deadline=timezone.localdate() + timedelta(days=10))
    late = make_hazard(inside, state=S.RECTIFYING, description="配电箱未接地", deadline=yesterday())
    make_hazard(cast["outside"], state=S.RECTIFYING, description="别家的整改隐患", deadline=yesterday())
    LicenceFactory(enterprise=inside, number="马山-快到期-01", valid_to=timezone.localdate() + timedelta(days=20))
    LicenceFactory(enterprise=cast["outside"], number="孝里-快到期-02",
                   valid_to=timezone.localdate() + timedelta(days=20))

    html = home(cast["users"]["enterprise_user"])

    assert "我的待办" in html
    assert 'id="by-township"' not in html and "data-chart" not in html and "概览" not in html
    assert "echarts" not in html
    # Registration order, the empty cards (no document, no major hazard, no notification) last; the enterprise, a
    # hazardous-chemicals one, has not filed this month's duty roster (issue 14).
    assert cards(html) == ["hazards-to-rectify", "duty-rosters-not-filed", "licences-expiring",
                           "warnings-enterprise-acknowledge", "documents-received", "risk-instances-due",
                           "risk-instances-missed", "alarms-to-acknowledge", "alarms-to-finish", "hazards-governance",
                           "workareas-certificates",
                           "workareas-over-capacity", "major-hazards-overdue-duties", "major-hazards-assessments",
                           "permits-awaiting-signature", "permits-filings", "plans-overdue", "plans-drills-overdue",
                           "notifications-unread"]
    rectify = card(html, "hazards-to-rectify")
    assert count_of(html, "hazards-to-rectify") == 2
    assert rectify.index("配电箱未接地") < rectify.index("消防通道堵塞")
    assert f'href="/hazards/{late.pk}/"' in rectify and f'href="/hazards/{later.pk}/"' in rectify
    assert f"截止 {yesterday():%Y-%m-%d}" in rectify and rectify.count('data-testid="overdue-mark"') == 1
    assert 'href="/hazards/?state=rectifying"' in rectify
    assert "别家的整改隐患" not in html
    licences = card(html, "licences-expiring")
    assert "马山-快到期-01" in licences and "孝里-快到期-02" not in html


def test_the_enterprise_user_finds_a_rectification_order_it_received(cast):
    staff = cast["users"]["bureau_staff"]
    inspection = finished(staff, cast["inside"], checklist="gas-station")
    document = inspection_services.issue_document(actor=staff, inspection=inspection, kind="rectification_order",
                                       deadline=timezone.localdate() + timedelta(days=15))

    received = card(home(cast["users"]["enterprise_user"]), "documents-received")

    assert document.number in received and f'href="/inspections/documents/{document.pk}/"' in received
    assert f"截止 {document.deadline:%Y-%m-%d}" in received
    response = page_as(cast["users"]["enterprise_user"]).get(f"/inspections/documents/{document.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_township_officer_sees_its_townships_reinspections_and_overdue_hazards_only(cast):
    waiting = make_hazard(cast["inside"], state=S.SUBMITTED, description="马山待复查隐患")
    make_hazard(cast["outside"], state=S.SUBMITTED, description="孝里待复查隐患")
    make_hazard(cast["inside"], state=S.RECTIFYING, description="马山逾期隐患", deadline=yesterday())
    make_hazard(cast["outside"], state=S.RECTIFYING, description="孝里逾期隐患", deadline=yesterday())

    html = home(cast["users"]["township_officer"])

    reinspection = card(html, "hazards-reinspection")
    assert count_of(html, "hazards-reinspection") == 1
    assert "马山待复查隐患" in reinspection and f'href="/hazards/{waiting.pk}/"' in reinspection
    assert "提交" in reinspection
    overdue = card(html, "hazards-overdue")
    assert count_of(html, "hazards-overdue") == 1 and "马山逾期隐患" in overdue
    assert 'href="/hazards/?overdue=true"' in overdue
    assert "孝里" not in reinspection + overdue
    assert "inspection-plans-behind" in cards(html)
    # The officer triages no tip-offs and gives no expert verification.
    assert "tip-offs-new" not in cards(html) and "hazards-expert-verification" not in cards(html)
    # Its statistics stay below its to-dos.
    assert html.index('data-testid="workbench"') < html.index('id="by-township"')


def test_a_department_officer_sees_the_hazards_of_its_industries(cast):
    make_hazard(cast["building"], state=S.SUBMITTED, description="住建待复查隐患")
    make_hazard(cast["inside"], state=S.SUBMITTED, description="危化待复查隐患")

    reinspection = card(home(cast["users"]["department_officer"]), "hazards-reinspection")

    assert "住建待复查隐患" in reinspection and "危化待复查隐患" not in reinspection


def test_bureau_staff_see_the_charts_and_their_own_queue(cast):
    hazard = make_hazard(cast["outside"], state=S.RECTIFYING, description="孝里申请延期隐患")
    Extension.objects.create(hazard=hazard, requested_deadline=timezone.localdate() + timedelta(days=30),
                             reason="设备到货延迟", requested_by=cast["users"]["bureau_staff"])
    major = make_hazard(cast["inside"], state=S.REPORTED, level=HazardLevel.MAJOR, description="储罐区重大隐患")
    TipOff.objects.create(enterprise_name="无证烟花仓库", description="夜间有人搬运烟花", address="孝里街道某村",
                          reporter_name="王举报", reporter_phone="13900000000", township=cast["outside"].township)
    TipOff.objects.create(enterprise_name="已处理的举报", description="已驳回", state=TipOffState.DISMISSED)

    html = home(cast["users"]["bureau_staff"])

    assert 'id="by-township"' in html and "概览" in html
    assert html.index('data-testid="workbench"') < html.index('id="by-township"')
    extensions = card(html, "hazards-extensions")
    assert "孝里申请延期隐患" in extensions and f"申请延期至 {timezone.localdate() + timedelta(days=30):%Y-%m-%d}" in extensions
    tip_offs = card(html, "tip-offs-new")
    assert count_of(html, "tip-offs-new") == 1 and "无证烟花仓库" in tip_offs and "已处理的举报" not in tip_offs
    assert "王举报" not in html and "13900000000" not in html
    assert 'href="/hazards/tip-offs/?state=new"' in tip_offs
    for key in ("hazards-governance", "hazards-listing"):
        assert "储罐区重大隐患" in card(html, key) and f'href="/hazards/{major.pk}/"' in card(html, key)


def test_a_leader_sees_the_charts_and_overdue_hazards_but_acts_on_nothing(cast):
    make_hazard(cast["inside"], state=S.RECTIFYING, description="领导看到的逾期隐患", deadline=yesterday())

    html = home(cast["users"]["leader"])

    assert 'id="by-township"' in html
    assert "领导看到的逾期隐患" in card(html, "hazards-overdue")
    assert not {"hazards-reinspection", "hazards-extensions", "tip-offs-new"} & set(cards(html))


def test_an_expert_sees_the_verifications_assigned_to_it_until_it_gives_one(cast):
    submitted = timezone.now() - timedelta(hours=2)
    waiting = make_hazard(cast["inside"], state=S.SUBMITTED, level=HazardLevel.MAJOR, description="待专家复核的重大隐患",
                          submitted_at=submitted)
    make_hazard(cast["inside"], state=S.SUBMITTED, description="一般隐患无需专家")
    make_hazard(cast["outside"], state=S.SUBMITTED, level=HazardLevel.MAJOR, description="别家的重大隐患")
    expert = cast["users"]["expert"]

    html = home(expert)

    assert 'id="by-township"' not in html and "概览" not in html
    verifications = card(html, "hazards-expert-verification")
    assert count_of(html, "hazards-expert-verification") == 1
    assert "待专家复核的重大隐患" in verifications and f'href="/hazards/{waiting.pk}/"' in verifications
    assert "一般隐患无需专家" not in verifications and "别家的重大隐患" not in html

    ExpertVerification.objects.create(hazard=waiting, expert=expert, passed=True, opinion="整改到位")
    assert count_of(home(expert), "hazards-expert-verification") == 0
    # Submitted again after a rejection: the old verification no longer counts.
    waiting.submitted_at = timezone.now() + timedelta(minutes=1)
    waiting.save(update_fields=["submitted_at"])
    assert count_of(home(expert), "hazards-expert-verification") == 1


def test_an_empty_card_says_nothing_is_waiting_and_shows_no_red_mark(cast):
    html = home(cast["users"]["township_officer"])
    reinspection = card(html, "hazards-reinspection")
    assert count_of(html, "hazards-reinspection") == 0
    assert "暂无待办" in reinspection and "text-bg-danger" not in reinspection and "todo-all" not in reinspection


# --- the navigation bar ------------------------------------------------------------------------------------


def test_the_bar_shows_the_to_do_total_and_the_unread_count_outside_the_collapsed_menu(cast):
    officer = cast["users"]["township_officer"]
    make_hazard(cast["inside"], state=S.SUBMITTED)
    make_hazard(cast["inside"], state=S.RECTIFYING, deadline=yesterday())
    notify(recipients=[officer], verb="test", title="新的通知", link="/hazards/")
    client = page_as(officer)

    html = client.get("/hazards/").content.decode()
    badges = html[html.index('data-testid="navbar-badges"'):html.index('id="mainnav"')]
    assert 'data-testid="notification-bell"' in badges and 'data-testid="unread-count">1<' in badges
    assert 'hx-get="/todos/total/"' in badges and 'href="/"' in badges

    total = client.get("/todos/total/").content.decode()
    # One re-inspection waiting, one overdue hazard and the township's duty roster of the month not filed (issue
    # 14); the unread notification is the bell's.
    assert re.search(r'data-testid="todo-total"[^>]*>3<', total)
    assert "3 项待办" in total


def test_no_badge_when_nothing_is_waiting(cast):
    assert "todo-total" not in page_as(cast["users"]["nobody"]).get("/todos/total/").content.decode()


def test_signed_out_visitors_get_no_total(db):
    response = Client().get("/todos/total/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_provider_a_later_app_registers_appears_on_the_workbench_and_in_the_total(cast):
    provider = TodoProvider(key="alarms-test", label="待处置的报警", order=5, count=lambda user: 3,
                            items=lambda user, limit: [TodoItem(title="可燃气体浓度超标", url="/hazards/",
                                                                due=yesterday(), overdue=True)],
                            url_name="hazards:list", condition=lambda user: user.username == "leader")
    todo_providers.register(provider)
    try:
        leader, staff = cast["users"]["leader"], cast["users"]["bureau_staff"]
        alarms = card(home(leader), "alarms-test")
        assert "待处置的报警" in alarms and "可燃气体浓度超标" in alarms and "全部 3 项" in alarms
        assert "alarms-test" not in cards(home(staff))
        assert re.search(r'data-testid="todo-total"[^>]*>3<', page_as(leader).get("/todos/total/").content.decode())
    finally:
        del todo_providers.providers["alarms-test"]


# --- queries -------------------------------------------------------------------------------------------------


def grow(cast, n: int) -> None:
    """``n`` more of everything the providers count, in and out of every role's scope."""
    staff = cast["users"]["bureau_staff"]
    for i in range(n):
        for enterprise in (cast["inside"], cast["outside"], cast["building"]):
            make_hazard(enterprise, state=S.SUBMITTED, level=HazardLevel.MAJOR, description=f"增长{i}")
            rectifying = make_hazard(enterprise, state=S.RECTIFYING, level=HazardLevel.MAJOR, deadline=yesterday())
            Extension.objects.create(hazard=rectifying, requested_deadline=timezone.localdate() + timedelta(days=9),
                                     reason="延期", requested_by=staff, state=ExtensionState.PENDING)
            LicenceFactory(enterprise=enterprise, valid_to=timezone.localdate() + timedelta(days=10))
            TipOff.objects.create(enterprise_name=f"举报{i}", description="情况", township=enterprise.township)
        notify(recipients=list(cast["users"].values()), verb="test", title=f"通知{i}")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(1 for query in captured.captured_queries if "SAVEPOINT" not in query["sql"])


@pytest.mark.parametrize("role", ["bureau_staff", "leader", "township_officer", "department_officer",
                                  "enterprise_user", "expert"])
def test_the_workbench_and_the_total_cost_the_same_queries_whatever_the_data(cast, role):
    client = page_as(cast["users"][role])
    grow(cast, 1)
    client.get("/")  # warms the per-process caches (content types, the catalogue)
    small = {url: queries(client, url) for url in ("/", "/todos/total/")}
    grow(cast, 8)
    large = {url: queries(client, url) for url in ("/", "/todos/total/")}
    assert small == large


#: (count, items) for the cards that read more than their rows, whatever the data size: the plans' card the
#: year's coverage; the overdue duties' items the duties still due past their window when fewer than asked
#: were missed (shouye/major_hazards/selectors.py).
#: The duty rosters' card reads the units the user answers for, then their filed rosters.
EXTRA_QUERIES = {"inspection-plans-behind": (1, 2), "major-hazards-overdue-duties": (1, 2),
                 "duty-rosters-not-filed": (2, 2)}


def test_each_provider_answers_in_at_most_two_queries(cast, django_assert_max_num_queries):
    """The registry's contract: one query for the count, one for the items (the plans' card reads the year's
    coverage in one more)."""
    grow(cast, 3)
    for role in ("bureau_admin", "township_officer", "enterprise_user", "expert"):
        user = cast["users"][role]
        user.has_perm("hazards.view_hazard")  # the role's permissions and scope, read once per request
        scope_for(user)
        for provider in todo_providers.for_user(user):
            provider.count(user)  # warms the per-process caches (the alarm rulebook's tables)
            with django_assert_max_num_queries(EXTRA_QUERIES.get(provider.key, (1, 1))[0]):
                provider.count(user)
            with django_assert_max_num_queries(EXTRA_QUERIES.get(provider.key, (1, 1))[1]):
                provider.items(user, 5)


# --- the API -------------------------------------------------------------------------------------------------


def test_the_api_answers_the_same_cards_as_the_page(cast):
    hazard = make_hazard(cast["inside"], state=S.RECTIFYING, description="接口里的整改", deadline=yesterday())
    make_hazard(cast["outside"], state=S.RECTIFYING, description="别家的整改", deadline=yesterday())

    response = api_as(cast["users"]["enterprise_user"]).get("/api/v1/todos/")

    assert response.status_code == 200
    answer = {row["key"]: row for row in response.json()}
    assert list(answer)[0] == "hazards-to-rectify" and "notifications-unread" in answer
    rectify = answer["hazards-to-rectify"]
    assert rectify["label"] == "待提交的整改" and rectify["count"] == 1
    assert rectify["url"] == "/hazards/?state=rectifying"
    assert rectify["items"] == [{"title": "接口里的整改", "url": f"/hazards/{hazard.pk}/", "detail": cast["inside"].name,
                                 "due": yesterday().isoformat(), "overdue": True}]
    assert "hazards-reinspection" not in answer and "别家的整改" not in response.content.decode()


def test_the_api_refuses_signed_out_callers(db):
    assert APIClient().get("/api/v1/todos/").status_code == 401


def test_the_plans_card_gives_the_years_coverage_and_the_plans_behind(cast):
    """Done counts at most what a plan calls for (selectors.coverage): 3 done of 2 due count as 2."""
    year = timezone.localdate().year
    for enterprise, due in ((cast["inside"], 2), (cast["building"], 12)):
        InspectionPlan.objects.create(enterprise=enterprise, township_id=enterprise.township_id,
                                      industry_id=enterprise.industry_id, year=year, inspections_due=due)
    staff = cast["users"]["bureau_staff"]
    for _ in range(3):
        finished(staff, cast["inside"], checklist="gas-station")

    plans = card(home(staff), "inspection-plans-behind")

    assert "本年度计划：已完成 2 / 14 次检查（14%）" in plans
    assert 'href="/inspections/plans/"' in plans
    if timezone.localdate().timetuple().tm_yday > 31:  # 12 due: one expected by now after January
        assert cast["building"].name in plans and cast["inside"].name not in plans
