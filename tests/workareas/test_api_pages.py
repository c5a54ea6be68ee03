"""The API and the pages as the cast uses them: enterprise users keep their own, supervisors read in scope,
masking per role, the export, the panel, and query counts on the lists."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shouye.workareas.models import Worker
from tests.conftest import api_as

from .conftest import area_data, certificate_row, worker_data, zone_of


def test_enterprise_user_creates_through_the_api(cast, owner):
    client = api_as(owner)
    answer = client.post("/api/v1/work-areas/", {**area_data(assessed_on="2026-01-05"), "enterprise": cast["inside"].pk},
                         format="json")
    assert answer.status_code == 201, answer.json()
    area_id = answer.json()["id"]
    body = {**worker_data(), "enterprise": cast["inside"].pk, "work_areas": [area_id],
            "certificates": [{**certificate_row(), "issued_on": "2024-03-01"}]}
    answer = client.post("/api/v1/workers/", body, format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["certificates"][0]["next_review_due"] == "2027-03-01"
    assert data["id_number"] == body["id_number"]


def test_over_capacity_is_a_400_naming_the_area(cast, owner, area):
    client = api_as(owner)
    for _ in range(2):
        assert client.post("/api/v1/workers/", {**worker_data(), "enterprise": cast["inside"].pk,
                                                "work_areas": [area.pk]}, format="json").status_code == 201
    answer = client.post("/api/v1/workers/", {**worker_data(), "enterprise": cast["inside"].pk,
                                              "work_areas": [area.pk]}, format="json")
    assert answer.status_code == 400
    assert "氯化反应区" in answer.json()["work_areas"][0]
    assert Worker.objects.count() == 2


@pytest.mark.parametrize("role", ["bureau_staff", "township_officer", "leader"])
def test_supervisors_read_but_do_not_write(cast, worker, role):
    client = api_as(cast["users"][role])
    answer = client.get("/api/v1/workers/")
    assert answer.status_code == 200 and answer.json()["count"] == 1
    assert client.post("/api/v1/workers/", {**worker_data(), "enterprise": cast["inside"].pk},
                       format="json").status_code == 403


def test_out_of_scope_is_404_and_absent(cast, worker):
    client = api_as(cast["users"]["department_officer"])
    assert client.get("/api/v1/workers/").json()["count"] == 0
    assert client.get(f"/api/v1/workers/{worker.pk}/").status_code == 404


@pytest.mark.parametrize(("role", "clear"), [("enterprise_user", True), ("bureau_staff", True),
                                             ("township_officer", False), ("leader", False)])
def test_masking_per_role(cast, worker, client, role, clear):
    data = api_as(cast["users"][role]).get(f"/api/v1/workers/{worker.pk}/").json()
    assert (data["id_number"] == worker.id_number) is clear
    assert (data["phone"] == worker.phone) is clear
    client.force_login(cast["users"][role])
    page = client.get(reverse("workareas:worker", kwargs={"pk": worker.pk})).content.decode()
    assert (worker.id_number in page) is clear


def test_the_export_masks_too(cast, worker, client):
    client.force_login(cast["users"]["township_officer"])
    answer = client.get(reverse("workareas:worker-export"))
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == worker.name and rows[1][3] != worker.id_number


def test_pages_create_and_refuse_with_a_message(cast, owner, area, client):
    client.force_login(owner)
    answer = client.post(reverse("workareas:worker-create"), {
        "enterprise": cast["inside"].pk, **worker_data(), "work_areas": [area.pk],
        "certificates-TOTAL_FORMS": 1, "certificates-INITIAL_FORMS": 0,
        "certificates-0-kind": "special_operation", "certificates-0-operation_category": "低压电工作业",
        "certificates-0-number": "T1", "certificates-0-issued_on": "2024-01-01", "certificates-0-continuous_years": 0,
        "certificates-0-compliant": "on"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    answer = client.post(reverse("workareas:create"), {"enterprise": cast["inside"].pk, **area_data(max_people="")})
    assert answer.status_code == 400
    assert "最大允许人数" in answer.content.decode()


def test_lists_and_panel_without_n_plus_one(cast, owner, area, client, django_assert_max_num_queries):
    from shouye.workareas import services

    for _ in range(2):
        services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(), work_areas=[area],
                                 certificates=[certificate_row(), certificate_row()])
    client.force_login(owner)
    for name in ("workareas:workers", "workareas:list"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("workareas:detail", kwargs={"pk": area.pk})).status_code == 200
    page = client.get(reverse("enterprises:detail", kwargs={"pk": cast["inside"].pk})).content.decode()
    assert 'data-testid="workareas-panel"' in page
    page = client.get(reverse("enterprises:detail", kwargs={"pk": cast["inside"].pk}))
    assert page.status_code == 200


def test_todos(cast, owner, area):
    from datetime import date

    from django.utils import timezone

    from shouye.core.views import todo_cards
    from shouye.workareas import services

    today = timezone.localdate()
    services.register_worker(actor=owner, enterprise=cast["inside"], data=worker_data(),
                             certificates=[certificate_row(issued_on=date(today.year - 7, 1, 1))])
    cards = {card.provider.key: card.count for card in todo_cards(owner)}
    assert cards["workareas-certificates"] == 1
    cards = {card.provider.key: card.count for card in todo_cards(cast["users"]["bureau_staff"])}
    assert cards["workareas-enterprise-certificates"] == 1


def test_the_panel_shows_only_for_chemical_enterprises(cast, client):
    client.force_login(cast["users"]["bureau_staff"])
    page = client.get(reverse("enterprises:detail", kwargs={"pk": cast["outside"].pk})).content.decode()
    assert 'data-testid="workareas-panel"' not in page
    page = client.get(reverse("enterprises:detail", kwargs={"pk": cast["inside"].pk})).content.decode()
    assert 'data-testid="workareas-panel"' in page


def test_an_update_replaces_the_certificates_and_keeps_what_is_omitted(cast, owner, worker):
    client = api_as(owner)
    answer = client.patch(f"/api/v1/workers/{worker.pk}/", {"post": "班长"}, format="json")
    assert answer.status_code == 200 and answer.json()["post"] == "班长"
    assert len(answer.json()["certificates"]) == 1 and len(answer.json()["work_areas"]) == 1
    safety = {"kind": "safety_qualification", "number": "AQ1", "issued_on": "2025-01-10"}
    answer = client.patch(f"/api/v1/workers/{worker.pk}/", {"certificates": [safety], "work_areas": []},
                          format="json")
    assert answer.status_code == 200
    data = answer.json()
    assert data["work_areas"] == [] and [c["number"] for c in data["certificates"]] == ["AQ1"]
    assert data["certificates"][0]["expires_on"] == "2028-01-10" and data["certificates"][0]["apply_by"] == "2027-12-11"


def test_a_bad_id_number_is_named(cast, owner):
    answer = api_as(owner).post("/api/v1/workers/", {**worker_data(id_number="370113198001010001"),
                                                     "enterprise": cast["inside"].pk}, format="json")
    assert answer.status_code == 400 and "id_number" in answer.json()
    assert not Worker.objects.exists()


@pytest.mark.parametrize(("role", "clear"), [("enterprise_user", True), ("township_officer", False)])
def test_an_id_number_inside_a_certificate_number_is_masked_too(cast, owner, client, role, clear):
    from shouye.workareas import services

    holder = worker_data()
    number = f"T{holder['id_number']}"
    worker = services.register_worker(actor=owner, enterprise=cast["inside"], data=holder,
                                      certificates=[certificate_row(number=number)])
    user = cast["users"][role]
    assert (api_as(user).get(f"/api/v1/workers/{worker.pk}/").json()["certificates"][0]["number"] == number) is clear
    client.force_login(user)
    for url in (reverse("workareas:worker", kwargs={"pk": worker.pk}), reverse("workareas:workers"),
                reverse("enterprises:detail", kwargs={"pk": cast["inside"].pk})):
        assert (number in client.get(url).content.decode()) is clear, url
    sheet = load_workbook(io.BytesIO(client.get(reverse("workareas:worker-export")).content)).active
    assert (number in [cell for row in sheet.iter_rows(values_only=True) for cell in row]) is clear


def test_a_zone_outside_the_scope_reads_as_unknown(cast, owner, area):
    outside = zone_of(cast["outside"], owner, "外部区域")
    answer = api_as(owner).patch(f"/api/v1/work-areas/{area.pk}/", {"zone": outside.pk}, format="json")
    assert answer.status_code == 400 and "zone" in answer.json()
