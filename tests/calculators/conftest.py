import pytest
from django.test import Client


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
def year_2035(cast):
    """A year no chinese_calendar release knows, added as an administrator would: National Day 1–5 October
    2035 (Monday–Friday) off, Saturday 29 September worked."""
    from datetime import date

    from shouye.workcalendar.services import add_year

    days = [(date(2035, 9, 29), True, "国庆节"), *((date(2035, 10, d), False, "国庆节") for d in range(1, 6))]
    return add_year(actor=cast["users"]["bureau_admin"], year=2035, days=days, announced_on=None, note="")
