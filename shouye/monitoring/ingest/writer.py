"""Judging a batch of readings and storing it, as two transactions (decision 0014). **Judging**
(:meth:`Writer.judge`) evaluates every reading and commits the status rows of the points whose evaluation
changed (condition, pending band, stuck or offline) and the sensor alarms it raised, worsened or cleared,
each with its audit event; the board is told inside that transaction (``live.publish``) and the notification
task is queued when it commits. **Storing** (:meth:`Writer.store`) writes the readings (a reading already
there is skipped, so a redelivered message writes nothing twice). The ingest judges a batch, then hands its
readings to a thread of their own and acknowledges the messages once they are stored (``runner.py``): an
alarm is on the board without waiting for its batch's COPY, and a crash between the two loses nothing — the
messages were not acknowledged, so they are delivered again; their readings are stored then, and judged again
against status rows that already hold what they changed, which raises nothing twice.

The points' evaluation states live in memory (issue 13: 50,000 readings/s on one box): read from the status
rows once when the writer starts (and for a point configured later when the directory is read again), then
evaluated and kept here. The process owns its points' states, so each gateway's messages must always reach the
same ingest process (README, monitoring section: a topic-hash shared subscription, or one process per topic
subset). A change of condition, pending band or stuck/offline flag is written in the batch's transaction, so
a delay begun before a restart completes after it; the latest value and time, and the identical-value count,
are written for all points in bulk every few seconds (:meth:`Writer.flush_latest`). After a crash the status
rows' latest values may therefore lag by those seconds; the readings themselves are exact, and readings after
the lagging latest time are evaluated again on redelivery from the same counts, which changes nothing.

Offline is judged from when this process last *received* a reading of the point (its arrival, in memory),
not from the readings' times or the commit: a backlog after a restart is not an outage. No point is offline
before its window has passed since the writer started (a grace period), and the ingest skips the sweep while
it is behind (``runner.py``)."""

from __future__ import annotations

import importlib
import logging
import struct
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shouye.audit import services as audit

from .. import evaluation as ev
from .. import live, rulebook, storage
from ..choices import ACTIVE_STATES, AlarmKind, AlarmSource, AlarmState, ClearCondition, Condition
from ..models import Alarm, PointStatus
from .directory import Directory

log = logging.getLogger("shouye.monitoring.ingest")

#: The PostgreSQL binary COPY of (point_id bigint, ms bigint, value float8), built with numpy.
_COPY_ROW = np.dtype([("n", ">i2"), ("l1", ">i4"), ("p", ">i8"), ("l2", ">i4"), ("t", ">i8"), ("l3", ">i4"),
                      ("v", ">f8")])
#: The binary COPY of the latest values (point, value, measured ms, received ms, repeat value, repeat count).
_LATEST_ROW = np.dtype([("n", ">i2"), ("l1", ">i4"), ("p", ">i8"), ("l2", ">i4"), ("v", ">f8"), ("l3", ">i4"),
                        ("m", ">i8"), ("l4", ">i4"), ("r", ">i8"), ("l5", ">i4"), ("rv", ">f8"), ("l6", ">i4"),
                        ("rn", ">i8")])
_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_TRAILER = struct.pack(">h", -1)
_EPOCH = "timestamptz 'epoch' + %s * interval '1 millisecond'"
_STATUS_COLUMNS = ("point_id", "value", "measured_at", "received_at", "condition", "condition_since",
                   "pending_condition", "pending_since", "repeat_value", "repeat_count", "is_offline", "is_stuck")
_SIDE = {"process": AlarmKind.PROCESS, "stuck": AlarmKind.STUCK, "offline": AlarmKind.OFFLINE}
_SETPOINT = {ev.HIGH_HIGH: "hh", ev.HIGH: "h", ev.LOW: "l", ev.LOW_LOW: "ll"}


@dataclass
class Result:
    written: int = 0
    duplicates: int = 0
    raised: list[int] = field(default_factory=list)
    worsened: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)


_EPOCH_DT = datetime(1970, 1, 1, tzinfo=UTC)


def to_datetime(ms: int) -> datetime:
    return _EPOCH_DT + timedelta(milliseconds=int(ms))


def announce(alarm_ids: list[int]) -> None:
    """Queue the notification of raised, worsened and cleared alarms (the lifecycle's task, looked up by name
    when the transaction has committed)."""
    importlib.import_module("shouye.monitoring.tasks").announce_alarms.delay(alarm_ids)


@dataclass
class Latest:
    """Points' latest values copied when they were due (:meth:`Writer.latest_due`), for
    :meth:`Writer.write_latest`: on PostgreSQL the binary COPY of them, built at once so that the write can run
    in another thread while the states move on; on SQLite the rows, written from the states where they are."""

    rows: np.ndarray
    data: np.ndarray | None = None


class Writer:
    def __init__(self, directory: Directory, now: datetime | None = None, aftercare=None):
        """``aftercare``, if given, is called with the alarm ids of each transaction that committed alarm
        changes, and must announce them and seal the audit events (the ingest does both in a thread of its
        own, so that the next batch is not judged after a broker's round trip and a chain seal); without
        it the writer announces on commit and the audit events seal themselves (the demo, the tests)."""
        self._days: set = set()
        self.aftercare = aftercare
        self.started_ms = _ms(now or timezone.now())
        self.directory = Directory()
        self.state = ev.States(0)
        self.seen_ms = self.received_ms = np.zeros(0, np.int64)
        self.dirty = self.saved = np.zeros(0, bool)
        self.adopt(directory)

    # -- the points' states in memory ------------------------------------------------------------------

    def adopt(self, directory: Directory) -> None:
        """Take a directory read (again): the states of the points known are kept, those of points new to
        this process are read from their status rows; a new point's silence counts from now (grace)."""
        old, st = self.directory, self.state
        size = len(directory.ids)
        new = ev.States(size)
        seen, received, dirty, saved = np.full(size, self.started_ms, np.int64), np.full(size, ev.NEVER, np.int64), \
            np.zeros(size, bool), np.zeros(size, bool)
        was = old.rows_of(directory.ids)
        kept = was >= 0
        for name in ev.States.__slots__:
            getattr(new, name)[kept] = getattr(st, name)[was[kept]]
        seen[kept], received[kept], dirty[kept], saved[kept] = self.seen_ms[was[kept]], self.received_ms[was[kept]], \
            self.dirty[was[kept]], self.saved[was[kept]]
        if len(old.ids):
            seen[~kept] = max(self.started_ms, _ms(timezone.now()))
        self.directory, self.state = directory, new
        self.seen_ms, self.received_ms, self.dirty, self.saved = seen, received, dirty, saved
        d = directory
        self.limits = ev.Limits(d.high_high, d.high, d.low, d.low_low, d.dead_band, d.delay_ms, d.stuck_after)
        fresh = d.ids[~kept]
        if len(fresh):
            self._load(fresh)

    def _load(self, pks: np.ndarray) -> None:
        rows = self._status_rows(pks)
        if not rows:
            return
        pk, measured, value, received, condition, since, pending, pending_since, repeat_v, repeat_n, offline, \
            stuck = zip(*rows, strict=True)
        st = self.state
        at = self.directory.rows_of(np.array(pk, np.int64))
        st.latest_t[at], st.latest_v[at] = _never(measured), np.array(value, dtype=np.float64)
        self.received_ms[at] = _never(received)
        st.condition[at] = [ev.CODE.get(c, ev.NORMAL) for c in condition]
        st.condition_since[at] = _never(since)
        st.pending[at] = [ev.CODE.get(c, ev.NONE) if c else ev.NONE for c in pending]
        st.pending_since[at] = _never(pending_since)
        st.repeat_v[at] = np.array(repeat_v, dtype=np.float64)  # None → NaN
        st.repeat_n[at], st.offline[at], st.stuck[at] = repeat_n, offline, stuck
        self.saved[at] = True

    @staticmethod
    def _status_rows(pks: np.ndarray) -> list[tuple]:
        """The points' status rows, times as epoch ms (read once per point by this process)."""
        if connection.vendor == "postgresql":
            def ms(column):
                return f"(extract(epoch FROM {column}) * 1000)::bigint"

            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT point_id, {ms('measured_at')}, value, {ms('received_at')}, condition, "
                    f"{ms('condition_since')}, pending_condition, {ms('pending_since')}, repeat_value, repeat_count, "
                    "is_offline, is_stuck FROM monitoring_pointstatus WHERE point_id = ANY(%s::bigint[])",
                    [_array(pks.tolist())])
                return cursor.fetchall()
        return [(pk, _ms(m), v, _ms(r), c, _ms(cs), pc, _ms(ps), rv, rn, o, s)
                for pk, m, v, r, c, cs, pc, ps, rv, rn, o, s in
                PointStatus.objects.filter(point_id__in=pks.tolist()).values_list(
                    "point_id", "measured_at", "value", "received_at", "condition", "condition_since",
                    "pending_condition", "pending_since", "repeat_value", "repeat_count", "is_offline", "is_stuck")]

    def _snapshot(self, rows: np.ndarray) -> dict:
        saved = {name: getattr(self.state, name)[rows].copy() for name in ev.States.__slots__}
        saved.update(seen_ms=self.seen_ms[rows].copy(), received_ms=self.received_ms[rows].copy(),
                     dirty=self.dirty[rows].copy(), saved=self.saved[rows].copy())
        return saved

    def _restore(self, rows: np.ndarray, saved: dict) -> None:
        """Put the rows' states back as they were: the transaction that moved them rolled back."""
        for name, values in saved.items():
            target = getattr(self.state, name) if name in ev.States.__slots__ else getattr(self, name)
            target[rows] = values

    # -- one batch ---------------------------------------------------------------------------------------

    def write(self, pks, times, values) -> Result:
        """Judge a batch, then store its readings (the demo and the tests; the ingest runs the two apart)."""
        result = self.judge(pks, times, values)
        result.written = self.store(pks, times, values)
        result.duplicates = len(pks) - result.written
        return result

    def judge(self, pks, times, values) -> Result:
        """Evaluate a batch (point ids, epoch ms, values: validated by ``wire.decode``) and commit what it
        changed in one small transaction: the status rows of the points whose evaluation moved, the alarms
        raised, worsened or cleared with their audit events and peaks, and the board told. The readings are
        not written here (:meth:`store`): the alarm does not wait behind the batch's COPY (issue 13, reading to
        alarm pushed p99 ≤ 250 ms). Redelivered, the batch changes nothing: the status rows already hold the
        condition it moved to."""
        pks = np.asarray(pks, np.int64)
        times = np.asarray(times, np.int64)
        values = np.asarray(values, np.float64)
        result = Result()
        if not len(pks):
            return result
        now = timezone.now()
        index = self.directory.rows_of(pks)
        known = index >= 0  # a point dropped by a refresh since its message was decoded is written, not judged
        index, times_k, values_k = index[known], times[known], values[known]
        rows = np.unique(index)
        st = self.state
        saved = self._snapshot(rows)
        try:
            with transaction.atomic():
                st.evaluated[rows] = False
                changes = ev.evaluate(self.limits, st, index, times_k, values_k)
                self.seen_ms[rows] = _ms(now)
                done = rows[st.evaluated[rows]]
                self.received_ms[done] = _ms(now)
                self.dirty[done] = True
                moved = ~self.saved[rows]  # a point's first judgement makes its status row
                for name in ("condition", "condition_since", "pending", "pending_since", "offline", "stuck"):
                    moved |= getattr(st, name)[rows] != saved[name]
                self._statuses(rows[moved])
                if changes:
                    self._alarms(changes, now, result)
                peaked = self._peaks(rows, index, values_k, now)
                self._tell(result.raised + result.worsened + result.cleared + peaked)
        except BaseException:
            self._restore(rows, saved)
            raise
        return result

    def store(self, pks, times, values) -> int:
        """Write readings in one transaction; a reading already there (point, time) is skipped, so a message
        delivered again writes nothing twice. Returns how many were new. Touches none of the points' states:
        the ingest runs it in a thread of its own, beside the judging of the next batch."""
        pks = np.asarray(pks, np.int64)
        if not len(pks):
            return 0
        with transaction.atomic():
            return self._readings(pks, np.asarray(times, np.int64), np.asarray(values, np.float64))

    def _readings(self, pks, times, values) -> int:
        if not storage.is_partitioned(connection):
            rows = [(int(p), connection.ops.adapt_datetimefield_value(to_datetime(t)), float(v))
                    for p, t, v in zip(pks.tolist(), times.tolist(), values.tolist(), strict=True)]
            with connection.cursor() as cursor:
                before = connection.connection.total_changes
                cursor.executemany(
                    "INSERT OR IGNORE INTO monitoring_reading (point_id, measured_at, value) VALUES (%s, %s, %s)",
                    rows)
                return connection.connection.total_changes - before
        self._partitions(times)
        data = np.empty(len(pks), _COPY_ROW)
        data["n"], data["l1"], data["l2"], data["l3"] = 3, 8, 8, 8
        data["p"], data["t"], data["v"] = pks, times, values
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS ingest_batch (point_id bigint, ms bigint, "
                           "value double precision) ON COMMIT DELETE ROWS")
            cursor.execute("TRUNCATE ingest_batch")
            with cursor.cursor.copy("COPY ingest_batch (point_id, ms, value) FROM STDIN WITH (FORMAT BINARY)") as copy:
                copy.write(_COPY_HEADER + data.tobytes() + _COPY_TRAILER)
            cursor.execute(
                "INSERT INTO monitoring_reading (point_id, measured_at, value) "
                f"SELECT point_id, {_EPOCH % 'ms'}, value FROM ingest_batch ON CONFLICT DO NOTHING")
            return cursor.rowcount

    def _partitions(self, times) -> None:
        """Make the day partitions the batch needs (days in the server's zone, as ``storage`` cuts them)."""
        zone = timezone.get_default_timezone()
        first = to_datetime(times.min()).astimezone(zone).date()
        last = to_datetime(times.max()).astimezone(zone).date()
        if first in self._days and last in self._days:
            return
        storage.ensure_partitions(first, last, connection)
        day = first
        while day <= last:
            self._days.add(day)
            day += timedelta(days=1)

    def _statuses(self, rows: np.ndarray) -> None:
        """Write the rows' whole status from memory (insert or update): the points whose evaluation changed."""
        if not len(rows):
            return
        self.saved[rows] = True
        st = self.state
        condition = [ev.CONDITION[c].value for c in st.condition[rows].tolist()]
        pending = [ev.CONDITION[c].value if c != ev.NONE else "" for c in st.pending[rows].tolist()]
        columns = [self.directory.ids[rows].tolist(), _floats(st.latest_v[rows]), _nullable(st.latest_t[rows]),
                   _nullable(self.received_ms[rows]), condition, _nullable(st.condition_since[rows]), pending,
                   _nullable(st.pending_since[rows]), _floats(st.repeat_v[rows]), st.repeat_n[rows].tolist(),
                   st.offline[rows].tolist(), st.stuck[rows].tolist()]
        update = ", ".join(f"{c} = excluded.{c}" for c in _STATUS_COLUMNS[1:])
        names = ", ".join(_STATUS_COLUMNS)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                source = (
                    f"SELECT p, v, {_EPOCH % 'm'}, {_EPOCH % 'r'}, c, {_EPOCH % 'cs'}, pc, {_EPOCH % 'ps'}, rv, rn, o, s "
                    "FROM unnest(%s::bigint[], %s::float8[], %s::bigint[], %s::bigint[], %s::text[], "
                    "%s::bigint[], %s::text[], %s::bigint[], %s::float8[], %s::bigint[], %s::bool[], %s::bool[]) "
                    "AS x(p, v, m, r, c, cs, pc, ps, rv, rn, o, s)")
                cursor.execute(f"INSERT INTO monitoring_pointstatus ({names}) {source} "
                               f"ON CONFLICT (point_id) DO UPDATE SET {update}", [_array(c) for c in columns])
                return
            adapt = connection.ops.adapt_datetimefield_value

            def when(ms):
                return None if ms is None else adapt(to_datetime(ms))

            rows = [(p, v, when(m), when(r), c, when(cs), pc, when(ps), rv, rn, o, s)
                    for p, v, m, r, c, cs, pc, ps, rv, rn, o, s in zip(*columns, strict=True)]
            cursor.executemany(
                f"INSERT INTO monitoring_pointstatus ({names}) VALUES ({', '.join(['%s'] * len(_STATUS_COLUMNS))}) "
                f"ON CONFLICT (point_id) DO UPDATE SET {update}", rows)

    def flush_latest(self, part: int = 0, parts: int = 1) -> int:
        """Write the latest values due (:meth:`latest_due`) at once; returns how many points."""
        latest = self.latest_due(part, parts)
        if latest is None:
            return 0
        try:
            return self.write_latest(latest)
        except BaseException:
            self.dirty[latest.rows] = True
            raise

    def latest_due(self, part: int = 0, parts: int = 1) -> Latest | None:
        """The latest value and time, the arrival and the identical-value count of every point that had a
        reading since they were last taken — of the points in slice ``part`` of ``parts`` (the ingest takes
        one slice after the other over a few seconds, and all when it stops) — or None when there are none."""
        rows = np.flatnonzero(self.dirty)
        if parts > 1:
            rows = rows[rows % parts == part]
        if not len(rows):
            return None
        self.dirty[rows] = False
        if connection.vendor != "postgresql":
            return Latest(rows)
        st = self.state
        data = np.empty(len(rows), _LATEST_ROW)
        data["n"] = 6
        for length in ("l1", "l2", "l3", "l4", "l5", "l6"):
            data[length] = 8
        data["p"], data["v"], data["m"] = self.directory.ids[rows], st.latest_v[rows], st.latest_t[rows]
        data["r"], data["rv"], data["rn"] = self.received_ms[rows], st.repeat_v[rows], st.repeat_n[rows]
        return Latest(rows, data)

    def write_latest(self, latest: Latest) -> int:
        """Write points' latest values to their status rows in one statement (every point has its row: its
        first judgement made it); returns how many points."""
        with transaction.atomic():
            if latest.data is None:
                self._statuses(latest.rows)
                return len(latest.rows)
            with connection.cursor() as cursor:
                cursor.execute("CREATE TEMP TABLE IF NOT EXISTS ingest_latest (p bigint, v float8, m bigint, "
                               "r bigint, rv float8, rn bigint) ON COMMIT DELETE ROWS")
                cursor.execute("TRUNCATE ingest_latest")
                with cursor.cursor.copy("COPY ingest_latest FROM STDIN WITH (FORMAT BINARY)") as copy:
                    copy.write(_COPY_HEADER + latest.data.tobytes() + _COPY_TRAILER)
                cursor.execute(
                    f"UPDATE monitoring_pointstatus t SET value = u.v, measured_at = {_EPOCH % 'u.m'}, "
                    f"received_at = {_EPOCH % 'u.r'}, repeat_value = u.rv, repeat_count = u.rn "
                    "FROM ingest_latest u WHERE t.point_id = u.p")
        return len(latest.rows)

    # -- alarms ----------------------------------------------------------------------------------------

    def _alarms(self, changes: list[ev.Change], now: datetime, result: Result) -> None:
        ids = self.directory.ids
        pks = sorted({int(ids[c.index]) for c in changes})
        active = {(a.point_id, a.kind): a for a in Alarm.objects.select_for_update().filter(
            point_id__in=pks, source=AlarmSource.SENSOR, state__in=ACTIVE_STATES)}
        created, updated, events = [], {}, []
        for change in changes:
            point = self.directory.points[int(ids[change.index])]
            kind = _SIDE[change.kind]
            alarm = active.get((point.pk, kind))
            at = to_datetime(change.at)
            if change.kind == "process" and change.after != ev.NORMAL:
                condition = ev.CONDITION[change.after]
                setpoint = point.setpoints[_SETPOINT[change.after]]
                if alarm is None:
                    alarm = self._new(point, kind, condition, change.value, setpoint, at, now)
                    active[(point.pk, kind)] = alarm
                    created.append(alarm)
                    events.append(("alarm.raise", alarm))
                elif ev.severity(change.after) > ev.severity(ev.CODE.get(alarm.condition, ev.NORMAL)):
                    alarm.condition, alarm.setpoint, alarm.peak_value = condition, setpoint, change.value
                    alarm.level = rulebook.level_for(condition, point.kind)
                    alarm.value, alarm.changed_at = change.value, now
                    updated[id(alarm)] = alarm
                    events.append(("alarm.worsen", alarm))
            elif change.kind == "stuck" and change.after:
                if alarm is None:
                    alarm = self._new(point, kind, Condition.STUCK, change.value, None, at, now)
                    active[(point.pk, kind)] = alarm
                    created.append(alarm)
                    events.append(("alarm.raise", alarm))
            elif alarm is not None and rulebook.rule_for(alarm.level).clear_condition == ClearCondition.AUTOMATIC:
                alarm.state, alarm.cleared_at, alarm.cleared_by, alarm.changed_at = AlarmState.CLEARED, now, None, now
                alarm.value = change.value
                del active[(point.pk, kind)]
                updated[id(alarm)] = alarm
                events.append(("alarm.auto-clear", alarm))
        Alarm.objects.bulk_create(created)
        _save_alarms([a for a in updated.values() if a.pk is not None])
        self._audit([(verb, alarm, _changes(alarm), "") for verb, alarm in events])
        for verb, alarm in events:
            {"alarm.raise": result.raised, "alarm.worsen": result.worsened,
             "alarm.auto-clear": result.cleared}[verb].append(alarm.pk)

    def _peaks(self, rows, index, values, now: datetime) -> list[int]:
        """The worst value of the active process alarms of the points still out of limits: the batch's highest
        reading above a high band, its lowest below a low one (one statement for all of them)."""
        st = self.state
        out = rows[st.evaluated[rows] & (st.condition[rows] != ev.NORMAL)]
        if not len(out):
            return []
        at = np.searchsorted(rows, index)
        high, low = np.full(len(rows), -np.inf), np.full(len(rows), np.inf)
        np.maximum.at(high, at, values)
        np.minimum.at(low, at, values)
        local = np.searchsorted(rows, out)
        above = st.condition[out] > 0
        worst = np.where(above, high[local], low[local])
        pks = self.directory.ids[out]
        states = ", ".join(["%s"] * len(ACTIVE_STATES))
        peaked = []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "UPDATE monitoring_alarm a SET peak_value = u.w, changed_at = %s FROM unnest(%s::bigint[], "
                    "%s::float8[], %s::bool[]) AS u(p, w, up) WHERE a.point_id = u.p AND a.kind = %s "
                    f"AND a.state IN ({states}) AND (a.peak_value IS NULL OR (u.up AND a.peak_value < u.w) "
                    "OR (NOT u.up AND a.peak_value > u.w)) RETURNING a.id",
                    [now, _array(pks.tolist()), _array(worst.tolist()), _array(above.tolist()), AlarmKind.PROCESS,
                     *ACTIVE_STATES])
                return [row[0] for row in cursor.fetchall()]
            for pk, w, up in zip(pks.tolist(), worst.tolist(), above.tolist(), strict=True):
                cursor.execute(
                    "UPDATE monitoring_alarm SET peak_value = %s, changed_at = %s WHERE point_id = %s AND kind = %s "
                    f"AND state IN ({states}) AND (peak_value IS NULL OR peak_value {'<' if up else '>'} %s) "
                    "RETURNING id",
                    [w, connection.ops.adapt_datetimefield_value(now), pk, AlarmKind.PROCESS, *ACTIVE_STATES, w])
                peaked += [row[0] for row in cursor.fetchall()]
        return peaked

    @staticmethod
    def _new(point, kind, condition, value, setpoint, at: datetime, now: datetime) -> Alarm:
        level = rulebook.level_for(condition, point.kind)
        return Alarm(source=AlarmSource.SENSOR, kind=kind, level=level, state=AlarmState.RAISED,
                     installation_id=point.installation_id, point_id=point.pk, condition=condition, value=value,
                     setpoint=setpoint, peak_value=value if kind == AlarmKind.PROCESS else None, raised_at=at,
                     received_at=now, last_seen_at=at, ack_due_by=rulebook.rule_for(level).ack_due_by(at),
                     changed_at=now, enterprise_id=point.enterprise_id, township_id=point.township_id,
                     industry_id=point.industry_id)

    def _audit(self, events: list) -> None:
        """The system's audit events of alarms; sealed by the aftercare when there is one."""
        with audit.sealing_elsewhere() if self.aftercare else nullcontext():
            audit.record_many(actor=None, actor_name="system", events=events)

    def _tell(self, ids: list[int]) -> None:
        ids = sorted(set(ids))
        if ids:
            live.publish(ids, connection)
            transaction.on_commit(lambda: (self.aftercare or announce)(ids), robust=True)

    # -- the offline sweep -----------------------------------------------------------------------------

    def sweep(self, now: datetime | None = None) -> list[int]:
        """Mark the points this process received nothing from for their window offline and raise their
        alarms, in bulk; returns the alarms raised. Silence counts from the last reading's arrival, and from
        the writer's start for a point not heard since (so nothing is offline in the first window)."""
        d, st = self.directory, self.state
        if not len(d.ids):
            return []
        now = now or timezone.now()
        due = np.flatnonzero(ev.offline_due(self.seen_ms, d.offline_window_ms, st.offline, _ms(now)))
        if not len(due):
            return []
        saved = self._snapshot(due)
        try:
            with transaction.atomic():
                st.offline[due] = True
                self._statuses(due)
                pks = d.ids[due].tolist()
                taken = set(Alarm.objects.filter(point_id__in=pks, kind=AlarmKind.OFFLINE,
                                                 state__in=ACTIVE_STATES).values_list("point_id", flat=True))
                created = [self._new(d.points[pk], AlarmKind.OFFLINE, Condition.OFFLINE, _float(st.latest_v[row]),
                                     None, now, now) for pk, row in zip(pks, due.tolist(), strict=True)
                           if pk not in taken]
                Alarm.objects.bulk_create(created, batch_size=5000)
                self._audit([("alarm.raise", a, _changes(a), "") for a in created])
                ids = [a.pk for a in created]
                self._tell(ids)
        except BaseException:
            self._restore(due, saved)
            raise
        return ids


_ALARM_SAVED = (("condition", "text"), ("level", "text"), ("setpoint", "float8"), ("peak_value", "float8"),
                ("value", "float8"), ("state", "text"), ("cleared_at", "timestamptz"), ("changed_at", "timestamptz"))


def _save_alarms(alarms: list[Alarm]) -> None:
    """Save the worsened and cleared alarms' changed fields in one statement (PostgreSQL: from arrays;
    Django's ``bulk_update`` builds a CASE per id, minutes for the tens of thousands of offline alarms a
    network's return clears)."""
    if not alarms:
        return
    names = [name for name, _ in _ALARM_SAVED]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = [[a.pk for a in alarms]] + [[getattr(a, name) for a in alarms] for name in names]
            arrays = ", ".join(f"%s::{kind}[]" for _, kind in _ALARM_SAVED)
            assignments = ", ".join(f"{name} = u.{name}" for name in names)
            cursor.execute(
                f"UPDATE monitoring_alarm a SET {assignments}, cleared_by_id = NULL FROM unnest(%s::bigint[], "
                f"{arrays}) AS u(id, {', '.join(names)}) WHERE a.id = u.id", columns)
            return
        adapt = connection.ops.adapt_datetimefield_value
        cursor.executemany(
            f"UPDATE monitoring_alarm SET {', '.join(f'{name} = %s' for name in names)} WHERE id = %s",
            [[adapt(v) if isinstance(v, datetime) else v for v in (getattr(a, name) for name in names)] + [a.pk]
             for a in alarms])


def _changes(alarm: Alarm) -> dict:
    return {"state": alarm.state, "level": alarm.level, "condition": alarm.condition, "value": alarm.value,
            "setpoint": alarm.setpoint}


def _ms(moment: datetime | None) -> int:
    return ev.NEVER if moment is None else (moment - _EPOCH_DT) // timedelta(milliseconds=1)


_BOOL = {True: "t", False: "f"}


def _array(items: list) -> str:
    """A PostgreSQL array literal of one column (numbers, booleans, None, plain codes): Django's client-side
    binding would quote a list element by element, a tenth of a second for a batch's five thousand statuses."""
    if not items:
        return "{}"
    sample = next((item for item in items if item is not None), None)
    if isinstance(sample, bool):
        text = map(_BOOL.__getitem__, items)
    elif isinstance(sample, str):
        text = (item or '""' for item in items)
    elif None in items:
        text = ("NULL" if item is None else str(item) for item in items)
    else:
        text = map(str, items)
    return "{" + ",".join(text) + "}"


def _never(ms: tuple) -> np.ndarray:
    return np.array([ev.NEVER if m is None else m for m in ms], np.int64)


def _nullable(ms: np.ndarray) -> list:
    return [None if m == ev.NEVER else m for m in ms.tolist()]


def _float(value) -> float | None:
    return None if np.isnan(value) else float(value)


def _floats(values: np.ndarray) -> list:
    return [None if v != v else v for v in values.tolist()]


def oldest_ms(now: datetime) -> int:
    """The oldest reading time accepted: the raw readings' retention (REGULATIONS-2 §B.3, at least 30 days)."""
    return _ms(now - timedelta(days=settings.SHOUYE_READING_RETENTION_DAYS))
