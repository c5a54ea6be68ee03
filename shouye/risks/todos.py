"""The investigation tasks' to-dos on the workbench (我的待办), registered in RisksConfig.ready().

- "Investigations to do": instances whose window is open or closed without being recorded yet, of today
  (Asia/Shanghai) — the instance's person's, or, when the task names no person, every user's of the
  enterprise who may carry out investigations; those whose window has closed are shown overdue.
- "Missed investigations": the enterprise's instances recorded missed in the last 7 days, so the safety
  officer sees what was not done (nothing is silently dropped).

Each answers its count in one query and its items in one more (``visible_to`` + indexed state and due_by)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.choices import Role
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from .choices import InstanceState
from .generation import local_midnight
from .models import TaskInstance

PERFORM = "risks.perform_investigation"
#: How far back the enterprise's missed investigations are listed.
MISSED_DAYS = 7


def _mine(user):
    """Instances of the user's enterprise that are the user's: assigned to the user, or to no one."""
    return TaskInstance.objects.visible_to(user).filter(Q(assignee=user) | Q(assignee__isnull=True))


def to_do_today(user):
    """Still due, opened by now, and closing today or later (those closing before today are missed by the
    nightly run): soonest closing first."""
    now = timezone.now()
    today = local_midnight(timezone.localdate())
    return _mine(user).filter(state=InstanceState.DUE, due_from__lte=now, due_by__gte=today).order_by("due_by", "id")


def missed_recently(user):
    since = timezone.now() - timedelta(days=MISSED_DAYS)
    return (TaskInstance.objects.visible_to(user).filter(state=InstanceState.MISSED, due_by__gte=since)
            .order_by("-due_by", "-id"))


def _items(queryset, limit: int) -> list[TodoItem]:
    now = timezone.now()
    rows = queryset.select_related("task").only("pk", "due_from", "due_by", "state", "task__title",
                                                "task__post")[:limit]
    return [TodoItem(title=row.task.title, url=reverse("risks:instance", kwargs={"pk": row.pk}),
                     detail=_("%(from)s – %(by)s") % {
                         "from": timezone.localtime(row.due_from).strftime("%m-%d %H:%M"),
                         "by": timezone.localtime(row.due_by).strftime("%m-%d %H:%M")},
                     due=timezone.localtime(row.due_by).date(),
                     overdue=row.state == InstanceState.MISSED or row.due_by <= now)
            for row in rows]


def _is_enterprise_user(user) -> bool:
    return user.has_role(Role.ENTERPRISE_USER)


todo_providers.register(TodoProvider(
    key="risk-instances-due", label=gettext_lazy("Investigations to do"), order=12,
    count=lambda user: to_do_today(user).count(), items=lambda user, limit: _items(to_do_today(user), limit),
    url_name="risks:my-tasks", permission=PERFORM, condition=_is_enterprise_user))
todo_providers.register(TodoProvider(
    key="risk-instances-missed", label=gettext_lazy("Missed investigations (last 7 days)"), order=13,
    count=lambda user: missed_recently(user).count(), items=lambda user, limit: _items(missed_recently(user), limit),
    url_name="risks:my-tasks", query="state=missed", permission=PERFORM, condition=_is_enterprise_user))
