"""Business acts of inspections: start an inspection with a snapshot of its checklist, record item results
and photos, finish it (its non-compliant items become hazards through the hazards app's service), issue
its numbered documents, and plan the year's inspections.

Every act is one keyword-only function and one transaction: it checks scope (404), permission (403) and
the transition (409, workflow.py), validates its input (400) before writing anything, saves, and writes
one audit event. A refused act changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.accounts.choices import OrganisationKind, Role
from shouye.accounts.selectors import users_with_role
from shouye.audit import services as audit
from shouye.core import signatures as signature_images
from shouye.core.attachments import check_photos, save_photos
from shouye.core.uploads import CheckedPhoto
from shouye.enterprises.choices import OperatingStatus
from shouye.enterprises.models import Enterprise
from shouye.enterprises.stamps import locked_for_stamping
from shouye.hazards import services as hazard_services
from shouye.hazards.choices import HazardLevel, HazardSource
from shouye.regions.scoping import ensure_in_scope, is_in_scope

from . import documents, numbering, reinspection
from .choices import DeliveryMethod, DocumentKind, InspectionKind, InspectionState, ItemResult, SignerRole
from .models import (
    Checklist,
    Document,
    DocumentSignature,
    Inspection,
    InspectionItem,
    InspectionPhoto,
    InspectionPlan,
)
from .workflow import (
    ENFORCE,
    PLAN_CHANGE,
    PLAN_GENERATE,
    START,
    WORKFLOW,
    is_officer,
)

#: 行政处罚法 (2021) Art. 42: administrative penalties are carried out by at least two enforcement officers
#: holding enforcement credentials; an enforcement inspection is planned and recorded the same way.
MIN_ENFORCEMENT_OFFICERS = 2
#: Tolerated clock difference between a phone and the server for the inspection time.
CLOCK_SKEW = timedelta(minutes=10)
#: Longest rectification deadline an order may set; longer ones are typing errors, not plans.
MAX_DEADLINE_DAYS = 366


# --- helpers ------------------------------------------------------------------------------------------


def _ensure(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


def is_enforcement_officer(user) -> bool:
    """An enforcement officer of the bureau (执法人员): the role grants the enforcement permission."""
    return user.is_active and user.has_perm(ENFORCE)


def is_expert(user) -> bool:
    return user.is_active and user.has_role(Role.EXPERT)


def _distinct(users: Iterable) -> list:
    seen, result = set(), []
    for user in users or ():
        if user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def may_record(actor, inspection: Inspection) -> bool:
    """Whether the record page offers ``actor`` to mark items and finish (the service decides again)."""
    return "record" in WORKFLOW.available(actor, inspection)


def _names(users) -> str:
    return "、".join(str(user) for user in users)


# --- starting an inspection ---------------------------------------------------------------------------


def _check_people(actor, *, kind: str, enterprise: Enterprise, inspectors: list, experts: list) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for user in inspectors:
        if not is_officer(user):
            add("inspectors", _("%(name)s is not an inspecting officer.") % {"name": user})
        elif not is_in_scope(user, enterprise):
            add("inspectors", _("%(name)s has no jurisdiction over this enterprise.") % {"name": user})
    for user in experts:
        if not is_expert(user):
            add("experts", _("%(name)s is not an expert.") % {"name": user})
        elif not is_in_scope(user, enterprise):
            add("experts", _("%(name)s is not assigned to this enterprise.") % {"name": user})
    if kind == InspectionKind.ENFORCEMENT:
        officers = [user for user in inspectors if is_enforcement_officer(user)]
        if len(officers) < MIN_ENFORCEMENT_OFFICERS:
            add("inspectors", _("An enforcement inspection needs at least two enforcement officers "
                                "(Administrative Penalty Law, Art. 42)."))
    if kind == InspectionKind.EXPERT and not experts:
        add("experts", _("An expert inspection needs at least one expert."))
    if kind != InspectionKind.EXPERT and not inspectors:
        add("inspectors", _("Name at least one inspector."))
    if not is_officer(actor) and (kind != InspectionKind.EXPERT or actor.pk not in {u.pk for u in experts}):
        add("kind", _("Experts record only the expert inspections they take part in."))
    return errors


def _check_source(actor, *, kind: str, enterprise: Enterprise, checklist: Checklist | None,
                  reinspection_of: Inspection | None) -> dict:
    errors: dict[str, list[str]] = {}
    if kind == InspectionKind.REINSPECTION:
        if reinspection_of is None:
            errors["reinspection_of"] = [_("Choose the inspection whose hazards are re-inspected.")]
        else:
            ensure_in_scope(actor, reinspection_of)
            if reinspection_of.enterprise_id != enterprise.pk:
                errors["reinspection_of"] = [_("The earlier inspection is of another enterprise.")]
            elif not reinspection_of.is_finished:
                errors["reinspection_of"] = [_("The earlier inspection is not finished yet.")]
            elif not reinspection_of.items.filter(result=ItemResult.NON_COMPLIANT, hazard__isnull=False).exists():
                errors["reinspection_of"] = [_("The earlier inspection found no hazards to re-inspect.")]
        if checklist is not None:
            errors["checklist"] = [_("A re-inspection checks the earlier inspection's hazards, not a checklist.")]
    else:
        if reinspection_of is not None:
            errors["reinspection_of"] = [_("Only a re-inspection refers to an earlier inspection.")]
        if checklist is None:
            errors["checklist"] = [_("Choose a checklist.")]
        elif not checklist.is_active:
            errors["checklist"] = [_("This checklist is no longer in use.")]
    return errors


def _snapshot_items(inspection: Inspection, checklist: Checklist | None,
                    reinspection_of: Inspection | None) -> int:
    """Copy the checklist's items as they are now (the version this inspection keeps); a re-inspection
    copies the earlier inspection's non-compliant items, each linked to the hazard it re-inspects."""
    if checklist is not None:
        rows = [InspectionItem(inspection=inspection, checklist_item=item, order=item.order, text=item.text,
                               legal_basis=item.legal_basis, default_level=item.default_level,
                               category=item.category)
                for item in checklist.items.order_by("order", "id")]
    else:
        earlier = (reinspection_of.items.filter(result=ItemResult.NON_COMPLIANT, hazard__isnull=False)
                   .select_related("hazard").order_by("order", "id"))
        rows = [InspectionItem(inspection=inspection, checklist_item=item.checklist_item, order=n,
                               text=item.text, legal_basis=item.legal_basis, default_level=item.hazard.level,
                               category=item.category, location=item.hazard.location, hazard=item.hazard)
                for n, item in enumerate(earlier, start=1)]
    InspectionItem.objects.bulk_create(rows)
    return len(rows)


def start_inspection(*, actor, enterprise: Enterprise, kind: str, inspected_at: datetime, inspectors: Iterable = (),
                     experts: Iterable = (), checklist: Checklist | None = None, place: str = "",
                     subject: str = "", notes: str = "", reinspection_of: Inspection | None = None) -> Inspection:
    """Open an inspection record of ``enterprise``: who inspects, with which checklist (its items are
    copied now, so later edits of the template leave this record as it was). An enforcement inspection
    needs at least two enforcement officers (行政处罚法 Art. 42)."""
    with transaction.atomic():
        ensure_in_scope(actor, enterprise)
        _ensure(actor, START)
        if kind == InspectionKind.ENFORCEMENT and not actor.has_perm(ENFORCE):
            raise PermissionDenied(_("Only enforcement officers conduct enforcement inspections."))
        inspectors, experts = _distinct(inspectors), _distinct(experts)
        errors: dict[str, list[str]] = {}
        if kind not in InspectionKind.values:
            errors["kind"] = [_("Choose the kind of inspection.")]
        else:
            errors.update(_check_people(actor, kind=kind, enterprise=enterprise, inspectors=inspectors,
                                        experts=experts))
            for field, messages in _check_source(actor, kind=kind, enterprise=enterprise, checklist=checklist,
                                                 reinspection_of=reinspection_of).items():
                errors.setdefault(field, []).extend(messages)
        if inspected_at is None:
            errors["inspected_at"] = [_("Give the date and time of the inspection.")]
        elif inspected_at > timezone.now() + CLOCK_SKEW:
            errors["inspected_at"] = [_("The inspection time cannot be in the future.")]
        if errors:
            raise ValidationError(errors)
        inspection = Inspection(
            kind=kind, inspected_at=inspected_at, place=(place or "").strip(),
            subject=(subject or "").strip(), notes=(notes or "").strip(), checklist=checklist,
            checklist_name=checklist.name if checklist else "",
            checklist_version=checklist.version if checklist else None,
            reinspection_of=reinspection_of, created_by=actor,
        ).stamp_from(enterprise)
        inspection.full_clean()
        inspection.save()
        inspection.inspectors.set(inspectors)
        inspection.experts.set(experts)
        count = _snapshot_items(inspection, checklist, reinspection_of)
        audit.record(actor=actor, verb="inspection.start", target=inspection, changes={
            "kind": kind, "enterprise": enterprise.pk, "checklist": checklist.code if checklist else None,
            "checklist_version": inspection.checklist_version, "items": count,
            "inspectors": [u.pk for u in inspectors], "experts": [u.pk for u in experts],
            "reinspection_of": reinspection_of.pk if reinspection_of else None,
        })
    return inspection


# --- recording ----------------------------------------------------------------------------------------


def record_results(*, actor, inspection: Inspection, results: Iterable[dict], photos: dict | None = None,
                   notes: str | None = None) -> Inspection:
    """Mark items (compliant / non-compliant / not applicable) with what was found, where, and photos.

    ``results``: ``[{"item": id, "result", "finding", "location"}]`` (keys other than ``item`` optional);
    ``photos``: ``{item id or None: [uploaded files]}`` (None: photos of the inspection as a whole)."""
    with transaction.atomic():
        inspection = _lock(inspection)
        ensure_in_scope(actor, inspection)
        WORKFLOW.ensure_may(actor, inspection, "record")
        items = {item.pk: item for item in inspection.items.all()}
        errors: dict[str, list[str]] = {}
        changed: dict[int, InspectionItem] = {}
        changes: dict[str, list] = {}
        for row in results or ():
            item = items.get(_as_int(row.get("item")))
            if item is None:
                errors.setdefault("items", []).append(
                    _("Item %(id)s is not part of this inspection.") % {"id": row.get("item")})
                continue
            before = (item.result, item.finding, item.location)
            if "result" in row:
                if row["result"] not in ItemResult.values:
                    errors.setdefault("items", []).append(
                        _("Item %(n)d: choose compliant, non-compliant or not applicable.") % {"n": item.order})
                    continue
                item.result = row["result"]
            if "finding" in row:
                item.finding = (row["finding"] or "").strip()
            if "location" in row:
                location = (row["location"] or "").strip()
                if len(location) > 200:
                    errors.setdefault("items", []).append(
                        _("Item %(n)d: the location is longer than 200 characters.") % {"n": item.order})
                    continue
                item.location = location
            if (item.result, item.finding, item.location) != before:
                changed[item.pk] = item
                changes[str(item.order)] = [before[0], item.result]
        checked_photos: dict[int | None, list[CheckedPhoto]] = {}
        for key, files in (photos or {}).items():
            item_id = _as_int(key) if key is not None else None
            if item_id is not None and item_id not in items:
                errors.setdefault("photos", []).append(
                    _("Item %(id)s is not part of this inspection.") % {"id": key})
                continue
            try:
                checked_photos[item_id] = check_photos(files)
            except ValidationError as exc:
                errors.setdefault("photos", []).extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        InspectionItem.objects.bulk_update(list(changed.values()), ["result", "finding", "location"])
        saved = sum(len(save_photos(InspectionPhoto, {"inspection": inspection, "item": items.get(item_id)},
                                    checked, actor))
                    for item_id, checked in checked_photos.items())
        update_fields = ["updated_at"]
        if notes is not None and notes.strip() != inspection.notes:
            inspection.notes = notes.strip()
            update_fields.append("notes")
        inspection.save(update_fields=update_fields)
        audit.record(actor=actor, verb="inspection.record", target=inspection,
                     changes={"items": changes, "photos": saved, "notes_changed": "notes" in update_fields})
    return inspection


def record_item(*, actor, inspection: Inspection, item_id, result: str | None = None, finding: str | None = None,
                location: str | None = None) -> InspectionItem:
    """Save one item as it is entered on the phone (autosave, one request per item): its result, finding and
    location (None: unchanged). Stricter than :func:`record_results`: a non-compliant item needs its
    finding, since the finding is what the hazard's description, the inspection record (现场检查记录) and
    the rectification order quote; the phone says so at once, while the officer is still at the place.
    One transaction; a refused save changes nothing."""
    with transaction.atomic():
        inspection = _lock(inspection)
        ensure_in_scope(actor, inspection)
        WORKFLOW.ensure_may(actor, inspection, "record")
        item = inspection.items.filter(pk=_as_int(item_id)).first()
        if item is None:
            raise ValidationError({"item": _("Item %(id)s is not part of this inspection.") % {"id": item_id}})
        final_result = item.result if result is None else result
        final_finding = item.finding if finding is None else (finding or "").strip()
        if final_result == ItemResult.NON_COMPLIANT and not final_finding:
            raise ValidationError({"finding": _("Item %(n)d is non-compliant: describe what was found.")
                                   % {"n": item.order}})
        row = {"item": item.pk, **{key: value for key, value in
                                   (("result", result), ("finding", finding), ("location", location))
                                   if value is not None}}
        record_results(actor=actor, inspection=inspection, results=[row])
    return InspectionItem.objects.get(pk=item.pk)


def mark_remaining_compliant(*, actor, inspection: Inspection) -> list[int]:
    """"其余全部符合": every item not checked yet becomes compliant, in one transaction (the items already
    marked keep their results). Returns the ids of the items marked."""
    with transaction.atomic():
        inspection = _lock(inspection)
        ensure_in_scope(actor, inspection)
        WORKFLOW.ensure_may(actor, inspection, "record")
        pending = list(inspection.items.filter(result=ItemResult.PENDING).order_by("order", "id")
                       .values_list("pk", flat=True))
        if pending:
            record_results(actor=actor, inspection=inspection,
                           results=[{"item": pk, "result": ItemResult.COMPLIANT} for pk in pending])
    return pending


def add_photos(*, actor, inspection: Inspection, photos: Iterable, item: InspectionItem | None = None) -> int:
    """Photos of the inspection, or of one of its items (the hazard's evidence when it is non-compliant)."""
    with transaction.atomic():
        inspection = _lock(inspection)
        ensure_in_scope(actor, inspection)
        WORKFLOW.ensure_may(actor, inspection, "add-photos")
        if item is not None and item.inspection_id != inspection.pk:
            raise ValidationError({"item": _("Item %(id)s is not part of this inspection.") % {"id": item.pk}})
        checked = check_photos(photos, required=True)
        saved = len(save_photos(InspectionPhoto, {"inspection": inspection, "item": item}, checked, actor))
        audit.record(actor=actor, verb="inspection.photos", target=inspection,
                     changes={"photos": saved, "item": item.order if item else None})
    return saved


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- finishing ----------------------------------------------------------------------------------------


def draft_hazards(inspection: Inspection) -> list[InspectionItem]:
    """The items that finishing turns into hazards: non-compliant and not yet linked to a hazard (a
    re-inspection's items are linked to the hazards they re-inspect)."""
    return [item for item in inspection.items.all()
            if item.result == ItemResult.NON_COMPLIANT and item.hazard_id is None]


def _clean_drafts(items: list[InspectionItem], drafts: dict) -> list[tuple[InspectionItem, dict]]:
    cleaned, errors = [], []
    for item in items:
        draft = drafts.get(item.pk) or drafts.get(str(item.pk)) or {}
        description = (draft.get("description") or "").strip() or item.draft_description()
        level = draft.get("level") or item.default_level
        location = (draft["location"] if "location" in draft else item.location) or ""
        location = location.strip()
        if level not in HazardLevel.values:
            errors.append(_("Item %(n)d: choose an ordinary or a major hazard.") % {"n": item.order})
        if len(location) > 200:
            errors.append(_("Item %(n)d: the location is longer than 200 characters.") % {"n": item.order})
        cleaned.append((item, {"description": description, "level": level, "location": location}))
    if errors:
        raise ValidationError({"drafts": errors})
    return cleaned


def finish_inspection(*, actor, inspection: Inspection, drafts: dict | None = None) -> Inspection:
    """Close the record. Each non-compliant item becomes a hazard through
    :func:`shouye.hazards.services.report_hazard` (stamped with the enterprise and its township, its legal
    basis, the item's photos as before-photos sharing their stored files, found at the inspection's time),
    with the description, level and location confirmed on the confirmation page (``drafts``: ``{item id:
    {description, level, location}}``). Finishing a re-inspection decides its hazards awaiting re-inspection
    (:func:`shouye.inspections.reinspection.decide_hazards`). All of it, or nothing, in one transaction."""
    with transaction.atomic():
        inspection = _lock(inspection)
        ensure_in_scope(actor, inspection)
        new_state = WORKFLOW.ensure_may(actor, inspection, "finish")
        unchecked = inspection.items.filter(result=ItemResult.PENDING).count()
        if unchecked:
            raise ValidationError({"items": _("Mark every item before finishing: %(n)d not checked yet.")
                                   % {"n": unchecked}})
        items = list(inspection.items.filter(result=ItemResult.NON_COMPLIANT, hazard__isnull=True)
                     .prefetch_related("photos").order_by("order", "id"))
        cleaned = _clean_drafts(items, drafts or {})
        source = HazardSource.EXPERT_INSPECTION if inspection.kind == InspectionKind.EXPERT \
            else HazardSource.INSPECTION
        found_by = _names([*inspection.inspectors.all(), *inspection.experts.all()])
        hazard_ids = []
        for item, draft in cleaned:
            hazard = hazard_services.report_hazard(
                actor=actor, enterprise=inspection.enterprise, description=draft["description"],
                source=source, level=draft["level"], category=item.category, location=draft["location"],
                legal_basis=item.legal_basis, found_at=inspection.inspected_at, found_by_name=found_by,
                stored_photos=item.photos.all())
            item.hazard = hazard
            item.location = draft["location"]
            item.save(update_fields=["hazard", "location"])
            hazard_ids.append(hazard.pk)
        decided = (reinspection.decide_hazards(actor=actor, inspection=inspection)
                   if inspection.kind == InspectionKind.REINSPECTION else {})
        inspection.state = new_state
        inspection.finished_at = timezone.now()
        inspection.finished_by = actor
        inspection.save(update_fields=["state", "finished_at", "finished_by", "updated_at"])
        audit.record(actor=actor, verb="inspection.finish", target=inspection, changes={
            "state": [InspectionState.IN_PROGRESS, new_state], "hazards": hazard_ids, **decided})
    return inspection


# --- documents ----------------------------------------------------------------------------------------


def _document_draft(actor, inspection: Inspection, *, kind: str, deadline: date | None, opinion: str,
                    recipient_name: str, inspector_signatures: dict | None, recipient_signature,
                    served_document: Document | None, delivery_method: str, delivery_place: str,
                    issued_at: datetime) -> tuple[Document, list[DocumentSignature]]:
    """The document as it will be issued, unsaved and without a number, with its signatures; raises
    ValidationError with every problem of the input. Shared by the preview and the issue, so the preview
    shows exactly what the number is then given to."""
    today = timezone.localdate(issued_at)
    opinion = (opinion or "").strip()
    recipient_name = (recipient_name or "").strip()
    delivery_place = (delivery_place or "").strip()
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if kind == DocumentKind.RECTIFICATION_ORDER:
        if not inspection.items.filter(result=ItemResult.NON_COMPLIANT, hazard__isnull=False).exists():
            add("kind", _("This inspection found no hazards to order rectified."))
        if deadline is None:
            add("deadline", _("Give the rectification deadline."))
        elif deadline < today:
            add("deadline", _("The deadline cannot be in the past."))
        elif deadline > today + timedelta(days=MAX_DEADLINE_DAYS):
            add("deadline", _("The deadline is more than a year away."))
    else:
        deadline = None
    if kind == DocumentKind.REINSPECTION_OPINION:
        if inspection.kind != InspectionKind.REINSPECTION:
            add("kind", _("A re-inspection opinion is issued from a re-inspection."))
        if not opinion:
            add("opinion", _("Write the re-inspection opinion."))
    if kind == DocumentKind.DELIVERY_RECEIPT:
        if served_document is None:
            add("served_document", _("Choose the document that is served."))
        elif served_document.inspection_id != inspection.pk or served_document.kind == DocumentKind.DELIVERY_RECEIPT:
            add("served_document", _("Choose a document of this inspection."))
        if delivery_method not in DeliveryMethod.values:
            add("delivery_method", _("Choose how the document is served."))
        if len(delivery_place) > 200:
            add("delivery_place", _("The place is longer than 200 characters."))
    else:
        served_document, delivery_method, delivery_place = None, "", ""
    if len(recipient_name) > 60:
        add("recipient_name", _("The name is longer than 60 characters."))
    signers = {user.pk: user for user in (*inspection.inspectors.all(), *inspection.experts.all())}
    signature_rows = []
    for key, value in (inspector_signatures or {}).items():
        user = signers.get(_as_int(key))
        if user is None:
            add("inspector_signatures", _("Only the inspection's own inspectors sign its documents."))
            continue
        try:
            png = signature_images.decode(value, field="inspector_signatures")
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            continue
        if png is not None:
            signature_rows.append(DocumentSignature(role=SignerRole.INSPECTOR, signer=user, name=str(user)[:60],
                                                    image=png))
    try:
        png = signature_images.decode(recipient_signature, field="recipient_signature")
    except ValidationError as exc:
        errors.setdefault("recipient_signature", []).extend(exc.messages)
    else:
        if png is not None:
            if not recipient_name:
                add("recipient_name", _("Give the name of the person who signs for the enterprise."))
            signature_rows.append(DocumentSignature(role=SignerRole.RECIPIENT, name=recipient_name, image=png))
    if errors:
        raise ValidationError(errors)
    document = Document(inspection=inspection, kind=kind, year=today.year, deadline=deadline, opinion=opinion,
                        recipient_name=recipient_name, served_document=served_document,
                        delivery_method=delivery_method, delivery_place=delivery_place, issued_by=actor,
                        issued_at=issued_at)
    return document, signature_rows


def _loaded(inspection: Inspection) -> Inspection:
    return (Inspection.objects.select_related("enterprise", "reinspection_of")
            .prefetch_related("inspectors", "experts", "items__hazard").get(pk=inspection.pk))


def preview_document(*, actor, inspection: Inspection, kind: str, deadline: date | None = None, opinion: str = "",
                     recipient_name: str = "", inspector_signatures: dict | None = None, recipient_signature=None,
                     served_document: Document | None = None, delivery_method: str = "",
                     delivery_place: str = "") -> bytes:
    """The PDF :func:`issue_document` would issue with the same input, without a number and marked
    预览/草稿 on every page. Takes no number and writes nothing (refused the same way as the issue)."""
    inspection = Inspection.objects.get(pk=inspection.pk)
    ensure_in_scope(actor, inspection)
    WORKFLOW.ensure_may(actor, inspection, "issue-document")
    document, signatures = _document_draft(
        actor, inspection, kind=kind, deadline=deadline, opinion=opinion, recipient_name=recipient_name,
        inspector_signatures=inspector_signatures, recipient_signature=recipient_signature,
        served_document=served_document, delivery_method=delivery_method, delivery_place=delivery_place,
        issued_at=timezone.now())
    return documents.render_pdf(document, _loaded(inspection), signatures, preview=True)


def issue_document(*, actor, inspection: Inspection, kind: str, deadline: date | None = None, opinion: str = "",
                   recipient_name: str = "", inspector_signatures: dict | None = None, recipient_signature=None,
                   served_document: Document | None = None, delivery_method: str = "",
                   delivery_place: str = "") -> Document:
    """Issue a numbered document of a finished inspection as PDF (after its preview, the same rendering).
    The number is taken under a row lock in this transaction (numbering.py), so it is unique and without
    gaps per kind and year.

    - 现场检查记录: the record as it was finished;
    - 责令限期整改指令书: the hazards found, their legal basis, and the deadline (today or later);
    - 整改复查意见书: of a re-inspection, which hazards were rectified, and the opinion;
    - 送达回证: which of the inspection's documents was served, to whom, where and how.

    ``inspector_signatures`` (``{user id: PNG data URL}``, the inspection's own inspectors and experts) and
    ``recipient_signature`` (with ``recipient_name``) are drawn on screen; a missing one leaves its blank
    line for a pen."""
    with transaction.atomic():
        inspection = _lock(inspection)
        ensure_in_scope(actor, inspection)
        WORKFLOW.ensure_may(actor, inspection, "issue-document")
        if served_document is not None:
            ensure_in_scope(actor, served_document)
        document, signatures = _document_draft(
            actor, inspection, kind=kind, deadline=deadline, opinion=opinion, recipient_name=recipient_name,
            inspector_signatures=inspector_signatures, recipient_signature=recipient_signature,
            served_document=served_document, delivery_method=delivery_method, delivery_place=delivery_place,
            issued_at=timezone.now())
        document.serial, document.number = numbering.take_number(kind, document.year)
        pdf = documents.render_pdf(document, _loaded(inspection), signatures)
        document.file.save(f"{kind}-{document.year}-{document.serial}.pdf", ContentFile(pdf), save=False)
        document.save()
        for signature in signatures:
            signature.document = document
        DocumentSignature.objects.bulk_create(signatures)
        audit.record(actor=actor, verb="inspection.document", target=inspection, note=document.number,
                     changes={"document": document.pk, "kind": kind, "number": document.number,
                              "deadline": str(document.deadline) if document.deadline else None,
                              "signatures": [f"{s.role}:{s.name}" for s in signatures],
                              "served_document": served_document.pk if served_document else None})
    return document


# --- plans --------------------------------------------------------------------------------------------


def generate_plans(*, actor, year: int) -> int:
    """Create the year's plan for every operating enterprise in the actor's scope that has none yet, with
    the number of inspections its supervision grade calls for (分级分类监管; SupervisionGrade is editable
    data). Existing plans are left as they are. Returns how many were created."""
    with transaction.atomic():
        _ensure(actor, PLAN_GENERATE)
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
        enterprises = locked_for_stamping(
            Enterprise.objects.visible_to(actor).filter(status=OperatingStatus.OPERATING)
            .exclude(inspection_plans__year=year).select_related("supervision_grade").order_by("id"))
        plans = [InspectionPlan(year=year, inspections_due=e.supervision_grade.inspections_per_year)
                 .stamp_from(e, locked=True) for e in enterprises]
        InspectionPlan.objects.bulk_create(plans, batch_size=1000)
        audit.record(actor=actor, verb="inspection_plan.generate", target=None,
                     changes={"year": year, "created": len(plans)})
    return len(plans)


def update_plan(*, actor, plan: InspectionPlan, inspections_due: int, squad=None, officer=None) -> InspectionPlan:
    """Set how many inspections are due and who carries them out: an enforcement squad or a township
    officer of the enterprise's township (not both)."""
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        ensure_in_scope(actor, plan)
        _ensure(actor, PLAN_CHANGE)
        errors: dict[str, str] = {}
        if squad is not None and officer is not None:
            errors["officer"] = _("Assign the plan to a squad or to a township officer, not both.")
        if squad is not None and squad.kind != OrganisationKind.SQUAD:
            errors["squad"] = _("%(name)s is not an enforcement squad.") % {"name": squad}
        if officer is not None and not users_with_role(Role.TOWNSHIP_OFFICER, township=plan.township_id).filter(
                pk=officer.pk).exists():
            errors["officer"] = _("%(name)s is not a township officer of this township.") % {"name": officer}
        if not isinstance(inspections_due, int) or not 0 <= inspections_due <= 365:
            errors["inspections_due"] = _("Give a number of inspections between 0 and 365.")
        if errors:
            raise ValidationError(errors)
        before = {"inspections_due": plan.inspections_due, "squad": plan.squad_id, "officer": plan.officer_id}
        plan.inspections_due, plan.squad, plan.officer = inspections_due, squad, officer
        after = {"inspections_due": plan.inspections_due, "squad": plan.squad_id, "officer": plan.officer_id}
        plan.save(update_fields=["inspections_due", "squad", "officer", "updated_at"])
        audit.record(actor=actor, verb="inspection_plan.update", target=plan, changes=audit.diff(before, after))
    return plan
