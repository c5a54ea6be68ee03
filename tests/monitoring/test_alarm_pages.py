"""The alarm pages (issue 13): the list with its filters and Excel, the alarm's page (what, where, the value and
setpoint, its repeats and the proposal to report a hazard, the timeline, the acts offered now), the acts posted
from the page, and the to-dos on the workbench."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shouye.core.views import todo_cards
from shouye.hazards.models import Hazard
from shouye.monitoring import rulebook, services
from shouye.monitoring.choices import AlarmState
from shouye.monitoring.models import Alarm

from . import kit
from .kit_lifecycle import site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in


def test_the_list_shows_the_users_alarms_filtered(cast, client_of, django_assert_max_num_queries):
    where = site(cast)
    for _ in range(5):
        kit.alarm(camera_row=where.camera)
    kit.alarm(point_row=where.point, state=AlarmState.CLOSED)
    kit.alarm(camera_row=kit.camera(kit.vendor("other"), cast["outside"], device_id="x"), description="外企报警")
    client = client_of(cast["users"]["township_officer"])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("monitoring:alarm-list"))
    assert page.status_code == 200
    assert page.context["paginator"].count == 6
    closed = client.get(reverse("monitoring:alarm-list"), {"state": "closed", "source": "sensor"})
    assert closed.context["paginator"].count == 1
    assert client.get(reverse("monitoring:alarm-list"), {"level": "purple"}).status_code == 400


def test_the_excel_holds_exactly_the_filtered_alarms(cast, client_of):
    where = site(cast)
    kit.alarm(camera_row=where.camera, scenario="smoking")
    kit.alarm(point_row=where.point, state=AlarmState.CLOSED)
    answer = client_of(cast["users"]["bureau_staff"]).get(reverse("monitoring:alarm-export"), {"source": "video"})
    assert answer.status_code == 200
    rows = list(load_workbook(BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][9] == "吸烟"


def test_the_alarm_page_shows_the_value_the_setpoint_and_what_the_user_may_do(cast, client_of):
    alarm = kit.alarm(point_row=site(cast).point, value=2.3)
    page = client_of(cast["users"]["enterprise_user"]).get(reverse("monitoring:alarm-detail", args=[alarm.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2.3" in html and "2.0" in html
    assert [item["action"] for item in page.context["action_forms"]] == ["acknowledge", "handle", "clear",
                                                                          "report-hazard"]
    bureau = client_of(cast["users"]["bureau_staff"]).get(reverse("monitoring:alarm-detail", args=[alarm.pk]))
    assert [item["action"] for item in bureau.context["action_forms"]] == ["report-hazard"]


def test_acting_from_the_page_records_on_the_timeline(cast, client_of):
    alarm = kit.alarm(camera_row=site(cast).camera)
    client = client_of(cast["users"]["enterprise_user"])
    answer = client.post(reverse("monitoring:handle", args=[alarm.pk]), {"handle-measures": "已劝离吸烟人员"})
    assert answer.status_code == 302
    page = client.get(reverse("monitoring:alarm-detail", args=[alarm.pk]))
    assert "已劝离吸烟人员" in page.content.decode()
    assert [event.verb for event in page.context["timeline"]] == ["alarm.handle"]
    refused = client.post(reverse("monitoring:acknowledge", args=[alarm.pk]), {})
    assert refused.status_code == 409 and Alarm.objects.get(pk=alarm.pk).state == AlarmState.HANDLING
    closed = client.post(reverse("monitoring:clear", args=[alarm.pk]), {})
    assert closed.status_code == 302
    assert client.post(reverse("monitoring:close", args=[alarm.pk]), {"close-disposition": ""}).status_code == 400


def test_repeated_alarms_propose_a_hazard_reported_in_one_click(cast, client_of):
    where = site(cast)
    now = timezone.now()
    kit.alarm(camera_row=where.camera, scenario="smoking", state=AlarmState.CLOSED, raised_at=now - timedelta(days=8))
    kit.alarm(camera_row=where.camera, scenario="smoking", state=AlarmState.CLOSED, raised_at=now - timedelta(days=2))
    second = kit.alarm(camera_row=where.camera, scenario="smoking", state=AlarmState.CLEARED)
    client = client_of(cast["users"]["township_officer"])
    page = client.get(reverse("monitoring:alarm-detail", args=[second.pk]))
    assert "hazard-proposal" not in page.content.decode()  # 2 in 7 days; orange proposes at 3
    third = kit.alarm(camera_row=where.camera, scenario="smoking")
    page = client.get(reverse("monitoring:alarm-detail", args=[third.pk]))
    assert 'data-testid="hazard-proposal"' in page.content.decode()
    answer = client.post(reverse("monitoring:report-hazard", args=[third.pk]), {})
    hazard = Hazard.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("hazards:detail", args=[hazard.pk])
    # The series has its hazard: neither alarm proposes one any more.
    assert 'data-testid="hazard-proposal"' not in client.get(
        reverse("monitoring:alarm-detail", args=[second.pk])).content.decode()


def test_the_workbench_counts_the_alarms_waiting(cast):
    where = site(cast)
    now = timezone.now()
    kit.alarm(camera_row=where.camera, scenario="phone_use")
    kit.alarm(camera_row=where.camera, scenario="post_unattended", state=AlarmState.HANDLING)
    missed = kit.alarm(camera_row=where.camera, scenario="intrusion", raised_at=now - timedelta(hours=2))
    services.escalate_overdue_alarms()
    for days in (1, 2):
        kit.alarm(camera_row=where.camera, scenario="smoking", state=AlarmState.CLOSED,
                  raised_at=now - timedelta(days=days))
    kit.alarm(camera_row=where.camera, scenario="smoking", state=AlarmState.CLEARED)
    kit.alarm(camera_row=kit.camera(kit.vendor("other"), cast["outside"], device_id="x"))

    def counts(user):
        return {card.provider.key: card.count for card in todo_cards(user) if card.provider.key.startswith("alarms")}

    assert counts(cast["users"]["enterprise_user"]) == {"alarms-to-acknowledge": 2, "alarms-to-finish": 2}
    officer = cast["users"]["township_officer"]
    assert counts(officer) == {"alarms-missed-acknowledgement": 1, "alarms-proposing-hazards": 1}
    assert Alarm.objects.get(pk=missed.pk).escalated_at is not None
    # The cards' queries do not grow with the alarms waiting (no query per alarm).
    with CaptureQueriesContext(connection) as few:
        todo_cards(officer)
    for _ in range(4):
        kit.alarm(camera_row=where.camera, scenario="loitering", raised_at=now - timedelta(hours=2))
    services.escalate_overdue_alarms()
    with CaptureQueriesContext(connection) as many:
        todo_cards(officer)
    assert counts(officer)["alarms-missed-acknowledgement"] == 5
    assert len(many) == len(few)
