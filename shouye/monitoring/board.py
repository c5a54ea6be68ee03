"""The bureau's alarm board (issue 13, "Bureau board"): the alarms that still need someone (raised, acknowledged,
being handled) in the viewer's scope, by level (红/橙/黄/蓝, REGULATIONS-2 §B.5), by township and by enterprise
and installation; the latest alarms; and the monitoring points offline now.

Everything is read in :data:`BOARD_QUERIES` queries whatever the number of alarms: the figures are aggregates
in SQL and every list is limited (``values()``, no model instances). The page, ``/api/v1/alarm-board/`` and the
event stream (``stream.py``) read the same functions, so a row the stream pushes looks like a row of the page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from .choices import ACTIVE_STATES, LEVEL_ORDER, AlarmLevel, AlarmState, Condition
from .models import Alarm, PointStatus

#: Rows the latest-alarms list shows (the figures count them all).
LIST_LIMIT = 50
#: Rows of the by-enterprise table (the enterprises with the most active alarms first).
ENTERPRISE_LIMIT = 20
#: The queries of :func:`board_data`: the figures, the townships, the enterprises, the latest list, the offline
#: points.
BOARD_QUERIES = 5
#: The alarm's page (the lifecycle's ``monitoring:alarm-detail``), with ``{id}`` for its id.
ALARM_URL = "/monitoring/alarms/{id}/"

ROW_FIELDS = ("id", "source", "kind", "level", "state", "enterprise_id", "enterprise__name", "township_id",
              "township__name", "installation__name", "point__name", "point__unit", "camera__name",
              "scenario__name", "condition", "value", "raised_at", "ack_due_by", "acknowledged_at", "repeat_count",
              "changed_at")
ACTIVE = Q(state__in=ACTIVE_STATES)


def board_alarms(user):
    """The alarms ``user`` sees, in no order (each list orders itself)."""
    return Alarm.objects.visible_to(user).order_by()


def _local(moment, pattern="%m-%d %H:%M") -> str:
    return timezone.localtime(moment).strftime(pattern) if moment else ""


def alarm_row(values: dict, now) -> dict:
    """One alarm as the board, its API and its stream show it: what (the scene, or the band the value crossed),
    where (the point or camera, the installation, the enterprise), its level and state, and whether its
    acknowledgement is overdue."""
    levels, states, conditions = dict(AlarmLevel.choices), dict(AlarmState.choices), dict(Condition.choices)
    what = values["scenario__name"] or str(conditions.get(values["condition"], values["condition"]))
    if values["value"] is not None and not values["scenario__name"]:
        what = f"{what} {values['value']:g} {values['point__unit'] or ''}".strip()
    state = values["state"]
    return {
        "id": values["id"], "source": values["source"], "kind": values["kind"], "level": values["level"],
        "level_label": str(levels.get(values["level"], values["level"])), "state": state,
        "state_label": str(states.get(state, state)), "active": state in ACTIVE_STATES,
        "overdue": state == AlarmState.RAISED and values["ack_due_by"] < now,
        "what": what, "where": values["point__name"] or values["camera__name"] or "",
        "installation": values["installation__name"] or "", "enterprise_id": values["enterprise_id"],
        "enterprise": values["enterprise__name"], "township_id": values["township_id"],
        "township": values["township__name"], "repeat_count": values["repeat_count"],
        "raised_at": values["raised_at"], "raised_label": _local(values["raised_at"]),
        "ack_due_by": values["ack_due_by"], "acknowledged_at": values["acknowledged_at"],
        "changed_at": values["changed_at"], "url": ALARM_URL.format(id=values["id"]),
    }


def figures(alarms, now) -> dict:
    """The active alarms in all, by level, those waiting for an acknowledgement and those past its deadline
    (one query)."""
    counts = {"active": Count("id"), "raised": Count("id", filter=Q(state=AlarmState.RAISED)),
              "overdue": Count("id", filter=Q(state=AlarmState.RAISED, ack_due_by__lt=now)),
              **{level.value: Count("id", filter=Q(level=level)) for level in LEVEL_ORDER}}
    return alarms.filter(ACTIVE).aggregate(**counts)


def by_township(alarms) -> list[dict]:
    """Active alarms per township, with the red and orange ones counted apart (one query)."""
    rows = (alarms.filter(ACTIVE).values("township_id", "township__name")
            .annotate(total=Count("id"), red=Count("id", filter=Q(level=AlarmLevel.RED)),
                      orange=Count("id", filter=Q(level=AlarmLevel.ORANGE)))
            .order_by("-total", "township__name"))
    return [{"id": row["township_id"], "name": row["township__name"], "total": row["total"], "red": row["red"],
             "orange": row["orange"]} for row in rows]


def by_enterprise(alarms, limit: int = ENTERPRISE_LIMIT) -> list[dict]:
    """Active alarms per enterprise and installation, the most first (one query, ``limit`` rows)."""
    rows = (alarms.filter(ACTIVE)
            .values("enterprise_id", "enterprise__name", "installation_id", "installation__name",
                    "township__name")
            .annotate(total=Count("id"), red=Count("id", filter=Q(level=AlarmLevel.RED)))
            .order_by("-total", "enterprise__name", "installation_id")[:limit])
    return [{"enterprise_id": row["enterprise_id"], "enterprise": row["enterprise__name"],
             "installation": row["installation__name"] or "", "township": row["township__name"],
             "total": row["total"], "red": row["red"]} for row in rows]


def latest(alarms, now, limit: int = LIST_LIMIT) -> list[dict]:
    """The active alarms, the newest first (one query, ``limit`` rows)."""
    rows = alarms.filter(ACTIVE).order_by("-raised_at", "-id").values(*ROW_FIELDS)[:limit]
    return [alarm_row(row, now) for row in rows]


def offline_points(user) -> int:
    """Monitoring points of the user's scope that are offline now (``PointStatus.is_offline``, one query)."""
    return PointStatus.objects.visible_to(user).filter(is_offline=True).count()


def counts(user, now) -> dict:
    """Everything of the board but the latest list: what the stream sends when a change moves a count."""
    alarms = board_alarms(user)
    totals = figures(alarms, now)
    return {
        "figures": {"active": totals["active"], "raised": totals["raised"], "overdue": totals["overdue"],
                    "offline_points": offline_points(user)},
        "by_level": [{"level": level.value, "label": str(level.label), "count": totals[level.value]}
                     for level in LEVEL_ORDER],
        "by_township": by_township(alarms),
        "by_enterprise": by_enterprise(alarms),
    }


def board_data(user, now=None) -> dict:
    """The board for ``user`` at ``now`` (default: the current time), in :data:`BOARD_QUERIES` queries."""
    now = now or timezone.now()
    return {"now": now, **counts(user, now), "latest": latest(board_alarms(user), now), "list_limit": LIST_LIMIT}


def rows_for(user, ids, now) -> list[dict]:
    """The alarms among ``ids`` that ``user`` sees (one query): what a notification of the writers becomes."""
    return [alarm_row(row, now) for row in board_alarms(user).filter(pk__in=ids).order_by("changed_at", "id")
            .values(*ROW_FIELDS)]


def rows_changed_since(user, since, now, limit: int) -> list[dict]:
    """The alarms ``user`` sees changed after ``since``, oldest change first, at most ``limit`` (one query)."""
    return [alarm_row(row, now) for row in board_alarms(user).filter(changed_at__gt=since)
            .order_by("changed_at", "id").values(*ROW_FIELDS)[:limit]]
