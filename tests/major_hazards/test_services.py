"""The installation's services: identification by GB 18218-2018 kept with the record and recomputed in the
same act when the inventory or the exposed population changes; filing, cancelling, appointing (one current
person per role, history kept); every refusal changing nothing. The duties as tasks: test_duty_tasks.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition, NotInScope
from shouye.major_hazards import services
from shouye.major_hazards.choices import InstallationState, PersonRole
from shouye.major_hazards.models import DutyItem, ResponsiblePerson

from .conftest import make_installation, snapshot

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


def test_seeded_duty_lists_number_as_the_interface():
    counts = {role: DutyItem.objects.filter(role=role).count() for role in PersonRole.values}
    assert counts == {"principal": 9, "technical": 9, "operational": 10}
    assert DutyItem.objects.filter(role="operational", placeholder=True).count() == 10
    assert not DutyItem.objects.get(role="principal", number=7).placeholder
