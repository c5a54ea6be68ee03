"""The duty app's to-dos: swaps waiting for a leader's approval, a handover waiting for the incoming shift, the
month's roster a township or key enterprise has not filed, and information reports whose follow-up (续报) is
due. Each reads through the duty selectors: one query for the count, one for the items (three for the
handovers: the pending shifts, the user's next shifts, the handovers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .permissions import APPROVE_SWAP, KEEP_LOG, MANAGE


def _swap_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=f"{swap.requested_by} ⇄ {swap.colleague}",
                     url=reverse("duty:swap", kwargs={"pk": swap.pk}),
                     detail=f"{swap.mine.day:%m-%d} ⇄ {swap.theirs.day:%m-%d} · {swap.reason}")
            for swap in selectors.swaps_to_approve(user).order_by("created_at", "id")[:limit]]


def _handover_items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=_("Handover of the shift of %(day)s") % {"day": handover.shift_day.isoformat()},
                     url=reverse("duty:handover", kwargs={"pk": handover.pk}),
                     detail=str(handover.handed_over_by))
            for handover in selectors.handovers_to_acknowledge(user).order_by("shift_day")[:limit]]


def _unfiled_items(user, limit: int) -> list[TodoItem]:
    today = timezone.localdate()
    return [TodoItem(title=unit["name"], url=reverse("duty:roster-create"),
                     detail=_("The roster of %(year)d-%(month)02d is not filed") % {"year": today.year,
                                                                                      "month": today.month})
            for unit in selectors.own_units_not_filed(user, today.year, today.month)[:limit]]


def _follow_up_items(user, limit: int) -> list[TodoItem]:
    now = timezone.now()
    items = []
    for entry in selectors.follow_ups_due(user).order_by("occurred_at", "id")[:limit]:
        due = entry.occurred_at + selectors.FOLLOW_UP_EVERY
        items.append(TodoItem(title=entry.reference or entry.counterpart,
                              url=reverse("duty:entry", kwargs={"pk": entry.pk}),
                              detail=f"{entry.get_report_stage_display()} · {entry.content[:40]}",
                              due=timezone.localtime(due).date(), overdue=due < now))
    return items


def _this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


todo_providers.register(TodoProvider(
    key="duty-swaps-to-approve", label=gettext_lazy("Shift swaps to approve"), order=14,
    count=lambda user: selectors.swaps_to_approve(user).count(), items=_swap_items, url_name="duty:swaps",
    query="state=agreed", permission=APPROVE_SWAP))
todo_providers.register(TodoProvider(
    key="duty-handovers", label=gettext_lazy("Handovers to acknowledge"), order=15,
    count=lambda user: selectors.handovers_to_acknowledge(user).count(), items=_handover_items,
    url_name="duty:log", permission=KEEP_LOG))
todo_providers.register(TodoProvider(
    key="duty-rosters-not-filed", label=gettext_lazy("Duty rosters to file"), order=16,
    count=lambda user: len(selectors.own_units_not_filed(user, *_this_month())), items=_unfiled_items,
    url_name="duty:rosters", permission=MANAGE,
    condition=lambda user: user.has_role("township_officer", "enterprise_user")))
todo_providers.register(TodoProvider(
    key="duty-follow-ups", label=gettext_lazy("Follow-up reports due"), order=17,
    count=lambda user: selectors.follow_ups_due(user).count(), items=_follow_up_items, url_name="duty:log",
    query="state=open", permission=KEEP_LOG))
