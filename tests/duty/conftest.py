import pytest
from django.test import Client

from shouye.duty.models import DutyPosition, RotationMember
from tests.factories import UserFactory, bureau, member


@pytest.fixture
def signed_in(cast):
    def make(role: str) -> Client:
        client = Client()
        client.force_login(cast["users"][role])
        return client
    return make


@pytest.fixture
def crew(cast):
    """The bureau's duty crew: two leaders and five duty officers (bureau staff), each with a phone, and
    the rotation lists (leaders on the leader position, officers on the officer and standby positions)."""
    leaders = [cast["users"]["leader"]]
    extra = UserFactory(username="leader2", display_name="副局长乙", phone="13900000002")
    member(extra, "leader", organisation=bureau())
    leaders.append(extra)
    officers = [cast["users"]["bureau_staff"]]
    for n in range(4):
        user = UserFactory(username=f"officer{n}", display_name=f"值班员{n}", phone=f"1380000000{n}")
        member(user, "bureau_staff", organisation=bureau())
        officers.append(user)
    for user in leaders + officers:
        if not user.phone:
            user.phone = "13700000009"
            user.save(update_fields=["phone"])
    positions = {p.code: p for p in DutyPosition.objects.all()}
    for order, user in enumerate(leaders):
        RotationMember.objects.create(position=positions["leader"], user=user, order=order)
    for order, user in enumerate(officers):
        RotationMember.objects.create(position=positions["officer"], user=user, order=order)
        RotationMember.objects.create(position=positions["standby"], user=user, order=order)
    return {"leaders": leaders, "officers": officers, "positions": positions}
