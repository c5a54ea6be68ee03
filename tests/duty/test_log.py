"""The duty log, the report chain (首报 → 续报 → 终报) and the handover between shifts."""

from datetime import datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from shouye.duty import services
from shouye.duty.choices import EntryState, HandoverState
from shouye.duty.models import LogEntry
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 3, 10, 3, 0))  # 03:00 belongs to the shift of 9 March


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_entry_belongs_to_its_shift(cast):
    client = api_as(cast["users"]["bureau_staff"])
    answer = client.post(reverse("duty-log-entry-list"), {
        "kind": "call_received", "occurred_at": "2026-03-10T02:40:00+08:00", "counterpart": "马山镇应急办",
        "phone": "0531-87000000", "content": "某村道路塌陷，无人员伤亡", "report_stage": "first",
        "reference": "2026-001"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["shift_day"] == "2026-03-09"
    first = LogEntry.objects.get()
    follow = client.post(reverse("duty-log-entry-list"), {
        "kind": "report_sent", "occurred_at": "2026-03-10T02:55:00+08:00", "counterpart": "区政府总值班室",
        "content": "续报：已封闭道路", "report_stage": "follow_up", "follows": first.pk}, format="json")
    assert follow.status_code == 201
    assert follow.json()["reference"] == "2026-001"
    # A follow-up without the report it follows, a second follow-up of the same report, a time in the future.
    for body, field in (({"report_stage": "final"}, "follows"),
                        ({"report_stage": "final", "follows": first.pk}, "follows"),
                        ({"occurred_at": "2026-03-10T05:00:00+08:00"}, "occurred_at")):
        refused = client.post(reverse("duty-log-entry-list"), {
            "kind": "report_sent", "occurred_at": "2026-03-10T02:58:00+08:00", "counterpart": "区政府",
            "content": "终报", **body}, format="json")
        assert refused.status_code == 400 and field in refused.json(), refused.content
    assert LogEntry.objects.count() == 2
    # Leaders read the log but do not keep it.
    assert api_as(cast["users"]["leader"]).get(reverse("duty-log-entry-list")).status_code == 200
    assert api_as(cast["users"]["leader"]).post(reverse("duty-log-entry-list"), {}, format="json").status_code == 403
    assert api_as(cast["users"]["township_officer"]).get(reverse("duty-log-entry-list")).status_code == 403


def test_handover_lists_open_entries_and_the_next_shift_acknowledges(cast, signed_in):
    staff, admin = cast["users"]["bureau_staff"], cast["users"]["bureau_admin"]
    moment = timezone.make_aware(datetime(2026, 3, 9, 22, 0))
    open_entry = services.record_entry(actor=staff, kind="call_received", occurred_at=moment, counterpart="群众",
                                       content="反映异味")
    closed = services.record_entry(actor=staff, kind="instruction", occurred_at=moment, counterpart="局领导",
                                   content="加强巡查")
    services.close_entry(actor=staff, entry=closed, outcome="已转达")
    page = signed_in("bureau_staff").post(reverse("duty:handover-create"),
                                          {"shift_day": "2026-03-09", "notes": "夜间平稳"})
    assert page.status_code == 302
    handover = services.selectors.handovers(staff).get()
    assert list(handover.open_entries.all()) == [open_entry]
    # The one who handed over cannot acknowledge; the next shift can, once.
    assert api_as(staff).post(reverse("duty-handover-acknowledge", kwargs={"pk": handover.pk}), {},
                              format="json").status_code == 403
    answer = api_as(admin).post(reverse("duty-handover-acknowledge", kwargs={"pk": handover.pk}), {}, format="json")
    assert answer.status_code == 200 and answer.json()["state"] == HandoverState.ACKNOWLEDGED
    assert api_as(admin).post(reverse("duty-handover-acknowledge", kwargs={"pk": handover.pk}), {},
                              format="json").status_code == 409
    # A shift not yet begun, or handed over twice, is refused.
    again = api_as(staff).post(reverse("duty-handover-list"), {"shift_day": "2026-03-09"}, format="json")
    assert again.status_code == 400
    future = api_as(staff).post(reverse("duty-handover-list"), {"shift_day": "2026-03-10"}, format="json")
    assert future.status_code == 400 and "shift_day" in future.json()
    assert signed_in("bureau_staff").get(reverse("duty:handover", kwargs={"pk": handover.pk})).status_code == 200


def test_log_pages(cast, signed_in):
    client = signed_in("bureau_staff")
    answer = client.post(reverse("duty:entry-create"), {
        "kind": "report_received", "occurred_at": "2026-03-10T01:15", "counterpart": "某企业",
        "content": "报告：储罐区泄漏已控制"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    entry = LogEntry.objects.get()
    assert entry.occurred_at.astimezone(timezone.get_current_timezone()).time() == time(1, 15)
    page = client.get(reverse("duty:log"))
    assert page.status_code == 200 and "储罐区泄漏" in page.content.decode()
    assert client.post(reverse("duty:close", kwargs={"pk": entry.pk}), {"close-outcome": ""}).status_code == 400
    assert client.post(reverse("duty:close", kwargs={"pk": entry.pk}), {"close-outcome": "已处置"}).status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.CLOSED
    bad = client.post(reverse("duty:entry-create"), {"kind": "report_received", "occurred_at": "",
                                                     "counterpart": "", "content": ""})
    assert bad.status_code == 400
    assert client.get(reverse("duty:log") + "?shift_day=2026-13-01").status_code == 400
