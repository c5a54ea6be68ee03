"""Duty services: each one transaction, the row locked for a state change, one audit event."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core.moments import ensure_not_before_2000
from shouye.enterprises.stamps import locked_for_stamping
from shouye.regions.scoping import scope_for
from shouye.rules.duty_days import reinforced_days
from shouye.rules.errors import RuleInputError
from shouye.workcalendar.selectors import work_calendar

from . import selectors
from .choices import AssignmentReason, EntryState, ReportStage, RosterState, UnitKind
from .models import Assignment, DutyLeave, Handover, LogEntry, Roster, SwapRequest
from .permissions import MANAGE, SETUP
from .workflow import ENTRY, HANDOVER, ROSTER, SWAP


def _person_name(user) -> str:
    return user.display_name or user.username


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# --- rosters ------------------------------------------------------------------------------------------


@transaction.atomic
def create_roster(*, actor, unit_kind: str, year: int, month: int, township=None, enterprise=None,
                  duty_phone: str = "") -> Roster:
    """A draft roster of the actor's own unit for a month: the bureau's (district-wide roles), a township's
    (its officer) or an enterprise's (its user, stamped). One per unit and month."""
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))
    scope = scope_for(actor)
    roster = Roster(unit_kind=unit_kind, year=year, month=month, duty_phone=duty_phone, created_by=actor)
    if unit_kind == UnitKind.BUREAU:
        allowed = scope.everything
    elif unit_kind == UnitKind.TOWNSHIP:
        allowed = township is not None and township.pk in scope.region_ids
        roster.township = township
    else:
        allowed = enterprise is not None and enterprise.pk in scope.enterprise_ids
        if allowed:
            locked = locked_for_stamping(type(enterprise).objects.filter(pk=enterprise.pk)).get()
            roster.enterprise, roster.township_id, roster.industry_id = locked, locked.township_id, locked.industry_id
    if not allowed:
        raise ValidationError({"unit_kind": _("Unit: you draw up rosters for your own unit only.")})
    same_unit = {UnitKind.BUREAU: {}, UnitKind.TOWNSHIP: {"township": roster.township},
                 UnitKind.ENTERPRISE: {"enterprise": roster.enterprise}}[unit_kind]
    if Roster.objects.filter(unit_kind=unit_kind, year=year, month=month, **same_unit).exists():
        raise ValidationError({"month": _("Month: your unit already has a roster for this month.")})
    roster.save()
    audit.record(actor=actor, verb="duty.roster-create", target=roster,
                 changes={"unit": unit_kind, "month": f"{year}-{month:02d}"})
    return roster


def day_marks(roster: Roster) -> dict[date, str]:
    """The month's reinforced days and why (holiday, eve, day after), from the work calendar and the
    bureau's settings; a month of a year the calendar does not hold is refused with the calendar's message."""
    days = selectors.month_days(roster.year, roster.month)
    setup = selectors.setup()
    try:
        return reinforced_days(work_calendar(), days[0], days[-1], eve=setup.reinforce_eve,
                               day_after=setup.reinforce_day_after)
    except RuleInputError as exc:
        raise ValidationError({"month": str(exc)}) from exc


def _leave_days(first: date, last: date) -> dict[int, list[DutyLeave]]:
    by_user = defaultdict(list)
    for leave in selectors.leaves_overlapping(first, last):
        by_user[leave.user_id].append(leave)
    return by_user


def _on_leave(leaves: dict[int, list[DutyLeave]], user_id: int | None, day: date) -> bool:
    return any(leave.first_day <= day <= leave.last_day for leave in leaves.get(user_id, ()))


class _Person(NamedTuple):
    """One person of a rotation: a bureau user, or a township's or enterprise's person by name and phone."""

    user: object
    name: str
    phone: str

    @property
    def key(self):
        return self.user.pk if self.user is not None else self.name


def _bureau_rotation(position) -> list[_Person]:
    return [_Person(m.user, _person_name(m.user), m.user.phone) for m in selectors.rotation(position)]


def _unit_rotation(roster: Roster, people) -> dict[int, list[_Person]]:
    """A township's or enterprise's people by position: those given, else those of the unit's previous
    month (in the order they first served), so a unit enters its people once."""
    if not people:
        people = [{"position": row.position, "name": row.name, "phone": row.phone}
                  for row in selectors.unit_previous_month(roster)]
    if not people:
        raise ValidationError({"people": _("People: give your unit's people on duty, one per line "
                                           "(position, name, phone).")})
    by_position: dict[int, list[_Person]] = defaultdict(list)
    for row in people:
        person = _Person(None, row["name"].strip(), row.get("phone", "").strip())
        if not person.name:
            raise ValidationError({"people": _("People: every line needs the person's name.")})
        if person not in by_position[row["position"].pk]:
            by_position[row["position"].pk].append(person)
    return by_position


@transaction.atomic
def generate_roster(*, actor, roster: Roster, people=None) -> dict[str, int]:
    """Fill a draft month from the rotation, replacing what it held: the bureau's from its rotation lists,
    a township's or key enterprise's from its own people (``people``: position, name and phone; when none
    are given, those of its previous month's roster).

    Each position's people are taken round-robin in their rotation order, continuing through the month from
    where the previous month's roster left off, so everyone serves about as often; someone on leave or
    already on that day is skipped. Each day needs the
    position's ``per_shift``; a reinforced day (holiday, eve, day after — ``day_marks``) adds its
    ``reinforced_extra``; a standby position adds each season's ``standby_per_day`` on the season's days."""
    roster = _locked(Roster, roster)
    ROSTER.ensure_may(actor, roster, "generate")
    bureau = roster.unit_kind == UnitKind.BUREAU
    if bureau and people:
        raise ValidationError({"people": _("People: the bureau's roster takes its people from the rotation "
                                           "lists of the duty setup.")})
    units = None if bureau else _unit_rotation(roster, people)
    days = selectors.month_days(roster.year, roster.month)
    marks = day_marks(roster)
    seasons = selectors.seasons_overlapping(days[0], days[-1])
    leaves = _leave_days(days[0], days[-1]) if bureau else {}
    roster.assignments.all().delete()
    served_before = _served_last_month(roster)
    rows, short = [], 0
    for position in selectors.positions():
        members = _bureau_rotation(position) if bureau else units.get(position.pk, [])
        pointer = served_before.get(position.pk, 0)
        for day in days:
            need = position.per_shift
            reason = AssignmentReason.REGULAR
            if day in marks:
                need += position.reinforced_extra
                reason = AssignmentReason.REINFORCED if position.reinforced_extra else reason
            if position.is_standby:
                extra = sum(s.standby_per_day for s in seasons if s.starts_on <= day <= s.ends_on)
                need += extra
                reason = AssignmentReason.SEASON if extra and reason == AssignmentReason.REGULAR else reason
            taken = {row.user_id or row.name for row in rows if row.day == day}
            tried = 0
            while need and tried < len(members):
                member = members[pointer % len(members)]
                pointer += 1
                tried += 1
                if member.key in taken or (member.user is not None and _on_leave(leaves, member.user.pk, day)):
                    continue
                rows.append(Assignment(roster=roster, day=day, position=position, user=member.user,
                                       name=member.name, phone=member.phone, reason=reason))
                taken.add(member.key)
                need -= 1
            short += need
    Assignment.objects.bulk_create(rows)
    audit.record(actor=actor, verb="duty.roster-generate", target=roster,
                 changes={"assignments": len(rows), "unfilled": short, "reinforced_days": len(marks)})
    return {"assignments": len(rows), "unfilled": short}


def _served_last_month(roster: Roster) -> dict[int, int]:
    """How many shifts each position's rotation gave in the unit's previous month (where this month goes on)."""
    rows = Assignment.objects.filter(roster__in=selectors.same_unit_previous_month(roster))
    return dict(rows.values_list("position").annotate(n=Count("id")).values_list("position", "n"))


def problems(roster: Roster, assignments=None) -> list[str]:
    """What keeps the roster from being published, in Chinese: a day without its leader on duty (for the
    bureau: without each position's required number), a person twice on one day, a person on leave."""
    if assignments is None:
        assignments = list(roster.assignments.select_related("position"))
    days = selectors.month_days(roster.year, roster.month)
    by_day = defaultdict(list)
    for row in assignments:
        by_day[row.day].append(row)
    leaders = [p for p in selectors.positions() if p.is_leader]
    leaves = _leave_days(days[0], days[-1])
    marks = day_marks(roster) if roster.unit_kind == UnitKind.BUREAU else {}
    found = []
    for day in days:
        rows = by_day.get(day, [])
        label = _("%(month)02d/%(day)02d") % {"month": day.month, "day": day.day}
        for leader in leaders:
            if not any(row.position_id == leader.pk for row in rows):
                found.append(_("%(day)s: no %(position)s.") % {"day": label, "position": leader.name})
        if roster.unit_kind == UnitKind.BUREAU:
            for position in selectors.positions():
                need = position.per_shift + (position.reinforced_extra if day in marks else 0)
                have = sum(1 for row in rows if row.position_id == position.pk)
                if have < need and not position.is_leader:
                    found.append(_("%(day)s: %(position)s needs %(need)d, has %(have)d.") % {
                        "day": label, "position": position.name, "need": need, "have": have})
        seen = set()
        for row in rows:
            key = row.user_id or row.name.strip()
            if key in seen:
                found.append(_("%(day)s: %(name)s is on duty twice the same day.") % {"day": label, "name": row.name})
            seen.add(key)
            if row.user_id and _on_leave(leaves, row.user_id, day):
                found.append(_("%(day)s: %(name)s is on leave.") % {"day": label, "name": row.name})
    return found


def _release(actor, roster: Roster, act: str) -> Roster:
    roster = _locked(Roster, roster)
    ROSTER.ensure_may(actor, roster, act)
    found = problems(roster)
    if found:
        raise ValidationError({"__all__": found[:20]})
    roster.state = RosterState.PUBLISHED
    roster.published_at = timezone.now()
    roster.save(update_fields=["state", "published_at"])
    audit.record(actor=actor, verb=f"duty.roster-{act}", target=roster)
    return roster


@transaction.atomic
def publish_roster(*, actor, roster: Roster) -> Roster:
    """The bureau publishes its roster (refused with each problem)."""
    return _release(actor, roster, "publish")


@transaction.atomic
def file_roster(*, actor, roster: Roster) -> Roster:
    """A township or key enterprise files its roster with the bureau (报备), refused with each problem: from
    then on the bureau's "on duty now" shows its people and no longer lists it as missing."""
    return _release(actor, roster, "file")


def _check_day(roster: Roster, day: date) -> None:
    if (day.year, day.month) != (roster.year, roster.month):
        raise ValidationError({"day": _("Day: it must be in the roster's month.")})


@transaction.atomic
def add_assignment(*, actor, roster: Roster, day: date, position, user=None, name: str = "",
                   phone: str = "") -> Assignment:
    """Put one person on a day of a draft roster (a user of the bureau, or a name and phone)."""
    roster = _locked(Roster, roster)
    ROSTER.ensure_may(actor, roster, "add-assignment")
    _check_day(roster, day)
    if user is not None and roster.unit_kind != UnitKind.BUREAU:
        raise ValidationError({"user": _("Person: a township's or enterprise's roster names its people by name and phone.")})
    if user is not None:
        name, phone = name or _person_name(user), phone or user.phone
    if not name.strip():
        raise ValidationError({"name": _("Name: give the name of the person on duty.")})
    row = Assignment.objects.create(roster=roster, day=day, position=position, user=user, name=name.strip(),
                                    phone=phone.strip())
    audit.record(actor=actor, verb="duty.assignment-add", target=roster,
                 changes={"day": day.isoformat(), "position": position.code, "name": row.name})
    return row


@transaction.atomic
def remove_assignment(*, actor, roster: Roster, assignment: Assignment) -> None:
    roster = _locked(Roster, roster)
    ROSTER.ensure_may(actor, roster, "remove-assignment")
    if assignment.roster_id != roster.pk:
        raise ValidationError({"assignment": _("Assignment: it is not on this roster.")})
    audit.record(actor=actor, verb="duty.assignment-remove", target=roster,
                 changes={"day": assignment.day.isoformat(), "name": assignment.name})
    assignment.delete()


# --- swaps --------------------------------------------------------------------------------------------


@transaction.atomic
def request_swap(*, actor, roster: Roster, mine: Assignment, theirs: Assignment, reason: str) -> SwapRequest:
    """A duty officer asks to exchange one of their shifts with a colleague's shift of the same position on
    the published bureau roster."""
    roster = _locked(Roster, roster)
    ROSTER.ensure_may(actor, roster, "request-swap")
    if mine.roster_id != roster.pk or mine.user_id != actor.pk:
        raise ValidationError({"mine": _("My shift: choose one of your own shifts on this roster.")})
    if theirs.roster_id != roster.pk or theirs.user_id in (None, actor.pk):
        raise ValidationError({"theirs": _("Colleague's shift: choose a colleague's shift on this roster.")})
    if theirs.position_id != mine.position_id:
        raise ValidationError({"theirs": _("Colleague's shift: only shifts of the same position can be swapped.")})
    swap = SwapRequest.objects.create(roster=roster, mine=mine, theirs=theirs, requested_by=actor,
                                      colleague=theirs.user, reason=reason)
    audit.record(actor=actor, verb="duty.swap-request", target=swap,
                 changes={"mine": mine.day.isoformat(), "theirs": theirs.day.isoformat()})
    return swap


@transaction.atomic
def answer_swap(*, actor, swap: SwapRequest, action: str, note: str = "") -> SwapRequest:
    """The colleague agrees or declines; a leader rejects an agreed swap."""
    swap = _locked(SwapRequest, swap)
    swap.state = SWAP.ensure_may(actor, swap, action)
    if action in ("decline", "reject"):
        swap.decided_by, swap.decided_at, swap.note = actor, timezone.now(), note
    swap.save()
    audit.record(actor=actor, verb=f"duty.swap-{action}", target=swap, note=note)
    return swap


@transaction.atomic
def approve_swap(*, actor, swap: SwapRequest, note: str = "") -> SwapRequest:
    """The leader approves: the two people exchange their shifts, in the same transaction; refused when
    the exchange would put someone twice on one day or on leave."""
    swap = _locked(SwapRequest, swap)
    swap.state = SWAP.ensure_may(actor, swap, "approve")
    mine = Assignment.objects.select_for_update().get(pk=swap.mine_id)
    theirs = Assignment.objects.select_for_update().get(pk=swap.theirs_id)
    if mine.user_id != swap.requested_by_id or theirs.user_id != swap.colleague_id:
        raise ValidationError({"__all__": [_("These two shifts have changed since; they can no longer be swapped.")]})
    for field in ("user", "name", "phone"):
        first, second = getattr(mine, field), getattr(theirs, field)
        setattr(mine, field, second)
        setattr(theirs, field, first)
    roster = swap.roster
    others = [row for row in roster.assignments.select_related("position") if row.pk not in (mine.pk, theirs.pk)]
    found = [p for p in problems(roster, others + [mine, theirs]) if mine.name in p or theirs.name in p]
    if found:
        raise ValidationError({"__all__": found})
    mine.save(update_fields=["user", "name", "phone"])
    theirs.save(update_fields=["user", "name", "phone"])
    swap.decided_by, swap.decided_at, swap.note = actor, timezone.now(), note
    swap.save()
    audit.record(actor=actor, verb="duty.swap-approve", target=swap,
                 changes={"days": [mine.day.isoformat(), theirs.day.isoformat()]}, note=note)
    return swap


# --- duty log and handover ------------------------------------------------------------------------


@transaction.atomic
def record_entry(*, actor, kind: str, occurred_at, counterpart: str, content: str, phone: str = "",
                 report_stage: str = "", follows=None, reference: str = "") -> LogEntry:
    """One duty log entry, filed under the shift it happened in. A follow-up or final report follows an
    earlier report; nothing follows a final report."""
    if not actor.has_perm("duty.keep_duty_log"):
        raise PermissionDenied(_("You do not have permission to do this."))
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": _("Time: it cannot be later than now.")})
    ensure_not_before_2000(occurred_at, "occurred_at", _("Time"))
    if report_stage in (ReportStage.FOLLOW_UP, ReportStage.FINAL) and follows is None:
        raise ValidationError({"follows": _("Follows the report: a follow-up or final report names the report it follows.")})
    if follows is not None:
        if not follows.report_stage or follows.report_stage == ReportStage.FINAL:
            raise ValidationError({"follows": _("Follows the report: only a report not yet final can be followed.")})
        if follows.follow_ups.exists():
            raise ValidationError({"follows": _("Follows the report: that report already has a follow-up; follow the latest one.")})
    entry = LogEntry.objects.create(
        kind=kind, occurred_at=occurred_at, shift_day=selectors.shift_day_at(occurred_at, selectors.setup().handover_time),
        counterpart=counterpart, phone=phone, content=content, report_stage=report_stage, follows=follows,
        reference=reference or (follows.reference if follows else ""), recorded_by=actor)
    audit.record(actor=actor, verb="duty.log-entry", target=entry,
                 changes={"kind": kind, "stage": report_stage})
    return entry


@transaction.atomic
def close_entry(*, actor, entry: LogEntry, outcome: str) -> LogEntry:
    entry = _locked(LogEntry, entry)
    entry.state = ENTRY.ensure_may(actor, entry, "close")
    entry.outcome = outcome
    entry.save(update_fields=["state", "outcome"])
    audit.record(actor=actor, verb="duty.log-close", target=entry, note=outcome)
    return entry


@transaction.atomic
def hand_over(*, actor, shift_day: date, notes: str = "") -> Handover:
    """The outgoing shift hands over: every entry still open is listed for the next shift."""
    if not actor.has_perm("duty.keep_duty_log"):
        raise PermissionDenied(_("You do not have permission to do this."))
    if shift_day > selectors.current_shift_day():
        raise ValidationError({"shift_day": _("Shift: a shift that has not begun cannot be handed over.")})
    if Handover.objects.filter(shift_day=shift_day).exists():
        raise ValidationError({"shift_day": _("Shift: this shift has already been handed over.")})
    handover = Handover.objects.create(shift_day=shift_day, notes=notes, handed_over_by=actor)
    open_entries = list(LogEntry.objects.filter(state=EntryState.OPEN, shift_day__lte=shift_day))
    handover.open_entries.set(open_entries)
    audit.record(actor=actor, verb="duty.handover", target=handover, changes={"open": len(open_entries)})
    return handover


@transaction.atomic
def acknowledge_handover(*, actor, handover: Handover) -> Handover:
    handover = _locked(Handover, handover)
    handover.state = HANDOVER.ensure_may(actor, handover, "acknowledge")
    handover.acknowledged_by, handover.acknowledged_at = actor, timezone.now()
    handover.save(update_fields=["state", "acknowledged_by", "acknowledged_at"])
    audit.record(actor=actor, verb="duty.handover-acknowledge", target=handover)
    return handover


# --- setup ----------------------------------------------------------------------------------------------


def _ensure_setup(actor) -> None:
    if not actor.has_perm(SETUP):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def save_setup_row(*, actor, form) -> object:
    """Save one setup row from its ModelForm (a position, the settings, a season, a leave, a rotation
    member), audited with what changed."""
    _ensure_setup(actor)
    row = form.save(commit=False)
    created = row.pk is None
    if hasattr(row, "created_by_id") and created:
        row.created_by = actor
    row.save()
    label = row._meta.model_name
    audit.record(actor=actor, verb="duty.setup", target=row,
                 changes={"model": label, "created": created, "fields": sorted(form.changed_data)})
    return row

