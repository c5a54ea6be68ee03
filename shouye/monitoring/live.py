"""Telling the bureau's board that alarms changed, as part of the writing transaction. On PostgreSQL a writer
calls :func:`publish` inside its transaction: ``pg_notify`` is delivered to listeners when (and only if) the
transaction commits, so the board never shows an alarm that was rolled back, and nothing is lost between
processes (the ingest writes, gunicorn serves the stream). Elsewhere the stream reads ``Alarm.changed_at``
after its cursor (SQLite at demo scale)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

CHANNEL = "shouye_alarms"
#: pg_notify's payload must stay under 8,000 bytes: ids are sent in chunks.
CHUNK = 500


def publish(alarm_ids: Iterable[int], conn=connection) -> None:
    ids = [str(i) for i in alarm_ids]
    if conn.vendor != "postgresql" or not ids:
        return
    with conn.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, ",".join(ids[start:start + CHUNK])])
