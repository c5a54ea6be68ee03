"""The workbench's to-dos of the reserves, for the bureau's staff (its administrator and staff): stock lines
below their minimum (Art. 42), stock at or near expiry (each item's rotation notice, 30 days unless the bureau
sets another: a platform default, not a regulation; Art. 43 requires rotation but names no lead time), and
agreement or capacity reserves ending within 30 days (``selectors.RESERVE_RENEWAL_DAYS``, a platform default).
Each reads through ``visible_to``: one query for the count, one for the items (two for the expiring stock, which
first reads the distinct rotation notices)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.choices import Role
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .permissions import MANAGE_RESERVE, MANAGE_WAREHOUSE


def _bureau(user) -> bool:
    return user.has_role(Role.BUREAU_ADMIN, Role.BUREAU_STAFF)


def _warehouse_url(line) -> str:
    return reverse("resources:warehouse", kwargs={"pk": line.warehouse_id})


def _below_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=f"{line.warehouse.name} · {line.item.name}", url=_warehouse_url(line),
                     detail=_("%(quantity)s of the minimum %(minimum)s %(unit)s")
                     % {"quantity": f"{line.quantity.normalize():f}", "minimum": f"{line.minimum.normalize():f}",
                        "unit": line.item.unit})
            for line in selectors.lines_below_minimum(user)[:limit]]


def _expiring_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=f"{line.warehouse.name} · {line.item.name}", url=_warehouse_url(line),
                     detail=_("Rotate or scrap before expiry"), due=line.expires_on, overdue=line.expires_on <= today)
            for line in selectors.lines_expiring(user, today)[:limit]]


def _ending_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=str(reserve), url=reverse("resources:reserve", kwargs={"pk": reserve.pk}),
                     detail=_("Renew or replace the agreement"), due=reserve.ends_on)
            for reserve in selectors.reserves_ending(user, timezone.localdate())[:limit]]


todo_providers.register(TodoProvider(
    key="resources-below-minimum", label=gettext_lazy("Stock below minimum"), order=65,
    count=lambda user: selectors.lines_below_minimum(user).count(), items=_below_items,
    url_name="resources:warehouses", permission=MANAGE_WAREHOUSE, condition=_bureau))
todo_providers.register(TodoProvider(
    key="resources-expiring", label=gettext_lazy("Stock due for rotation"), order=66,
    count=lambda user: selectors.lines_expiring(user, timezone.localdate()).count(), items=_expiring_items,
    url_name="resources:warehouses", permission=MANAGE_WAREHOUSE, condition=_bureau))
todo_providers.register(TodoProvider(
    key="resources-reserves-ending", label=gettext_lazy("Reserve agreements ending"), order=67,
    count=lambda user: selectors.reserves_ending(user, timezone.localdate()).count(), items=_ending_items,
    url_name="resources:reserves", query="ending=true", permission=MANAGE_RESERVE, condition=_bureau))
