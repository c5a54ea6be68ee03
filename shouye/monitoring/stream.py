"""The board's server-sent events (issue 13: "live without reloading … that works through nginx").

A stream sends, scoped to its viewer, every alarm that changes as it changes (event ``alarms``: the rows as the
board shows them, ``board.alarm_row``) and, when anything changed, the board's counts (event ``counts``, at most
once per :data:`COUNTS_SECONDS`, so a flood of alarms does not recount the board for every notification).

Where the changes come from:

- PostgreSQL: the writers call ``live.publish(ids)`` in their transactions; ``pg_notify`` reaches this stream's
  dedicated psycopg 3 connection (``LISTEN shouye_alarms``) when, and only when, they commit; the ids become one
  scoped query. From the notification to the event written takes one indexed query (a few ms).
- elsewhere (SQLite at demo scale): ``Alarm.changed_at`` after the cursor, polled every :data:`POLL_SECONDS`.

Every ``alarms`` event carries an ``id``, the cursor: the latest ``changed_at`` sent, in microseconds since the
epoch. ``EventSource`` reconnects with it as ``Last-Event-ID`` and the stream first sends what changed after
it, less :data:`OVERLAP` (a writer stamps ``changed_at`` before it commits: a row stamped just before the
cursor may commit just after it). The client updates rows in place by id, so sending one twice is harmless.

Bounded: a stream ends after :data:`LIFETIME_SECONDS` (5 min) and the browser reconnects after
:data:`RETRY_MS`; a comment every :data:`HEARTBEAT_SECONDS` keeps proxies from closing an idle stream.

Under gunicorn a stream holds its worker's thread (and a database connection, and on PostgreSQL a listening
one) for its lifetime: sync workers would serve one board each, so the README's deployment runs gthread
workers (``--worker-class gthread --threads N``), N at least the boards watched at once plus the pages served
beside them. nginx must not buffer the stream: the response says ``X-Accel-Buffering: no``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone, translation

from . import board, live

#: How long one stream lasts before the browser reconnects (a worker's thread is not held forever).
LIFETIME_SECONDS = 300
HEARTBEAT_SECONDS = 15
POLL_SECONDS = 1.0
COUNTS_SECONDS = 1.0
RETRY_MS = 3000
#: How far before the cursor a reconnection looks again (a change committed late is not missed).
OVERLAP = timedelta(seconds=5)
#: Rows one event carries at most; a reconnection after a long gap sends ``reset`` (reload) beyond that.
MAX_ROWS = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(moment: datetime) -> str:
    return str((moment - _EPOCH) // timedelta(microseconds=1))


def decode_cursor(value: str | None) -> datetime | None:
    """The ``Last-Event-ID`` as a time, or None when it is missing or not one of ours (then nothing is
    replayed: the page was just loaded with the current board)."""
    if not value or not value.isdigit() or len(value) > 20:
        return None
    try:
        return _EPOCH + timedelta(microseconds=int(value))
    except OverflowError:
        return None


def _event(name: str, data, event_id: str = "") -> str:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)}\n\n"


class _Listener:
    """A dedicated PostgreSQL connection listening on ``live.CHANNEL``; ``wait`` returns the ids notified within
    ``timeout`` seconds (after the first notification, what else is already there, without waiting)."""

    def __init__(self):
        import psycopg

        params = connection.settings_dict
        options = {"dbname": params["NAME"], "user": params.get("USER") or None,
                   "password": params.get("PASSWORD") or None, "host": params.get("HOST") or None,
                   "port": params.get("PORT") or None}
        self.conn = psycopg.connect(**{k: v for k, v in options.items() if v is not None}, autocommit=True)
        self.conn.execute(f"LISTEN {live.CHANNEL}")

    def wait(self, timeout: float) -> set[int]:
        ids: set[int] = set()
        for notify in self.conn.notifies(timeout=timeout, stop_after=1):
            ids.update(int(part) for part in notify.payload.split(",") if part.isdigit())
        for notify in self.conn.notifies(timeout=0.001):
            ids.update(int(part) for part in notify.payload.split(",") if part.isdigit())
        return ids

    def close(self):
        self.conn.close()


def events(user, *, last_event_id: str | None = None, lifetime: float | None = None, language: str | None = None,
           clock=time.monotonic) -> Iterator[str]:
    """The stream of ``user``'s board, for ``lifetime`` seconds (:data:`LIFETIME_SECONDS` by default), from
    ``last_event_id`` (the cursor of the page or of the last event received) on, its labels in ``language``
    (the request's: the server writes the stream after the view has returned)."""
    with translation.override(language):
        yield from _events(user, last_event_id, lifetime, clock)


def _events(user, last_event_id, lifetime, clock) -> Iterator[str]:
    lifetime = LIFETIME_SECONDS if lifetime is None else lifetime
    end = clock() + lifetime
    listener = _Listener() if connection.vendor == "postgresql" else None
    try:
        since = decode_cursor(last_event_id)
        cursor = since or timezone.now()
        yield f"retry: {RETRY_MS}\n\n"
        if since is not None:
            rows = board.rows_changed_since(user, since - OVERLAP, timezone.now(), MAX_ROWS + 1)
            if len(rows) > MAX_ROWS:
                yield _event("reset", {})
            elif rows:
                cursor = max(cursor, rows[-1]["changed_at"])
                yield _event("alarms", rows, encode_cursor(cursor))
                yield _event("counts", board.counts(user, timezone.now()))
        last_sent, counts_due, counts_pending = clock(), 0.0, False
        while (left := end - clock()) > 0:
            wait = min(left, HEARTBEAT_SECONDS - (clock() - last_sent))
            if listener is None:
                wait = min(wait, POLL_SECONDS)
            if counts_pending:
                wait = min(wait, counts_due - clock())
            wait = max(wait, 0.001)
            if listener is not None:
                ids = listener.wait(wait)
                rows = board.rows_for(user, ids, timezone.now()) if ids else []
            else:
                time.sleep(wait)
                rows = board.rows_changed_since(user, cursor, timezone.now(), MAX_ROWS)
            if rows:
                cursor = max(cursor, *(row["changed_at"] for row in rows))
                yield _event("alarms", rows, encode_cursor(cursor))
                last_sent, counts_pending = clock(), True
            if counts_pending and clock() >= counts_due:
                yield _event("counts", board.counts(user, timezone.now()))
                last_sent, counts_due, counts_pending = clock(), clock() + COUNTS_SECONDS, False
            if clock() - last_sent >= HEARTBEAT_SECONDS:
                yield ": heartbeat\n\n"
                last_sent = clock()
    finally:
        if listener is not None:
            listener.close()
