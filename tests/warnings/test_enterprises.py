"""The enterprises of the townships a warning covers (issue 14): notified in-app with it (their enterprise users),
told when it is adjusted and lifted, they see it and acknowledge (叫应) for themselves, counted on the board
apart from the townships and departments; and the cockpit's panel of the warnings in force with their level
colours and the acknowledgements outstanding."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition, NotInScope
from shouye.core.registry import todo_providers
from shouye.enterprises.choices import OperatingStatus
from shouye.notifications.models import Notification
from shouye.warnings import selectors, services
from shouye.warnings.cockpit import LEVEL_COLOURS
from shouye.warnings.models import EarlyWarning, NotifiedEnterprise
from tests.conftest import api_as, page_as
from tests.factories import EnterpriseFactory, UserFactory, member

from .conftest import issue

pytestmark = pytest.mark.django_db


def test_issuing_notifies_the_enterprises_of_the_townships_covered_but_closed_ones(
        staff, cast, mashan, xiaoli, django_capture_on_commit_callbacks):
    closed = EnterpriseFactory(name="马山已关闭企业", township=mashan, status=OperatingStatus.CLOSED)
    colleague = UserFactory(username="inside_colleague")
    member(colleague, "enterprise_user", enterprise=cast["inside"])
    outsider = UserFactory(username="outside_user")
    member(outsider, "enterprise_user", enterprise=cast["outside"])
    with django_capture_on_commit_callbacks(execute=True):
        warning = issue(staff, all_district=False, townships=[mashan])
    notified = set(warning.enterprises.values_list("enterprise_id", flat=True))
    assert cast["inside"].pk in notified and closed.pk not in notified and cast["outside"].pk not in notified
    assert AuditEvent.objects.get(verb="warning.issue").changes["enterprises"] == len(notified)
    recipients = set(Notification.objects.filter(verb="warning.issued").values_list("recipient__username",
                                                                                    flat=True))
    assert {"enterprise_user", "inside_colleague", "township_officer"} <= recipients
    assert "outside_user" not in recipients and "expert" not in recipients
    with django_capture_on_commit_callbacks(execute=True):
        services.adjust_level(actor=staff, warning=warning, level=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.lift_warning(actor=staff, warning=warning)
    for verb in ("warning.adjusted", "warning.lifted"):
        told = set(Notification.objects.filter(verb=verb).values_list("recipient__username", flat=True))
        assert {"enterprise_user", "inside_colleague"} <= told and "outside_user" not in told, verb


def test_a_whole_district_warning_reaches_every_enterprise_in_a_fixed_number_of_queries(
        staff, cast, mashan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue(staff)  # the first act's commit starts the audit chain
    with CaptureQueriesContext(connection) as few, django_capture_on_commit_callbacks(execute=True):
        issue(staff, title="大风蓝色预警", level=4)
    for n in range(12):
        enterprise = EnterpriseFactory(township=mashan)
        member(UserFactory(username=f"site-{n}"), "enterprise_user", enterprise=enterprise)
    with CaptureQueriesContext(connection) as many, django_capture_on_commit_callbacks(execute=True):
        warning = issue(staff, title="大风蓝色预警", level=4)
    assert len(many) == len(few), [query["sql"] for query in many]
    assert warning.enterprises.count() == 15
    assert Notification.objects.filter(verb="warning.issued", title__contains="大风蓝色预警",
                                        recipient__username__startswith="site-").count() == 12


def test_the_enterprise_sees_its_warnings_only(cast, staff, warning, xiaoli_warning):
    owner = cast["users"]["enterprise_user"]
    assert list(EarlyWarning.objects.visible_to(owner)) == [warning]
    assert not EarlyWarning.objects.visible_to(cast["users"]["expert"]).exists()
    api = api_as(owner)
    assert [row["id"] for row in api.get("/api/v1/early-warnings/").json()["results"]] == [warning.pk]
    assert api.get(f"/api/v1/early-warnings/{xiaoli_warning.pk}/").status_code == 404
    detail = api.get(f"/api/v1/early-warnings/{warning.pk}/").json()
    assert [row["name"] for row in detail["enterprises"]] == [cast["inside"].name]


def test_the_enterprise_acknowledges_for_itself_once(cast, staff, warning):
    owner = cast["users"]["enterprise_user"]
    api = api_as(owner)
    response = api.post(f"/api/v1/early-warnings/{warning.pk}/enterprise-acknowledge/", {}, format="json")
    assert response.status_code == 200, response.json()
    [row] = [e for e in response.json()["enterprises"] if e["enterprise"] == cast["inside"].pk]
    assert row["acknowledged_by"] and row["minutes_to_acknowledge"] == 0
    assert warning.units.filter(acknowledged_at__isnull=False).count() == 0  # the units' board is apart
    again = api.post(f"/api/v1/early-warnings/{warning.pk}/enterprise-acknowledge/", {}, format="json")
    assert again.status_code == 400 and "没有" in again.json()["non_field_errors"][0]
    event = AuditEvent.objects.get(verb="warning.enterprise-acknowledge")
    assert event.changes["enterprises"] == [cast["inside"].pk]


def test_refused_enterprise_acknowledgements_change_nothing(cast, staff, warning, xiaoli_warning):
    with pytest.raises(PermissionDenied):
        services.acknowledge_as_enterprise(actor=cast["users"]["township_officer"], warning=warning)
    with pytest.raises(NotInScope):
        services.acknowledge_as_enterprise(actor=cast["users"]["enterprise_user"], warning=xiaoli_warning)
    services.lift_warning(actor=staff, warning=warning)
    with pytest.raises(InvalidTransition):
        services.acknowledge_as_enterprise(actor=cast["users"]["enterprise_user"], warning=warning)
    other = issue(staff, title="另一预警")
    NotifiedEnterprise.objects.filter(warning=other, enterprise=cast["inside"]).delete()
    with pytest.raises((ValidationError, NotInScope)):
        services.acknowledge_as_enterprise(actor=cast["users"]["enterprise_user"], warning=other)
    assert not NotifiedEnterprise.objects.filter(acknowledged_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(verb="warning.enterprise-acknowledge").exists()


def test_the_board_counts_enterprises_apart_and_each_sees_its_own(cast, staff, warning):
    owner = cast["users"]["enterprise_user"]
    page = page_as(owner).get(f"/warnings/{warning.pk}/").content.decode()
    assert 'data-action="enterprise-acknowledge"' in page and 'data-testid="enterprise-summary">已叫应 0 / 1' in page
    response = page_as(owner).post(f"/warnings/{warning.pk}/enterprise-acknowledge/", {})
    assert response.status_code == 302
    page = page_as(owner).get(f"/warnings/{warning.pk}/").content.decode()
    assert 'data-action="enterprise-acknowledge"' not in page and cast["outside"].name not in page
    officer = page_as(cast["users"]["township_officer"]).get(f"/warnings/{warning.pk}/").content.decode()
    assert cast["inside"].name in officer and cast["outside"].name not in officer
    bureau = page_as(staff).get(f"/warnings/{warning.pk}/").content.decode()
    assert 'data-testid="enterprise-summary">已叫应 1 / 3' in bureau and cast["outside"].name in bureau
    assert 'data-action="enterprise-acknowledge"' not in bureau
    assert selectors.enterprise_counts(staff, warning) == {"notified": 3, "acknowledged": 1}


def test_the_enterprise_to_do(cast, warning):
    owner = cast["users"]["enterprise_user"]
    provider = {p.key: p for p in todo_providers.for_user(owner)}["warnings-enterprise-acknowledge"]
    assert provider.count(owner) == 1 and provider.items(owner, 5)[0].url == f"/warnings/{warning.pk}/"
    services.acknowledge_as_enterprise(actor=owner, warning=warning)
    assert provider.count(owner) == 0
    assert "warnings-enterprise-acknowledge" not in {p.key for p in todo_providers.for_user(cast["users"]["bureau_staff"])}


def test_the_cockpit_panel_shows_the_warnings_in_force_in_their_colours(cast, staff, warning, xiaoli_warning):
    services.acknowledge_as_enterprise(actor=cast["users"]["enterprise_user"], warning=warning)
    lifted = issue(staff, title="已解除的预警")
    services.lift_warning(actor=staff, warning=lifted)
    body = json.loads(page_as(staff).get("/cockpit/data/").content)
    panel = next(p for p in body["panels"] if p["key"] == "warnings-in-force")
    names = panel["option"]["yAxis"]["data"]
    assert names == ["暴雨黄色预警（三级（黄色））", "孝里大风蓝色预警（四级（蓝色））"]
    units, enterprises = panel["option"]["series"]
    assert [bar["itemStyle"]["color"] for bar in units["data"]] == [LEVEL_COLOURS["yellow"], LEVEL_COLOURS["blue"]]
    assert [bar["value"] for bar in enterprises["data"]] == [2, 2]
    figures = {kpi["key"]: kpi["value"] for kpi in body["kpis"]}
    assert figures["warnings-in-force"] == 2 and figures["warnings-enterprises-pending"] == 4
    assert figures["warnings-units-pending"] == warning.units.count() + xiaoli_warning.units.count()
    officer = json.loads(page_as(cast["users"]["township_officer"]).get("/cockpit/data/").content)
    panel = next(p for p in officer["panels"] if p["key"] == "warnings-in-force")
    assert panel["option"]["yAxis"]["data"] == ["暴雨黄色预警（三级（黄色））"]
    assert [bar["value"] for bar in panel["option"]["series"][1]["data"]] == [0]
