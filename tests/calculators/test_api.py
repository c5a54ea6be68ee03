"""``POST /api/v1/calculators/<name>/``: the ``shouye rules`` contract over HTTP (issue 4). Exit 2 of the
command is a 400 in the API's one error shape (issue 9 item 10), the message under the field the command
names; the rules that need the work calendar use the stored one."""

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from shouye.rules.cli import COMMANDS
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def post(client, name, payload):
    return client.post(reverse(f"calculator-{name}"), payload, format="json")


@pytest.fixture
def api_user(cast):
    return api_as(cast["users"]["township_officer"])


@pytest.mark.parametrize("substances, population, r, grade", [
    ([{"name": "二氧化硫", "quantity_t": 200}], 60, 30, 3),
    ([{"name": "硫化氢", "quantity_t": 2}, {"name": "磷化氢", "quantity_t": 2}, {"name": "氯", "quantity_t": 1}],
     102, 85.6, 2),
    ([{"name": "液氯", "quantity_t": 8}], 35, 7.68, 4),
])
def test_major_hazard_worked_examples(api_user, substances, population, r, grade):
    response = post(api_user, "major-hazard", {"substances": substances, "exposed_population": population})
    assert response.status_code == 200
    assert response.json()["is_major"] is True
    assert response.json()["r"] == r and response.json()["grade"] == grade
    assert response.json()["basis"].startswith("GB 18218-2018")


def test_lec_boundary(api_user):
    assert post(api_user, "lec", {"l": 1, "e": 10, "c": 7}).json() | {"basis": ""} == \
        {"d": 70, "band": 3, "colour": "yellow", "basis": ""}
    assert post(api_user, "lec", {"l": 3, "e": 3, "c": 7}).json()["band"] == 4


def test_bad_input_is_400_naming_the_field(api_user):
    response = post(api_user, "major-hazard", {"substances": [{"name": "氯", "quantity_t": -1}],
                                               "exposed_population": 0})
    assert response.status_code == 400
    assert response.json() == {"substances[0].quantity_t": ["第1项的实际存在量（t）不能小于0，收到 -1"]}
    response = post(api_user, "lec", {"l": 7, "e": 6, "c": 7})
    assert response.status_code == 400 and list(response.json()) == ["l"]
    response = post(api_user, "risk-matrix", {"l": 2, "s": 2, "x": 1})
    assert response.status_code == 400 and response.json() == {"x": ["无法识别的字段：x"]}


def test_a_json_array_is_refused(api_user):
    response = post(api_user, "lec", [1, 2, 3])
    assert response.status_code == 400 and response.json() == {"non_field_errors": ["输入应为一个JSON对象（{…}）"]}


def test_accident_with_deadlines(api_user):
    response = post(api_user, "accident", {"deaths": 10, "serious_injuries": 0, "direct_loss_yuan": 0,
                                           "occurred_at": "2025-03-01T14:00", "kind": "fire"})
    assert response.status_code == 200
    body = response.json()
    assert body["grade"] == "major"
    assert body["report_deadlines"] == [
        {"level": "county", "by": "2025-03-01T15:00:00+08:00"},
        {"level": "city", "by": "2025-03-01T17:00:00+08:00"},
        {"level": "province", "by": "2025-03-01T19:00:00+08:00"},
        {"level": "national", "by": "2025-03-01T21:00:00+08:00"},
    ]
    assert body["supplement_until"] == "2025-03-08"


def test_hot_work_in_a_year_nobody_entered_is_refused(api_user):
    response = post(api_user, "hot-work-grade", {"fire_explosion_area": True, "start": "2035-10-02T10:00"})
    assert response.status_code == 400
    [message] = response.json()["start"]
    assert "2035年的节假日安排尚未录入工作日历" in message


def test_hot_work_raised_on_a_stored_holiday(api_user, year_2035):
    response = post(api_user, "hot-work-grade", {"fire_explosion_area": True, "start": "2035-10-02T10:00"})
    assert response.status_code == 200
    assert response.json()["grade"] == "special"
    assert response.json()["raised_by"] == ["2035-10-02为节假日或公休日（5.1.1）"]


def test_hot_work_refuses_unknown_and_missing_fields(api_user):
    response = post(api_user, "hot-work-grade", {"start": "2025-10-09T10:00", "colour": "red"})
    assert response.status_code == 400 and list(response.json()) == ["colour"]
    response = post(api_user, "hot-work-grade", {"fire_explosion_area": True})
    assert response.status_code == 400 and list(response.json()) == ["start"]
    response = post(api_user, "hot-work-grade", {"start": "2025-10-09T10:00", "on_pipe_rack": "yes"})
    assert response.status_code == 400 and list(response.json()) == ["on_pipe_rack"]


def test_workdays_use_the_stored_calendar(api_user, year_2035):
    assert post(api_user, "workdays", {"check": "2025-01-26"}).json()["is_workday"] is True
    assert post(api_user, "workdays", {"start": "2035-09-28", "add": 1}).json()["date"] == "2035-09-29"
    assert post(api_user, "workdays", {"start": "2035-09-29", "add": 1}).json()["date"] == "2035-10-08"
    response = post(api_user, "workdays", {"check": "2036-01-01"})
    assert response.status_code == 400 and list(response.json()) == ["check"]


def test_every_rule_of_the_command_is_offered(api_user):
    for name in COMMANDS:
        response = post(api_user, name, {})
        assert response.status_code in (200, 400), name
        assert response.status_code == 200 or all(
            isinstance(messages, list) and messages for messages in response.json().values()), name


def test_who_may(cast):
    assert post(APIClient(), "lec", {"l": 1, "e": 1, "c": 1}).status_code == 401
    assert post(api_as(cast["users"]["nobody"]), "lec", {"l": 1, "e": 1, "c": 1}).status_code == 403
    for role in ("enterprise_user", "expert", "leader", "bureau_admin"):
        assert post(api_as(cast["users"][role]), "lec", {"l": 1, "e": 1, "c": 1}).status_code == 200


def test_the_schema_documents_every_calculator(api_user):
    response = api_user.get(reverse("api-schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    for name in COMMANDS:
        operation = schema["paths"][f"/api/v1/calculators/{name}/"]["post"]
        assert operation["tags"] == ["calculators"]
        assert operation["summary"]
        assert "400" in operation["responses"]
    assert schema["paths"]["/api/v1/calculators/lec/"]["post"]["summary"] == "LEC作业条件危险性评价 LEC risk score"
