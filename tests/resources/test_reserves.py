"""Agreement and capacity reserves (issue 14; Shandong 应急保障条例 Art. 39, 42, 45): the bureau records them, its
leaders and the township officers read them, nobody else; they count beside the physical stock while in force
(an expired or terminated one stops counting); the supplier's phone masked for whoever does not see personal
data; the agreement suppliers ranked with the warehouses in nearest dispatch."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition
from shouye.resources import selectors, services
from shouye.resources.choices import ReserveKind, ReserveState
from shouye.resources.models import Reserve, ReserveLine
from tests.conftest import api_as
from tests.resources.test_api_pages import page_as

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def _reserve(actor, item, *, kind=ReserveKind.AGREEMENT, quantity=500, starts=-10, ends=300, lat=36.552, lng=116.752,
             supplier="长清供销物资公司"):
    today = timezone.localdate()
    return services.create_reserve(
        actor=actor, kind=kind, supplier=supplier, contact_name="刘经理", contact_phone=PHONE, latitude=lat,
        longitude=lng, response_hours=6, starts_on=today + timedelta(days=starts), ends_on=today + timedelta(days=ends),
        lines=[{"item": item, "quantity": Decimal(quantity)}])


def test_the_bureau_records_a_reserve_audited(staff, item):
    reserve = _reserve(staff, item)
    assert reserve.in_force(timezone.localdate())
    assert list(reserve.lines.values_list("item__name", "quantity")) == [("沙袋", Decimal(500))]
    event = AuditEvent.objects.get(verb="resources.reserve-create")
    assert event.target_id == str(reserve.pk) and event.changes["items"] == {"沙袋": "500.00"}


@pytest.mark.parametrize("role", ["township_officer", "leader", "enterprise_user", "department_officer"])
def test_only_the_bureau_records_one(cast, item, role):
    with pytest.raises(PermissionDenied):
        _reserve(cast["users"][role], item)
    assert not Reserve.objects.exists()


def test_bad_input_changes_nothing(staff, item):
    with pytest.raises(ValidationError):
        _reserve(staff, item, starts=10, ends=5)
    with pytest.raises(ValidationError):
        services.create_reserve(actor=staff, kind=ReserveKind.AGREEMENT, supplier="x", contact_name="y",
                                contact_phone=PHONE, latitude=36.5, longitude=116.7, response_hours=2,
                                starts_on=timezone.localdate(), ends_on=timezone.localdate(),
                                lines=[{"item": item, "quantity": 1}, {"item": item, "quantity": 2}])
    assert not Reserve.objects.exists() and not AuditEvent.objects.filter(verb="resources.reserve-create").exists()


def test_set_item_and_terminate_through_the_workflow(cast, staff, item):
    reserve = _reserve(staff, item)
    services.set_reserve_item(actor=staff, reserve=reserve, item=item, quantity=Decimal(800))
    assert ReserveLine.objects.get().quantity == Decimal(800)
    with pytest.raises(PermissionDenied):
        services.set_reserve_item(actor=cast["users"]["township_officer"], reserve=reserve, item=item, quantity=1)
    services.set_reserve_item(actor=staff, reserve=reserve, item=item, quantity=0)
    assert not ReserveLine.objects.exists()
    with pytest.raises(ValidationError):
        services.set_reserve_item(actor=staff, reserve=reserve, item=item, quantity=0)
    services.terminate_reserve(actor=staff, reserve=reserve, note="供应商停产")
    assert Reserve.objects.get().state == ReserveState.TERMINATED
    with pytest.raises(InvalidTransition):
        services.set_reserve_item(actor=staff, reserve=reserve, item=item, quantity=5)
    assert not ReserveLine.objects.exists()
    assert AuditEvent.objects.filter(verb="resources.reserve-set-item").count() == 2


def test_counted_beside_physical_stock_while_in_force(staff, item, warehouse):
    _reserve(staff, item, quantity=500)
    _reserve(staff, item, quantity=70, supplier="编织袋厂", kind=ReserveKind.CAPACITY)
    _reserve(staff, item, quantity=900, supplier="过期供应商", starts=-400, ends=-1)
    ended = _reserve(staff, item, quantity=40, supplier="终止供应商")
    services.terminate_reserve(actor=staff, reserve=ended, note="终止")
    today = timezone.localdate()
    row = next(row for row in selectors.reserve_summary(staff, today) if row["item"] == item)
    assert (row["physical"], row["agreement"], row["capacity"]) == (Decimal(100), Decimal(500), Decimal(70))
    summary = api_as(staff).get("/api/v1/reserves/summary/").json()
    assert {"item_name": "沙袋", "physical": "100.00", "agreement": "500.00", "capacity": "70.00"}.items() <= next(
        r for r in summary if r["item"] == item.pk).items()
    page = page_as(staff).get("/resources/reserves/summary/").content.decode()
    assert 'data-testid="reserve-summary"' in page and ">500<" in page and ">70<" in page
    warehouse_page = page_as(staff).get(f"/resources/warehouses/{warehouse.pk}/").content.decode()
    assert "500 / 70" in warehouse_page
    assert ">500<" in page_as(staff).get("/resources/items/").content.decode()


def test_who_reads_them_and_the_phone_masked(cast, staff, item):
    reserve = _reserve(staff, item)
    users = cast["users"]
    officer = api_as(users["township_officer"]).get(f"/api/v1/reserves/{reserve.pk}/")
    assert officer.status_code == 200 and officer.json()["contact_phone"] == "139****5678"
    assert api_as(staff).get(f"/api/v1/reserves/{reserve.pk}/").json()["contact_phone"] == PHONE
    assert page_as(users["leader"]).get(f"/resources/reserves/{reserve.pk}/").status_code == 200
    assert PHONE not in page_as(users["leader"]).get("/resources/reserves/").content.decode()
    for role in ("enterprise_user", "department_officer", "expert"):
        assert api_as(users[role]).get("/api/v1/reserves/").status_code == 403
        assert page_as(users[role]).get(f"/resources/reserves/{reserve.pk}/").status_code == 403
    elsewhere = services.create_reserve(
        actor=staff, kind=ReserveKind.AGREEMENT, township=cast["outside"].township, supplier="孝里供应商",
        contact_name="赵", contact_phone=PHONE, latitude=36.4, longitude=116.6, response_hours=3,
        starts_on=timezone.localdate(), ends_on=timezone.localdate(), lines=[{"item": item, "quantity": 1}])
    assert api_as(users["township_officer"]).get(f"/api/v1/reserves/{elsewhere.pk}/").status_code == 404
    assert api_as(users["leader"]).get(f"/api/v1/reserves/{elsewhere.pk}/").status_code == 200
    refused = api_as(users["township_officer"]).post(f"/api/v1/reserves/{reserve.pk}/terminate/", {"note": "x"},
                                                    format="json")
    assert refused.status_code == 403 and Reserve.objects.get(pk=reserve.pk).state == ReserveState.ACTIVE


def test_the_api_and_pages_record_and_act(staff, item):
    client = api_as(staff)
    today = timezone.localdate()
    created = client.post("/api/v1/reserves/", {
        "kind": "agreement", "supplier": "供销社", "contact_name": "王", "contact_phone": PHONE, "latitude": 36.5,
        "longitude": 116.7, "response_hours": 4, "starts_on": str(today), "ends_on": str(today + timedelta(days=90)),
        "lines": [{"item": item.pk, "quantity": "300"}]}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["lines"][0]["quantity"] == "300.00" and created.json()["in_force"] is True
    assert client.post("/api/v1/reserves/", {"kind": "agreement", "lines": []}, format="json").status_code == 400
    assert client.post(f"/api/v1/reserves/{pk}/set-item/", {"item": item.pk, "quantity": "450"},
                       format="json").json()["lines"][0]["quantity"] == "450.00"
    assert client.post(f"/api/v1/reserves/{pk}/terminate/", {"note": "违约"}, format="json").status_code == 200
    assert client.post(f"/api/v1/reserves/{pk}/terminate/", {"note": "again"}, format="json").status_code == 409
    pages = page_as(staff)
    answer = pages.post("/resources/reserves/new/", {
        "kind": "capacity", "supplier": "帐篷厂", "contact_name": "李", "contact_phone": PHONE, "latitude": "36.5",
        "longitude": "116.7", "response_hours": "24", "starts_on": str(today), "ends_on": str(today + timedelta(days=9)),
        "item": item.pk, "quantity": "50"})
    assert answer.status_code == 302
    made = Reserve.objects.get(supplier="帐篷厂")
    assert made.kind == ReserveKind.CAPACITY and made.lines.get().quantity == Decimal(50)
    assert pages.post("/resources/reserves/new/", {"kind": "capacity"}).status_code == 400
    body = pages.get(f"/resources/reserves/{made.pk}/").content.decode()
    assert "帐篷厂" in body and 'data-action="terminate"' in body
    listed = pages.get("/resources/reserves/?ending=true").content.decode()
    assert "帐篷厂" in listed and "供销社" not in listed


def test_the_reserve_list_reads_a_bounded_number_of_queries(staff, item, django_assert_max_num_queries):
    for n in range(6):
        _reserve(staff, item, supplier=f"供应商{n}")
    client = page_as(staff)
    with django_assert_max_num_queries(20):
        assert client.get("/resources/reserves/").status_code == 200
    with django_assert_max_num_queries(12):
        assert api_as(staff).get("/api/v1/reserves/").status_code == 200


def test_nearest_ranks_agreement_suppliers_with_the_warehouses(cast, staff, item, warehouse):
    near = _reserve(staff, item, quantity=500, lat=36.5501, lng=116.7501)
    _reserve(staff, item, quantity=5, supplier="远方供应商", lat=36.9, lng=117.2)
    _reserve(staff, item, quantity=5, supplier="产能厂", kind=ReserveKind.CAPACITY, lat=36.55, lng=116.75)
    _reserve(staff, item, quantity=5, supplier="过期供应商", starts=-40, ends=-2, lat=36.55, lng=116.75)
    answer = api_as(staff).get("/api/v1/resources/nearest/", {"lat": 36.55, "lng": 116.75,
                                                              "items": [f"{item.pk}:200"]}).json()
    assert [s["name"] for s in answer["suppliers"]] == ["长清供销物资公司", "远方供应商"]
    sources = answer["sources"]
    assert [(s["agreement"], s["id"]) for s in sources] == [(False, warehouse.pk), (True, near.pk),
                                                           (True, answer["suppliers"][1]["id"])]
    assert sources[1]["response_hours"] == 6 and sources[1]["covers_all"] is True
    assert sources[0]["covers_all"] is False
    officer = api_as(cast["users"]["department_officer"]).get("/api/v1/resources/nearest/", {
        "lat": 36.55, "lng": 116.75, "items": [f"{item.pk}:200"]}).json()
    assert officer["suppliers"] == []
    page = page_as(staff).get("/resources/nearest/", {"lat": 36.55, "lng": 116.75, "item": item.pk,
                                                      "quantity": 200}).content.decode()
    assert 'data-testid="nearest-supplier"' in page and "长清供销物资公司" in page
