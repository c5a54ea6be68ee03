"""Integers beyond the database's range never answer 5xx (issue 9, item 5): ``?enterprise=99999999999999999999``
was an OverflowError in SQLite's driver, a 500 on the ledger, its export, its statistics and the inspection
lists, page and API. A filter with such a value is a 400 in the filter's error shape (shouye/core/filters.py);
an id in a URL path is a 404, like any id that does not exist.

The walk takes every route of tests/scope_registry.py: every route with an id in its path, with every
method it answers; every route without one, with every query parameter it reads among all those the project
reads (the filters of every filter set, and the names the views read from the query string, found in the
source). Run on SQLite and on PostgreSQL (``DATABASE_URL``)."""

import ast
from functools import cache
from pathlib import Path

import django_filters
import pytest
from django.http import QueryDict
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import api_as
from tests.scope_registry import classified_routes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HUGE = (str(2**63), str(10**20))
#: In a filter also the other side: one below the smallest 64-bit integer.
HUGE_FILTER_VALUES = (*HUGE, str(-(2**63) - 1))
QUERY_DICTS = ("GET", "query_params")


def _filter_sets(cls=django_filters.FilterSet):
    """Every filter set of the project (whether or not it derives from shouye.core.filters.FilterSet)."""
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("shouye."):
            yield sub
        yield from _filter_sets(sub)


@cache
def query_parameters() -> tuple[str, ...]:
    """Every filter of the project's filter sets, and every name a view reads from the query string
    (``request.GET.get("year")``, ``request.query_params["x"]``), found in the source with ``ast``."""
    classified_routes()  # imports every view, so every filter set is defined
    names = {name for filter_set in _filter_sets() for name in filter_set.base_filters}
    names |= {"page", "page_size"}
    for path in (ROOT / "shouye").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("get", "getlist") and isinstance(node.func.value, ast.Attribute) and \
                    node.func.value.attr in QUERY_DICTS and node.args and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and \
                    node.value.attr in QUERY_DICTS and isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return tuple(sorted(name for name in names if isinstance(name, str)))


def routes_with_ids():
    return [spec for spec in classified_routes()[0] if spec.kwargs]


def routes_without_ids():
    return [spec for spec in classified_routes()[0] if not spec.kwargs and "get" in spec.methods]


def signed_in(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_walk_finds_the_filters_that_were_500s():
    assert {"enterprise", "township", "year", "page"} <= set(query_parameters())
    assert {"hazards:list", "hazard-stats", "inspections:list"} <= {spec.name for spec in routes_without_ids()}


@pytest.mark.parametrize("spec", routes_with_ids(), ids=lambda spec: spec.name)
def test_an_id_beyond_the_databases_integers_is_a_404(cast, spec):
    bureau = signed_in(cast["users"]["bureau_admin"])
    enterprise_user = signed_in(cast["users"]["enterprise_user"])
    failures = []
    for value in HUGE:
        url = reverse(spec.name, kwargs=dict.fromkeys(spec.kwargs, value))
        for method in spec.methods:
            answers = {"bureau": getattr(bureau, method)(url), "enterprise_user": getattr(enterprise_user, method)(url)}
            if answers["bureau"].status_code != 404:
                failures.append(f"{method.upper()} {url} as the bureau: {answers['bureau'].status_code}")
            if answers["enterprise_user"].status_code >= 500:
                failures.append(f"{method.upper()} {url} as an enterprise user: "
                                f"{answers['enterprise_user'].status_code}")
    assert not failures, failures


def parameters_read(client, url: str, monkeypatch) -> set[str]:
    """The query parameters among :func:`query_parameters` that the route reads: every ``get``, ``getlist``
    and ``[…]`` on a QueryDict while it answers, given all of them empty (which every filter takes as "not
    given", so none stops the others from being read) and all of them ``1``."""
    read = set()

    def recording(original):
        def method(self, key, *args, **kwargs):
            read.add(key)
            return original(self, key, *args, **kwargs)
        return method

    with monkeypatch.context() as patch:
        for name in ("__getitem__", "get", "getlist"):
            patch.setattr(QueryDict, name, recording(getattr(QueryDict, name)))
        for value in ("", "1"):
            client.get(url, dict.fromkeys(query_parameters(), value))
    return read & set(query_parameters())


@pytest.mark.parametrize("spec", routes_without_ids(), ids=lambda spec: spec.name)
def test_a_query_parameter_beyond_the_databases_integers_never_answers_5xx(cast, spec, monkeypatch):
    client = signed_in(cast["users"]["bureau_admin"])
    url = reverse(spec.name)
    failures = [f"GET {url}?{name}={value}: {status}"
                for name in sorted(parameters_read(client, url, monkeypatch)) for value in HUGE
                if (status := client.get(url, {name: value}).status_code) >= 500]
    assert not failures, failures


@pytest.mark.parametrize("url", ["/api/v1/hazards/", "/api/v1/hazards/export/", "/api/v1/hazards/stats/",
                                 "/api/v1/inspections/"])
@pytest.mark.parametrize("value", HUGE_FILTER_VALUES)
def test_the_api_answers_400_naming_the_filter(cast, url, value):
    response = api_as(cast["users"]["bureau_staff"]).get(url, {"enterprise": value})
    assert response.status_code == 400
    assert "enterprise" in response.json()


@pytest.mark.parametrize("url", ["/hazards/", "/inspections/"])
def test_a_list_page_shows_the_filter_error(cast, url):
    client = signed_in(cast["users"]["bureau_staff"])
    response = client.get(url, {"enterprise": HUGE[1]})
    assert response.status_code == 400
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_an_export_sends_the_user_back_to_the_list_with_the_error(cast):
    response = signed_in(cast["users"]["bureau_staff"]).get("/hazards/export/", {"enterprise": HUGE[1]})
    assert response.status_code == 302 and response["Location"].startswith("/hazards/")


EDGE_DATES = [(url, name, value) for urls, names in (
    (("/api/v1/hazards/", "/api/v1/hazards/export/", "/api/v1/hazards/stats/", "/hazards/"), ("found_from", "found_to")),
    (("/api/v1/inspections/", "/inspections/"), ("date_from", "date_to")),
) for url in urls for name in names for value in ("0001-01-01", "9999-12-31")]


@pytest.mark.parametrize(("url", "name", "value"), EDGE_DATES)
def test_a_date_at_the_calendars_edge_is_a_400_not_a_server_error(cast, url, name, value):
    """The start or end of 9999-12-31 in the bureau's time zone is no datetime the database stores (found by
    schemathesis): a date filter takes days between 1900 and 2999, and says so."""
    response = signed_in(cast["users"]["bureau_staff"]).get(url, {name: value})
    assert response.status_code == 400, (url, name, value, response.status_code)
