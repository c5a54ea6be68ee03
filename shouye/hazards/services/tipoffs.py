"""Public tip-offs (举报): the form without signing in, its rate limit, the public status page behind the
receipt code, triage into a hazard, and the township's check on site of a tip-off the bureau sends it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.core import ratelimit
from shouye.core.attachments import share_photo
from shouye.core.uploads import check_photo
from shouye.notifications.services import notify
from shouye.regions.choices import RegionLevel
from shouye.regions.scoping import ensure_in_scope

from ..choices import HazardLevel, HazardSource, HazardState, PhotoKind, TipOffState
from ..models import RECEIPT_LENGTH, HazardPhoto, TipOff, normalise_receipt_code
from ..workflow import TIPOFF_WORKFLOW
from .common import bureau_staff, require_text, township_officers
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
        link = reverse("hazards:tip-off", kwargs={"pk": tip_off.pk})
        transaction.on_commit(lambda: notify(
            recipients=list(bureau_staff()), verb="tipoff.new",
            title=_("New tip-off: %(place)s") % {"place": tip_off.enterprise_name}, body=tip_off.description[:500],
            link=link))
    return tip_off


# --- the public status page ---------------------------------------------------------------------------

#: Wrong receipt codes one client address may try per clock hour before the status page stops answering it
#: until the hour ends: a person mistyping their code gets several tries; enumerating codes (31^12) does not
#: get anywhere (ARCHITECTURE.md §10: throttles count in the shared cache).
STATUS_MISSES_PER_HOUR = 10


class TooManyStatusLookups(Exception):
    """The address tried STATUS_MISSES_PER_HOUR wrong codes this hour."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(_("Too many wrong codes from your address. Please try again in %(minutes)d minutes.")
                         % {"minutes": max(1, retry_after // 60)})


@dataclass(frozen=True)
class TipOffStatus:
    """What the sender of a tip-off may read on the public status page: when it was received, its state in
    plain words, and the bureau's reply when it was not accepted. Never the sender's own data (whoever holds
    the code sees this page), the enterprise's details, nor the names of staff."""

    code: str
    received_at: object
    state: str
    label: str
    explanation: str
    reply: str = ""


def _status_of(tip_off: TipOff) -> TipOffStatus:
    if tip_off.state == TipOffState.ACCEPTED and tip_off.hazard is not None \
            and tip_off.hazard.state == HazardState.CLOSED:
        state, label, explanation = "rectified", _("Rectified"), _(
            "The hazard you reported has been rectified and checked by the supervising officers.")
    elif tip_off.state == TipOffState.ACCEPTED:
        state, label, explanation = "rectifying", _("Turned into a hazard, being dealt with"), _(
            "Your report was confirmed: it is recorded as a hazard and the enterprise has been ordered to "
            "rectify it.")
    elif tip_off.state == TipOffState.CHECKING:
        state, label, explanation = "checking", _("Being checked"), _(
            "The township's officers are checking the place on site.")
    elif tip_off.state == TipOffState.DISMISSED:
        state, label, explanation = "dismissed", _("Not accepted"), _(
            "After looking into your report, the bureau did not accept it.")
    else:
        state, label, explanation = "received", _("Received"), _(
            "The bureau has received your report and will look into it.")
    return TipOffStatus(code=tip_off.receipt_display, received_at=tip_off.created_at, state=state,
                        label=str(label), explanation=str(explanation),
                        reply=tip_off.public_reason if tip_off.state == TipOffState.DISMISSED else "")


def tip_off_status(*, code: str, ip_address: str | None) -> TipOffStatus:
    """The public status of the tip-off with receipt ``code`` (as typed: case, spaces and dashes do not
    matter). A wrong code raises ValidationError and counts against the address; an address over
    STATUS_MISSES_PER_HOUR wrong codes is refused (TooManyStatusLookups) until the hour ends, whatever code
    it tries, so a right guess cannot be told from a wrong one by then."""
    address = ("tip-off-status", ip_address or "unknown")
    waiting = ratelimit.locked_for(address)
    if waiting:
        raise TooManyStatusLookups(retry_after=waiting)
    normalised = normalise_receipt_code(code)
    tip_off = None
    if len(normalised) == RECEIPT_LENGTH:
        tip_off = TipOff.objects.select_related("hazard").filter(receipt_code=normalised).first()
    if tip_off is None:
        misses, remaining = ratelimit.count_in_window(("tip-off-status-miss", ip_address or "unknown"),
                                                      window=3600)
        if misses >= STATUS_MISSES_PER_HOUR:
            ratelimit.lock(address, seconds=remaining)
        raise ValidationError({"code": _("No tip-off has this receipt code. Check the code on your receipt: "
                                         "%(length)d letters and digits.") % {"length": RECEIPT_LENGTH}})
    return _status_of(tip_off)


def ensure_may_triage(actor, tip_off: TipOff, accept: bool = True) -> None:
    """403 without the triage permission; 409 when the tip-off has already been triaged (it is triaged once)."""
    TIPOFF_WORKFLOW.ensure_may(actor, tip_off, "accept" if accept else "dismiss")


def triage_tip_off(*, actor, tip_off: TipOff, accept: bool, enterprise=None, level: str = HazardLevel.ORDINARY,
                   description: str = "", location: str = "", dismiss_reason: str = "",
                   public_reason: str = "") -> TipOff:
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
            _dismiss(actor, tip_off, dismiss_reason, public_reason, verb="tipoff.dismiss")
            return tip_off
        _accept(actor, tip_off, enterprise=enterprise, level=level, description=description, location=location)
    return tip_off


def _dismiss(actor, tip_off: TipOff, reason: str, public_reason: str, *, verb: str,
             field: str = "dismiss_reason") -> None:
    """Dismiss with the reason (for the bureau) and, optionally, a reply the sender reads on the status page."""
    tip_off.dismiss_reason = require_text(reason, field, _("Give the reason for dismissing the tip-off."))
    tip_off.public_reason = (public_reason or "").strip()
    tip_off.state = TipOffState.DISMISSED
    tip_off.save()
    audit.record(actor=actor, verb=verb, target=tip_off, note=tip_off.dismiss_reason,
                 changes={"state": TipOffState.DISMISSED, "public_reason": tip_off.public_reason})


def _accept(actor, tip_off: TipOff, *, enterprise, level: str, description: str, location: str):
    """The tip-off becomes a hazard of ``enterprise`` found by ``actor``, described in the actor's words: who
    sent a tip-off, and what they wrote, is seen only where tip-offs are triaged (ARCHITECTURE.md §10;
    个人信息保护法)."""
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
    return hazard


# --- the township's check on site ----------------------------------------------------------------------


def send_tip_off_to_township(*, actor, tip_off: TipOff, township, check_request: str, address: str = "",
                             enterprise=None) -> TipOff:
    """Bureau staff send a tip-off to the officers of its township (属地管理) to check the place on site: the
    premises may be an unregistered business (then the address is required, so the officer can find it), or
    the bureau wants the township's eyes before it turns the tip-off into a hazard. ``check_request`` is what
    to check, in the staff's words: the township reads it, never the text of the tip-off or who sent it
    (ARCHITECTURE.md §10). The township's officers are told in the app; a township without an active officer
    is refused, so nothing is sent where nobody reads it."""
    with transaction.atomic():
        tip_off = TipOff.objects.select_for_update().get(pk=tip_off.pk)
        ensure_in_scope(actor, tip_off)
        TIPOFF_WORKFLOW.ensure_may(actor, tip_off, "send")
        errors = {}
        if township is None or township.level != RegionLevel.TOWNSHIP:
            errors["township"] = [_("Choose the township that checks the place.")]
        address = (address or "").strip()
        if enterprise is None and not address:
            errors["address"] = [_("Give the address of the place: without a registered enterprise it is how "
                                   "the township finds it.")]
        check_request = (check_request or "").strip()
        if not check_request:
            errors["check_request"] = [_("Say what the township should check, in your own words: the officers "
                                         "read this, never the text of the tip-off or who sent it.")]
        if enterprise is not None and township is not None and enterprise.township_id != township.pk:
            errors["enterprise"] = [_("This enterprise is not in the chosen township.")]
        officers = list(township_officers(township.pk)) if "township" not in errors else []
        if "township" not in errors and not officers:
            errors["township"] = [_("%(township)s has no active township officer to send the tip-off to.")
                                  % {"township": township.name}]
        if errors:
            raise ValidationError(errors)
        if enterprise is not None:
            ensure_in_scope(actor, enterprise)
        tip_off.state = TipOffState.CHECKING
        tip_off.township = township
        tip_off.address = address or tip_off.address
        tip_off.enterprise = enterprise
        tip_off.check_request = check_request
        tip_off.sent_by = actor
        tip_off.sent_at = timezone.now()
        tip_off.save()
        audit.record(actor=actor, verb="tipoff.send", target=tip_off, note=check_request, changes={
            "state": [TipOffState.NEW, TipOffState.CHECKING], "township": township.code,
            "enterprise": enterprise.pk if enterprise else None})
        link = reverse("hazards:tip-off-check", kwargs={"pk": tip_off.pk})
        title = _("Tip-off to check: %(place)s") % {"place": tip_off.enterprise_name}
        transaction.on_commit(lambda: notify(recipients=officers, verb="tipoff.send", title=title,
                                             body=check_request[:500], link=link))
    return tip_off


def record_tip_off_check(*, actor, tip_off: TipOff, found: bool, check_result: str = "", enterprise=None,
                         level: str = HazardLevel.ORDINARY, description: str = "", location: str = "",
                         public_reason: str = "") -> TipOff:
    """The township officer's result of the check on site. A hazard found becomes a hazard of the enterprise
    (registered first if it should be: the check page links to the registration form) the same way triage
    makes one; nothing found, or not a matter for emergency management, dismisses the tip-off with the
    officer's result as its reason. The staff who sent it are told."""
    with transaction.atomic():
        tip_off = TipOff.objects.select_for_update().get(pk=tip_off.pk)
        ensure_in_scope(actor, tip_off)
        TIPOFF_WORKFLOW.ensure_may(actor, tip_off, "check-found" if found else "check-dismiss")
        tip_off.checked_by = actor
        tip_off.checked_at = timezone.now()
        tip_off.check_result = (check_result or "").strip()
        if found:
            _accept(actor, tip_off, enterprise=enterprise, level=level, description=description,
                    location=location)
            audit.record(actor=actor, verb="tipoff.check", target=tip_off, note=tip_off.check_result,
                         changes={"state": [TipOffState.CHECKING, TipOffState.ACCEPTED], "hazard": tip_off.hazard_id})
            title = _("Tip-off checked, hazard found: %(place)s") % {"place": tip_off.enterprise_name}
        else:
            if enterprise is not None:
                ensure_in_scope(actor, enterprise)
                tip_off.enterprise = enterprise
            _dismiss(actor, tip_off, check_result, public_reason, verb="tipoff.check", field="check_result")
            title = _("Tip-off checked, nothing to take up: %(place)s") % {"place": tip_off.enterprise_name}
        sender = tip_off.sent_by
        link = reverse("hazards:tip-off", kwargs={"pk": tip_off.pk})
        transaction.on_commit(lambda: notify(recipients=[sender], verb="tipoff.check", title=title,
                                             body=tip_off.check_result[:500], link=link))
    return tip_off
