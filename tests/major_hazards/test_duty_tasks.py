"""The responsible persons' duties as investigation tasks of the risks engine (issue 11): appointing opens one
task per duty item, a successor ends them, the bureau's edits of an item reach its open tasks; a duty is done
as any task instance (the phone page and the API), not OK reporting exactly one hazard bound to its record;
the nightly run adds an instance before a public holiday unless the duty was done within that window; the
bureau's overdue duties are the missed or late instances of the active duty tasks."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from shouye.hazards.choices import HazardCategory, HazardSource, InvestigationType
from shouye.hazards.models import Hazard
from shouye.major_hazards import selectors, services
from shouye.major_hazards.choices import PersonRole
from shouye.major_hazards.models import DutyItem, DutyTask
from shouye.risks import generation
from shouye.risks.choices import CycleUnit, InstanceState, TaskWorkType
from shouye.risks.models import InvestigationTask, TaskCheck, TaskInstance
from tests.conftest import api_as
from tests.risks.tasks_fixtures import at, photo, risk_point, task

from .conftest import appoint_all, make_installation, snapshot

pytestmark = pytest.mark.django_db


def appoint(owner, installation, role=PersonRole.TECHNICAL, on=None, user=None, name="张工"):
    return services.appoint_person(actor=owner, installation=installation, role=role, name=name, post="技术副总",
                                   phone="13800000001", appointed_on=on or timezone.localdate(), user=user)


def duty_task(person, number) -> InvestigationTask:
    return InvestigationTask.objects.get(duty__person=person, task_number=number, is_active=True)


def test_appointing_opens_one_task_per_duty_item_for_the_linked_account(owner, installation):
    on = timezone.localdate() - timedelta(days=3)
    person = appoint(owner, installation, on=on, user=owner)
    tasks = InvestigationTask.objects.filter(duty__person=person).order_by("task_number")
    assert [t.task_number for t in tasks] == list(range(1, 10))
    item = DutyItem.objects.get(role="technical", number=5)
    fifth = tasks.get(task_number=5)
    assert (fifth.title, fifth.work_type, fifth.cycle, fifth.cycle_unit) == (item.text, TaskWorkType.TECHNICAL, 90,
                                                                             CycleUnit.DAY)
    assert fifth.before_key_periods and not tasks.get(task_number=1).before_key_periods
    assert fifth.investigation_type == InvestigationType.ROUTINE and fifth.risk_point is None
    assert (fifth.assignee, fifth.post, fifth.enterprise_id) == (owner, "技术副总", installation.enterprise_id)
    assert generation.local_date(fifth.starts_at) == on and fifth.is_active and not fifth.measures.exists()
    # its first 90-day window is open at once, assigned to the account
    [instance] = fifth.instances.all()
    assert instance.assignee == owner and instance.state == InstanceState.DUE
    assert instance.due_from == generation.local_midnight(on)


def test_a_successor_ends_the_tasks_of_the_person_replaced(owner, installation):
    first = appoint(owner, installation, on=timezone.localdate() - timedelta(days=20))
    second = appoint(owner, installation, name="李工")
    old = InvestigationTask.objects.filter(duty__person=first)
    assert old.count() == 9 and not old.filter(is_active=True).exists()
    assert set(old.values_list("ends_on", flat=True)) == {timezone.localdate()}
    assert InvestigationTask.objects.filter(duty__person=second, is_active=True).count() == 9


def test_a_duty_task_is_not_stopped_on_its_own(owner, installation):
    """It ends with its appointment: the engine's stop refuses it (409) and its page offers no stop."""
    person = appoint(owner, installation)
    fifth = duty_task(person, 5)
    client = api_as(owner)
    assert client.post(f"/api/v1/investigation-tasks/{fifth.pk}/stop/").status_code == 409
    fifth.refresh_from_db()
    assert fifth.is_active
    from django.test import Client

    browser = Client()
    browser.force_login(owner)
    page = browser.get(reverse("risks:task", args=[fifth.pk])).content.decode()
    assert 'data-testid="task-work-type"' in page and reverse("risks:task-stop", args=[fifth.pk]) not in page


def test_cancelling_the_installation_ends_its_duty_tasks(owner, installation):
    appoint_all(owner, installation)
    services.cancel_installation(actor=owner, installation=installation, reason="停用")
    assert not InvestigationTask.objects.filter(duty__person__installation=installation, is_active=True).exists()


def test_the_bureau_edits_an_item_and_its_open_tasks_follow(cast, owner, installation):
    admin = cast["users"]["bureau_admin"]
    person = appoint(owner, installation, role=PersonRole.OPERATIONAL)
    item = DutyItem.objects.get(role="operational", number=2)
    services.update_duty_item(actor=admin, item=item, text="每周检查罐区液位计", frequency_days=14,
                              before_key_periods=True, active=True)
    changed = duty_task(person, 2)
    assert (changed.title, changed.cycle, changed.before_key_periods) == ("每周检查罐区液位计", 14, True)
    services.update_duty_item(actor=admin, item=item, text=item.text, frequency_days=14, before_key_periods=True,
                              active=False)
    assert not InvestigationTask.objects.filter(duty__item=item, is_active=True).exists()
    services.update_duty_item(actor=admin, item=item, text=item.text, frequency_days=14, before_key_periods=True,
                              active=True)
    reopened = duty_task(person, 2)
    assert reopened.pk != changed.pk and DutyTask.objects.filter(person=person, item=item).count() == 2


# --- doing a duty ------------------------------------------------------------------------------------------------


@pytest.fixture
def duty(owner, installation):
    """The open instance of the technical person's first duty (the owner's account)."""
    person = appoint(owner, installation, user=owner)
    return duty_task(person, 1).instances.get()


def test_a_duty_is_done_on_the_phone_page_with_a_photo(client, owner, duty):
    client.force_login(owner)
    url = reverse("risks:instance", args=[duty.pk])
    page = client.get(url).content.decode()
    assert duty.task.title in page and 'data-testid="measure-duty"' in page
    response = client.post(url, {"outcome_duty": "ok", "note_duty": "", "photos_duty": [photo()]})
    assert response.status_code == 302
    duty.refresh_from_db()
    check = TaskCheck.objects.get(instance=duty)
    assert duty.state == InstanceState.DONE and check.measure is None and check.outcome == "ok"
    assert check.photos.count() == 1 and check.hazard is None
    assert client.post(url, {"outcome_duty": "ok"}).status_code == 409


def test_a_duty_not_ok_reports_one_hazard_bound_to_its_record(owner, duty):
    client = api_as(owner)
    url = f"/api/v1/task-instances/{duty.pk}/complete/"
    before = snapshot()
    response = client.post(url, {"checks": [{"measure": None, "outcome": "not_ok", "note": ""}]}, format="json")
    assert response.status_code == 400 and "checks.duty" in response.json()
    assert snapshot() == before and not Hazard.objects.exists()
    response = client.post(url, {"checks": json.dumps([{"measure": None, "outcome": "not_ok",
                                                         "note": "监测报警系统未接入预警平台"}]),
                                 "photos_duty": [photo()]}, format="multipart")
    assert response.status_code == 200, response.json()
    [record] = response.json()["checks"]
    hazard = Hazard.objects.get()
    assert record["measure"] is None and record["hazard"] == hazard.pk and len(record["photos"]) == 1
    assert hazard.source == HazardSource.MEASURE_FAILED and hazard.category == HazardCategory.MANAGEMENT
    assert duty.task.title in hazard.description and "监测报警系统未接入预警平台" in hazard.description
    assert hazard.photos.count() == 1
    response = client.post(url, {"checks": [{"measure": None, "outcome": "not_ok", "note": "再次"}]},
                           format="json")
    assert response.status_code == 409 and Hazard.objects.count() == 1


def test_a_duty_takes_one_result_without_a_measure(owner, duty, cast):
    point = risk_point(cast["inside"], measures=1)
    measure = point.hazard_sources.get().measures.get()
    client = api_as(owner)
    url = f"/api/v1/task-instances/{duty.pk}/complete/"
    for checks in ([], [{"measure": measure.pk, "outcome": "ok"}],
                   [{"measure": None, "outcome": "ok"}, {"measure": None, "outcome": "ok"}]):
        assert client.post(url, {"checks": checks}, format="json").status_code == 400
    assert not TaskCheck.objects.exists()


def test_the_installation_page_shows_each_duty_with_last_done_next_due_and_missed(client, cast, owner, installation,
                                                                                  django_assert_max_num_queries):
    person = appoint(owner, installation, role=PersonRole.OPERATIONAL, user=owner,
                     on=timezone.localdate() - timedelta(days=15))
    generation.mark_missed()
    first = duty_task(person, 1)
    open_instance = first.instances.get(state=InstanceState.DUE)
    with time_machine.travel(open_instance.due_from + timedelta(hours=10), tick=False):
        api_as(owner).post(f"/api/v1/task-instances/{open_instance.pk}/complete/",
                           {"checks": [{"measure": None, "outcome": "ok"}]}, format="json")
    client.force_login(cast["users"]["township_officer"])
    url = reverse("major_hazards:detail", args=[installation.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        page = client.get(url).content.decode()
    rows = selectors.duty_tasks(cast["users"]["township_officer"], installation)
    assert len(rows) == 10 and rows[0].missed == 2 and rows[0].last_done is not None
    assert rows[1].missed == 2 and rows[1].last_done is None and rows[1].open_instance is not None
    assert page.count('data-testid="mhi-duty"') == 10 and 'data-testid="mhi-overdue-count">' in page
    appoint(owner, installation, role=PersonRole.PRINCIPAL, user=owner, on=timezone.localdate() - timedelta(days=200))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="mhi-duty"') == 19


# --- overdue -------------------------------------------------------------------------------------------------


def test_overdue_duties_are_missed_or_late_instances_of_active_duty_tasks(cast, owner, installation):
    staff = cast["users"]["bureau_staff"]
    person = appoint(owner, installation, role=PersonRole.OPERATIONAL, on=timezone.localdate() - timedelta(days=8))
    # a routine task's missed instance is not a duty
    routine = task(risk_point(cast["inside"]), owner, starts_at=generation.local_midnight(
        timezone.localdate() - timedelta(days=3)))
    generation.generate_instances(tasks=InvestigationTask.objects.filter(pk=routine.pk))
    assert selectors.overdue_duty_count(staff) == 10  # the first weekly window closed, still due
    generation.mark_missed()
    assert TaskInstance.objects.filter(task=routine, state=InstanceState.MISSED).count() == 3
    assert selectors.overdue_duty_count(staff) == 10  # now recorded missed
    assert selectors.overdue_duty_count(cast["users"]["department_officer"]) == 0
    [late] = selectors.most_overdue_duties(staff, 1)
    assert late.task.duty.person == person
    appoint(owner, installation, role=PersonRole.OPERATIONAL, name="接任者")
    assert selectors.overdue_duty_count(staff) == 0


# --- before public holidays ----------------------------------------------------------------------------------


def test_an_instance_before_a_public_holiday_unless_done_within_its_window(owner, cast, settings):
    """应急厅〔2021〕12号 Art. 5(5): the technical person's investigation before holidays. National Day 2026
    starts on 1 October (work calendar); the window is the SHOUYE_MHI_PRE_HOLIDAY_DAYS (7) days before."""
    settings.SHOUYE_MHI_PRE_HOLIDAY_DAYS = 7
    item = DutyItem.objects.get(role="technical", number=5)
    item.frequency_days = 5
    item.save()
    with time_machine.travel(at(2026, 9, 20, 9), tick=False):
        idle = appoint(owner, make_installation(owner, cast["inside"], name="甲"), user=owner, on=date(2026, 9, 20))
        busy = appoint(owner, make_installation(owner, cast["inside"], name="乙"), user=owner, on=date(2026, 9, 20))
    assert date(2026, 10, 1) in [p.start for p in generation.holiday_periods(date(2026, 9, 26), date(2026, 10, 5))]
    with time_machine.travel(at(2026, 9, 24, 10), tick=False):
        first = duty_task(busy, 5).instances.get(due_from=at(2026, 9, 20))
        api_as(owner).post(f"/api/v1/task-instances/{first.pk}/complete/",
                           {"checks": [{"measure": None, "outcome": "ok"}]}, format="json")
        generation.generate_instances()
        generation.generate_instances()  # idempotent
    before_holiday = TaskInstance.objects.filter(due_from=at(2026, 9, 24), due_by=at(2026, 10, 1))
    assert [i.task.duty.person for i in before_holiday] == [idle]
    assert not before_holiday.filter(task__task_number=1).exists()
    assert TaskInstance.objects.filter(task=duty_task(busy, 5), due_by=at(2026, 10, 1)).count() == 0


def test_the_pre_holiday_instance_is_created_the_night_before_its_window_opens(owner, installation, settings):
    settings.SHOUYE_MHI_PRE_HOLIDAY_DAYS = 3
    with time_machine.travel(at(2026, 9, 1, 9), tick=False):
        person = appoint(owner, installation, on=date(2026, 9, 1))
    fifth = duty_task(person, 5)
    with time_machine.travel(at(2026, 9, 26, 0, 20), tick=False):
        generation.generate_instances()
        assert not fifth.instances.filter(due_by=at(2026, 10, 1)).exists()
    with time_machine.travel(at(2026, 9, 27, 0, 20), tick=False):
        generation.generate_instances()
        [instance] = fifth.instances.filter(due_by=at(2026, 10, 1))
    assert instance.due_from == at(2026, 9, 28) and instance.state == InstanceState.DUE
    with time_machine.travel(at(2026, 10, 1, 0, 20), tick=False):
        generation.mark_missed()
    instance.refresh_from_db()
    assert instance.state == InstanceState.MISSED


# --- the records kept before ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_duty_records_become_done_instances_nothing_lost(cast, owner):
    """Migration 0004: each record a done instance of its person's task with one record without a measure and
    its photos; two records in one window each keep an instance; a replaced person's records are kept on
    ended tasks; the daily totals count them."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from shouye.risks.models import TaskCheckPhoto, TaskDailyTotal

    before, latest = ("major_hazards", "0003_duty_tasks"), ("major_hazards", "0005_remove_duty_records")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    today = timezone.localdate()
    try:
        old = executor.loader.project_state([before]).apps
        Installation, Person, Item, Record, Photo = (old.get_model("major_hazards", name) for name in (
            "MajorHazardInstallation", "ResponsiblePerson", "DutyItem", "DutyRecord", "DutyPhoto"))
        enterprise = cast["inside"]
        installation = Installation.objects.create(
            enterprise_id=enterprise.pk, township_id=enterprise.township_id, industry_id=enterprise.industry_id,
            name="旧罐区", kind="tank_farm", state="filed")
        gone = Person.objects.create(installation=installation, role="technical", name="前任", post="x",
                                     phone="13800000000", appointed_on=today - timedelta(days=300),
                                     ended_on=today - timedelta(days=100))
        current = Person.objects.create(installation=installation, role="technical", name="现任", post="总工",
                                        phone="13800000001", appointed_on=today - timedelta(days=100),
                                        user_id=owner.pk)
        # The migrations' reference rows, made again when an earlier transactional test flushed them.
        first, second = (Item.objects.get_or_create(role="technical", number=n, defaults={
            "text": f"技术负责人职责{n}", "frequency_days": 90})[0] for n in (1, 2))
        technical_items = Item.objects.filter(role="technical").count()

        def record(person, item, days_ago, result="ok", note=""):
            return Record.objects.create(person=person, item=item, result=result, note=note,
                                         recorded_by_id=owner.pk,
                                         done_at=timezone.now() - timedelta(days=days_ago))

        record(gone, first, 250)
        record(current, first, 95)
        record(current, first, 94, result="not_ok", note="液位计失灵")  # the same 90-day window
        with_photo = record(current, second, 5)
        Photo.objects.create(record=with_photo, image="major_hazards/2026/11/a.jpg",
                             thumbnail="major_hazards/2026/11/a-thumb.jpg", uploaded_by_id=owner.pk)
        executor = MigrationExecutor(connection)
        executor.migrate([latest])
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    done = TaskInstance.objects.filter(state=InstanceState.DONE)
    assert done.count() == 4 and TaskCheck.objects.filter(measure__isnull=True).count() == 4
    ended = InvestigationTask.objects.get(duty__person__name="前任")
    assert not ended.is_active and ended.ends_on == today - timedelta(days=100) and ended.instances.count() == 1
    active = InvestigationTask.objects.filter(duty__person__name="现任", is_active=True)
    assert active.count() == technical_items and set(active.values_list("assignee", flat=True)) == {owner.pk}
    same_window = done.filter(task__duty__person__name="现任", task__task_number=1).order_by("due_from")
    assert same_window.count() == 2 and same_window[0].due_by == same_window[1].due_by
    assert [i.checks.get().outcome for i in same_window] == ["ok", "not_ok"]
    assert same_window[1].checks.get().note == "液位计失灵"
    assert TaskCheckPhoto.objects.get().image.name == "major_hazards/2026/11/a.jpg"
    assert sum(TaskDailyTotal.objects.values_list("done", flat=True)) == 4


def test_an_instance_before_a_special_period_of_the_enterprise_only(cast, owner, installation, xiaoli, settings):
    """重大活动、重点时段 are the bureau's declared special periods: the duty is due before those that apply to
    the enterprise (its township and industry), not before another township's."""
    from shouye.workcalendar.models import SpecialPeriod

    settings.SHOUYE_MHI_PRE_HOLIDAY_DAYS = 7
    staff = cast["users"]["bureau_staff"]
    ours = SpecialPeriod.objects.create(name="重大活动保障", kind="major_event", starts_on=date(2026, 11, 16),
                                        ends_on=date(2026, 11, 18), created_by=staff)
    ours.townships.set([cast["inside"].township])
    theirs = SpecialPeriod.objects.create(name="孝里街道活动", kind="major_event", starts_on=date(2026, 11, 19),
                                          ends_on=date(2026, 11, 20), created_by=staff)
    theirs.townships.set([xiaoli])
    with time_machine.travel(at(2026, 11, 1, 9), tick=False):
        person = appoint(owner, installation, on=date(2026, 11, 1))
    fifth = duty_task(person, 5)
    with time_machine.travel(at(2026, 11, 12, 0, 20), tick=False):
        generation.generate_instances()
    windows = list(fifth.instances.order_by("due_from").values_list("due_from", "due_by"))
    assert windows == [(at(2026, 11, 1), at(2027, 1, 30)), (at(2026, 11, 9), at(2026, 11, 16))]
    assert not duty_task(person, 1).instances.filter(due_by=at(2026, 11, 16)).exists()
