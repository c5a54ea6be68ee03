"""Every act on a special-operation permit (decision 0012): one transaction, the row locked, the scope (404),
the role and the state from the workflow (403, 409), the rules applied while the permit is filled (400 with
Chinese field messages for a permit issued in Shouye; problem flags for a pushed one), one audit event, and a
notification to the bureau where it must know (a filing in a special period).

Nothing signed is edited (4.18): the header changes only in draft, each later act adds rows (a gas test, a
signature, a photo) or fills the fields of its own step once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core.attachments import check_photos, save_photos
from shouye.notifications.services import notify
from shouye.regions.scoping import ensure_in_scope
from shouye.rules.errors import RuleInputError
from shouye.rules.permits import gas_test as gas_test_rule

from .. import chains, standard
from ..choices import KIND_PREFIX, LIVE_STATES, PermitKind, PermitSource, PermitState
from ..models import (
    GasTest,
    PermitMeasure,
    PermitPerson,
    PermitPhoto,
    PermitSignature,
    SpecialOperationPermit,
)
from ..workflow import ISSUE, OPEN, WORKFLOW
from . import checks
from .checks import Finding

__all__ = ["accept_permit", "add_photos", "approve_permit", "archive_permit", "brief_permit", "cancel_permit",
           "check_permit", "confirm_measures", "create_permit", "edit_permit", "expire_permits", "file_permit",
           "identify_risks", "record_gas_test", "resume_work", "revoke_permit", "sign_permit", "start_work",
           "suspend_work"]

#: The header fields an edit may change (in draft only).
HEADER = ("applicant_unit", "work_unit", "content", "location", "longitude", "latitude", "planned_start",
          "planned_end", "related_numbers")
#: Tolerated clock difference between a phone and the server for "sampled at".
CLOCK_SKEW = timedelta(minutes=10)
#: Kinds whose forms carry a gas analysis: hot work (A.1), confined space (A.2), temporary power (A.6, 10.1).
GAS_ANALYSIS_KINDS = frozenset({*chains.GAS_TEST_KINDS, PermitKind.TEMPORARY_POWER})
#: The act of each kind of signature step.
STEP_ACT = {"approves": "approve", "shift_check": "check", "acceptance": "accept"}


def act_of(step: chains.Step) -> str:
    """The workflow act a signature step is: approve, the shift leader's check, accept, or sign."""
    return next((act for flag, act in STEP_ACT.items() if getattr(step, flag)), "sign")


def _lock(actor, permit: SpecialOperationPermit, action: str) -> SpecialOperationPermit:
    """Lock the row, then: out of scope (404), not permitted (403), not in this state (409)."""
    permit = SpecialOperationPermit.objects.select_for_update().get(pk=permit.pk)
    ensure_in_scope(actor, permit)
    WORKFLOW.ensure_may(actor, permit, action)
    return permit


def _settle(permit: SpecialOperationPermit, findings: list[Finding], now: datetime) -> list[str]:
    """A Shouye permit is refused with the findings; a pushed one records them as problems (each code and field
    once) and is saved by the caller. Returns the fields changed."""
    if not findings:
        return []
    if permit.source != PermitSource.EXTERNAL:
        checks.refuse(findings)
    seen = {(p["code"], p["field"]) for p in permit.problems}
    new = [p for p in checks.as_problems(findings, now) if (p["code"], p["field"]) not in seen]
    permit.problems = [*permit.problems, *new]
    permit.problem_count = len(permit.problems)
    return ["problems", "problem_count"]


def _moment(permit: SpecialOperationPermit, at: datetime | None, field: str) -> datetime:
    """When an act happened: now for a permit issued in Shouye; a pushed permit's system may give the time its
    act happened (it may post after the fact), never in the future."""
    now = timezone.now()
    if at is None:
        return now
    if permit.source != PermitSource.EXTERNAL:
        raise ValidationError({field: _("Only a permit pushed by an enterprise's system gives its own times.")})
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: _("This time is in the future.")})
    return at


def _link(permit_id: int) -> str:
    return reverse("permits:detail", kwargs={"pk": permit_id})


# --- filling in -----------------------------------------------------------------------------------------------


def _people(rows: Iterable[dict]) -> list[PermitPerson]:
    people = []
    for index, row in enumerate(rows):
        name = (row.get("name") or "").strip()
        if not name:
            raise ValidationError({f"people[{index}].name": _("Give the person's name.")})
        people.append(PermitPerson(
            role=row["role"], name=name, user=row.get("user"),
            certificate_number=(row.get("certificate_number") or "").strip(),
            certificate_issued_on=row.get("certificate_issued_on"),
            certificate_last_review_on=row.get("certificate_last_review_on")))
    return people


def _fill(permit: SpecialOperationPermit, *, fields: dict, details, grade: str, people: list[PermitPerson]) -> list[Finding]:
    """Set the header, the kind's fields and the rules' decision on ``permit``; answer the findings."""
    for name, value in fields.items():
        setattr(permit, name, value)
    permit.details = checks.clean_details(permit.kind, details)
    if permit.planned_start is None or permit.planned_end is None:
        raise ValidationError({"planned_start": _("Give when the work starts and ends.")})
    if permit.planned_end <= permit.planned_start:
        raise ValidationError({"planned_end": _("The work must end after it starts.")})
    findings: list[Finding] = []
    decision = checks.decide(enterprise=permit.enterprise, kind=permit.kind, details=permit.details,
                             planned_start=permit.planned_start, planned_end=permit.planned_end,
                             grade=grade or "", findings=findings)
    permit.grade, permit.situation_grade = decision.grade, decision.situation_grade
    permit.grade_raised_by, permit.grade_basis = decision.raised_by, decision.basis
    permit.max_validity_hours = decision.max_validity_hours
    permit.required_approver_level = decision.required_approver_level
    permit.special_period, permit.filing_due_by = decision.special_period, decision.filing_due_by
    permit.video_required = decision.video_required
    findings += checks.certificate_findings(permit.kind, people,
                                            timezone.localtime(permit.planned_end).date())
    return findings


def _next_number(enterprise, kind: str, applied_at: datetime) -> str:
    """KIND_PREFIX + yyyymmdd + a three-digit sequence, unique per enterprise (the caller holds the
    enterprise's row lock, taken when the permit is stamped)."""
    prefix = f"{KIND_PREFIX[kind]}{timezone.localtime(applied_at):%Y%m%d}"
    taken = set(SpecialOperationPermit.objects.filter(enterprise=enterprise, number__startswith=prefix)
                .values_list("number", flat=True))
    sequence = len(taken) + 1
    while f"{prefix}{sequence:03d}" in taken:
        sequence += 1
    return f"{prefix}{sequence:03d}"


def create_permit(*, actor, enterprise, kind: str, applicant_unit: str, work_unit: str, content: str,
                  location: str, planned_start: datetime, planned_end: datetime, details=None, grade: str = "",
                  people: Iterable[dict] = (), related_numbers: Iterable[str] = (), longitude=None, latitude=None,
                  source: str = PermitSource.SHOUYE, number: str = "", applied_at: datetime | None = None,
                  risk_identification: str = "") -> SpecialOperationPermit:
    """A draft permit of ``enterprise``: its number (KIND_PREFIX + date + sequence, or the pushing system's own),
    the form's numbered measures (``standard.MEASURES``, Appendix A), its people, and the rules' decision. A
    pushed permit (``source=external``) is recorded as sent with its findings as problems."""
    if kind not in PermitKind.values:
        raise ValidationError({"kind": _("Choose a kind of special operation.")})
    now = timezone.now()
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        if not actor.has_perm(ISSUE):
            raise PermissionDenied(_("You do not have permission to do this."))
        permit = SpecialOperationPermit(kind=kind, source=source, created_by=actor, applied_at=applied_at or now,
                                        risk_identification=(risk_identification or "").strip())
        permit.stamp_from(enterprise)
        number = (number or "").strip()
        if number:
            if SpecialOperationPermit.objects.filter(enterprise=enterprise, number=number).exists():
                raise ValidationError({"number": _("This enterprise already has a permit with this number.")})
            permit.number = number
        else:
            permit.number = _next_number(enterprise, kind, permit.applied_at)
        people = _people(people)
        findings = _fill(permit, fields={
            "applicant_unit": (applicant_unit or "").strip(), "work_unit": (work_unit or "").strip(),
            "content": (content or "").strip(), "location": (location or "").strip(), "longitude": longitude,
            "latitude": latitude, "planned_start": planned_start, "planned_end": planned_end,
            "related_numbers": [n.strip() for n in related_numbers if n and n.strip()]},
            details=details, grade=grade, people=people)
        _settle(permit, findings, now)
        permit.full_clean(exclude=["enterprise", "township", "industry", "created_by", "special_period"])
        permit.save()
        for person in people:
            person.permit = permit
        PermitPerson.objects.bulk_create(people)
        PermitMeasure.objects.bulk_create(
            PermitMeasure(permit=permit, number=n, text=text)
            for n, text in enumerate(standard.MEASURES.get(kind, ()), start=1))
        _link_related(permit)
        audit.record(actor=actor, verb="permit.create", target=permit, changes={
            "number": permit.number, "kind": kind, "grade": permit.grade, "source": source,
            "problems": [p["code"] for p in permit.problems]})
    return permit


def _link_related(permit: SpecialOperationPermit) -> None:
    """Link the enterprise's permits named in ``related_numbers`` (4.6: one permit per kind, related by number)."""
    permit.related.set(SpecialOperationPermit.objects.filter(enterprise_id=permit.enterprise_id,
                                                             number__in=permit.related_numbers)
                       .exclude(pk=permit.pk))


def edit_permit(*, actor, permit: SpecialOperationPermit, details=None, grade: str = "",
                people: Iterable[dict] | None = None, **fields) -> SpecialOperationPermit:
    """Change a draft (nothing is signed yet: 4.18); the rules decide again (a blank ``grade`` takes theirs)."""
    unknown = set(fields) - set(HEADER)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    now = timezone.now()
    with transaction.atomic():
        permit = _lock(actor, permit, "edit")
        before = {name: str(getattr(permit, name)) for name in (*HEADER, "grade")}
        current_people = list(permit.people.all())
        new_people = _people(people) if people is not None else current_people
        findings = _fill(permit, fields=fields, details=permit.details if details is None else details,
                         grade=grade, people=new_people)
        _settle(permit, findings, now)
        permit.save()
        if people is not None:
            permit.people.all().delete()
            for person in new_people:
                person.permit = permit
            PermitPerson.objects.bulk_create(new_people)
        else:
            PermitPerson.objects.bulk_update(new_people, ["certificate_expires_on", "certificate_review_due"])
        _link_related(permit)
        after = {name: str(getattr(permit, name)) for name in (*HEADER, "grade")}
        audit.record(actor=actor, verb="permit.edit", target=permit, changes=audit.diff(before, after))
    return permit


def identify_risks(*, actor, permit: SpecialOperationPermit, risk_identification: str) -> SpecialOperationPermit:
    """风险辨识结果 (every form; 山东省安全生产条例 Art. 35 (1))."""
    text = (risk_identification or "").strip()
    if not text:
        raise ValidationError({"risk_identification": _("Write down the risks identified.")})
    with transaction.atomic():
        permit = _lock(actor, permit, "identify")
        permit.risk_identification = text
        permit.state = PermitState.IDENTIFIED
        permit.save(update_fields=["risk_identification", "state"])
        audit.record(actor=actor, verb="permit.identify", target=permit)
    return permit


def record_gas_test(*, actor, permit: SpecialOperationPermit, sampled_at: datetime, sample_point: str,
                    representative_gas: str, analyst: str, lel_percent=None, result_percent=None,
                    oxygen_percent=None, oxygen_enriched: bool | None = None, toxic_gas: str = "",
                    toxic_value: str = "") -> GasTest:
    """A gas analysis with the rules' verdict stored (5.3, 6.4). Before work its freshness is judged against
    the planned start (or the sampling time when that is later); during work (the permit in progress or
    suspended) it is a re-test (``during_work``; 5.3.1 d), 6.5) judged on the concentrations alone."""
    now = timezone.now()
    with transaction.atomic():
        permit = _lock(actor, permit, "gas-test")
        if permit.kind not in GAS_ANALYSIS_KINDS:
            raise ValidationError({"kind": _("This kind of permit has no gas analysis.")})
        if sampled_at > now + CLOCK_SKEW:
            raise ValidationError({"sampled_at": _("The sampling time is in the future.")})
        for name, value in (("sample_point", sample_point), ("representative_gas", representative_gas),
                            ("analyst", analyst)):
            if not (value or "").strip():
                raise ValidationError({name: _("This field is required.")})
        during = permit.state in LIVE_STATES
        enriched = (permit.details.get("oxygen_enriched", False) if oxygen_enriched is None
                    else oxygen_enriched)
        try:
            verdict = gas_test_rule(
                kind=PermitKind.CONFINED_SPACE if permit.kind == PermitKind.CONFINED_SPACE else PermitKind.HOT_WORK,
                lel_percent=lel_percent, flammable_percent_vol=result_percent, sampled_at=sampled_at,
                work_starts_at=sampled_at if during else max(permit.planned_start, sampled_at),
                oxygen_percent=oxygen_percent, oxygen_enriched=enriched)
        except RuleInputError as exc:
            field = {"flammable_percent_vol": "result_percent"}.get(exc.field, exc.field)
            raise ValidationError({field: exc.message}) from exc
        test = GasTest.objects.create(
            permit=permit, sampled_at=sampled_at, sample_point=sample_point.strip(),
            representative_gas=representative_gas.strip(), lel_percent=lel_percent, result_percent=result_percent,
            oxygen_percent=oxygen_percent, toxic_gas=(toxic_gas or "").strip(),
            toxic_value=(toxic_value or "").strip(), analyst=analyst.strip(), during_work=during,
            passed=verdict.passed, failures=list(verdict.failures), recorded_by=actor)
        if permit.last_gas_test_at is None or sampled_at > permit.last_gas_test_at:
            permit.last_gas_test_at = sampled_at
            permit.save(update_fields=["last_gas_test_at"])
        audit.record(actor=actor, verb="permit.gas-test", target=permit, changes={
            "sampled_at": sampled_at.isoformat(), "passed": verdict.passed, "during_work": during},
            note="；".join(verdict.failures))
    return test


def confirm_measures(*, actor, permit: SpecialOperationPermit, measures: Iterable[dict], other_measures: str = "",
                     other_author: str = "") -> SpecialOperationPermit:
    """是否涉及 / 确认人: every numbered measure marked involved or not, each involved one with its confirmer;
    then the closing 其他安全措施 with its author (编制人)."""
    given = {int(row["number"]): row for row in measures}
    other_measures, other_author = (other_measures or "").strip(), (other_author or "").strip()
    with transaction.atomic():
        permit = _lock(actor, permit, "confirm-measures")
        rows = list(permit.measures.filter(is_other=False))
        errors = {}
        now = timezone.now()
        for row in rows:
            entry = given.get(row.number)
            if entry is None or entry.get("involved") is None:
                errors[f"measures[{row.number}]"] = _("Measure %(n)d: say whether it is involved.") % {"n": row.number}
                continue
            confirmer = (entry.get("confirmed_by") or "").strip()
            if entry["involved"] and not confirmer:
                errors[f"measures[{row.number}]"] = _("Measure %(n)d: give who confirmed it.") % {"n": row.number}
            row.involved, row.confirmed_by = bool(entry["involved"]), confirmer
            row.confirmed_by_user, row.confirmed_at = actor, now
        unknown = set(given) - {row.number for row in rows}
        if unknown:
            errors["measures"] = _("The form has no measure %(numbers)s.") % {
                "numbers": "、".join(str(n) for n in sorted(unknown))}
        if other_measures and not other_author:
            errors["other_author"] = _("Give who wrote the other safety measures.")
        if errors:
            raise ValidationError(errors)
        PermitMeasure.objects.bulk_update(rows, ["involved", "confirmed_by", "confirmed_by_user", "confirmed_at"])
        if other_measures:
            PermitMeasure.objects.create(permit=permit, number=len(rows) + 1, text=other_measures, is_other=True,
                                         author=other_author, involved=True, confirmed_by=other_author,
                                         confirmed_by_user=actor, confirmed_at=now)
        permit.state = PermitState.MEASURES_CONFIRMED
        permit.save(update_fields=["state"])
        audit.record(actor=actor, verb="permit.confirm-measures", target=permit, changes={
            "involved": [row.number for row in rows if row.involved], "other": bool(other_measures)})
    return permit


def brief_permit(*, actor, permit: SpecialOperationPermit, briefed_by: str,
                 briefed_to: Iterable[str]) -> SpecialOperationPermit:
    """安全交底 (4.4): who briefed whom, before the signatures."""
    briefed_by = (briefed_by or "").strip()
    names = [name.strip() for name in briefed_to if name and name.strip()]
    errors = {}
    if not briefed_by:
        errors["briefed_by"] = _("Give who gave the briefing.")
    if not names:
        errors["briefed_to"] = _("Give who received the briefing.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        permit = _lock(actor, permit, "brief")
        permit.briefed_by, permit.briefed_to, permit.briefed_at = briefed_by, names, timezone.now()
        permit.state = PermitState.BRIEFED
        permit.save(update_fields=["briefed_by", "briefed_to", "briefed_at", "state"])
        audit.record(actor=actor, verb="permit.brief", target=permit, changes={"by": briefed_by, "to": names})
    return permit


# --- signatures -----------------------------------------------------------------------------------------------


def sign_permit(*, actor, permit: SpecialOperationPermit, act: str = "", step: str = "", name: str,
                opinion: str = "", level: str = "", latitude=None, longitude=None, accuracy_m=None,
                image: bytes | None = None, video_url: str = "", signed_at: datetime | None = None
                ) -> PermitSignature:
    """The next signature of the form's chain (``chains.CHAINS``), in order only: a step out of order is refused
    naming the next one. ``act`` (sign, approve, check, accept) is the workflow step the caller took; it must be
    what the next signature is. The approving signature checks the approver's level (Table B.1), the gas test
    and the video measure, and the filing in a special period; the acceptance of special hot work needs the
    video link (5.2.11). A pushed permit's system may give ``signed_at``, the moment the rules are judged at."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the signer's name.")})
    with transaction.atomic():
        permit = SpecialOperationPermit.objects.select_for_update().get(pk=permit.pk)
        ensure_in_scope(actor, permit)
        now = _moment(permit, signed_at, "signed_at")
        signed = set(permit.signatures.values_list("step", flat=True))
        following = chains.next_step(permit.kind, signed)
        if following is None:
            raise ValidationError({"step": _("Every signature of this permit is taken.")})
        expected = act_of(following)
        act = act or expected
        if act not in ("sign", *STEP_ACT.values()):
            raise ValidationError({"step": _("Unknown signature.")})
        WORKFLOW.ensure_may(actor, permit, act)
        if (step and step != following.key) or act != expected:
            raise ValidationError({"step": _("Signatures are taken in the form's order: the next is “%(step)s”.")
                                   % {"step": following.label}})
        changed: list[str] = ["state"]
        findings: list[Finding] = []
        if act == "approve":
            findings += checks.approval_findings(permit, level=level, now=now, gas_tests=list(permit.gas_tests.all()))
            if permit.filing_due_by is not None and permit.filed_at is None:
                findings.append(Finding("filing", _(
                    "File the permit with the bureau before approval (special period, due by %(due)s).")
                    % {"due": timezone.localtime(permit.filing_due_by).strftime("%Y-%m-%d %H:%M")},
                    checks.ProblemCode.FILED_LATE))
            permit.approved_at = now
            changed.append("approved_at")
        if act == "accept":
            video_url = (video_url or "").strip()
            if video_url:
                permit.video_url = video_url
                changed.append("video_url")
            if permit.video_required and not permit.video_url:
                findings.append(Finding("video_url", _(
                    "Special hot work is accepted only with the link to its full-process video (GB 30871-2022 "
                    "5.2.11)."), checks.ProblemCode.VIDEO_MISSING))
            permit.completed_at = now
            changed.append("completed_at")
        changed += _settle(permit, findings, now)
        permit.state = WORKFLOW.ensure_allowed(permit.state, act)
        signature = PermitSignature.objects.create(
            permit=permit, step=following.key, sequence=chains.chain(permit.kind).index(following) + 1, name=name,
            signer=actor, opinion=(opinion or "").strip(), level=level if act == "approve" else "",
            latitude=latitude, longitude=longitude, accuracy_m=accuracy_m, image=image, signed_at=now)
        permit.save(update_fields=changed)
        audit.record(actor=actor, verb=f"permit.{act}", target=permit, changes={
            "step": following.key, "name": name, **({"level": level} if act == "approve" else {}),
            **({"position": [str(latitude), str(longitude)]} if latitude is not None else {})})
    return signature


def approve_permit(**kwargs) -> PermitSignature:
    return sign_permit(act="approve", **kwargs)


def check_permit(**kwargs) -> PermitSignature:
    return sign_permit(act="check", **kwargs)


def accept_permit(**kwargs) -> PermitSignature:
    return sign_permit(act="accept", **kwargs)


def file_permit(*, actor, permit: SpecialOperationPermit, note: str = "") -> SpecialOperationPermit:
    """报备: the permit filed with the bureau in a special period that asks for it; the bureau's staff and the
    township's officers are notified. Filed after the deadline it is recorded as late (a problem flag)."""
    now = timezone.now()
    with transaction.atomic():
        permit = _lock(actor, permit, "file")
        if permit.filing_due_by is None:
            raise ValidationError({"filing": _("No special period asks for this permit to be filed.")})
        if permit.filed_at is not None:
            raise ValidationError({"filing": _("The permit is already filed.")})
        permit.filed_at = now
        changed = ["filed_at"]
        if now > permit.filing_due_by:
            late = [Finding("filing", _("Filed at %(at)s, after the deadline %(due)s.") % {
                "at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
                "due": timezone.localtime(permit.filing_due_by).strftime("%Y-%m-%d %H:%M")},
                checks.ProblemCode.FILED_LATE)]
            permit.problems = [*permit.problems, *checks.as_problems(late, now)]
            permit.problem_count = len(permit.problems)
            changed += ["problems", "problem_count"]
        permit.save(update_fields=changed)
        audit.record(actor=actor, verb="permit.file", target=permit, note=(note or "").strip())
        recipients = (list(users_with_role(Role.BUREAU_STAFF)) + list(users_with_role(Role.BUREAU_ADMIN))
                      + list(users_with_role(Role.TOWNSHIP_OFFICER, township=permit.township_id)))
        title = _("Permit filed: %(enterprise)s %(number)s (%(kind)s)") % {
            "enterprise": permit.enterprise.name, "number": permit.number, "kind": permit.get_kind_display()}
        body = _("Work from %(start)s to %(end)s at %(location)s. %(note)s") % {
            "start": timezone.localtime(permit.planned_start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(permit.planned_end).strftime("%Y-%m-%d %H:%M"),
            "location": permit.location, "note": (note or "").strip()}
        link = _link(permit.pk)
        transaction.on_commit(lambda: notify(recipients=recipients, verb="permit.filed", title=title, body=body,
                                             link=link, dedupe_key=f"permit-filed-{permit.pk}"))
    return permit


# --- the work -------------------------------------------------------------------------------------------------


def start_work(*, actor, permit: SpecialOperationPermit, started_at: datetime | None = None) -> SpecialOperationPermit:
    """The work starts under its watchperson, within the permit's time (4.16), after the shift leader's check for
    hot work, and — for hot work and confined space — within 30 minutes of a passing gas sample (5.3.1 c),
    6.3 a)). A pushed permit's system may give ``started_at``; a start outside the permit's time is then a
    problem flag."""
    with transaction.atomic():
        permit = _lock(actor, permit, "start")
        now = _moment(permit, started_at, "started_at")
        if any(s.shift_check for s in chains.chain(permit.kind)) and permit.state != PermitState.READY:
            raise ValidationError({"state": _("The shift leader checks the permit before hot work starts.")})
        if not permit.people.filter(role="watchperson").exists():
            raise ValidationError({"people": _("Name the watchperson before the work starts (4.10).")})
        findings = []
        if now >= permit.planned_end:
            findings.append(Finding("planned_end", _("The permit's time has passed: the work needs a new permit "
                                                     "(GB 30871-2022 4.16)."), checks.ProblemCode.VALIDITY_EXCEEDED))
        elif now < permit.planned_start:
            findings.append(Finding("planned_start", _("The work may start from %(at)s.") % {
                "at": timezone.localtime(permit.planned_start).strftime("%Y-%m-%d %H:%M")},
                checks.ProblemCode.VALIDITY_EXCEEDED))
        if permit.kind in chains.GAS_TEST_KINDS:
            fresh = permit.gas_tests.filter(passed=True, sampled_at__gte=now - checks.GAS_SAMPLE_MAX_AGE,
                                            sampled_at__lte=now + CLOCK_SKEW).exists()
            if not fresh:
                findings.append(Finding("gas_test", _(
                    "No passing gas sample in the last 30 minutes: sample again before the work starts "
                    "(GB 30871-2022 5.3.1 c), 6.3 a))."), checks.ProblemCode.GAS_TEST_STALE))
        changed = ["state", "started_at", *_settle(permit, findings, now)]
        permit.state, permit.started_at = PermitState.IN_PROGRESS, now
        permit.save(update_fields=changed)
        audit.record(actor=actor, verb="permit.start", target=permit)
    return permit


def _move(actor, permit, action: str, *, reason: str = "", reason_required: bool = False,
          closing: bool = False) -> SpecialOperationPermit:
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        permit = _lock(actor, permit, action)
        permit.state = WORKFLOW.ensure_allowed(permit.state, action)
        changed = ["state"]
        if closing:
            permit.closed_at, permit.close_reason = timezone.now(), reason[:200]
            changed += ["closed_at", "close_reason"]
        permit.save(update_fields=changed)
        audit.record(actor=actor, verb=f"permit.{action}", target=permit, note=reason)
    return permit


def suspend_work(*, actor, permit, reason: str = "") -> SpecialOperationPermit:
    """The watchperson stops the work for a while (4.10)."""
    return _move(actor, permit, "suspend", reason=reason)


def resume_work(*, actor, permit, reason: str = "") -> SpecialOperationPermit:
    return _move(actor, permit, "resume", reason=reason)


def revoke_permit(*, actor, permit, reason: str) -> SpecialOperationPermit:
    """The watchperson takes the permit back on an abnormality or a serious violation (4.10 e), f)); the work
    needs a new permit."""
    return _move(actor, permit, "revoke", reason=reason, reason_required=True, closing=True)


def cancel_permit(*, actor, permit, reason: str) -> SpecialOperationPermit:
    return _move(actor, permit, "cancel", reason=reason, reason_required=True, closing=True)


def archive_permit(*, actor, permit) -> SpecialOperationPermit:
    """Accepted permits are archived (kept at least one year, B.3)."""
    return _move(actor, permit, "archive", closing=True)


def add_photos(*, actor, permit: SpecialOperationPermit, photos, measure_number: int | None = None) -> list:
    """Photos of measures in place or of the site, taken on the phone."""
    checked = check_photos(photos, required=True)
    with transaction.atomic():
        permit = _lock(actor, permit, "photo")
        measure = None
        if measure_number is not None:
            measure = permit.measures.filter(number=measure_number).first()
            if measure is None:
                raise ValidationError({"measure": _("The form has no measure %(n)s.") % {"n": measure_number}})
        rows = save_photos(PermitPhoto, {"permit": permit, "measure": measure}, checked, actor)
        audit.record(actor=actor, verb="permit.photo", target=permit, changes={"photos": len(rows)})
    return rows


def expire_permits(*, now: datetime | None = None) -> dict:
    """The hourly job: approved permits not completed whose planned end has passed are closed as expired (4.16:
    the work needs a new permit). Idempotent: an expired permit is no longer open."""
    now = now or timezone.now()
    expired = 0
    due = list(SpecialOperationPermit.objects.filter(state__in=OPEN, planned_end__lt=now)
               .values_list("pk", flat=True)[:5000])
    for pk in due:
        with transaction.atomic():
            permit = SpecialOperationPermit.objects.select_for_update().get(pk=pk)
            if permit.state not in OPEN or permit.planned_end >= now:
                continue
            permit.state = WORKFLOW.ensure_allowed(permit.state, "expire")
            permit.closed_at, permit.close_reason = now, _("The permit's time ran out before completion.")
            permit.save(update_fields=["state", "closed_at", "close_reason"])
            audit.record(actor=None, actor_name="system", verb="permit.expire", target=permit)
            expired += 1
    return {"expired": expired}
