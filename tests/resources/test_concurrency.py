"""Two dispatches of the last items at the same moment: one wins, the other is refused and nothing goes
negative (PostgreSQL row locks)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from shouye.accounts.models import User
from shouye.resources import services
from shouye.resources.models import Item, StockLine, StockMovement, Warehouse
from tests.concurrency import at_the_same_moment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_dispatches_of_the_last_items(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    staff = cast["users"]["bureau_staff"]
    item = services.create_item(actor=cast["users"]["bureau_admin"], name="救生衣", category="防汛", unit="件")
    warehouse = services.create_warehouse(actor=staff, name="区储备库", latitude=36.5, longitude=116.7)
    services.stock_in(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(10))

    def dispatch():
        return services.dispatch_items(actor=User.objects.get(pk=staff.pk), warehouse=Warehouse.objects.get(
            pk=warehouse.pk), item=Item.objects.get(pk=item.pk), quantity=Decimal(10), note="抢险")

    results, errors = at_the_same_moment(dispatch, dispatch)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and "quantity" in errors[0].message_dict
    assert StockLine.objects.get().quantity == 0
    assert StockMovement.objects.filter(kind="dispatch").count() == 1
