"""The rules applied while a permit is filled in (issue 12, decision 0012), in one place for every act.

Each check answers what is wrong as a :class:`Finding` (a field, a Chinese message, a problem code). A permit
issued in Shouye is refused with the findings as field messages; a permit pushed by an enterprise's own system
is recorded as sent and the findings become its ``problems`` (the bureau's board shows them). The numbers are
the rules' (``shouye.rules.permits``, ``shouye.rules.data.gb30871``), never re-derived here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shouye.rules.certificates import review
from shouye.rules.data.gb30871 import GAS_SAMPLE_MAX_AGE, HOT_WORK_GRADES
from shouye.rules.errors import RuleInputError
from shouye.rules.permits import (
    hot_work_grade,
    lifting_grade,
    permit_approval,
    permit_validity,
    work_at_height_grade,
)
from shouye.workcalendar.choices import PeriodRuleAction
from shouye.workcalendar.selectors import special_periods_for, work_calendar

from .. import standard
from ..chains import GAS_TEST_KINDS
from ..choices import APPROVER_LEVEL_RANK, REQUIRED_LEVEL_BY_TABLE_B1, PermitKind, ProblemCode

#: The grades of each graded kind from the lowest to the highest: a special period's "raise" moves one step
#: right (hot work 5.1; work at height Table 2, I lowest; lifting 9.1, grade 3 lowest).
GRADE_ORDER = {
    PermitKind.HOT_WORK: HOT_WORK_GRADES,
    PermitKind.WORK_AT_HEIGHT: ("I", "II", "III", "IV"),
    PermitKind.LIFTING: ("3", "2", "1"),
}


@dataclass(frozen=True)
class RuleField:
    """An input a rule needs that ``standard.DETAIL_FIELDS`` does not list (hot work on equipment holding
    oxygen: its gas test allows at most 23.5 % oxygen, 5.2.7). Added to the kind's detail fields unless the
    standard's fields already have the key."""

    key: str
    label: object
    kind: str
    required: bool = False
    choices: tuple = ()
    help: object = ""


RULE_FIELDS: dict[str, tuple[RuleField, ...]] = {
    PermitKind.HOT_WORK: (
        RuleField("oxygen_enriched", _lazy("On equipment that produces, uses or stores oxygen"), "boolean",
                  help=_lazy("5.2.7: oxygen in the equipment at most 23.5 %.")),
    ),
}


def detail_fields(kind: str) -> tuple:
    """The detail fields a permit of ``kind`` takes: the standard's form fields, then the rule inputs it lacks."""
    fields = tuple(standard.DETAIL_FIELDS.get(kind, ()))
    known = {f.key for f in fields}
    return fields + tuple(f for f in RULE_FIELDS.get(kind, ()) if f.key not in known)


@dataclass(frozen=True)
class Finding:
    """One thing the rules say is wrong: the field it is about, the message, the board's problem code."""

    field: str
    message: str
    code: str


def refuse(findings: list[Finding]) -> None:
    """The findings as one ValidationError with Chinese messages on their fields."""
    if findings:
        errors: dict[str, list[str]] = {}
        for finding in findings:
            errors.setdefault(finding.field, []).append(finding.message)
        raise ValidationError(errors)


def as_problems(findings: list[Finding], at: datetime) -> list[dict]:
    return [{"code": f.code, "field": f.field, "detail": f.message, "at": at.isoformat()} for f in findings]


# --- the kind's own fields ---------------------------------------------------------------------------------


def _clean_value(field, value):
    """``value`` for one detail field in its JSON form, or ValueError with the reason."""
    kind = field.kind
    if kind == "text":
        return str(value).strip()
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "1", "yes", "on", "是"):
            return True
        if text in ("false", "0", "no", "off", "否", ""):
            return False
        raise ValueError(_("give yes or no"))
    if kind == "integer":
        text = str(value).strip()
        if isinstance(value, bool) or not text.lstrip("-").isdigit() or len(text) > 9:
            raise ValueError(_("give a whole number"))
        return int(text)
    if kind == "decimal":
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("give a number")) from None
        # Bounded before it is spelt out: "1e999999999" would otherwise become a billion digits.
        if not number.is_finite() or number.adjusted() > 9 or number.as_tuple().exponent < -6:
            raise ValueError(_("give a number"))
        return f"{number.normalize():f}"
    if kind == "choice":
        allowed = [str(c[0]) if isinstance(c, tuple | list) else str(c) for c in field.choices]
        if str(value) not in allowed:
            raise ValueError(_("choose one of: %(choices)s") % {"choices": "、".join(allowed)})
        return str(value)
    if kind == "datetime":
        moment = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
        if moment is None:
            raise ValueError(_("give a date and time"))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return timezone.localtime(moment).isoformat()
    if kind == "list":
        items = value if isinstance(value, list | tuple) else str(value).splitlines()
        items = [str(item).strip() for item in items if str(item).strip()][:50]
        allowed = [str(c[0]) for c in field.choices]
        if allowed and any(item not in allowed for item in items):
            raise ValueError(_("choose among: %(choices)s") % {"choices": "、".join(allowed)})
        return items
    return value


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def clean_details(kind: str, details) -> dict:
    """The kind's fields checked against its form (``standard.DETAIL_FIELDS`` and the rules' inputs): unknown
    keys, missing required fields and values of the wrong type are refused, each on ``details.<key>``."""
    if details is None:
        details = {}
    if not isinstance(details, dict):
        raise ValidationError({"details": _("Give the form's fields as an object.")})
    fields = {f.key: f for f in detail_fields(kind)}
    errors: dict[str, str] = {}
    for key in details:
        if key not in fields:
            errors[f"details.{key}"] = _("This form has no field “%(key)s”.") % {"key": key}
    cleaned = {}
    for key, field in fields.items():
        value = details.get(key)
        if _blank(value):
            if field.required:
                errors[f"details.{key}"] = _("%(label)s: this field is required.") % {"label": field.label}
            continue
        try:
            cleaned[key] = _clean_value(field, value)
        except ValueError as exc:
            errors[f"details.{key}"] = f"{field.label}：{exc}"
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- grade, validity, approver level, special periods ------------------------------------------------------


@dataclass
class Decision:
    """What the rules decide for a permit's header: stored with the permit (decision 0012)."""

    grade: str = ""
    situation_grade: str = ""
    raised_by: list = None
    basis: str = ""
    max_validity_hours: int | None = None
    required_approver_level: str = ""
    special_period: object = None
    filing_due_by: datetime | None = None
    video_required: bool = False

    def __post_init__(self):
        self.raised_by = list(self.raised_by or [])


def _rule_error(exc: RuleInputError, field: str) -> ValidationError:
    return ValidationError({field: exc.message})


def _number(details: dict, key: str) -> Decimal | None:
    """A decimal detail (stored as text in JSON) as the rules take it."""
    value = details.get(key)
    return None if value is None else Decimal(value)


def _situation_grade(kind: str, details: dict, planned_start: datetime, findings: list[Finding]) -> Decision:
    """The grade from the place, time and load (hot work 5.1 with the work calendar, height 8.1, lifting 9.1)."""
    if kind == PermitKind.HOT_WORK:
        try:
            result = hot_work_grade(
                start=timezone.localtime(planned_start),
                fire_explosion_area=details.get("fire_explosion_area", False),
                on_operating_equipment=details.get("on_operating_equipment", False),
                in_mhi_tank_farm_dike=details.get("in_mhi_tank_farm_dike", False),
                on_pipe_rack=details.get("on_pipe_rack", False),
                shut_down_and_isolated=details.get("shut_down_and_isolated", False),
                wind_force=details.get("wind_force"), outdoor=details.get("outdoor", True),
                calendar=work_calendar())
        except RuleInputError as exc:
            field = "planned_start" if exc.field == "start" else f"details.{exc.field}"
            raise _rule_error(exc, field) from exc
        return Decision(grade=result.grade, situation_grade=result.situation_grade, raised_by=result.raised_by,
                        basis=result.basis)
    if kind == PermitKind.WORK_AT_HEIGHT:
        try:
            result = work_at_height_grade(_number(details, "height_m"), bool(details.get("objective_hazards")))
        except RuleInputError as exc:
            raise _rule_error(exc, f"details.{exc.field}") from exc
        if result.grade is None:
            findings.append(Finding("details.height_m", result.basis, ProblemCode.GRADE_TOO_LOW))
            return Decision(basis=result.basis)
        return Decision(grade=result.grade, situation_grade=result.grade, basis=result.basis)
    if kind == PermitKind.LIFTING:
        # Below 10 t the standard needs no lifting permit (Table B.1 note 3); a permit issued anyway is
        # allowed as grade 3 and its basis says so: the enterprise keeps its stricter practice.
        try:
            result = lifting_grade(_number(details, "mass_t"))
        except RuleInputError as exc:
            raise _rule_error(exc, f"details.{exc.field}") from exc
        grade = str(result.grade)
        return Decision(grade=grade, situation_grade=grade, basis=result.basis)
    return Decision()


def _raise(kind: str, grade: str) -> str:
    order = GRADE_ORDER[kind]
    return order[min(order.index(grade) + 1, len(order) - 1)]


def decide(*, enterprise, kind: str, details: dict, planned_start: datetime, planned_end: datetime,
           grade: str = "", findings: list[Finding]) -> Decision:
    """The rules' decision for a permit's header, the findings appended to ``findings``:

    - the grade from the situation (hot work: place, holiday or night by the work calendar, wind — 5.1.1,
      5.2.15; height: Table 2; lifting: 9.1); a grade asked for may be higher, never lower (GRADE_TOO_LOW);
    - a special period of the enterprise (its township and industry) during the work: ``prohibit`` is a
      finding (PROHIBITED); ``raise_grade`` raises one more step, recorded in ``raised_by``;
      ``require_filing`` sets the filing deadline (planned start − the rule's hours);
    - the validity: planned end − planned start ≤ the kind's longest validity (5.1.5, 6.10, 8.2.11, 10.8);
    - the approver level Table B.1 requires for the kind and the grade;
    - special hot work needs full-process video (5.2.11).
    """
    decision = _situation_grade(kind, details, planned_start, findings)
    order = GRADE_ORDER.get(kind)
    periods = special_periods_for(enterprise, timezone.localtime(planned_start).date(),
                                  timezone.localtime(planned_end).date())
    for period in periods:
        for rule in period.rules.all():
            if rule.permit_kind != kind:
                continue
            if rule.action == PeriodRuleAction.PROHIBIT:
                findings.append(Finding("planned_start", _(
                    "The bureau prohibits this kind of special operation during “%(period)s” (%(first)s to "
                    "%(last)s).") % {"period": period.name, "first": period.starts_on, "last": period.ends_on},
                    ProblemCode.PROHIBITED))
            elif rule.action == PeriodRuleAction.RAISE_GRADE and order and decision.grade:
                raised = _raise(kind, decision.grade)
                decision.raised_by.append(_("special period “%(period)s”: managed one grade higher")
                                          % {"period": period.name})
                decision.basis += "；" + _("special period “%(period)s” (the bureau's rule): %(before)s → "
                                          "%(after)s") % {"period": period.name, "before": decision.grade,
                                                          "after": raised}
                decision.grade = raised
            elif rule.action == PeriodRuleAction.REQUIRE_FILING:
                due = planned_start - timedelta(hours=rule.filing_hours_before)
                if decision.filing_due_by is None or due < decision.filing_due_by:
                    decision.filing_due_by = due
            decision.special_period = decision.special_period or period
    # A grade lower than the rules' is a finding; a pushed permit keeps the grade it was sent with, while its
    # validity and approver level stay those of the rules' grade (what the standard asks of this work).
    given = decision.grade
    if order and grade:
        if grade not in order:
            raise ValidationError({"grade": _("The grade must be one of %(grades)s.")
                                   % {"grades": "、".join(order)}})
        if decision.grade and order.index(grade) < order.index(decision.grade):
            findings.append(Finding("grade", _(
                "The grade cannot be lower than the rules give: %(grade)s (%(basis)s).")
                % {"grade": decision.grade, "basis": decision.basis}, ProblemCode.GRADE_TOO_LOW))
        else:
            decision.grade = grade
        given = grade
    elif grade and not order:
        raise ValidationError({"grade": _("This kind of special operation has no grades.")})
    validity = permit_validity(kind, decision.grade or None)
    decision.max_validity_hours = validity.max_hours
    if validity.max_hours is not None and planned_end - planned_start > timedelta(hours=validity.max_hours):
        findings.append(Finding("planned_end", _(
            "The work may last at most %(hours)d hours (%(basis)s).") % {"hours": validity.max_hours,
                                                                         "basis": validity.basis},
            ProblemCode.VALIDITY_EXCEEDED))
    if not order or decision.grade:
        approval = permit_approval(kind, int(decision.grade) if kind == PermitKind.LIFTING else
                                   (decision.grade or None))
        decision.required_approver_level = REQUIRED_LEVEL_BY_TABLE_B1[approval.approver]
    decision.video_required = kind == PermitKind.HOT_WORK and decision.grade == "special"
    decision.grade = given
    return decision


# --- people, gas tests, approval ----------------------------------------------------------------------------


def certificate_findings(kind: str, people, on_day) -> list[Finding]:
    """The special-operation certificates the form asks for (``standard.CERTIFICATE_ROLES``; 4.9): a number,
    an issue date, not expired and not due for review on the last day of the work (30号令 Art. 19, 21;
    ``rules.certificates.review``). Sets each person's computed expiry and review date."""
    roles = set(standard.CERTIFICATE_ROLES.get(kind, ()))
    findings = []
    for index, person in enumerate(people):
        if person.role not in roles:
            continue
        where = f"people[{index}].certificate_number"
        if not person.certificate_number or person.certificate_issued_on is None:
            findings.append(Finding(where, _("%(name)s needs a special-operation certificate number and its issue "
                                             "date.") % {"name": person.name}, ProblemCode.CERTIFICATE_EXPIRED))
            continue
        try:
            result = review("special_operation", person.certificate_issued_on, person.certificate_last_review_on)
        except RuleInputError as exc:
            findings.append(Finding(f"people[{index}].certificate_{exc.field}", exc.message,
                                    ProblemCode.CERTIFICATE_EXPIRED))
            continue
        person.certificate_expires_on = result.expires_on
        person.certificate_review_due = result.next_review_due
        if result.expires_on < on_day:
            findings.append(Finding(where, _("%(name)s's certificate expired on %(date)s (%(basis)s).")
                                    % {"name": person.name, "date": result.expires_on, "basis": result.basis},
                                    ProblemCode.CERTIFICATE_EXPIRED))
        elif result.next_review_due is not None and result.next_review_due < on_day:
            findings.append(Finding(where, _("%(name)s's certificate was due for review on %(date)s (%(basis)s).")
                                    % {"name": person.name, "date": result.next_review_due,
                                       "basis": result.basis}, ProblemCode.CERTIFICATE_EXPIRED))
    return findings


def approval_findings(permit, *, level: str, now: datetime, gas_tests) -> list[Finding]:
    """What the approving signature needs (4.11, Table B.1, 5.3.1 c), 6.3 a), 5.2.11):

    - the declared level ranks at least as high as the level Table B.1 requires for the kind and grade;
    - hot work and confined space (and temporary power in a fire or explosion hazard area, 10.1): a passing
      gas test before work, sampled at most 30 minutes
      (GAS_SAMPLE_MAX_AGE) before the approval. The approver approves on site right before the work (4.11),
      so the approval is the moment the sample must be fresh for; the test's own verdict was judged against
      the planned start when it was entered;
    - special hot work: the video measure (A.1 item 14) confirmed as involved (5.2.11).
    """
    findings = []
    required = permit.required_approver_level
    if not level:
        findings.append(Finding("level", _("Give the level you approve at."), ProblemCode.APPROVER_BELOW_LEVEL))
    elif required and APPROVER_LEVEL_RANK.get(level, 0) < APPROVER_LEVEL_RANK[required]:
        findings.append(Finding("level", _(
            "Table B.1 requires approval at the level “%(required)s” for this permit.")
            % {"required": permit.get_required_approver_level_display()}, ProblemCode.APPROVER_BELOW_LEVEL))
    needs_gas_test = permit.kind in GAS_TEST_KINDS or (
        permit.kind == PermitKind.TEMPORARY_POWER and permit.details.get("in_hazard_area"))
    if needs_gas_test:
        passing = [t for t in gas_tests if t.passed and not t.during_work and t.sampled_at <= now]
        latest = max(passing, key=lambda t: t.sampled_at, default=None)
        if latest is None:
            findings.append(Finding("gas_test", _("No passing gas test before work (GB 30871-2022 5.3.1, 6.3)."),
                                    ProblemCode.GAS_TEST_MISSING))
        elif now - latest.sampled_at > GAS_SAMPLE_MAX_AGE:
            findings.append(Finding("gas_test", _(
                "The last passing gas sample was taken at %(at)s, more than 30 minutes ago: sample again "
                "(GB 30871-2022 5.3.1 c), 6.3 a)).") % {"at": timezone.localtime(latest.sampled_at)
                                                         .strftime("%Y-%m-%d %H:%M")},
                ProblemCode.GAS_TEST_STALE))
    video = standard.HOT_WORK_VIDEO_MEASURE
    if permit.video_required and not any(m.involved and m.number == video and not m.is_other
                                         for m in permit.measures.all()):
        findings.append(Finding("measures", _(
            "Special hot work needs the video recorder in place (measure %(n)s, GB 30871-2022 5.2.11).")
            % {"n": video}, ProblemCode.VIDEO_MISSING))
    return findings
