"""Sending in-app notifications. Callers schedule them with transaction.on_commit so a rolled-back act
sends nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipients: Iterable, verb: str, title: str, body: str = "", link: str = "",
           dedupe_key: str = "") -> int:
    """Create one notification per distinct recipient; with a dedupe_key, users who already had it are
    skipped. Returns how many were created."""
    users = {user.pk: user for user in recipients if user is not None}
    if not users:
        return 0
    with transaction.atomic():
        if dedupe_key:
            already = set(Notification.objects.filter(recipient_id__in=users, dedupe_key=dedupe_key)
                          .values_list("recipient_id", flat=True))
            users = {pk: u for pk, u in users.items() if pk not in already}
        Notification.objects.bulk_create([
            Notification(recipient_id=pk, verb=verb, title=title[:200], body=body, link=link, dedupe_key=dedupe_key)
            for pk in users
        ])
    return len(users)


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
