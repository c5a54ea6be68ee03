"""The installations' to-dos on the workbench: overdue responsible-person duties (the enterprise and its
supervisors), safety assessments due within SHOUYE_MHI_ASSESSMENT_WARNING_DAYS (both), and identified major
hazard installations not yet filed (the supervisors). Each reads through ``visible_to`` in one query: the
overdue duties are the missed or late instances of the responsible persons' investigation tasks
(shouye.major_hazards.duties)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.models import User
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import duties, selectors
from .workflow import VIEW


def _detail(pk: int) -> str:
    return reverse("major_hazards:detail", kwargs={"pk": pk})


def _duty_items(user, limit: int) -> list[TodoItem]:
    items = []
    for instance in selectors.most_overdue_duties(user, limit):
        person = instance.task.duty.person
        items.append(TodoItem(
            title=_("%(role)s %(name)s: duty %(number)d") % {
                "role": person.get_role_display(), "name": person.name, "number": instance.task.task_number},
            url=_detail(person.installation_id),
            detail=f"{instance.enterprise.name} · {person.installation.name}",
            due=duties.due_day(instance.due_by), overdue=True))
    return items


def _installation_items(queryset, limit: int, due_field: str | None = None) -> list[TodoItem]:
    today = timezone.localdate()
    rows = queryset.select_related(None).select_related("enterprise").only(
        "pk", "name", "next_assessment_due", "enterprise__name")[:limit]
    return [TodoItem(title=row.name, url=_detail(row.pk), detail=row.enterprise.name,
                     due=getattr(row, due_field) if due_field else None,
                     overdue=bool(due_field and getattr(row, due_field) and getattr(row, due_field) < today))
            for row in rows]


todo_providers.register(TodoProvider(
    key="major-hazards-overdue-duties", label=gettext_lazy("Overdue responsible-person duties"), order=70,
    count=lambda user: selectors.overdue_duty_count(user), items=_duty_items, url_name="major_hazards:list",
    permission=VIEW))
todo_providers.register(TodoProvider(
    key="major-hazards-assessments", label=gettext_lazy("Safety assessments of major hazard installations due"),
    order=71, count=lambda user: selectors.assessments_due(user).count(),
    items=lambda user, limit: _installation_items(selectors.assessments_due(user), limit, "next_assessment_due"),
    url_name="major_hazards:list", query="sort=due", permission=VIEW))
todo_providers.register(TodoProvider(
    key="major-hazards-filings", label=gettext_lazy("Major hazard installations to be filed"), order=72,
    count=lambda user: selectors.filings_due(user).count(),
    items=lambda user, limit: _installation_items(selectors.filings_due(user), limit),
    url_name="major_hazards:list", query="state=draft&is_major=true", permission=VIEW,
    condition=User.supervises))
