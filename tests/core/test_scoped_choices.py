"""Filter bars offer what the user's scope holds (issue 10, defects: township officers were offered all ten
townships): a township officer its township (and every industry), a department officer its industries (in
every township), the bureau everything. A value outside is refused like an unknown one, on the page and in
the API."""

import re

import pytest
from django.test import Client

from shouye.accounts.models import Organisation
from shouye.enterprises.models import Industry
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

LEDGER_PAGES = ("/enterprises/", "/hazards/", "/inspections/", "/inspections/plans/")


def offered(html: str, name: str) -> list[str]:
    """The values a filter bar's ``<select name=…>`` offers, "all" apart."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return [value for value in re.findall(r'<option value="([^"]*)"', select.group(1)) if value]


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", LEDGER_PAGES)
def test_a_township_officer_is_offered_only_its_township(cast, mashan, url):
    assert offered(page(cast["users"]["township_officer"], url), "township") == [mashan.code]


@pytest.mark.parametrize("url", LEDGER_PAGES)
def test_the_bureau_is_offered_every_township(cast, url):
    all_townships = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
                         .values_list("code", flat=True))
    assert len(all_townships) == 10
    assert offered(page(cast["users"]["bureau_staff"], url), "township") == all_townships


@pytest.mark.parametrize("url", ("/enterprises/", "/hazards/"))
def test_a_department_officer_is_offered_its_industries_in_every_township(cast, url):
    department = Organisation.objects.get(name="区住房和城乡建设局")
    own = set(Industry.objects.filter(department=department).values_list("code", flat=True))
    html = page(cast["users"]["department_officer"], url)
    assert "construction" in own and set(offered(html, "industry")) == own
    assert len(offered(html, "township")) == 10


def test_a_township_officer_names_only_the_industries_there_are_all(cast):
    html = page(cast["users"]["township_officer"], "/hazards/")
    assert len(offered(html, "industry")) == Industry.objects.count()


def test_a_township_outside_the_scope_is_refused_like_an_unknown_one(cast, xiaoli):
    officer = cast["users"]["township_officer"]
    response = api_as(officer).get(f"/api/v1/hazards/?township={xiaoli.code}")
    assert response.status_code == 400 and "township" in response.json()
    client = Client()
    client.force_login(officer)
    refused = client.get(f"/inspections/?township={xiaoli.code}")
    assert refused.status_code == 400 and 'data-testid="filter-errors"' in refused.content.decode()


def test_the_enterprise_list_refuses_a_township_outside_the_scope_too(cast, mashan, xiaoli):
    officer = cast["users"]["township_officer"]
    refused = api_as(officer).get(f"/api/v1/enterprises/?township={xiaoli.code}")
    assert refused.status_code == 400 and "township" in refused.json()
    assert api_as(officer).get(f"/api/v1/enterprises/?township={mashan.code}").status_code == 200
    client = Client()
    client.force_login(officer)
    page_refused = client.get(f"/enterprises/?township={xiaoli.code}")
    assert page_refused.status_code == 400 and 'data-testid="filter-errors"' in page_refused.content.decode()
