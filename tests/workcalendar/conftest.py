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
