"""The hazards' to-dos on the workbench (我的待办, issue 10), registered in HazardsConfig.ready(): what each role
must do next in the rectification loop (16号令 Art. 10–17) and with tip-offs.

Every provider reads through ``visible_to`` (ARCHITECTURE.md §5) and answers its count in one query and its
first items in one more, whatever the number of hazards: the items are one ``select_related`` query, and the
conditions are indexed columns of the hazard (state, deadline, level) or one ``EXISTS``."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.choices import Role
from shouye.accounts.models import User
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from .choices import ExtensionState, HazardLevel, HazardState, TipOffState
from .models import OPEN_STATES, ExpertVerification, Extension, GovernancePlan, Hazard, TipOff
from .workflow import ASSIGN, EXPERT_VERIFY, RECTIFY, TRIAGE, VERIFY


def _hazards(user):
    return Hazard.objects.visible_to(user)


def _by_deadline(qs):
    """Soonest deadline first, so the overdue ones lead; hazards without a deadline last."""
    return qs.order_by(F("deadline").asc(nulls_last=True), "id")


def _hazard_items(qs, limit: int, detail=None) -> list[TodoItem]:
    today = timezone.localdate()
    rows = qs.select_related("enterprise").only("pk", "description", "deadline", "state", "level",
                                                "submitted_at", "enterprise__name")[:limit]
    return [TodoItem(title=hazard.description[:60], url=reverse("hazards:detail", kwargs={"pk": hazard.pk}),
                     detail=detail(hazard) if detail else hazard.enterprise.name, due=hazard.deadline,
                     overdue=hazard.is_overdue(today))
            for hazard in rows]


def _provider(key: str, label, order: int, queryset, *, detail=None, **options) -> TodoProvider:
    """A provider whose to-dos are the hazards ``queryset(user)`` answers, in its order."""
    return todo_providers.register(TodoProvider(
        key=key, label=label, order=order, count=lambda user: queryset(user).count(),
        items=lambda user, limit: _hazard_items(queryset(user), limit, detail), **options))


# --- the enterprise ------------------------------------------------------------------------------------------


def to_rectify(user):
    """Rectification ordered and not yet submitted (责令限期整改): the enterprise's to-do until it submits."""
    return _by_deadline(_hazards(user).filter(state=HazardState.RECTIFYING))


def is_enterprise_user(user) -> bool:
    return user.has_role(Role.ENTERPRISE_USER)


_provider("hazards-to-rectify", gettext_lazy("Rectifications to submit"), 10, to_rectify,
          url_name="hazards:list", query=f"state={HazardState.RECTIFYING}", permission=RECTIFY,
          condition=is_enterprise_user)


# --- officers and the bureau ---------------------------------------------------------------------------------


def awaiting_reinspection(user):
    """Rectifications submitted and waiting for the re-inspection (复查, 16号令 Art. 17), oldest first."""
    return _hazards(user).filter(state=HazardState.SUBMITTED).order_by("submitted_at", "id")


def overdue(user):
    return _by_deadline(_hazards(user).overdue(timezone.localdate()))


def _plan_incomplete() -> Q:
    """A governance plan missing or with one of its six parts (16号令 Art. 15) empty."""
    missing = Q(governance_plan__isnull=True)
    for part in GovernancePlan.PARTS:
        missing |= Q(**{f"governance_plan__{part}": ""})
    return missing


def governance_missing(user):
    """Open major hazards whose governance plan is not complete: rectification cannot be closed without it."""
    return _by_deadline(_hazards(user).filter(_plan_incomplete(), level=HazardLevel.MAJOR, state__in=OPEN_STATES))


def not_listed(user):
    """Open major hazards not yet under listed supervision (挂牌督办)."""
    return _by_deadline(_hazards(user).filter(level=HazardLevel.MAJOR, state__in=OPEN_STATES,
                                              listed_supervision__isnull=True))


def _submitted_on(hazard) -> str:
    submitted = timezone.localtime(hazard.submitted_at).date().isoformat() if hazard.submitted_at else "—"
    return _("%(enterprise)s · submitted %(day)s") % {"enterprise": hazard.enterprise.name, "day": submitted}


_provider("hazards-reinspection", gettext_lazy("Re-inspections waiting"), 20, awaiting_reinspection,
          detail=_submitted_on, url_name="hazards:list", query=f"state={HazardState.SUBMITTED}", permission=VERIFY)
_provider("hazards-overdue", gettext_lazy("Overdue hazards"), 30, overdue, url_name="hazards:list",
          query="overdue=true", condition=User.supervises)
_provider("hazards-governance", gettext_lazy("Major hazards without a complete governance plan"), 40,
          governance_missing, url_name="hazards:list", query=f"level={HazardLevel.MAJOR}",
          condition=lambda user: user.has_perm(RECTIFY) or user.has_perm(ASSIGN))
_provider("hazards-listing", gettext_lazy("Major hazards not under listed supervision"), 45, not_listed,
          url_name="hazards:list", query=f"level={HazardLevel.MAJOR}", permission=ASSIGN)


def pending_extensions(user):
    return (Extension.objects.filter(state=ExtensionState.PENDING, hazard__in=_hazards(user).values("pk"))
            .order_by("requested_at", "id"))


def _extension_items(user, limit: int) -> list[TodoItem]:
    rows = pending_extensions(user).select_related("hazard__enterprise")[:limit]
    return [TodoItem(title=extension.hazard.description[:60],
                     url=reverse("hazards:detail", kwargs={"pk": extension.hazard_id}),
                     detail=_("%(enterprise)s asks for %(day)s") % {
                         "enterprise": extension.hazard.enterprise.name,
                         "day": extension.requested_deadline.isoformat()},
                     due=extension.hazard.deadline, overdue=extension.hazard.is_overdue(timezone.localdate()))
            for extension in rows]


todo_providers.register(TodoProvider(
    key="hazards-extensions", label=gettext_lazy("Extension requests to decide"), order=50,
    count=lambda user: pending_extensions(user).count(), items=_extension_items, permission=ASSIGN))


def new_tip_offs(user):
    return TipOff.objects.visible_to(user).filter(state=TipOffState.NEW).order_by("created_at", "id")


def _tip_off_items(user, limit: int) -> list[TodoItem]:
    """The place and when it was received; never the sender (ARCHITECTURE.md §10)."""
    rows = new_tip_offs(user).only("pk", "enterprise_name", "address", "created_at")[:limit]
    return [TodoItem(title=tip_off.enterprise_name, url=reverse("hazards:tip-off", kwargs={"pk": tip_off.pk}),
                     detail=_("received %(day)s") % {"day": timezone.localtime(tip_off.created_at).date().isoformat()})
            for tip_off in rows]


todo_providers.register(TodoProvider(
    key="tip-offs-new", label=gettext_lazy("Tip-offs to triage"), order=60,
    count=lambda user: new_tip_offs(user).count(), items=_tip_off_items, url_name="hazards:tip-offs",
    query=f"state={TipOffState.NEW}", permission=TRIAGE))


# --- experts -------------------------------------------------------------------------------------------------


def expert_verifications_due(user):
    """Submitted major hazards in the expert's scope with no expert verification given since the latest
    submission: closing them needs one (shouye.hazards.services.governance.ensure_expert_passed)."""
    given = ExpertVerification.objects.filter(hazard=OuterRef("pk"), verified_at__gte=OuterRef("submitted_at"))
    return (_hazards(user).filter(level=HazardLevel.MAJOR, state=HazardState.SUBMITTED)
            .exclude(Exists(given)).order_by("submitted_at", "id"))


_provider("hazards-expert-verification", gettext_lazy("Expert verifications assigned to me"), 15,
          expert_verifications_due, detail=_submitted_on, url_name="hazards:list",
          query=f"level={HazardLevel.MAJOR}&state={HazardState.SUBMITTED}", permission=EXPERT_VERIFY)
