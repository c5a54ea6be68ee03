"""The bureau's alarm board updating live (issue 13: "a browser test of an enterprise duty person acknowledging an
alarm on a phone while the bureau board updates"): the board is open in one Chromium tab; in another, on a phone,
the enterprise's safety officer acknowledges the alarm on the duty console; then a new red alarm is raised
elsewhere; the board shows both without a reload — the list, the counts by level and township."""

import pytest
from django.db import transaction
from playwright.sync_api import expect

from shouye.accounts.models import Membership
from shouye.enterprises.models import Enterprise
from shouye.monitoring import live, stream
from shouye.monitoring.choices import ACTIVE_STATES, AlarmLevel, AlarmState
from shouye.monitoring.models import Alarm
from tests.monitoring import kit

from .conftest import PHONE
from .test_registry import horizontal_overflow

pytestmark = pytest.mark.browser


def test_the_board_follows_an_acknowledgement_and_a_new_alarm_without_reloading(visit, monkeypatch):
    # A short stream: the live server's shutdown waits for it, and the browser reconnects as it would after 5 min.
    monkeypatch.setattr(stream, "LIFETIME_SECONDS", 20)
    first = Membership.objects.get(user__username="qiye").enterprise
    second = Enterprise.objects.exclude(township=first.township).order_by("pk").first()
    point = kit.point(kit.gateway(first, code="gw-live"), code="PT-live")
    other = kit.point(kit.gateway(second, code="gw-live-2"), code="PT-live-2")
    waiting = kit.alarm(point_row=point, level=AlarmLevel.RED)
    # The demo's year of alarms leaves some open: the figures move from what the district has now.
    active = Alarm.objects.filter(state__in=ACTIVE_STATES)
    raised, open_now, red_now = (active.filter(state=AlarmState.RAISED).count(), active.count(),
                             active.filter(level=AlarmLevel.RED).count())
    tab = visit()
    page = tab.page
    tab.sign_in("staff")
    tab.open("monitoring:board")
    assert horizontal_overflow(page) <= 1  # the staff's twenty menu entries wrap on a desk screen
    board = page.get_by_test_id("alarm-board")
    expect(page.get_by_test_id("alarm-board-live")).to_have_text("实时")
    expect(board.locator('[data-figure="raised"]')).to_have_text(str(raised))
    row = board.locator(f'[data-alarm="{waiting.pk}"] [data-part="state"]')
    expect(row).to_have_text(str(AlarmState.RAISED.label))
    tab.shot("before")
    page.evaluate("window.notReloaded = true")

    phone = visit(PHONE)
    phone.sign_in("qiye")
    phone.open("monitoring:console")
    card = phone.page.locator(f'[data-testid="console-alarms"] [data-alarm="{waiting.pk}"]')
    card.get_by_role("button", name="确认", exact=True).click()
    expect(card).to_have_attribute("data-state", AlarmState.ACKNOWLEDGED.value)
    phone.shot("acknowledged")
    expect(row).to_have_text("已确认")
    expect(board.locator('[data-figure="raised"]')).to_have_text(str(raised - 1))
    assert Alarm.objects.get(pk=waiting.pk).acknowledged_by.username == "qiye"

    with transaction.atomic():
        red = kit.alarm(point_row=other, level=AlarmLevel.RED)
        live.publish([red.pk])

    expect(board.locator(f'[data-alarm="{red.pk}"] [data-part="level"]')).to_have_text("红色")
    expect(board.locator('[data-figure="active"]')).to_have_text(str(open_now + 1))
    expect(board.locator('[data-figure="raised"]')).to_have_text(str(raised))
    expect(board.locator('[data-level="red"]')).to_have_text(str(red_now + 1))
    expect(board.get_by_test_id("alarm-board-townships")).to_contain_text(second.township.name)
    assert page.evaluate("window.notReloaded") is True
    assert not tab.errors and not phone.errors
    tab.shot("after")
