"""The enterprise ledger page (一企一账) renders the panels other apps register only where they belong: a panel
whose user condition fails or that does not apply to the enterprise is not built at all (no heading, no
selector call, no query), instead of each template hiding itself."""

from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouye.core.registry import Panel, PanelRegistry, enterprise_panels
from shouye.workareas import services as workareas
from tests.workareas.conftest import area_data

WORKAREAS_TABLE = "workareas_"


def _page(client, enterprise):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("enterprises:detail", kwargs={"pk": enterprise.pk}))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_a_non_chemical_enterprise_has_no_work_areas_panel_and_reads_no_work_area(cast, client):
    client.force_login(cast["users"]["bureau_staff"])
    page, sql = _page(client, cast["outside"])
    assert 'data-testid="workareas-panel"' not in page
    assert not [statement for statement in sql if WORKAREAS_TABLE in statement]


def test_a_chemical_enterprise_has_it(cast, client):
    workareas.assess_work_area(actor=cast["users"]["enterprise_user"], enterprise=cast["inside"], data=area_data())
    client.force_login(cast["users"]["bureau_staff"])
    page, sql = _page(client, cast["inside"])
    assert 'data-testid="workareas-panel"' in page and "氯化反应区" in page
    assert [statement for statement in sql if WORKAREAS_TABLE in statement]


def test_an_enterprise_tagged_with_a_hazardous_process_is_chemical_too(cast, client):
    from shouye.enterprises.models import Tag

    outside = cast["outside"]
    assert outside.industry.code != "hazardous_chemicals"
    outside.tags.add(Tag.objects.get(code="hazardous_process"))
    client.force_login(cast["users"]["bureau_staff"])
    page, _sql = _page(client, outside)
    assert 'data-testid="workareas-panel"' in page


@pytest.mark.parametrize(("role", "enterprise", "left_out"), [
    ("bureau_staff", "outside", "workareas"), ("bureau_staff", "building", "workareas"),
    ("enterprise_user", "inside", "risk-liveness"),
])
def test_a_panel_not_shown_is_never_built(cast, client, monkeypatch, role, enterprise, left_out):
    """Every registered panel the page leaves out, for a user it is not for or an enterprise it does not concern,
    is skipped before its context is asked for."""
    user, enterprise = cast["users"][role], cast[enterprise]

    def never(request, obj):
        raise AssertionError("the context of a panel that is not shown was built")

    skipped = [panel for panel in enterprise_panels.ordered()
               if not panel.shown_to(user) or not panel.applies(enterprise)]
    assert left_out in {panel.key for panel in skipped}
    for panel in skipped:
        monkeypatch.setitem(enterprise_panels.panels, panel.key, replace(panel, context=never))
    client.force_login(user)
    _page(client, enterprise)


def test_the_registry_orders_and_filters_by_user_and_object():
    registry = PanelRegistry()

    def build(request, obj):
        return {}

    registry.register(Panel(key="b", title="B", template="t.html", context=build, order=2))
    registry.register(Panel(key="a", title="A", template="t.html", context=build, order=1,
                            condition=lambda user: user == "officer"))
    registry.register(Panel(key="c", title="C", template="t.html", context=build, order=3,
                            applies_to=lambda obj: obj == "chemical"))
    assert [p.key for p in registry.for_object("officer", "chemical")] == ["a", "b", "c"]
    assert [p.key for p in registry.for_object("officer", "trade")] == ["a", "b"]
    assert [p.key for p in registry.for_object("public", "chemical")] == ["b", "c"]


@pytest.mark.parametrize(("name", "applies"), [("inside", True), ("outside", False)])
def test_whether_a_panel_applies_is_read_from_the_loaded_row(cast, django_assert_num_queries, name, applies):
    """The page's row comes with its industry and tags, so deciding costs no query."""
    from shouye.enterprises.selectors import enterprise_detail

    enterprise = enterprise_detail(cast["users"]["bureau_staff"]).get(pk=cast[name].pk)
    with django_assert_num_queries(0):
        assert enterprise_panels.panels["workareas"].applies(enterprise) is applies
