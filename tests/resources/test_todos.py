"""The bureau's to-dos of the reserves (issue 14): stock below minimum, stock due for rotation (each item's
rotation notice, 30 days by default), reserves ending within 30 days; shown to the bureau's staff only, each
in a bounded number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shouye.core.registry import todo_providers
from shouye.resources import services
from shouye.resources.choices import ReserveKind

pytestmark = pytest.mark.django_db
KEYS = ("resources-below-minimum", "resources-expiring", "resources-reserves-ending")


def _provider(key):
    return todo_providers.providers[key]


def test_shown_to_the_bureaus_staff_only(cast):
    users = cast["users"]
    for role in ("bureau_admin", "bureau_staff"):
        assert {p.key for p in todo_providers.for_user(users[role])} >= set(KEYS)
    for role in ("leader", "township_officer", "enterprise_user", "department_officer", "expert"):
        assert not {p.key for p in todo_providers.for_user(users[role])} & set(KEYS)


def test_each_to_do_counts_what_is_due(staff, item, warehouse, django_assert_max_num_queries):
    today = timezone.localdate()
    services.set_minimum(actor=staff, warehouse=warehouse, item=item, minimum=Decimal(150))
    tents = services.create_item(actor=staff, name="帐篷", category="生活保障", unit="顶", rotation_notice_days=60)
    services.stock_in(actor=staff, warehouse=warehouse, item=item, quantity=Decimal(5),
                      expires_on=today + timedelta(days=29))
    services.stock_in(actor=staff, warehouse=warehouse, item=tents, quantity=Decimal(5),
                      expires_on=today + timedelta(days=45))
    other = services.create_warehouse(actor=staff, name="二号库", latitude=36.5, longitude=116.7)
    services.stock_in(actor=staff, warehouse=other, item=item, quantity=Decimal(5),
                      expires_on=today + timedelta(days=31))
    for supplier, days in (("快到期供应商", 20), ("长期供应商", 200)):
        services.create_reserve(actor=staff, kind=ReserveKind.AGREEMENT, supplier=supplier, contact_name="王",
                                contact_phone="13800000000", latitude=36.5, longitude=116.7, response_hours=4,
                                starts_on=today, ends_on=today + timedelta(days=days),
                                lines=[{"item": item, "quantity": 10}])
    expected = {"resources-below-minimum": 1, "resources-expiring": 2, "resources-reserves-ending": 1}
    for key, count in expected.items():
        with django_assert_max_num_queries(3):
            assert _provider(key).count(staff) == count
        with django_assert_max_num_queries(3):
            items = _provider(key).items(staff, 5)
        assert len(items) == count
    assert _provider("resources-reserves-ending").items(staff, 5)[0].title.startswith("快到期供应商")
    expiring = _provider("resources-expiring").items(staff, 5)
    assert [i.title for i in expiring] == ["区储备库 · 沙袋", "区储备库 · 帐篷"]
    assert _provider("resources-below-minimum").items(staff, 5)[0].url == f"/resources/warehouses/{warehouse.pk}/"
