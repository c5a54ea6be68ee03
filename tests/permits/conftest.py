"""Fixtures of the permit tests: the clock on a working Tuesday morning (no holiday, no night: hot work keeps the
grade of its place), a hot-work permit of the cast's enterprise ``inside`` filled in through the service, and
helpers that walk a permit along its flow through the API as the enterprise's user does."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouye.permits import services
from shouye.permits.choices import PermitKind
from tests.conftest import api_as

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A working Tuesday, 09:00 in Shanghai.
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
       "60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def owner(cast):
    return cast["users"]["enterprise_user"]


@pytest.fixture
def client_of(owner):
    return api_as(owner)


def operator(**fields):
    return {"role": "operator", "name": "动火人甲", "certificate_number": "T123456",
            "certificate_issued_on": (NOW - timedelta(days=365)).date(), **fields}


PEOPLE = [{"role": "work_leader", "name": "负责人乙"}, {"role": "watchperson", "name": "监护人丙"}]


def body(kind=PermitKind.HOT_WORK, **fields):
    """The fields of a permit as the services take them (a grade-2 hot work by default: from 09:00 to 11:00)."""
    details = {PermitKind.HOT_WORK: {"method": "电焊"}, PermitKind.WORK_AT_HEIGHT: {"height_m": "4"},
               PermitKind.LIFTING: {"rigging": "吊带", "load": "换热器", "mass_t": "20"},
               PermitKind.CONFINED_SPACE: {"space_name": "T-101储罐", "original_medium": "甲苯"}}.get(kind, {})
    people = [*PEOPLE, operator()] if kind in (PermitKind.HOT_WORK, PermitKind.LIFTING) else list(PEOPLE)
    return {"kind": kind, "applicant_unit": "一车间", "work_unit": "检修班", "content": "更换管线法兰",
            "location": "罐区东侧管线", "planned_start": NOW,
            "planned_end": NOW + timedelta(hours=2), "details": details, "people": people, **fields}


def make_permit(actor, enterprise, **fields):
    return services.create_permit(actor=actor, enterprise=enterprise, **body(**fields))


@pytest.fixture
def permit(owner, cast):
    return make_permit(owner, cast["inside"])
