"""Fixtures of the resources tests: a catalogue item, a district warehouse with stock, a district repair team."""

from decimal import Decimal

import pytest

from shouye.resources import services
from shouye.resources.choices import TeamKind


@pytest.fixture
def staff(cast):
    return cast["users"]["bureau_staff"]


@pytest.fixture
def item(cast):
    return services.create_item(actor=cast["users"]["bureau_admin"], name="沙袋", category="防汛", unit="个",
                                shelf_life_months=36)


@pytest.fixture
def warehouse(staff, item):
    row = services.create_warehouse(actor=staff, name="区储备库", latitude=36.55, longitude=116.75,
                                    keeper_name="库管", keeper_phone="13812345678")
    services.stock_in(actor=staff, warehouse=row, item=item, quantity=Decimal(100), note="入库")
    return row


@pytest.fixture
def team(staff):
    return services.create_team(actor=staff, name="区供电抢修队", kind=TeamKind.REPAIR_POWER, latitude=36.56,
                                longitude=116.74, duty_phone="0531-87281234")
