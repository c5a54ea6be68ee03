"""The duty area of the demo district: every township's roster filed for this month but the last township's,
which the bureau sees as not filed and its officer as a to-do."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from shouye.accounts.models import User
from shouye.core.registry import todo_providers
from shouye.duty.choices import RosterState
from shouye.duty.models import Roster
from shouye.regions.models import Region
from shouye.workcalendar.selectors import work_calendar
from tests.conftest import api_as


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_townships_file_their_rosters_but_one():
    call_command("demo", "--count=10", stdout=io.StringIO())
    today = timezone.localdate()
    if today.year not in work_calendar().years:
        pytest.skip("the work calendar does not hold this year: the demo draws up no roster")
    townships = list(Region.objects.filter(level="township").order_by("code"))
    filed = Roster.objects.filter(unit_kind="township", year=today.year, month=today.month,
                                  state=RosterState.PUBLISHED)
    assert filed.count() == len(townships) - 1 and not filed.filter(township=townships[-1]).exists()
    assert all(roster.assignments.exists() for roster in filed)
    missing = api_as(User.objects.get(username="staff")).get("/api/v1/duty-rosters/not-filed/").json()
    assert [row["name"] for row in missing if row["kind"] == "township"] == [townships[-1].name]
    on_duty = api_as(User.objects.get(username="staff")).get("/api/v1/duty-rosters/on-duty/").json()
    assert sum(1 for unit in on_duty if unit["unit_kind"] == "township" and unit["people"]) == len(townships) - 1
    officer = User.objects.filter(memberships__region=townships[-1], memberships__role="township_officer").first()
    provider = {p.key: p for p in todo_providers.for_user(officer)}["duty-rosters-not-filed"]
    assert provider.count(officer) == 1
