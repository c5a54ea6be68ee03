"""``users_with_role``: the one selector for "users with this role in this township / enterprise /
industry", from which the notifications take their recipients."""

import pytest

from shouye.accounts.models import Organisation
from shouye.accounts.selectors import users_with_role
from shouye.enterprises.models import Industry
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def names(users) -> set[str]:
    return {user.username for user in users}


def test_officers_of_a_township(cast, mashan, xiaoli):
    assert names(users_with_role("township_officer", township=mashan)) == {"township_officer"}
    assert names(users_with_role("township_officer", township=mashan.pk)) == {"township_officer"}
    assert names(users_with_role("township_officer", township=xiaoli)) == set()


def test_users_of_an_enterprise_and_the_district_roles(cast):
    assert names(users_with_role("enterprise_user", enterprise=cast["inside"])) == {"enterprise_user"}
    assert names(users_with_role("enterprise_user", enterprise=cast["outside"])) == set()
    assert names(users_with_role("bureau_staff")) == {"bureau_staff"}


def test_officers_of_the_department_that_supervises_an_industry(cast):
    construction = Industry.objects.get(code="construction")
    chemicals = Industry.objects.get(code="hazardous_chemicals")
    assert names(users_with_role("department_officer", industry=construction)) == {"department_officer"}
    assert names(users_with_role("department_officer", industry=chemicals)) == set()


def test_inactive_users_and_memberships_and_other_memberships_do_not_count(cast, mashan, xiaoli):
    retired = UserFactory(username="retired", is_active=False)
    member(retired, "township_officer", region=mashan)
    moved_on = UserFactory(username="moved_on")
    ended = member(moved_on, "township_officer", region=mashan)
    ended.active = False
    ended.save()
    both = UserFactory(username="both")
    member(both, "township_officer", region=xiaoli)
    member(both, "bureau_staff", organisation=Organisation.objects.get(kind="bureau"))
    assert names(users_with_role("township_officer", township=mashan)) == {"township_officer"}
    # the role and the township must hold for the same membership
    assert "both" not in names(users_with_role("bureau_staff", township=xiaoli))
    assert names(users_with_role("township_officer", township=xiaoli)) == {"both"}
