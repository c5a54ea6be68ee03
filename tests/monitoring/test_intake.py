"""The video intake as a vendor meets it (issue 13): its signature and replay window, the bounded body, the
adapters, the inbox that answers at once and the processor that drains it — duplicate collapse, repeats
(within one batch too), and the snapshot stored as the alarm's photo."""

import io
import json
import sys
import time
import types
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.major_hazards.models import MajorHazardInstallation
from shouye.monitoring import defaults, rulebook
from shouye.monitoring.choices import AlarmLevel, AlarmState, VendorProtocol
from shouye.monitoring.intake import auth, directory, services, tasks
from shouye.monitoring.models import (
    Alarm,
    AlarmPhoto,
    Camera,
    Scenario,
    UnmappedTypeCode,
    VendorTypeMapping,
    VideoEvent,
    VideoInbox,
)

from . import kit
from . import kit_video as kv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def announce(monkeypatch):
    """The lifecycle's task that tells the alarm's people, replaced: the tests see what was announced."""
    task = mock.Mock()
    monkeypatch.setitem(sys.modules, "shouye.monitoring.tasks", types.SimpleNamespace(announce_alarms=task))
    auth.forget()
    rulebook.forget()
    yield task
    auth.forget()


@pytest.fixture
def scene(cast):
    vendor = kit.vendor()
    camera = kit.camera(vendor, cast["inside"])
    return vendor, camera


def nothing_written():
    kv.drain()
    return not (VideoInbox.objects.exists() or Alarm.objects.exists() or VideoEvent.objects.exists()
                or AlarmPhoto.objects.exists())


def test_a_signed_event_raises_an_alarm_of_the_camera(scene, announce, django_capture_on_commit_callbacks):
    vendor, camera = scene
    answer = kv.post(vendor, kv.event(severity="5", clip_url="https://vendor.example/clip/1.mp4"))
    assert answer.status_code == 202, answer.content
    row = VideoInbox.objects.get()
    assert answer.json() == {"event": row.pk, "received_as": "accepted", "alarm": None, "repeat_count": None}
    assert not Alarm.objects.exists()  # the request only wrote the inbox's row
    with django_capture_on_commit_callbacks(execute=True):
        assert services.drain_inbox() == 1
    alarm = Alarm.objects.get()
    row.refresh_from_db()
    assert row.processed_at is not None and VideoEvent.objects.get(event_id=row.event_id).alarm == alarm
    assert (alarm.camera, alarm.scenario.code, alarm.vendor, alarm.enterprise) == (
        camera, "smoking", vendor, camera.enterprise)
    assert alarm.level == AlarmLevel.RED  # the vendor's 5 (严重) through its severity map
    assert alarm.state == AlarmState.RAISED and alarm.source == "video" and alarm.kind == "video"
    assert alarm.clip_url == "https://vendor.example/clip/1.mp4"
    assert alarm.ack_due_by - alarm.received_at == timedelta(minutes=rulebook.rule_for(AlarmLevel.RED).ack_minutes)
    assert AuditEvent.objects.filter(verb="alarm.raise", target_id=str(alarm.pk)).count() == 1
    announce.delay.assert_called_once_with([alarm.pk])


def test_without_a_severity_the_scenario_gives_the_level(scene):
    vendor, _ = scene
    answer = kv.post(vendor, kv.event(type_code="phone"))
    assert Alarm.objects.get(pk=kv.alarm_of(answer)).level == Scenario.objects.get(code="phone_use").default_level


@pytest.mark.parametrize("change", ["secret", "body", "key"])
def test_a_wrong_signature_or_key_is_refused_and_writes_nothing(scene, change):
    vendor, _ = scene
    payload = kv.event()
    if change == "secret":
        answer = kv.post(vendor, payload, secret="not-the-secret")
    elif change == "key":
        answer = kv.post(vendor, payload, key="other-key")
    else:
        body = json.dumps(payload).encode()
        timestamp = str(int(time.time()))
        answer = kv.Client().post(f"/api/v1/alarms/intake/{vendor.code}/", body + b" ", content_type="application/json",
                                  headers={auth.KEY_HEADER: vendor.key_id, auth.TIMESTAMP_HEADER: timestamp,
                                           auth.SIGNATURE_HEADER: auth.signature(vendor.secret, timestamp, body)})
    assert answer.status_code == 401
    assert answer.json()["detail"] in ("签名与请求内容不符。", "厂商或密钥编号未知。")
    assert nothing_written()


def test_an_unsigned_request_is_refused(scene):
    vendor, _ = scene
    answer = kv.Client().post(f"/api/v1/alarms/intake/{vendor.code}/", kv.event(), content_type="application/json")
    assert answer.status_code == 401 and "X-Shouye-Signature" in answer.json()["detail"]
    assert nothing_written()


@pytest.mark.parametrize(("offset", "status"), [(-300, 202), (300, 202), (-301, 401), (301, 401)])
def test_the_replay_window_is_inclusive_at_its_edge(scene, offset, status):
    vendor, _ = scene
    now = time.time()
    with mock.patch("shouye.monitoring.intake.auth.time.time", return_value=now):
        answer = kv.post(vendor, kv.event(), at=int(now) + offset)
    assert answer.status_code == status, answer.content
    if status == 401:
        assert "300" in answer.json()["detail"]
        assert nothing_written()


def test_an_unknown_or_switched_off_vendor_is_refused(scene):
    vendor, _ = scene
    assert kv.post(vendor, kv.event(), code="nobody").status_code == 401
    vendor.is_active = False
    vendor.save()
    auth.forget()
    answer = kv.post(vendor, kv.event())
    assert answer.status_code == 403 and answer.json()["detail"] == "该厂商已被应急管理局停用。"
    assert nothing_written()


def test_an_oversized_body_is_refused_unread(scene, settings):
    vendor, _ = scene
    settings.SHOUYE_VIDEO_INTAKE_MAX_BYTES = 1000
    answer = kv.post(vendor, kv.event(description="x" * 2000))
    assert answer.status_code == 413 and "detail" in answer.json()
    assert nothing_written()


@pytest.mark.parametrize("raw", [b"{not json", b"[" * 100 + b"]" * 100, b"[1, 2]", b'{"event_id": NaN}',
                                 "{\"x\": 1}".encode("utf-16")])
def test_a_malformed_body_is_a_400(scene, raw):
    vendor, _ = scene
    answer = kv.post(vendor, None, raw=raw)
    assert answer.status_code == 400, answer.content
    assert nothing_written()


def test_a_malformed_event_names_its_fields(scene):
    vendor, _ = scene
    answer = kv.post(vendor, kv.event(occurred_at="yesterday", clip_url="javascript:alert(1)", latitude=95))
    assert answer.status_code == 400
    assert set(answer.json()) == {"occurred_at", "clip_url", "latitude"}
    assert nothing_written()


def test_an_event_time_in_the_future_is_refused(scene):
    vendor, _ = scene
    answer = kv.post(vendor, kv.event(occurred_at=(timezone.now() + timedelta(minutes=6)).isoformat()))
    assert answer.status_code == 400 and answer.json()["occurred_at"] == ["事件时间晚于当前时间：请检查厂商平台的时钟。"]
    assert nothing_written()
    assert kv.post(vendor, kv.event(occurred_at=(timezone.now() + timedelta(minutes=4)).isoformat())).status_code == 202


def test_an_unmapped_code_is_refused_by_name_and_counted(scene):
    vendor, _ = scene
    for _ in range(2):
        answer = kv.post(vendor, kv.event(type_code="dog_unleashed"))
        assert answer.status_code == 400
        assert "dog_unleashed" in answer.json()["type"][0]
    assert UnmappedTypeCode.objects.get(vendor=vendor, vendor_code="dog_unleashed").count == 2
    assert nothing_written()


def test_an_unknown_camera_is_refused_by_its_id(scene):
    vendor, _ = scene
    answer = kv.post(vendor, kv.event(device_id="cam-404"))
    assert answer.status_code == 400 and "cam-404" in answer.json()["device_id"][0]
    assert nothing_written()


def test_the_same_event_twice_is_one_alarm(scene, announce, django_capture_on_commit_callbacks):
    vendor, _ = scene
    payload = kv.event()
    first = kv.post(vendor, payload)
    again = kv.post(vendor, payload)
    assert (first.status_code, again.status_code) == (202, 200)
    event = first.json()["event"]
    # Before the processor made it an alarm, the replay cannot name it yet …
    assert again.json() == {"event": event, "received_as": "duplicate", "alarm": None, "repeat_count": None}
    with django_capture_on_commit_callbacks(execute=True):
        kv.drain()
    # … after, it does.
    later = kv.post(vendor, payload)
    assert later.json() == {"event": event, "received_as": "duplicate", "alarm": Alarm.objects.get().pk,
                            "repeat_count": 1}
    kv.drain()
    assert Alarm.objects.count() == 1 and VideoEvent.objects.count() == 1 and VideoInbox.objects.count() == 1
    assert Alarm.objects.get().repeat_count == 1
    assert announce.delay.call_count == 1


def test_the_same_scene_within_the_window_counts_on_the_open_alarm(scene):
    vendor, _ = scene
    start = timezone.now() - timedelta(minutes=20)
    first = kv.alarm_of(kv.post(vendor, kv.event(occurred_at=start.isoformat(), severity="3")))
    # smoking repeats within 10 minutes (defaults.SCENARIOS); a worse severity raises the level.
    repeat = kv.post(vendor, kv.event(occurred_at=(start + timedelta(minutes=9)).isoformat(), severity="4"))
    assert repeat.status_code == 202 and kv.alarm_of(repeat) == first
    alarm = Alarm.objects.get()
    assert (alarm.repeat_count, alarm.level, alarm.last_seen_at) == (2, AlarmLevel.ORANGE, start + timedelta(minutes=9))
    assert VideoEvent.objects.filter(alarm=alarm).count() == 2
    assert AuditEvent.objects.filter(verb="alarm.raise").count() == 1
    # Measured from the last time seen: 9 + 10 minutes is still the same alarm, and a milder severity
    # leaves the level as it is.
    kv.post(vendor, kv.event(occurred_at=(start + timedelta(minutes=19)).isoformat(), severity="1"))
    kv.drain()
    alarm.refresh_from_db()
    assert (alarm.repeat_count, alarm.level) == (3, AlarmLevel.ORANGE)


def test_outside_the_window_or_once_closed_it_is_a_new_alarm(scene):
    vendor, _ = scene
    start = timezone.now() - timedelta(minutes=30)
    first = kv.alarm_of(kv.post(vendor, kv.event(occurred_at=start.isoformat())))
    later = kv.alarm_of(kv.post(vendor, kv.event(occurred_at=(start + timedelta(minutes=10, seconds=1)).isoformat())))
    assert later != first
    Alarm.objects.update(state=AlarmState.CLOSED)
    closed = kv.alarm_of(kv.post(vendor, kv.event(occurred_at=(start + timedelta(minutes=11)).isoformat())))
    assert closed not in (first, later) and Alarm.objects.count() == 3


def test_a_cleared_alarm_still_open_counts_a_repeat(scene):
    vendor, _ = scene
    first = kv.alarm_of(kv.post(vendor, kv.event()))
    Alarm.objects.update(state=AlarmState.CLEARED)
    assert kv.alarm_of(kv.post(vendor, kv.event())) == first


def test_another_camera_or_scenario_is_another_alarm(scene, cast):
    vendor, _ = scene
    kit.camera(vendor, cast["inside"], device_id="cam-2")
    answers = [kv.post(vendor, kv.event()), kv.post(vendor, kv.event(device_id="cam-2")),
               kv.post(vendor, kv.event(type_code="fire"))]
    assert len({kv.alarm_of(answer) for answer in answers}) == 3


def test_the_snapshot_is_stored_as_the_alarms_photo(scene):
    vendor, _ = scene
    answer = kv.post(vendor, kv.event(snapshot=f"data:image/jpeg;base64,{kv.snapshot_b64()}"))
    photo = AlarmPhoto.objects.get(alarm_id=kv.alarm_of(answer))
    assert photo.is_snapshot and photo.uploaded_by is None
    assert photo.image.name.endswith(".jpg") and photo.thumbnail
    assert VideoInbox.objects.get().snapshot is None  # dropped once stored as the photo


@pytest.mark.parametrize("snapshot", ["not base64!", "aGVsbG8gd29ybGQ="])
def test_a_bad_snapshot_is_refused_and_writes_nothing(scene, snapshot):
    vendor, _ = scene
    answer = kv.post(vendor, kv.event(snapshot=snapshot))
    assert answer.status_code == 400 and "snapshot" in answer.json()
    assert nothing_written()


def test_a_gb28181_vendor_sends_method_type_and_priority(cast):
    vendor = kit.vendor(code="gbplat", protocol=VendorProtocol.GB28181)
    vendor.severity_map = defaults.GB28181_PRIORITY
    vendor.save()
    for code, scenario in defaults.GB28181_TYPES.items():
        VendorTypeMapping.objects.create(vendor=vendor, vendor_code=code, scenario=Scenario.objects.get(code=scenario))
    kit.camera(vendor, cast["inside"], device_id="37011300001320000001")
    body = {"deviceId": "37011300001320000001", "SN": 17, "AlarmMethod": 5, "AlarmType": 6, "AlarmPriority": 2,
            "AlarmTime": "2026-12-06T10:15:00", "AlarmDescription": "周界入侵"}
    answer = kv.post(vendor, body)
    assert answer.status_code == 202, answer.content
    alarm = Alarm.objects.get(pk=kv.alarm_of(answer))
    assert (alarm.scenario.code, alarm.level, alarm.description) == ("intrusion", AlarmLevel.ORANGE, "周界入侵")
    assert timezone.localtime(alarm.raised_at).strftime("%H:%M") == "10:15"
    assert kv.post(vendor, body).json()["received_as"] == "duplicate"
    unmapped = kv.post(vendor, {**body, "SN": 18, "AlarmType": 12})
    assert unmapped.status_code == 400 and "5/12" in unmapped.json()["type"][0]


def test_the_same_scene_twice_in_one_batch_is_one_alarm_seen_twice(scene, announce,
                                                                  django_capture_on_commit_callbacks):
    vendor, _ = scene
    start = timezone.now() - timedelta(minutes=5)
    answers = [kv.post(vendor, kv.event(occurred_at=start.isoformat(), severity="3")),
               kv.post(vendor, kv.event(occurred_at=(start + timedelta(minutes=2)).isoformat(), severity="5")),
               kv.post(vendor, kv.event(type_code="fire"))]
    assert [answer.status_code for answer in answers] == [202, 202, 202]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.drain_inbox() == 3
    smoking = Alarm.objects.get(scenario__code="smoking")
    assert (smoking.repeat_count, smoking.level, smoking.last_seen_at) == (2, AlarmLevel.RED,
                                                                          start + timedelta(minutes=2))
    assert Alarm.objects.count() == 2 and VideoEvent.objects.count() == 3
    assert AuditEvent.objects.filter(verb="alarm.raise").count() == 2
    announce.delay.assert_called_once_with(sorted(Alarm.objects.values_list("pk", flat=True)))


def test_the_batch_limit_leaves_the_rest_for_the_next_batch(scene, django_assert_max_num_queries):
    vendor, _ = scene
    for _ in range(5):
        kv.post(vendor, kv.event(type_code="fire"))
    # A batch's queries do not grow with its events (the rule table is read once here: rulebook.forget();
    # PostgreSQL adds the scenes' lock and the board's notification).
    with django_assert_max_num_queries(19):
        assert services.drain_inbox(limit=3) == 3
    assert VideoInbox.objects.filter(processed_at__isnull=True).count() == 2
    assert services.drain_inbox(limit=3) == 2 and services.drain_inbox(limit=3) == 0
    alarm = Alarm.objects.get()
    assert alarm.repeat_count == 5 and VideoEvent.objects.filter(alarm=alarm).count() == 5


def test_an_event_received_again_after_its_row_was_removed_is_still_one_alarm(scene):
    vendor, _ = scene
    payload = kv.event()
    first = kv.alarm_of(kv.post(vendor, payload))
    VideoInbox.objects.update(processed_at=timezone.now() - services.KEEP_PROCESSED - timedelta(minutes=1))
    assert services.remove_processed() == 1
    again = kv.post(vendor, payload)
    assert again.status_code == 202 and kv.alarm_of(again) == first
    assert Alarm.objects.get().repeat_count == 1 and VideoEvent.objects.count() == 1


def test_the_processor_command_and_the_beat_task_drain_the_inbox(scene):
    vendor, _ = scene
    kv.post(vendor, kv.event())
    call_command("intake", "--once", stdout=io.StringIO())
    assert Alarm.objects.count() == 1
    kv.post(vendor, kv.event(type_code="fire"))
    assert tasks.drain_video_inbox() == 1
    assert Alarm.objects.count() == 2 and not VideoInbox.objects.filter(processed_at__isnull=True).exists()


def test_a_camera_taken_out_of_service_is_refused_once_the_directory_is_read_again(scene):
    vendor, camera = scene
    assert kv.post(vendor, kv.event()).status_code == 202
    camera.is_active = False
    camera.save()
    assert kv.post(vendor, kv.event()).status_code == 202  # the process's directory, kept for CACHE_SECONDS
    auth.forget()
    answer = kv.post(vendor, kv.event())
    assert answer.status_code == 400 and "cam-1" in answer.json()["device_id"][0]


def test_cameras_changed_by_any_path_are_followed_once_the_directory_is_checked(scene, cast, monkeypatch):
    """Another process registers, moves or switches off cameras: no ``forget`` reaches this one, and the rows
    are changed behind the services' backs."""
    vendor, camera = scene
    monkeypatch.setattr(directory, "CACHE_SECONDS", 0)  # checked at every event
    assert kv.post(vendor, kv.event()).status_code == 202
    kit.camera(vendor, cast["inside"], device_id="cam-2")
    assert kv.post(vendor, kv.event(device_id="cam-2")).status_code == 202
    tank = MajorHazardInstallation.objects.create(enterprise=cast["inside"], township_id=cast["inside"].township_id,
                                                  industry_id=cast["inside"].industry_id, name="1号储罐区",
                                                  kind="tank_farm")
    Camera.objects.filter(vendor_device_id="cam-2").update(installation=tank)
    assert directory.camera_of(vendor.pk, "cam-2").installation_id == tank.pk
    Camera.objects.filter(pk=camera.pk).update(is_active=False)
    answer = kv.post(vendor, kv.event())
    assert answer.status_code == 400 and "cam-1" in answer.json()["device_id"][0]


def test_the_directory_reads_a_vendors_cameras_again_only_when_they_changed(scene, cast, monkeypatch):
    """On PostgreSQL an unchanged fleet costs the aggregate only; on SQLite (the embedded default, no hash
    function) the cameras themselves are read at each check. Either way a new camera is found at once."""
    vendor, _camera = scene
    monkeypatch.setattr(directory, "CACHE_SECONDS", 0)
    assert directory.camera_of(vendor.pk, "cam-1") is not None
    with CaptureQueriesContext(connection) as unchanged:
        assert directory.camera_of(vendor.pk, "cam-1") is not None
        assert directory.camera_of(vendor.pk, "cam-unknown") is None
    reads = [q["sql"] for q in unchanged if "vendor_device_id, id" in q["sql"]]
    assert len(unchanged) == 2
    assert len(reads) == (0 if connection.vendor == "postgresql" else 2)
    kit.camera(vendor, cast["inside"], device_id="cam-2")
    with CaptureQueriesContext(connection) as changed:
        assert directory.camera_of(vendor.pk, "cam-2") is not None
    assert len(changed) == (2 if connection.vendor == "postgresql" else 1)  # [the aggregate,] the cameras
