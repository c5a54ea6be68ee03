"""The workbench's to-dos of plans and drills, for the enterprise and the township: plans overdue (not filed within 20 working days, evaluation or their own drill past due) and units
whose "any drill" clock has run out. Each reads through ``visible_to``: one query for the count, one for the
items."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .choices import PlanState
from .permissions import VIEW


def _keeps_plans(user) -> bool:
    """The enterprise's users and the township officers (the issue's "workbench of the enterprise and the
    township"); the bureau reads the statistics."""
    return user.has_role("enterprise_user", "township_officer")


def _why(plan, today) -> tuple[str, object]:
    """What is overdue first: the filing, the evaluation, the plan's own drill."""
    if plan.state == PlanState.PUBLISHED and plan.filing_due_on and plan.filing_due_on < today:
        return _("Filing overdue"), plan.filing_due_on
    if plan.evaluation_due_on and plan.evaluation_due_on < today:
        return _("Evaluation overdue"), plan.evaluation_due_on
    return _("Drill overdue"), plan.drill_due_on


def _plan_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    items = []
    for plan in selectors.overdue_plans(user, today).order_by("id")[:limit]:
        why, due = _why(plan, today)
        items.append(TodoItem(title=f"{plan.title}（V{plan.version}）",
                              url=reverse("plans:detail", kwargs={"pk": plan.pk}),
                              detail=f"{plan.unit.name} · {why}", due=due, overdue=True))
    return items


def _unit_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=unit.name, url=reverse("plans:unit", kwargs={"pk": unit.pk}),
                     detail=_("No drill within the required period"), due=unit.any_drill_due_on, overdue=True)
            for unit in selectors.overdue_units(user).order_by("any_drill_due_on", "id")[:limit]]


todo_providers.register(TodoProvider(
    key="plans-overdue", label=gettext_lazy("Emergency plans overdue"), order=80,
    count=lambda user: selectors.overdue_plans(user).count(), items=_plan_items, url_name="plans:list",
    query="overdue=true", permission=VIEW, condition=_keeps_plans))
todo_providers.register(TodoProvider(
    key="plans-drills-overdue", label=gettext_lazy("Drills overdue"), order=81,
    count=lambda user: selectors.overdue_units(user).count(), items=_unit_items, url_name="plans:drills",
    permission=VIEW, condition=_keeps_plans))
