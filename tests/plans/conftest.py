"""Fixtures of the plans tests: the clock stands on 2026-09-15 (a year the work calendar covers), the cast's
enterprise ``inside`` (hazardous chemicals: a high-risk unit) and its user, and a plan published on
2026-03-02."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from shouye.plans import services
from shouye.plans.choices import PlanKind

TODAY = date(2026, 9, 15)
PUBLISHED = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 9, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def owner(cast):
    return cast["users"]["enterprise_user"]


def make_plan(actor, enterprise=None, *, kind=PlanKind.COMPREHENSIVE, title="全厂生产安全事故应急预案", published_on=None,
              **unit):
    plan = services.create_plan(actor=actor, enterprise=enterprise, kind=kind, title=title, **unit)
    if published_on is not None:
        plan = services.publish_plan(actor=actor, plan=plan, published_on=published_on)
    return plan


@pytest.fixture
def plan(owner, cast):
    return make_plan(owner, cast["inside"], published_on=PUBLISHED)


@pytest.fixture
def onsite(owner, cast):
    return make_plan(owner, cast["inside"], kind=PlanKind.ON_SITE, title="罐区泄漏现场处置方案",
                     published_on=PUBLISHED)
