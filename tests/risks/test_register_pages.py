"""The register's pages: the officers' list, an enterprise's list, a point's page, the forms (with their
refusals on the form, nothing changed), the live assessment result, publication and the tables' page; query
counts that do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouye.risks.models import (
    ControlMeasure,
    HazardSource,
    RiskAssessment,
    RiskPoint,
    RiskRegister,
)
from shouye.risks.services import register as services

from .register_helpers import make_measure, make_point, make_source, plan_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(cast):
    return cast["users"]["enterprise_user"]


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_an_enterprise_user_lands_on_its_own_list_in_chinese(cast, officer, signed_in):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("6", "6", "7"))
    page = signed_in.get(reverse("risks:index")).content.decode()
    assert "风险清单" in page and "1号储罐区" in page and "较大风险" in page and "草稿：未发布" in page


def test_officers_see_the_enterprises_in_scope_with_counts_and_filters(cast, officer, client):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("10", "6", "15"))
    client.force_login(cast["users"]["township_officer"])
    page = client.get(reverse("risks:index")).content.decode()
    assert cast["inside"].name in page and cast["outside"].name not in page
    filtered = client.get(reverse("risks:index"), {"risk_grade": "low"}).content.decode()
    assert cast["inside"].name not in filtered
    assert client.get(reverse("risks:index"), {"risk_grade": "purple"}).status_code == 400


def test_adding_a_point_through_the_page(cast, signed_in):
    url = reverse("risks:point-create", args=[cast["inside"].pk])
    data = {"code": "RP-9", "name": "装卸站台", "kind": "activity", "department": "储运部", "responsible_person": "王五"}
    response = signed_in.post(url, data)
    point = RiskPoint.objects.get(code="RP-9")
    assert response.status_code == 302 and response.url == reverse("risks:point", args=[point.pk])
    refused = signed_in.post(url, data | {"name": "重复"})
    assert refused.status_code == 400 and "本企业已有编号为RP-9的风险点" in refused.content.decode()
    assert RiskPoint.objects.count() == 1


def test_assessing_shows_the_result_live_and_saves_it(cast, officer, signed_in):
    source = make_source(officer, make_point(officer, cast["inside"]))
    page = signed_in.get(reverse("risks:assess", args=[source.pk])).content.decode()
    assert "相当可能" in page and "hx-post" in page  # the scale's meanings, the live result
    preview = signed_in.post(reverse("risks:assess-preview", args=[source.pk]),
                             {"method": "lec", "l": "6", "e": "6", "c": "7"}).content.decode()
    assert "252" in preview and "较大风险" in preview
    assert not RiskAssessment.objects.exists()
    mes = signed_in.get(reverse("risks:assess", args=[source.pk]), {"method": "mes"}).content.decode()
    assert "无控制措施" in mes
    response = signed_in.post(reverse("risks:assess", args=[source.pk]), {"method": "mes", "m": "5", "e": "6", "s": "8"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.grade == "major"  # R = 240 ≥ 180


def test_a_measure_of_the_wrong_subcategory_is_refused_on_the_form(cast, officer, signed_in):
    source = make_source(officer, make_point(officer, cast["inside"]))
    url = reverse("risks:measure-create", args=[source.pk])
    refused = signed_in.post(url, {"category": "2", "subcategory": "1-1", "description": "定期校验", "check_content": "校验记录",
                                   "data_source": "2", "is_active": "on"})
    assert refused.status_code == 400 and "细类1-1不属于大类2" in refused.content.decode()
    assert not ControlMeasure.objects.exists()


def test_publication_refused_on_the_page_lists_the_points(cast, officer, signed_in):
    point = make_point(officer, cast["inside"], name="液氯库")
    make_source(officer, point, lec=("10", "6", "15"))
    response = signed_in.post(reverse("risks:publish", args=[cast["inside"].pk]))
    assert response.status_code == 400 and "液氯库" in response.content.decode()
    services.save_special_plan(actor=officer, risk_point=point, **plan_fields())
    assert signed_in.post(reverse("risks:publish", args=[cast["inside"].pk])).status_code == 302
    services.update_risk_point(actor=officer, risk_point=point, location="新址")
    assert "已修改，待重新发布" in signed_in.get(reverse("risks:index")).content.decode()
    assert RiskRegister.objects.get().version == 1


def test_a_supervisor_reads_but_cannot_edit(cast, officer, client):
    point = make_point(officer, cast["inside"])
    client.force_login(cast["users"]["bureau_staff"])
    assert client.get(reverse("risks:point", args=[point.pk])).status_code == 200
    assert client.post(reverse("risks:point-retire", args=[point.pk])).status_code == 403
    assert client.get(reverse("risks:point-edit", args=[point.pk])).status_code == 403
    point.refresh_from_db()
    assert point.is_active


def test_only_the_bureau_admin_edits_the_districts_tables(cast, client):
    client.force_login(cast["users"]["bureau_admin"])
    page = client.get(reverse("risks:tables"))
    assert page.status_code == 200 and 'value="涉及重大危险源的"' in page.content.decode()
    client.force_login(cast["users"]["bureau_staff"])
    assert client.get(reverse("risks:tables")).status_code == 403


def _grow(officer, enterprise, start: int, count: int) -> None:
    for number in range(start, start + count):
        point = make_point(officer, enterprise, code=f"RP-{number:03d}")
        source = make_source(officer, point, lec=("6", "6", "7"))
        make_measure(officer, source)
        services.save_special_plan(actor=officer, risk_point=point, **plan_fields())


def test_pages_take_the_same_queries_whatever_the_rows(cast, officer, signed_in, django_assert_max_num_queries):
    enterprise = cast["inside"]
    _grow(officer, enterprise, 1, 2)
    point = RiskPoint.objects.first()
    make_source(officer, point, name="第二个危险源", lec=("3", "6", "7"))
    urls = [reverse("risks:index"), reverse("risks:enterprise", args=[enterprise.pk]),
            reverse("risks:point", args=[point.pk]), reverse("risks:control-list-export", args=[enterprise.pk]),
            reverse("risks:source-ledger-export", args=[enterprise.pk])]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get(url).status_code == 200
        counts[url] = len(queries)
    _grow(officer, enterprise, 3, 6)
    for source in HazardSource.objects.filter(risk_point=point):
        services.assess_hazard_source(actor=officer, source=source, method="matrix", inputs={"l": 2, "s": 2})
        make_measure(officer, source, category="4", subcategory="4-1", description="应急器材")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert signed_in.get(url).status_code == 200


def test_an_enterprises_own_table_and_regrading_from_its_list(cast, officer, signed_in):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("3", "6", "7"))  # D = 126: yellow, workshop level
    url = reverse("risks:enterprise-tables", args=[cast["inside"].pk])
    assert "本企业评价标准" in signed_in.get(url).content.decode()
    levels = {"level_major": "principal", "level_high": "principal", "level_moderate": "deputy", "level_low": "post"}
    assert signed_in.post(url, levels).status_code == 302
    point.refresh_from_db()
    assert point.control_level == "workshop"  # not silently regraded
    assert signed_in.post(reverse("risks:regrade", args=[cast["inside"].pk])).status_code == 302
    point.refresh_from_db()
    assert point.control_level == "deputy"


def test_the_ledger_page_shows_the_register_panel(cast, officer, client):
    point = make_point(officer, cast["inside"])
    make_source(officer, point, lec=("10", "6", "15"))
    client.force_login(cast["users"]["township_officer"])
    page = client.get(reverse("enterprises:detail", args=[cast["inside"].pk])).content.decode()
    assert 'data-testid="risk-register-panel"' in page and "重大 1" in page and "草稿：未发布" in page


def test_the_subcategory_list_follows_the_category(cast, officer, signed_in):
    source = make_source(officer, make_point(officer, cast["inside"]))
    form = signed_in.get(reverse("risks:measure-create", args=[source.pk])).content.decode()
    assert 'hx-get="/risks/subcategories/"' in form and "4-2" in form
    options = signed_in.get(reverse("risks:subcategories"), {"category": "4"}).content.decode()
    assert "4-2" in options and "1-1" not in options
    refused = signed_in.post(reverse("risks:measure-create", args=[source.pk]), {"category": "2", "subcategory": ""})
    assert refused.status_code == 400 and "2-1" in refused.content.decode() and "1-1" not in refused.content.decode()


def test_the_officers_list_takes_the_same_queries_whatever_the_enterprises(cast, officer, client,
                                                                            django_assert_max_num_queries):
    from tests.factories import EnterpriseFactory

    client.force_login(cast["users"]["township_officer"])
    make_point(officer, cast["inside"])
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("risks:index")).status_code == 200
    for number in range(5):
        EnterpriseFactory(name=f"马山风险测试企业{number}", township=cast["inside"].township)
    with django_assert_max_num_queries(len(first)):
        page = client.get(reverse("risks:index"))
    assert "马山风险测试企业4" in page.content.decode()
