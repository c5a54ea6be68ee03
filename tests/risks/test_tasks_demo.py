"""The demo step of the investigation tasks: a quarter of work through the services, some missed, a few
hazards from failed checks; nothing without risk points."""

from datetime import date

from shouye.core.demo import DemoContext
from shouye.core.registry import demo_steps
from shouye.hazards.choices import HazardSource
from shouye.hazards.models import Hazard
from shouye.risks import demo_tasks
from shouye.risks.models import InvestigationTask, TaskCheck, TaskDailyTotal, TaskInstance

from .tasks_fixtures import risk_point


def test_the_demo_step_plays_a_quarter_of_investigations(cast):
    assert demo_steps.steps["risk-tasks"].order == 25
    context = DemoContext(seed=7, today=date(2026, 10, 1), count=1, enterprises=[cast["inside"], cast["outside"]])
    assert demo_tasks.load_risk_tasks(context) == {"tasks": 0, "done": 0, "missed": 0, "hazards": 0}
    for n in range(4):
        risk_point(cast["inside"], code=f"RP-{n}", name=f"演示点{n}")
    risk_point(cast["outside"], code="RP-X")  # no account of that enterprise: no task
    counts = demo_tasks.load_risk_tasks(context)
    assert counts["tasks"] == 3 == InvestigationTask.objects.count()
    # Weekly windows from 07-02 08:30: 13 per task, the last (09-24 – 10-01) still open on the last night.
    assert TaskInstance.objects.filter(state="done").count() == counts["done"] > 25
    assert TaskInstance.objects.filter(state="missed").count() == counts["missed"] > 0
    # Every window closed before the last nightly run is done or recorded missed: nothing silently dropped.
    assert not TaskInstance.objects.filter(state="due", due_by__lte="2026-09-30T00:20+08:00").exists()
    assert Hazard.objects.filter(source=HazardSource.MEASURE_FAILED).count() == counts["hazards"] == (
        TaskCheck.objects.filter(hazard__isnull=False).count())
    totals = TaskDailyTotal.objects.all()
    assert sum(t.done for t in totals) == counts["done"] and sum(t.missed for t in totals) == counts["missed"]
