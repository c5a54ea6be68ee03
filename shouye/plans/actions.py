"""The acts on a plan, a drill and a unit, declared once for the pages and the API (shouye/core/actions.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouye.core.actions import Action, ActionSet, register

from . import forms, selectors, services
from .api import serializers as s
from .workflow import DRILL_WORKFLOW, PLAN_WORKFLOW, UNIT_WORKFLOW

PLAN = register(ActionSet(
    key="plans.plan", workflow=PLAN_WORKFLOW, lookup=selectors.plan_detail, noun=_("emergency plan"),
    detail_url=lambda plan: reverse("plans:detail", kwargs={"pk": plan.pk}),
).add(
    Action("edit", title=_("Edit the draft"), button=_("Save"), success=_("The draft is saved."),
           form=forms.EditPlanForm, serializer=s.PlanEditSerializer,
           summary="修改预案草稿 Edit a draft plan",
           perform=lambda actor, plan, data: services.update_plan(actor=actor, plan=plan, **data)),
    Action("publish", title=_("Publish the plan"), button=_("Publish"),
           success=_("The plan is published; file it within 20 working days."), form=forms.PublishForm,
           serializer=s.PlanPublishSerializer,
           summary="公布预案 Publish a draft: filing due in 20 working days (2号令 Art. 26), clocks start",
           perform=lambda actor, plan, data: services.publish_plan(actor=actor, plan=plan, **data)),
    Action("file", title=_("Record the filing"), button=_("Record the filing"), success=_("The filing is recorded."),
           form=forms.FileForm, serializer=s.PlanFileSerializer, summary="备案 Record the filing and its number",
           perform=lambda actor, plan, data: services.file_plan(actor=actor, plan=plan, **data)),
    Action("evaluate", title=_("Record an evaluation"), button=_("Record the evaluation"),
           success=_("The evaluation is recorded."), form=forms.EvaluateForm, serializer=s.PlanEvaluateSerializer,
           summary="评估 Record the periodic evaluation (2号令 Art. 35)",
           perform=lambda actor, plan, data: services.evaluate_plan(actor=actor, plan=plan, **data)),
    Action("revise", title=_("Open a revision"), button=_("Open a revision"),
           success=_("A new draft version is open for the revision."), form=forms.ReviseForm,
           serializer=s.PlanReviseSerializer,
           summary="修订 Open a revision for one of the six reasons of 708号令 Art. 6 (a new draft version)",
           perform=lambda actor, plan, data: services.revise_plan(actor=actor, plan=plan, **data),
           next_url=lambda request, plan, draft: reverse("plans:detail", kwargs={"pk": draft.pk})),
    Action("attach", title=_("Attach documents"), button=_("Upload"), success=_("The documents are attached."),
           form=forms.AttachForm, serializer=s.PlanAttachSerializer, multipart=True,
           summary="附预案文件 Attach the plan's text, filing receipt or evaluation report (PDF, Word, Excel, OFD)",
           perform=lambda actor, plan, data: services.attach_documents(actor=actor, plan=plan, **data)),
))

DRILL = register(ActionSet(
    key="plans.drill", workflow=DRILL_WORKFLOW, lookup=selectors.drill_detail, noun=_("drill"),
    detail_url=lambda drill: reverse("plans:drill", kwargs={"pk": drill.pk}),
).add(
    Action("hold", title=_("Record the drill held"), button=_("Record"), success=_("The drill is recorded."),
           form=forms.HoldForm, serializer=s.DrillHoldSerializer,
           summary="记录演练 Record the drill held (the drill clocks run again from its day)",
           perform=lambda actor, drill, data: services.hold_drill(actor=actor, drill=drill, **data)),
    Action("cancel", title=_("Cancel the drill"), button=_("Cancel the drill"), success=_("The drill is cancelled."),
           form=forms.CancelDrillForm, serializer=s.DrillCancelSerializer, summary="取消演练 Cancel a planned drill",
           perform=lambda actor, drill, data: services.cancel_drill(actor=actor, drill=drill, **data)),
    Action("problem", title=_("Record a problem found"), button=_("Record the problem"),
           success=_("The problem is recorded."), form=forms.ProblemForm, serializer=s.DrillProblemInputSerializer,
           summary="演练发现问题 Record a problem: noted, reported as a hazard, or a plan revision",
           perform=lambda actor, drill, data: services.record_problem(actor=actor, drill=drill, **data)),
))

UNIT = register(ActionSet(
    key="plans.unit", workflow=UNIT_WORKFLOW, lookup=selectors.units, noun=_("unit"),
    detail_url=lambda unit: reverse("plans:unit", kwargs={"pk": unit.pk}),
).add(
    Action("set-category", title=_("Set the drill category"), button=_("Save"),
           success=_("The drill category is saved and the clocks recomputed."), form=forms.CategoryForm,
           serializer=s.UnitCategorySerializer,
           summary="设定演练类别 Set an enterprise's drill category (empty: as derived from the registry)",
           perform=lambda actor, unit, data: services.set_category(actor=actor, unit=unit, **data)),
))
