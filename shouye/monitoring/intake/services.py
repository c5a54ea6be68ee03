"""Video alarms from vendors' events (issue 13, decision 0014): accepted into an inbox by the request, made
alarms by a processor in batches.

**Accepting** (:func:`accept_event`, the request's whole work after the signature) refuses at once what can
never become an alarm — an unmapped type code (400 naming it, and counted), a time further ahead of our clock
than the replay window, a device id no active camera of the vendor has, a snapshot that is not a JPEG/PNG
photo — and resolves what the alarm will need (camera, scenario, level). Then it writes ONE row,
``INSERT … ON CONFLICT (vendor, event id) DO NOTHING RETURNING id``, committed before the answer: nothing
acknowledged is lost, and the insert itself recognises a replay (the constraint decides, never a read before
the write — two identical posts at the same moment insert one row).

**Draining** (:func:`drain_inbox`, run by ``shouye intake`` as events arrive and by Celery beat every minute
for what is left) takes the oldest unprocessed rows with ``FOR UPDATE SKIP LOCKED`` (two processors never take
the same row) and, in one transaction per batch, does for each row in arrival order what the intake always
did:

1. **The same event twice is one alarm.** An event already a ``VideoEvent`` (received again after its inbox row
   was removed) is only marked processed: its ``VideoEvent`` names the alarm it first made.
2. **The same scene again is a repeat.** An open alarm (active, or cleared but not yet closed) of the same
   scenario on the same camera, last seen within the scenario's ``dedupe_minutes`` of this event — one already
   committed, locked, or one this batch raised — counts the event (``repeat_count``, ``last_seen_at``, a higher
   level if the vendor now says so): a scene that persists is one alarm to handle, not a flood (the national
   system's lesson). The batch's scenes are locked first (a transaction-scoped advisory lock per camera and
   scenario on PostgreSQL, in one order), so two processors never both raise the same scene.
3. **Otherwise a new alarm**: the camera's enterprise and installation, the scenario, the level from the
   vendor's severity (``AlarmVendor.severity_map``) or else the scenario's default, raised at the event's
   time, the acknowledgement deadline from the level's rule counted from when the alarm was committed (nobody
   can acknowledge before then), the snapshot stored as the alarm's photo and the clip link. One
   ``alarm.raise`` audit event each, by the system on the vendor's behalf (one insert for the batch).

**An unmapped type code is refused, not stored under a catch-all scenario**: a catch-all would put scenes
nobody classed on every duty console at a guessed level — the alarm flood the rules exist to prevent (§D.3:
handling is the bureau's to configure) — while a refusal tells the vendor at once, during integration, and the
count (``UnmappedTypeCode``, on the vendor's page) tells the bureau which codes to map.

The board is told in the batch's transaction (``live.publish``: pg_notify is delivered on commit only) and the
new alarms announced to whom their rules notify once committed (``tasks.announce_alarms``)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.attachments import check_photos, save_photos
from shouye.enterprises.models import Enterprise
from shouye.enterprises.stamps import locked_for_stamping
from shouye.monitoring import live, rulebook
from shouye.monitoring.choices import LEVEL_ORDER, OPEN_STATES, AlarmKind, AlarmLevel, AlarmSource
from shouye.monitoring.models import (
    Alarm,
    AlarmPhoto,
    AlarmVendor,
    Camera,
    Scenario,
    UnmappedTypeCode,
    VideoEvent,
    VideoInbox,
)

from . import directory
from .adapters import VendorEvent
from .auth import VendorCredentials

logger = logging.getLogger(__name__)

ACCEPTED, DUPLICATE = "accepted", "duplicate"
#: What the intake answers it did with an event (``received_as``).
RECEIPTS = (ACCEPTED, DUPLICATE)
RAISED, REPEATED = "raised", "repeated"

#: Rows one processor transaction takes: large enough that a burst of 1,000 events a second is a few
#: transactions (issue 13's benchmark), small enough that a batch commits within tens of milliseconds.
BATCH = 500

#: How long a processed inbox row is kept (a replay within it answers ``duplicate`` with the alarm at once;
#: one later is still recognised by its ``VideoEvent`` when drained).
KEEP_PROCESSED = timedelta(days=1)

_LEVELS = set(AlarmLevel.values)


@dataclass(frozen=True)
class Receipt:
    """The intake's answer: the inbox row, and for a replay the alarm its event made once it is known."""

    event: int
    received_as: str
    alarm_id: int | None = None
    repeat_count: int | None = None


@dataclass(frozen=True)
class Outcome:
    alarm_id: int
    outcome: str
    repeat_count: int


#: The inbox's columns an accepted event fills.
INBOX_COLUMNS = ("vendor_id", "event_id", "camera_id", "scenario_id", "level", "occurred_at", "description",
                 "clip_url", "snapshot", "received_at")


@dataclass(frozen=True)
class Checked:
    """An event that passed :func:`check_event`: its inbox row's values (:data:`INBOX_COLUMNS`)."""

    values: tuple

    @property
    def key(self) -> tuple[int, str]:
        return self.values[0], self.values[1]


def accept_event(*, vendor: VendorCredentials, event: VendorEvent) -> Receipt:
    """The event in the inbox (or found there: a replay); see :func:`check_event` for what is refused."""
    return enter_events([check_event(vendor=vendor, event=event)])[0]


def check_event(*, vendor: VendorCredentials, event: VendorEvent) -> Checked:
    """The event's inbox row, or ValidationError (400) for an unmapped type code, a time ahead of our clock by
    more than the replay window (a vendor's clock gone wrong would put the alarm ahead of every other on the
    board), a camera the vendor's platform has but the enterprise did not register, or a bad snapshot; nothing
    is written, apart from counting the unmapped code."""
    scenario = vendor.scenarios.get(event.type_code)
    if scenario is None:
        _count_unmapped(vendor, event.type_code)
        raise ValidationError({"type": _("The type code %(code)s is not mapped to a scenario of the platform: "
                                         "ask the bureau to map it.") % {"code": event.type_code}})
    now = timezone.now()
    if event.occurred_at > now + timedelta(seconds=vendor.replay_window_seconds):
        raise ValidationError({"occurred_at": _("The event's time is in the future: check the vendor's clock.")})
    camera = directory.camera_of(vendor.id, event.device_id)
    if camera is None:
        raise ValidationError({"device_id": _("No active camera of this vendor has the device id %(device)s.")
                               % {"device": event.device_id}})
    if event.snapshot:
        check_photos([ContentFile(event.snapshot, name="snapshot")], field="snapshot")
    severity_level = vendor.severity_map.get(event.severity)
    level = severity_level if severity_level in _LEVELS else scenario.default_level
    ops = connection.ops
    return Checked((vendor.id, event.event_id, camera.id, scenario.id, level,
                    ops.adapt_datetimefield_value(event.occurred_at), event.description, event.clip_url,
                    event.snapshot or None, ops.adapt_datetimefield_value(now)))


def enter_events(checked: list[Checked]) -> list[Receipt]:
    """The events in the inbox, in one transaction of one INSERT (and one read for those it found there): each
    its receipt, in order. An event not in the inbox yet is accepted, at its first place in the list; every
    other is a duplicate. The rows go in ordered by (vendor, event id), so two processes entering overlapping
    events wait for each other in one order and never deadlock. A database error enters none of them."""
    first: dict[tuple[int, str], Checked] = {}
    for one in checked:
        first.setdefault(one.key, one)
    rows = [first[key] for key in sorted(first)]
    ops = connection.ops
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ops.quote_name(VideoInbox._meta.db_table)} ({', '.join(INBOX_COLUMNS)}) VALUES "
            + ", ".join([f"({', '.join(['%s'] * len(INBOX_COLUMNS))})"] * len(rows))
            + " ON CONFLICT (vendor_id, event_id) DO NOTHING RETURNING id, vendor_id, event_id",
            [value for row in rows for value in row.values])
        inserted = {(vendor_id, event_id): pk for pk, vendor_id, event_id in cursor.fetchall()}
        # Accepted: each inserted event at its first place; every other place is a duplicate.
        accepted = [one.key in inserted and one is first[one.key] for one in checked]
        found = _received([one.key for one, taken in zip(checked, accepted, strict=True) if not taken])
    return [Receipt(inserted[one.key], ACCEPTED) if taken else Receipt(*found[one.key])
            for one, taken in zip(checked, accepted, strict=True)]


def _received(keys: list[tuple[int, str]]) -> dict[tuple[int, str], tuple[int, str, int | None, int | None]]:
    """The inbox rows of events received before, each with its alarm once made (its ``VideoEvent``)."""
    if not keys:
        return {}
    keys = sorted(set(keys))
    inbox, events, alarms = (VideoInbox._meta.db_table, VideoEvent._meta.db_table, Alarm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT i.vendor_id, i.event_id, i.id, e.alarm_id, a.repeat_count FROM {inbox} i "
                       f"LEFT JOIN {events} e ON e.vendor_id = i.vendor_id AND e.event_id = i.event_id "
                       f"LEFT JOIN {alarms} a ON a.id = e.alarm_id "
                       f"WHERE (i.vendor_id, i.event_id) IN ({', '.join(['(%s, %s)'] * len(keys))})",
                       [value for key in keys for value in key])
        return {(vendor_id, event_id): (event, DUPLICATE, alarm, repeat_count)
                for vendor_id, event_id, event, alarm, repeat_count in cursor.fetchall()}


def receive_event(*, vendor: VendorCredentials, event: VendorEvent) -> Outcome:
    """Accept the event and make it an alarm at once (the demo's history, which plays events one by one): the
    alarm it raised, repeated or — for a replay — first made."""
    receipt = accept_event(vendor=vendor, event=event)
    if receipt.received_as == DUPLICATE and receipt.alarm_id is not None:
        return Outcome(receipt.alarm_id, DUPLICATE, receipt.repeat_count)
    with transaction.atomic():
        rows = list(VideoInbox.objects.select_for_update().filter(pk=receipt.event, processed_at__isnull=True))
        outcomes = _process(rows)
    if receipt.event in outcomes:
        return outcomes[receipt.event]
    _event, _how, alarm, repeat_count = _received([(vendor.id, event.event_id)])[(vendor.id, event.event_id)]
    return Outcome(alarm, DUPLICATE, repeat_count)


def drain_inbox(limit: int = BATCH) -> int:
    """Make alarms of up to ``limit`` of the oldest events waiting in the inbox, in one transaction; the number
    of events processed (0: nothing was waiting that another processor had not taken)."""
    with transaction.atomic():
        rows = list(VideoInbox.objects.select_for_update(skip_locked=True).filter(processed_at__isnull=True)
                    .order_by("pk")[:limit])
        _process(rows)
    return len(rows)


def drain_all(limit: int = BATCH, seconds: float | None = None) -> int:
    """Drain until the inbox is empty (or ``seconds`` have passed); the number of events processed."""
    deadline = None if seconds is None else timezone.now() + timedelta(seconds=seconds)
    total = 0
    while deadline is None or timezone.now() < deadline:
        done = drain_inbox(limit)
        total += done
        if done < limit:
            break
    return total


def remove_processed(now=None) -> int:
    """Remove the inbox rows processed more than :data:`KEEP_PROCESSED` ago (their ``VideoEvent`` stays)."""
    before = (now or timezone.now()) - KEEP_PROCESSED
    return VideoInbox.objects.filter(processed_at__lt=before).delete()[0]


@dataclass
class _Scene:
    """An open alarm of one camera and scenario as the batch sees it: committed (locked) or raised by the batch."""

    alarm: Alarm
    is_new: bool
    repeats: int = 0
    dirty: bool = False


def _process(rows: list[VideoInbox]) -> dict[int, Outcome]:
    """Every row's event made an alarm or a repeat (or found a duplicate), in the caller's transaction."""
    if not rows:
        return {}
    now = timezone.now()
    known = set(VideoEvent.objects.filter(vendor_id__in={r.vendor_id for r in rows},
                                          event_id__in={r.event_id for r in rows}).values_list("vendor_id", "event_id"))
    fresh = [r for r in rows if (r.vendor_id, r.event_id) not in known]
    scenarios = Scenario.objects.in_bulk({r.scenario_id for r in fresh})
    scenes = sorted({(r.camera_id, r.scenario_id) for r in fresh})
    _lock_scenes(scenes)
    open_alarms = _open_alarms(fresh, scenarios)
    cameras = {c["pk"]: c for c in Camera.objects.filter(
        pk__in={r.camera_id for r in fresh}).values("pk", "enterprise_id", "installation_id")}
    enterprises = {e.pk: e for e in locked_for_stamping(Enterprise.objects.filter(
        pk__in={c["enterprise_id"] for c in cameras.values()})).only("pk", "township", "industry").order_by("pk")}
    vendors = dict(AlarmVendor.objects.filter(pk__in={r.vendor_id for r in fresh}).values_list("pk", "code"))

    decided: list[tuple[VideoInbox, _Scene, str]] = []
    for row in fresh:
        scenario = scenarios[row.scenario_id]
        since = row.occurred_at - timedelta(minutes=scenario.dedupe_minutes)
        candidates = [s for s in open_alarms[(row.camera_id, row.scenario_id)] if s.alarm.last_seen_at >= since]
        if candidates:
            scene = max(candidates, key=lambda s: s.alarm.last_seen_at)
            _count_repeat(scene, row, now)
            decided.append((row, scene, REPEATED))
            continue
        camera = cameras[row.camera_id]
        alarm = Alarm(source=AlarmSource.VIDEO, kind=AlarmKind.VIDEO, level=row.level, camera_id=row.camera_id,
                      scenario=scenario, vendor_id=row.vendor_id, installation_id=camera["installation_id"],
                      description=row.description, clip_url=row.clip_url, raised_at=row.occurred_at,
                      received_at=now, last_seen_at=row.occurred_at,
                      ack_due_by=rulebook.rule_for(row.level).ack_due_by(now), changed_at=now)
        alarm.stamp_from(enterprises[camera["enterprise_id"]], locked=True)
        scene = _Scene(alarm, is_new=True)
        open_alarms[(row.camera_id, row.scenario_id)].append(scene)
        decided.append((row, scene, RAISED))

    raised = [scene.alarm for _row, scene, how in decided if how == RAISED]
    Alarm.objects.bulk_create(raised)
    for scene in {id(s): s for _row, s, _how in decided}.values():
        if not scene.is_new and scene.dirty:
            Alarm.objects.filter(pk=scene.alarm.pk).update(
                repeat_count=F("repeat_count") + scene.repeats, last_seen_at=scene.alarm.last_seen_at,
                level=scene.alarm.level, changed_at=now)
    for row, scene, how in decided:
        if how == RAISED and row.snapshot:
            _store_snapshot(scene.alarm, bytes(row.snapshot))
    VideoEvent.objects.bulk_create([VideoEvent(vendor_id=row.vendor_id, event_id=row.event_id,
                                               alarm_id=scene.alarm.pk, occurred_at=row.occurred_at)
                                    for row, scene, _how in decided])
    audit.record_many(actor=None, actor_name="system", events=[
        ("alarm.raise", scene.alarm, None, f"{vendors[row.vendor_id]} {row.event_id}")
        for row, scene, how in decided if how == RAISED])
    live.publish(dict.fromkeys(scene.alarm.pk for _row, scene, _how in decided))

    VideoInbox.objects.filter(pk__in=[row.pk for row in rows]).update(processed_at=now, snapshot=None)
    if raised:
        ids = [alarm.pk for alarm in raised]
        transaction.on_commit(lambda: _announce(ids), robust=True)
    return {row.pk: Outcome(scene.alarm.pk, how, scene.alarm.repeat_count) for row, scene, how in decided}


def _lock_scenes(scenes: list[tuple[int, int]]) -> None:
    """Hold each (camera, scenario) of the batch until the transaction ends, taken in one order, so a second
    processor's batch with the same scene waits for this one's alarm instead of raising its own (PostgreSQL;
    SQLite has one writer at a time)."""
    if connection.vendor != "postgresql" or not scenes:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended('monitoring.video-scene:' || c || ':' || s, 0)) "
                       "FROM unnest(%s::int[], %s::int[]) AS t(c, s) ORDER BY c, s",
                       [[c for c, _s in scenes], [s for _c, s in scenes]])


def _open_alarms(rows: list[VideoInbox], scenarios: dict[int, Scenario]) -> dict[tuple[int, int], list[_Scene]]:
    """The committed open alarms the batch's events may repeat, locked: of their scenes, last seen within the
    longest window before the earliest event. Found first without a lock (cameras × scenarios is wider than the
    batch's scenes), then only the batch's scenes' alarms locked in id order, so two processors never lock
    each other's rows in opposite orders."""
    found: dict[tuple[int, int], list[_Scene]] = defaultdict(list)
    if not rows:
        return found
    since = min(r.occurred_at - timedelta(minutes=scenarios[r.scenario_id].dedupe_minutes) for r in rows)
    wanted = {(r.camera_id, r.scenario_id) for r in rows}
    open_since = {"state__in": OPEN_STATES, "last_seen_at__gte": since}
    ids = [pk for pk, camera, scenario in Alarm.objects.filter(
        camera_id__in={c for c, _s in wanted}, scenario_id__in={s for _c, s in wanted}, **open_since)
        .values_list("pk", "camera_id", "scenario_id") if (camera, scenario) in wanted]
    if ids:
        for alarm in (Alarm.objects.select_for_update().filter(pk__in=ids, **open_since).order_by("pk")
                      .only("pk", "camera", "scenario", "level", "last_seen_at", "repeat_count")):
            found[(alarm.camera_id, alarm.scenario_id)].append(_Scene(alarm, is_new=False))
    return found


def _count_repeat(scene: _Scene, row: VideoInbox, now) -> None:
    alarm = scene.alarm
    alarm.repeat_count += 1
    scene.repeats += 1
    scene.dirty = True
    if row.occurred_at > alarm.last_seen_at:
        alarm.last_seen_at = row.occurred_at
    if LEVEL_ORDER.index(row.level) < LEVEL_ORDER.index(alarm.level):
        alarm.level = row.level
    alarm.changed_at = now


def _store_snapshot(alarm: Alarm, snapshot: bytes) -> None:
    """The event's snapshot as the alarm's photo. It was checked when the event was accepted; should the check
    refuse it now (the limits changed in between), the alarm stands without it rather than the batch failing."""
    try:
        photos = check_photos([ContentFile(snapshot, name="snapshot")], field="snapshot")
    except ValidationError as exc:
        logger.warning("video alarm %s: snapshot refused on storing: %s", alarm.pk, exc.messages)
        return
    save_photos(AlarmPhoto, {"alarm": alarm, "is_snapshot": True}, photos, None)


def _count_unmapped(vendor: VendorCredentials, code: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        if not UnmappedTypeCode.objects.filter(vendor_id=vendor.id, vendor_code=code).update(
                count=F("count") + 1, last_seen_at=now):
            UnmappedTypeCode.objects.bulk_create(
                [UnmappedTypeCode(vendor_id=vendor.id, vendor_code=code, count=1, last_seen_at=now)],
                ignore_conflicts=True)


def _announce(alarm_ids: list[int]) -> None:
    """Tell whom each new alarm's rule notifies (the lifecycle's task), once the alarms are committed."""
    from shouye.monitoring.tasks import announce_alarms

    announce_alarms.delay(alarm_ids)
