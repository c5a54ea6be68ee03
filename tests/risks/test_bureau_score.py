"""The bureau's 100-point assessment (应急〔2018〕19号, REGULATIONS-2 §A.7) through the page: the colour at every
band edge (lower bound included), direct red, refusals that change nothing, history, audit, and where the
colour shows (the liveness table and API, the map popup, the ledger-page panel)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.risks.models import EnterpriseRiskScore
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


def _post(client, enterprise, **data):
    body = {"assessed_on": timezone.localdate().isoformat(), "assessor": "省专家组", **data}
    return client.post(reverse("risks:enterprise-score", args=[enterprise.pk]), body)


@pytest.mark.parametrize(("score", "colour"), [
    ("0", "red"), ("59.99", "red"), ("60", "orange"), ("74.99", "orange"), ("75", "yellow"), ("89.99", "yellow"),
    ("90", "blue"), ("100", "blue"),
])
def test_the_colour_at_every_band_edge(client, cast, score, colour):
    client.force_login(cast["users"]["bureau_staff"])
    response = _post(client, cast["inside"], score=score)
    assert response.status_code == 302
    record = EnterpriseRiskScore.objects.get(enterprise=cast["inside"], current=True)
    assert (record.colour, record.score) == (colour, Decimal(score))
    assert "应急〔2018〕19号" in record.basis


def test_a_direct_red_condition_makes_it_red_whatever_the_score(client, cast):
    client.force_login(cast["users"]["bureau_staff"])
    assert _post(client, cast["inside"], score="95", red_undesigned_plant="on").status_code == 302
    record = EnterpriseRiskScore.objects.get(enterprise=cast["inside"], current=True)
    assert (record.colour, record.direct_red_reasons) == ("red", ["undesigned_plant"])
    assert "直接判定为红色" in record.basis
    assert _post(client, cast["inside"], red_major_accident_3_years="on").status_code == 302  # no score needed
    assert EnterpriseRiskScore.objects.get(enterprise=cast["inside"], current=True).score is None


@pytest.mark.parametrize(("data", "message"), [
    ({"score": "100.01"}, "100"), ({"score": "-1"}, "0"), ({"score": "abc"}, "数"), ({}, "请填写评估得分，或勾选"),
    ({"score": "80", "assessed_on": "2999-01-01"}, "评估日期不能晚于今天"),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, cast, data, message):
    client.force_login(cast["users"]["bureau_staff"])
    response = _post(client, cast["inside"], **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EnterpriseRiskScore.objects.exists()
    assert not AuditEvent.objects.filter(verb="risk_score.record").exists()


def test_a_new_assessment_keeps_the_old_one_as_history_and_is_audited(client, cast):
    client.force_login(cast["users"]["bureau_staff"])
    _post(client, cast["inside"], score="70", assessed_on=(timezone.localdate() - timedelta(days=400)).isoformat())
    _post(client, cast["inside"], score="92")
    records = list(EnterpriseRiskScore.objects.filter(enterprise=cast["inside"]).order_by("id"))
    assert [(r.colour, r.current) for r in records] == [("orange", False), ("blue", True)]
    events = AuditEvent.objects.filter(verb="risk_score.record").order_by("id")
    assert [e.changes["colour"] for e in events] == [[None, "orange"], ["orange", "blue"]]
    html = client.get(reverse("risks:enterprise-score", args=[cast["inside"].pk])).content.decode()
    assert html.count('data-colour="') == 2 and "当前" in html


def test_only_the_bureau_records_and_out_of_scope_is_404(client, cast):
    officer = cast["users"]["township_officer"]
    client.force_login(officer)
    page = client.get(reverse("risks:enterprise-score", args=[cast["inside"].pk]))
    assert page.status_code == 200 and 'data-testid="score-form"' not in page.content.decode()
    assert _post(client, cast["inside"], score="80").status_code == 403
    assert client.get(reverse("risks:enterprise-score", args=[cast["outside"].pk])).status_code == 404
    assert not EnterpriseRiskScore.objects.exists()


def test_the_colour_shows_on_the_table_the_api_the_map_and_the_ledger_page(client, cast):
    staff = cast["users"]["bureau_staff"]
    client.force_login(staff)
    _post(client, cast["inside"], score="74.99")
    rows = {row["name"]: row for row in api_as(staff).get("/api/v1/risk-liveness/").json()["results"]}
    assert (rows[cast["inside"].name]["colour"], rows[cast["inside"].name]["score"]) == ("orange", "74.99")
    assert "橙色 74.99" in client.get(reverse("risks:liveness")).content.decode()
    details = {f["properties"]["id"]: f["properties"]["detail"] for f in client.get("/map/layers/risks/").json()["features"]}
    assert "评估为橙色" in details[cast["inside"].pk]
    html = client.get(reverse("enterprises:detail", args=[cast["inside"].pk])).content.decode()
    assert 'data-testid="risk-colour"' in html and "橙色" in html
