"""Deleting a hazard source or a control measure entered by mistake: allowed while nothing refers to it, the
point re-graded in the same act and audited; refused with a Chinese reason (and nothing changed) when an
investigation record (evidence) or an active task refers to it — through the page (confirmation first) and
the API (DELETE, 409)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.risks.models import ControlMeasure, HazardSource, RiskAssessment, TaskCheck, TaskInstance
from tests.conftest import api_as

from .register_helpers import make_measure, make_point, make_source
from .tasks_fixtures import task

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(cast):
    return cast["users"]["enterprise_user"]


@pytest.fixture
def graded(cast, user):
    """A point graded major by one source (D = 10×6×15 = 900) and high by the other (D = 6×6×7 = 252)."""
    point = make_point(user, cast["inside"])
    worst = make_source(user, point, name="呼吸阀堵塞", lec=("10", "6", "15"))
    other = make_source(user, point, name="液位计失灵", lec=("6", "6", "7"))
    make_measure(user, worst, description="呼吸阀定期清理")
    point.refresh_from_db()
    assert point.grade == "major"
    return point, worst, other


def _checked(measure, user):
    """An investigation record of ``measure`` (the task stopped afterwards)."""
    row = task(measure.hazard_source.risk_point, user, is_active=False)
    now = timezone.now()
    instance = TaskInstance.objects.create(task=row, enterprise=row.enterprise, township=row.township,
                                           industry=row.industry, due_from=now - timedelta(hours=2),
                                           due_by=now + timedelta(hours=2), state="done", done_at=now, done_by=user)
    return TaskCheck.objects.create(instance=instance, measure=measure, outcome="ok", checked_by=user, checked_at=now)


def test_deleting_a_source_regrades_the_point_and_is_audited(client, user, graded):
    point, worst, _other = graded
    client.force_login(user)
    confirm = client.get(reverse("risks:source-delete", args=[worst.pk]))
    assert confirm.status_code == 200 and 'data-testid="delete-form"' in confirm.content.decode()
    assert HazardSource.objects.filter(pk=worst.pk).exists()  # the GET asks, it deletes nothing
    response = client.post(reverse("risks:source-delete", args=[worst.pk]))
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.grade, point.control_level) == ("high", "deputy")
    assert not HazardSource.objects.filter(pk=worst.pk).exists()
    assert not RiskAssessment.objects.filter(hazard_source_id=worst.pk).exists()
    assert not ControlMeasure.objects.filter(hazard_source_id=worst.pk).exists()
    event = AuditEvent.objects.get(verb="risks.source-delete")
    assert event.changes["source"] == "呼吸阀堵塞" and event.changes["point_grade"] == ["major", "high"]
    page = client.get(reverse("risks:point", args=[point.pk])).content.decode()
    assert "呼吸阀堵塞" not in page and "已删除危险源，风险点已重新定级" in page


def test_a_source_whose_measure_has_records_is_refused_and_kept(client, user, graded):
    point, worst, _other = graded
    _checked(worst.measures.get(), user)
    client.force_login(user)
    confirm = client.get(reverse("risks:source-delete", args=[worst.pk])).content.decode()
    assert 'data-testid="delete-refusal"' in confirm and "记录是证据" in confirm and "delete-form" not in confirm
    response = client.post(reverse("risks:source-delete", args=[worst.pk]))
    assert response.status_code == 409 and "1条排查记录" in response.content.decode()
    assert HazardSource.objects.filter(pk=worst.pk).exists()
    point.refresh_from_db()
    assert point.grade == "major" and not AuditEvent.objects.filter(verb="risks.source-delete").exists()


def test_a_measure_an_active_task_checks_is_refused_until_the_task_stops(user, graded):
    _point, worst, _other = graded
    measure = worst.measures.get()
    row = task(worst.risk_point, user)
    api = api_as(user)
    response = api.delete(f"/api/v1/control-measures/{measure.pk}/")
    assert response.status_code == 409 and row.title in str(response.json())
    row.is_active = False
    row.save(update_fields=["is_active"])
    assert api.delete(f"/api/v1/control-measures/{measure.pk}/").status_code == 204
    assert not ControlMeasure.objects.filter(pk=measure.pk).exists()
    assert AuditEvent.objects.filter(verb="risks.measure-delete").count() == 1


def test_a_measure_with_records_is_refused_and_can_be_retired_instead(client, user, graded):
    _point, worst, _other = graded
    measure = worst.measures.get()
    _checked(measure, user)
    client.force_login(user)
    response = client.post(reverse("risks:measure-delete", args=[measure.pk]))
    assert response.status_code == 409 and "不再使用" in response.content.decode()
    assert ControlMeasure.objects.filter(pk=measure.pk).exists()


def test_the_api_deletes_sources_one_by_one_and_refuses_an_officer(cast, user, graded):
    point, worst, other = graded
    assert api_as(cast["users"]["township_officer"]).delete(f"/api/v1/hazard-sources/{other.pk}/").status_code == 403
    elsewhere = make_source(user, make_point(user, cast["inside"], code="RP-99"))
    for bad in ("abc", "999999"):
        assert api_as(user).delete(f"/api/v1/hazard-sources/{bad}/").status_code == 404
    assert api_as(user).delete(f"/api/v1/hazard-sources/{other.pk}/").status_code == 204
    point.refresh_from_db()
    assert point.grade == "major"  # the worst source stays
    assert api_as(user).delete(f"/api/v1/hazard-sources/{worst.pk}/").status_code == 204
    point.refresh_from_db()
    assert (point.grade, point.control_level) == ("", "")  # nothing assessed is left
    assert HazardSource.objects.filter(pk=elsewhere.pk).exists()
