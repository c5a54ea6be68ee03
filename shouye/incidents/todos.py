"""The duty officers' to-do: open reporting clocks of their incidents running out within two hours (or overdue
and not yet marked), soonest first; the townships' and departments' to-do: the incident tasks given to their
unit and not yet done. One query each."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .workflow import ANSWER_TASK, RECORD


def _items(user, limit: int) -> list[TodoItem]:
    now = timezone.now()
    return [TodoItem(title=f"{clock.incident.title} · {clock.get_kind_display()}",
                     url=reverse("incidents:detail", kwargs={"pk": clock.incident_id}),
                     detail=timezone.localtime(clock.due_at).strftime("%m-%d %H:%M"),
                     due=timezone.localtime(clock.due_at).date(), overdue=clock.due_at < now)
            for clock in selectors.clocks_due(user)[:limit]]


todo_providers.register(TodoProvider(
    key="incident-clocks", label=gettext_lazy("Incident reporting clocks running out"), order=20,
    count=lambda user: selectors.clocks_due(user).count(), items=_items, url_name="incidents:list",
    query="active=true", permission=RECORD))


def _task_items(user, limit: int) -> list[TodoItem]:
    now = timezone.now()
    return [TodoItem(title=f"{task.incident.title} · {task.text[:40]}",
                     url=reverse("incidents:task", kwargs={"pk": task.pk}),
                     detail=f"{task.unit} · {task.get_state_display()}",
                     due=timezone.localtime(task.due_at).date(), overdue=task.due_at < now)
            for task in selectors.open_tasks(user)[:limit]]


todo_providers.register(TodoProvider(
    key="incident-tasks", label=gettext_lazy("Incident tasks to acknowledge or complete"), order=21,
    count=lambda user: selectors.open_tasks(user).count(), items=_task_items, url_name="incidents:tasks",
    permission=ANSWER_TASK))
