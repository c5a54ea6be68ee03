"""The warnings' to-dos on the workbench of a township or department officer: warnings its units have not
acknowledged (叫应) and measures not yet ticked, on warnings in force; of an enterprise user, the warnings its
enterprise has not acknowledged. One query for a count, one for items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .permissions import ACKNOWLEDGE, ACKNOWLEDGE_AS_ENTERPRISE


def _acknowledgement_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=unit.warning.title, url=reverse("warnings:detail", kwargs={"pk": unit.warning_id}),
                     detail=str(unit))
            for unit in selectors.pending_acknowledgements(user).select_related("township", "department")[:limit]]


def _enterprise_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=row.warning.title, url=reverse("warnings:detail", kwargs={"pk": row.warning_id}),
                     detail=row.enterprise.name)
            for row in selectors.pending_enterprise_acknowledgements(user)[:limit]]


def _measure_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=item.text, url=reverse("warnings:checklist", kwargs={"pk": item.unit.warning_id}),
                     detail=item.unit.warning.title)
            for item in selectors.open_measures(user)[:limit]]


todo_providers.register(TodoProvider(
    key="warnings-acknowledge", label=gettext_lazy("Warnings to acknowledge"), order=5,
    count=lambda user: selectors.pending_acknowledgements(user).count(), items=_acknowledgement_items,
    url_name="warnings:list", query="state=issued", permission=ACKNOWLEDGE))
todo_providers.register(TodoProvider(
    key="warnings-measures", label=gettext_lazy("Warning measures to take"), order=6,
    count=lambda user: selectors.open_measures(user).count(), items=_measure_items,
    url_name="warnings:list", permission=ACKNOWLEDGE))
todo_providers.register(TodoProvider(
    key="warnings-enterprise-acknowledge", label=gettext_lazy("Warnings for your enterprise to acknowledge"),
    order=5, count=lambda user: selectors.pending_enterprise_acknowledgements(user).count(),
    items=_enterprise_items, url_name="warnings:list", query="state=issued", permission=ACKNOWLEDGE_AS_ENTERPRISE))
