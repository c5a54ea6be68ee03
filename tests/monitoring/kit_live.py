"""Rows the board, stream, statistics and report tests share: an enterprise's point and camera, and alarms of it
at given times and with given handling (the kit's ``alarm`` writes them directly)."""

from __future__ import annotations

from datetime import timedelta

from shouye.monitoring.choices import AlarmState
from shouye.monitoring.models import PointStatus

from . import kit


def monitored(enterprise, code: str):
    """A gateway with one pressure point of ``enterprise``, and a camera of a vendor ``code``."""
    gw = kit.gateway(enterprise, code=f"gw-{code}")
    point = kit.point(gw, code=f"PT-{code}")
    camera = kit.camera(kit.vendor(code=f"v-{code}"), enterprise, device_id=f"cam-{code}")
    return point, camera


def offline(point) -> None:
    PointStatus.objects.filter(point=point).update(is_offline=True)


def handled(point, raised_at, *, ack_minutes=None, disposition="", **fields):
    """A sensor alarm raised at ``raised_at``, acknowledged ``ack_minutes`` later, closed with ``disposition``
    when given (else still acknowledged, or raised)."""
    if ack_minutes is not None:
        fields["acknowledged_at"] = raised_at + timedelta(minutes=ack_minutes)
        fields.setdefault("state", AlarmState.ACKNOWLEDGED)
    if disposition:
        fields.update(state=AlarmState.CLOSED, disposition=disposition, closed_at=raised_at + timedelta(hours=1),
                      cleared_at=raised_at + timedelta(minutes=50))
    return kit.alarm(point_row=point, raised_at=raised_at, **fields)

