"""Invalid filters are handled one way on every list, export and statistics route (issue 8, defect 2;
ARCHITECTURE.md §10): the page shows the filter bar's error and no rows (400), an export writes nothing and
sends the user back to the list, the API answers 400 naming the field. An export never holds a row that the
same filters would not show on the list."""

import pytest
from django.test import Client

from tests.conftest import api_as

pytestmark = pytest.mark.django_db

#: A township code that does not exist.
BAD = {"township": "999999999"}

PAGES = ["/enterprises/", "/hazards/", "/inspections/", "/inspections/plans/"]
EXPORT_PAGES = [("/enterprises/export/", "/enterprises/"), ("/hazards/export/", "/hazards/")]
API_ROUTES = ["/api/v1/enterprises/", "/api/v1/enterprises/export/", "/api/v1/hazards/",
              "/api/v1/hazards/export/", "/api/v1/hazards/stats/", "/api/v1/inspections/",
              "/api/v1/inspection-plans/"]


@pytest.fixture
def staff(cast):
    client = Client()
    client.force_login(cast["users"]["bureau_staff"])
    return client


@pytest.mark.parametrize("url", PAGES)
def test_a_list_page_shows_the_filter_error_and_no_rows(cast, staff, url):
    response = staff.get(url, BAD)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in page
    assert cast["inside"].name not in page and cast["outside"].name not in page


@pytest.mark.parametrize("url, list_url", EXPORT_PAGES)
def test_an_export_with_an_invalid_filter_writes_nothing_and_returns_to_the_list(staff, url, list_url):
    response = staff.get(url, BAD)
    assert response.status_code == 302
    assert response["Location"].startswith(list_url) and "township=999999999" in response["Location"]
    assert "spreadsheetml" not in response.get("Content-Type", "")


@pytest.mark.parametrize("url", API_ROUTES)
def test_the_api_answers_400_naming_the_filter(cast, url):
    response = api_as(cast["users"]["bureau_staff"]).get(url, BAD)
    assert response.status_code == 400
    assert "township" in response.json()


@pytest.mark.parametrize("url", PAGES)
def test_a_valid_filter_still_lists_its_rows(cast, staff, url):
    assert staff.get(url, {"township": cast["inside"].township.code}).status_code == 200
