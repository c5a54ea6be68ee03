"""The plant plan and the four-colour map (issue 11): uploading a plan (an image or a PDF page, bad files
refused with a message and nothing written), zones through the API within the scope, outline validation,
placing risk points, a zone's colour from its points, deleting refused while something is placed, the A3 map
and the post risk notice card PDFs, the enterprise ledger's panel, and the query counts of the pages."""

import io

import pypdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shouye.audit.models import AuditEvent
from shouye.enterprises.models import EnterprisePerson
from shouye.risks import documents
from shouye.risks.models import (
    ControlMeasure,
    FloorPlan,
    HazardSource,
    InvestigationTask,
    PlanZone,
    RiskPoint,
    RiskRegister,
)
from shouye.risks.services import plans as services
from tests.conftest import api_as
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

TRIANGLE = [[10, 10], [200, 10], [200, 150]]


def png(width=400, height=300, fmt="PNG", name="plan.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (240, 240, 240)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(*sizes, password=None, name="plan.pdf") -> SimpleUploadedFile:
    writer = pypdf.PdfWriter()
    for width, height in sizes:
        writer.add_blank_page(width, height)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def make_plan(enterprise, user, title="一号厂区平面图", width=400, height=300, current=True) -> FloorPlan:
    plan = FloorPlan(title=title, width=width, height=height, is_current=current, uploaded_by=user)
    plan.stamp_from(enterprise)
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (240, 240, 240)).save(buffer, "PNG")
    plan.image.save("plan.png", ContentFile(buffer.getvalue()), save=False)
    plan.save()
    return plan


def make_point(enterprise, code, grade="", zone=None, department="生产部", active=True, **fields) -> RiskPoint:
    point = RiskPoint(code=code, name=f"风险点{code}", kind="facility", department=department,
                      responsible_person="张三", grade=grade, zone=zone, is_active=active, **fields)
    point.stamp_from(enterprise)
    point.save()
    return point


@pytest.fixture
def officer(cast):
    """The inside enterprise's safety officer, who keeps its risk list."""
    return cast["users"]["enterprise_user"]


@pytest.fixture
def plan(cast, officer):
    return make_plan(cast["inside"], officer)


# --- uploading ---------------------------------------------------------------------------------------


def test_an_image_uploaded_through_the_api_becomes_the_current_plan(cast, officer):
    client = api_as(officer)
    first = client.post("/api/v1/floor-plans/", {"enterprise": cast["inside"].pk, "title": "旧平面图",
                                                 "file": png(640, 480)}, format="multipart")
    assert first.status_code == 201, first.content
    assert first.json()["width"] == 640 and first.json()["height"] == 480 and first.json()["is_current"]
    second = client.post("/api/v1/floor-plans/", {"enterprise": cast["inside"].pk, "title": "新平面图",
                                                  "file": png(300, 200, "JPEG", "plan.jpg")}, format="multipart")
    assert second.status_code == 201, second.content
    plans = {plan.title: plan for plan in FloorPlan.objects.filter(enterprise=cast["inside"])}
    assert plans["新平面图"].is_current and not plans["旧平面图"].is_current
    # A photo or scan stays JPEG, a drawing PNG.
    assert plans["新平面图"].image.name.startswith("risks/plans/") and plans["新平面图"].image.name.endswith(".jpg")
    assert plans["旧平面图"].image.name.endswith(".png")
    assert AuditEvent.objects.filter(verb="risks.floor_plan.upload").count() == 2
    # The image is served to whoever sees the plan.
    assert Client().get(plans["新平面图"].image.url).status_code in (302, 403)
    signed_in = Client()
    signed_in.force_login(officer)
    assert signed_in.get(plans["新平面图"].image.url).status_code == 200


def test_a_large_image_is_scaled_to_the_cap(cast, officer):
    plan = services.upload_floor_plan(actor=officer, enterprise=cast["inside"], title="大图",
                                      upload=png(9000, 600))
    assert (plan.width, plan.height) == (services.MAX_SIDE, 533)


def test_a_pdf_page_is_rendered_to_the_plan(cast, officer):
    response = api_as(officer).post("/api/v1/floor-plans/", {
        "enterprise": cast["inside"].pk, "title": "PDF 平面图", "page": 2,
        "file": pdf((595, 842), (1190, 842))}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    # Page 2 is landscape A3 at 200 dpi.
    assert body["width"] > body["height"] and abs(body["width"] / body["height"] - 1190 / 842) < 0.01
    assert body["width"] == round(1190 * 200 / 72) or abs(body["width"] - 1190 * 200 / 72) <= 1


@pytest.mark.parametrize(("upload", "field", "words"), [
    (lambda: pdf((595, 842)), "page", "共 1 页"),
    (lambda: pdf((595, 842), password="secret"), "file", "已加密"),
    (lambda: SimpleUploadedFile("broken.pdf", b"%PDF-1.7 this is not a pdf"), "file", "不是可读取的 PDF"),
    (lambda: SimpleUploadedFile("notes.png", b"just some text"), "file", "不是 PNG、JPEG 图片或 PDF"),
    (lambda: png(fmt="GIF", name="plan.gif"), "file", "不是 PNG、JPEG 图片或 PDF"),
])
def test_bad_files_are_refused_with_a_message_and_nothing_is_written(cast, officer, plan, upload, field, words):
    response = api_as(officer).post("/api/v1/floor-plans/", {
        "enterprise": cast["inside"].pk, "title": "坏文件", "page": 3 if field == "page" else 1,
        "file": upload()}, format="multipart")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert list(FloorPlan.objects.values_list("title", "is_current")) == [(plan.title, True)]


def test_the_upload_page_uploads_and_shows_a_refusal(cast, officer):
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("risks:plan-upload"))
    assert page.status_code == 200 and "上传厂区平面图" in page.content.decode()
    refused = client.post(reverse("risks:plan-upload"), {"enterprise": cast["inside"].pk, "title": "平面图",
                                                         "page": 1, "file": SimpleUploadedFile("a.png", b"xx")})
    assert refused.status_code == 400 and "a.png 不是 PNG、JPEG 图片或 PDF 文件" in refused.content.decode()
    assert not FloorPlan.objects.exists()
    done = client.post(reverse("risks:plan-upload"), {"enterprise": cast["inside"].pk, "title": "平面图",
                                                      "page": 1, "file": png()})
    plan = FloorPlan.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("risks:plan", kwargs={"pk": plan.pk})


def test_only_the_enterprise_uploads_its_plan(cast, officer):
    refused = api_as(officer).post("/api/v1/floor-plans/", {"enterprise": cast["outside"].pk, "title": "别家",
                                                            "file": png()}, format="multipart")
    assert refused.status_code == 400 and "enterprise" in refused.json()
    officer_of_township = api_as(cast["users"]["township_officer"])
    forbidden = officer_of_township.post("/api/v1/floor-plans/", {"enterprise": cast["inside"].pk, "title": "代传",
                                                                  "file": png()}, format="multipart")
    assert forbidden.status_code == 403
    assert not FloorPlan.objects.exists()


# --- zones -------------------------------------------------------------------------------------------


def test_zones_are_drawn_renamed_and_deleted_through_the_api(cast, officer, plan):
    client = api_as(officer)
    created = client.post("/api/v1/plan-zones/", {"plan": plan.pk, "name": "罐区", "polygon": TRIANGLE},
                          format="json")
    assert created.status_code == 201, created.content
    zone_id = created.json()["id"]
    assert created.json()["colour"] == "grey" and created.json()["polygon"] == [[10.0, 10.0], [200.0, 10.0],
                                                                                 [200.0, 150.0]]
    renamed = client.patch(f"/api/v1/plan-zones/{zone_id}/", {"name": "一号罐区"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "一号罐区"
    redrawn = client.patch(f"/api/v1/plan-zones/{zone_id}/", {"polygon": [[0, 0], [400, 0], [400, 300], [0, 300]]},
                           format="json")
    assert redrawn.status_code == 200 and len(redrawn.json()["polygon"]) == 4
    listed = client.get(f"/api/v1/plan-zones/?plan={plan.pk}")
    assert [row["name"] for row in listed.json()["results"]] == ["一号罐区"]
    assert client.delete(f"/api/v1/plan-zones/{zone_id}/").status_code == 204
    assert not PlanZone.objects.exists()
    verbs = list(AuditEvent.objects.filter(verb__startswith="risks.plan_zone").values_list("verb", flat=True))
    assert sorted(verbs) == ["risks.plan_zone.create", "risks.plan_zone.delete", "risks.plan_zone.update",
                             "risks.plan_zone.update"]


def test_zones_of_another_enterprise_are_out_of_reach(cast, officer):
    other_plan = make_plan(cast["outside"], cast["users"]["bureau_staff"], title="外部平面图")
    zone = PlanZone.objects.create(plan=other_plan, name="外部区域", polygon=TRIANGLE)
    client = api_as(officer)
    assert client.get(f"/api/v1/plan-zones/{zone.pk}/").status_code == 404
    assert client.patch(f"/api/v1/plan-zones/{zone.pk}/", {"name": "越权"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/plan-zones/{zone.pk}/").status_code == 404
    assert "外部区域" not in client.get("/api/v1/plan-zones/").content.decode()
    drawn = client.post("/api/v1/plan-zones/", {"plan": other_plan.pk, "name": "越权", "polygon": TRIANGLE},
                        format="json")
    assert drawn.status_code == 400 and "plan" in drawn.json()
    zone.refresh_from_db()
    assert zone.name == "外部区域" and PlanZone.objects.count() == 1
    # Reading is not drawing: the township officer sees the zone but may not change it.
    township = api_as(cast["users"]["township_officer"])
    mine = PlanZone.objects.create(plan=make_plan(cast["inside"], officer), name="本镇区域", polygon=TRIANGLE)
    assert township.get(f"/api/v1/plan-zones/{mine.pk}/").status_code == 200
    assert township.patch(f"/api/v1/plan-zones/{mine.pk}/", {"name": "改"}, format="json").status_code == 403


@pytest.mark.parametrize(("polygon", "words"), [
    ([[10, 10], [20, 20]], "polygon"),
    ([[i, i] for i in range(201)], "polygon"),
    ([[10, 10], [500, 10], [200, 150]], "超出了平面图范围"),
    ([[10, 10], [-1, 10], [200, 150]], "超出了平面图范围"),
    ([[10, 10], ["20", 10], [200, 150]], "坐标必须是数字"),
    ([[10, 10], [True, 10], [200, 150]], "坐标必须是数字"),
    ([[10, 10], [20, 10, 5], [200, 150]], "polygon"),
    ([[10, 10], [10, 10], [10, 10]], "至少需要 3 个不同的点"),
    ("10,10 20,20 30,30", "polygon"),
])
def test_outlines_are_validated(cast, officer, plan, polygon, words):
    response = api_as(officer).post("/api/v1/plan-zones/", {"plan": plan.pk, "name": "区域", "polygon": polygon},
                                    format="json")
    assert response.status_code == 400
    assert words == "polygon" and "polygon" in response.json() or words in response.content.decode()
    assert not PlanZone.objects.exists()


def test_a_zone_takes_the_colour_of_its_highest_risk_point(cast, officer, plan):
    zone = PlanZone.objects.create(plan=plan, name="装置区", polygon=TRIANGLE)
    client = api_as(officer)

    def colour():
        return client.get(f"/api/v1/plan-zones/{zone.pk}/").json()["colour"]

    assert colour() == "grey"
    make_point(cast["inside"], "P1", grade="", zone=zone)
    assert colour() == "grey"
    make_point(cast["inside"], "P2", grade="low", zone=zone)
    assert colour() == "blue"
    make_point(cast["inside"], "P3", grade="moderate", zone=zone)
    assert colour() == "yellow"
    make_point(cast["inside"], "P4", grade="high", zone=zone)
    assert colour() == "orange"
    # A point no longer in use does not colour the zone.
    make_point(cast["inside"], "P5", grade="major", zone=zone, active=False)
    assert colour() == "orange"
    make_point(cast["inside"], "P6", grade="major", zone=zone)
    assert colour() == "red"


def test_risk_points_are_placed_through_the_api_and_the_page(cast, officer, plan):
    zone = PlanZone.objects.create(plan=plan, name="装置区", polygon=TRIANGLE)
    other = PlanZone.objects.create(plan=plan, name="仓库", polygon=TRIANGLE)
    high, low = make_point(cast["inside"], "P1", "high"), make_point(cast["inside"], "P2", "low", zone=other)
    foreign = make_point(cast["outside"], "X1", "major")
    placed = api_as(officer).patch(f"/api/v1/plan-zones/{zone.pk}/", {"risk_points": [high.pk, low.pk]},
                                   format="json")
    assert placed.status_code == 200 and placed.json()["colour"] == "orange"
    assert {p.zone_id for p in RiskPoint.objects.filter(pk__in=[high.pk, low.pk])} == {zone.pk}
    refused = api_as(officer).patch(f"/api/v1/plan-zones/{zone.pk}/", {"risk_points": [foreign.pk]}, format="json")
    assert refused.status_code == 400 and "risk_points" in refused.json()

    client = Client()
    client.force_login(officer)
    url = reverse("risks:zone-points", kwargs={"pk": other.pk})
    done = client.post(url, {f"zone-{other.pk}-risk_points": [low.pk]})
    assert done.status_code == 302
    low.refresh_from_db()
    high.refresh_from_db()
    assert low.zone_id == other.pk and high.zone_id == zone.pk
    # A point of a neighbour in the same township: not a choice of this enterprise's zone.
    neighbour_point = make_point(EnterpriseFactory(township=cast["inside"].township), "N1", "low")
    bad = client.post(url, {f"zone-{other.pk}-risk_points": [neighbour_point.pk]})
    assert bad.status_code == 400 and "risk_points" in bad.context["form"].errors
    low.refresh_from_db()
    assert low.zone_id == other.pk


def test_deleting_a_zone_is_refused_while_a_risk_point_is_placed_in_it(cast, officer, plan):
    zone = PlanZone.objects.create(plan=plan, name="罐区", polygon=TRIANGLE)
    point = make_point(cast["inside"], "P1", "high", zone=zone)
    response = api_as(officer).delete(f"/api/v1/plan-zones/{zone.pk}/")
    assert response.status_code == 400
    message = " ".join(response.json()["non_field_errors"])
    assert "罐区" in message and "P1 风险点P1" in message
    assert PlanZone.objects.filter(pk=zone.pk).exists()
    point.zone = None
    point.save()
    assert api_as(officer).delete(f"/api/v1/plan-zones/{zone.pk}/").status_code == 204


# --- pages and PDFs ----------------------------------------------------------------------------------


def test_the_map_page_shows_the_zones_colours_and_the_editor(cast, officer, plan):
    zone = PlanZone.objects.create(plan=plan, name="罐区", polygon=TRIANGLE)
    make_point(cast["inside"], "P1", "major", zone=zone)
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("risks:plan", kwargs={"pk": plan.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-zone-colour="red"' in html and "罐区" in html and 'data-testid="zone-editor"' in html
    assert '"editable": true' in html and reverse("plan-zone-list") in html
    # A township officer reads the map but gets no editor.
    township = Client()
    township.force_login(cast["users"]["township_officer"])
    html = township.get(reverse("risks:plan", kwargs={"pk": plan.pk})).content.decode()
    assert "罐区" in html and 'data-testid="zone-editor"' not in html and '"editable": false' in html


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_a3_map_pdf(cast, officer, plan):
    zone = PlanZone.objects.create(plan=plan, name="一号罐区", polygon=TRIANGLE)
    make_point(cast["inside"], "P1", "major", zone=zone)
    RiskRegister.objects.create(enterprise=cast["inside"], township=cast["inside"].township,
                                industry=cast["inside"].industry, state="published", version=3,
                                published_at=timezone.now())
    html = documents.map_html(officer, plan)
    assert "size: A3 landscape" in html and 'fill="#e02020"' in html and "第 3 版" in html
    client = Client()
    client.force_login(officer)
    response = client.get(reverse("risks:plan-pdf", kwargs={"pk": plan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert round(width / 72 * 25.4) == 420 and round(height / 72 * 25.4) == 297
    text = _text(response.content)
    assert cast["inside"].name in text and "一号罐区" in text and "P1 风险点P1" in text and "重大风险" in text


def test_the_post_notice_card(cast, officer):
    enterprise = cast["inside"]
    point = make_point(enterprise, "P1", "high", department="合成车间", location="合成工段")
    source = HazardSource.objects.create(risk_point=point, identification_method="scl", step_or_item="反应釜",
                                         name="超温超压", factor_category="things", consequence="火灾、爆炸",
                                         grade="high")
    ControlMeasure.objects.create(hazard_source=source, category="1", subcategory="1-1",
                                  description="温度压力联锁投用", check_content="联锁是否投用")
    ControlMeasure.objects.create(hazard_source=source, category="4", subcategory="4-1",
                                  description="发生泄漏立即启动紧急切断", check_content="紧急切断是否完好")
    checked = make_point(enterprise, "P2", "low", department="储运部")
    task_source = HazardSource.objects.create(risk_point=checked, identification_method="scl", step_or_item="泵",
                                              name="泄漏", factor_category="things", consequence="中毒")
    measure = ControlMeasure.objects.create(hazard_source=task_source, category="2", subcategory="2-1",
                                            description="定期检查机封", check_content="机封是否泄漏")
    task = InvestigationTask.objects.create(enterprise=enterprise, township=enterprise.township,
                                            industry=enterprise.industry, title="巡检", cycle=1, cycle_unit="day",
                                            starts_at=timezone.now(), post="合成车间",
                                            created_by=cast["users"]["bureau_staff"])
    task.measures.add(measure)
    EnterprisePerson.objects.create(enterprise=enterprise, role="safety_director", name="王安全", phone="13812345678")
    client = Client()
    client.force_login(officer)
    posts = client.get(reverse("risks:notice-cards", kwargs={"pk": enterprise.pk}))
    assert posts.status_code == 200 and "合成车间" in posts.content.decode() and "储运部" in posts.content.decode()
    html = documents.card_html(officer, enterprise, "合成车间")
    assert "size: A4" in html and "当心爆炸" in html and "当心火灾" in html and "当心中毒" in html
    assert "温度压力联锁投用" in html and "发生泄漏立即启动紧急切断" in html and "定期检查机封" in html
    response = client.get(reverse("risks:notice-card", kwargs={"pk": enterprise.pk}), {"post": "合成车间"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert enterprise.name in text and "合成车间" in text and "119" in text and "120" in text
    assert "P1 风险点P1" in text and "P2 风险点P2" in text and "王安全" in text
    # A supervisor without the right to personal data sees the phone masked.
    township_html = documents.card_html(cast["users"]["township_officer"], enterprise, "合成车间")
    assert "13812345678" not in township_html and "138****5678" in township_html
    unknown = client.get(reverse("risks:notice-card", kwargs={"pk": enterprise.pk}), {"post": "不存在的岗位"})
    assert unknown.status_code == 404


# --- the enterprise ledger's panel and the query counts ---------------------------------------------------


def test_the_ledger_panel_shows_the_current_plan(cast, officer):
    client = Client()
    client.force_login(officer)
    url = reverse("enterprises:detail", kwargs={"pk": cast["inside"].pk})
    html = client.get(url).content.decode()
    assert 'data-testid="risk-map-panel"' in html and "尚未上传厂区平面图" in html
    make_plan(cast["inside"], officer, title="旧图", current=False)
    plan = make_plan(cast["inside"], officer)
    zone = PlanZone.objects.create(plan=plan, name="罐区", polygon=TRIANGLE)
    make_point(cast["inside"], "P1", "moderate", zone=zone)
    html = client.get(url).content.decode()
    assert 'data-testid="risk-map"' in html and f'"plan": {plan.pk}' in html and '"colour": "yellow"' in html
    assert reverse("risks:plan-pdf", kwargs={"pk": plan.pk}) in html and "floorplan.js" in html


def _fill(plan, enterprise, zones: int, points_per_zone: int) -> None:
    for z in range(zones):
        zone = PlanZone.objects.create(plan=plan, name=f"区域{z}", polygon=TRIANGLE)
        for p in range(points_per_zone):
            make_point(enterprise, f"Z{zone.pk}-{p}", "low", zone=zone)


def test_pages_and_api_read_in_a_fixed_number_of_queries(cast, officer, plan, django_assert_max_num_queries):
    client = Client()
    client.force_login(officer)
    url = reverse("risks:plan", kwargs={"pk": plan.pk})
    _fill(plan, cast["inside"], 2, 2)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    _fill(plan, cast["inside"], 8, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    api = api_as(officer)
    with django_assert_max_num_queries(12) as listed:
        assert api.get("/api/v1/plan-zones/").status_code == 200
    _fill(plan, cast["inside"], 3, 3)
    with django_assert_max_num_queries(len(listed.captured_queries)):
        assert api.get("/api/v1/plan-zones/").status_code == 200
    panel_url = reverse("enterprises:detail", kwargs={"pk": cast["inside"].pk})
    with django_assert_max_num_queries(60) as ledger:
        assert client.get(panel_url).status_code == 200
    _fill(plan, cast["inside"], 3, 3)
    with django_assert_max_num_queries(len(ledger.captured_queries)):
        assert client.get(panel_url).status_code == 200


def test_the_plan_lists_read_in_a_fixed_number_of_queries(cast, officer, django_assert_max_num_queries):
    staff = cast["users"]["bureau_staff"]
    client = Client()
    client.force_login(staff)
    make_plan(cast["inside"], officer)
    with django_assert_max_num_queries(30) as few:
        page = client.get(reverse("risks:plans"))
    assert page.status_code == 200 and cast["inside"].name in page.content.decode()
    for enterprise in (cast["building"], cast["outside"], cast["inside"]):
        make_plan(enterprise, staff, title=f"{enterprise.name}平面图")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("risks:plans")).status_code == 200
    with django_assert_max_num_queries(8) as listed:
        assert api_as(staff).get("/api/v1/floor-plans/").json()["count"] == 4
    make_plan(cast["building"], staff, title="再一张")
    with django_assert_max_num_queries(len(listed.captured_queries)):
        assert api_as(staff).get("/api/v1/floor-plans/").json()["count"] == 5
