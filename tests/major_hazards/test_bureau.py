"""What the bureau and the enterprise see beyond the pages: the to-dos (overdue duties, assessments due within
SHOUYE_MHI_ASSESSMENT_WARNING_DAYS, filings), the map layer by grade, the cockpit panel and the enterprise
ledger panel, each within scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from shouye.core.registry import MapFilters, cockpit_panels, map_layers, todo_providers
from shouye.major_hazards import services

from .conftest import appoint_all, make_installation

pytestmark = pytest.mark.django_db


def count(key, user):
    return todo_providers.providers[key].count(user)


def test_overdue_duties_to_do_for_the_enterprise_and_the_township(cast, owner, installation):
    appoint_all(owner, installation, on=timezone.localdate() - timedelta(days=10))
    # only the operational person's weekly duties (7 days) are overdue after 10 days: their first window closed
    # undone (still due, before the nightly run records it missed)
    assert count("major-hazards-overdue-duties", owner) == 10
    assert count("major-hazards-overdue-duties", cast["users"]["township_officer"]) == 10
    assert count("major-hazards-overdue-duties", cast["users"]["department_officer"]) == 0
    items = todo_providers.providers["major-hazards-overdue-duties"].items(owner, 5)
    assert len(items) == 5 and items[0].overdue and items[0].url == reverse("major_hazards:detail",
                                                                            args=[installation.pk])


def test_assessments_due_within_the_setting(cast, owner, settings):
    today = timezone.localdate()
    make_installation(owner, cast["inside"], name="近期", next_assessment_due=today + timedelta(days=90))
    make_installation(owner, cast["inside"], name="远期", next_assessment_due=today + timedelta(days=91))
    assert count("major-hazards-assessments", owner) == 1
    settings.SHOUYE_MHI_ASSESSMENT_WARNING_DAYS = 91
    assert count("major-hazards-assessments", owner) == 2
    assert count("major-hazards-assessments", cast["users"]["bureau_staff"]) == 2


def test_filings_due_until_filed(cast, owner, installation):
    staff = cast["users"]["bureau_staff"]
    assert count("major-hazards-filings", staff) == 1
    services.file_installation(actor=owner, installation=installation, filing_number="备-1",
                               filed_on=timezone.localdate())
    assert count("major-hazards-filings", staff) == 0


def test_map_layer_coloured_by_grade_within_scope(cast, owner, installation):
    installation.longitude, installation.latitude = 116.7, 36.5
    installation.save()
    layer = map_layers.layers["major-hazards"]
    points = layer.points(cast["users"]["township_officer"], MapFilters(), 100)
    assert [(p.id, p.css_class) for p in points] == [(installation.pk, "grade-4")]
    assert layer.points(cast["users"]["department_officer"], MapFilters(), 100) == []


def test_cockpit_panel_counts_by_grade(cast, owner, installation):
    appoint_all(owner, installation, on=timezone.localdate() - timedelta(days=10))
    data = cockpit_panels.panels["major-hazards-by-grade"].data(cast["users"]["bureau_staff"])
    assert data["option"]["series"][0]["data"] == [0, 0, 0, 1]
    kpis = {k["key"]: k["value"] for k in data["kpis"]}
    assert kpis == {"mhi-total": 1, "mhi-overdue-duties": 10}


def test_enterprise_ledger_panel(client, cast, owner, installation):
    client.force_login(cast["users"]["bureau_staff"])
    page = client.get(reverse("enterprises:detail", args=[cast["inside"].pk])).content.decode()
    assert 'data-testid="mhi-panel"' in page and "液氯储罐区" in page


def test_moving_the_enterprise_restamps_its_installations(cast, owner, installation, xiaoli):
    from tests.conftest import api_as

    response = api_as(cast["users"]["bureau_staff"]).patch(f"/api/v1/enterprises/{cast['inside'].pk}/",
                                                           {"township": xiaoli.code}, format="json")
    assert response.status_code == 200
    installation.refresh_from_db()
    assert installation.township == xiaoli
    officer = cast["users"]["township_officer"]
    assert api_as(officer).get(f"/api/v1/major-hazard-installations/{installation.pk}/").status_code == 404


def test_the_overdue_count_and_items_read_in_a_fixed_number_of_queries(cast, owner, django_assert_max_num_queries):
    staff = cast["users"]["bureau_staff"]
    provider = todo_providers.providers["major-hazards-overdue-duties"]
    first = make_installation(owner, cast["inside"])
    appoint_all(owner, first, on=timezone.localdate() - timedelta(days=100))
    # principal and technical: one 90-day window each closed undone; operational: fourteen weekly windows
    with django_assert_max_num_queries(6) as few:
        assert provider.count(staff) == 9 + 9 + 14 * 10
    with django_assert_max_num_queries(8) as items_few:
        assert len(provider.items(staff, 5)) == 5
    for n in range(4):
        appoint_all(owner, make_installation(owner, cast["inside"], name=f"单元{n}"),
                    on=timezone.localdate() - timedelta(days=100))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert provider.count(staff) == 5 * (9 + 9 + 14 * 10)
    with django_assert_max_num_queries(len(items_few.captured_queries)):
        assert len(provider.items(staff, 5)) == 5


def test_the_assessment_and_filing_items_lead_to_the_installation(cast, owner, installation):
    installation.next_assessment_due = timezone.localdate() - timedelta(days=1)
    installation.save()
    staff = cast["users"]["bureau_staff"]
    [item] = todo_providers.providers["major-hazards-assessments"].items(staff, 5)
    assert item.overdue and item.url == reverse("major_hazards:detail", args=[installation.pk])
    [item] = todo_providers.providers["major-hazards-filings"].items(staff, 5)
    assert item.title == installation.name
    assert not todo_providers.providers["major-hazards-filings"].shown_to(owner)
