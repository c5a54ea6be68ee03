"""The installation's services: identification by GB 18218-2018 kept with the record and recomputed in the
same act when the inventory or the exposed population changes; filing, cancelling, appointing (one current
person per role, history kept), recording duties; every refusal changing nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition, NotInScope
from shouye.major_hazards import duties, services
from shouye.major_hazards.choices import DutyResult, InstallationState, PersonRole
from shouye.major_hazards.models import DutyItem, ResponsiblePerson

from .conftest import appoint_all, make_installation, snapshot

pytestmark = pytest.mark.django_db


def test_create_identifies_and_grades_and_keeps_inputs(installation):
    assert installation.is_major is True
    assert installation.ratio_sum == Decimal("1.6")
    assert installation.alpha == Decimal("1.2") and installation.r_value == Decimal("7.68")
    assert installation.grade == 4 and installation.grade_name == "四级"
    assert installation.inputs == {"substances": [{"quantity_t": "8", "name": "液氯"}], "exposed_population": 35}
    assert "GB 18218-2018" in installation.basis and installation.computed_at is not None
    line = installation.substances.get()
    assert line.critical_quantity_t == 5 and line.beta == 4
    assert AuditEvent.objects.filter(verb="major-hazard.create", target_id=str(installation.pk)).count() == 1


def test_adding_and_removing_a_substance_recomputes_in_the_same_act(owner, installation):
    installation = services.add_substance(actor=owner, installation=installation, name="二氧化硫", quantity_t=200)
    # S = 8/5 + 200/20 = 11.6; R = 1.2 × (4×1.6 + 2×10) = 31.68 → 三级
    installation.refresh_from_db()
    assert installation.ratio_sum == Decimal("11.6") and installation.r_value == Decimal("31.68")
    assert installation.grade == 3
    event = AuditEvent.objects.filter(verb="major-hazard.add-substance").get()
    assert event.changes["computed"][1]["grade"] == 3
    line = installation.substances.get(name="二氧化硫")
    installation = services.remove_substance(actor=owner, installation=installation, substance=line)
    installation.refresh_from_db()
    assert installation.grade == 4 and installation.ratio_sum == Decimal("1.6")


def test_a_change_of_exposed_population_regrades(owner, installation):
    services.update_installation(actor=owner, installation=installation, exposed_population=150)
    installation.refresh_from_db()
    assert installation.alpha == 2 and installation.r_value == Decimal("12.8") and installation.grade == 3
    assert installation.inputs["exposed_population"] == 150


def test_without_population_a_major_unit_is_identified_but_not_graded(owner, cast):
    installation = make_installation(owner, cast["inside"], population=None)
    assert installation.is_major and installation.grade is None and installation.r_value is None
    assert "500 m" in installation.basis


def test_below_one_is_not_major(owner, cast):
    installation = make_installation(owner, cast["inside"], substances=[{"name": "甲醇", "quantity_t": 100}])
    assert installation.is_major is False and installation.grade is None
    assert installation.ratio_sum == Decimal("0.2")


def test_an_unknown_substance_is_refused_and_changes_nothing(owner, installation):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.add_substance(actor=owner, installation=installation, name="不存在的物质", quantity_t=5)
    assert "表1" in str(exc.value)
    assert snapshot() == before


def test_a_substance_not_in_table_1_with_its_category(owner, installation):
    services.add_substance(actor=owner, installation=installation, name="某溶剂", category="w5.3", quantity_t=1000)
    line = installation.substances.get(name="某溶剂")
    assert line.category == "W5.3" and line.critical_quantity_t == 1000


def test_supervisors_read_but_do_not_manage(cast, installation):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.add_substance(actor=cast["users"]["township_officer"], installation=installation, name="甲醇",
                               quantity_t=1)
    with pytest.raises(NotInScope):
        services.add_substance(actor=cast["users"]["department_officer"], installation=installation, name="甲醇",
                               quantity_t=1)
    assert snapshot() == before


def test_filing_needs_a_major_installation_and_is_audited(owner, cast, installation):
    small = make_installation(owner, cast["inside"], substances=[{"name": "甲醇", "quantity_t": 1}])
    before = snapshot()
    with pytest.raises(ValidationError):
        services.file_installation(actor=owner, installation=small, filing_number="备-1",
                                   filed_on=timezone.localdate())
    assert snapshot() == before
    services.file_installation(actor=owner, installation=installation, filing_number="备-2",
                               filed_on=timezone.localdate())
    installation.refresh_from_db()
    assert installation.state == InstallationState.FILED and installation.filing_number == "备-2"
    with pytest.raises(InvalidTransition):
        services.file_installation(actor=owner, installation=installation, filing_number="备-3",
                                   filed_on=timezone.localdate())


def test_a_cancelled_installation_refuses_every_change(owner, installation):
    services.cancel_installation(actor=owner, installation=installation, reason="装置拆除")
    before = snapshot()
    with pytest.raises(InvalidTransition):
        services.add_substance(actor=owner, installation=installation, name="甲醇", quantity_t=1)
    assert snapshot() == before


def test_one_current_person_per_role_and_history_kept(owner, installation):
    today = timezone.localdate()
    first = services.appoint_person(actor=owner, installation=installation, role=PersonRole.TECHNICAL,
                                    name="张工", post="技术副总", phone="13800000001",
                                    appointed_on=today - timedelta(days=100))
    second = services.appoint_person(actor=owner, installation=installation, role=PersonRole.TECHNICAL,
                                     name="李工", post="总工程师", phone="13800000002", appointed_on=today)
    first.refresh_from_db()
    assert first.ended_on == today and second.ended_on is None
    assert ResponsiblePerson.objects.filter(installation=installation, role="technical", ended_on=None).get() == second
    before = snapshot()
    with pytest.raises(ValidationError):
        services.appoint_person(actor=owner, installation=installation, role=PersonRole.TECHNICAL, name="王工",
                                post="x", phone="13800000003", appointed_on=today - timedelta(days=10))
    assert snapshot() == before


def test_recording_a_duty_clears_it_from_overdue(owner, installation):
    appoint_all(owner, installation, on=timezone.localdate() - timedelta(days=100))
    persons = installation.persons.filter(ended_on=None)
    overdue = duties.overdue(persons)
    # technical and principal every 90 days, operational every 7: all overdue 100 days after appointment
    assert len(overdue) == 9 + 9 + 10
    item = DutyItem.objects.get(role="technical", number=5)
    assert item.before_key_periods and item.frequency_days == 90
    services.record_duty(actor=owner, installation=installation, item=item, result=DutyResult.OK)
    assert len(duties.overdue(persons)) == 27
    assert AuditEvent.objects.filter(verb="major-hazard.record-duty").count() == 1


def test_a_duty_not_ok_needs_a_note_and_a_role_without_person_is_refused(owner, installation):
    item = DutyItem.objects.get(role="principal", number=1)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.record_duty(actor=owner, installation=installation, item=item, result=DutyResult.OK)
    appoint_all(owner, installation)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.record_duty(actor=owner, installation=installation, item=item, result=DutyResult.NOT_OK)
    assert "note" in exc.value.message_dict
    assert snapshot() == before


def test_due_date_rule():
    from datetime import date
    assert duties.due_date(appointed_on=date(2026, 1, 1), frequency_days=90, last_done=None) == date(2026, 4, 1)
    assert duties.due_date(appointed_on=date(2026, 1, 1), frequency_days=7,
                           last_done=date(2026, 3, 1)) == date(2026, 3, 8)


def test_seeded_duty_lists_number_as_the_interface():
    counts = {role: DutyItem.objects.filter(role=role).count() for role in PersonRole.values}
    assert counts == {"principal": 9, "technical": 9, "operational": 10}
    assert DutyItem.objects.filter(role="operational", placeholder=True).count() == 10
    assert not DutyItem.objects.get(role="principal", number=7).placeholder


def test_the_sql_count_agrees_with_the_rule_at_the_boundaries(owner, cast):
    """Due = (last done or appointed) + frequency; overdue only once that day has passed."""
    today = timezone.localdate()
    on_the_day = make_installation(owner, cast["inside"], name="到期当天")
    one_day_late = make_installation(owner, cast["inside"], name="逾期一天")
    services.appoint_person(actor=owner, installation=on_the_day, role=PersonRole.TECHNICAL, name="甲", post="x",
                            phone="13800000001", appointed_on=today - timedelta(days=90))
    services.appoint_person(actor=owner, installation=one_day_late, role=PersonRole.TECHNICAL, name="乙", post="x",
                            phone="13800000002", appointed_on=today - timedelta(days=91))
    persons = ResponsiblePerson.objects.filter(ended_on=None)
    assert len(duties.overdue(persons)) == duties.overdue_count(persons) == 9
    assert {s.person.name for s in duties.overdue(persons)} == {"乙"}
    item = DutyItem.objects.get(role="technical", number=1)
    done = timezone.make_aware(timezone.datetime.combine(today - timedelta(days=90), timezone.datetime.min.time()))
    services.record_duty(actor=owner, installation=one_day_late, item=item, result=DutyResult.OK, done_at=done)
    assert len(duties.overdue(persons)) == duties.overdue_count(persons) == 8
    late = duties.most_overdue(persons, 3)
    assert len(late) == 3 and all(s.person.name == "乙" and s.due < today for s in late)


def test_the_technical_investigation_is_due_before_a_public_holiday(owner, cast):
    """应急厅〔2021〕12号 Art. 5(5): before holidays. National Day 2026 starts on 1 October (work calendar)."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    tz = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 9, 1, 9, tzinfo=tz), tick=False):
        installation = make_installation(owner, cast["inside"])
        services.appoint_person(actor=owner, installation=installation, role=PersonRole.TECHNICAL, name="张工",
                                post="总工", phone="13800000001", appointed_on=date(2026, 9, 1))
    persons = ResponsiblePerson.objects.filter(ended_on=None)
    item = DutyItem.objects.get(role="technical", number=5)
    with time_machine.travel(datetime(2026, 9, 28, 9, tzinfo=tz), tick=False):
        holiday = duties.holiday_ahead(date(2026, 9, 28))
        assert holiday.start == date(2026, 10, 1) and holiday.end >= date(2026, 10, 7)
        [status] = [s for s in duties.statuses(persons) if s.item == item]
        assert status.before_holiday == holiday and status.due == date(2026, 9, 30)
        assert duties.overdue_count(persons) == 0
    with time_machine.travel(datetime(2026, 10, 2, 9, tzinfo=tz), tick=False):
        assert duties.overdue_count(persons) == 1 == len(duties.overdue(persons))
    with time_machine.travel(datetime(2026, 9, 29, 10, tzinfo=tz), tick=False):
        services.record_duty(actor=owner, installation=installation, item=item, result=DutyResult.OK)
    with time_machine.travel(datetime(2026, 10, 2, 9, tzinfo=tz), tick=False):
        assert duties.overdue_count(persons) == 0 == len(duties.overdue(persons))
    with time_machine.travel(datetime(2026, 10, 20, 9, tzinfo=tz), tick=False):
        assert duties.holiday_ahead(date(2026, 10, 20)) is None
