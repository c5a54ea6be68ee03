"""Tasks to townships and departments with their acknowledgement (签收) and completion (办结), and the extension
of the investigation report (493号令 Art. 29): services, API, pages, refusals that change nothing, the to-do."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouye.accounts.models import Organisation
from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.core.views import todo_cards
from shouye.incidents import assignments, investigation, services
from shouye.incidents.models import IncidentTask, TimelineEntry
from shouye.notifications.models import Notification
from tests.conftest import api_as

from .conftest import NOW, SHANGHAI

pytestmark = pytest.mark.django_db


@pytest.fixture
def health():
    return Organisation.objects.get(name="区卫生健康局")


@pytest.fixture
def construction():
    return Organisation.objects.get(name="区住房和城乡建设局")


def give(staff, accident, **unit):
    return assignments.assign_task(actor=staff, incident=accident, text="组织群众疏散",
                                   due_at=NOW + timedelta(hours=2), **unit)


def test_a_task_to_the_township_is_notified_acknowledged_and_done(cast, staff, accident, mashan,
                                                                   django_capture_on_commit_callbacks):
    officer = cast["users"]["township_officer"]
    with django_capture_on_commit_callbacks(execute=True):
        task = give(staff, accident, township=mashan)
    assert task.state == "assigned" and task.assigned_by == staff
    assert Notification.objects.filter(recipient=officer, verb="incident.task").exists()
    assignments.acknowledge_task(actor=officer, task=task)
    done = assignments.complete_task(actor=officer, task=task, note="已疏散32人")
    assert done.state == "done" and done.acknowledged_by == officer and done.done_note == "已疏散32人"
    entries = list(TimelineEntry.objects.filter(incident=accident, kind="task").values_list("text", flat=True))
    assert len(entries) == 3 and any("已疏散32人" in text for text in entries)
    verbs = set(AuditEvent.objects.filter(verb__startswith="incident.task").values_list("verb", flat=True))
    assert verbs == {"incident.task-assign", "incident.task-acknowledge", "incident.task-complete"}


@pytest.mark.parametrize("unit, field", [("none", "township"), ("both", "township"), ("level", "township"),
                                         ("bureau", "department")])
def test_a_task_names_exactly_one_township_or_department(staff, accident, mashan, health, unit, field):
    units = {"none": {}, "both": {"township": mashan, "department": health},
             "level": {"township": mashan.parent},
             "bureau": {"department": Organisation.objects.get(kind="bureau")}}[unit]
    with pytest.raises(ValidationError) as refused:
        give(staff, accident, **units)
    assert field in refused.value.message_dict
    assert not IncidentTask.objects.exists() and not TimelineEntry.objects.filter(kind="task").exists()


def test_a_task_due_in_the_past_or_by_a_reader_or_on_a_closed_incident_is_refused(cast, staff, accident, mashan):
    with pytest.raises(ValidationError) as refused:
        assignments.assign_task(actor=staff, incident=accident, text="x", due_at=NOW - timedelta(minutes=1),
                                township=mashan)
    assert "due_at" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        give(cast["users"]["township_officer"], accident, township=mashan)
    services.close_incident(actor=staff, incident=accident, summary="完毕")
    with pytest.raises(InvalidTransition):
        give(staff, accident, township=mashan)
    assert not IncidentTask.objects.exists()


def test_only_the_units_officer_or_the_duty_staff_answer_and_in_order(cast, staff, accident, mashan, health):
    task = give(staff, accident, department=health)
    with pytest.raises(PermissionDenied):
        assignments.acknowledge_task(actor=cast["users"]["township_officer"], task=task)
    with pytest.raises(InvalidTransition):
        assignments.complete_task(actor=staff, task=task, note="完成")
    assignments.acknowledge_task(actor=staff, task=task)  # taken by phone
    with pytest.raises(InvalidTransition):
        assignments.acknowledge_task(actor=staff, task=task)
    with pytest.raises(ValidationError):
        assignments.complete_task(actor=staff, task=task, note="  ")
    task.refresh_from_db()
    assert task.state == "acknowledged" and task.done_at is None


def test_a_department_sees_and_answers_its_task_outside_its_industry(cast, staff, accident, construction):
    """The accident is at a chemicals enterprise the construction bureau does not supervise: the bureau sees
    the task given to it (to-do, task page, API) but not the incident itself."""
    officer = cast["users"]["department_officer"]
    task = give(staff, accident, department=construction)
    client = api_as(officer)
    assert client.get(reverse("incident-detail", kwargs={"pk": accident.pk})).status_code == 404
    assert [row["id"] for row in client.get(reverse("incident-task-list"), {"mine": "true"}).json()["results"]] \
        == [task.pk]
    card = next(c for c in todo_cards(officer) if c.provider.key == "incident-tasks")
    assert card.count == 1 and card.items[0].url == reverse("incidents:task", kwargs={"pk": task.pk})
    answer = client.post(reverse("incident-task-acknowledge", kwargs={"pk": task.pk}), {}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == "acknowledged"
    answer = client.post(reverse("incident-task-complete", kwargs={"pk": task.pk}), {"note": "已排查"},
                         format="json")
    assert answer.json()["state"] == "done" and answer.json()["done_note"] == "已排查"
    assert next(c for c in todo_cards(officer) if c.provider.key == "incident-tasks").count == 0


def test_the_api_assigns_and_refuses_as_documented(cast, staff, accident, mashan):
    url = reverse("incident-assign-task", kwargs={"pk": accident.pk})
    good = {"text": "设置警戒", "township": mashan.code, "due_at": (NOW + timedelta(hours=1)).isoformat()}
    answer = api_as(staff).post(url, good, format="json")
    assert answer.status_code == 200, answer.content
    assert [t["unit"] for t in answer.json()["tasks"]] == [mashan.name]
    assert api_as(cast["users"]["township_officer"]).post(url, good, format="json").status_code == 403
    assert api_as(staff).post(url, {**good, "township": None}, format="json").status_code == 400
    outside = api_as(cast["users"]["township_officer"])
    task = IncidentTask.objects.get()
    other = cast["users"]["department_officer"]
    assert api_as(other).post(reverse("incident-task-acknowledge", kwargs={"pk": task.pk}), {},
                              format="json").status_code == 404
    assert outside.post(reverse("incident-task-complete", kwargs={"pk": task.pk}), {"note": "x"},
                        format="json").status_code == 409
    assert IncidentTask.objects.get().state == "assigned"


def test_the_incident_page_shows_who_has_not_acknowledged_in_fixed_queries(client, cast, staff, accident, mashan,
                                                                             health):
    client.force_login(staff)
    url = reverse("incidents:detail", kwargs={"pk": accident.pk})
    give(staff, accident, township=mashan)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        assignments.acknowledge_task(actor=staff, task=give(staff, accident, department=health))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert page.count('data-task-state="assigned"') == 1 and page.count('data-task-state="acknowledged"') == 5
    assert "未签收" in page


def test_the_task_pages_list_and_act(client, cast, staff, accident, mashan):
    task = give(staff, accident, township=mashan)
    client.force_login(cast["users"]["township_officer"])
    listing = client.get(reverse("incidents:tasks"), {"mine": "true"})
    assert listing.status_code == 200 and "组织群众疏散" in listing.content.decode()
    page = client.get(reverse("incidents:task", kwargs={"pk": task.pk})).content.decode()
    assert 'data-testid="act-acknowledge"' in page
    answer = client.post(reverse("incidents:task-acknowledge", kwargs={"pk": task.pk}))
    assert answer.status_code == 302
    refused = client.post(reverse("incidents:task-complete", kwargs={"pk": task.pk}), {"complete-note": ""})
    assert refused.status_code == 400
    assert client.post(reverse("incidents:task-acknowledge", kwargs={"pk": task.pk})).status_code == 409
    task.refresh_from_db()
    assert task.state == "acknowledged"


def investigation_clock(incident):
    return incident.clocks.get(kind="investigation")


def test_the_investigation_report_is_extended_and_a_regrade_keeps_the_extension(cast, staff, accident):
    leader = cast["users"]["leader"]
    assert investigation_clock(accident).due_at == datetime(2026, 11, 30, tzinfo=SHANGHAI)
    clock = investigation.extend_investigation(actor=leader, incident=accident, days=30, reason="技术鉴定未完成")
    assert clock.due_at == datetime(2026, 12, 30, tzinfo=SHANGHAI) and "延长30日" in clock.basis
    entry = TimelineEntry.objects.get(incident=accident, kind="extension")
    assert "技术鉴定未完成" in entry.text and "2026-12-29" in entry.text
    event = AuditEvent.objects.get(verb="incident.investigation-extend")
    assert event.note == "技术鉴定未完成" and event.changes["extension_days"] == [0, 30]
    services.update_situation(actor=staff, incident=accident, deaths=3)
    assert investigation_clock(accident).due_at == datetime(2026, 12, 30, tzinfo=SHANGHAI)


def test_more_than_sixty_days_in_all_is_refused_in_chinese_and_changes_nothing(cast, accident):
    leader = cast["users"]["leader"]
    investigation.extend_investigation(actor=leader, incident=accident, days=45, reason="鉴定")
    with pytest.raises(ValidationError) as refused:
        investigation.extend_investigation(actor=leader, incident=accident, days=16, reason="再延")
    assert "最多再延长15日" in refused.value.message_dict["days"][0]
    accident.refresh_from_db()
    assert accident.investigation_extension_days == 45
    assert investigation_clock(accident).due_at == datetime(2027, 1, 14, tzinfo=SHANGHAI)
    answer = api_as(leader).post(reverse("incident-extend-investigation", kwargs={"pk": accident.pk}),
                                 {"days": 61, "reason": "x"}, format="json")
    assert answer.status_code == 400
    answer = api_as(leader).post(reverse("incident-extend-investigation", kwargs={"pk": accident.pk}),
                                 {"days": 15, "reason": "最后一次"}, format="json")
    assert answer.status_code == 200 and answer.json()["investigation_extension_days"] == 60


def test_an_extension_needs_the_command_verb_and_an_investigation_clock(cast, staff, accident, mashan):
    with pytest.raises(PermissionDenied):
        investigation.extend_investigation(actor=cast["users"]["township_officer"], incident=accident, days=5,
                                           reason="x")
    fire = services.report_incident(actor=staff, township=mashan, title="山火", kind="forest_fire",
                                    occurred_at=NOW - timedelta(minutes=5), place="南山", source="duty_phone")
    with pytest.raises(ValidationError) as refused:
        investigation.extend_investigation(actor=staff, incident=fire, days=5, reason="x")
    assert "days" in refused.value.message_dict
    assert not TimelineEntry.objects.filter(kind="extension").exists()
