"""What every hazard act shares: the lock and checks it starts with, input helpers, who is told and how."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.core.attachments import check_photos
from shouye.core.uploads import CheckedPhoto
from shouye.notifications.services import notify
from shouye.regions.scoping import ensure_in_scope

from ..choices import HazardLevel, HazardSource
from ..models import Hazard
from ..workflow import WORKFLOW

#: The source an actor who is not an officer may report from: its own self-inspection, or the expert's.
OWN_SOURCES = {Role.ENTERPRISE_USER: HazardSource.SELF_INSPECTION, Role.EXPERT: HazardSource.EXPERT_INSPECTION}
#: Tolerated clock difference between a phone and the server for "found at".
CLOCK_SKEW = timedelta(minutes=10)


def ensure_may_act(actor, hazard: Hazard, action: str) -> None:
    """The permission (403) and state (409) checks an act starts with (the workflow's), without locking or
    writing. The act repeats them under its lock."""
    WORKFLOW.ensure_may(actor, hazard, action)


def lock_for_act(actor, hazard: Hazard, action: str) -> Hazard:
    """Lock the hazard and run the checks every act shares, in the order of their answers: out of scope
    (404), not permitted (403), not allowed in the current state (409)."""
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    ensure_in_scope(actor, hazard)
    ensure_may_act(actor, hazard, action)
    return hazard


def require_text(value, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def ensure_major(hazard: Hazard) -> None:
    if hazard.level != HazardLevel.MAJOR:
        raise ValidationError({"level": _("Only a major hazard needs this.")})


def check_after_photos(photos: Iterable) -> list[CheckedPhoto]:
    """A rectification is reported done, or closed on the spot, with at least one after-photo."""
    return check_photos(photos, required=True,
                        required_message=_("Add at least one photo taken after the rectification."))


def enterprise_users(enterprise_id: int):
    return users_with_role(Role.ENTERPRISE_USER, enterprise=enterprise_id)


def township_officers(township_id: int):
    return users_with_role(Role.TOWNSHIP_OFFICER, township=township_id)


def bureau_staff():
    return users_with_role(Role.BUREAU_STAFF)


def hazard_link(hazard_id: int) -> str:
    return reverse("hazards:detail", kwargs={"pk": hazard_id})


def notify_on_commit(recipients, *, verb: str, title: str, hazard_id: int, body: str = "") -> None:
    """Schedule an in-app notification linking to the hazard for after the commit (a rolled-back act sends
    nothing). The recipients are a queryset, evaluated when the notification is sent."""
    link = hazard_link(hazard_id)
    transaction.on_commit(lambda: notify(recipients=list(recipients), verb=verb, title=title, body=body,
                                         link=link))


def summary_of(hazard: Hazard) -> str:
    return f"{hazard.enterprise.name}：{hazard.description[:80]}"


def as_text(value):
    return str(value) if value is not None else None


# --- what the current user may do -------------------------------------------------------------------


def available_actions(actor, hazard: Hazard) -> list[str]:
    """The actions ``actor`` is offered on ``hazard`` now (the workflow's steps its state, the actor's role
    and the hazard's level allow). Preconditions that can still be met (the plan complete, the expert's
    verification passed) are left to the service, which names what is missing."""
    return WORKFLOW.available(actor, hazard)
