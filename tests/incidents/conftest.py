"""Fixtures of the incident tests: the clock at 23:40 on the eve of National Day 2026 (the clocks cross midnight
into the holiday), and an accident at the cast's 马山镇 enterprise taken through the service."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouye.incidents import services
from shouye.incidents.choices import IncidentKind, IncidentSource

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: 2026-09-30 23:40 in Shanghai, the eve of the National Day holiday.
NOW = datetime(2026, 9, 30, 23, 40, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(cast):
    return cast["users"]["bureau_staff"]


def intake(**fields):
    """An accident's fields as the service takes them: it happened ten minutes ago and was received now."""
    return {"title": "储罐区闪爆", "kind": IncidentKind.ACCIDENT, "occurred_at": NOW - timedelta(minutes=10),
            "place": "马山镇工业园", "source": IncidentSource.DUTY_PHONE, "contact_name": "张三",
            "contact_phone": "13800138000", **fields}


@pytest.fixture
def accident(cast, staff):
    return services.report_incident(actor=staff, enterprise=cast["inside"], **intake())
