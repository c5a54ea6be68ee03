"""Read queries on alarms, always from ``visible_to(actor)``: the list, the page, the duty console's live alarms,
the to-dos, and the repeats that propose a hazard (issue 13: "an alarm that repeats N times in M days proposes
a hazard"; N and M are the level rule's ``repeat_count`` and ``repeat_days``, [U] REGULATIONS-2 §B.5)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from . import rulebook
from .choices import ACTIVE_STATES, LEVEL_ORDER, AlarmState, Condition
from .models import Alarm

#: The side of a process excursion: 高报 and 高高报 are one family of repeats, 低报 and 低低报 another.
_SIDE = Case(When(condition__in=(Condition.HIGH, Condition.HIGH_HIGH), then=Value("high")),
             When(condition__in=(Condition.LOW, Condition.LOW_LOW), then=Value("low")),
             default=F("condition"), output_field=CharField())

#: Most severe first (the console's and the to-dos' order).
SEVERITY = Case(*(When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)),
                default=Value(len(LEVEL_ORDER)), output_field=IntegerField())


def _rule_case(attribute: str):
    return Case(*(When(level=level, then=Value(getattr(rulebook.rule_for(level), attribute)))
                  for level in LEVEL_ORDER), default=Value(0), output_field=IntegerField())


def _window_start():
    """The start of an alarm's repeat window: its level rule's ``repeat_days`` before it was raised."""
    return Case(*(When(level=level, then=ExpressionWrapper(
        F("raised_at") - timedelta(days=rulebook.rule_for(level).repeat_days), output_field=DateTimeField()))
        for level in LEVEL_ORDER), default=F("raised_at"), output_field=DateTimeField())


def _family():
    """The alarms of the same family as the outer one: the same point, kind and side, or the same camera and
    scenario."""
    sensor = Q(point__isnull=False, point=OuterRef("point"), kind=OuterRef("kind"), side=OuterRef("side"))
    video = Q(camera__isnull=False, camera=OuterRef("camera"), scenario=OuterRef("scenario"))
    return Alarm.objects.annotate(side=_SIDE).filter(sensor | video)


def with_repeats(queryset):
    """Each alarm with ``repeats`` (the alarms of its family raised within its level's window up to it, itself
    included), ``repeat_threshold`` and ``proposes_hazard``: the threshold reached, no hazard reported from it
    nor from another alarm of its family since the window began (the hazard loop has it already)."""
    window = queryset.annotate(side=_SIDE, window_start=_window_start(), repeat_threshold=_rule_case("repeat_count"))
    counted = _family().filter(raised_at__gte=OuterRef("window_start"), raised_at__lte=OuterRef("raised_at"))
    counted = counted.order_by().values("kind").annotate(n=Count("pk")).values("n")
    reported = _family().filter(raised_at__gte=OuterRef("window_start"), hazard__isnull=False)
    return window.annotate(
        repeats=Coalesce(Subquery(counted[:1], output_field=IntegerField()), 1),
        series_reported=Exists(reported),
    ).annotate(proposes_hazard=Case(
        When(Q(hazard__isnull=True, series_reported=False, repeats__gte=F("repeat_threshold")), then=Value(True)),
        default=Value(False)))


def alarms(actor):
    """The alarms ``actor`` sees, with what the list shows."""
    return Alarm.objects.visible_to(actor).select_related("enterprise", "township", "point", "camera", "scenario")


def alarm_detail(actor):
    """The alarm page's queryset: what the page shows of its point, camera and people, and its repeats."""
    return with_repeats(alarms(actor).select_related(
        "installation", "point__status", "acknowledged_by", "handled_by", "cleared_by", "closed_by", "hazard"))


def console_alarms(actor, *, since=None):
    """The duty console's live alarms (raised, acknowledged, being handled), most severe and newest first;
    with ``since``, those changed after it (whatever their state now: one that left the console is removed
    there)."""
    rows = alarms(actor).annotate(severity=SEVERITY)
    if since is None:
        rows = rows.filter(state__in=ACTIVE_STATES)
    else:
        rows = rows.filter(changed_at__gt=since)
    return rows.order_by("severity", "-raised_at", "-pk")


def to_acknowledge(actor):
    """Raised alarms waiting for the enterprise's acknowledgement."""
    return alarms(actor).filter(state=AlarmState.RAISED).annotate(severity=SEVERITY).order_by("severity", "-raised_at")


def to_finish(actor):
    """Alarms acknowledged or being handled, and cleared ones waiting for their disposition."""
    states = (AlarmState.ACKNOWLEDGED, AlarmState.HANDLING, AlarmState.CLEARED)
    return alarms(actor).filter(state__in=states).annotate(severity=SEVERITY).order_by("severity", "-raised_at")


def missed_acknowledgements(actor):
    """Alarms escalated because nobody acknowledged them in time, still not acknowledged."""
    return alarms(actor).filter(state=AlarmState.RAISED, escalated_at__isnull=False).order_by("ack_due_by")


def proposing_hazards(actor):
    """Alarms not closed whose repeats propose a hazard nobody reported yet."""
    open_ = alarms(actor).exclude(state=AlarmState.CLOSED).filter(hazard__isnull=True)
    return with_repeats(open_).filter(proposes_hazard=True).order_by("-raised_at")
