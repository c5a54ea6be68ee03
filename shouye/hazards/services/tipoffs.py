"""Public tip-offs (举报): the form without signing in, its rate limit, and triage into a hazard."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core import ratelimit
from shouye.core.attachments import share_photo
from shouye.core.uploads import check_photo
from shouye.notifications.services import notify
from shouye.regions.choices import RegionLevel
from shouye.regions.scoping import ensure_in_scope

from ..choices import HazardLevel, HazardSource, PhotoKind, TipOffState
from ..models import HazardPhoto, TipOff
from ..workflow import TIPOFF_WORKFLOW
from .common import bureau_staff, require_text
from .reporting import create_hazard

TIPOFF_FIELDS = ("enterprise_name", "township", "address", "description", "reporter_name", "reporter_phone")


class TooManyTipOffs(Exception):
    """The public tip-off form's rate limit (SHOUYE_TIPOFF_RATE_PER_HOUR per client address) is reached."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(_("Too many tip-offs from your address. Please try again in %(minutes)d minutes.")
                         % {"minutes": max(1, retry_after // 60)})


def _rate_limit(ip_address: str | None) -> None:
    """At most SHOUYE_TIPOFF_RATE_PER_HOUR tip-offs per client address per clock hour, counted in the shared
    cache (shouye.core.ratelimit)."""
    count, remaining = ratelimit.count_in_window(("tip-off", ip_address or "unknown"), window=3600)
    if count > settings.SHOUYE_TIPOFF_RATE_PER_HOUR:
        raise TooManyTipOffs(retry_after=remaining)


def submit_tip_off(*, data: dict, photo=None, ip_address: str | None) -> TipOff:
    """A report from the public (举报), without signing in. Checked first, then counted against the rate
    limit, then stored; the bureau staff are told."""
    unknown = set(data) - set(TIPOFF_FIELDS)
    if unknown:
        raise ValidationError({field: _("Unknown field.") for field in sorted(unknown)})
    fields = {key: (value.strip() if isinstance(value, str) else value) for key, value in data.items()}
    tip_off = TipOff(ip_address=ip_address, **fields)
    errors = {}
    if tip_off.township is not None and tip_off.township.level != RegionLevel.TOWNSHIP:
        errors["township"] = [_("Choose a township.")]
    try:
        tip_off.full_clean(exclude=["photo", "hazard", "state"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    checked = None
    if photo:
        try:
            checked = check_photo(photo)
        except ValidationError as exc:
            errors["photo"] = exc.messages
    if errors:
        raise ValidationError(errors)
    _rate_limit(ip_address)
    with transaction.atomic():
        if checked is not None:
            tip_off.photo.save(checked.image.name, checked.image, save=False)
        tip_off.save()
        audit.record(actor=None, actor_name=_("the public"), verb="tipoff.submit", target=tip_off,
                     ip_address=ip_address, changes={"photo": checked is not None})
        transaction.on_commit(lambda: notify(
            recipients=list(bureau_staff()), verb="tipoff.new",
            title=_("New tip-off: %(place)s") % {"place": tip_off.enterprise_name}, body=tip_off.description[:500]))
    return tip_off


def ensure_may_triage(actor, tip_off: TipOff, accept: bool = True) -> None:
    """403 without the triage permission; 409 when the tip-off has already been triaged (it is triaged once)."""
    TIPOFF_WORKFLOW.ensure_may(actor, tip_off, "accept" if accept else "dismiss")


def triage_tip_off(*, actor, tip_off: TipOff, accept: bool, enterprise=None, level: str = HazardLevel.ORDINARY,
                   description: str = "", location: str = "", dismiss_reason: str = "") -> TipOff:
    """Bureau staff turn a tip-off into a hazard of the enterprise it is about, or dismiss it with a reason. A
    tip-off is triaged once.

    Who sent a tip-off, and what they wrote, is seen only where tip-offs are triaged (ARCHITECTURE.md §10;
    个人信息保护法): the enterprise and the township read the hazard, so it is found by the triaging officer
    (source: tip-off), described in the officer's words (``description``, required) at the ``location`` the
    officer gives, and its before-photo is the public's photo as received — re-encoded without its metadata
    and stored under a name that is not the sender's (``tip_off_photo_path``)."""
    with transaction.atomic():
        tip_off = TipOff.objects.select_for_update().get(pk=tip_off.pk)
        ensure_in_scope(actor, tip_off)
        ensure_may_triage(actor, tip_off, accept)
        tip_off.triaged_by = actor
        tip_off.triaged_at = timezone.now()
        if not accept:
            tip_off.dismiss_reason = require_text(dismiss_reason, "dismiss_reason",
                                                  _("Give the reason for dismissing the tip-off."))
            tip_off.state = TipOffState.DISMISSED
            tip_off.save()
            audit.record(actor=actor, verb="tipoff.dismiss", target=tip_off, note=tip_off.dismiss_reason)
            return tip_off
        errors = {}
        if enterprise is None:
            errors["enterprise"] = [_("Choose the enterprise the tip-off is about.")]
        description = (description or "").strip()
        if not description:
            errors["description"] = [_("Describe the hazard in your own words: the enterprise reads this "
                                       "description, never the text of the tip-off.")]
        if errors:
            raise ValidationError(errors)
        ensure_in_scope(actor, enterprise)
        hazard = create_hazard(
            actor=actor, enterprise=enterprise, found_at=tip_off.created_at, found_by_name=str(actor),
            fields={"description": description, "level": level, "source": HazardSource.TIP_OFF,
                    "location": (location or "").strip()},
        )
        if tip_off.photo:
            share_photo(HazardPhoto, {"hazard": hazard, "kind": PhotoKind.BEFORE}, image=tip_off.photo, actor=actor)
        tip_off.state = TipOffState.ACCEPTED
        tip_off.hazard = hazard
        tip_off.enterprise = enterprise
        tip_off.township_id = enterprise.township_id
        tip_off.save()
        audit.record(actor=actor, verb="hazard.report", target=hazard, changes={
            "state": [None, hazard.state], "level": hazard.level, "source": hazard.source,
            "enterprise": enterprise.pk, "tip_off": tip_off.pk})
    return tip_off
