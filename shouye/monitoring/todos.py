"""The alarms' to-dos on the workbench (issue 13): for the enterprise, alarms to acknowledge and alarms to handle,
clear or close; for the bureau and the townships, missed acknowledgements and alarms whose repeats propose a
hazard. Scoped, one query for a count and one for the items."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .workflow import BOARD, HANDLE


def _item(alarm, detail: str = "") -> TodoItem:
    what = alarm.scenario.name if alarm.scenario_id else alarm.get_condition_display()
    where = alarm.camera.name if alarm.camera_id else alarm.point.name if alarm.point_id else ""
    return TodoItem(title=f"{alarm.get_level_display()} · {what} · {where}",
                    url=reverse("monitoring:alarm-detail", kwargs={"pk": alarm.pk}),
                    detail=detail or f"{alarm.enterprise.name} · {alarm.get_state_display()}",
                    due=timezone.localtime(alarm.ack_due_by).date(),
                    overdue=alarm.state == "raised" and alarm.ack_due_by < timezone.now())


def _items(selector):
    return lambda user, limit: [_item(alarm) for alarm in selector(user)[:limit]]


def _proposal_items(user, limit: int) -> list[TodoItem]:
    return [_item(alarm, detail=gettext("%(count)s alarms of this kind: report a hazard?") % {
        "count": alarm.repeats}) for alarm in selectors.proposing_hazards(user)[:limit]]


todo_providers.register(TodoProvider(
    key="alarms-to-acknowledge", label=gettext_lazy("Alarms to acknowledge"), order=20,
    count=lambda user: selectors.to_acknowledge(user).count(), items=_items(selectors.to_acknowledge),
    url_name="monitoring:alarm-list", query="state=raised", permission=HANDLE))
todo_providers.register(TodoProvider(
    key="alarms-to-finish", label=gettext_lazy("Alarms to handle, clear or close"), order=21,
    count=lambda user: selectors.to_finish(user).count(), items=_items(selectors.to_finish),
    url_name="monitoring:alarm-list", permission=HANDLE))
todo_providers.register(TodoProvider(
    key="alarms-missed-acknowledgement", label=gettext_lazy("Alarms not acknowledged in time"), order=22,
    count=lambda user: selectors.missed_acknowledgements(user).count(),
    items=_items(selectors.missed_acknowledgements), url_name="monitoring:alarm-list", query="state=raised",
    permission=BOARD))
todo_providers.register(TodoProvider(
    key="alarms-proposing-hazards", label=gettext_lazy("Repeated alarms proposing a hazard"), order=23,
    count=lambda user: selectors.proposing_hazards(user).count(), items=_proposal_items,
    url_name="monitoring:alarm-list", permission=BOARD))
