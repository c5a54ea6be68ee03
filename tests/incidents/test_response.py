"""The response to an incident (issue 14): the nearest forces around it, dispatching teams and materials in one
transaction with the resources app's acts, returning a team (not the leader), activating the plans that
apply, and what the map and the cockpit show of it."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouye.accounts.models import Organisation
from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.incidents import response, services, site
from shouye.incidents.choices import IncidentKind
from shouye.incidents.models import IncidentDispatch, PlanActivation, TimelineEntry
from shouye.plans.choices import PlanKind, PlanState, PlanTopic
from shouye.plans.models import EmergencyPlan
from shouye.plans.services import unit_for
from shouye.resources import services as resources
from shouye.resources.choices import TeamKind
from shouye.resources.models import StockLine, StockMovement, Team
from tests.conftest import page_as

from .conftest import intake

pytestmark = pytest.mark.django_db

AT = {"latitude": Decimal("36.550000"), "longitude": Decimal("116.750000")}


@pytest.fixture
def placed(cast, staff):
    """An accident at the 马山镇 enterprise with a point of its own."""
    return services.report_incident(actor=staff, enterprise=cast["inside"], **intake(**AT))


@pytest.fixture
def item(cast):
    return resources.create_item(actor=cast["users"]["bureau_admin"], name="沙袋", category="防汛", unit="个")


@pytest.fixture
def warehouse(staff, item):
    row = resources.create_warehouse(actor=staff, name="区储备库", latitude=36.56, longitude=116.75)
    resources.stock_in(actor=staff, warehouse=row, item=item, quantity=Decimal(100), note="入库")
    return row


@pytest.fixture
def teams(staff):
    """Two district teams, the power team nearer the incident."""
    near = resources.create_team(actor=staff, name="区供电抢修队", kind=TeamKind.REPAIR_POWER, latitude=36.551,
                                 longitude=116.751, duty_phone="0531-87281234")
    far = resources.create_team(actor=staff, name="区燃气抢修队", kind=TeamKind.REPAIR_GAS, latitude=36.6,
                                longitude=116.8, duty_phone="0531-87285678")
    return near, far


def plan(title, kind, *topics, **unit) -> EmergencyPlan:
    return EmergencyPlan.objects.create(unit=unit_for(**unit), kind=kind, title=title, topics=list(topics),
                                        state=PlanState.FILED, published_on=date(2026, 1, 5))


def queries(client, url: str, **params) -> tuple[int, str]:
    """The queries of one GET and its body (the log is cleared first: it keeps only the last 9,000)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url, params)
    assert answer.status_code == 200, url
    return len(captured.captured_queries), answer.content.decode()


# --- services --------------------------------------------------------------------------------------------------


def test_the_nearest_ready_teams_and_warehouses_around_the_incident(staff, placed, teams, warehouse, item):
    forces = response.nearest_forces(staff, placed, item=item, quantity=Decimal(30))
    assert [t["name"] for t in forces["teams"]] == ["区供电抢修队", "区燃气抢修队"] and forces["own_position"]
    assert forces["warehouses"][0]["name"] == "区储备库" and forces["warehouses"][0]["covers_all"]


def test_dispatching_a_team_deploys_it_and_writes_the_timeline_in_one_act(staff, placed, teams):
    near, _far = teams
    row = response.dispatch_team(actor=staff, incident=placed, team=near, note="抢修电力")
    near.refresh_from_db()
    assert near.readiness == "deployed" and near.incident == f"#{placed.pk} 储罐区闪爆"
    assert row.team == near and row.returned_at is None
    assert TimelineEntry.objects.filter(incident=placed, kind="dispatch", text__contains="区供电抢修队").exists()
    assert AuditEvent.objects.filter(verb="incident.dispatch-team").count() == 1
    assert AuditEvent.objects.filter(verb="resources.team-deploy").count() == 1
    assert [t["name"] for t in response.nearest_forces(staff, placed)["teams"]] == ["区燃气抢修队"]


def test_a_team_not_ready_is_refused_by_name_and_nothing_changes(staff, placed, teams):
    near, _far = teams
    response.dispatch_team(actor=staff, incident=placed, team=near)
    entries = TimelineEntry.objects.count()
    with pytest.raises(InvalidTransition) as refused:
        response.dispatch_team(actor=staff, incident=placed, team=near)
    assert "区供电抢修队" in refused.value.message and "已出动" in refused.value.message
    assert IncidentDispatch.objects.count() == 1 and TimelineEntry.objects.count() == entries


def test_dispatching_materials_moves_the_stock(staff, placed, warehouse, item):
    row = response.dispatch_items(actor=staff, incident=placed, warehouse=warehouse, item=item,
                                  quantity=Decimal("30"))
    assert StockLine.objects.get(warehouse=warehouse, item=item).quantity == 70
    movement = StockMovement.objects.get(kind="dispatch")
    assert movement.quantity == 30 and movement.incident.startswith(f"#{placed.pk}")
    assert row.quantity == 30 and TimelineEntry.objects.filter(kind="dispatch", text__contains="沙袋").exists()


def test_short_stock_is_refused_by_item_and_nothing_changes(staff, placed, warehouse, item):
    with pytest.raises(InvalidTransition) as refused:
        response.dispatch_items(actor=staff, incident=placed, warehouse=warehouse, item=item, quantity=101)
    assert "沙袋" in refused.value.message and "100" in refused.value.message
    assert StockLine.objects.get().quantity == 100 and not StockMovement.objects.filter(kind="dispatch").exists()
    assert not IncidentDispatch.objects.exists() and not TimelineEntry.objects.filter(kind="dispatch").exists()


def test_a_failure_after_the_stock_moved_undoes_the_whole_dispatch(staff, placed, warehouse, item, teams,
                                                                     monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("timeline unavailable")

    monkeypatch.setattr(response, "_entry", broken)
    with pytest.raises(RuntimeError):
        response.dispatch_items(actor=staff, incident=placed, warehouse=warehouse, item=item, quantity=10)
    with pytest.raises(RuntimeError):
        response.dispatch_team(actor=staff, incident=placed, team=teams[0])
    assert StockLine.objects.get().quantity == 100 and not StockMovement.objects.filter(kind="dispatch").exists()
    assert Team.objects.get(pk=teams[0].pk).readiness == "ready" and not IncidentDispatch.objects.exists()


def test_returning_a_team_makes_it_ready_and_closes_its_dispatch(staff, placed, teams):
    row = response.dispatch_team(actor=staff, incident=placed, team=teams[0])
    response.return_team(actor=staff, incident=placed, dispatch=row, note="任务完成")
    row.refresh_from_db()
    assert row.returned_at is not None and row.returned_by == staff
    assert Team.objects.get(pk=teams[0].pk).readiness == "ready"
    assert TimelineEntry.objects.filter(kind="return", text__contains="区供电抢修队").exists()
    with pytest.raises(InvalidTransition):
        response.return_team(actor=staff, incident=placed, dispatch=row)


def test_the_leader_dispatches_but_does_not_return_a_team(cast, staff, placed, teams):
    leader = cast["users"]["leader"]
    row = response.dispatch_team(actor=leader, incident=placed, team=teams[0])
    with pytest.raises(PermissionDenied):
        response.return_team(actor=leader, incident=placed, dispatch=row)
    row.refresh_from_db()
    assert row.returned_at is None and Team.objects.get(pk=teams[0].pk).readiness == "deployed"
    services.close_incident(actor=staff, incident=placed, summary="完毕")
    response.return_team(actor=staff, incident=placed, dispatch=row)
    assert Team.objects.get(pk=teams[0].pk).readiness == "ready"


def test_an_incident_without_a_position_is_given_one(cast, staff, accident, teams):
    accident.enterprise.latitude = accident.enterprise.longitude = None
    accident.enterprise.save(update_fields=["latitude", "longitude"])
    accident.refresh_from_db()
    assert response.nearest_forces(staff, accident) is None
    site.report_position(actor=staff, incident=accident, **AT)
    accident.refresh_from_db()
    assert response.nearest_forces(staff, accident)["teams"][0]["name"] == "区供电抢修队"
    assert TimelineEntry.objects.filter(incident=accident, kind="position").exists()


def test_the_plans_that_apply_and_their_activation(cast, staff, placed):
    district = plan("长清区生产安全事故应急预案", PlanKind.COMPREHENSIVE)
    special = plan("长清区安全生产事故灾难应急预案", PlanKind.SPECIAL, PlanTopic.PRODUCTION_SAFETY)
    flood = plan("长清区防汛应急预案", PlanKind.SPECIAL, PlanTopic.FLOOD_DROUGHT)
    own = plan("马山内测化工现场处置方案", PlanKind.ON_SITE, enterprise=cast["inside"])
    other = plan("孝里外部机械综合应急预案", PlanKind.COMPREHENSIVE, enterprise=cast["outside"])
    township = plan("马山镇突发事件总体应急预案", PlanKind.COMPREHENSIVE, township=cast["inside"].township)
    applicable = set(response.applicable_plans(staff, placed))
    assert applicable == {district, special, own, township} and flood not in applicable and other not in applicable
    activation = response.activate_plan(actor=staff, incident=placed, plan=own)
    assert activation.entry.kind == "plan" and "现场处置方案" in activation.entry.text
    with pytest.raises(InvalidTransition):
        response.activate_plan(actor=staff, incident=placed, plan=own)
    with pytest.raises(ValidationError):
        response.activate_plan(actor=staff, incident=placed, plan=other)
    assert PlanActivation.objects.count() == 1


def test_a_flood_plan_applies_to_a_flood_by_its_topic_not_its_title(cast, staff):
    """The special plans that apply are those whose topics cover the incident's kind, whatever their titles:
    a plan named 防汛 written for another topic is not offered for a flood."""
    flood = services.report_incident(actor=staff, township=cast["inside"].township,
                                     **intake(title="玉符河漫堤", kind=IncidentKind.FLOOD))
    covers = plan("长清区自然灾害救助应急预案", PlanKind.SPECIAL, PlanTopic.GEOLOGICAL_DISASTER, PlanTopic.FLOOD_DROUGHT)
    named = plan("长清区防汛物资保障预案", PlanKind.SPECIAL, PlanTopic.PRODUCTION_SAFETY)
    department = plan("住建局城市排涝应急预案", PlanKind.SPECIAL, PlanTopic.FLOOD_DROUGHT,
                      department=Organisation.objects.get(name="区住房和城乡建设局"))
    applicable = set(response.applicable_plans(staff, flood))
    assert covers in applicable and department in applicable and named not in applicable
    assert named in set(response.applicable_plans(staff, services.report_incident(
        actor=staff, township=cast["inside"].township, **intake(title="仓库坍塌"))))
    with pytest.raises(ValidationError):
        response.activate_plan(actor=staff, incident=flood, plan=named)
    page = page_as(staff).get(reverse("incidents:detail", kwargs={"pk": flood.pk})).content.decode()
    assert f'data-plan="{covers.pk}"' in page and f'data-plan="{named.pk}"' not in page
    assert "防汛抗旱" in page.split(f'data-plan="{covers.pk}"')[1].split("</li>")[0]  # its topics shown


def test_every_kind_of_incident_names_the_topics_of_its_plans():
    assert set(response.PLAN_TOPICS) == set(IncidentKind.values)
    assert all(response.PLAN_TOPICS.values())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_dispatchers_taking_the_last_items_one_wins(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    from shouye.accounts.models import User
    from shouye.incidents.models import Incident
    from shouye.resources.models import Item, Warehouse
    from tests.concurrency import at_the_same_moment

    staff = cast["users"]["bureau_staff"]
    item = resources.create_item(actor=cast["users"]["bureau_admin"], name="救生衣", category="防汛", unit="件")
    store = resources.create_warehouse(actor=staff, name="区储备库", latitude=36.5, longitude=116.7)
    resources.stock_in(actor=staff, warehouse=store, item=item, quantity=Decimal(10))
    first = services.report_incident(actor=staff, enterprise=cast["inside"], **intake(**AT))
    second = services.report_incident(actor=staff, enterprise=cast["outside"], **intake(title="管道泄漏", **AT))

    def dispatch(incident):
        return lambda: response.dispatch_items(
            actor=User.objects.get(pk=staff.pk), incident=Incident.objects.get(pk=incident.pk),
            warehouse=Warehouse.objects.get(pk=store.pk), item=Item.objects.get(pk=item.pk), quantity=10)

    results, errors = at_the_same_moment(dispatch(first), dispatch(second))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], InvalidTransition)
    assert "救生衣" in errors[0].message
    assert StockLine.objects.get().quantity == 0 and IncidentDispatch.objects.count() == 1


# --- pages and API ---------------------------------------------------------------------------------------------


def test_the_page_dispatches_the_nearest_team_and_refuses_by_name(staff, placed, teams):
    browser = page_as(staff)
    url = reverse("incidents:detail", kwargs={"pk": placed.pk})
    page = browser.get(url).content.decode()
    assert 'data-testid="nearest-teams"' in page and f'data-testid="dispatch-team-{teams[0].pk}"' in page
    answer = browser.post(reverse("incidents:dispatch-team", kwargs={"pk": placed.pk}),
                          {"dispatch-team-team": teams[0].pk})
    assert answer.status_code == 302 and answer.url == url
    refused = browser.post(reverse("incidents:dispatch-team", kwargs={"pk": placed.pk}),
                           {"dispatch-team-team": teams[0].pk})
    assert refused.status_code == 409 and "区供电抢修队" in refused.content.decode()
    page = browser.get(url).content.decode()
    assert f'data-testid="return-team-{IncidentDispatch.objects.get().pk}"' in page


def test_the_page_says_when_the_incident_has_no_position(cast, staff, accident):
    accident.enterprise.latitude = accident.enterprise.longitude = None
    accident.enterprise.save(update_fields=["latitude", "longitude"])
    browser = page_as(staff)
    page = browser.get(reverse("incidents:detail", kwargs={"pk": accident.pk})).content.decode()
    assert 'data-testid="no-position"' in page and "没有位置" in page and 'data-testid="act-position"' in page
    answer = browser.post(reverse("incidents:position", kwargs={"pk": accident.pk}),
                          {"latitude": "95", "longitude": "116.7"})
    assert answer.status_code == 400 and "90" in answer.content.decode()


def test_the_page_dispatches_materials_found_around_the_incident(staff, placed, warehouse, item):
    browser = page_as(staff)
    url = reverse("incidents:detail", kwargs={"pk": placed.pk})
    page = browser.get(url, {"item": item.pk, "quantity": "5"}).content.decode()
    assert f'data-testid="dispatch-items-{warehouse.pk}"' in page
    body = {"dispatch-items-warehouse": warehouse.pk, "dispatch-items-item": item.pk,
            "dispatch-items-quantity": "500"}
    refused = browser.post(reverse("incidents:dispatch-items", kwargs={"pk": placed.pk}), body)
    assert refused.status_code == 409 and "沙袋" in refused.content.decode()
    body["dispatch-items-quantity"] = "5"
    assert browser.post(reverse("incidents:dispatch-items", kwargs={"pk": placed.pk}), body).status_code == 302
    assert StockLine.objects.get().quantity == 95


def test_the_page_with_many_dispatches_and_plans_takes_a_fixed_number_of_queries(cast, staff, placed):
    browser = page_as(staff)
    url = reverse("incidents:detail", kwargs={"pk": placed.pk})
    plan("长清区生产安全事故应急预案", PlanKind.COMPREHENSIVE)
    team = resources.create_team(actor=staff, name="队0", kind=TeamKind.VOLUNTEER, latitude=36.7, longitude=116.9,
                                 duty_phone="0531-1")
    response.dispatch_team(actor=staff, incident=placed, team=team)
    browser.get(url)
    few, _page = queries(browser, url)
    for n in range(1, 8):
        team = resources.create_team(actor=staff, name=f"队{n}", kind=TeamKind.VOLUNTEER, latitude=36.7,
                                     longitude=116.9, duty_phone="0531-1")
        response.dispatch_team(actor=staff, incident=placed, team=team)
        plan(f"长清区安全生产专项预案{n}", PlanKind.SPECIAL, PlanTopic.PRODUCTION_SAFETY)
    response.activate_plan(actor=staff, incident=placed, plan=EmergencyPlan.objects.first())
    many, page = queries(browser, url)
    assert many == few > 0
    assert page.count("data-dispatch=") == 8 and page.count("data-plan=") == 8 and "打开预案" in page


def test_the_api_answers_the_forces_and_refuses_as_documented(api, cast, staff, placed, teams):
    api.force_authenticate(staff)
    base = f"/api/v1/incidents/{placed.pk}"
    forces = api.get(f"{base}/forces/").json()
    assert forces["ranked_by"] == "straight_line" and forces["teams"][0]["name"] == "区供电抢修队"
    answer = api.post(f"{base}/dispatch-team/", {"team": teams[0].pk}, format="json")
    assert answer.status_code == 200 and answer.json()["dispatches"][0]["team"] == "区供电抢修队"
    refused = api.post(f"{base}/dispatch-team/", {"team": teams[0].pk}, format="json")
    assert refused.status_code == 409 and "区供电抢修队" in refused.json()["detail"]
    dispatch = answer.json()["dispatches"][0]["id"]
    api.force_authenticate(cast["users"]["leader"])
    assert api.post(f"{base}/return-team/", {"dispatch": dispatch}, format="json").status_code == 403
    api.force_authenticate(cast["users"]["enterprise_user"])
    assert api.get(f"{base}/forces/").status_code in (403, 404)
    api.force_authenticate(staff)
    assert api.post(f"{base}/return-team/", {"dispatch": dispatch}, format="json").status_code == 200
    assert Team.objects.get(pk=teams[0].pk).readiness == "ready"


# --- map and cockpit -------------------------------------------------------------------------------------------


def test_the_map_and_the_cockpit_show_what_is_dispatched(staff, placed, teams, warehouse, item):
    response.dispatch_team(actor=staff, incident=placed, team=teams[0])
    response.dispatch_items(actor=staff, incident=placed, warehouse=warehouse, item=item, quantity=20)
    browser = page_as(staff)
    browser.get("/map/layers/incidents/")
    fewer, collection = queries(browser, "/map/layers/incidents/")
    detail = json.loads(collection)["features"][0]["properties"]["detail"]
    assert "区供电抢修队" in detail and "沙袋×20个" in detail
    body = browser.get("/cockpit/data/").json()
    row = next(p for p in body["panels"] if p["key"] == "incidents-active")["rows"][0]
    assert "区供电抢修队" in row["text"] and "沙袋×20个" in row["text"]
    for n in range(3):
        services.report_incident(actor=staff, enterprise=placed.enterprise, **intake(title=f"次生{n}", **AT))
    more, _body = queries(browser, "/map/layers/incidents/")
    assert more == fewer > 0
