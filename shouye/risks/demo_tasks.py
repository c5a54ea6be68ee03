"""The investigation tasks' demo step ("risk-tasks", order 25, registered in RisksConfig.ready()): the last
quarter of investigation work on the demo's risk points (made by the register part's step "risks", order 15),
through the services an enterprise safety officer uses and the nightly job Celery beat runs.

- Each enterprise with an account sets up a weekly routine task for a few of its risk points (all measures)
  at the start of the quarter; the job creates their instances night after night and records missed ones.
- Most instances are done on their first day, in office hours; some are never done (missed); a few find a
  measure not OK, with a photo, which becomes a hazard "control measure failed" in the hazards' loop.

Without risk points (the register step absent) the step makes nothing. All of it runs at its moment of the
past (``shouye.core.demo``), so the bureau's liveness figures show living and lapsing enterprises."""

from __future__ import annotations

from datetime import time, timedelta

from shouye.accounts.choices import Role
from shouye.accounts.selectors import users_with_role
from shouye.core.demo import moment, office_moment, photo

from . import generation
from .choices import CheckOutcome, CycleUnit, InstanceState, WorkDayType
from .models import ControlMeasure, RiskPoint, TaskInstance
from .services import tasks as services

#: How far back the tasks start, their cycle in days, and how many points per enterprise get one.
DAYS = 91
CYCLE_DAYS = 7
POINTS_PER_ENTERPRISE = 3
#: Shares of the instances missed and of those done that find a measure not OK.
MISSED_SHARE = 0.12
FAILED_SHARE = 0.06


def load_risk_tasks(context) -> dict[str, int]:
    rng = context.rng("risk-tasks")
    enterprise_ids = [e.pk for e in context.enterprises]
    with_measures = set(ControlMeasure.objects.filter(is_active=True, hazard_source__risk_point__enterprise_id__in=
                                                      enterprise_ids).values_list("hazard_source__risk_point_id",
                                                                                  flat=True))
    points: dict[int, list[RiskPoint]] = {}
    for point in (RiskPoint.objects.filter(enterprise_id__in=enterprise_ids, is_active=True, pk__in=with_measures)
                  .select_related("enterprise").order_by("enterprise_id", "code")):
        points.setdefault(point.enterprise_id, []).append(point)
    counts = {"tasks": 0, "done": 0, "missed": 0, "hazards": 0}
    if not points:
        return counts
    start = context.today - timedelta(days=DAYS)
    officers = {}
    with context.at(moment(start, time(8, 30))):
        for enterprise_id, chosen in points.items():
            officer = users_with_role(Role.ENTERPRISE_USER, enterprise=enterprise_id).order_by("pk").first()
            if officer is None:
                continue
            officers[enterprise_id] = officer
            for point in chosen[:POINTS_PER_ENTERPRISE]:
                services.create_task(actor=officer, risk_point=point, data=services.TaskInput(
                    cycle=CYCLE_DAYS, cycle_unit=CycleUnit.DAY, work_day_type=WorkDayType.EVERY_DAY,
                    starts_at=moment(start, time(8, 30)), post=point.department, all_measures=True))
                counts["tasks"] += 1
    day = start
    while day < context.today:
        with context.at(moment(day, time(0, 20))):
            generation.generate_instances()
            generation.mark_missed()
        opening = TaskInstance.objects.filter(due_from__gte=moment(day, time()), due_from__lt=moment(
            day + timedelta(days=1), time()), state=InstanceState.DUE, enterprise_id__in=officers).order_by("pk")
        for instance in opening:
            if rng.random() < MISSED_SHARE:
                continue
            when = max(office_moment(rng, day), instance.due_from + timedelta(minutes=1))
            if when >= instance.due_by:
                continue
            with context.at(when):
                failed = _do(instance, officers[instance.enterprise_id], rng)
            counts["done"] += 1
            counts["hazards"] += failed
        day += timedelta(days=1)
    counts["missed"] = TaskInstance.objects.filter(enterprise_id__in=officers, state=InstanceState.MISSED).count()
    return counts


def _do(instance, officer, rng) -> int:
    """Do the instance: every measure OK, or (now and then) one not OK with a photo."""
    measures = services.instance_measures(instance)
    failing = rng.choice(measures).pk if rng.random() < FAILED_SHARE else None
    checks = [services.CheckInput(measure=m.pk, outcome=CheckOutcome.NOT_OK if m.pk == failing else CheckOutcome.OK,
                                  note="现场检查发现措施未落实" if m.pk == failing else "",
                                  photos=[photo(rng, "before")] if m.pk == failing else [])
              for m in measures]
    services.complete_instance(actor=officer, instance=instance, checks=checks)
    return int(failing is not None)
