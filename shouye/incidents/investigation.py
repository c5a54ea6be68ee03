"""The extension of the investigation report (调查报告延期): 493号令 Art. 29 gives the investigation 60 days from
the accident and lets the government that set it up extend them by at most 60 days in total (the rule
``investigation-report-due``). The extension moves the investigation clock's due date."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.rules.data.incidents import MAX_EXTENSION_DAYS
from shouye.rules.errors import RuleInputError
from shouye.rules.incidents import investigation_report_due

from .choices import ClockKind, ClockState, EntryKind
from .clocks import SHANGHAI
from .models import Incident, IncidentClock, TimelineEntry
from .services import _lock, sync_clocks


@transaction.atomic
def extend_investigation(*, actor, incident: Incident, days: int, reason: str) -> IncidentClock:
    """Extend the investigation report by ``days`` (1–60, at most 60 in all, Art. 29), with the reason: the
    investigation clock moves, a timeline entry and an audit event say by how much and why."""
    incident = _lock(actor, incident, "extend-investigation")
    clock = IncidentClock.objects.select_for_update().filter(incident=incident,
                                                             kind=ClockKind.INVESTIGATION).first()
    if clock is None:
        raise ValidationError({"days": _("This incident has no investigation report clock (only production "
                                         "safety accidents have one).")})
    if clock.met_at is not None:
        raise ValidationError({"days": _("The investigation report has already been submitted.")})
    if clock.state == ClockState.MISSED:
        raise ValidationError({"days": _("The investigation report's due date has already passed: an extension "
                                         "must be granted before it.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    used = incident.investigation_extension_days
    if days < 1:
        raise ValidationError({"days": _("Extend by at least one day.")})
    try:
        due = investigation_report_due(incident.occurred_at.astimezone(SHANGHAI).date(), used + days)
    except RuleInputError:
        raise ValidationError({"days": _(
            "The investigation report may be extended by at most %(max)s days in all; %(used)s days are already "
            "granted, so at most %(left)s more.") % {"max": MAX_EXTENSION_DAYS, "used": used,
                                                     "left": MAX_EXTENSION_DAYS - used}}) from None
    old_due = clock.due_at
    incident.investigation_extension_days = used + days
    incident.save(update_fields=["investigation_extension_days"])
    now = timezone.now()
    sync_clocks(incident, now)
    clock.refresh_from_db()
    TimelineEntry.objects.create(
        incident=incident, author=actor, kind=EntryKind.EXTENSION, at=now,
        text=_("Investigation report extended by %(days)s days (%(total)s in all), due %(due)s: %(reason)s") % {
            "days": days, "total": used + days, "due": due.due_on.isoformat(), "reason": reason})
    audit.record(actor=actor, verb="incident.investigation-extend", target=incident, note=reason,
                 changes={"extension_days": [used, used + days],
                          "due_at": [old_due.isoformat(), clock.due_at.isoformat()]})
    return clock
