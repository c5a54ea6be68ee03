"""The work areas' to-dos on the workbench (我的待办), registered in WorkAreasConfig.ready().

- The enterprise: certificates expired, overdue for review or in their application window (30号令 Art. 21–22,
  44号令 Art. 25), the most pressing deadline first; and high-risk work areas with more people in the ledger than
  their maximum.
- The supervisors: the enterprises in their scope with certificates needing attention, with how many each.

Each provider counts in one query and lists its first items in one more, whatever the ledger's size."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.choices import Role
from shouye.accounts.models import User
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .filters import ATTENTION


def is_enterprise_user(user) -> bool:
    return user.has_role(Role.ENTERPRISE_USER)


def _certificate_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    rows = selectors.certificates_needing_attention(user, today)[:limit]
    return [TodoItem(title=f"{c.worker.name} · {c.get_kind_display()} {c.number}",
                     url=reverse("workareas:worker", kwargs={"pk": c.worker_id}),
                     detail=c.get_flag_display(today), due=c.apply_by, overdue=c.apply_by < today)
            for c in rows]


def _area_items(user, limit: int) -> list[TodoItem]:
    rows = selectors.over_capacity(user).order_by("name", "id")[:limit]
    return [TodoItem(title=area.name, url=reverse("workareas:detail", kwargs={"pk": area.pk}),
                     detail=_("%(people)d people in the ledger, at most %(max)d allowed")
                     % {"people": area.people, "max": area.max_people}, overdue=True)
            for area in rows]


def _enterprise_items(user, limit: int) -> list[TodoItem]:
    rows = selectors.enterprises_needing_attention(user, timezone.localdate())[:limit]
    ledger = reverse("workareas:workers")
    return [TodoItem(title=row["worker__enterprise__name"],
                     url=f"{ledger}?enterprise={row['worker__enterprise_id']}&certificate={ATTENTION}",
                     detail=_("%(count)d certificates to renew or review") % {"count": row["count"]})
            for row in rows]


todo_providers.register(TodoProvider(
    key="workareas-certificates", label=gettext_lazy("Certificates to renew or review"), order=60,
    count=lambda user: selectors.certificates_needing_attention(user, timezone.localdate()).count(),
    items=_certificate_items, url_name="workareas:workers", query=f"certificate={ATTENTION}",
    permission="workareas.change_worker", condition=is_enterprise_user))
todo_providers.register(TodoProvider(
    key="workareas-over-capacity", label=gettext_lazy("High-risk work areas over capacity"), order=61,
    count=lambda user: selectors.over_capacity(user).count(), items=_area_items, url_name="workareas:list",
    query="over_capacity=true", permission="workareas.change_workarea", condition=is_enterprise_user))
todo_providers.register(TodoProvider(
    key="workareas-enterprise-certificates", label=gettext_lazy("Enterprises with certificates to renew or review"),
    order=62, count=lambda user: selectors.enterprises_needing_attention(user, timezone.localdate()).count(),
    items=_enterprise_items, url_name="workareas:workers", query=f"certificate={ATTENTION}",
    permission="workareas.view_worker", condition=User.supervises))
