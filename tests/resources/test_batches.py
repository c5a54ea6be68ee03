"""Stock batches with their own expiry (issue 14): stock leaves earliest-expiring first (rotation, Shandong
应急保障条例 Art. 43), the line shows the nearest expiry, a transfer carries the batches' expiries, a refused
movement changes no batch."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shouye.audit.models import AuditEvent
from shouye.resources import services
from shouye.resources.models import StockBatch, StockLine
from tests.conftest import api_as

pytestmark = pytest.mark.django_db

EARLY, LATE = date(2027, 3, 1), date(2028, 6, 30)


def _batches(line) -> list[tuple]:
    return list(StockBatch.objects.filter(line=line).values_list("expires_on", "quantity"))


@pytest.fixture
def stocked(staff, item):
    """Three batches received out of order: late, none, early (the fixture's district warehouse is not used)."""
    warehouse = services.create_warehouse(actor=staff, name="批次库", latitude=36.5, longitude=116.7)
    for expiry, quantity in ((LATE, 30), (None, 5), (EARLY, 20)):
        services.stock_in(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(quantity), expires_on=expiry)
    return warehouse


def test_receiving_keeps_each_batch_and_the_nearest_expiry(stocked, item):
    line = StockLine.objects.get(warehouse=stocked, item=item)
    assert line.quantity == Decimal(55) and line.expires_on == EARLY
    assert _batches(line) == [(EARLY, Decimal(20)), (LATE, Decimal(30)), (None, Decimal(5))]


@pytest.mark.parametrize("act", ["stock_out", "dispatch_items", "scrap_stock"])
def test_out_takes_the_earliest_expiring_first(staff, stocked, item, act):
    line = getattr(services, act)(actor=staff, warehouse=stocked, item=item, quantity=Decimal(25), note="演练")
    assert line.quantity == Decimal(30) and line.expires_on == LATE
    assert _batches(line) == [(LATE, Decimal(25)), (None, Decimal(5))]
    event = AuditEvent.objects.filter(target_id=str(stocked.pk)).order_by("-created_at", "-id").first()
    assert event.changes["batches"] == [[EARLY.isoformat(), "20.00"], [LATE.isoformat(), "5.00"]]


def test_batches_without_expiry_leave_last_and_the_line_empties(staff, stocked, item):
    line = services.stock_out(actor=staff, warehouse=stocked, item=item, quantity=Decimal(52), note="领用")
    assert _batches(line) == [(None, Decimal(3))] and line.expires_on is None
    line = services.stock_out(actor=staff, warehouse=stocked, item=item, quantity=Decimal(3), note="领用")
    assert line.quantity == 0 and not _batches(line)


def test_a_refused_movement_changes_no_batch(staff, stocked, item):
    with pytest.raises(ValidationError):
        services.stock_out(actor=staff, warehouse=stocked, item=item, quantity=Decimal(56), note="超量")
    line = StockLine.objects.get(warehouse=stocked, item=item)
    assert line.quantity == Decimal(55)
    assert _batches(line) == [(EARLY, Decimal(20)), (LATE, Decimal(30)), (None, Decimal(5))]


def test_a_transfer_carries_the_expiries(staff, stocked, warehouse, item):
    services.transfer_stock(actor=staff, warehouse=stocked, to_warehouse=warehouse, item=item, quantity=Decimal(22))
    target = StockLine.objects.get(warehouse=warehouse, item=item)
    assert target.quantity == Decimal(122) and target.expires_on == EARLY
    assert sorted(_batches(target), key=str) == sorted([(None, Decimal(100)), (EARLY, Decimal(20)),
                                                        (LATE, Decimal(2))], key=str)
    assert StockLine.objects.get(warehouse=stocked, item=item).expires_on == LATE


def test_stock_counted_before_batches_leaves_after_them(staff, stocked, item):
    """A line holding more than its batches (stock counted before batches were kept) gives that remainder last."""
    StockLine.objects.filter(warehouse=stocked, item=item).update(quantity=Decimal(60))
    line = services.stock_out(actor=staff, warehouse=stocked, item=item, quantity=Decimal(58), note="领用")
    assert line.quantity == Decimal(2) and not _batches(line)


def test_the_page_and_the_api_show_the_batches(staff, stocked, item):
    from tests.resources.test_api_pages import page_as

    body = page_as(staff).get(f"/resources/warehouses/{stocked.pk}/").content.decode()
    assert 'data-testid="batches"' in body and "2027-03-01" in body and "2028-06-30" in body
    line = api_as(staff).get(f"/api/v1/warehouses/{stocked.pk}/").json()["stock"][0]
    assert line["expires_on"] == "2027-03-01"
    assert [batch["expires_on"] for batch in line["batches"]] == ["2027-03-01", "2028-06-30", None]


def test_the_warehouse_page_reads_a_bounded_number_of_queries(staff, item, django_assert_max_num_queries):
    from tests.resources.test_api_pages import page_as

    warehouse = services.create_warehouse(actor=staff, name="大库", latitude=36.5, longitude=116.7)
    for n in range(8):
        other = services.create_item(actor=staff, name=f"物资{n}", category="防汛", unit="件")
        for day in (1, 2, 3):
            services.stock_in(actor=staff, warehouse=warehouse, item=other, quantity=Decimal(1),
                              expires_on=date(2027, 1, day))
    client = page_as(staff)
    client.get(f"/resources/warehouses/{warehouse.pk}/")
    with django_assert_max_num_queries(30):
        assert client.get(f"/resources/warehouses/{warehouse.pk}/").status_code == 200
