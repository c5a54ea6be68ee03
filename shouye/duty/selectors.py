"""Reading duty data: every roster through ``visible_to(actor)``; the bureau's own rows (log, handovers,
swaps, setup) behind their permissions (district-wide roles only hold them)."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from shouye.enterprises.choices import OperatingStatus
from shouye.enterprises.models import Enterprise
from shouye.regions.choices import RegionLevel
from shouye.regions.models import Region
from shouye.regions.scoping import scope_for

from .choices import HandoverState, ReportStage, RosterState, SwapState, UnitKind
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
from .permissions import APPROVE_SWAP, KEEP_LOG, VIEW_LOG, VIEW_SWAP


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


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def same_unit_previous_month(roster: Roster):
    """The same unit's roster of the month before (a queryset of at most one)."""
    year, month = previous_month(roster.year, roster.month)
    unit = {UnitKind.BUREAU: {}, UnitKind.TOWNSHIP: {"township_id": roster.township_id},
            UnitKind.ENTERPRISE: {"enterprise_id": roster.enterprise_id}}[roster.unit_kind]
    return Roster.objects.filter(unit_kind=roster.unit_kind, year=year, month=month, **unit)


def unit_previous_month(roster: Roster) -> list[Assignment]:
    """The people of the unit's previous month, each (position, name, phone) once, in the order they first
    served: the rotation a township or enterprise generates its next month from."""
    seen, people = set(), []
    for row in (Assignment.objects.filter(roster__in=same_unit_previous_month(roster))
                .select_related("position").order_by("day", "position__order", "id")):
        key = (row.position_id, row.name, row.phone)
        if key not in seen:
            seen.add(key)
            people.append(row)
    return people


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
    visible = on_duty_rosters(actor, day)
    order = {UnitKind.BUREAU: 0, UnitKind.TOWNSHIP: 1, UnitKind.ENTERPRISE: 2}
    units = sorted(visible, key=lambda r: (order[r.unit_kind], r.unit_name))
    return [{"roster": roster, "people": list(roster.assignments.all())} for roster in units]


#: Key enterprises (重点企业) that keep 24-hour duty and file their roster with the bureau: the units 生产安全事故
#: 应急条例 Art. 14 item 2 (REGULATIONS.md §8) obliges to keep emergency duty, as the registry codes them — the
#: 危险物品 producers, traders and stores (the hazardous-chemicals and urban-gas industries, gas stations,
#: fireworks), mines (non-coal mines), metal smelting (metallurgy), and any enterprise with a major hazard
#: installation (重大危险源) or a hazardous chemical process (危险化工工艺). Construction (建筑施工, also in Art. 14)
#: is left out: the registry holds construction companies, not the sites that keep the duty, and the housing
#: bureau supervises them (``enterprises.reference_data``); add its industry code to include it. Operating
#: enterprises only.
KEY_INDUSTRY_CODES = ("hazardous_chemicals", "non_coal_mines", "urban_gas")
KEY_TAG_CODES = ("mhi", "hazardous_process", "metallurgy", "fireworks", "gas_station")


def key_enterprises(actor):
    """The key enterprises ``actor`` sees (``KEY_INDUSTRY_CODES``, ``KEY_TAG_CODES``), by name."""
    tagged = Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("pk"), tag__code__in=KEY_TAG_CODES)
    return (Enterprise.objects.visible_to(actor).filter(status=OperatingStatus.OPERATING)
            .filter(Q(industry__code__in=KEY_INDUSTRY_CODES) | Exists(tagged))
            .select_related("township").order_by("name", "id"))


def townships(actor):
    """The townships whose duty ``actor`` follows: all for the district-wide roles, a township officer's own."""
    scope = scope_for(actor)
    rows = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    return (rows if scope.everything else rows.filter(pk__in=sorted(scope.region_ids))).order_by("code")


def board(actor, day: date) -> dict:
    """Who is on duty on the shift of ``day`` at the bureau, each township and each key enterprise ``actor``
    sees (then any other unit that filed), and which townships and key enterprises have not filed the
    month's roster — four queries whatever the number of units (townships, key enterprises, the month's filed
    rosters, their people that day)."""
    filed = {(roster.unit_kind, roster.enterprise_id or roster.township_id): roster
             for roster in on_duty_rosters(actor, day)}
    units, missing = [], []

    def shown(roster, township):
        units.append({"roster": roster, "name": roster.unit_name, "township": township,
                      "people": list(roster.assignments.all())})

    if (UnitKind.BUREAU, None) in filed:
        shown(filed.pop((UnitKind.BUREAU, None)), None)
    for kind, rows in ((UnitKind.TOWNSHIP, townships(actor)), (UnitKind.ENTERPRISE, key_enterprises(actor))):
        for unit in rows:
            township = unit if kind == UnitKind.TOWNSHIP else unit.township
            roster = filed.pop((kind, unit.pk), None)
            if roster is None:
                missing.append({"kind": kind, "kind_display": UnitKind(kind).label, "name": unit.name,
                                "township": township, "pk": unit.pk})
            else:
                shown(roster, township)
    for roster in sorted(filed.values(), key=lambda r: (r.unit_kind != UnitKind.TOWNSHIP, r.unit_name)):
        shown(roster, roster.township)
    return {"units": units, "missing": missing}


def on_duty_rosters(actor, day: date):
    """The published (filed) rosters of ``day``'s month ``actor`` sees, with that day's people."""
    return (rosters(actor).filter(state=RosterState.PUBLISHED, year=day.year, month=day.month)
            .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.filter(day=day)
                                       .select_related("position"))))


def swaps(actor):
    """The bureau's swaps, for those who may read them (the district-wide roles); none for anyone else, so an
    act on a swap answers as for one that does not exist."""
    if not actor.has_perm(VIEW_SWAP):
        return SwapRequest.objects.none()
    return SwapRequest.objects.select_related("roster", "mine__position", "theirs__position", "requested_by",
                                              "colleague", "decided_by")


def swaps_to_approve(actor):
    """Swaps the colleague agreed to, waiting for a leader (those who may approve)."""
    if not actor.has_perm(APPROVE_SWAP):
        return SwapRequest.objects.none()
    return swaps(actor).filter(state=SwapState.AGREED)


def handovers_to_acknowledge(actor):
    """Handovers still pending whose next shift names ``actor`` on the bureau's published roster (the incoming
    officer or leader on duty); the one who handed over does not acknowledge their own."""
    if not actor.has_perm(KEEP_LOG):
        return Handover.objects.none()
    pending = Handover.objects.filter(state=HandoverState.PENDING).exclude(handed_over_by=actor)
    next_days = [day + timedelta(days=1) for day in pending.values_list("shift_day", flat=True)]
    mine = (Assignment.objects.filter(user=actor, roster__unit_kind=UnitKind.BUREAU,
                                      roster__state=RosterState.PUBLISHED, day__in=next_days)
            .values_list("day", flat=True))
    return pending.filter(shift_day__in=sorted({day - timedelta(days=1) for day in mine})).select_related(
        "handed_over_by")


def own_units_not_filed(actor, year: int, month: int) -> list[dict]:
    """The units ``actor`` keeps the roster of — their townships, their key enterprises — without a filed
    roster for the month (a draft is not filed)."""
    scope = scope_for(actor)
    units = [(UnitKind.TOWNSHIP, region) for region in Region.objects.filter(
        level=RegionLevel.TOWNSHIP, pk__in=sorted(scope.region_ids)).order_by("code")]
    units += [(UnitKind.ENTERPRISE, enterprise) for enterprise in key_enterprises(actor).filter(
        pk__in=sorted(scope.enterprise_ids))]
    if not units:
        return []
    filed = set(Roster.objects.filter(state=RosterState.PUBLISHED, year=year, month=month)
                .filter(Q(township__in=[u.pk for k, u in units if k == UnitKind.TOWNSHIP],
                          unit_kind=UnitKind.TOWNSHIP)
                        | Q(enterprise__in=[u.pk for k, u in units if k == UnitKind.ENTERPRISE]))
                .values_list("unit_kind", "township_id", "enterprise_id"))
    done = {(kind, enterprise or township) for kind, township, enterprise in filed}
    return [{"kind": kind, "name": unit.name, "pk": unit.pk} for kind, unit in units if (kind, unit.pk) not in done]


#: How long a report may go without its follow-up (续报): at least one a day until the final report (终报) — the
#: lenient end of the frequency REGULATIONS.md §5.2 records (at least 1 a day below 重大, 2 a day for 重大 and
#: above; provenance [U], probably 安监总局令第21号). The log does not grade an event, so a day is the floor.
FOLLOW_UP_EVERY = timedelta(hours=24)


def follow_ups_due(actor):
    """Reports up and out not yet final and not yet followed (山东省突发事件应对条例 Art. 30: 续报 until 终报); the
    follow-up is due ``FOLLOW_UP_EVERY`` after each."""
    if not actor.has_perm(KEEP_LOG):
        return LogEntry.objects.none()
    return (LogEntry.objects.filter(report_stage__in=[ReportStage.FIRST, ReportStage.FOLLOW_UP])
            .filter(~Exists(LogEntry.objects.filter(follows=OuterRef("pk")))))


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
