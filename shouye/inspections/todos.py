"""The inspections' to-dos on the workbench (我的待办, issue 10), registered in InspectionsConfig.ready(): the
inspector's unfinished inspections, the year's plans behind schedule with the plan coverage, and the documents an
enterprise has received. Each reads through the scoped selectors and runs a fixed number of queries whatever the
number of plans, inspections or documents."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import IntegerField, Q, Sum
from django.db.models.functions import Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.accounts.choices import Role
from shouye.accounts.models import User
from shouye.core.registry import TodoItem, TodoProvider, todo_providers

from . import selectors
from .choices import DocumentKind, InspectionState
from .models import Inspection

VIEW_PLAN = "inspections.view_inspectionplan"
#: Documents issued to an enterprise stay on its workbench this long (a local choice: long enough to act on a
#: rectification order's usual time limit, short enough that the card stays a list of what is new).
DOCUMENT_DAYS = 30


def in_progress(user):
    """Inspections the user takes part in (inspector, expert or who opened it) that are not finished."""
    mine = Q(inspectors=user) | Q(experts=user) | Q(created_by=user)
    ids = Inspection.objects.visible_to(user).filter(mine, state=InspectionState.IN_PROGRESS).values("pk")
    return Inspection.objects.filter(pk__in=ids).order_by("inspected_at", "id")


def _inspection_items(user, limit: int) -> list[TodoItem]:
    rows = in_progress(user).select_related("enterprise")[:limit]
    return [TodoItem(title=inspection.enterprise.name, url=reverse("inspections:detail", kwargs={"pk": inspection.pk}),
                     detail=_("%(kind)s · started %(day)s") % {
                         "kind": inspection.get_kind_display(),
                         "day": timezone.localtime(inspection.inspected_at).date().isoformat()})
            for inspection in rows]


todo_providers.register(TodoProvider(
    key="inspections-in-progress", label=gettext_lazy("My inspections to finish"), order=25,
    count=lambda user: in_progress(user).count(), items=_inspection_items, url_name="inspections:list",
    query=f"state={InspectionState.IN_PROGRESS}", permission="inspections.change_inspection"))


def behind_schedule(user):
    """This year's plans with fewer inspections done than their pro-rata share by today
    (selectors.plan_rows)."""
    today = timezone.localdate()
    return selectors.overdue_plans(user, today.year, today).order_by("done", "enterprise__name", "id")


def coverage_summary(user) -> dict:
    """This year's inspections due and done (at most what each plan calls for) in the user's scope, in one
    query: the figures of the plans page's total line (selectors.coverage)."""
    today = timezone.localdate()
    totals = (selectors.plan_rows(user, today.year, today)
              .annotate(capped=Least("done", "inspections_due", output_field=IntegerField()))
              .aggregate(due=Sum("inspections_due"), done=Sum("capped")))
    return {"due": totals["due"] or 0, "done": totals["done"] or 0}


def _plan_items(user, limit: int) -> list[TodoItem]:
    """First the year's coverage, linked to the plans page; then the plans furthest behind."""
    plans_url = reverse("inspections:plans")
    totals = coverage_summary(user)
    percent = round(100 * totals["done"] / totals["due"]) if totals["due"] else 0
    items = [TodoItem(title=_("This year's plans: %(done)d of %(due)d inspections done (%(percent)d%%)")
                      % {**totals, "percent": percent}, url=plans_url)]
    for plan in behind_schedule(user)[:max(limit - 1, 0)]:
        items.append(TodoItem(
            title=plan.enterprise.name, url=f"{plans_url}?{urlencode({'q': plan.enterprise.name})}",
            detail=_("%(done)d of %(due)d done, %(expected)d expected by now")
            % {"done": plan.done, "due": plan.inspections_due, "expected": plan.expected},
            overdue=True))
    return items


todo_providers.register(TodoProvider(
    key="inspection-plans-behind", label=gettext_lazy("Inspection plans behind schedule"), order=35,
    count=lambda user: behind_schedule(user).count(), items=_plan_items, url_name="inspections:plans",
    query="overdue=true", permission=VIEW_PLAN, condition=User.supervises))


def received_documents(user):
    since = timezone.now() - timedelta(days=DOCUMENT_DAYS)
    return selectors.document_list(user).filter(issued_at__gte=since).order_by("-issued_at", "-id")


def _document_items(user, limit: int) -> list[TodoItem]:
    rows = received_documents(user)[:limit]
    return [TodoItem(title=f"{document.get_kind_display()} {document.number}",
                     url=reverse("inspections:document-download", kwargs={"pk": document.pk}),
                     detail=_("issued %(day)s") % {"day": timezone.localtime(document.issued_at).date().isoformat()},
                     due=document.deadline if document.kind == DocumentKind.RECTIFICATION_ORDER else None)
            for document in rows]


todo_providers.register(TodoProvider(
    key="documents-received", label=gettext_lazy("Documents received"), order=12,
    count=lambda user: received_documents(user).count(), items=_document_items,
    permission="inspections.view_document", condition=lambda user: user.has_role(Role.ENTERPRISE_USER)))
