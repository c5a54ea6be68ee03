"""Business acts on work areas and the personnel ledger. Each is one transaction with one audit event; bad input
raises ValidationError with field messages and writes nothing; an object out of scope is NotInScope (404), a
missing permission PermissionDenied (403)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.enterprises.chemical import is_chemical
from shouye.enterprises.models import Enterprise
from shouye.regions.scoping import ensure_in_scope
from shouye.rules.errors import RuleInputError
from shouye.rules.identifiers import mask_id_number, mask_phone

from .choices import CertificateKind
from .models import WorkArea, Worker, WorkerCertificate

#: Fields a form, the API or an import may set.
AREA_FIELDS = ["name", "location", "hazards_present", "people_present", "assessed_on", "high_risk",
               "assessment_reason", "max_people", "allowed_posts", "measures", "zone"]
#: What only a high-risk work area keeps (cleared when an area is assessed as not high-risk).
HIGH_RISK_FIELDS = ["max_people", "allowed_posts", "measures", "zone"]
WORKER_FIELDS = ["name", "id_number", "post", "phone"]
#: A certificate's dates the rule computes (``certificates.review``), never given.
COMPUTED_FIELDS = ["expires_on", "next_review_due", "apply_from", "apply_by"]
CERTIFICATE_FIELDS = ["kind", "operation_category", "number", "issued_on", "last_review_on", "continuous_years",
                      "compliant", "authority"]


def ensure_permission(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


def _locked_enterprise(actor, enterprise: Enterprise) -> Enterprise:
    """The enterprise, in scope (404 otherwise), locked against a concurrent move while its rows are stamped."""
    ensure_in_scope(actor, enterprise)
    return (Enterprise.objects.select_for_update(of=("self",), no_key=True).select_related("industry")
            .get(pk=enterprise.pk))


# --- work areas ------------------------------------------------------------------------------------------------


def _area_snapshot(area: WorkArea) -> dict:
    values = {f: getattr(area, f"{f}_id" if f == "zone" else f) for f in AREA_FIELDS}
    return {f: (str(v) if v is not None else None) for f, v in values.items()}


def _check_area(area: WorkArea, enterprise: Enterprise) -> None:
    """The model's validation, then the rules of a high-risk designation: only a chemical enterprise designates
    one, and it names the maximum number of people; an area that is not high-risk keeps none of them."""
    errors = {}
    if area.high_risk:
        if not is_chemical(enterprise):
            errors["high_risk"] = [_("Only chemical and hazardous-chemical enterprises designate high-risk work "
                                     "areas; assess this area as not high-risk.")]
        if area.max_people is None:
            errors["max_people"] = [_("Give the maximum number of people allowed in a high-risk work area.")]
    else:
        for field in HIGH_RISK_FIELDS:
            setattr(area, field, WorkArea._meta.get_field(field).get_default())
    try:
        area.full_clean(exclude=["enterprise", "township", "industry"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if area.zone_id is not None and area.zone.plan.enterprise_id != enterprise.pk:
        errors["zone"] = [_("Choose a zone on the enterprise's own floor plan.")]
    duplicate = WorkArea.objects.filter(enterprise=enterprise, name=area.name).exclude(pk=area.pk)
    if area.name and duplicate.exists():
        errors.setdefault("name", []).append(_("The enterprise already has a work area of this name."))
    if errors:
        raise ValidationError(errors)


def assess_work_area(*, actor, enterprise: Enterprise, data: dict) -> WorkArea:
    """Record the assessment of one of the enterprise's work areas (and, for a chemical enterprise, its
    designation as high-risk)."""
    with transaction.atomic():
        ensure_permission(actor, "workareas.add_workarea")
        enterprise = _locked_enterprise(actor, enterprise)
        area = WorkArea(**{f: data[f] for f in AREA_FIELDS if f in data})
        area.stamp_from(enterprise, locked=True)
        _check_area(area, enterprise)
        area.save()
        audit.record(actor=actor, verb="workarea.assess", target=area, changes={"fields": _area_snapshot(area)})
    return area


def update_work_area(*, actor, work_area: WorkArea, data: dict) -> WorkArea:
    """Change an assessment. An area with people in the ledger stays high-risk until they are moved; lowering its
    maximum below the people it has is allowed (a reassessment) and shows it as over capacity until fixed."""
    with transaction.atomic():
        ensure_permission(actor, "workareas.change_workarea")
        ensure_in_scope(actor, work_area)
        area = (WorkArea.objects.select_for_update(of=("self",)).select_related("enterprise__industry")
                .get(pk=work_area.pk))
        before = _area_snapshot(area)
        for field in AREA_FIELDS:
            if field in data:
                setattr(area, field, data[field])
        _check_area(area, area.enterprise)
        people = area.workers.count()
        if not area.high_risk and people:
            raise ValidationError({"high_risk": _(
                "%(count)d people of the ledger work in this area: take it off their records before assessing "
                "it as not high-risk.") % {"count": people}})
        area.save()
        audit.record(actor=actor, verb="workarea.update", target=area,
                     changes=audit.diff(before, _area_snapshot(area)))
    return area


# --- the personnel ledger --------------------------------------------------------------------------------------


def worker_snapshot(worker: Worker, areas: Iterable[WorkArea], certificates: Iterable[WorkerCertificate]) -> dict:
    """What the audit keeps of a worker: the ID number and phone masked (个人信息保护法: the trail is read more
    widely than the ledger)."""
    return {"name": worker.name, "post": worker.post, "id_number": mask_id_number(worker.id_number),
            "phone": mask_phone(worker.phone), "work_areas": sorted(area.pk for area in areas),
            "certificates": [f"{c.kind}:{c.number}" for c in certificates]}


def clean_certificates(rows: Sequence[dict]) -> list[WorkerCertificate]:
    """Certificate rows through their model's validation and the rule's dates; errors keyed
    ``certificates[0].number``."""
    objects, errors, today = [], {}, timezone.localdate()
    for index, row in enumerate(rows):
        certificate = WorkerCertificate(**{f: row[f] for f in CERTIFICATE_FIELDS if f in row and row[f] is not None})
        row_errors = {}
        if certificate.kind == CertificateKind.SPECIAL_OPERATION and not certificate.operation_category.strip():
            row_errors["operation_category"] = [_("Give the operation category of a special-operation "
                                                  "certificate.")]
        if certificate.issued_on and certificate.last_review_on and certificate.last_review_on < certificate.issued_on:
            row_errors["last_review_on"] = [_("The last review cannot be before the certificate was issued.")]
        for field in ("issued_on", "last_review_on"):
            if getattr(certificate, field) is not None and getattr(certificate, field) > today:
                row_errors[field] = [_("This date is in the future: give the date on the certificate.")]
        if certificate.kind in CertificateKind.values and certificate.issued_on and not row_errors:
            try:
                certificate.compute_dates()
            except RuleInputError as exc:
                row_errors[exc.field] = [exc.message]
        try:
            certificate.full_clean(exclude=["worker", *COMPUTED_FIELDS])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                row_errors.setdefault(field, []).extend(messages)
        for field, messages in row_errors.items():
            errors[f"certificates[{index}].{field}"] = messages
        objects.append(certificate)
    if errors:
        raise ValidationError(errors)
    return objects


def capacity_errors(areas: Iterable[WorkArea], *, adding: dict[int, int], exclude_worker: int | None = None) -> dict:
    """``{"work_areas": [...]}`` naming each area that ``adding[area.pk]`` more people would take over its maximum,
    counted in one query; empty when all fit."""
    areas = list(areas)
    counts = dict(Worker.objects.filter(work_areas__in=areas).exclude(pk=exclude_worker)
                  .values_list("work_areas").annotate(n=Count("pk", distinct=True)).order_by())
    messages = []
    for area in areas:
        present = counts.get(area.pk, 0)
        if area.max_people is not None and present + adding.get(area.pk, 0) > area.max_people:
            messages.append(_("“%(area)s” allows at most %(max)d people and already has %(present)d in the ledger: "
                              "raise its maximum after a reassessment or take someone off it first.")
                            % {"area": area.name, "max": area.max_people, "present": present})
    return {"work_areas": messages} if messages else {}


def post_errors(areas: Iterable[WorkArea], post: str) -> dict:
    """``{"work_areas": [...]}`` naming each area whose posts allowed in (when it lists them) leave ``post`` out."""
    messages = [_("“%(area)s” admits only the posts %(posts)s; “%(post)s” is not one of them.")
                % {"area": area.name, "posts": "、".join(area.posts()), "post": post}
                for area in areas if area.posts() and post.strip() not in area.posts()]
    return {"work_areas": messages} if messages else {}


def _check_areas(enterprise: Enterprise, areas: Sequence[WorkArea], worker: Worker) -> list[WorkArea]:
    """The areas, locked: each the enterprise's own high-risk area, admitting the person's post, none taken over its
    maximum by this person."""
    ids = sorted({area.pk for area in areas})
    locked = list(WorkArea.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids) or any(area.enterprise_id != enterprise.pk or not area.high_risk for area in locked):
        raise ValidationError({"work_areas": _("Choose among the enterprise's own high-risk work areas.")})
    errors = post_errors(locked, worker.post)
    if errors:
        raise ValidationError(errors)
    current = set() if worker.pk is None else set(
        Worker.work_areas.through.objects.filter(worker_id=worker.pk).values_list("workarea_id", flat=True))
    new = [area for area in locked if area.pk not in current]
    errors = capacity_errors(new, adding={area.pk: 1 for area in new}, exclude_worker=worker.pk)
    if errors:
        raise ValidationError(errors)
    return locked


def _check_worker(worker: Worker, enterprise: Enterprise) -> None:
    """The model's validation (the ID number by GB 11643, the phone), the ID number written as the registry writes
    it (upper-case check character), and once per enterprise."""
    worker.id_number = (worker.id_number or "").strip().upper()
    errors = {}
    try:
        worker.full_clean(exclude=["enterprise", "township", "industry", "work_areas"], validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    if worker.id_number and "id_number" not in errors and Worker.objects.filter(
            enterprise=enterprise, id_number=worker.id_number).exclude(pk=worker.pk).exists():
        errors["id_number"] = [_("This ID number is already in the enterprise's personnel ledger.")]
    if errors:
        raise ValidationError(errors)


def _save_worker(actor, worker: Worker, enterprise: Enterprise, areas, certificate_rows, *, verb: str,
                 before: dict | None) -> Worker:
    """Every check first (the person's fields and all certificate rows, so one round trip shows every mistake),
    then the work areas under their locks; then the writes."""
    errors, certificates = {}, []
    try:
        _check_worker(worker, enterprise)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        certificates = clean_certificates(certificate_rows)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    locked = _check_areas(enterprise, areas, worker)
    worker.save()
    worker.work_areas.set(locked)
    worker.certificates.all().delete()
    for certificate in certificates:
        certificate.worker = worker
    WorkerCertificate.objects.bulk_create(certificates)
    after = worker_snapshot(worker, locked, certificates)
    audit.record(actor=actor, verb=verb, target=worker,
                 changes={"fields": after} if before is None else audit.diff(before, after))
    return worker


def register_worker(*, actor, enterprise: Enterprise, data: dict, work_areas: Sequence[WorkArea] = (),
                    certificates: Sequence[dict] = ()) -> Worker:
    """Add a person to the enterprise's personnel ledger with the high-risk work areas they work in and their
    certificates. A work area already at its maximum number of people refuses them."""
    with transaction.atomic():
        ensure_permission(actor, "workareas.add_worker")
        enterprise = _locked_enterprise(actor, enterprise)
        worker = Worker(**{f: data[f] for f in WORKER_FIELDS if f in data})
        worker.stamp_from(enterprise, locked=True)
        return _save_worker(actor, worker, enterprise, work_areas, certificates, verb="worker.register", before=None)


def update_worker(*, actor, worker: Worker, data: dict, work_areas: Sequence[WorkArea] | None = None,
                  certificates: Sequence[dict] | None = None) -> Worker:
    """Change a person's record; the work areas and certificates given replace theirs (omitted: kept)."""
    with transaction.atomic():
        ensure_permission(actor, "workareas.change_worker")
        ensure_in_scope(actor, worker)
        worker = Worker.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=worker.pk)
        current_areas = list(worker.work_areas.order_by("pk"))
        current_certificates = list(worker.certificates.all())
        before = worker_snapshot(worker, current_areas, current_certificates)
        for field in WORKER_FIELDS:
            if field in data:
                setattr(worker, field, data[field])
        areas = current_areas if work_areas is None else work_areas
        rows = [{f: getattr(c, f) for f in CERTIFICATE_FIELDS} for c in current_certificates] \
            if certificates is None else certificates
        return _save_worker(actor, worker, worker.enterprise, areas, rows, verb="worker.update", before=before)


def remove_worker(*, actor, worker: Worker) -> None:
    """Take a person off the ledger (they left the enterprise or its high-risk work), with their certificates;
    the audit event keeps what the record said."""
    with transaction.atomic():
        ensure_permission(actor, "workareas.delete_worker")
        ensure_in_scope(actor, worker)
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        snapshot = worker_snapshot(worker, worker.work_areas.all(), worker.certificates.all())
        audit.record(actor=actor, verb="worker.remove", target=worker, changes={"fields": snapshot})
        worker.delete()

