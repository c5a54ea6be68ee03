"""The 100-point assessment over the API (应急〔2018〕19号, REGULATIONS-2 §A.7): recording by the same service as
the page (colour, history, audit), refusals with Chinese field messages that change nothing, the scoped list
and detail, and the OpenAPI description."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.risks.models import EnterpriseRiskScore
from tests.conftest import api_as

pytestmark = pytest.mark.django_db
URL = "/api/v1/risk-scores/"


def _record(api, enterprise, **data):
    return api.post(URL, {"enterprise": enterprise.pk, "assessed_on": timezone.localdate().isoformat(), **data},
                    format="json")


def test_recording_gives_the_colour_keeps_the_history_and_is_audited(cast):
    api = api_as(cast["users"]["bureau_staff"])
    first = _record(api, cast["inside"], score="74.99", assessor="省专家组",
                    assessed_on=(timezone.localdate() - timedelta(days=300)).isoformat())
    assert first.status_code == 201
    assert (first.json()["colour"], first.json()["score"], first.json()["current"]) == ("orange", "74.99", True)
    second = _record(api, cast["inside"], score="95", direct_red_reasons=["undesigned_plant"])
    assert second.status_code == 201 and second.json()["colour"] == "red"
    assert second.json()["direct_red_reasons"] == ["undesigned_plant"]
    current = api.get(URL, {"enterprise": cast["inside"].pk, "current": "true"}).json()["results"]
    assert [row["id"] for row in current] == [second.json()["id"]]
    history = api.get(URL, {"enterprise": cast["inside"].pk}).json()["results"]
    assert [row["current"] for row in history] == [True, False]
    assert api.get(f"{URL}{first.json()['id']}/").json()["current"] is False
    assert AuditEvent.objects.filter(verb="risk_score.record").count() == 2


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"score": "100.01"}, "score", "100"),
    ({}, "score", "请填写评估得分，或勾选"),
    ({"score": "80", "assessed_on": "2999-01-01"}, "assessed_on", "评估日期不能晚于今天"),
    ({"score": "80", "direct_red_reasons": ["no-such"]}, "direct_red_reasons", "no-such"),
])
def test_refusals_name_the_field_in_chinese_and_change_nothing(cast, data, field, message):
    response = _record(api_as(cast["users"]["bureau_staff"]), cast["inside"], **data)
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not EnterpriseRiskScore.objects.exists()


def test_only_the_bureau_records_and_out_of_scope_is_absent(cast):
    officer = api_as(cast["users"]["township_officer"])
    assert _record(officer, cast["inside"], score="80").status_code == 403
    assert api_as(cast["users"]["enterprise_user"]).get(URL).status_code == 403
    record = _record(api_as(cast["users"]["bureau_staff"]), cast["outside"], score="80")
    assert record.status_code == 201  # the bureau records for the whole district
    assert officer.get(f"{URL}{record.json()['id']}/").status_code == 404
    assert officer.get(URL).json()["count"] == 0


def test_the_score_api_is_described_in_openapi(cast):
    schema = api_as(cast["users"]["bureau_staff"]).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/risk-scores/"]) and "get" in paths["/api/v1/risk-scores/{id}/"]
    assert "应急〔2018〕19号" in paths["/api/v1/risk-scores/"]["post"]["summary"]


def test_the_list_reads_its_rows_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    """Nine records, two enterprises, one recorder: the count and one page (enterprise and recorder joined)."""
    api = api_as(cast["users"]["bureau_staff"])
    for score in ("60", "70", "80", "90"):
        _record(api, cast["inside"], score=score)
        _record(api, cast["outside"], score=score)
    _record(api, cast["inside"], score="95")
    with django_assert_max_num_queries(4):
        assert api.get(URL).json()["count"] == 9
