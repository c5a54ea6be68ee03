"""Making the monitoring rows the tests need: a gateway and points of an enterprise, a vendor with cameras, and
an alarm in a given state (written directly, as the fixtures of a page or a stream test; the services and the
ingest are tested through their own entry points)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from shouye.monitoring import rulebook
from shouye.monitoring.choices import AlarmKind, AlarmSource, AlarmState, Condition, PointKind
from shouye.monitoring.models import (
    Alarm,
    AlarmVendor,
    Camera,
    Gateway,
    MonitoringPoint,
    PointStatus,
    Scenario,
    VendorTypeMapping,
)


def gateway(enterprise, code="gw-1", **fields) -> Gateway:
    row = Gateway(code=code, name=fields.pop("name", f"网关{code}"), **fields)
    row.stamp_from(enterprise)
    row.save()
    return row


def point(gw: Gateway, code="PT-101", kind=PointKind.PRESSURE, **fields) -> MonitoringPoint:
    """A pressure point 0–2.5 MPa with H 1.6 and HH 2.0 by default, reading every 10 s."""
    defaults = {"name": f"测点{code}", "unit": "MPa", "range_min": 0, "range_max": 2.5, "high": 1.6,
                "high_high": 2.0, "expected_interval_seconds": 10}
    defaults.update(fields)
    row = MonitoringPoint(gateway=gw, code=code, kind=kind, installation=gw.installation, **defaults)
    row.stamp_from(gw.enterprise)
    row.save()
    PointStatus.objects.create(point=row)
    return row


def vendor(code="acme", secret="s3cret-key-for-tests", **fields) -> AlarmVendor:
    row = AlarmVendor.objects.create(code=code, name=fields.pop("name", f"{code}视频平台"), key_id=f"{code}-key",
                                     secret=secret, severity_map={"5": "red", "4": "orange", "3": "yellow",
                                                                  "2": "blue", "1": "blue"}, **fields)
    for vendor_code, scenario in (("smoking", "smoking"), ("phone", "phone_use"), ("fire", "open_flame")):
        VendorTypeMapping.objects.create(vendor=row, vendor_code=vendor_code,
                                         scenario=Scenario.objects.get(code=scenario))
    return row


def camera(vendor_row: AlarmVendor, enterprise, device_id="cam-1", **fields) -> Camera:
    row = Camera(vendor=vendor_row, vendor_device_id=device_id, name=fields.pop("name", f"摄像头{device_id}"),
                 **fields)
    row.stamp_from(enterprise)
    row.save()
    return row


def alarm(*, point_row: MonitoringPoint | None = None, camera_row: Camera | None = None, scenario: str = "smoking",
          state: str = AlarmState.RAISED, level: str | None = None, condition: str = Condition.HIGH_HIGH,
          raised_at=None, **fields) -> Alarm:
    """An alarm of a point (a process excursion by default) or of a camera (a scenario), in ``state``."""
    now = timezone.now()
    raised_at = raised_at or now - timedelta(minutes=2)
    if point_row is not None:
        enterprise, kind = point_row.enterprise, fields.pop("kind", AlarmKind.PROCESS)
        level = level or rulebook.level_for(condition, point_row.kind)
        values = {"source": AlarmSource.SENSOR, "point": point_row, "condition": condition,
                  "installation": point_row.installation, "value": fields.pop("value", 2.1),
                  "setpoint": point_row.high_high}
    else:
        enterprise, kind = camera_row.enterprise, AlarmKind.VIDEO
        scenario_row = Scenario.objects.get(code=scenario)
        level = level or scenario_row.default_level
        values = {"source": AlarmSource.VIDEO, "camera": camera_row, "scenario": scenario_row,
                  "vendor": camera_row.vendor, "installation": camera_row.installation}
    row = Alarm(kind=kind, level=level, state=state, raised_at=raised_at, received_at=raised_at,
                last_seen_at=raised_at, ack_due_by=rulebook.rule_for(level).ack_due_by(raised_at),
                changed_at=now, **values, **fields)
    row.stamp_from(enterprise)
    row.save()
    return row
