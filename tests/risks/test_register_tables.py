"""The editable tables as rows of inputs (REGULATIONS.md §3, REGULATIONS-2 §A.3a, §A.4): the district's and an
enterprise's own, checked by the rules' reader with messages naming the row to fix, rows added and removed,
"reset to the district's" for an enterprise, and the same checks through the API."""

import pytest
from django.urls import reverse

from shouye.audit.models import AuditEvent
from shouye.risks.models import RiskSettings
from shouye.risks.services import settings as risk_settings
from shouye.rules.data.risk import LEC_TABLE, MATRIX_TABLE, MES_TABLE, table_to_data
from tests.conftest import api_as

from .register_helpers import make_point, make_source

pytestmark = pytest.mark.django_db
LEVELS = {"level_major": "principal", "level_high": "deputy", "level_moderate": "workshop", "level_low": "post"}
DEFAULTS = {"lec": LEC_TABLE, "matrix": MATRIX_TABLE, "mes": MES_TABLE}


def rows_of(method: str, data: dict, *, own: bool | None = None) -> dict:
    """The page's inputs for one table: each scale's and the bands' rows, the basis (and the own tick)."""
    body = {}
    for key, value in data.items():
        if key == "bands":
            body[f"{method}-bands-minimum"] = [str(band["minimum"]) for band in value]
            body[f"{method}-bands-colour"] = [band["colour"] for band in value]
            body[f"{method}-bands-label"] = [band["label"] for band in value]
        elif key == "basis":
            body[f"{method}-basis"] = value
        else:
            body[f"{method}-{key}-value"] = list(value)
            body[f"{method}-{key}-label"] = list(value.values())
    if own:
        body[f"{method}-own"] = "on"
    return body


def district_body(**changes) -> dict:
    body = {**LEVELS, "conditions-text": ["条件一", "条件二"]}
    for method, table in DEFAULTS.items():
        body.update(rows_of(method, changes.get(method) or table_to_data(table)))
    return body


@pytest.fixture
def admin(cast, client):
    client.force_login(cast["users"]["bureau_admin"])
    return client


def test_the_page_shows_each_table_as_rows(admin):
    page = admin.get(reverse("risks:tables")).content.decode()
    assert 'name="lec-bands-minimum" value="320"' in page and 'name="mes-m_values-value" value="5"' in page
    assert 'value="涉及重大危险源的"' in page and "JSON" not in page


def test_the_district_saves_edited_rows_in_the_rules_form(admin):
    lec = table_to_data(LEC_TABLE)
    lec["bands"][0]["minimum"] = 300
    del lec["basis"]
    response = admin.post(reverse("risks:tables"), district_body(lec=lec))
    assert response.status_code == 302
    row = RiskSettings.objects.get(enterprise__isnull=True)
    assert row.lec_table["bands"][0] == {"minimum": 300, "level": 1, "colour": "red", "label": "极其危险，不能继续作业"}
    assert "D≥300重大风险" in row.lec_table["basis"]  # written from the bands
    assert row.forced_major_conditions == ["条件一", "条件二"]
    assert risk_settings.effective_tables(None).lec.bands[0].minimum == 300


@pytest.mark.parametrize(("change", "row_message"), [
    (lambda t: t["bands"][2].update(minimum=170), "第3行：分级应从最危险的一级排起，下限依次减小"),
    (lambda t: t["bands"][4].update(minimum=5), "第5行：最低一级的下限应为0"),
    (lambda t: t["bands"][1].update(colour="red", minimum=160) or t["bands"][0].update(colour="orange"),
     "第2行：较低的一级不能比上一级更危险"),
    (lambda t: t["bands"][3].update(minimum="二十"), "第4行：下限应为数字"),
    (lambda t: t["l_values"].update({"abc": "乱填"}), "第8行：L（事故发生的可能性）的取值应为数字"),
])
def test_a_bad_row_is_refused_naming_the_row_and_nothing_is_saved(admin, change, row_message):
    before = risk_settings.district_settings().lec_table
    lec = table_to_data(LEC_TABLE)
    change(lec)
    response = admin.post(reverse("risks:tables"), district_body(lec=lec))
    page = response.content.decode()
    assert response.status_code == 400 and row_message in page and "LEC评价标准" in page
    assert RiskSettings.objects.get(enterprise__isnull=True).lec_table == before
    assert not AuditEvent.objects.filter(verb="risks.district-tables").exists()


def test_a_value_given_twice_and_a_condition_twice_are_named(admin):
    matrix = table_to_data(MATRIX_TABLE)
    body = district_body(matrix=matrix)
    body["matrix-l_values-value"] = ["1", "2", "3", "4", "4"]
    body["conditions-text"] = ["条件一", "条件一"]
    page = admin.post(reverse("risks:tables"), body).content.decode()
    assert "第5行：取值 4 也在第4行" in page and "第2行：第1行已有相同的条件" in page


def test_rows_are_added_and_removed_without_saving(admin):
    body = district_body()
    body["conditions-text"] = ["条件一", "条件二", "条件三"]
    removed = admin.post(reverse("risks:tables"), {**body, "remove_row": "conditions.1"})
    page = removed.content.decode()
    assert removed.status_code == 200 and 'value="条件二"' not in page and 'value="条件三"' in page
    added = admin.post(reverse("risks:tables"), {**body, "add_row": "conditions"}).content.decode()
    assert added.count('name="conditions-text"') == 4  # three filled and a blank one
    assert RiskSettings.objects.get(enterprise__isnull=True).forced_major_conditions != ["条件一", "条件二", "条件三"]


def test_an_enterprise_ticks_its_own_table_and_resets_to_the_districts(cast):
    from django.test import Client

    officer = cast["users"]["enterprise_user"]
    client = Client()
    client.force_login(officer)
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("3", "6", "7"))  # D = 126: yellow by the default table
    url = reverse("risks:enterprise-tables", args=[cast["inside"].pk])
    page = client.get(url).content.decode()
    assert 'name="lec-own"' in page and "checked" not in page.split('name="lec-own"')[1][:40]
    lec = table_to_data(LEC_TABLE)
    lec["bands"][1]["minimum"] = 120  # 126 becomes orange
    assert client.post(url, rows_of("lec", lec, own=True)).status_code == 302
    row = RiskSettings.objects.get(enterprise=cast["inside"])
    assert row.lec_table["bands"][1]["minimum"] == 120 and row.mes_table == {}
    assert client.post(reverse("risks:regrade", args=[cast["inside"].pk])).status_code == 302
    point.refresh_from_db()
    assert point.grade == "high"
    assert 'data-testid="reset-tables"' in client.get(url).content.decode()
    assert client.post(reverse("risks:enterprise-tables-reset", args=[cast["inside"].pk])).status_code == 302
    assert not RiskSettings.objects.filter(enterprise=cast["inside"]).exists()
    assert AuditEvent.objects.filter(verb="risks.enterprise-tables-reset").count() == 1
    assert risk_settings.effective_tables(cast["inside"].pk).lec.bands[1].minimum == 160


def test_the_api_edits_with_the_same_checks(cast):
    admin = api_as(cast["users"]["bureau_admin"])
    lec = table_to_data(LEC_TABLE)
    lec["bands"][2]["minimum"] = 170
    refused = admin.patch("/api/v1/risk-settings/district/", {"lec_table": lec}, format="json")
    assert refused.status_code == 400 and "分级应从最危险的一级排起" in str(refused.json()["lec_table"])
    lec["bands"][2]["minimum"] = 80
    saved = admin.patch("/api/v1/risk-settings/district/", {"lec_table": lec}, format="json")
    assert saved.status_code == 200 and saved.json()["lec_table"]["bands"][2]["minimum"] == 80
    officer = api_as(cast["users"]["enterprise_user"])
    url = f"/api/v1/enterprise-risk-settings/{cast['inside'].pk}/"
    assert officer.patch("/api/v1/risk-settings/district/", {"lec_table": lec}, format="json").status_code == 403
    assert officer.patch(url, {"control_levels": {"major": "boss"}}, format="json").status_code == 400
    own = officer.patch(url, {"control_levels": {"major": "principal", "high": "principal", "moderate": "deputy",
                                                 "low": "post"}}, format="json")
    assert own.status_code == 200 and own.json()["control_levels"]["high"] == "principal"
    assert officer.get(url).json()["effective"]["lec_table"]["bands"][2]["minimum"] == 80
    assert officer.delete(url).status_code == 204
    assert not RiskSettings.objects.filter(enterprise=cast["inside"]).exists()
    assert officer.get(f"/api/v1/enterprise-risk-settings/{cast['outside'].pk}/").status_code == 404
