"""The video intake under concurrency (issue 13, PostgreSQL: SQLite runs one writer at a time, so nothing can
overlap there): identical posts at the same moment are one inbox row and one alarm — the insert's unique
constraint decides, not a read before the write — and two processors draining at the same moment take
different rows (SKIP LOCKED) and never both raise the same scene (the scenes' advisory locks)."""

import sys
import types
from unittest import mock

import pytest
from django.db import connection

from shouye.monitoring.intake import auth, services
from shouye.monitoring.models import Alarm, VideoEvent, VideoInbox
from tests.concurrency import at_the_same_moment

from . import kit
from . import kit_video as kv

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises every write transaction, so nothing can overlap there"),
]


@pytest.fixture
def announce(monkeypatch):
    task = mock.Mock()
    monkeypatch.setitem(sys.modules, "shouye.monitoring.tasks", types.SimpleNamespace(announce_alarms=task))
    auth.forget()
    yield task
    auth.forget()


@pytest.mark.parametrize("posts", [2, 4])
def test_identical_posts_at_the_same_moment_make_one_alarm(cast, posts, announce):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    payload = kv.event()
    answers, errors = at_the_same_moment(*(lambda: kv.post(vendor, payload) for _ in range(posts)))
    assert not errors, errors
    assert sorted(answer.status_code for answer in answers) == [200] * (posts - 1) + [202]
    assert {answer.json()["event"] for answer in answers} == {VideoInbox.objects.get().pk}
    kv.drain()
    assert VideoEvent.objects.count() == 1 and Alarm.objects.get().repeat_count == 1
    assert announce.delay.call_count == 1


def test_two_processors_at_the_same_moment_make_each_event_one_alarm(cast, announce):
    vendor = kit.vendor()
    kit.camera(vendor, cast["inside"])
    kit.camera(vendor, cast["inside"], device_id="cam-2")
    # Four scenes (two cameras × two scenarios) ten times each, interleaved: both processors' batches hold
    # events of every scene.
    for number in range(40):
        kv.post(vendor, kv.event(device_id=("cam-1", "cam-2")[number % 2],
                                 type_code=("smoking", "fire")[number % 4 // 2]))
    results, errors = at_the_same_moment(lambda: services.drain_all(limit=7), lambda: services.drain_all(limit=7))
    assert not errors, errors
    assert sum(results) == 40 and not VideoInbox.objects.filter(processed_at__isnull=True).exists()
    assert VideoEvent.objects.count() == 40
    assert Alarm.objects.count() == 4 and sorted(Alarm.objects.values_list("repeat_count", flat=True)) == [10] * 4
