"""The daily deadline job: overdue marks, escalation to the bureau and reminders before a deadline."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.notifications.services import notify

from ..choices import HazardState
from ..models import Hazard
from .common import bureau_staff, enterprise_users, hazard_link, summary_of, township_officers


def mark_overdue_and_notify(*, today: date) -> dict:
    """The daily job. Idempotent: run twice on the same day, it marks, escalates and notifies nothing new.

    - marks hazards past their deadline and not rectified with ``overdue_since`` and tells the enterprise's
      users and the township's officers in-app;
    - escalates to the bureau staff those overdue SHOUYE_HAZARD_ESCALATE_AFTER_DAYS days or more
      (``escalated_at``);
    - reminds the enterprise's users of deadlines in the next SHOUYE_HAZARD_REMINDER_DAYS days (issue 3:
      three days before).
    Notifications carry a dedupe key per hazard and deadline, so a new deadline after an extension is
    watched afresh. One audit event per run that changed something."""
    now = timezone.now()
    escalate_by = today - timedelta(days=settings.SHOUYE_HAZARD_ESCALATE_AFTER_DAYS)
    with transaction.atomic():
        overdue = Hazard.objects.overdue(today)
        newly_overdue = list(overdue.filter(overdue_since__isnull=True).values_list("pk", flat=True))
        Hazard.objects.filter(pk__in=newly_overdue).update(overdue_since=today)
        to_escalate = list(overdue.filter(deadline__lte=escalate_by, escalated_at__isnull=True)
                           .values_list("pk", flat=True))
        Hazard.objects.filter(pk__in=to_escalate).update(escalated_at=now)
        if newly_overdue or to_escalate:
            audit.record(actor=None, actor_name="system", verb="hazard.mark-overdue",
                         changes={"today": today.isoformat(), "overdue": newly_overdue, "escalated": to_escalate})
    counts = {"overdue": len(newly_overdue), "escalated": len(to_escalate), "notifications": 0, "reminded": 0}
    people: dict[tuple[str, int], list] = {}

    def of_enterprise(enterprise_id):
        return people.setdefault(("enterprise", enterprise_id), list(enterprise_users(enterprise_id)))

    def of_township(township_id):
        return people.setdefault(("township", township_id), list(township_officers(township_id)))

    staff = list(bureau_staff())
    fields = ("pk", "deadline", "description", "escalated_at", "enterprise__name", "township")
    for hazard in Hazard.objects.overdue(today).select_related("enterprise").only(*fields).order_by("pk"):
        days = (today - hazard.deadline).days
        summary = {"days": days, "summary": summary_of(hazard)}
        counts["notifications"] += notify(
            recipients=[*of_enterprise(hazard.enterprise_id), *of_township(hazard.township_id)],
            verb="hazard.overdue", title=_("Overdue by %(days)d days: %(summary)s") % summary,
            link=hazard_link(hazard.pk), dedupe_key=f"hazard-overdue:{hazard.pk}:{hazard.deadline}")
        if hazard.escalated_at is not None:
            counts["notifications"] += notify(
                recipients=staff, verb="hazard.escalated", link=hazard_link(hazard.pk),
                title=_("Escalated, overdue by %(days)d days: %(summary)s") % summary,
                dedupe_key=f"hazard-escalated:{hazard.pk}:{hazard.deadline}")
    horizon = today + timedelta(days=settings.SHOUYE_HAZARD_REMINDER_DAYS)
    due_soon = (Hazard.objects.filter(state=HazardState.RECTIFYING, deadline__gte=today, deadline__lte=horizon)
                .select_related("enterprise").only(*fields).order_by("pk"))
    for hazard in due_soon:
        sent = notify(recipients=of_enterprise(hazard.enterprise_id), verb="hazard.deadline_soon",
                      title=_("Deadline %(deadline)s: %(summary)s") % {"deadline": hazard.deadline.isoformat(),
                                                                       "summary": summary_of(hazard)},
                      link=hazard_link(hazard.pk), dedupe_key=f"hazard-reminder:{hazard.pk}:{hazard.deadline}")
        counts["reminded"] += bool(sent)
        counts["notifications"] += sent
    return counts
