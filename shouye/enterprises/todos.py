"""The registry's to-do on the workbench (我的待办, issue 10), registered in EnterprisesConfig.ready(): an enterprise
user's licences expired or expiring within SHOUYE_LICENCE_WARNING_DAYS, soonest first (the same horizon as the
home page's licence warnings, selectors.licence_warnings). One query for the count, one for the items."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.accounts.choices import Role
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from .models import Licence


def expiring_licences(user, today: date | None = None):
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.SHOUYE_LICENCE_WARNING_DAYS)
    return Licence.objects.visible_to(user).filter(valid_to__lte=horizon).order_by("valid_to", "id")


def _licence_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    rows = expiring_licences(user, today).select_related("enterprise")[:limit]
    return [TodoItem(title=f"{licence.get_kind_display()} {licence.number}",
                     url=reverse("enterprises:detail", kwargs={"pk": licence.enterprise_id}),
                     detail=licence.enterprise.name, due=licence.valid_to, overdue=licence.valid_to < today)
            for licence in rows]


todo_providers.register(TodoProvider(
    key="licences-expiring", label=gettext_lazy("Licences expiring"), order=70,
    count=lambda user: expiring_licences(user).count(), items=_licence_items,
    permission="enterprises.view_enterprise", condition=lambda user: user.has_role(Role.ENTERPRISE_USER)))
