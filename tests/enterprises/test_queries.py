"""Query-count guards (ARCHITECTURE.md §9; issue 2: "the number of queries per request the same at 100 and
at 100,000 enterprises (10 or fewer)"): the API list, the list page, the ledger page and the API detail
run the same number of queries with 5 and with 50 enterprises, each with its people, licences and tags."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shouye.enterprises.models import EnterprisePerson, Licence, Tag
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def grow(cast, total: int) -> None:
    """Bring 马山镇 to ``total`` enterprises, each with two people, two licences and two tags; the
    enterprise ``inside`` gets as many people and licences as there are enterprises."""
    township = cast["inside"].township
    tags = list(Tag.objects.all()[:2])
    existing = township.enterprises.count()
    for n in range(total - existing):
        enterprise = EnterpriseFactory(name=f"马山规模企业{n:03d}", township=township)
        enterprise.tags.set(tags)
        add_children(enterprise, 2)
    inside = cast["inside"]
    inside.tags.set(tags)
    add_children(inside, total - inside.people.count())


def add_children(enterprise, count: int) -> None:
    today = date.today()
    EnterprisePerson.objects.bulk_create(
        EnterprisePerson(enterprise=enterprise, role="safety_officer", name=f"安全员{n}", phone="13800000000")
        for n in range(count))
    Licence.objects.bulk_create(
        Licence(enterprise=enterprise, kind="other", number=f"L-{enterprise.pk}-{n}", valid_from=today,
                valid_to=today + timedelta(days=30 * n + 1))
        for n in range(count))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get("/healthz")
    return client


def queries(client, url: str, **params) -> int:
    """Statements a request runs, as in production: the savepoints that the test's own transaction adds
    around each write are not counted."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return sum(1 for query in captured.captured_queries if "SAVEPOINT" not in query["sql"])


def pages(cast) -> dict[str, str]:
    pk = cast["inside"].pk
    return {"api list": "/api/v1/enterprises/", "list page": "/enterprises/",
            "ledger page": f"/enterprises/{pk}/", "api detail": f"/api/v1/enterprises/{pk}/"}


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "leader"])
def test_queries_do_not_grow_with_the_number_of_enterprises(cast, role):
    client = client_for(cast["users"][role])
    grow(cast, 5)
    small = {name: queries(client, url, page_size=100) for name, url in pages(cast).items()}
    grow(cast, 50)
    large = {name: queries(client, url, page_size=100) for name, url in pages(cast).items()}
    assert small == large


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer"])
def test_each_list_runs_at_most_ten_queries(cast, role):
    """The issue's bound is for the list; the ledger page gathers the panels of every module, so its guard
    is that its count does not grow (above)."""
    client = client_for(cast["users"][role])
    grow(cast, 20)
    counted = {name: queries(client, url) for name, url in pages(cast).items() if "list" in name}
    assert max(counted.values()) <= MAX_QUERIES, counted


def test_the_list_page_with_filters_and_sort_stays_within_the_limit(cast):
    client = client_for(cast["users"]["township_officer"])
    grow(cast, 30)
    count = queries(client, "/enterprises/", q="马山", tag=Tag.objects.first().code, sort="-name", page=2)
    assert count <= MAX_QUERIES


def test_the_api_list_with_filters_stays_within_the_limit(cast, django_assert_max_num_queries):
    client = client_for(cast["users"]["department_officer"])
    grow(cast, 30)
    client.get("/api/v1/enterprises/")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/api/v1/enterprises/", {"township": "370113107", "grade": "B", "page_size": 50})
    assert response.status_code == 200


def test_the_export_does_not_grow_with_the_list(cast):
    client = client_for(cast["users"]["bureau_staff"])
    grow(cast, 5)
    small = queries(client, "/api/v1/enterprises/export/")
    grow(cast, 50)
    assert queries(client, "/api/v1/enterprises/export/") == small
