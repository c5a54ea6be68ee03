"""The cameras the intake knows, per process (issue 13: 1,000 alarms a second leave no room for a camera query
per post): a vendor's device id → its active camera, or the fact that it has none, kept for
:data:`auth.CACHE_SECONDS <shouye.monitoring.intake.auth.CACHE_SECONDS>` like the vendor's credentials. A
camera the enterprise registers or takes out of service is in force within that time in every process (at once
in the process that saved it and in tests, which call :func:`forget`). Entries are per device, read on first
use: the cost follows the cameras that post, not the size of the vendor's fleet."""

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


#: Entries a process keeps at most (device ids no camera has included): past it the directory starts afresh,
#: so a vendor sending made-up ids cannot grow it without end.
MAX_ENTRIES = 100_000

_cache: dict[tuple[int, str], tuple[float, CameraRef | None]] = {}


def forget() -> None:
    """Read every camera afresh at its next event."""
    _cache.clear()


def camera_of(vendor_id: int, device_id: str) -> CameraRef | None:
    """The vendor's active camera known as ``device_id``, or None."""
    now = time.monotonic()
    key = (vendor_id, device_id)
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    from shouye.monitoring.models import Camera

    # One statement written out: the ORM's compiling of the same filter cost more than the query itself, and
    # the benchmark's cameras each post a few times only (bench/README.md).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, enterprise_id, installation_id FROM {Camera._meta.db_table} "
                       "WHERE vendor_id = %s AND vendor_device_id = %s AND is_active", [vendor_id, device_id])
        row = cursor.fetchone()
    camera = CameraRef(*row) if row else None
    if len(_cache) >= MAX_ENTRIES:
        _cache.clear()
    _cache[key] = (now, camera)
    return camera
