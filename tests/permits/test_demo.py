"""The permits' demo step: a year of a chemical enterprise's permits through the services (every one archived
with its chain signed, or cancelled), a special period declared with its rules, permits in progress now and
one waiting; nothing for an enterprise of another industry, nothing dated after the demo's moment."""

from datetime import timedelta
from types import SimpleNamespace

from shouye.core.demo import DemoContext
from shouye.core.registry import demo_steps
from shouye.permits import chains, demo
from shouye.permits.choices import PermitState
from shouye.permits.models import PermitSignature, SpecialOperationPermit
from shouye.workcalendar.models import SpecialPeriod

from .conftest import NOW


def test_the_demo_step_plays_a_year_of_permits_through_the_services(cast):
    assert demo_steps.steps["permits"].order == 40
    context = DemoContext(seed=3, today=NOW.date(), count=1, enterprises=[cast["inside"], cast["outside"]])
    context.shared["people"] = SimpleNamespace(admin=cast["users"]["bureau_admin"], staff=cast["users"]["bureau_staff"], enterprise_users={
        cast["inside"].pk: cast["users"]["enterprise_user"]})

    counts = demo.load_permits(context)

    permits = SpecialOperationPermit.objects.all()
    assert counts["permits"] == permits.count() >= 6
    assert set(permits.values_list("enterprise", flat=True)) == {cast["inside"].pk}
    assert not permits.filter(applied_at__gt=NOW).exists()
    assert permits.filter(applied_at__lt=NOW - timedelta(days=300)).exists()
    for permit in permits.filter(state=PermitState.ARCHIVED):
        signed = list(PermitSignature.objects.filter(permit=permit).order_by("sequence").values_list("step", flat=True))
        assert signed == [step.key for step in chains.chain(permit.kind)], permit.number
    live = permits.get(state=PermitState.IN_PROGRESS)
    assert live.planned_start < NOW < live.planned_end and counts["in progress now"] == 1
    assert permits.filter(state=PermitState.BRIEFED, planned_start__gt=NOW).count() == 1
    period = SpecialPeriod.objects.get()
    assert sorted(period.rules.values_list("permit_kind", "action")) == [
        ("confined_space", "require_filing"), ("hot_work", "raise_grade"), ("lifting", "prohibit")]
    assert not permits.filter(kind="lifting", planned_start__date__range=(period.starts_on, period.ends_on)).exists()
