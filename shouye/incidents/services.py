"""The incident's acts. Each runs in one transaction, locks the incident's row before changing it, checks scope
and the workflow, writes one timeline entry and one audit event (ARCHITECTURE.md §4)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core.moments import ensure_not_before_2000
from shouye.notifications.services import notify
from shouye.regions.scoping import ensure_in_scope, scope_for
from shouye.rules.accidents import accident_grade
from shouye.rules.incidents import forest_fire

from . import clocks as clock_rules
from .choices import ClockState, EntryKind, Grade, IncidentKind, IncidentState
from .models import Incident, IncidentClock, TimelineEntry
from .workflow import WORKFLOW

#: What an update of the situation may change (casualties, loss and the Art. 29 narrative).
SITUATION_FIELDS = ("deaths", "missing", "serious_injuries", "direct_loss_yuan", "burnt_area_ha",
                    "threatens_residential", "scope_of_impact", "development", "handling")
#: The figures the grade depends on: a change re-grades the incident and recomputes its clocks.
GRADING_FIELDS = ("deaths", "serious_injuries", "direct_loss_yuan", "burnt_area_ha", "threatens_residential")


def _lock(actor, incident: Incident, action: str) -> Incident:
    """Lock the row, then: out of scope (404), not permitted (403), not in this state (409)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    ensure_in_scope(actor, incident)
    WORKFLOW.ensure_may(actor, incident, action)
    return incident


def _moment(value: datetime | None, field: str, label: str, now: datetime) -> datetime:
    """A time entered by a person: now when omitted, never in the future nor before 2000."""
    if value is None:
        return now
    if value > now:
        raise ValidationError({field: _("%(label)s cannot be in the future.") % {"label": label}})
    ensure_not_before_2000(value, field, label)
    return value


def grade_incident(incident: Incident) -> None:
    """Set the grade: forest fires by 森林防火条例 Art. 40 (and Art. 32's national report), everything else by
    493号令 Art. 3 (deaths, serious injuries, direct loss)."""
    if incident.kind == IncidentKind.FOREST_FIRE:
        hours = Decimal((timezone.now() - incident.occurred_at).total_seconds()) / 3600 \
            if incident.state != IncidentState.CLOSED else None
        result = forest_fire(incident.burnt_area_ha, incident.deaths, incident.serious_injuries, hours,
                             incident.threatens_residential)
        incident.report_to_national = result.report_to_national
    else:
        result = accident_grade(incident.deaths, incident.serious_injuries, incident.direct_loss_yuan)
        incident.report_to_national = False
    incident.grade, incident.grade_basis = result.grade, result.basis


def sync_clocks(incident: Incident, now: datetime) -> dict:
    """Bring the clocks in line with the incident's grade: new ones open, changed ones move, those no longer
    due go; a clock already met keeps its time and state. Returns what changed (for the audit event)."""
    planned = {c.kind: c for c in clock_rules.planned_clocks(incident)}
    existing = {c.kind: c for c in incident.clocks.all()}
    changes: dict[str, list] = {"added": [], "moved": [], "removed": []}
    for kind, clock in existing.items():
        if kind not in planned and clock.state != ClockState.MET and clock.met_at is None:
            clock.delete()
            changes["removed"].append(kind)
    for kind, plan in planned.items():
        clock = existing.get(kind)
        if clock is None:
            IncidentClock.objects.create(incident=incident, kind=kind, due_at=plan.due_at, basis=plan.basis,
                                         state=ClockState.OPEN if plan.due_at > now else ClockState.MISSED)
            changes["added"].append(kind)
        elif clock.met_at is None and (clock.due_at != plan.due_at or clock.basis != plan.basis):
            clock.due_at, clock.basis, clock.warned_at = plan.due_at, plan.basis, None
            clock.state = ClockState.OPEN if plan.due_at > now else ClockState.MISSED
            clock.save(update_fields=["due_at", "basis", "warned_at", "state"])
            changes["moved"].append(kind)
    return {key: value for key, value in changes.items() if value}


def _entry(incident, actor, kind, text, at, **extra) -> TimelineEntry:
    return TimelineEntry.objects.create(incident=incident, author=actor, kind=kind, text=text, at=at, **extra)


def _admitted(actor, *, township_id, enterprise) -> None:
    """An incident the actor takes must fall within the actor's own scope (it would otherwise vanish)."""
    if not scope_for(actor).admits(region_id=township_id, enterprise_id=getattr(enterprise, "pk", None),
                                   industry_id=getattr(enterprise, "industry_id", None)):
        raise ValidationError({"township": _("This township is outside your jurisdiction.")})


@transaction.atomic
def report_incident(*, actor, title: str, kind: str, occurred_at: datetime, place: str, source: str,
                    township=None, enterprise=None, received_at: datetime | None = None, **details) -> Incident:
    """Take an incident (接报) with Art. 29's contents, grade it and start its clocks."""
    if not actor.has_perm("incidents.record_incident"):
        raise PermissionDenied
    now = timezone.now()
    received = _moment(received_at, "received_at", _("The time received"), now)
    occurred = _moment(occurred_at, "occurred_at", _("The time of the incident"), now)
    if occurred > received:
        raise ValidationError({"occurred_at": _("The incident cannot happen after it was received.")})
    if enterprise is None and township is None:
        raise ValidationError({"township": _("Name the township, or the enterprise where it happened.")})
    if not (details.get("latitude") is None) == (details.get("longitude") is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    incident = Incident(title=title, kind=kind, occurred_at=occurred, received_at=received, place=place,
                        source=source, created_by=actor, **details)
    if enterprise is not None:
        incident.stamp_from(enterprise)
    else:
        incident.township = township
    _admitted(actor, township_id=incident.township_id, enterprise=enterprise)
    grade_incident(incident)
    incident.full_clean(exclude=["enterprise", "township", "industry", "created_by", "grade_basis"])
    incident.save()
    added = sync_clocks(incident, now)
    _entry(incident, actor, EntryKind.INTAKE, _("Received: %(title)s (%(grade)s).") % {
        "title": title, "grade": incident.get_grade_display()}, received)
    audit.record(actor=actor, verb="incident.report", target=incident,
                 changes={"grade": incident.grade, "kind": kind, "clocks": added.get("added", [])})
    return incident


@transaction.atomic
def update_situation(*, actor, incident: Incident, at: datetime | None = None, note: str = "",
                     **changes) -> Incident:
    """Casualties, loss and the narrative change (续报's content): re-grade and recompute the clocks, keeping
    those met. Audited with what changed and the grade before and after."""
    incident = _lock(actor, incident, "situation")
    now = timezone.now()
    moment = _moment(at, "at", _("The time"), now)
    before = {name: getattr(incident, name) for name in SITUATION_FIELDS}
    for name, value in changes.items():
        if name in SITUATION_FIELDS and value is not None:
            setattr(incident, name, value)
    after = {name: getattr(incident, name) for name in SITUATION_FIELDS}
    diff = {name: [str(before[name]), str(after[name])] for name in SITUATION_FIELDS if before[name] != after[name]}
    if not diff and not note:
        raise ValidationError({"note": _("Nothing changed: enter new figures or a note.")})
    old_grade = incident.grade
    grade_incident(incident)
    incident.save()
    clock_changes = sync_clocks(incident, now) if incident.grade != old_grade else {}
    lines = [f"{Incident._meta.get_field(name).verbose_name}: {old} → {new}" for name, (old, new) in diff.items()]
    if incident.grade != old_grade:
        lines.append(_("Grade: %(old)s → %(new)s") % {"old": _grade_label(old_grade),
                                                      "new": incident.get_grade_display()})
    if note:
        lines.append(note)
    _entry(incident, actor, EntryKind.CASUALTY, "；".join(str(line) for line in lines), moment)
    audit.record(actor=actor, verb="incident.update", target=incident,
                 changes={**diff, "grade": [old_grade, incident.grade], **clock_changes}, note=note)
    return incident


def _grade_label(grade: str) -> str:
    return str(Grade(grade).label)


@transaction.atomic
def add_entry(*, actor, incident: Incident, kind: str, text: str, at: datetime | None = None) -> TimelineEntry:
    """A call, decision, task or note on the timeline."""
    incident = _lock(actor, incident, "entry")
    entry = _entry(incident, actor, kind, text, _moment(at, "at", _("The time"), timezone.now()))
    audit.record(actor=actor, verb="incident.entry", target=incident, changes={"kind": kind, "entry": entry.pk})
    return entry


@transaction.atomic
def record_report(*, actor, incident: Incident, report_kind: str, recipient: str, text: str,
                  clocks: list[str] = (), sent_at: datetime | None = None) -> TimelineEntry:
    """A report sent (快报/续报/终报): what, to whom, when; the clocks it answers are met (or, sent after their
    due time, recorded as missed with the time it was sent)."""
    incident = _lock(actor, incident, "report")
    now = timezone.now()
    sent = _moment(sent_at, "sent_at", _("The time sent"), now)
    if sent < incident.occurred_at:
        raise ValidationError({"sent_at": _("A report cannot be sent before the incident happened.")})
    rows = {c.kind: c for c in incident.clocks.select_for_update().filter(kind__in=list(clocks))}
    unknown = [kind for kind in clocks if kind not in rows or rows[kind].met_at is not None]
    if unknown:
        raise ValidationError({"clocks": _("These clocks are not open on this incident: %(kinds)s") % {
            "kinds": "、".join(unknown)}})
    for clock in rows.values():
        clock.met_at = sent
        clock.state = ClockState.MET if sent <= clock.due_at else ClockState.MISSED
        clock.save(update_fields=["met_at", "state"])
    entry = _entry(incident, actor, EntryKind.REPORT, text, sent, report_kind=report_kind, recipient=recipient)
    audit.record(actor=actor, verb="incident.report-sent", target=incident,
                 changes={"report_kind": report_kind, "recipient": recipient,
                          "clocks": {kind: rows[kind].state for kind in rows}})
    return entry


@transaction.atomic
def set_command_post(*, actor, incident: Incident, command_post: str, commander: str) -> Incident:
    """The on-site command post and its commander: the response is under way."""
    incident = _lock(actor, incident, "command-post")
    incident.command_post, incident.commander = command_post, commander
    incident.state = IncidentState.RESPONDING
    incident.save(update_fields=["command_post", "commander", "state"])
    _entry(incident, actor, EntryKind.COMMAND, _("Command post: %(post)s; commander: %(commander)s") % {
        "post": command_post, "commander": commander}, timezone.now())
    audit.record(actor=actor, verb="incident.command-post", target=incident,
                 changes={"command_post": command_post, "commander": commander})
    return incident


@transaction.atomic
def close_incident(*, actor, incident: Incident, summary: str) -> Incident:
    """Close the response with its summary; reports (终报) and the investigation clock go on."""
    incident = _lock(actor, incident, "close")
    now = timezone.now()
    incident.state, incident.summary, incident.closed_at = IncidentState.CLOSED, summary, now
    incident.save(update_fields=["state", "summary", "closed_at"])
    _entry(incident, actor, EntryKind.CLOSE, summary, now)
    audit.record(actor=actor, verb="incident.close", target=incident, changes={"summary": summary})
    return incident


def mark_missed_clocks(now: datetime | None = None) -> int:
    """The scheduled job: open clocks past their due time become missed (one audit event each). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        overdue = list(IncidentClock.objects.select_for_update().select_related("incident")
                       .filter(state=ClockState.OPEN, due_at__lte=now))
        for clock in overdue:
            clock.state = ClockState.MISSED
            clock.save(update_fields=["state"])
        audit.record_many(actor=None, actor_name="system", events=[
            ("incident.clock-missed", clock.incident, {"clock": clock.kind, "due_at": clock.due_at}, "")
            for clock in overdue])
    return len(overdue)


def warn_clocks(now: datetime | None = None) -> int:
    """The scheduled job: tell the bureau's duty staff (and the incident's township officers) about each open
    clock about to run out, once per clock."""
    now = now or timezone.now()
    warned = 0
    with transaction.atomic():
        due = [clock for clock in IncidentClock.objects.select_for_update().select_related("incident")
               .filter(state=ClockState.OPEN, warned_at__isnull=True, due_at__gt=now)
               if clock.due_at - clock_rules.warn_before(clock.kind) <= now]
        for clock in due:
            incident = clock.incident
            recipients = [*users_with_role(Role.BUREAU_STAFF), *users_with_role(Role.BUREAU_ADMIN)]
            minutes = int((clock.due_at - now).total_seconds() // 60)
            notify(recipients=recipients, verb="incident.clock", dedupe_key=f"incident-clock-{clock.pk}",
                   title=_("%(incident)s: %(clock)s due in %(minutes)s min") % {
                       "incident": incident.title, "clock": clock.get_kind_display(), "minutes": minutes},
                   body=clock.basis, link=reverse("incidents:detail", kwargs={"pk": incident.pk}))
            clock.warned_at = now
            clock.save(update_fields=["warned_at"])
            warned += 1
    return warned

