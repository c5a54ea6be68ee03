"""Business acts on the enterprise registry. Each is one transaction with one audit event; bad input
raises ValidationError with field messages and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.regions.scoping import ensure_in_scope, scope_for

from .choices import Source
from .models import Enterprise, EnterprisePerson, Licence, Tag
from .stamps import restamp

#: Fields of Enterprise that a form, the API or an import may set.
EDITABLE_FIELDS = [
    "name", "credit_code", "legal_representative", "address", "longitude", "latitude", "township",
    "industry", "scale", "employees", "status", "supervision_grade",
]
#: What places an enterprise under someone's supervision; the enterprise itself may not change these, nor
#: its tags (重大危险源, 危险化工工艺 …), which decide how it is supervised too (issue 9).
CLASSIFICATION_FIELDS = ["credit_code", "township", "industry", "supervision_grade", "status"]
PERSON_FIELDS = ["role", "name", "phone", "id_number", "certificate_number", "certificate_expiry"]
LICENCE_FIELDS = ["kind", "number", "issuer", "valid_from", "valid_to"]


def _ensure_permission(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


def ensure_can_place(actor, *, township, industry, enterprise_id=None) -> None:
    """An actor may only put an enterprise where it will still see it (its township or its industries)."""
    scope = scope_for(actor)
    if not scope.admits(region_id=getattr(township, "id", None), industry_id=getattr(industry, "id", None),
                        enterprise_id=enterprise_id):
        raise ValidationError({"township": _("You can only register enterprises within your jurisdiction.")})


def _ensure_may_classify(actor, enterprise: Enterprise, data: dict, tags: list[Tag] | None) -> None:
    """Without ``classify_enterprise`` (an enterprise user) the classification fields and the tags may be
    sent as they are, never changed: each changed one is refused with a field error, nothing written."""
    if actor.has_perm("enterprises.classify_enterprise"):
        return
    changed = [f for f in CLASSIFICATION_FIELDS if f in data and data[f] != getattr(enterprise, f)]
    if tags is not None and {t.pk for t in tags} != set(enterprise.tags.values_list("pk", flat=True)):
        changed.append("tags")
    if changed:
        raise ValidationError({f: _("Only the supervising authorities can change this.") for f in changed})


def _snapshot(enterprise: Enterprise) -> dict:
    values = {f: getattr(enterprise, f"{f}_id" if f in ("township", "industry", "supervision_grade") else f)
              for f in EDITABLE_FIELDS}
    return {k: (str(v) if v is not None else None) for k, v in values.items()}


def _validated_children(model, rows: Iterable[dict], fields: list[str], prefix: str) -> list:
    objects, errors = [], {}
    for index, row in enumerate(rows):
        obj = model(**{f: row.get(f) for f in fields if f in row})
        try:
            obj.full_clean(exclude=["enterprise"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"{prefix}[{index}].{field}"] = messages
        objects.append(obj)
    if errors:
        raise ValidationError(errors)
    return objects


def _clean_rows(people, licences) -> tuple[list | None, list | None, dict]:
    """Key-people and licence rows through their models' validation: the objects (None where no rows were
    given) and the errors keyed ``people[0].phone``."""
    errors, cleaned = {}, []
    for model, rows, fields, prefix in ((EnterprisePerson, people, PERSON_FIELDS, "people"),
                                        (Licence, licences, LICENCE_FIELDS, "licences")):
        if rows is None:
            cleaned.append(None)
            continue
        try:
            cleaned.append(_validated_children(model, rows, fields, prefix))
        except ValidationError as exc:
            errors.update(exc.message_dict)
            cleaned.append([])
    return cleaned[0], cleaned[1], errors


def row_errors(*, people, licences) -> dict:
    """What :func:`create_enterprise` and :func:`update_enterprise` would say about these rows alone, so a
    form whose enterprise fields are wrong shows the rows' mistakes in the same round trip."""
    return _clean_rows(people, licences)[2]


def _clean_enterprise(enterprise: Enterprise, people, licences) -> tuple[list, list]:
    errors = {}
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    person_objs, licence_objs, rows = _clean_rows(people, licences)
    errors.update(rows)
    if errors:
        raise ValidationError(errors)
    return person_objs, licence_objs


def _replace_children(enterprise, people_objs, licence_objs, tags) -> dict:
    summary = {}
    if people_objs is not None:
        enterprise.people.all().delete()
        for person in people_objs:
            person.enterprise = enterprise
        EnterprisePerson.objects.bulk_create(people_objs)
        summary["people"] = len(people_objs)
    if licence_objs is not None:
        enterprise.licences.all().delete()
        for licence in licence_objs:
            licence.enterprise = enterprise
        Licence.objects.bulk_create(licence_objs)
        summary["licences"] = len(licence_objs)
    if tags is not None:
        enterprise.tags.set(tags)
        summary["tags"] = sorted(t.code for t in Tag.objects.filter(pk__in=[t.pk for t in tags]))
    return summary


def _normalised(data: dict) -> dict:
    data = dict(data)
    if isinstance(data.get("credit_code"), str):
        data["credit_code"] = data["credit_code"].strip().upper()
    for field in ("name", "legal_representative", "address"):
        if isinstance(data.get(field), str):
            data[field] = data[field].strip()
    return data


def create_enterprise(*, actor, data: dict, people: list[dict] | None = None,
                      licences: list[dict] | None = None, tags: list[Tag] | None = None,
                      source: str = Source.MANUAL) -> Enterprise:
    """Register an enterprise with its key people, licences and tags."""
    _ensure_permission(actor, "enterprises.add_enterprise")
    data = _normalised(data)
    enterprise = Enterprise(source=source, **{f: data[f] for f in EDITABLE_FIELDS if f in data})
    person_objs, licence_objs = _clean_enterprise(enterprise, people or [], licences or [])
    ensure_can_place(actor, township=enterprise.township, industry=enterprise.industry)
    with transaction.atomic():
        enterprise.save()
        summary = _replace_children(enterprise, person_objs, licence_objs, tags)
        audit.record(actor=actor, verb="enterprise.create", target=enterprise,
                     changes={"fields": _snapshot(enterprise), **summary})
    return enterprise


def update_enterprise(*, actor, enterprise: Enterprise, data: dict, people: list[dict] | None = None,
                      licences: list[dict] | None = None, tags: list[Tag] | None = None) -> Enterprise:
    """Change an enterprise. ``people``/``licences``/``tags`` given as None are left as they are;
    given as lists they replace the current ones. A new township or industry re-stamps the enterprise's
    records in the same transaction (:func:`shouye.enterprises.stamps.restamp`)."""
    _ensure_permission(actor, "enterprises.change_enterprise")
    data = _normalised(data)
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        ensure_in_scope(actor, enterprise)
        before = _snapshot(enterprise)
        old_township_id, old_industry_id = enterprise.township_id, enterprise.industry_id
        _ensure_may_classify(actor, enterprise, data, tags)
        for field in EDITABLE_FIELDS:
            if field in data:
                setattr(enterprise, field, data[field])
        person_objs, licence_objs = _clean_enterprise(enterprise, people, licences)
        ensure_can_place(actor, township=enterprise.township, industry=enterprise.industry,
                         enterprise_id=enterprise.pk)
        enterprise.save()
        summary = _replace_children(enterprise, person_objs, licence_objs, tags)
        audit.record(actor=actor, verb="enterprise.update", target=enterprise,
                     changes={"fields": audit.diff(before, _snapshot(enterprise)), **summary})
        restamp(actor=actor, enterprise=enterprise, old_township_id=old_township_id,
                old_industry_id=old_industry_id)
    return enterprise
