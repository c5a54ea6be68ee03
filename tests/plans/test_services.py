"""The plans' services: filing within 20 working days, the drill clocks per unit category (山东省安全生产条例
Art. 63), versions and revisions, drills and their problems (a hazard, a revision), the workflow table
exhaustively, and every refusal changing nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shouye.audit.models import AuditEvent
from shouye.core.exceptions import InvalidTransition, NotInScope
from shouye.hazards.models import Hazard
from shouye.plans import services
from shouye.plans.choices import (
    DocumentKind,
    DrillCategory,
    DrillKind,
    DrillState,
    PlanKind,
    PlanState,
    PlanTopic,
    ProblemOutcome,
    RevisionTrigger,
    UnitKind,
)
from shouye.plans.models import Drill, EmergencyPlan, PlanUnit
from shouye.plans.workflow import DRILL_WORKFLOW, PLAN_WORKFLOW

from .conftest import PUBLISHED, attach_text, document, make_plan

pytestmark = pytest.mark.django_db


def test_publishing_sets_the_filing_day_the_evaluation_and_the_clocks(plan, onsite):
    # 2 March 2026 + 20 working days (no holiday in between) = 30 March.
    assert plan.state == PlanState.PUBLISHED and plan.filing_due_on == date(2026, 3, 30)
    # A high-risk unit (hazardous chemicals): evaluated every 3 years (2号令 Art. 21, 35).
    assert plan.evaluation_due_on == date(2029, 3, 2)
    unit = PlanUnit.objects.get(pk=plan.unit_id)
    assert unit.kind == UnitKind.ENTERPRISE and unit.category == DrillCategory.HIGH_RISK
    # Half-yearly for any drill and for each on-site plan; the comprehensive plan has no clock of its own.
    assert unit.any_drill_due_on == date(2026, 9, 2)
    onsite.refresh_from_db()
    plan.refresh_from_db()
    assert onsite.drill_due_on == date(2026, 9, 2) and plan.drill_due_on is None
    assert "第六十三条第二款" in unit.clock_basis


def test_filing_across_the_national_day_holiday(owner, cast):
    plan = make_plan(owner, cast["inside"], published_on=date(2025, 9, 30))
    assert plan.filing_due_on == date(2025, 11, 4)


def test_other_units_run_yearly_and_three_yearly_clocks(cast):
    staff = cast["users"]["bureau_staff"]
    outside = cast["outside"]  # industry and trade: another unit
    unit = services.unit_for(enterprise=outside)
    assert unit.category == DrillCategory.OTHER
    user = _enterprise_user(outside)
    special = make_plan(user, outside, kind=PlanKind.SPECIAL, title="专项预案", topics=[PlanTopic.PRODUCTION_SAFETY],
                        published_on=PUBLISHED)
    unit.refresh_from_db()
    special.refresh_from_db()
    assert unit.any_drill_due_on == date(2027, 3, 2) and special.drill_due_on == date(2029, 3, 2)
    # A small enterprise outside Art. 21 sets its own evaluation period.
    assert special.evaluation_due_on is None
    # The bureau sets it high-risk: the clocks follow at once.
    services.set_category(actor=staff, unit=unit, category=DrillCategory.HIGH_RISK)
    unit.refresh_from_db()
    special.refresh_from_db()
    assert unit.category == DrillCategory.HIGH_RISK and unit.any_drill_due_on == date(2026, 9, 2)
    assert special.drill_due_on == date(2028, 3, 2)
    services.set_category(actor=staff, unit=unit, category="")
    unit.refresh_from_db()
    assert unit.category == DrillCategory.OTHER


def _enterprise_user(enterprise):
    from tests.factories import UserFactory, member

    user = UserFactory(username=f"user-{enterprise.pk}")
    member(user, "enterprise_user", enterprise=enterprise)
    return user


def test_a_township_runs_the_government_clock(cast, mashan):
    officer = cast["users"]["township_officer"]
    plan = make_plan(officer, township=mashan, published_on=PUBLISHED)
    unit = PlanUnit.objects.get(pk=plan.unit_id)
    assert unit.kind == UnitKind.TOWNSHIP and unit.category == DrillCategory.GOVERNMENT
    assert unit.any_drill_due_on == date(2027, 3, 2) and plan.evaluation_due_on == date(2029, 3, 2)
    # A township officer keeps only its own township's plans: naming no unit (the district's) asks for one.
    with pytest.raises(ValidationError, match="请指明预案所属的单位"):
        make_plan(officer)
    # ... and an enterprise's are its enterprise's to keep.
    with pytest.raises(PermissionDenied):
        make_plan(officer, cast["inside"])


def test_holding_a_drill_restarts_the_clocks(owner, plan, onsite):
    drill = services.plan_drill(actor=owner, unit=plan.unit, title="泄漏演练", kind=DrillKind.FUNCTIONAL,
                                planned_on=date(2026, 8, 20), plans=[onsite])
    services.hold_drill(actor=owner, drill=drill, held_on=date(2026, 8, 20), participants=30, evaluation="良好")
    unit = PlanUnit.objects.get(pk=plan.unit_id)
    onsite.refresh_from_db()
    # An on-site drill alone is not a comprehensive or special drill: the unit's clock stays.
    assert onsite.last_drilled_on == date(2026, 8, 20) and onsite.drill_due_on == date(2027, 2, 20)
    assert unit.last_drill_on is None and unit.any_drill_due_on == date(2026, 9, 2)
    drill = services.plan_drill(actor=owner, unit=plan.unit, title="综合演练", kind=DrillKind.FULL_SCALE,
                                planned_on=date(2026, 9, 1), plans=[plan, onsite])
    services.hold_drill(actor=owner, drill=drill, held_on=date(2026, 8, 31), participants=80, evaluation="良好")
    unit.refresh_from_db()
    onsite.refresh_from_db()
    assert unit.last_drill_on == date(2026, 8, 31) and unit.any_drill_due_on == date(2027, 2, 28)
    assert onsite.drill_due_on == date(2027, 2, 28)


def test_filing_and_its_refusals(owner, plan):
    with pytest.raises(ValidationError) as exc:
        services.file_plan(actor=owner, plan=plan, filed_on=date(2026, 3, 20), filing_number="X")
    assert "预案文本" in exc.value.messages[0] and "第26条" in exc.value.messages[0]
    services.attach_documents(actor=owner, plan=plan, kind=DocumentKind.FILING_RECEIPT, files=[document()])
    with pytest.raises(ValidationError):
        services.file_plan(actor=owner, plan=plan, filed_on=date(2026, 3, 20), filing_number="X")
    assert EmergencyPlan.objects.get(pk=plan.pk).state == PlanState.PUBLISHED
    attach_text(owner, plan)
    with pytest.raises(ValidationError) as exc:
        services.file_plan(actor=owner, plan=plan, filed_on=date(2026, 3, 1), filing_number="X")
    assert "filed_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.file_plan(actor=owner, plan=plan, filed_on=date(2026, 9, 16), filing_number="X")
    assert "filed_on" in exc.value.message_dict
    plan = services.file_plan(actor=owner, plan=plan, filed_on=date(2026, 3, 20), filing_number="370113-001")
    assert plan.state == PlanState.FILED
    event = AuditEvent.objects.get(verb="plans.file")
    assert event.changes["late"] is False


def test_a_revision_is_a_new_version_superseding_the_old_once_published(owner, plan):
    draft = services.revise_plan(actor=owner, plan=plan, trigger=RevisionTrigger.RISK_CHANGED, reason="新增罐区")
    plan.refresh_from_db()
    assert plan.state == PlanState.UNDER_REVISION and draft.version == 2 and draft.previous_id == plan.pk
    assert draft.state == PlanState.DRAFT and draft.revision_trigger == RevisionTrigger.RISK_CHANGED
    with pytest.raises(ValidationError):
        services.publish_plan(actor=owner, plan=draft, published_on=date(2026, 3, 1))
    services.publish_plan(actor=owner, plan=draft, published_on=date(2026, 9, 1))
    plan.refresh_from_db()
    assert plan.state == PlanState.SUPERSEDED
    with pytest.raises(ValidationError):
        services.revise_plan(actor=owner, plan=draft, trigger="bogus", reason="x")


def test_a_drill_problem_becomes_a_hazard_or_a_revision(owner, plan, onsite):
    drill = services.plan_drill(actor=owner, unit=plan.unit, title="演练", kind=DrillKind.TABLETOP,
                                planned_on=date(2026, 9, 1), plans=[plan, onsite])
    with pytest.raises(InvalidTransition):
        services.record_problem(actor=owner, drill=drill, description="x")
    services.hold_drill(actor=owner, drill=drill, held_on=date(2026, 9, 1), participants=12, evaluation="一般")
    problem = services.record_problem(actor=owner, drill=drill, description="报警器失灵", outcome=ProblemOutcome.HAZARD)
    hazard = Hazard.objects.get(pk=problem.hazard_id)
    assert hazard.enterprise_id == plan.unit.enterprise_id and "报警器失灵" in hazard.description
    problem = services.record_problem(actor=owner, drill=drill, description="通讯录过期",
                                      outcome=ProblemOutcome.REVISION, plan=onsite)
    onsite.refresh_from_db()
    assert onsite.state == PlanState.UNDER_REVISION
    assert problem.revision.revision_trigger == RevisionTrigger.DRILL_PROBLEMS and problem.revision.version == 2
    with pytest.raises(ValidationError) as exc:
        services.record_problem(actor=owner, drill=drill, description="x", outcome=ProblemOutcome.REVISION)
    assert "plan" in exc.value.message_dict


def test_a_government_drill_reports_no_hazard(cast, mashan):
    officer = cast["users"]["township_officer"]
    plan = make_plan(officer, township=mashan, published_on=PUBLISHED)
    drill = services.plan_drill(actor=officer, unit=plan.unit, title="防汛演练", kind=DrillKind.TABLETOP,
                                planned_on=date(2026, 9, 1), plans=[plan])
    services.hold_drill(actor=officer, drill=drill, held_on=date(2026, 9, 1), participants=20, evaluation="好")
    before = Hazard.objects.count()
    with pytest.raises(ValidationError):
        services.record_problem(actor=officer, drill=drill, description="x", outcome=ProblemOutcome.HAZARD)
    assert Hazard.objects.count() == before
    assert PlanUnit.objects.get(pk=plan.unit_id).any_drill_due_on == date(2027, 9, 1)


def test_planning_a_drill_needs_plans_of_the_unit_in_force(owner, cast, plan):
    draft = make_plan(owner, cast["inside"], title="草稿")
    for plans in ([], [draft]):
        with pytest.raises(ValidationError) as exc:
            services.plan_drill(actor=owner, unit=plan.unit, title="x", kind=DrillKind.TABLETOP,
                                planned_on=date(2026, 10, 1), plans=plans)
        assert "plans" in exc.value.message_dict
    assert not Drill.objects.exists()


PLAN_ACTS = {
    "edit": lambda actor, plan: services.update_plan(actor=actor, plan=plan, title="新标题"),
    "publish": lambda actor, plan: services.publish_plan(actor=actor, plan=plan, published_on=date(2026, 9, 1)),
    "file": lambda actor, plan: services.file_plan(actor=actor, plan=plan, filed_on=date(2026, 9, 10),
                                                   filing_number="N-1"),
    "evaluate": lambda actor, plan: services.evaluate_plan(actor=actor, plan=plan, evaluated_on=date(2026, 9, 10),
                                                           conclusion="适用"),
    "revise": lambda actor, plan: services.revise_plan(actor=actor, plan=plan, trigger=RevisionTrigger.OTHER,
                                                       reason="调整"),
    "attach": lambda actor, plan: services.attach_documents(actor=actor, plan=plan, kind=DocumentKind.PLAN_TEXT,
                                                            files=[document()]),
}


def _plan_in(state, owner, enterprise) -> EmergencyPlan:
    """A plan put in ``state``, its text attached while it was a draft (so filing meets its precondition)."""
    plan = make_plan(owner, enterprise, title=f"预案-{state}")
    attach_text(owner, plan)
    if state != PlanState.DRAFT:
        EmergencyPlan.objects.filter(pk=plan.pk).update(state=state, published_on=date(2026, 8, 1),
                                                        filing_due_on=date(2026, 8, 28))
        plan.refresh_from_db()
    return plan


def test_plan_workflow_table(owner, cast):
    """Every (state, act) pair: allowed ones act and are audited, refused ones (409) change nothing."""
    for state in PlanState.values:
        for action, act in PLAN_ACTS.items():
            plan = _plan_in(state, owner, cast["inside"])
            events = AuditEvent.objects.count()
            if state in PLAN_WORKFLOW.steps[action].sources:
                act(owner, plan)
                assert AuditEvent.objects.count() > events, (state, action)
                continue
            before = EmergencyPlan.objects.filter(pk=plan.pk).values().get()
            with pytest.raises(InvalidTransition):
                act(owner, plan)
            assert EmergencyPlan.objects.filter(pk=plan.pk).values().get() == before, (state, action)
            assert AuditEvent.objects.count() == events
            assert plan.documents.count() == 1


def test_drill_workflow_table(owner, plan):
    for state in DrillState.values:
        for action in ("hold", "cancel", "problem"):
            drill = services.plan_drill(actor=owner, unit=plan.unit, title="演练", kind=DrillKind.TABLETOP,
                                        planned_on=date(2026, 9, 1), plans=[plan])
            Drill.objects.filter(pk=drill.pk).update(state=state)
            acts = {"hold": lambda d=drill: services.hold_drill(actor=owner, drill=d, held_on=date(2026, 9, 1),
                                                                participants=5, evaluation="好"),
                    "cancel": lambda d=drill: services.cancel_drill(actor=owner, drill=d, reason="天气"),
                    "problem": lambda d=drill: services.record_problem(actor=owner, drill=d, description="问题")}
            if state in DRILL_WORKFLOW.steps[action].sources:
                acts[action]()
            else:
                with pytest.raises(InvalidTransition):
                    acts[action]()
                assert Drill.objects.get(pk=drill.pk).state == state, (state, action)


def test_only_the_enterprise_keeps_its_plans(cast, plan):
    for role in ("bureau_staff", "township_officer", "leader", "expert", "department_officer", "nobody"):
        with pytest.raises((PermissionDenied, NotInScope)):
            services.evaluate_plan(actor=cast["users"][role], plan=plan, evaluated_on=date(2026, 9, 1),
                                   conclusion="x")
    plan.refresh_from_db()
    assert plan.last_evaluated_on is None


def test_the_category_is_the_bureaus_to_set_for_enterprises_only(cast, owner, plan, mashan):
    with pytest.raises(PermissionDenied):
        services.set_category(actor=owner, unit=plan.unit, category=DrillCategory.OTHER)
    township = make_plan(cast["users"]["township_officer"], township=mashan).unit
    with pytest.raises(InvalidTransition):
        services.set_category(actor=cast["users"]["bureau_staff"], unit=township, category=DrillCategory.OTHER)
    with pytest.raises(ValidationError):
        services.set_category(actor=cast["users"]["bureau_staff"], unit=plan.unit,
                              category=DrillCategory.GOVERNMENT)
    assert PlanUnit.objects.get(pk=plan.unit_id).category == DrillCategory.HIGH_RISK
