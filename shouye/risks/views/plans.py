"""The plant plan's pages (issue 11, "Floor plan and four-colour map"): the plans in scope, uploading one,
the four-colour map with its zone editor, placing risk points in a zone, the A3 PDF of the map, and the post
risk notice cards. Thin: scoped rows from the selectors, every write one service call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.core.actions import apply_errors
from shouye.core.downloads import download
from shouye.core.forms import ModelMultipleChoiceField, ScopedModelChoiceField
from shouye.core.views import ScopedListView
from shouye.enterprises.models import Enterprise

from .. import documents
from ..api.plans import FloorPlanFilter
from ..models import FloorPlan, PlanZone
from ..selectors import plans as selectors
from ..services import plans as services

VIEW = "risks.view_riskpoint"
MANAGE = services.MANAGE
PDF = "application/pdf"
#: Longest post name accepted in a card's address (the longest post or department a row can hold).
POST_MAX_LENGTH = 100


class FloorPlanListView(ScopedListView):
    """The plant plans in the user's scope, the current one of each enterprise first."""

    model = FloorPlan
    permission_required = (VIEW,)
    filterset_class = FloorPlanFilter
    template_name = "risks/plans/list.html"
    default_ordering = "enterprise__name"

    def get_queryset(self):
        return super().get_queryset().order_by("-is_current", "enterprise__name", "-id")

    def scoped_queryset(self, qs):
        return qs.select_related("enterprise")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"can_upload": self.request.user.has_perm(MANAGE)}


class UploadForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=gettext_lazy("Enterprise"))
    title = forms.CharField(max_length=100, label=gettext_lazy("Title"), initial=gettext_lazy("Plant plan"))
    file = forms.FileField(label=gettext_lazy("Plan file"),
                           help_text=gettext_lazy("A PNG or JPEG image, or a PDF (one page is used)."),
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,application/pdf"}))
    page = forms.IntegerField(min_value=1, max_value=9999, initial=1, label=gettext_lazy("PDF page"),
                              help_text=gettext_lazy("Which page of a PDF is the plan; ignored for an image."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"] = ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user,
                                                           label=gettext_lazy("Enterprise"))
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


@login_required
@require_http_methods(["GET", "POST"])
def plan_upload(request):
    """Upload a plan; it becomes the enterprise's current one."""
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    initial = {"enterprise": request.GET["enterprise"]} if request.GET.get("enterprise", "").isdigit() else {}
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if not initial and not request.POST and form.fields["enterprise"].queryset.count() == 1:
        form.initial["enterprise"] = form.fields["enterprise"].queryset.get().pk
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.upload_floor_plan(actor=request.user, enterprise=data["enterprise"], title=data["title"],
                                              upload=data["file"], page=data["page"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan is uploaded. Draw its zones now."))
            return redirect("risks:plan", pk=plan.pk)
    return render(request, "risks/plans/upload.html", {"form": form}, status=400 if form.errors else 200)


class ZonePointsForm(forms.Form):
    """The risk points placed in a zone: a choice among its enterprise's points in use."""

    def __init__(self, *args, zone: PlanZone, user, **kwargs):
        super().__init__(*args, **kwargs)
        points = selectors.enterprise_points(user, zone.plan.enterprise_id)
        self.fields["risk_points"] = ModelMultipleChoiceField(
            points, required=False, max_items=500, label=_("Risk points in %(zone)s") % {"zone": zone.name},
            widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}))


def _plan_context(request, plan: FloorPlan) -> dict:
    user = request.user
    zones = selectors.plan_zones(user, plan)
    can_edit = user.has_perm(MANAGE)
    context = {
        "plan": plan, "zones": zones, "legend": selectors.legend(zones),
        "grey": {"hex": selectors.COLOUR_HEX[selectors.GREY], "count": selectors.colour_counts(zones)["grey"]},
        "can_edit": can_edit,
        "plan_data": {"image": plan.image.url, "width": plan.width, "height": plan.height, "plan": plan.pk,
                      "zones": [zone.as_json() for zone in zones], "api": reverse("plan-zone-list"),
                      "editable": can_edit and plan.is_current},
        "other_plans": selectors.floor_plans(user).filter(enterprise_id=plan.enterprise_id).exclude(pk=plan.pk),
    }
    if can_edit:
        points = list(selectors.enterprise_points(user, plan.enterprise_id))
        context["points"] = points
        context["unplaced"] = [p for p in points if p.zone_id is None or p.zone.plan_id != plan.pk]
    return context


@login_required
@require_GET
def plan_detail(request, pk):
    """The four-colour map of a plan, with the zone editor and the placing of risk points for whoever keeps
    the risk list."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    plan = get_object_or_404(selectors.floor_plans(request.user), pk=pk)
    return render(request, "risks/plans/detail.html", _plan_context(request, plan))


@login_required
@require_POST
def zone_points(request, pk):
    """Place exactly the chosen risk points in a zone."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    zone = get_object_or_404(selectors.zones_with_points(request.user), pk=pk)
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied
    form = ZonePointsForm(request.POST, zone=zone, user=request.user, prefix=f"zone-{zone.pk}")
    if form.is_valid():
        try:
            services.update_zone(actor=request.user, zone=zone, risk_points=form.cleaned_data["risk_points"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The risk points of %(zone)s are saved.") % {"zone": zone.name})
            return redirect(reverse("risks:plan", kwargs={"pk": zone.plan_id}) + f"#zone-{zone.pk}")
    plan = get_object_or_404(selectors.floor_plans(request.user), pk=zone.plan_id)
    context = _plan_context(request, plan) | {"form": form, "form_zone": zone.pk}
    return render(request, "risks/plans/detail.html", context, status=400)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename, content_type=PDF, inline=True)


@login_required
@require_GET
def plan_pdf(request, pk):
    """The four-colour map of a plan as an A3 landscape PDF."""
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    plan = get_object_or_404(selectors.floor_plans(request.user), pk=pk)
    return _pdf(documents.render_map_pdf(request.user, plan), f"four-colour-map-{plan.pk}-{timezone.localdate()}.pdf")


def _enterprise(request, pk) -> Enterprise:
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    return get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def notice_cards(request, pk):
    """The posts of an enterprise a risk notice card can be printed for."""
    enterprise = _enterprise(request, pk)
    return render(request, "risks/plans/notice_cards.html", {
        "enterprise": enterprise, "posts": selectors.notice_card_posts(request.user, enterprise)})


@login_required
@require_GET
def notice_card(request, pk):
    """The risk notice card of one post (``?post=``, one of the enterprise's posts) as an A4 PDF."""
    enterprise = _enterprise(request, pk)
    post = request.GET.get("post", "").strip()
    if not post or len(post) > POST_MAX_LENGTH or post not in selectors.notice_card_posts(request.user, enterprise):
        raise Http404(_("No such post: choose one of the enterprise's posts."))
    return _pdf(documents.render_card_pdf(request.user, enterprise, post), f"risk-notice-card-{enterprise.pk}.pdf")

