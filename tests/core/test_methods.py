"""Pages answer only the methods they serve (issue 8, "noticed"): an HTML route takes GET, and POST where it
has a form; PUT, PATCH and DELETE answer 405 before anything else happens — never the page with 200, and
never a lookup first. The API's routes get the same from DRF, which answers 405 for a method a viewset does
not route. Every route of the project is walked, so a new page that forgets to say its methods fails here."""

import re

import pytest
from django.test import Client

from tests.scope_registry import missing_kwargs, project_routes

pytestmark = pytest.mark.django_db

#: Methods no HTML form sends.
NOT_SERVED = ("put", "patch", "delete")


def _url(path: str, kwargs: tuple[str, ...]) -> str:
    values = missing_kwargs(type("Spec", (), {"kwargs": kwargs}))
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values[match.group(1)], path)


def _html_routes():
    for path, name, _pattern, kwargs in project_routes():
        if not path.startswith("api/"):
            yield name or path, _url(path, kwargs)


@pytest.mark.parametrize("method", NOT_SERVED)
def test_html_routes_refuse_methods_no_form_sends(cast, method):
    """Signed in: 405. Anonymous: 405, or the way to the login page (a page behind login says nothing, not
    even which methods it serves, before the visitor signs in)."""
    signed_in = Client()
    signed_in.force_login(cast["users"]["bureau_admin"])
    anonymous = Client()
    answered = {}
    for name, url in _html_routes():
        for who, client in (("signed in", signed_in), ("anonymous", anonymous)):
            response = getattr(client, method)(url)
            to_login = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            if response.status_code != 405 and not (who == "anonymous" and to_login):
                answered[f"{who} {method.upper()} {url} ({name})"] = response.status_code
    assert not answered, "\n".join(f"{route}: {status}" for route, status in answered.items())
