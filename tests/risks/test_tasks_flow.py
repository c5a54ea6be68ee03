"""Setting up tasks and doing instances through the API and the pages: a failed check becomes exactly one
hazard bound to its measure, in one transaction; refusals change nothing; the to-dos follow."""

from __future__ import annotations

import json
from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from shouye.audit.models import AuditEvent
from shouye.core.registry import todo_providers
from shouye.hazards.choices import HazardCategory, HazardSource, InvestigationType
from shouye.hazards.models import Hazard, HazardPhoto
from shouye.risks import generation
from shouye.risks.choices import CycleUnit, InstanceState, WorkDayType
from shouye.risks.models import (
    ControlMeasure,
    InvestigationTask,
    TaskCheck,
    TaskCheckPhoto,
    TaskDailyTotal,
    TaskFrequencyDefault,
    TaskInstance,
)
from tests.conftest import api_as
from tests.factories import UserFactory, member

from .tasks_fixtures import at, photo, risk_point, task

NOW = at(2026, 10, 9, 9, 0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def officer(cast):
    return cast["users"]["enterprise_user"]


@pytest.fixture
def point(cast):
    return risk_point(cast["inside"], measures=2)


@pytest.fixture
def due(cast, point, officer, clock):
    """An instance of a daily task, open now (10-09 00:00 – 10-10 00:00)."""
    task(point, officer, starts_at=at(2026, 10, 9), investigation_type=InvestigationType.PROFESSIONAL)
    generation.generate_instances()
    return TaskInstance.objects.order_by("due_from").first()


def _checks(instance, failing=()):
    return [{"measure": m.pk, "outcome": "not_ok" if m.pk in failing else "ok", "note": "液位计失灵"}
            for m in instance.task.measures.order_by("pk")]


def _complete(client, instance, checks, photos=None):
    body = {"checks": json.dumps(checks)}
    for measure_id, files in (photos or {}).items():
        body[f"photos_{measure_id}"] = files
    return client.post(reverse("task-instance-complete", kwargs={"pk": instance.pk}), body, format="multipart")


# --- setting up --------------------------------------------------------------------------------------------


def test_enterprise_user_sets_up_a_task_and_its_instances_exist_at_once(cast, point, officer, clock):
    client = api_as(officer)
    measure = ControlMeasure.objects.filter(hazard_source__risk_point=point).first()
    response = client.post(reverse("investigation-task-list"), {
        "risk_point": point.pk, "measures": [measure.pk], "cycle": 4, "cycle_unit": "hour",
        "work_start": "08:00", "work_end": "16:00", "starts_at": "2026-10-09T09:00:00+08:00",
        "work_day_type": WorkDayType.WORKING_DAYS, "assignee": officer.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["measures"][0]["id"] == measure.pk and body["assignee"] == str(officer)
    # 10-09 12:00 (the 08:00 slot is before the start) and 10-10 08:00, 12:00 (a make-up working Saturday).
    assert TaskInstance.objects.filter(task_id=body["id"]).count() == 3
    assert AuditEvent.objects.filter(verb="risk-task.create").count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"cycle_unit": "hour"}, "work_start"),
    ({"starts_at": "2026-10-01T08:00:00+08:00"}, "starts_at"),
    ({"post": ""}, "post"),
    ({"cycle": 0}, "cycle"),
])
def test_bad_set_up_is_refused_naming_the_field_and_creates_nothing(cast, point, officer, clock, change, field):
    body = {"risk_point": point.pk, "all_measures": True, "cycle": 1, "cycle_unit": "day",
            "starts_at": "2026-10-09T09:00:00+08:00", "post": "巡检岗", **change}
    response = api_as(officer).post(reverse("investigation-task-list"), body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not InvestigationTask.objects.exists() and not TaskInstance.objects.exists()


def test_a_person_of_another_enterprise_or_a_point_out_of_scope_is_refused(cast, point, officer, clock):
    stranger = UserFactory(username="stranger")
    member(stranger, "enterprise_user", enterprise=cast["outside"])
    client = api_as(officer)
    body = {"risk_point": point.pk, "all_measures": True, "cycle": 1, "cycle_unit": "day",
            "starts_at": "2026-10-09T09:00:00+08:00", "assignee": stranger.pk}
    assert "assignee" in client.post(reverse("investigation-task-list"), body, format="json").json()
    other = risk_point(cast["outside"], code="RP-9")
    response = client.post(reverse("investigation-task-list"), {**body, "risk_point": other.pk, "assignee": None,
                                                                "post": "岗"}, format="json")
    assert response.status_code == 400 and "risk_point" in response.json()
    assert not InvestigationTask.objects.exists()
    # An officer reads tasks but does not set them up.
    response = api_as(cast["users"]["township_officer"]).post(
        reverse("investigation-task-list"), {**body, "assignee": None, "post": "岗"}, format="json")
    assert response.status_code == 403


def test_a_default_frequency_gives_the_type_and_cycle(cast, point, officer, clock):
    response = api_as(officer).post(reverse("investigation-task-list"), {
        "risk_point": point.pk, "all_measures": True, "default": "enterprise-seasonal-quarterly",
        "starts_at": "2026-10-09T09:00:00+08:00", "post": "安全科"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["investigation_type"], body["cycle"], body["cycle_unit"]) == ("seasonal", 3, "month")


def test_whole_list_makes_one_task_per_point_and_skips_those_that_have_one(cast, point, officer, clock):
    second = risk_point(cast["inside"], code="RP-2", name="装卸区")
    risk_point(cast["inside"], code="RP-3", name="空点", measures=0)
    task(point, officer, starts_at=at(2026, 10, 9))
    response = api_as(officer).post(reverse("investigation-task-generate-for-list"), {
        "enterprise": cast["inside"].pk, "default": "unit-monthly", "starts_at": "2026-10-09T10:00:00+08:00"},
        format="json")
    assert response.status_code == 201
    assert response.json() == {"created": 1, "skipped": 1, "without_measures": 1}
    made = InvestigationTask.objects.get(risk_point=second)
    assert (made.cycle, made.cycle_unit, made.investigation_type, made.post) == (1, CycleUnit.MONTH, "routine",
                                                                                 "储运车间")
    assert made.measures.count() == 2 and made.instances.count() == 1


def test_default_frequencies_are_seeded_with_their_basis(db):
    hourly = TaskFrequencyDefault.objects.get(key="operator-patrol-1h")
    assert (hourly.cycle, hourly.cycle_unit) == (1, "hour") and "78号" in hourly.basis and "[P]" in hourly.basis
    assert TaskFrequencyDefault.objects.get(key="mhi-technical-quarterly").cycle == 3


# --- doing an instance ------------------------------------------------------------------------------------


def test_a_failed_check_becomes_exactly_one_hazard_bound_to_its_measure(cast, due, officer):
    failing = due.task.measures.order_by("pk").first()
    response = _complete(api_as(officer), due, _checks(due, failing=[failing.pk]),
                         photos={failing.pk: [photo("a.jpg"), photo("b.jpg")]})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == InstanceState.DONE
    hazard = Hazard.objects.get()
    check = TaskCheck.objects.get(measure=failing)
    assert check.hazard == hazard and check.outcome == "not_ok"
    assert hazard.source == HazardSource.MEASURE_FAILED
    assert hazard.investigation_type == InvestigationType.PROFESSIONAL
    assert hazard.category == HazardCategory.THINGS and failing.description in hazard.description
    assert "液位计失灵" in hazard.description and hazard.enterprise == cast["inside"]
    # The check's photos are the hazard's before-photos: the same stored files.
    assert sorted(p.image.name for p in HazardPhoto.objects.filter(hazard=hazard)) == sorted(
        p.image.name for p in TaskCheckPhoto.objects.filter(task_check=check))
    assert TaskCheck.objects.filter(hazard__isnull=True).count() == 1
    total = TaskDailyTotal.objects.get(day=date(2026, 10, 9))
    assert (total.due, total.done, total.missed, total.last_done_at) == (1, 1, 0, NOW)
    # Completing twice is refused and changes nothing.
    again = _complete(api_as(officer), due, _checks(due))
    assert again.status_code == 409
    assert Hazard.objects.count() == 1 and TaskCheck.objects.count() == 2


def test_not_ok_without_a_photo_is_refused_and_nothing_is_saved(due, officer):
    failing = due.task.measures.order_by("pk").first()
    response = _complete(api_as(officer), due, _checks(due, failing=[failing.pk]))
    assert response.status_code == 400 and f"checks.{failing.pk}" in response.json()
    due.refresh_from_db()
    assert due.state == InstanceState.DUE
    assert not TaskCheck.objects.exists() and not Hazard.objects.exists()


def test_every_measure_needs_a_result(due, officer):
    response = _complete(api_as(officer), due, _checks(due)[:1])
    assert response.status_code == 400 and "checks" in response.json()


def test_a_failure_after_the_hazard_leaves_nothing_behind(due, officer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(generation, "add_to_totals", broken)
    failing = due.task.measures.order_by("pk").first()
    with pytest.raises(RuntimeError):
        _complete(api_as(officer), due, _checks(due, failing=[failing.pk]), photos={failing.pk: [photo()]})
    due.refresh_from_db()
    assert due.state == InstanceState.DUE
    assert not Hazard.objects.exists() and not TaskCheck.objects.exists() and not TaskCheckPhoto.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=["hazard.report", "risk-task.complete"]).exists()


def test_a_closed_window_and_someone_elses_instance_are_refused(cast, point, officer, clock):
    colleague = UserFactory(username="colleague")
    member(colleague, "enterprise_user", enterprise=cast["inside"])
    task(point, officer, starts_at=at(2026, 10, 9), assignee=colleague)
    generation.generate_instances()
    instance = TaskInstance.objects.order_by("due_from").first()
    assert _complete(api_as(officer), instance, _checks(instance)).status_code == 403
    with time_machine.travel(at(2026, 10, 10, 0, 1), tick=False):
        assert _complete(api_as(colleague), instance, _checks(instance)).status_code == 409
    tomorrow = TaskInstance.objects.order_by("due_from").last()
    assert _complete(api_as(colleague), tomorrow, _checks(tomorrow)).status_code == 409
    # Another enterprise's instance does not exist for the officer.
    other = risk_point(cast["outside"], code="RP-9")
    task(other, officer, starts_at=at(2026, 10, 9))
    generation.generate_instances()
    foreign = TaskInstance.objects.filter(enterprise=cast["outside"]).first()
    assert _complete(api_as(officer), foreign, _checks(foreign)).status_code == 404


# --- to-dos and pages -------------------------------------------------------------------------------------


def test_todos_list_todays_investigations_and_recent_missed_ones(cast, due, officer):
    provider = todo_providers.providers["risk-instances-due"]
    assert provider.shown_to(officer) and not provider.shown_to(cast["users"]["township_officer"])
    assert provider.count(officer) == 1
    [item] = provider.items(officer, 5)
    assert item.url == reverse("risks:instance", kwargs={"pk": due.pk}) and not item.overdue
    with time_machine.travel(at(2026, 10, 10, 9), tick=False):
        generation.mark_missed()
        assert todo_providers.providers["risk-instances-missed"].count(officer) == 1
        assert provider.count(officer) == 1  # 10-10's own instance


def test_the_phone_pages_do_an_investigation_with_a_photo(cast, due, officer, client,
                                                          django_assert_max_num_queries):
    client.force_login(officer)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("risks:my-tasks"))
    assert page.status_code == 200 and due.task.title in page.content.decode()
    url = reverse("risks:instance", kwargs={"pk": due.pk})
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.status_code == 200 and "检查液位计读数1" in page.content.decode()
    first, second = due.task.measures.order_by("pk")
    refused = client.post(url, {f"outcome_{first.pk}": "not_ok", f"outcome_{second.pk}": "ok"})
    assert refused.status_code == 400 and not Hazard.objects.exists()
    done = client.post(url, {f"outcome_{first.pk}": "not_ok", f"note_{first.pk}": "读数不准",
                             f"photos_{first.pk}": photo(), f"outcome_{second.pk}": "ok"})
    assert done.status_code == 302
    hazard = Hazard.objects.get()
    page = client.get(url).content.decode()
    assert reverse("hazards:detail", kwargs={"pk": hazard.pk}) in page
    hazard_page = client.get(reverse("hazards:detail", kwargs={"pk": hazard.pk})).content.decode()
    assert "管控措施失效" in hazard_page and url in hazard_page
    again = client.post(url, {f"outcome_{first.pk}": "ok", f"outcome_{second.pk}": "ok"})
    assert again.status_code == 409 and Hazard.objects.count() == 1


def test_task_pages_set_up_and_stop_a_task(cast, point, officer, client, clock, django_assert_max_num_queries):
    client.force_login(officer)
    assert client.get(reverse("risks:tasks")).status_code == 200
    url = reverse("risks:task-create") + f"?point={point.pk}"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"all_measures": "on", "cycle_unit": "day", "work_day_type": "0",
                            "starts_at": "2026-10-09T09:00", "post": "巡检岗"})
    assert bad.status_code == 400 and "默认频次" in bad.content.decode()
    made = client.post(url, {"all_measures": "on", "default": TaskFrequencyDefault.objects.get(
        key="unit-monthly").pk, "cycle_unit": "day", "work_day_type": "0", "starts_at": "2026-10-09T09:00",
        "post": "巡检岗", "investigation_type": "routine"})
    assert made.status_code == 302
    created = InvestigationTask.objects.get()
    assert (created.cycle, created.cycle_unit) == (1, "month")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("risks:task", kwargs={"pk": created.pk})).status_code == 200
    assert client.post(reverse("risks:task-stop", kwargs={"pk": created.pk})).status_code == 302
    created.refresh_from_db()
    assert not created.is_active
    whole = client.post(reverse("risks:task-whole-list"), {
        "enterprise": cast["inside"].pk, "default": TaskFrequencyDefault.objects.get(key="unit-monthly").pk,
        "work_day_type": "0", "starts_at": "2026-10-09T10:00", "post": ""}, follow=True)
    assert "1" in whole.content.decode() and InvestigationTask.objects.filter(is_active=True).count() == 1


def test_hour_task_needs_working_hours_on_the_page(cast, point, officer, client, clock):
    client.force_login(officer)
    url = reverse("risks:task-create") + f"?point={point.pk}"
    response = client.post(url, {"all_measures": "on", "cycle": "2", "cycle_unit": "hour", "work_day_type": "0",
                                 "starts_at": "2026-10-09T09:00", "post": "巡检岗", "investigation_type": "routine"})
    assert response.status_code == 400 and not InvestigationTask.objects.exists()


def test_api_lists_answer_in_a_fixed_number_of_queries(cast, point, officer, clock, django_assert_max_num_queries):
    for n in range(3):
        task(risk_point(cast["inside"], code=f"RP-Q{n}"), officer, starts_at=at(2026, 10, 9), cycle=2,
             unit=CycleUnit.HOUR, work=(time(8), time(18)))
    generation.generate_instances()
    client = api_as(officer)
    with django_assert_max_num_queries(12):
        tasks = client.get(reverse("investigation-task-list")).json()
    assert tasks["count"] == 3 and len(tasks["results"][0]["measures"]) == 2
    with django_assert_max_num_queries(12):
        instances = client.get(reverse("task-instance-list") + "?state=due&mine=true").json()
    assert instances["count"] == 3 * 10
    with django_assert_max_num_queries(12):
        detail = client.get(reverse("task-instance-detail", kwargs={"pk": instances["results"][0]["id"]})).json()
    assert len(detail["measures"]) == 2 and detail["checks"] == []
    # An officer of the township reads them; nobody outside sees them.
    assert api_as(cast["users"]["township_officer"]).get(reverse("task-instance-list")).json()["count"] == 30
    assert api_as(cast["users"]["department_officer"]).get(reverse("task-instance-list")).json()["count"] == 0


def test_the_task_list_reads_in_a_fixed_number_of_queries(cast, officer, client, clock,
                                                          django_assert_max_num_queries):
    for n in range(6):
        task(risk_point(cast["inside"], code=f"RP-L{n}", name=f"列表点{n}"), officer, starts_at=at(2026, 10, 9),
             assignee=officer)
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("risks:tasks"))
    assert page.status_code == 200 and page.content.decode().count("列表点") >= 12  # the list and the picker
    with django_assert_max_num_queries(20):
        assert client.get(reverse("risks:tasks") + "?active=false").status_code == 200
