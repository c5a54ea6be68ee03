"""The incidents API: intake graded by the rules, the acts as POST /<pk>/<act>/, refusals that change nothing
(404 out of scope, 403 role, 409 state, 400 input), the contact's phone masked for readers, the timeline paged."""

from datetime import timedelta

import pytest
from django.urls import reverse

from shouye.incidents.models import Incident, TimelineEntry
from tests.conftest import api_as

from .conftest import NOW

pytestmark = pytest.mark.django_db


def body(where, **fields):
    return {"title": "车间中毒", "kind": "accident", "occurred_at": (NOW - timedelta(minutes=5)).isoformat(),
            "place": "二车间", "source": "duty_phone", "enterprise": where.pk, "serious_injuries": 10,
            "contact_phone": "13800138000", **fields}


def test_intake_through_the_api_grades_and_starts_the_clocks(cast, staff):
    answer = api_as(staff).post(reverse("incident-list"), body(cast["inside"]), format="json")
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["grade"] == "large" and data["township"] == cast["inside"].township.code
    kinds = {c["kind"]: c for c in data["clocks"]}
    assert kinds["written_report"]["due_at"].startswith("2026-10-01T00:40:00")
    assert kinds["direct_report"]["state"] == "open"


@pytest.mark.parametrize(("fields", "field"), [
    ({"occurred_at": (NOW + timedelta(hours=1)).isoformat()}, "occurred_at"),
    ({"kind": "meteor"}, "kind"),
    ({"deaths": -1}, "deaths"),
    ({"enterprise": None}, "township"),
])
def test_bad_intake_names_the_field_and_creates_nothing(cast, staff, fields, field):
    answer = api_as(staff).post(reverse("incident-list"), body(cast["inside"], **fields), format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert not Incident.objects.exists()


def test_readers_cannot_take_incidents(cast):
    answer = api_as(cast["users"]["department_officer"]).post(reverse("incident-list"), body(cast["inside"]),
                                                               format="json")
    assert answer.status_code == 403 and not Incident.objects.exists()


def test_acts_and_refusals(accident, cast, staff):
    client = api_as(staff)
    url = lambda name: reverse(f"incident-{name}", kwargs={"pk": accident.pk})  # noqa: E731
    answer = client.post(url("report"), {"report_kind": "first", "recipient": "区政府", "text": "快报",
                                         "clocks": ["direct_report", "report_county"]}, format="json")
    assert answer.status_code == 200, answer.content
    states = {c["kind"]: c["state"] for c in answer.json()["clocks"]}
    assert states["direct_report"] == states["report_county"] == "met"
    assert client.post(url("report"), {"report_kind": "first", "recipient": "x", "text": "y",
                                       "clocks": ["nope"]}, format="json").status_code == 400
    answer = client.post(url("situation"), {"deaths": 10, "note": "伤亡增加"}, format="json")
    assert answer.json()["grade"] == "major"
    assert {c["kind"] for c in answer.json()["clocks"]} >= {"report_national", "written_report"}
    answer = client.post(url("command-post"), {"command_post": "厂区东门", "commander": "王副区长"}, format="json")
    assert answer.json()["state"] == "responding"
    assert client.post(url("close"), {"summary": "处置完毕"}, format="json").json()["state"] == "closed"
    entries = TimelineEntry.objects.count()
    refused = client.post(url("entry"), {"kind": "note", "text": "晚了"}, format="json")
    assert refused.status_code == 409 and TimelineEntry.objects.count() == entries
    # A final report after the close is still recorded.
    assert client.post(url("report"), {"report_kind": "final", "recipient": "区政府", "text": "终报"},
                       format="json").status_code == 200
    officer = api_as(cast["users"]["township_officer"])
    assert officer.post(url("report"), {"report_kind": "final", "recipient": "x", "text": "y"},
                        format="json").status_code == 403


def test_out_of_scope_reads_as_missing(cast, staff, xiaoli):
    from shouye.incidents import services

    from .conftest import intake

    elsewhere = services.report_incident(actor=staff, enterprise=cast["outside"], **intake())
    officer = api_as(cast["users"]["township_officer"])
    assert officer.get(reverse("incident-detail", kwargs={"pk": elsewhere.pk})).status_code == 404
    assert officer.post(reverse("incident-situation", kwargs={"pk": elsewhere.pk}), {"note": "x"},
                        format="json").status_code == 404
    assert [row["id"] for row in officer.get(reverse("incident-list")).json()["results"]] == []


def test_the_contact_phone_is_masked_for_readers(accident, cast):
    url = reverse("incident-detail", kwargs={"pk": accident.pk})
    assert api_as(cast["users"]["bureau_staff"]).get(url).json()["contact_phone"] == "13800138000"
    masked = api_as(cast["users"]["township_officer"]).get(url).json()["contact_phone"]
    assert masked == "13800138000"  # the township's officer on site calls the contact
    user = cast["users"]["department_officer"]
    # The department officer of 住建 does not see the chemicals enterprise's incident at all; move it to 住建.
    Incident.objects.filter(pk=accident.pk).update(enterprise=cast["building"], industry=cast["building"].industry,
                                                   township=cast["building"].township)
    masked = api_as(user).get(url).json()["contact_phone"]
    assert masked != "13800138000" and masked.startswith("138") and masked.endswith("8000")


def test_timeline_pages_newest_first(accident, staff):
    TimelineEntry.objects.bulk_create([
        TimelineEntry(incident=accident, kind="note", text=f"记录{n}", at=NOW - timedelta(minutes=n), author=staff)
        for n in range(1, 60)])
    client = api_as(staff)
    url = reverse("incident-timeline", kwargs={"pk": accident.pk})
    first = client.get(url).json()
    assert len(first) == 50 and first[0]["kind"] == "intake" and first[1]["text"] == "记录1"
    rest = client.get(url, {"before": first[-1]["id"]}).json()
    assert len(rest) == 10 and rest[-1]["text"] == "记录59"
    assert client.get(url, {"before": "x"}).status_code == 400
