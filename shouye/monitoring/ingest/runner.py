"""The ingest process: an MQTT client (paho's network loop in its own thread), one loop that batches the
messages and judges each batch (its alarms committed and on the board at once), and two threads beside it:
the readings' lane stores the judged batches' readings — what waits, in one COPY — and only then acknowledges
their messages to the broker, and writes the points' latest values after them (``writer.py``); the side
thread announces the committed alarms to whom their rules notify, seals their audit events and reads the
points again when their configuration changed. The loop does none of these slow things itself, so the next batch is judged on time (issue 13: reading to alarm on the board,
p99 ≤ 250 ms). On SQLite (the embedded demo) all of it happens in the loop: one writer at a time is all SQLite
takes.

Nothing is lost or written twice across failures: the client keeps a persistent session (a fixed client id,
``clean_session=False``, QoS 1), so messages published while it is down, or received but not acknowledged, are
delivered again; readings are keyed (point, time), so a message delivered again writes nothing twice and its
points' evaluation does not move back (``evaluation.py``). A batch whose transaction failed (the database
restarted) is retried, with back-off, until it commits. An acknowledgement is only sent on the connection the
message came on; after a reconnection the broker delivers the message again instead."""

from __future__ import annotations

import importlib
import json
import logging
import os
import queue
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from django.conf import settings
from django.db import Error as DatabaseError
from django.db import connection
from django.utils import timezone

from shouye.audit import services as audit

from . import wire, writer
from .directory import REFRESH_SECONDS, Directory

log = logging.getLogger("shouye.monitoring.ingest")

#: A batch is judged when its first message waited this long, or when it holds ``BATCH_READINGS``: the
#: judging is a small transaction (the readings are stored apart, in the lane), so it runs often — at 0.1 s the
#: wait for the batch was most of an alarm's way to the board (issue 13, p99 ≤ 250 ms).
BATCH_SECONDS = 0.05
BATCH_READINGS = 50_000
#: Judged readings not yet stored before the loop waits for the readings' lane (the back-pressure): about
#: 20 s of 50,000 readings/s, so a stall of the storage — a checkpoint's full-page images, a slow disk — does
#: not hold the judging and the alarms up (issue 13, p99 ≤ 250 ms over the whole run); about 40 MB held.
#: Mosquitto's in-flight window must be as deep (README "Monitoring"). The lane stores up to
#: ``LANE_READINGS`` of them in one COPY.
LANE_BEHIND_READINGS = 1_000_000
LANE_READINGS = 200_000
#: How often the points are checked for silence (offline).
SWEEP_SECONDS = 5
#: The ingest is behind when a batch leaves full or its oldest message waited longer than this; the offline
#: sweep is skipped until it has kept up for a whole sweep interval (a backlog is not an outage).
BEHIND_SECONDS = 2
#: How often each point's latest value is written to its status row (``Writer.latest_due``), in
#: ``LATEST_PARTS`` slices spread over the interval: all 50,000 at once held the batches up for half a second.
LATEST_SECONDS = 5
LATEST_PARTS = 10
#: How often the counters are logged and written to the status file.
REPORT_SECONDS = 10
#: Back-off after a failed write or an unreachable database: doubling up to this.
MAX_BACKOFF_SECONDS = 10


@dataclass
class Counters:
    messages: int = 0
    unparseable: int = 0
    readings: int = 0
    written: int = 0
    duplicates: int = 0
    refused: int = 0
    batches: int = 0
    failed_batches: int = 0
    alarms_raised: int = 0
    alarms_worsened: int = 0
    alarms_cleared: int = 0


def _waiting(work, first, limit: float = float("inf"), size=lambda item: 1) -> tuple[list, bool]:
    """``first`` and the items waiting behind it in the queue ``work`` (until their ``size`` reaches ``limit``),
    and whether the stop (None) came among them."""
    items, total, item = [], 0, first
    while item is not None:
        items.append(item)
        total += size(item)
        if total >= limit:
            return items, False
        try:
            item = work.get_nowait()
        except queue.Empty:
            return items, False
    return items, True


def _size(item) -> int:
    """The readings of an item for the lane: a judged batch's, none for the latest values."""
    return len(item[0].pks) if isinstance(item, tuple) else 0


def broker_address(url: str) -> tuple[str, int]:
    """``mqtt://host:port``; empty means the embedded broker of ``shouye up``."""
    if not url:
        return "127.0.0.1", settings.SHOUYE_MQTT_EMBEDDED_PORT
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "tcp") or not parts.hostname:
        raise ValueError(f"not an mqtt:// URL: {url}")
    return parts.hostname, parts.port or 1883


class Ingest:
    def __init__(self, *, url: str = "", client_id: str = "shouye-ingest", topic: str = "",
                 status_file: str | os.PathLike | None = None, batch_seconds: float = BATCH_SECONDS,
                 sweep_seconds: float = SWEEP_SECONDS, report_seconds: float = REPORT_SECONDS):
        self.host, self.port = broker_address(url)
        self.client_id = client_id
        self.topic = topic or settings.SHOUYE_MQTT_TOPIC
        self.status_file = Path(status_file) if status_file else None
        self.batch_seconds, self.sweep_seconds, self.report_seconds = batch_seconds, sweep_seconds, report_seconds
        self.counters = Counters()
        self.connected = threading.Event()
        #: Set when the broker confirmed the subscription (tests and the benchmark wait for it).
        self.subscribed = threading.Event()
        self._stop = threading.Event()
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._generation = 0
        self._started = time.monotonic()
        #: When the ingest was last found behind (the sweep waits a whole interval after it).
        self._behind_at = float("-inf")
        #: The readings' lane (``run`` opens it on PostgreSQL); without it a batch is stored where it is judged.
        self._lane: queue.SimpleQueue | None = None
        #: The side thread's work (alarm ids to announce), and the directories it read for the loop to adopt.
        self._side: queue.SimpleQueue | None = None
        self._directories: queue.SimpleQueue = queue.SimpleQueue()
        #: What stopped the lane, if anything but the loop did: the ingest then stops and says so.
        self._lane_error: BaseException | None = None
        #: The readings handed to the lane and not yet stored (``_hand`` waits while there are too many).
        self._unstored, self._unstored_changed = 0, threading.Condition()

    # -- the MQTT side (paho's thread) -------------------------------------------------------------------

    def _client(self):
        import paho.mqtt.client as mqtt

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, clean_session=False,
                             protocol=mqtt.MQTTv311, manual_ack=True)
        client.reconnect_delay_set(min_delay=1, max_delay=30)

        def on_connect(client, userdata, flags, reason_code, properties):
            if reason_code.is_failure:
                log.warning("broker refused the connection: %s", reason_code)
                return
            self._generation += 1
            client.subscribe(self.topic, qos=1)
            self.connected.set()
            log.info("connected to %s:%s as %s, subscribed to %s", self.host, self.port, self.client_id,
                     self.topic)

        def on_subscribe(client, userdata, mid, reason_codes, properties):
            if all(not code.is_failure for code in reason_codes):
                self.subscribed.set()
            else:
                log.error("broker refused the subscription to %s: %s", self.topic, reason_codes)

        def on_disconnect(client, userdata, flags, reason_code, properties):
            self.connected.clear()
            self.subscribed.clear()
            if not self._stop.is_set():
                log.warning("disconnected from the broker (%s); reconnecting", reason_code)

        def on_message(client, userdata, message):
            self._inbox.put((self._generation, message.mid, message.qos, message.topic, message.payload,
                             time.monotonic()))

        client.on_connect, client.on_subscribe = on_connect, on_subscribe
        client.on_disconnect, client.on_message = on_disconnect, on_message
        return client

    # -- the batching loop (this thread) ----------------------------------------------------------------

    def stop(self) -> None:
        """Ask the loop to finish: the batch in hand is written and acknowledged, then it disconnects."""
        self._stop.set()

    def run(self) -> Counters:
        directory = self._retry(lambda: Directory().load())
        if directory is None:
            return self.counters
        threads = []
        if connection.vendor == "postgresql":
            self._lane, self._side = queue.SimpleQueue(), queue.SimpleQueue()
            threads = [(self._lane, threading.Thread(target=self._lane_loop, name="ingest-readings", daemon=True)),
                       (self._side, threading.Thread(target=self._side_loop, name="ingest-side", daemon=True))]
        self.writer = writer.Writer(directory, aftercare=self._side.put if threads else None)
        for _work, thread in threads:
            thread.start()
        self.client = self._client()
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        self.report()
        refreshed = swept = reported = flushed = time.monotonic()
        part = 0
        batch: list = []
        size, first_at = 0, 0.0
        try:
            while not self._stop.is_set():
                wait = self.batch_seconds - (time.monotonic() - first_at) if batch else 0.5
                try:
                    item = self._inbox.get(timeout=max(wait, 0.001))
                except queue.Empty:
                    item = None
                while item is not None:  # all that waits, then the batch is checked
                    if not batch:
                        first_at = time.monotonic()
                    batch.append(item)
                    size += len(item[4]) // wire.RECORD.itemsize
                    if size >= BATCH_READINGS:
                        break
                    try:
                        item = self._inbox.get_nowait()
                    except queue.Empty:
                        item = None
                if batch and (time.monotonic() - first_at >= self.batch_seconds or size >= BATCH_READINGS):
                    self._flush(batch)
                    batch, size = [], 0
                now = time.monotonic()
                if self._side is not None:
                    self._adopt_read()
                elif now - refreshed >= REFRESH_SECONDS:
                    self._adopt_read(self._reread())
                    refreshed = now
                if now - flushed >= LATEST_SECONDS / LATEST_PARTS:
                    self._latest(part % LATEST_PARTS, LATEST_PARTS)
                    flushed, part = now, part + 1
                if now - swept >= self.sweep_seconds:
                    self._sweep()
                    swept = now
                if now - reported >= self.report_seconds:
                    self.report()
                    reported = now
            while True:  # what arrived before the stop is written and acknowledged too
                try:
                    batch.append(self._inbox.get_nowait())
                except queue.Empty:
                    break
            if batch:
                self._flush(batch, stopping=True)
            self._latest(stopping=True)
        finally:
            for work, thread in threads:  # what was judged is stored, acknowledged and announced first
                if thread.is_alive():
                    work.put(None)
                    thread.join()
            self.client.disconnect()
            self.client.loop_stop()
            self.report()
            connection.close()
        if self._lane_error is not None:
            raise RuntimeError("the readings' lane failed") from self._lane_error
        return self.counters

    def behind(self, now: float | None = None) -> bool:
        """Whether the ingest was behind the broker within the last sweep interval."""
        return (time.monotonic() if now is None else now) - self._behind_at < self.sweep_seconds

    def _decode(self, batch) -> wire.Decoded:
        """The batch's readings, validated; the messages that cannot be parsed are logged and counted (they
        are acknowledged with the rest: they can never succeed)."""
        c = self.counters
        c.messages += len(batch)
        now = timezone.now()
        decoded, bad = wire.decode_many([(item[3], item[4]) for item in batch], self.writer.directory,
                                        int(now.timestamp() * 1000), writer.oldest_ms(now))
        for topic, error in bad:
            log.warning("unparseable message on %s refused: %s", topic[:200], error)
        c.unparseable += len(bad)
        c.readings += len(decoded.pks) + decoded.refused
        c.refused += decoded.refused
        return decoded

    def _flush(self, batch, stopping: bool = False) -> None:
        """Judge the batch, then hand its readings to the lane (or store them here, on SQLite)."""
        if time.monotonic() - batch[0][5] > BEHIND_SECONDS or \
                sum(len(item[4]) for item in batch) // wire.RECORD.itemsize >= BATCH_READINGS:
            self._behind_at = time.monotonic()
        decoded = self._decode(batch)
        if len(decoded.pks):
            result = self._retry(lambda: self.writer.judge(decoded.pks, decoded.times, decoded.values),
                                 give_up=stopping)
            if result is None:
                return  # not committed: nothing is acknowledged, the broker delivers the messages again
            c = self.counters
            c.alarms_raised += len(result.raised)
            c.alarms_worsened += len(result.worsened)
            c.alarms_cleared += len(result.cleared)
        judged = (decoded, [(generation, mid, qos) for generation, mid, qos, *_ in batch])
        if self._lane is None:
            self._store([judged], give_up=stopping)
        else:
            self._hand(judged)

    def _latest(self, part: int = 0, parts: int = 1, stopping: bool = False) -> None:
        """Take the latest values due and write them, in the lane after the readings judged before them."""
        latest = self.writer.latest_due(part, parts)
        if latest is None:
            return
        if self._lane is None:
            self._retry(lambda: self.writer.write_latest(latest), give_up=True)
        else:
            self._hand(latest)

    def _hand(self, item) -> None:
        """Give the lane an item, waiting while it is ``LANE_BEHIND_READINGS`` behind (unless it failed)."""
        with self._unstored_changed:
            while self._unstored >= LANE_BEHIND_READINGS and self._lane_error is None:
                self._unstored_changed.wait(timeout=1)
            self._unstored += _size(item)
        self._lane.put(item)

    def _stored(self, items) -> None:
        """The lane is done with ``items``: the loop may hand it more."""
        with self._unstored_changed:
            self._unstored -= sum(_size(item) for item in items)
            self._unstored_changed.notify()

    def _lane_loop(self) -> None:
        """The readings' lane: in the order the loop handed them, store the judged batches' readings (all that
        wait, up to ``LANE_READINGS``, in one transaction) and write the latest values, until told to stop."""
        try:
            while True:
                items, last = _waiting(self._lane, self._lane.get(), LANE_READINGS, size=_size)
                judged = []
                for item in items:
                    if isinstance(item, tuple):
                        judged.append(item)
                        continue
                    if judged:
                        self._store(judged, give_up=self._stop.is_set())
                        judged = []
                    self._retry(lambda latest=item: self.writer.write_latest(latest), give_up=self._stop.is_set())
                if judged:
                    self._store(judged, give_up=self._stop.is_set())
                self._stored(items)
                if last:
                    return
        except BaseException as error:
            log.exception("the readings' lane failed; the ingest stops (the broker delivers again what it did not "
                          "acknowledge)")
            with self._unstored_changed:
                self._lane_error = error
                self._unstored_changed.notify()
            self._stop.set()
        finally:
            connection.close()

    def _side_loop(self) -> None:
        """Announce the alarms of the committed judgements (all that wait at once) and seal their audit events
        (``audit.seal``); every ``REFRESH_SECONDS``, read the points again if their configuration changed, for
        the loop to adopt; until told to stop. A failure to announce or seal is logged, as an on-commit
        action's would be: the alarms are committed and on the board, and the periodic job seals what is left."""
        refreshed = time.monotonic()
        try:
            # Imported now, not at the first alarm: importing the task's module (Celery and its broker's client)
            # holds the interpreter for a fraction of a second, which the loop would wait out mid-stream.
            importlib.import_module("shouye.monitoring.tasks")
            while True:
                try:
                    first = self._side.get(timeout=max(REFRESH_SECONDS - (time.monotonic() - refreshed), 0.01))
                except queue.Empty:
                    first = ()
                items, last = _waiting(self._side, first)
                ids = set().union(*items)
                if ids:
                    try:
                        writer.announce(sorted(ids))
                        audit.seal()
                    except Exception:
                        log.exception("announcing alarms %s or sealing their audit events failed", sorted(ids))
                        connection.close()
                if last:
                    return
                if time.monotonic() - refreshed >= REFRESH_SECONDS:
                    directory = self._reread()
                    if directory is not None:
                        self._directories.put(directory)
                    refreshed = time.monotonic()
        finally:
            connection.close()

    def _store(self, judged: list, give_up: bool) -> None:
        """Store the judged batches' readings in one transaction, then acknowledge their messages."""
        pks = np.concatenate([decoded.pks for decoded, _ in judged])
        if len(pks):
            times = np.concatenate([decoded.times for decoded, _ in judged])
            values = np.concatenate([decoded.values for decoded, _ in judged])
            written = self._retry(lambda: self.writer.store(pks, times, values), give_up=give_up)
            if written is None:
                return  # not committed: nothing is acknowledged, the broker delivers the messages again
            self.counters.written += written
            self.counters.duplicates += len(pks) - written
        self.counters.batches += len(judged)
        for _decoded, messages in judged:
            for generation, mid, qos in messages:
                if qos and generation == self._generation:
                    self.client.ack(mid, qos)

    def _retry(self, work, give_up: bool = False):
        """Run ``work`` against the database until it succeeds (or the loop is stopping and ``give_up``)."""
        delay = 0.25
        while True:
            try:
                # Not ``close_old_connections``: without CONN_MAX_AGE it closes the connection every time, and
                # the ingest would connect again for every batch. A failed statement closes it (below).
                return work()
            except DatabaseError as error:
                self.counters.failed_batches += 1
                log.warning("database unavailable or the batch failed (%s); retrying in %.1f s", error, delay)
                connection.close()
                if give_up or (self._stop.is_set() and delay >= MAX_BACKOFF_SECONDS):
                    return None
                self._stop.wait(delay)
                delay = min(delay * 2, MAX_BACKOFF_SECONDS)

    def _reread(self) -> Directory | None:
        """The points read again, or None when their configuration did not change (or could not be read)."""
        if self._retry(Directory.fingerprint, give_up=True) in (None, self.writer.directory.version):
            return None
        return self._retry(lambda: Directory().load(), give_up=True)

    def _adopt_read(self, directory: Directory | None = None) -> None:
        """Adopt the points read again: ``directory``, or what the side thread read."""
        if directory is None:
            try:
                directory = self._directories.get_nowait()
            except queue.Empty:
                return
        self._retry(lambda: self.writer.adopt(directory), give_up=True)

    def _sweep(self) -> None:
        """Raise the offline alarms due, unless the ingest was behind within the last sweep interval: the
        points whose messages still wait in the broker or the inbox have not been heard only because of it."""
        if self.behind():
            log.info("behind the broker: the offline sweep waits")
            return
        raised = self._retry(self.writer.sweep, give_up=True)
        if raised:
            self.counters.alarms_raised += len(raised)

    def report(self) -> dict:
        status = {**asdict(self.counters), "connected": self.connected.is_set(),
                  "uptime_seconds": round(time.monotonic() - self._started, 1), "at": timezone.now().isoformat(),
                  "points": len(self.writer.directory.points) if hasattr(self, "writer") else 0}
        log.info("ingest: %s", " ".join(f"{k}={v}" for k, v in status.items()))
        if self.status_file:
            temporary = self.status_file.with_suffix(self.status_file.suffix + ".tmp")
            temporary.write_text(json.dumps(status), encoding="utf-8")
            os.replace(temporary, self.status_file)
        return status
