"""The topics of a special plan (the emergencies it covers): named when the plan is written, on the page and
through the API, refused with a Chinese message when a special plan names none or another plan names some,
shown on the plan's page and in the list, filtered on, kept by a revision, and filled from the titles of the
special plans kept before topics existed (migration 0004)."""

from datetime import date

import pytest

from shouye.audit.models import AuditEvent
from shouye.plans import services
from shouye.plans.choices import PlanKind, PlanTopic, RevisionTrigger
from shouye.plans.models import EmergencyPlan
from tests.conftest import api_as, page_as

from .conftest import make_plan

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/emergency-plans/"


def test_a_special_plan_names_its_topics_through_the_api(cast, owner):
    api = api_as(owner)
    body = {"enterprise": cast["inside"].pk, "kind": "special", "title": "危化品泄漏专项应急预案"}
    missing = api.post(PLANS, body, format="json")
    assert missing.status_code == 400 and "至少选择一个适用事件类型" in missing.json()["topics"][0]
    unknown = api.post(PLANS, {**body, "topics": ["tsunami"]}, format="json")
    assert unknown.status_code == 400 and "topics" in unknown.json()
    on_site = api.post(PLANS, {**body, "kind": "on_site", "topics": ["hazardous_chemicals"]}, format="json")
    assert on_site.status_code == 400 and "只有专项预案" in on_site.json()["topics"][0]
    assert not EmergencyPlan.objects.exists()
    created = api.post(PLANS, {**body, "topics": ["hazardous_chemicals", "production_safety", "hazardous_chemicals"]},
                       format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["topics"] == ["hazardous_chemicals", "production_safety"]
    assert created.json()["topics_display"] == ["危险化学品事故", "生产安全事故"]
    pk = created.json()["id"]
    assert AuditEvent.objects.get(verb="plans.create").changes["topics"] == ["hazardous_chemicals", "production_safety"]
    edited = api.post(f"{PLANS}{pk}/edit/", {"kind": "special", "title": "危化品泄漏专项应急预案",
                                             "topics": ["flood_drought"], "audience": "workforce"}, format="json")
    assert edited.status_code == 200 and edited.json()["topics"] == ["flood_drought"]
    emptied = api.post(f"{PLANS}{pk}/edit/", {"kind": "special", "title": "危化品泄漏专项应急预案", "topics": [],
                                              "audience": "workforce"}, format="json")
    assert emptied.status_code == 400 and "topics" in emptied.json()
    assert EmergencyPlan.objects.get(pk=pk).topics == ["flood_drought"]


def test_the_pages_ask_for_the_topics_and_show_them(cast, owner):
    client = page_as(owner)
    form = client.get("/emergency-plans/new/").content.decode()
    assert 'name="topics" value="forest_fire"' in form and "防汛抗旱" in form
    body = {"enterprise": cast["inside"].pk, "kind": "special", "title": "防汛专项应急预案", "audience": "workforce"}
    refused = client.post("/emergency-plans/new/", body)
    assert refused.status_code == 400 and "专项预案须至少选择一个适用事件类型" in refused.content.decode()
    created = client.post("/emergency-plans/new/", {**body, "topics": ["flood_drought", "geological_disaster"]})
    plan = EmergencyPlan.objects.get()
    assert created.status_code == 302 and plan.topics == ["flood_drought", "geological_disaster"]
    page = client.get(f"/emergency-plans/{plan.pk}/").content.decode()
    assert 'data-testid="plan-topics"' in page and "防汛抗旱" in page and "地质灾害" in page
    edit = client.post(f"/emergency-plans/{plan.pk}/edit/", {"edit-kind": "comprehensive", "edit-title": "综合预案",
                                                            "edit-topics": ["flood_drought"],
                                                            "edit-audience": "workforce"})
    assert edit.status_code == 400 and "只有专项预案选择适用事件类型" in edit.content.decode()
    assert EmergencyPlan.objects.get().kind == PlanKind.SPECIAL


def test_the_list_filters_on_a_topic(cast, owner):
    flood = make_plan(owner, cast["inside"], kind=PlanKind.SPECIAL, title="厂区防汛专项预案",
                      topics=[PlanTopic.FLOOD_DROUGHT])
    fire = make_plan(owner, cast["inside"], kind=PlanKind.SPECIAL, title="林区防火专项预案",
                     topics=[PlanTopic.FOREST_FIRE, PlanTopic.FLOOD_DROUGHT])
    chemicals = make_plan(owner, cast["inside"], kind=PlanKind.SPECIAL, title="罐区泄漏专项预案",
                          topics=[PlanTopic.HAZARDOUS_CHEMICALS])
    make_plan(owner, cast["inside"])
    client = page_as(owner)
    page = client.get("/emergency-plans/", {"topic": "flood_drought"}).content.decode()
    assert flood.title in page and fire.title in page and chemicals.title not in page
    assert page.count('data-testid="plan-topic"') == 3
    rows = api_as(owner).get(PLANS, {"topic": "forest_fire"}).json()["results"]
    assert [row["id"] for row in rows] == [fire.pk]
    assert api_as(owner).get(PLANS, {"topic": "tsunami"}).status_code == 400
    assert client.get("/emergency-plans/", {"topic": "tsunami"}).status_code == 400


def test_a_revision_keeps_the_topics(cast, owner):
    plan = make_plan(owner, cast["inside"], kind=PlanKind.SPECIAL, title="森林火灾专项预案",
                     topics=[PlanTopic.FOREST_FIRE], published_on=date(2026, 3, 2))
    draft = services.revise_plan(actor=owner, plan=plan, trigger=RevisionTrigger.RISK_CHANGED, reason="新增林区")
    assert draft.topics == [PlanTopic.FOREST_FIRE]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_special_plans_kept_before_get_the_topics_their_titles_name(cast):
    """Migration 0004: the former title words of the response (防汛 → flood and drought, 森林/火灾 → forest fire,
    事故 → production safety), "other" when none, none for the other kinds of plan."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    unit = services.unit_for()
    before, latest = ("plans", "0002_plan_documents"), ("plans", "0004_special_plan_topics_from_titles")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        Plan = executor.loader.project_state([before]).apps.get_model("plans", "EmergencyPlan")
        titles = {"长清区防汛应急预案": "special", "长清区森林火灾应急预案": "special",
                  "长清区危险化学品事故应急预案": "special", "长清区重大活动保障预案": "special",
                  "长清区生产安全事故应急预案": "comprehensive"}
        for title, kind in titles.items():
            Plan.objects.create(unit_id=unit.pk, kind=kind, title=title)
        executor = MigrationExecutor(connection)
        executor.migrate([latest])
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    topics = dict(EmergencyPlan.objects.values_list("title", "topics"))
    assert topics == {"长清区防汛应急预案": ["flood_drought"], "长清区森林火灾应急预案": ["forest_fire"],
                      "长清区危险化学品事故应急预案": ["hazardous_chemicals", "production_safety"], "长清区重大活动保障预案": ["other"],
                      "长清区生产安全事故应急预案": []}
