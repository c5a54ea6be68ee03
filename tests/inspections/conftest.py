"""Fixtures of the inspection tests: sessions per role and a squad's enforcement officers."""

import pytest
from django.test import Client

from shouye.accounts.models import Organisation
from tests.factories import UserFactory, member


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast hashes nine passwords; the production hasher's cost is not what these tests are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def signed_in(cast):
    """``signed_in(role)``: a browser session of that role of the cast."""
    def make(role: str) -> Client:
        client = Client()
        client.force_login(cast["users"][role])
        return client
    return make


@pytest.fixture
def squad_officers(cast):
    """Two more enforcement officers, of 执法一中队 (bureau staff by role)."""
    squad = Organisation.objects.get(name="执法一中队")
    officers = []
    for username, display in (("zhifa1", "执法员甲"), ("zhifa2", "执法员乙")):
        user = UserFactory(username=username, display_name=display)
        member(user, "bureau_staff", organisation=squad)
        officers.append(user)
    return officers
