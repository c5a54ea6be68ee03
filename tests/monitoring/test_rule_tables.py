"""The bureau's rule tables (issue 13, REGULATIONS-2 §B.5 [U]): alarm rules per level, triggers and scenarios,
each save audited and in force for the rulebook at once in this process."""

import pytest
from django.urls import reverse

from shouye.audit.models import AuditEvent
from shouye.monitoring import rulebook
from shouye.monitoring.choices import AlarmLevel, Condition, PointKind
from shouye.monitoring.models import AlarmRule, AlarmTrigger, Scenario

from .kit_config import api_for, page_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rules():
    rulebook.forget()
    yield
    rulebook.forget()


def _rule_post(level_values: dict) -> dict:
    """The rules page's form with every level as it is, ``level_values`` changed."""
    data = {}
    for rule in AlarmRule.objects.all():
        values = {"notify_roles": rule.notify_roles, "ack_minutes": rule.ack_minutes,
                  "escalate_roles": rule.escalate_roles, "clear_condition": rule.clear_condition,
                  "repeat_count": rule.repeat_count, "repeat_days": rule.repeat_days}
        values.update(level_values.get(rule.level, {}))
        data.update({f"{rule.level}-{key}": value for key, value in values.items()})
    return data


def test_the_rules_page_saves_a_level_and_the_rulebook_follows_at_once(cast):
    assert rulebook.rule_for(AlarmLevel.RED).ack_minutes != 7
    client = page_for(cast, "bureau_admin")
    page = client.get(reverse("monitoring:rules")).content.decode()
    assert "30秒内对新报警生效" in page and "[U]" in page
    response = client.post(reverse("monitoring:rules"), _rule_post({"red": {"ack_minutes": 7,
                                                                            "notify_roles": ["bureau_duty"]}}))
    assert response.status_code == 302
    assert rulebook.rule_for(AlarmLevel.RED).ack_minutes == 7
    assert rulebook.rule_for(AlarmLevel.RED).notify_roles == ("bureau_duty",)
    event = AuditEvent.objects.get(verb="monitoring.rules.edit")
    assert event.changes["red"]["ack_minutes"][1] == 7 and set(event.changes) == {"red"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ack_minutes": 0}, "确认时限至少为1分钟"),
        ({"repeat_count": 1}, "重复报警至少为2次"),
        ({"repeat_days": 0}, "至少为1天"),
    ],
)
def test_the_rules_page_refuses_bad_values_in_chinese(cast, values, message):
    before = AlarmRule.objects.get(level="orange").ack_minutes
    response = page_for(cast, "bureau_admin").post(reverse("monitoring:rules"), _rule_post({"orange": values}))
    assert response.status_code == 400 and message in response.content.decode()
    assert AlarmRule.objects.get(level="orange").ack_minutes == before
    assert not AuditEvent.objects.filter(verb="monitoring.rules.edit").exists()


def test_the_rules_api_reads_for_viewers_and_writes_for_rule_managers(cast):
    table = api_for(cast, "township_officer").get("/api/v1/alarm-rules/").json()["rules"]
    assert [row["level"] for row in table] == ["red", "orange", "yellow", "blue"]
    body = {"rules": [{"level": "blue", "notify_roles": ["enterprise_duty"], "ack_minutes": 120}]}
    assert api_for(cast, "township_officer").put("/api/v1/alarm-rules/", body, format="json").status_code == 403
    response = api_for(cast, "bureau_admin").put("/api/v1/alarm-rules/", body, format="json")
    assert response.status_code == 200 and response.json()["rules"][3]["ack_minutes"] == 120
    assert rulebook.rule_for(AlarmLevel.BLUE).ack_minutes == 120
    bad = {"rules": [{"level": "blue", "notify_roles": ["mayor"], "ack_minutes": 5}]}
    assert api_for(cast, "bureau_admin").put("/api/v1/alarm-rules/", bad, format="json").status_code == 400
    assert api_for(cast, "nobody").get("/api/v1/alarm-rules/").status_code == 403
    assert page_for(cast, "bureau_staff").get(reverse("monitoring:rules")).status_code == 403


def _trigger_post(rows) -> dict:
    data = {"t-TOTAL_FORMS": len(rows), "t-INITIAL_FORMS": 0}
    for i, row in enumerate(rows):
        data.update({f"t-{i}-{key}": value for key, value in row.items()})
    return data


def _current_triggers():
    return [{"condition": t.condition, "point_kind": t.point_kind, "level": t.level}
            for t in AlarmTrigger.objects.order_by("condition", "point_kind")]


def test_a_trigger_row_is_added_and_the_rulebook_follows(cast):
    assert rulebook.level_for(Condition.HIGH, PointKind.TOXIC_GAS) != AlarmLevel.RED
    rows = [*_current_triggers(), {"condition": "h", "point_kind": "toxic", "level": "red"}]
    response = page_for(cast, "bureau_admin").post(reverse("monitoring:triggers"), _trigger_post(rows))
    assert response.status_code == 302
    assert rulebook.level_for(Condition.HIGH, PointKind.TOXIC_GAS) == AlarmLevel.RED
    assert AuditEvent.objects.get(verb="monitoring.triggers.edit").changes == {"h/toxic": [None, "red"]}


def test_the_any_kind_row_of_each_condition_must_stay(cast):
    rows = [row for row in _current_triggers() if not (row["condition"] == "offline" and not row["point_kind"])]
    before = AlarmTrigger.objects.count()
    response = page_for(cast, "bureau_admin").post(reverse("monitoring:triggers"), _trigger_post(rows))
    assert response.status_code == 400 and "任意类型" in response.content.decode()
    assert AlarmTrigger.objects.count() == before
    api = api_for(cast, "bureau_admin").put("/api/v1/alarm-triggers/", {"triggers": rows}, format="json")
    assert api.status_code == 400 and "triggers" in api.json()


def test_a_trigger_twice_for_the_same_condition_and_kind_is_refused(cast):
    rows = [*_current_triggers(), {"condition": "hh", "point_kind": "", "level": "blue"}]
    response = api_for(cast, "bureau_admin").put("/api/v1/alarm-triggers/", {"triggers": rows}, format="json")
    assert response.status_code == 400


def test_scenarios_are_added_and_changed_with_audit(cast):
    client = page_for(cast, "bureau_admin")
    response = client.post(reverse("monitoring:scenarios"), {
        "scenario": "new", "new-code": "helmet", "new-name": "未戴安全帽", "new-default_level": "blue",
        "new-dedupe_minutes": 15, "new-is_active": "on"})
    assert response.status_code == 302
    helmet = Scenario.objects.get(code="helmet")
    response = client.post(reverse("monitoring:scenarios"), {
        "scenario": helmet.pk, f"s{helmet.pk}-name": "未佩戴安全帽", f"s{helmet.pk}-default_level": "yellow",
        f"s{helmet.pk}-dedupe_minutes": 0})
    assert response.status_code == 302
    helmet.refresh_from_db()
    assert (helmet.name, helmet.default_level, helmet.is_active) == ("未佩戴安全帽", "yellow", False)
    assert AuditEvent.objects.filter(verb__in=["monitoring.scenario.create", "monitoring.scenario.edit"]).count() == 2
    api = api_for(cast, "bureau_admin")
    body = {"scenarios": [{"code": "helmet", "name": "未戴帽", "default_level": "red", "dedupe_minutes": 5,
                           "is_active": True}]}
    assert api.put("/api/v1/scenarios/", body, format="json").status_code == 200
    helmet.refresh_from_db()
    assert helmet.default_level == "red" and helmet.is_active
    assert api_for(cast, "enterprise_user").put("/api/v1/scenarios/", body, format="json").status_code == 403
    assert "helmet" in str(api_for(cast, "enterprise_user").get("/api/v1/scenarios/").json())
