"""Monthly rosters over the Spring Festival of the calendar (2026: 2月15日–23日 off, 2月14日 and 28日 make-up
working days), generation, validation and publishing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouye.duty import services
from shouye.duty.choices import AssignmentReason, RosterState, SeasonKind
from shouye.duty.models import DutyLeave, DutySeason, Roster

pytestmark = pytest.mark.django_db

FEB = (2026, 2)


def bureau_roster(cast, year=2026, month=2):
    return services.create_roster(actor=cast["users"]["bureau_staff"], unit_kind="bureau", year=year, month=month)


def people_on(roster, day, code):
    return [row for row in roster.assignments.all() if row.day == day and row.position.code == code]


def test_spring_festival_days_are_reinforced(cast, crew):
    roster = bureau_roster(cast)
    marks = services.day_marks(roster)
    assert marks[date(2026, 2, 14)] == "eve"          # a make-up Saturday before the holiday
    assert all(marks[date(2026, 2, d)] == "holiday" for d in range(15, 24))
    assert marks[date(2026, 2, 24)] == "day_after"
    assert date(2026, 2, 7) not in marks               # an ordinary weekend is not a holiday
    assert date(2026, 2, 10) not in marks

    result = services.generate_roster(actor=cast["users"]["bureau_staff"], roster=roster)
    assert result["unfilled"] == 0
    for day in (date(2026, 2, 14), date(2026, 2, 17), date(2026, 2, 24)):
        officers = people_on(roster, day, "officer")
        assert len(officers) == 2 and {row.reason for row in officers} == {AssignmentReason.REINFORCED}
        assert len(people_on(roster, day, "standby")) == 1
        assert len(people_on(roster, day, "leader")) == 1
    ordinary = date(2026, 2, 10)
    assert len(people_on(roster, ordinary, "officer")) == 1
    assert people_on(roster, ordinary, "standby") == []
    services.publish_roster(actor=cast["users"]["bureau_staff"], roster=roster)
    roster.refresh_from_db()
    assert roster.state == RosterState.PUBLISHED


def test_generation_is_fair_and_skips_leave(cast, crew):
    officer = crew["officers"][1]
    DutyLeave.objects.create(user=officer, first_day=date(2026, 2, 1), last_day=date(2026, 2, 10),
                             created_by=cast["users"]["bureau_admin"])
    roster = bureau_roster(cast)
    services.generate_roster(actor=cast["users"]["bureau_staff"], roster=roster)
    rows = list(roster.assignments.select_related("position"))
    assert not [r for r in rows if r.user_id == officer.pk and r.day <= date(2026, 2, 10)]
    leaders = [r.user_id for r in rows if r.position.code == "leader"]
    assert abs(leaders.count(crew["leaders"][0].pk) - leaders.count(crew["leaders"][1].pk)) <= 1
    for day in {r.day for r in rows}:
        users = [r.user_id for r in rows if r.day == day]
        assert len(users) == len(set(users))
    assert services.problems(roster) == []


def test_season_adds_standby(cast, crew):
    DutySeason.objects.create(name="2026年防汛期", kind=SeasonKind.FLOOD, starts_on=date(2026, 6, 1),
                              ends_on=date(2026, 9, 30), standby_per_day=2, created_by=cast["users"]["bureau_admin"])
    roster = bureau_roster(cast, month=6)
    services.generate_roster(actor=cast["users"]["bureau_staff"], roster=roster)
    standby = people_on(roster, date(2026, 6, 10), "standby")
    assert len(standby) == 2 and {row.reason for row in standby} == {AssignmentReason.SEASON}


def test_publish_refuses_with_clear_reasons(cast, crew):
    staff = cast["users"]["bureau_staff"]
    roster = bureau_roster(cast, month=3)
    services.generate_roster(actor=staff, roster=roster)
    day = date(2026, 3, 10)
    leader = people_on(roster, day, "leader")[0]
    services.remove_assignment(actor=staff, roster=roster, assignment=leader)
    officer = people_on(roster, day, "officer")[0]
    services.add_assignment(actor=staff, roster=roster, day=day, position=crew["positions"]["standby"],
                            user=officer.user)
    DutyLeave.objects.create(user=officer.user, first_day=day, last_day=day, created_by=cast["users"]["bureau_admin"])
    with pytest.raises(ValidationError) as refused:
        services.publish_roster(actor=staff, roster=roster)
    text = " ".join(refused.value.messages)
    assert "03月10日：没有带班领导" in text
    assert f"03月10日：{officer.name}同一天被安排了两次" in text
    assert f"03月10日：{officer.name}在休假" in text
    roster.refresh_from_db()
    assert roster.state == RosterState.DRAFT


def test_units_keep_their_own_rosters(cast, crew, mashan, xiaoli):
    officer, company = cast["users"]["township_officer"], cast["users"]["enterprise_user"]
    township = services.create_roster(actor=officer, unit_kind="township", year=2026, month=2, township=mashan,
                                      duty_phone="0531-1234567")
    with pytest.raises(ValidationError):
        services.create_roster(actor=officer, unit_kind="township", year=2026, month=2, township=xiaoli)
    with pytest.raises(ValidationError):
        services.create_roster(actor=officer, unit_kind="bureau", year=2026, month=2)
    own = services.create_roster(actor=company, unit_kind="enterprise", year=2026, month=2,
                                 enterprise=cast["inside"])
    assert (own.township_id, own.industry_id) == (cast["inside"].township_id, cast["inside"].industry_id)
    with pytest.raises(ValidationError):
        services.create_roster(actor=company, unit_kind="enterprise", year=2026, month=2, enterprise=cast["inside"])
    # The township officer sees the enterprise's roster (its township) but does not keep it.
    assert Roster.objects.visible_to(officer).filter(pk=own.pk).exists()
    with pytest.raises(PermissionDenied):
        services.add_assignment(actor=officer, roster=own, day=date(2026, 2, 1), position=crew["positions"]["leader"],
                                name="某人")
    with pytest.raises(PermissionDenied):
        services.generate_roster(actor=company, roster=township)
    with pytest.raises(ValidationError) as refused:        # no people given, none last month
        services.generate_roster(actor=officer, roster=township)
    assert "people" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.add_assignment(actor=company, roster=own, day=date(2026, 3, 1),
                                position=crew["positions"]["leader"], name="某人")
    assert "day" in refused.value.message_dict
    assert not Roster.objects.visible_to(cast["users"]["department_officer"]).filter(pk__in=[own.pk, township.pk])


def test_a_year_not_in_the_calendar_is_refused(cast, crew):
    roster = bureau_roster(cast, year=2099, month=1)
    with pytest.raises(ValidationError) as refused:
        services.generate_roster(actor=cast["users"]["bureau_staff"], roster=roster)
    assert "2099年的节假日安排尚未录入工作日历" in " ".join(refused.value.messages)


def test_the_rotation_goes_on_from_last_month(cast, crew):
    staff = cast["users"]["bureau_staff"]
    january, february = bureau_roster(cast, month=1), bureau_roster(cast, month=2)
    services.generate_roster(actor=staff, roster=january)
    services.generate_roster(actor=staff, roster=february)
    last = people_on(january, date(2026, 1, 31), "leader")[0].user
    first = people_on(february, date(2026, 2, 1), "leader")[0].user
    assert last != first           # 31 shifts in January: February starts with the other leader
