"""A duty officer takes a call on a phone (issue 14): the bureau's duty officer of the demo district, at 390×844,
records a new incident with its position, sees the grade the rules give it, dispatches the nearest ready team
from the incident's page and sees the reporting clocks running. The district is left as it was found: the
incident goes (its clocks, timeline and dispatch with it) and the team is ready again."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shouye.accounts.models import User
from shouye.incidents import response
from shouye.incidents.models import Incident
from shouye.regions.models import Region
from shouye.resources.models import Team

from .conftest import PHONE

pytestmark = pytest.mark.browser

#: The demo district's centre (shouye/resources/demo.py): its teams lie around it.
POSITION = ("36.553000", "116.752000")


def test_a_duty_officer_takes_a_call_and_dispatches_the_nearest_team_on_a_phone(visit):
    township = Region.objects.get(code="370113107")
    teams_before = {pk: (readiness, incident) for pk, readiness, incident in
                    Team.objects.values_list("pk", "readiness", "incident")}
    incidents_before = set(Incident.objects.values_list("pk", flat=True))
    tab = visit(PHONE)
    page = tab.page
    try:
        tab.sign_in("staff")
        tab.open("incidents:create")
        page.fill("#id_title", "化工园区管道泄漏")
        page.select_option("#id_kind", "accident")
        page.fill("#id_occurred_at", (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_place", "马山镇化工园区南路")
        page.fill("#id_latitude", POSITION[0])
        page.fill("#id_longitude", POSITION[1])
        page.select_option("#id_township", township.code)
        page.select_option("#id_source", "duty_phone")
        page.fill("#id_deaths", "3")
        tab.shot("intake")
        page.get_by_test_id("incident-save").click()

        expect(page.get_by_test_id("incident-grade")).to_have_text("较大")
        incident = Incident.objects.exclude(pk__in=incidents_before).get()
        nearest = response.nearest_forces(User.objects.get(username="staff"), incident)["teams"][0]
        first = page.get_by_test_id("nearest-teams").locator("[data-team]").first
        expect(first).to_have_attribute("data-team", str(nearest["id"]))
        expect(first).to_contain_text(nearest["name"])
        tab.shot("nearest")
        page.get_by_test_id(f"dispatch-team-{nearest['id']}").click()

        expect(page.get_by_test_id("incident-dispatches")).to_contain_text(nearest["name"])
        expect(page.get_by_test_id("incident-timeline").locator('[data-kind="dispatch"]')).to_contain_text(
            nearest["name"])
        assert Team.objects.get(pk=nearest["id"]).readiness == "deployed"
        clocks = page.get_by_test_id("incident-clocks")
        expect(clocks.locator('[data-clock="direct_report"]')).to_be_visible()
        expect(clocks.locator('[data-clock="written_report"] [data-due]')).to_be_visible()
        tab.shot("dispatched")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the incident's page scrolls sideways on a phone ({width}px)"
        assert tab.errors == []
    finally:
        Incident.objects.exclude(pk__in=incidents_before).delete()
        for pk, (readiness, reference) in teams_before.items():
            Team.objects.filter(pk=pk).exclude(readiness=readiness, incident=reference).update(
                readiness=readiness, incident=reference)
