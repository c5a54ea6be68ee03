"""The cameras the intake knows, per process (issue 13: 1,000 alarms a second leave no room for a camera query
per post): a vendor's device ids → its active cameras, read whole at the vendor's first event and then kept.

Every :data:`auth.CACHE_SECONDS <shouye.monitoring.intake.auth.CACHE_SECONDS>` the process asks PostgreSQL, in
one aggregate over the vendor's active cameras (:func:`_fingerprint`: their number and a sum of hashes of what
is kept of each), whether they changed — one registered, switched on or off, or given another installation,
by any path — and reads them again only then. So a camera the enterprise registers or takes out of service is
in force within that time in every process (at once in the process that saved it, and in tests, which call
:func:`forget`). On SQLite (the embedded default, a demo's few cameras) they are read again instead.

Kept per device before, a camera was read at its first event and again at its first event after
``CACHE_SECONDS``; a camera in service posts less often than that, so nearly every post would have cost a query
(the benchmark hid it: there a camera posts 8 times within half a second, bench/README.md). For 7,500 cameras
PostgreSQL takes about 5 ms for the aggregate and 7 ms for the reading. A device id no camera has is not kept,
so a vendor sending made-up ids grows nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection

from .auth import CACHE_SECONDS


@dataclass(frozen=True)
class CameraRef:
    id: int
    enterprise_id: int
    installation_id: int | None


@dataclass
class _Fleet:
    """One vendor's active cameras by device id, as read when :attr:`fingerprint` was current."""

    checked: float
    fingerprint: tuple | None
    cameras: dict[str, CameraRef]


_fleets: dict[int, _Fleet] = {}


def forget() -> None:
    """Read every vendor's cameras afresh at its next event."""
    _fleets.clear()


def camera_of(vendor_id: int, device_id: str) -> CameraRef | None:
    """The vendor's active camera known as ``device_id``, or None."""
    now = time.monotonic()
    fleet = _fleets.get(vendor_id)
    if fleet is None or now - fleet.checked >= CACHE_SECONDS:
        fingerprint = _fingerprint(vendor_id)
        if fleet is None or fingerprint is None or fleet.fingerprint != fingerprint:
            fleet = _fleets[vendor_id] = _Fleet(now, fingerprint, _cameras(vendor_id))
        else:
            fleet.checked = now
    return fleet.cameras.get(device_id)


def _table() -> str:
    from shouye.monitoring.models import Camera

    return connection.ops.quote_name(Camera._meta.db_table)


def _fingerprint(vendor_id: int) -> tuple | None:
    """What changes when the vendor's active cameras do (PostgreSQL), or None: read them again."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), SUM(hashtextextended(concat_ws(':', id, vendor_device_id, enterprise_id, "
                       f"installation_id), 0)) FROM {_table()} WHERE vendor_id = %s AND is_active", [vendor_id])
        return tuple(cursor.fetchone())


def _cameras(vendor_id: int) -> dict[str, CameraRef]:
    # Written out: the ORM's model instances cost more than the query for a fleet of thousands.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT vendor_device_id, id, enterprise_id, installation_id FROM {_table()} "
                       "WHERE vendor_id = %s AND is_active", [vendor_id])
        return {device_id: CameraRef(*ids) for device_id, *ids in cursor.fetchall()}
