"""Reading duty data: every roster through ``visible_to(actor)``; the bureau's own rows (log, handovers,
swaps, setup) behind their permissions (district-wide roles only hold them)."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from .choices import RosterState, UnitKind
from .models import (
    Assignment,
    DutyLeave,
    DutyPosition,
    DutySeason,
    DutySetup,
    Handover,
    LogEntry,
    Roster,
    RotationMember,
    SwapRequest,
)
from .permissions import VIEW_LOG, VIEW_SWAP


def setup() -> DutySetup:
    """The bureau's duty settings (made by migration 0002; made again if someone removed the row)."""
    return DutySetup.objects.get_or_create(pk=1)[0]


def positions() -> list[DutyPosition]:
    return list(DutyPosition.objects.order_by("order", "id"))


def rosters(actor):
    return Roster.objects.visible_to(actor).select_related("township", "enterprise", "created_by")


def roster_detail(actor):
    return rosters(actor).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("position", "user")))


def month_days(year: int, month: int) -> list[date]:
    return [date(year, month, d) for d in range(1, pycalendar.monthrange(year, month)[1] + 1)]


def shift_day_at(moment: datetime, handover_time) -> date:
    """The shift a moment belongs to: a shift runs 24 hours from the handover time of its day (Asia/Shanghai),
    so 03:00 belongs to the previous day's shift."""
    local = timezone.localtime(moment)
    return local.date() if local.time() >= handover_time else local.date() - timedelta(days=1)


def current_shift_day() -> date:
    return shift_day_at(timezone.now(), setup().handover_time)


def on_duty(actor, day: date) -> list[dict]:
    """Every unit visible to ``actor`` with a published roster for ``day``: its name, duty phone and the
    people on that day's shift by position; the bureau first, then townships, then enterprises."""
    visible = (rosters(actor).filter(state=RosterState.PUBLISHED, year=day.year, month=day.month)
               .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.filter(day=day)
                                          .select_related("position"))))
    order = {UnitKind.BUREAU: 0, UnitKind.TOWNSHIP: 1, UnitKind.ENTERPRISE: 2}
    units = sorted(visible, key=lambda r: (order[r.unit_kind], r.unit_name))
    return [{"roster": roster, "people": list(roster.assignments.all())} for roster in units]


def swaps(actor):
    """The bureau's swaps, for those who may read them (the district-wide roles); none for anyone else, so an
    act on a swap answers as for one that does not exist."""
    if not actor.has_perm(VIEW_SWAP):
        return SwapRequest.objects.none()
    return SwapRequest.objects.select_related("roster", "mine__position", "theirs__position", "requested_by",
                                              "colleague", "decided_by")


def log_entries(actor):
    if not actor.has_perm(VIEW_LOG):
        return LogEntry.objects.none()
    return LogEntry.objects.select_related("recorded_by", "follows")


def handovers(actor):
    if not actor.has_perm(VIEW_LOG):
        return Handover.objects.none()
    return Handover.objects.select_related("handed_over_by", "acknowledged_by").prefetch_related("open_entries")


def seasons_overlapping(first: date, last: date) -> list[DutySeason]:
    return list(DutySeason.objects.filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on", "id"))


def leaves_overlapping(first: date, last: date) -> list[DutyLeave]:
    return list(DutyLeave.objects.filter(first_day__lte=last, last_day__gte=first))


def rotation(position: DutyPosition) -> list[RotationMember]:
    return list(position.rotation.filter(active=True).select_related("user").order_by("order", "id"))


def setup_page_data() -> dict:
    return {"setup": setup(), "positions": positions(),
            "seasons": list(DutySeason.objects.order_by("-starts_on")[:50]),
            "leaves": list(DutyLeave.objects.select_related("user").order_by("-first_day")[:50]),
            "rotation": list(RotationMember.objects.select_related("position", "user"))}
