"""The townships' and key enterprises' own rosters: generated from their own people over the Spring Festival of
the calendar (2026: 2月15日–23日 off, the 14th a make-up working day), filed (报备), shown on "on duty now" with
those that have not filed; the duty to-dos; the duty phone strip."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shouye.core.registry import todo_providers
from shouye.duty import selectors, services
from shouye.duty.choices import AssignmentReason, RosterState
from shouye.duty.models import Assignment, DutyPosition
from shouye.enterprises.models import Enterprise, Industry, Tag
from shouye.regions.models import Region
from tests.conftest import api_as
from tests.factories import EnterpriseFactory, UserFactory, member

pytestmark = pytest.mark.django_db

SHIFT = timezone.make_aware(datetime(2026, 2, 17, 7, 0))    # the shift of 16 February (Spring Festival)


def crew_of(prefix: str, phone: str) -> list[dict]:
    """Two leaders on duty and three duty officers, who also stand by."""
    positions = {p.code: p for p in DutyPosition.objects.all()}
    rows = [{"position": positions["leader"], "name": f"{prefix}领导{n}", "phone": f"{phone}{n}"} for n in (1, 2)]
    rows += [{"position": positions[code], "name": f"{prefix}值班{n}", "phone": f"{phone}{n + 2}"}
             for code in ("officer", "standby") for n in (1, 2, 3)]
    return rows


def filed_township(officer, township, people, month=2):
    roster = services.create_roster(actor=officer, unit_kind="township", year=2026, month=month, township=township,
                                    duty_phone=f"0531-8{township.code[-4:]}")
    services.generate_roster(actor=officer, roster=roster, people=people)
    return services.file_roster(actor=officer, roster=roster)


def on(roster, day, code):
    return [row for row in roster.assignments.all() if row.day == day and row.position.code == code]


def test_a_township_generates_its_spring_festival_month_and_files_it(cast, mashan):
    officer = cast["users"]["township_officer"]
    roster = filed_township(officer, mashan, crew_of("马山", "1391111000"))
    assert roster.state == RosterState.PUBLISHED
    for day in (date(2026, 2, 14), date(2026, 2, 17), date(2026, 2, 24)):   # eve, holiday, first day after
        officers = on(roster, day, "officer")
        assert len(officers) == 2 and {row.reason for row in officers} == {AssignmentReason.REINFORCED}
        assert len(on(roster, day, "standby")) == 1 and len(on(roster, day, "leader")) == 1
        names = [row.name for row in roster.assignments.all() if row.day == day]
        assert len(names) == len(set(names))                                 # nobody twice a day
    assert len(on(roster, date(2026, 2, 10), "officer")) == 1 and not on(roster, date(2026, 2, 10), "standby")
    assert all(row.user_id is None and row.phone.startswith("1391111000") for row in roster.assignments.all())
    leaders = [row.name for row in roster.assignments.all() if row.position.code == "leader"]
    assert abs(leaders.count("马山领导1") - leaders.count("马山领导2")) <= 1
    # March from February's people, the rotation going on where February left off.
    march = services.create_roster(actor=officer, unit_kind="township", year=2026, month=3, township=mashan)
    services.generate_roster(actor=officer, roster=march)
    last = on(roster, date(2026, 2, 28), "leader")[0].name
    assert on(march, date(2026, 3, 1), "leader")[0].name != last
    assert {row.name for row in march.assignments.all()} == {row["name"] for row in crew_of("马山", "1")}


def test_an_enterprise_files_its_own_and_the_acts_stay_with_their_units(cast, crew, mashan):
    company, officer, staff = (cast["users"][r] for r in ("enterprise_user", "township_officer", "bureau_staff"))
    own = services.create_roster(actor=company, unit_kind="enterprise", year=2026, month=2,
                                 enterprise=cast["inside"])
    with pytest.raises(PermissionDenied):
        services.generate_roster(actor=officer, roster=own, people=crew_of("企业", "1"))
    services.generate_roster(actor=company, roster=own, people=crew_of("企业", "1380000000"))
    with pytest.raises(PermissionDenied):
        services.publish_roster(actor=company, roster=own)                  # units file, the bureau publishes
    assert services.file_roster(actor=company, roster=own).state == RosterState.PUBLISHED
    bureau = services.create_roster(actor=staff, unit_kind="bureau", year=2026, month=2)
    with pytest.raises(ValidationError) as refused:
        services.generate_roster(actor=staff, roster=bureau, people=crew_of("局", "1"))
    assert "people" in refused.value.message_dict
    services.generate_roster(actor=staff, roster=bureau)
    with pytest.raises(PermissionDenied):
        services.file_roster(actor=staff, roster=bureau)
    # A township's roster without a leader on a day is not filed.
    township = services.create_roster(actor=officer, unit_kind="township", year=2026, month=2, township=mashan)
    services.generate_roster(actor=officer, roster=township, people=crew_of("马山", "1")[2:])
    with pytest.raises(ValidationError):
        services.file_roster(actor=officer, roster=township)
    township.refresh_from_db()
    assert township.state == RosterState.DRAFT


def test_generate_and_file_through_the_page_and_the_api(cast, mashan, signed_in):
    officer = cast["users"]["township_officer"]
    roster = services.create_roster(actor=officer, unit_kind="township", year=2026, month=2, township=mashan)
    client = signed_in("township_officer")
    page = client.get(reverse("duty:roster", kwargs={"pk": roster.pk})).content.decode()
    assert "generate-people" in page and reverse("duty:file", kwargs={"pk": roster.pk}) in page
    assert reverse("duty:publish", kwargs={"pk": roster.pk}) not in page
    bad = client.post(reverse("duty:generate", kwargs={"pk": roster.pk}), {"generate-people": "厨师 张三 1"})
    assert bad.status_code == 400 and "第1行" in bad.content.decode()
    good = client.post(reverse("duty:generate", kwargs={"pk": roster.pk}), {
        "generate-people": "带班领导 张三 13900000001\n\n值班员，李四，13900000002\nofficer 王五\nstandby 李四 13900000002"})
    assert good.status_code == 302
    assert {row.name for row in Assignment.objects.filter(roster=roster)} == {"张三", "李四", "王五"}
    api = api_as(officer)
    answer = api.post(reverse("duty-roster-generate", kwargs={"pk": roster.pk}),
                      {"people": [{"position": "leader", "name": "赵六", "phone": "13900000009"}]}, format="json")
    assert answer.status_code == 200, answer.content
    assert {row.name for row in Assignment.objects.filter(roster=roster)} == {"赵六"}
    assert api.post(reverse("duty-roster-generate", kwargs={"pk": roster.pk}),
                    {"people": [{"position": "cook", "name": "x"}]}, format="json").status_code == 400
    assert api.post(reverse("duty-roster-publish", kwargs={"pk": roster.pk})).status_code == 403
    assert api.post(reverse("duty-roster-file", kwargs={"pk": roster.pk})).status_code == 200
    assert api.post(reverse("duty-roster-file", kwargs={"pk": roster.pk})).status_code == 409


def test_key_enterprises_are_those_of_article_14(cast, mashan):
    assert Enterprise.objects.get(pk=cast["inside"].pk).industry.code == "hazardous_chemicals"
    tagged = EnterpriseFactory(name="马山重大危险源冷库", township=mashan,
                               industry=Industry.objects.get(code="industry_trade"))
    tagged.tags.add(Tag.objects.get(code="mhi"))
    EnterpriseFactory(name="马山已关闭化工", township=mashan, status="closed")
    keys = list(selectors.key_enterprises(cast["users"]["bureau_staff"]).values_list("name", flat=True))
    assert keys == sorted(["马山内测化工有限公司", "马山重大危险源冷库"])     # not trade, construction, closed
    assert list(selectors.key_enterprises(cast["users"]["enterprise_user"])) == [cast["inside"]]


def test_on_duty_now_shows_every_township_and_key_enterprise(cast, mashan, xiaoli, signed_in):
    officer = cast["users"]["township_officer"]
    filed_township(officer, mashan, crew_of("马山", "1391111000"))
    with time_machine.travel(SHIFT, tick=False):
        bureau = signed_in("bureau_staff").get(reverse("duty:now")).content.decode()
        township = signed_in("township_officer").get(reverse("duty:now")).content.decode()
        missing = api_as(cast["users"]["bureau_staff"]).get(reverse("duty-roster-not-filed")).json()
        own = api_as(officer).get(reverse("duty-roster-not-filed")).json()
    townships = Region.objects.filter(level="township").count()
    assert "2026-02-16" in bureau and "马山领导" in bureau
    assert any(f"1391111000{n}" in bureau for n in (1, 2))                 # the leader's phone in clear
    assert "马山领导" in township and "1391111000" not in township and "****" in township
    names = {row["name"] for row in missing}
    assert "马山镇" not in names and "孝里街道" in names and cast["inside"].name in names
    assert cast["outside"].name not in names and cast["building"].name not in names
    assert len(missing) == townships - 1 + 1
    assert own == [{"kind": "enterprise", "kind_display": "企业", "id": cast["inside"].pk,
                    "name": cast["inside"].name, "township": "马山镇"}]
    assert 'data-testid="not-filed"' in bureau and "孝里街道" in bureau


def test_the_now_page_takes_a_fixed_number_of_queries(cast, signed_in, district):
    townships = list(Region.objects.filter(level="township").order_by("code"))
    assert len(townships) == 10
    client = signed_in("bureau_staff")
    with time_machine.travel(SHIFT, tick=False):
        filed_township(staff_officer(townships[0]), townships[0], crew_of("甲", "1"))
        client.get(reverse("duty:now"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("duty:now"))
        for township in townships[1:]:
            filed_township(staff_officer(township), township, crew_of(township.name, "1"))
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("duty:now")).content.decode()
    assert len(many) == len(few)
    assert all(township.name in page for township in townships) and 'data-testid="not-filed"' in page


def staff_officer(township):
    user = UserFactory(username=f"officer-{township.code}")
    member(user, "township_officer", region=township)
    return user


@time_machine.travel(timezone.make_aware(datetime(2026, 3, 10, 12, 0)), tick=False)
def test_the_duty_to_dos(cast, crew, mashan):
    staff, leader, officer = (cast["users"][r] for r in ("bureau_staff", "leader", "township_officer"))
    today = timezone.localdate()
    by_key = lambda user: {p.key: p for p in todo_providers.for_user(user)}   # noqa: E731
    # The month's roster not filed: the township officer's, until filed.
    assert by_key(officer)["duty-rosters-not-filed"].count(officer) == 1
    assert "duty-rosters-not-filed" not in by_key(staff)
    company = cast["users"]["enterprise_user"]
    assert [i.title for i in by_key(company)["duty-rosters-not-filed"].items(company, 5)] == [cast["inside"].name]
    roster = services.create_roster(actor=officer, unit_kind="township", year=today.year, month=today.month,
                                    township=mashan)
    assert by_key(officer)["duty-rosters-not-filed"].count(officer) == 1     # a draft is not filed
    services.generate_roster(actor=officer, roster=roster, people=crew_of("马山", "1"))
    services.file_roster(actor=officer, roster=roster)
    assert by_key(officer)["duty-rosters-not-filed"].count(officer) == 0
    # A swap the colleague agreed to: the leader's to approve.
    bureau = services.create_roster(actor=staff, unit_kind="bureau", year=today.year, month=today.month)
    services.generate_roster(actor=staff, roster=bureau)
    services.publish_roster(actor=staff, roster=bureau)
    a, b = crew["officers"][1], crew["officers"][2]
    mine = bureau.assignments.filter(user=a, position__code="officer").first()
    theirs = bureau.assignments.filter(user=b, position__code="officer").exclude(day=mine.day).first()
    swap = services.request_swap(actor=a, roster=bureau, mine=mine, theirs=theirs, reason="培训")
    assert by_key(leader)["duty-swaps-to-approve"].count(leader) == 0
    services.answer_swap(actor=b, swap=swap, action="agree")
    assert by_key(leader)["duty-swaps-to-approve"].count(leader) == 1
    assert by_key(leader)["duty-swaps-to-approve"].items(leader, 5)[0].url.endswith(f"/swaps/{swap.pk}/")
    assert "duty-swaps-to-approve" not in by_key(staff)
    # A handover waiting for the next shift: the incoming officer's, not the one handing over.
    shift = selectors.current_shift_day() - timedelta(days=1)          # the shift of 8 March
    incoming = [row.user for row in bureau.assignments.filter(day=shift + timedelta(days=1)).select_related("user")]
    outgoing = bureau.assignments.filter(day=shift, position__code="officer").first().user
    handover = services.hand_over(actor=outgoing, shift_day=shift)
    someone = next(user for user in incoming if user != outgoing and user.has_perm("duty.keep_duty_log"))
    assert [i.url for i in by_key(someone)["duty-handovers"].items(someone, 5)] == [
        reverse("duty:handover", kwargs={"pk": handover.pk})]
    assert by_key(outgoing)["duty-handovers"].count(outgoing) == 0
    bystander = next(user for user in crew["officers"] if user not in incoming and user != outgoing)
    assert by_key(bystander)["duty-handovers"].count(bystander) == 0


def test_follow_up_reports_due(cast):
    staff = cast["users"]["bureau_staff"]
    now = timezone.now()
    first = services.record_entry(actor=staff, kind="report_sent", occurred_at=now - timedelta(hours=30),
                                  counterpart="区政府总值班室", content="首报", report_stage="first", reference="R-1")
    services.record_entry(actor=staff, kind="call_received", occurred_at=now - timedelta(hours=2),
                          counterpart="某村", content="来电，无需报告")
    provider = {p.key: p for p in todo_providers.for_user(staff)}["duty-follow-ups"]
    [item] = provider.items(staff, 5)
    assert item.title == "R-1" and item.overdue and provider.count(staff) == 1
    follow = services.record_entry(actor=staff, kind="report_sent", occurred_at=now - timedelta(hours=1),
                                   counterpart="区政府总值班室", content="续报", report_stage="follow_up", follows=first)
    [item] = provider.items(staff, 5)
    assert item.url == reverse("duty:entry", kwargs={"pk": follow.pk}) and not item.overdue
    services.record_entry(actor=staff, kind="report_sent", occurred_at=now, counterpart="区政府总值班室",
                          content="终报", report_stage="final", follows=follow)
    assert provider.count(staff) == 0
    assert "duty-follow-ups" not in {p.key for p in todo_providers.for_user(cast["users"]["leader"])}


def test_the_duty_phone_strip_falls_back_to_the_bureau_phone(cast, signed_in, settings):
    settings.SHOUYE_BUREAU_PHONE = "0531-87654321"
    client = signed_in("bureau_staff")
    for name in ("duty:now", "duty:rosters", "duty:swaps", "duty:log", "duty:entry-create", "duty:handover-create"):
        page = client.get(reverse(name)).content.decode()
        assert 'data-testid="duty-phone"' in page and "0531-87654321" in page, name
    setup = selectors.setup()
    setup.duty_phone = "0531-87000000"
    setup.save()
    assert "0531-87000000" in client.get(reverse("duty:now")).content.decode()
