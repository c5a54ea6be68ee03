"""Unread notifications as a to-do on the workbench (我的待办, issue 10), registered in
NotificationsConfig.ready(). Each item opens the notification (which marks it read) and leads to its object. The
navigation bar's to-do total leaves them out: the bell beside it shows their own count."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from .models import Notification


def unread(user):
    return Notification.objects.for_user(user).unread().order_by("-created_at", "-id")


def _items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=notification.title, url=reverse("notifications:open", kwargs={"pk": notification.pk}),
                     detail=timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M"))
            for notification in unread(user).only("pk", "title", "created_at")[:limit]]


todo_providers.register(TodoProvider(
    key="notifications-unread", label=gettext_lazy("Unread notifications"), order=90,
    count=lambda user: unread(user).count(), items=_items, url_name="notifications:list", in_total=False))
