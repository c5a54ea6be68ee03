"""The township officer's to-do "举报待核查": tip-offs the bureau sent to its township to check on site
(core.registry.todo_providers, read by the workbench and the navbar badge). Registered in
HazardsConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .workflow import CHECK_TIPOFF


def _count(user) -> int:
    return selectors.tip_offs_waiting_for_check(user).count()


def _items(user, limit: int) -> list[TodoItem]:
    """One query: the tip-offs with their township."""
    return [TodoItem(title=tip_off.enterprise_name,
                     url=reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk}),
                     detail=" · ".join(part for part in (tip_off.township.name if tip_off.township else "",
                                                         tip_off.address) if part))
            for tip_off in selectors.tip_offs_waiting_for_check(user)[:limit]]


TIP_OFFS_TO_CHECK = todo_providers.register(TodoProvider(
    key="hazards.tip-offs-to-check", label=_("Tip-offs to check"), order=35, count=_count, items=_items,
    url_name="hazards:tip-off-checks", permission=CHECK_TIPOFF,
))
