"""The notifications' demo step (``shouye demo``, registered in NotificationsConfig.ready()), last of all: the
notifications the other steps' acts sent are there already; people have read those older than a fortnight,
through the same service as opening them, so the unread count in the bar is a recent queue rather than a
year of messages."""

from __future__ import annotations

from datetime import time, timedelta

from shouye.core.demo import moment

from .models import Notification
from .services import mark_read

#: Notifications older than this are read by the time of the demo's today.
READ_AFTER = timedelta(days=14)


def read_old_notifications(context) -> dict[str, int]:
    cutoff = moment(context.today - READ_AFTER, time(8, 0))
    users = {user.pk: user for user in context.accounts.values()}
    old = Notification.objects.filter(created_at__lt=cutoff, read_at__isnull=True, recipient__in=users)
    read = 0
    with context.at(cutoff):
        for recipient in sorted(set(old.values_list("recipient", flat=True))):
            ids = list(old.filter(recipient=recipient).values_list("pk", flat=True))
            read += mark_read(user=users[recipient], notification_ids=ids)
    return {"notifications": Notification.objects.count(), "read": read,
            "unread": Notification.objects.filter(read_at__isnull=True).count()}
