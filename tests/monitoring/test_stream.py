"""The board's server-sent events (issue 13: live without reloading, through nginx): the headers nginx needs, the
reconnection from ``Last-Event-ID`` that misses nothing, a change pushed as it is committed (pg_notify on
PostgreSQL, the ``changed_at`` poll on SQLite), and scope: an alarm outside the township officer's township never
reaches its stream. The stream is read through the view's StreamingHttpResponse with a short lifetime."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shouye.monitoring import live, stream
from shouye.monitoring.models import Alarm

from . import kit
from .kit_live import monitored


@pytest.fixture
def short(monkeypatch):
    monkeypatch.setattr(stream, "LIFETIME_SECONDS", 1.5)


def _open(user, **headers):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("monitoring:board-stream"), **headers)
    assert response.status_code == 200
    return response


def _events(chunks) -> list[tuple[str, str, object]]:
    """(event name, id, data) of each event; comments as ("comment", "", text)."""
    events = []
    for chunk in chunks:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        if text.startswith(":"):
            events.append(("comment", "", text.strip(": \n")))
            continue
        fields = dict(line.split(": ", 1) for line in text.strip().splitlines())
        data = json.loads(fields["data"]) if "data" in fields else fields.get("retry")
        events.append((fields.get("event", "retry" if "retry" in fields else ""), fields.get("id", ""), data))
    return events


@pytest.mark.django_db
def test_the_stream_is_unbuffered_and_replays_what_changed_since_the_last_event_in_scope(cast, short):
    inside_point, _ = monitored(cast["inside"], "in")
    outside_point, _ = monitored(cast["outside"], "out")
    before = timezone.now() - timedelta(minutes=1)
    mine = kit.alarm(point_row=inside_point)
    kit.alarm(point_row=outside_point)
    response = _open(cast["users"]["township_officer"], HTTP_LAST_EVENT_ID=stream.encode_cursor(before))
    assert response["Content-Type"].startswith("text/event-stream")
    assert response["Cache-Control"] == "no-cache" and response["X-Accel-Buffering"] == "no"
    events = _events(response.streaming_content)
    assert events[0] == ("retry", "", str(stream.RETRY_MS))
    name, cursor, rows = events[1]
    assert name == "alarms" and [row["id"] for row in rows] == [mine.pk]
    assert stream.decode_cursor(cursor) == mine.changed_at
    name, _, counts = events[2]
    assert name == "counts" and counts["figures"]["active"] == 1
    assert [row["name"] for row in counts["by_township"]] == ["马山镇"]


@pytest.mark.django_db
def test_an_idle_stream_sends_heartbeats_and_ends(cast, short, monkeypatch):
    monkeypatch.setattr(stream, "HEARTBEAT_SECONDS", 0.3)
    monkeypatch.setattr(stream, "POLL_SECONDS", 0.1)
    events = _events(_open(cast["users"]["bureau_staff"]).streaming_content)
    assert events[0][0] == "retry"
    assert ("comment", "", "heartbeat") in events and {name for name, _, _ in events} == {"retry", "comment"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_change_is_pushed_to_the_viewers_who_see_it(cast, short):
    inside_point, _ = monitored(cast["inside"], "in")
    outside_point, _ = monitored(cast["outside"], "out")
    chunks = iter(_open(cast["users"]["township_officer"]).streaming_content)
    assert next(chunks).startswith(b"retry:")  # listening from here on
    with transaction.atomic():
        outside = kit.alarm(point_row=outside_point)
        inside = kit.alarm(point_row=inside_point)
        live.publish([outside.pk, inside.pk])
    events = _events(chunks)
    pushed = [row for name, _, rows in events if name == "alarms" for row in rows]
    assert [row["id"] for row in pushed] == [inside.pk]
    assert pushed[0]["state"] == "raised" and pushed[0]["enterprise"] == cast["inside"].name
    counts = [data for name, _, data in events if name == "counts"]
    assert counts and counts[-1]["figures"]["active"] == 1
    assert Alarm.objects.count() == 2


def test_a_cursor_that_is_not_ours_replays_nothing():
    assert stream.decode_cursor("abc") is None and stream.decode_cursor("9" * 30) is None
    moment = timezone.now()
    assert stream.decode_cursor(stream.encode_cursor(moment)) == moment
