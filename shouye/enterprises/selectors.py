"""Read queries of the registry. Each takes the actor, so nothing leaves its scope."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import CharField, Count, F, Prefetch, Value
from django.db.models.functions import Cast

from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for

from .models import Enterprise, EnterprisePerson, Industry, Licence, SupervisionGrade, Tag


def enterprise_list(actor):
    """The scoped list with everything a list row shows, in a fixed number of queries."""
    return (
        Enterprise.objects.visible_to(actor)
        .select_related("township", "industry", "supervision_grade")
        .prefetch_related("tags")
    )


def enterprise_detail(actor):
    return enterprise_list(actor).prefetch_related(
        Prefetch("people", queryset=EnterprisePerson.objects.order_by("role", "id")),
        Prefetch("licences", queryset=Licence.objects.order_by("valid_to", "id")),
    )


def licence_warnings(actor, today: date | None = None, limit: int = 20):
    """Licences expired or expiring within SHOUYE_LICENCE_WARNING_DAYS, soonest first."""
    today = today or date.today()
    horizon = today + timedelta(days=settings.SHOUYE_LICENCE_WARNING_DAYS)
    qs = (Licence.objects.visible_to(actor).filter(valid_to__lte=horizon)
          .select_related("enterprise").order_by("valid_to", "id"))
    return {
        "expired": qs.filter(valid_to__lt=today).count(),
        "expiring": qs.filter(valid_to__gte=today).count(),
        "rows": list(qs[:limit]),
    }


def counts_by(actor, field: str, label_field: str) -> list[dict]:
    """Enterprise counts grouped by ``field`` (e.g. township), as [{"key", "label", "count"}]."""
    rows = (Enterprise.objects.visible_to(actor).values(field, label_field)
            .annotate(count=Count("id")).order_by(field))
    return [{"key": row[field], "label": row[label_field], "count": row["count"]} for row in rows]


def reference_codes() -> dict[str, list[tuple[int, str, str]]]:
    """Every township, industry, grade and tag as (id, code, label) in display order, in one query (a UNION
    of the four small reference tables): the filter bar lists them and the filters check codes against
    them."""
    parts = [
        Region.objects.filter(level=RegionLevel.TOWNSHIP).annotate(kind=Value("township"), sort=F("code"))
        .values_list("kind", "id", "code", "name", "sort"),
        Industry.objects.annotate(kind=Value("industry"), sort=Cast("order", CharField()))
        .values_list("kind", "id", "code", "name", "sort"),
        SupervisionGrade.objects.annotate(kind=Value("grade"), sort=F("code"))
        .values_list("kind", "id", "code", "code", "sort"),
        Tag.objects.annotate(kind=Value("tag"), sort=Cast("id", CharField()))
        .values_list("kind", "id", "code", "name", "sort"),
    ]
    parts = [part.order_by() for part in parts]
    rows: dict[str, list[tuple[str, int, str, str]]] = {"township": [], "industry": [], "grade": [], "tag": []}
    for kind, pk, code, label, sort in parts[0].union(*parts[1:], all=True):
        rows[kind].append((sort, pk, code, label))
    return {kind: [(pk, code, label) for _sort, pk, code, label in sorted(values, key=_sort_key)]
            for kind, values in rows.items()}


def offered_limits(actor) -> dict[str, frozenset[int]]:
    """The townships and industries a filter bar offers ``actor``, by kind (a kind not named: all of them).
    A kind is limited when the whole scope lies within it (ARCHITECTURE.md §5): a township officer's records
    are all of its township (属地), so it is offered that township and every industry; a department officer's
    are all of its industries (管行业必须管安全), so it is offered those industries in every township. A scope
    that reaches across (several kinds of membership, an enterprise's or an expert's) is offered all."""
    scope = scope_for(actor)
    if scope.everything or scope.enterprise_ids:
        return {}
    if scope.region_ids and not scope.industry_ids:
        return {"township": scope.region_ids}
    if scope.industry_ids and not scope.region_ids:
        return {"industry": scope.industry_ids}
    return {}


def filter_choices(actor, reference=None) -> dict[str, list[tuple[str, str]]]:
    """The filter bar's choices as (code, label): townships and industries as :func:`offered_limits` says,
    all grades and tags. ``reference`` is ``reference_codes()`` when the caller has it already."""
    reference = reference if reference is not None else reference_codes()
    limits = offered_limits(actor)
    return {kind: [(code, label) for pk, code, label in rows if kind not in limits or pk in limits[kind]]
            for kind, rows in reference.items()}


def offered_townships(request):
    """The townships of a ModelChoiceFilter (django-filter calls it with the request; None outside one, as an
    export's check of its filters): those :func:`offered_limits` leaves to the user, so a value outside them
    is refused like an unknown one."""
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code")
    limit = offered_limits(getattr(request, "user", None)).get("township")
    return townships if limit is None else townships.filter(pk__in=sorted(limit))


def offered_industries(request):
    """The industries of a ModelChoiceFilter, as :func:`offered_townships` does townships."""
    industries = Industry.objects.all()
    limit = offered_limits(getattr(request, "user", None)).get("industry")
    return industries if limit is None else industries.filter(pk__in=sorted(limit))


def _sort_key(item):
    sort = item[0]
    return (0, int(sort), "") if sort.isdigit() else (1, 0, sort)
