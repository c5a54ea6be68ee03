"""Declaring, changing and cancelling special periods (特殊时期, REGULATIONS-2 §C.4). The bureau's own rules on
top of the standard: no national or Shandong rule says which kinds are raised, prohibited or filed, or how
far ahead [U], so every rule is data the bureau enters per period. One transaction and one audit event per
act; a refused act writes nothing.

Kept beside ``services.py`` (the work calendar's years) as the second sub-domain of the calendar."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.enterprises.models import Industry
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region

from .choices import PeriodRuleAction, PermitKind, SpecialPeriodKind
from .models import MAX_FILING_HOURS, SpecialPeriod, SpecialPeriodRule

PERMISSION = "workcalendar.manage_specialperiod"
#: The longest period one declaration may cover (a fire season runs for months; a year bounds a typo).
LONGEST_PERIOD_DAYS = 366
NAME_MAX_LENGTH = SpecialPeriod._meta.get_field("name").max_length
REASON_MAX_LENGTH = SpecialPeriod._meta.get_field("cancel_reason").max_length
NOTICE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class RuleInput:
    permit_kind: str
    action: str
    filing_hours_before: int | None = None


@dataclass(frozen=True)
class PeriodInput:
    name: str
    kind: str
    starts_on: date
    ends_on: date
    townships: tuple = ()
    industries: tuple = ()
    notice: str = ""
    rules: tuple = ()


def _ensure_permission(actor) -> None:
    if not actor.has_perm(PERMISSION):
        raise PermissionDenied(_("You do not have permission to do this."))


def _rule(value) -> RuleInput | None:
    if isinstance(value, RuleInput):
        return value
    if isinstance(value, Mapping):
        return RuleInput(permit_kind=value.get("permit_kind"), action=value.get("action"),
                         filing_hours_before=value.get("filing_hours_before"))
    return None


def _rule_errors(rule: RuleInput | None) -> list[str]:
    if rule is None:
        return [_("Each rule needs a kind of special operation and what the period does to it.")]
    errors = []
    if rule.permit_kind not in PermitKind.values:
        errors.append(_("Choose one of the eight kinds of special operation."))
    if rule.action not in PeriodRuleAction.values:
        errors.append(_("Choose whether the period raises the grade, prohibits the work or requires filing."))
    hours = rule.filing_hours_before
    if rule.action == PeriodRuleAction.REQUIRE_FILING:
        if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_FILING_HOURS:
            errors.append(_("Enter how many hours before the work starts it must be filed: from 1 to %(max)s.")
                          % {"max": MAX_FILING_HOURS})
    elif hours is not None:
        errors.append(_("A filing lead time belongs only to a filing rule."))
    return errors


def _rules_errors(rules: list[RuleInput | None], errors: dict) -> None:
    seen: dict[str, set[str]] = {}
    for index, rule in enumerate(rules):
        problems = _rule_errors(rule)
        if not problems:
            actions = seen.setdefault(rule.permit_kind, set())
            label = PermitKind(rule.permit_kind).label
            if rule.action in actions:
                problems.append(_("%(kind)s has this rule twice.") % {"kind": label})
            elif actions and PeriodRuleAction.PROHIBIT in (actions | {rule.action}):
                problems.append(_("%(kind)s is prohibited in this period: it cannot also be raised or filed.")
                                % {"kind": label})
            actions.add(rule.action)
        if problems:
            errors[f"rules[{index}]"] = problems


def _rows(model, ids: Iterable, field: str, errors: dict, message: str, **conditions) -> list:
    ids = list(ids or ())
    if any(isinstance(pk, bool) or not isinstance(pk, int) for pk in ids):
        errors[field] = [message]
        return []
    rows = list(model.objects.filter(pk__in=set(ids), **conditions))
    if len(rows) != len(set(ids)):
        errors[field] = [message]
    return rows


def _validated(data: PeriodInput, *, today: date, current: SpecialPeriod | None = None):
    errors: dict[str, list[str]] = {}
    name = (data.name or "").strip()
    if not name:
        errors["name"] = [_("Enter the name of the period, e.g. 2027年春节.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [_("The name may have at most %(n)s characters.") % {"n": NAME_MAX_LENGTH}]
    if data.kind not in SpecialPeriodKind.values:
        errors["kind"] = [_("Choose what the period is for.")]
    dates_ok = True
    for field in ("starts_on", "ends_on"):
        value = getattr(data, field)
        if isinstance(value, datetime) or not isinstance(value, date):
            errors[field] = [_("Enter a valid date.")]
            dates_ok = False
    if dates_ok:
        if data.ends_on < data.starts_on:
            errors["ends_on"] = [_("The last day cannot be before the first day.")]
        elif (data.ends_on - data.starts_on).days + 1 > LONGEST_PERIOD_DAYS:
            errors["ends_on"] = [_("A period may last at most %(n)s days; declare a longer one in parts.")
                                 % {"n": LONGEST_PERIOD_DAYS}]
        elif data.ends_on < today:
            errors["ends_on"] = [_("The period would already be over: its last day is before today.")]
    if len(data.notice or "") > NOTICE_MAX_LENGTH:
        errors["notice"] = [_("The notice may have at most %(n)s characters.") % {"n": NOTICE_MAX_LENGTH}]
    townships = _rows(Region, data.townships, "townships", errors,
                      _("Choose townships of the district."), level=RegionLevel.TOWNSHIP)
    industries = _rows(Industry, data.industries, "industries", errors, _("Choose industries from the list."))
    rules = [_rule(value) for value in data.rules or ()]
    _rules_errors(rules, errors)
    if current is not None and current.is_cancelled:
        errors.setdefault("__all__", []).append(_("A cancelled period cannot be changed."))
    if errors:
        raise ValidationError(errors)
    return name, townships, industries, rules


def _snapshot(period: SpecialPeriod) -> dict:
    return {
        "name": period.name, "kind": period.kind,
        "starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat(),
        "townships": sorted(r.code for r in period.townships.all()),
        "industries": sorted(i.code for i in period.industries.all()),
        "rules": [[r.permit_kind, r.action, r.filing_hours_before] for r in period.rules.all()],
    }


def _save(period: SpecialPeriod, data: PeriodInput, name, townships, industries, rules) -> None:
    period.name, period.kind = name, data.kind
    period.starts_on, period.ends_on = data.starts_on, data.ends_on
    period.notice = (data.notice or "").strip()
    period.save()
    period.townships.set(townships)
    period.industries.set(industries)
    period.rules.all().delete()
    SpecialPeriodRule.objects.bulk_create(
        SpecialPeriodRule(period=period, permit_kind=r.permit_kind, action=r.action,
                          filing_hours_before=r.filing_hours_before) for r in rules)


def declare_special_period(*, actor, data: PeriodInput) -> SpecialPeriod:
    """Declare a period for the whole district, or for some townships and/or industries (both given: an
    enterprise must be in one of the townships and one of the industries), with its per-kind rules."""
    _ensure_permission(actor)
    with transaction.atomic():
        name, townships, industries, rules = _validated(data, today=timezone.localdate())
        period = SpecialPeriod(created_by=actor)
        _save(period, data, name, townships, industries, rules)
        audit.record(actor=actor, verb="workcalendar.declare_special_period", target=period,
                     changes=_snapshot(period))
    return period


def update_special_period(*, actor, period: SpecialPeriod, data: PeriodInput) -> SpecialPeriod:
    """Change a period that is not cancelled and not over; permits already issued keep what they were checked
    against (their checks are recorded with them)."""
    _ensure_permission(actor)
    with transaction.atomic():
        period = SpecialPeriod.objects.select_for_update().get(pk=period.pk)
        before = _snapshot(period)
        today = timezone.localdate()
        if period.ends_on < today:
            raise ValidationError(_("The period is over; it is kept as it was."))
        name, townships, industries, rules = _validated(data, today=today, current=period)
        _save(period, data, name, townships, industries, rules)
        after = _snapshot(period)
        audit.record(actor=actor, verb="workcalendar.update_special_period", target=period,
                     changes={key: [before[key], after[key]] for key in after if before[key] != after[key]})
    return period


def cancel_special_period(*, actor, period: SpecialPeriod, reason: str) -> SpecialPeriod:
    """Cancel a period (it stays on record, marked); a reason is required."""
    _ensure_permission(actor)
    reason = (reason or "").strip()
    with transaction.atomic():
        period = SpecialPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_cancelled:
            raise ValidationError(_("The period is already cancelled."))
        if not reason:
            raise ValidationError({"reason": _("Say why the period is cancelled.")})
        if len(reason) > REASON_MAX_LENGTH:
            raise ValidationError({"reason": _("The reason may have at most %(n)s characters.")
                                   % {"n": REASON_MAX_LENGTH}})
        period.cancelled_at, period.cancel_reason = timezone.now(), reason
        period.save(update_fields=["cancelled_at", "cancel_reason"])
        audit.record(actor=actor, verb="workcalendar.cancel_special_period", target=period, note=reason)
    return period

