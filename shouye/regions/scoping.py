"""Who sees what: the one place that decides it (ARCHITECTURE.md §5).

``scope_for(user)`` turns a user's memberships into a :class:`Scope`. Every scoped model names, in
``SCOPE_PATHS``, the fields that hold its township, industry and enterprise; ``visible_to(user)`` on its
queryset is then one condition on those fields. Services call :func:`ensure_in_scope` on every object they
act on or reference."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from shouye.core.exceptions import NotInScope

#: Roles that see the whole district.
DISTRICT_WIDE_ROLES = frozenset({"bureau_admin", "bureau_staff", "leader"})


@dataclass(frozen=True)
class ScopePaths:
    """Where a scoped model keeps the three things a scope filters on (lookup paths, or None)."""

    region: str | None
    industry: str | None
    enterprise: str | None


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_ids: frozenset[int] = frozenset()
    industry_ids: frozenset[int] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()

    def q(self, paths: ScopePaths) -> Q:
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if paths.region and self.region_ids:
            condition |= Q(**{f"{paths.region}__in": sorted(self.region_ids)})
        if paths.industry and self.industry_ids:
            condition |= Q(**{f"{paths.industry}__in": sorted(self.industry_ids)})
        if paths.enterprise and self.enterprise_ids:
            condition |= Q(**{f"{paths.enterprise}__in": sorted(self.enterprise_ids)})
        return condition

    def admits(self, *, region_id=None, industry_id=None, enterprise_id=None) -> bool:
        """Whether a record stamped with these values would be visible (checked before it is created)."""
        return (self.everything or region_id in self.region_ids or industry_id in self.industry_ids
                or enterprise_id in self.enterprise_ids)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_ids or self.industry_ids or self.enterprise_ids)


NOTHING = Scope()


def scope_for(user) -> Scope:
    """The union of what each of the user's active memberships allows.

    - bureau roles and leaders: the whole district;
    - township officer: records stamped with its township (属地; every scoped row carries its township);
    - department officer: enterprises of the industries its department supervises (管行业必须管安全);
    - enterprise user: its own enterprise; expert: the enterprises it is assigned to.
    The result is cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_shouye_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(everything=True)
    else:
        scope = _scope_from_memberships(user)
    user._shouye_scope = scope
    return scope


def _scope_from_memberships(user) -> Scope:
    region_ids: set[int] = set()
    industry_ids: set[int] = set()
    enterprise_ids: set[int] = set()
    department_ids: set[int] = set()
    industry_model = None
    for membership in user.active_memberships():
        if membership.role in DISTRICT_WIDE_ROLES:
            return Scope(everything=True)
        if membership.role == "township_officer" and membership.region_id:
            region_ids.add(membership.region_id)
        elif membership.role == "department_officer" and membership.organisation_id:
            department_ids.add(membership.organisation_id)
            industry_model = membership.organisation._meta.get_field("industries").related_model
        elif membership.role in ("enterprise_user", "expert") and membership.enterprise_id:
            enterprise_ids.add(membership.enterprise_id)
    if department_ids:
        industry_ids.update(industry_model.objects.filter(department_id__in=department_ids)
                            .values_list("id", flat=True))
    return Scope(
        region_ids=frozenset(region_ids),
        industry_ids=frozenset(industry_ids),
        enterprise_ids=frozenset(enterprise_ids),
    )


class ScopedQuerySet(models.QuerySet):
    """Queryset of a model that declares ``SCOPE_PATHS``."""

    def visible_to(self, user) -> ScopedQuerySet:
        return self.in_scope(scope_for(user))

    def in_scope(self, scope: Scope) -> ScopedQuerySet:
        return self.filter(scope.q(self.model.SCOPE_PATHS))


def is_in_scope(user, obj) -> bool:
    model = type(obj)
    return model._default_manager.visible_to(user).filter(pk=obj.pk).exists()


def ensure_in_scope(user, obj) -> None:
    """Raise :class:`NotInScope` (answered as 404) unless ``user`` may see ``obj``."""
    if obj is None or not is_in_scope(user, obj):
        raise NotInScope()
