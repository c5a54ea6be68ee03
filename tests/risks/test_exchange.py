"""The national data exchange of one enterprise (REGULATIONS-2 §A.6): the interface's names and codes, scope,
who may take it, bounded input, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shouye.hazards.choices import HazardCategory, HazardLevel, HazardSource, HazardState
from shouye.risks.choices import CheckOutcome
from tests.conftest import api_as
from tests.hazards.conftest import make_hazard

from .bureau_data import done_instance, measure_chain

pytestmark = pytest.mark.django_db
URL = "/api/v1/risk-exchange/"


@pytest.fixture
def chain(cast):
    inside, user = cast["inside"], cast["users"]["enterprise_user"]
    point, source, measure, task = measure_chain(inside, user, work_type="2")
    now = timezone.now()
    done_instance(task, user, now - timedelta(days=2))
    hazard = make_hazard(inside, source=HazardSource.SELF_INSPECTION, level=HazardLevel.MAJOR,
                         state=HazardState.SUBMITTED, category=HazardCategory.MANAGEMENT,
                         found_at=now - timedelta(days=1), found_by_name="赵六")
    failed = done_instance(task, user, now - timedelta(days=1), outcome=CheckOutcome.NOT_OK, hazard=hazard)
    make_hazard(inside, source=HazardSource.INSPECTION)   # not from a task: not bound, not exported
    return {"point": point, "source": source, "measure": measure, "task": task, "hazard": hazard, "failed": failed}


def test_the_objects_carry_the_interface_names_and_codes(cast, chain):
    data = api_as(cast["users"]["bureau_staff"]).get(URL, {"enterprise": cast["inside"].pk}).json()
    assert data["hazardCode"] == cast["inside"].credit_code
    (unit,) = data["riskUnits"]
    assert unit == {"riskUnitId": str(chain["point"].pk), "hazardCode": cast["inside"].credit_code,
                    "riskUnitCode": "FX-900", "riskUnitName": "液氨储罐区", "hazardDep": "储运车间",
                    "hazardLiablePerson": "王五", "riskLevel": "1"}
    (event,) = data["riskEvents"]
    assert (event["riskUnitId"], event["riskEventName"], event["riskLevel"]) == (str(chain["point"].pk),
                                                                                 "储罐超压泄漏", "1")
    (measure,) = data["controlMeasures"]
    assert {k: measure[k] for k in ("dataSrc", "classify1", "classify2", "classify3", "troubleshootContent")} == \
        {"dataSrc": "2", "classify1": "1", "classify2": "1-4", "classify3": "", "troubleshootContent": "联锁是否投用"}
    (task,) = data["checkTasks"]
    assert {k: task[k] for k in ("checkCycle", "checkCycleUnit", "workStartTime", "workEndTime", "workDayType",
                                 "workType", "taskNum", "riskMeasureIds")} == \
        {"checkCycle": 2, "checkCycleUnit": "小时", "workStartTime": "08:00:00", "workEndTime": "18:00:00",
         "workDayType": "0", "workType": "2", "taskNum": None, "riskMeasureIds": [str(chain["measure"].pk)]}
    assert len(task["taskStartTime"]) == 19 and task["taskStartTime"][10] == " "
    records = data["checkRecords"]
    assert [r["checkStatus"] for r in records] == ["1", "0"]  # newest first: the failed check, then the OK one
    assert records[0]["isDefend"] == "1" and records[0]["riskUnitName"] == "液氨储罐区"
    (danger,) = data["hiddenDangers"]
    assert {k: danger[k] for k in ("riskMeasureId", "checkRecordId", "dangerLevel", "dangerState", "dangerManageType",
                                   "hazardCategory", "managementClassification", "registrant", "dangerSrc")} == \
        {"riskMeasureId": str(chain["measure"].pk), "checkRecordId": str(chain["failed"].pk), "dangerLevel": "1",
         "dangerState": "1", "dangerManageType": "1", "hazardCategory": "2", "managementClassification": "3",
         "registrant": "赵六", "dangerSrc": "10"}
    local = timezone.localtime(chain["hazard"].found_at)
    assert danger["registTime"] == local.strftime("%Y-%m-%d %H:%M:%S")
    assert danger["dangerManageDeadline"].endswith(" 23:59:59")
    assert data["truncated"] == {"checkRecords": False, "hiddenDangers": False}


def test_a_closed_hazard_is_accepted_with_who_and_when(cast, chain):
    from shouye.hazards.models import Hazard

    Hazard.objects.filter(pk=chain["hazard"].pk).update(state=HazardState.CLOSED, deadline=None,
                                                        reinspected_at=timezone.now(),
                                                        reinspected_by=cast["users"]["township_officer"])
    (danger,) = api_as(cast["users"]["bureau_staff"]).get(URL, {"enterprise": cast["inside"].pk}).json()["hiddenDangers"]
    assert (danger["dangerState"], danger["dangerManageType"]) == ("9", "0")
    assert danger["checkAcceptPerson"] and danger["checkAcceptTime"]


def test_the_enterprise_takes_its_own_and_nobody_another(cast, chain):
    own = api_as(cast["users"]["enterprise_user"]).get(URL, {"enterprise": cast["inside"].pk})
    assert own.status_code == 200 and own.json()["riskUnits"]
    assert api_as(cast["users"]["enterprise_user"]).get(URL, {"enterprise": cast["outside"].pk}).status_code == 404
    assert api_as(cast["users"]["township_officer"]).get(URL, {"enterprise": cast["outside"].pk}).status_code == 404
    assert api_as(cast["users"]["expert"]).get(URL, {"enterprise": cast["inside"].pk}).status_code == 403


@pytest.mark.parametrize("value", ["", "abc", "1,2", "99999999999999999999"])
def test_one_enterprise_a_request(cast, value):
    answer = api_as(cast["users"]["bureau_staff"]).get(URL, {"enterprise": value})
    assert answer.status_code == 400 and "enterprise" in answer.json()


def test_the_records_are_capped_with_a_flag(cast, chain, monkeypatch):
    monkeypatch.setattr("shouye.risks.exchange.MAX_RECORDS", 1)
    data = api_as(cast["users"]["bureau_staff"]).get(URL, {"enterprise": cast["inside"].pk}).json()
    assert len(data["checkRecords"]) == 1 and data["truncated"]["checkRecords"] is True


def _queries(user, enterprise) -> int:
    client = api_as(user)
    client.get(URL, {"enterprise": enterprise.pk})   # the user's memberships read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"enterprise": enterprise.pk}).status_code == 200
    return len(queries.captured_queries)


def test_a_fixed_number_of_queries(cast, chain):
    small = _queries(cast["users"]["bureau_staff"], cast["inside"])
    for n in range(5):
        done_instance(chain["task"], cast["users"]["enterprise_user"], timezone.now() - timedelta(hours=n + 3))
    measure_chain(cast["inside"], cast["users"]["enterprise_user"], code="FX-901")
    assert _queries(cast["users"]["bureau_staff"], cast["inside"]) == small


def test_the_schema_documents_it_with_an_example(cast):
    schema = api_as(cast["users"]["bureau_staff"]).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/risk-exchange/"]["get"]
    example = operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert any("hiddenDangers" in item["value"] for item in example.values())
