"""The workflows of a roster (draft → published by the bureau, filed by a township or key enterprise), a swap (requested → agreed → approved, or refused), a log
entry (open → closed) and a handover (pending → acknowledged)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from shouye.core.workflow import Step, Workflow
from shouye.regions.scoping import scope_for

from .choices import EntryState, HandoverState, RosterState, SwapState, UnitKind
from .permissions import APPROVE_SWAP, KEEP_LOG, MANAGE, REQUEST_SWAP


def manages_unit(actor, roster) -> bool:
    """Whether ``actor`` keeps this roster's unit: the bureau's roles the bureau's, a township officer their
    township's, an enterprise user their enterprise's (seeing a roster is not keeping it)."""
    scope = scope_for(actor)
    if roster.unit_kind == UnitKind.BUREAU:
        return scope.everything
    if roster.unit_kind == UnitKind.TOWNSHIP:
        return roster.township_id in scope.region_ids
    return roster.enterprise_id in scope.enterprise_ids


def _own_unit(actor, roster) -> None:
    if not manages_unit(actor, roster):
        raise PermissionDenied(_("Only the unit's own staff keep its roster."))


def _bureau_roster(actor, roster) -> None:
    if roster.unit_kind != UnitKind.BUREAU:
        raise PermissionDenied(_("Swaps and the generator are for the bureau's roster."))


def _own_and_bureau(actor, roster) -> None:
    _bureau_roster(actor, roster)
    _own_unit(actor, roster)


def _own_and_filed(actor, roster) -> None:
    if roster.unit_kind == UnitKind.BUREAU:
        raise PermissionDenied(_("The bureau publishes its roster; townships and key enterprises file theirs."))
    _own_unit(actor, roster)


def _is_bureau(actor, roster) -> bool:
    return roster.unit_kind == UnitKind.BUREAU


def _is_filed(actor, roster) -> bool:
    return roster.unit_kind != UnitKind.BUREAU


def _colleague(actor, swap) -> None:
    if swap.colleague_id != actor.pk:
        raise PermissionDenied(_("Only the colleague asked may answer this swap."))


def _next_shift(actor, handover) -> None:
    if handover.handed_over_by_id == actor.pk:
        raise PermissionDenied(_("The next shift acknowledges the handover, not the one handing over."))


ROSTER = Workflow(states=RosterState, steps=[
    Step("generate", sources=(RosterState.DRAFT,), permissions=(MANAGE,), check=_own_unit),
    Step("add-assignment", sources=(RosterState.DRAFT,), permissions=(MANAGE,), check=_own_unit),
    Step("remove-assignment", sources=(RosterState.DRAFT,), permissions=(MANAGE,), check=_own_unit),
    Step("publish", sources=(RosterState.DRAFT,), target=RosterState.PUBLISHED, permissions=(MANAGE,),
         check=_own_and_bureau, offered=_is_bureau),
    # 报备: a township's or key enterprise's roster, published to its people and filed with the bureau at once
    # (山东省突发事件应对条例 Art. 8 ¶4 requires 24-hour duty of both; the bureau checks it on "on duty now").
    Step("file", sources=(RosterState.DRAFT,), target=RosterState.PUBLISHED, permissions=(MANAGE,),
         check=_own_and_filed, offered=_is_filed),
    Step("request-swap", sources=(RosterState.PUBLISHED,), permissions=(REQUEST_SWAP,), check=_bureau_roster,
         offered=_is_bureau),
])

SWAP = Workflow(states=SwapState, steps=[
    Step("agree", sources=(SwapState.REQUESTED,), target=SwapState.AGREED, permissions=(REQUEST_SWAP,),
         check=_colleague, offered=lambda actor, swap: swap.colleague_id == actor.pk),
    Step("decline", sources=(SwapState.REQUESTED,), target=SwapState.REFUSED, permissions=(REQUEST_SWAP,),
         check=_colleague, offered=lambda actor, swap: swap.colleague_id == actor.pk),
    Step("approve", sources=(SwapState.AGREED,), target=SwapState.APPROVED, permissions=(APPROVE_SWAP,)),
    Step("reject", sources=(SwapState.AGREED,), target=SwapState.REFUSED, permissions=(APPROVE_SWAP,)),
])

ENTRY = Workflow(states=EntryState, steps=[
    Step("close", sources=(EntryState.OPEN,), target=EntryState.CLOSED, permissions=(KEEP_LOG,)),
])

HANDOVER = Workflow(states=HandoverState, steps=[
    Step("acknowledge", sources=(HandoverState.PENDING,), target=HandoverState.ACKNOWLEDGED,
         permissions=(KEEP_LOG,), check=_next_shift,
         offered=lambda actor, handover: handover.handed_over_by_id != actor.pk),
])
