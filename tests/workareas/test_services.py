"""The services' rules and guards: the chemical-only designation, the capacity refusal, scope, permission, the
audit event, and that a refused act changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import NotInScope
from shouye.workareas import services
from shouye.workareas.choices import CertificateKind
from shouye.workareas.models import WorkArea, Worker, WorkerCertificate
from tests.concurrency import at_the_same_moment
from tests.factories import EnterpriseFactory, UserFactory, member

from .conftest import area_data, certificate_row, worker_data, zone_of


def test_assessing_stamps_and_audits(cast, area):
    assert (area.enterprise, area.township_id, area.industry_id) == (
        cast["inside"], cast["inside"].township_id, cast["inside"].industry_id)
    assert AuditEvent.objects.filter(verb="workarea.assess", target_id=str(area.pk)).count() == 1


def test_only_chemical_enterprises_designate_high_risk_areas(cast):
    staff = cast["users"]["bureau_staff"]
    user = UserFactory(username="machinery")
    member(user, "enterprise_user", enterprise=cast["outside"])
    with pytest.raises(ValidationError) as exc:
        services.assess_work_area(actor=user, enterprise=cast["outside"], data=area_data())
    assert "high_risk" in exc.value.message_dict
    assert not WorkArea.objects.exists()
    ordinary = services.assess_work_area(actor=user, enterprise=cast["outside"],
                                         data=area_data(high_risk=False, max_people=5))
    assert ordinary.max_people is None and ordinary.measures == ""
    with pytest.raises(PermissionDenied):
        services.assess_work_area(actor=staff, enterprise=cast["inside"], data=area_data(name="罐区"))


def test_a_high_risk_area_needs_its_maximum(cast, owner):
    with pytest.raises(ValidationError) as exc:
        services.assess_work_area(actor=owner, enterprise=cast["inside"], data=area_data(max_people=None))
    assert "max_people" in exc.value.message_dict


def test_out_of_scope_enterprise_is_not_found(cast, owner):
    with pytest.raises(NotInScope):
        services.assess_work_area(actor=owner, enterprise=cast["outside"], data=area_data())


def test_a_person_over_the_maximum_is_refused_and_nothing_changes(cast, owner, area):
    services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area])
    services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area])
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(name="李四"),
                                 work_areas=[area], certificates=[certificate_row()])
    message = exc.value.message_dict["work_areas"][0]
    assert "氯化反应区" in message and "2" in message
    assert Worker.objects.count() == 2 and not WorkerCertificate.objects.exists()
    assert AuditEvent.objects.count() == events


def test_updating_keeps_a_persons_own_place(cast, owner, area):
    worker = services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area])
    services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area])
    updated = services.update_worker(actor=owner, worker=worker, data={"post": "班长"})
    assert updated.post == "班长" and list(updated.work_areas.all()) == [area]


def test_lowering_the_maximum_shows_the_area_over_capacity(cast, owner, area):
    from shouye.workareas.selectors import over_capacity

    for _ in range(2):
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area])
    services.update_work_area(actor=owner, work_area=area, data={"max_people": 1})
    assert list(over_capacity(owner)) == [area]
    with pytest.raises(ValidationError) as exc:
        services.update_work_area(actor=owner, work_area=area, data={"high_risk": False})
    assert "high_risk" in exc.value.message_dict
    assert WorkArea.objects.get(pk=area.pk).high_risk


def test_certificate_rows_are_checked_and_dated(cast, owner):
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(id_number="370113198001010000"),
                                 certificates=[certificate_row(operation_category=""), certificate_row(issued_on=future)])
    errors = exc.value.message_dict
    assert "id_number" in errors
    assert "certificates[0].operation_category" in errors and "certificates[1].issued_on" in errors
    assert not Worker.objects.exists()


def test_the_audit_keeps_id_numbers_masked(cast, worker):
    event = AuditEvent.objects.get(verb="worker.register", target_id=str(worker.pk))
    assert worker.id_number not in str(event.changes)


def test_duplicate_id_number_in_the_enterprise_is_refused(cast, owner, worker):
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(id_number=worker.id_number))
    assert "id_number" in exc.value.message_dict


def test_removing_a_person(cast, owner, worker):
    services.remove_worker(actor=owner, worker=worker)
    assert not Worker.objects.exists() and not WorkerCertificate.objects.exists()
    assert AuditEvent.objects.filter(verb="worker.remove").count() == 1
    with pytest.raises(PermissionDenied):
        services.remove_worker(actor=cast["users"]["bureau_staff"], worker=worker)


def test_the_rule_refuses_a_review_it_cannot_have(cast, owner):
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), certificates=[
            certificate_row(kind=CertificateKind.SAFETY_QUALIFICATION, last_review_on=date(2024, 6, 1))])
    assert "certificates[0].last_review_on" in exc.value.message_dict
    assert not Worker.objects.exists()


def test_a_post_the_area_does_not_admit_is_refused(cast, owner, area):
    with pytest.raises(ValidationError) as exc:
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(post="焊工"),
                                 work_areas=[area])
    assert "焊工" in exc.value.message_dict["work_areas"][0] and "操作工、班长" in exc.value.message_dict["work_areas"][0]
    assert not Worker.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every write transaction, so two registrations cannot overlap there")
def test_people_put_at_once_into_the_last_places_are_refused_over_the_maximum(cast, owner):
    """The area's row lock serialises the count: of five people of the ledger put at the same moment into an area
    with two places (each change locks only its own person), two are in and three are refused with the area's
    name."""
    area = services.assess_work_area(actor=owner, enterprise=cast["inside"], data=area_data())
    people = [services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data()) for _ in range(5)]
    calls = [lambda person=person: services.update_worker(actor=owner, worker=person, data={}, work_areas=[area])
             for person in people]
    results, errors = at_the_same_moment(*calls)
    assert len(results) == 2 and len(errors) == 3, errors
    assert all(isinstance(exc, ValidationError) and "氯化反应区" in exc.message_dict["work_areas"][0] for exc in errors)
    assert area.workers.count() == 2


def test_a_high_risk_area_is_placed_in_a_zone_of_its_own_enterprises_plan(cast, owner):
    own = zone_of(cast["inside"], owner, "氯化车间")
    other = zone_of(EnterpriseFactory(name="另一家化工"), owner, "别家的区域")
    area = services.assess_work_area(actor=owner, enterprise=cast["inside"], data=area_data(zone=own))
    assert area.zone == own
    with pytest.raises(ValidationError) as exc:
        services.update_work_area(actor=owner, work_area=area, data={"zone": other})
    assert "zone" in exc.value.message_dict
    assert WorkArea.objects.get(pk=area.pk).zone == own
