"""Swaps: a duty officer asks, the colleague agrees, a leader approves; the roster changes in one
transaction; every refused step changes nothing (pages and API)."""


import pytest
from django.urls import reverse

from shouye.audit.models import AuditEvent
from shouye.duty import services
from shouye.duty.choices import SwapState
from shouye.duty.models import Assignment, DutyLeave
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cast, crew):
    staff = cast["users"]["bureau_staff"]
    roster = services.create_roster(actor=staff, unit_kind="bureau", year=2026, month=3)
    services.generate_roster(actor=staff, roster=roster)
    services.publish_roster(actor=staff, roster=roster)
    return roster


def shifts(roster, user, code="officer"):
    return list(Assignment.objects.filter(roster=roster, user=user, position__code=code).order_by("day"))


def test_swap_through_the_api(cast, crew, published):
    me, colleague = crew["officers"][0], crew["officers"][1]
    mine, theirs = shifts(published, me)[0], shifts(published, colleague)[0]
    url = reverse("duty-roster-request-swap", kwargs={"pk": published.pk})
    answer = api_as(me).post(url, {"mine": mine.pk, "theirs": theirs.pk, "reason": "家中有事"}, format="json")
    assert answer.status_code == 200, answer.content
    swap = published.swaps.get()
    assert swap.colleague == colleague
    # Only the colleague answers; the leader cannot approve before the colleague agreed.
    leader = api_as(cast["users"]["leader"])
    assert leader.post(reverse("duty-swap-agree", kwargs={"pk": swap.pk}), {}, format="json").status_code == 403
    assert leader.post(reverse("duty-swap-approve", kwargs={"pk": swap.pk}), {}, format="json").status_code == 409
    assert api_as(colleague).post(reverse("duty-swap-agree", kwargs={"pk": swap.pk}), {},
                                  format="json").status_code == 200
    # A duty officer may not approve.
    assert api_as(me).post(reverse("duty-swap-approve", kwargs={"pk": swap.pk}), {},
                           format="json").status_code == 403
    answer = leader.post(reverse("duty-swap-approve", kwargs={"pk": swap.pk}), {"note": "同意"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == SwapState.APPROVED
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.user, theirs.user) == (colleague, me)
    assert (mine.phone, theirs.phone) == (colleague.phone, me.phone)
    assert AuditEvent.objects.filter(verb="duty.swap-approve").count() == 1


def test_swap_refused_when_it_breaks_the_roster(cast, crew, published):
    me, colleague = crew["officers"][0], crew["officers"][1]
    mine, theirs = shifts(published, me)[0], shifts(published, colleague)[0]
    swap = services.request_swap(actor=me, roster=published, mine=mine, theirs=theirs, reason="出差")
    services.answer_swap(actor=colleague, swap=swap, action="agree")
    DutyLeave.objects.create(user=colleague, first_day=mine.day, last_day=mine.day,
                             created_by=cast["users"]["bureau_admin"])
    answer = api_as(cast["users"]["leader"]).post(reverse("duty-swap-approve", kwargs={"pk": swap.pk}), {},
                                                  format="json")
    assert answer.status_code == 400
    assert "在休假" in str(answer.json())
    mine.refresh_from_db()
    swap.refresh_from_db()
    assert mine.user == me and swap.state == SwapState.AGREED


def test_swap_input_is_checked(cast, crew, published):
    me, colleague = crew["officers"][0], crew["officers"][1]
    mine, theirs = shifts(published, me)[0], shifts(published, colleague)[0]
    client = api_as(me)
    url = reverse("duty-roster-request-swap", kwargs={"pk": published.pk})
    # Someone else's shift as "mine", or a leader's shift as "theirs": refused, nothing asked.
    assert client.post(url, {"mine": theirs.pk, "theirs": mine.pk, "reason": "x"}, format="json").status_code == 400
    leader_shift = shifts(published, crew["leaders"][0], "leader")[0]
    answer = client.post(url, {"mine": mine.pk, "theirs": leader_shift.pk, "reason": "x"}, format="json")
    assert answer.status_code == 400 and "同一岗位" in str(answer.json())
    assert not published.swaps.exists()


def test_swap_pages(cast, crew, published, signed_in):
    me, colleague = crew["officers"][0], crew["officers"][1]
    mine, theirs = shifts(published, me)[0], shifts(published, colleague)[0]
    from django.test import Client

    client = Client()
    client.force_login(me)
    answer = client.post(reverse("duty:request-swap", kwargs={"pk": published.pk}),
                         {"request-swap-mine": mine.pk, "request-swap-theirs": theirs.pk,
                          "request-swap-reason": "家中有事"})
    assert answer.status_code == 302
    swap = published.swaps.get()
    page = client.get(reverse("duty:swap", kwargs={"pk": swap.pk}))
    assert page.status_code == 200 and "家中有事" in page.content.decode()
    colleague_client = Client()
    colleague_client.force_login(colleague)
    assert colleague_client.post(reverse("duty:agree", kwargs={"pk": swap.pk}), {}).status_code == 302
    leader = signed_in("leader")
    assert leader.post(reverse("duty:approve", kwargs={"pk": swap.pk}), {}).status_code == 302
    assert leader.post(reverse("duty:approve", kwargs={"pk": swap.pk}), {}).status_code == 409
    assert signed_in("leader").get(reverse("duty:swaps")).status_code == 200
