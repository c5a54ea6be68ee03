"""Pages of the monitoring configuration (issue 13): gateways, monitoring points with their trend and their Excel
import, cameras, the video vendors with their type mapping, and the bureau's rule tables. Thin: the scoped
querysets of the selectors, the forms' shapes, one service call (the API's, ``config_services`` and ``video``)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouye.audit.selectors import timeline
from shouye.core.actions import apply_errors
from shouye.core.importkit.pages import ImportPages
from shouye.core.views import ScopedDetailView, ScopedListView

from . import config_imports, rulebook, video
from . import config_selectors as selectors
from . import config_services as services
from .choices import LEVEL_ORDER
from .config_filters import CameraFilter, GatewayFilter, PointFilter
from .config_forms import (
    AlarmRuleForm,
    CameraForm,
    GatewayForm,
    MapCodeForm,
    MappingFormSet,
    PointForm,
    ScenarioForm,
    TriggerFormSet,
    VendorForm,
    scenario_choices,
)
from .models import AlarmRule, AlarmTrigger, AlarmVendor, Camera, Gateway, MonitoringPoint, Scenario
from .workflow import CONFIGURE, MANAGE_RULES, VIEW, VIEW_POINTS

#: The spans the point page offers for its trend.
SPANS = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30),
         "90d": timedelta(days=90)}
#: How many of the point's alarms its page lists.
POINT_ALARMS = 20


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _posted(request):
    return request.POST if request.method == "POST" else None


def _form_page(request, form, template: str, context: dict, save):
    """A form page: shown on GET; on POST, valid input goes through ``save(form)`` (one service call, answering
    the response), and a refusal comes back on the form, answered 400."""
    if form.is_bound and form.is_valid():
        try:
            return save(form)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, template, {"form": form, **context}, status=400 if form.is_bound else 200)


def _act(request, act, done: str) -> None:
    """A one-button act (taking out of service): the service's refusal or ``done`` as the page's message."""
    try:
        act()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


# --- gateways --------------------------------------------------------------------------------------------------


class GatewayListView(ScopedListView):
    model = Gateway
    permission_required = VIEW_POINTS
    filterset_class = GatewayFilter
    template_name = "monitoring/config/gateways.html"
    ordering_options = {"code": "code", "name": "name", "enterprise": "enterprise__name"}
    default_ordering = "code"

    def scoped_queryset(self, qs):
        return selectors.gateways(self.request.user)


def _save_gateway(request, gateway=None):
    _require(request.user, CONFIGURE)

    def save(form):
        values = {f: form.cleaned_data[f] for f in services.GATEWAY_FIELDS}
        if gateway is None:
            services.create_gateway(actor=request.user, enterprise=form.cleaned_data["enterprise"], data=values)
        else:
            services.update_gateway(actor=request.user, gateway=gateway, data=values)
        messages.success(request, _("Saved."))
        return redirect("monitoring:gateways")

    return _form_page(request, GatewayForm(_posted(request), instance=gateway, user=request.user),
                      "monitoring/config/gateway_form.html", {"gateway": gateway}, save)


@login_required
@require_http_methods(["GET", "POST"])
def gateway_create(request):
    return _save_gateway(request)


@login_required
@require_http_methods(["GET", "POST"])
def gateway_update(request, pk):
    return _save_gateway(request, get_object_or_404(Gateway.objects.visible_to(request.user), pk=pk))


@login_required
@require_POST
def gateway_deactivate(request, pk):
    gateway = get_object_or_404(Gateway.objects.visible_to(request.user), pk=pk)
    _act(request, lambda: services.deactivate_gateway(actor=request.user, gateway=gateway),
         _("The gateway and its points are out of service."))
    return redirect("monitoring:gateways")


# --- points ----------------------------------------------------------------------------------------------------


class PointListView(ScopedListView):
    """The points the user sees with their latest value and condition; filters by enterprise, installation,
    kind, condition and offline."""

    model = MonitoringPoint
    permission_required = VIEW_POINTS
    filterset_class = PointFilter
    template_name = "monitoring/config/points.html"
    ordering_options = {"code": "code", "name": "name", "enterprise": "enterprise__name",
                        "condition": "status__condition", "measured": "status__measured_at"}
    default_ordering = "enterprise__name"

    def scoped_queryset(self, qs):
        return selectors.points(self.request.user)

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if self.current_sort else qs.order_by("enterprise__name", "gateway__code", "code", "id")


class PointDetailView(ScopedDetailView):
    """A point: its configuration, its latest value and condition, its trend and its alarms."""

    model = MonitoringPoint
    permission_required = VIEW_POINTS
    template_name = "monitoring/config/point.html"

    def scoped_queryset(self, qs):
        return selectors.points(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        point, user = self.object, self.request.user
        span_key = self.request.GET.get("span", "24h")
        span_key = span_key if span_key in SPANS else "24h"
        end = timezone.now()
        trend = selectors.trend(point, end - SPANS[span_key], end)
        series = {"resolution": trend.resolution, "unit": point.unit,
                  "times": [timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S") for at, *_ in trend.rows],
                  "mean": [mean for *_, mean in trend.rows],
                  "low": [low for _at, low, _high, _mean in trend.rows],
                  "high": [high for _at, _low, high, _mean in trend.rows],
                  "setpoints": [{"name": label, "value": getattr(point, field)}
                                for field, label in (("high_high", _("High-high")), ("high", _("High")),
                                                     ("low", _("Low")), ("low_low", _("Low-low")))
                                if getattr(point, field) is not None]}
        alarms = (point.alarms.visible_to(user).order_by("-raised_at", "-pk")[:POINT_ALARMS]
                  if user.has_perm(VIEW) else [])
        context.update(point=point, status=point.status, series=series, spans=list(SPANS), span=span_key,
                       alarms=alarms, timeline=timeline(point), can_configure=user.has_perm(CONFIGURE))
        return context


def _save_point(request, point=None):
    _require(request.user, CONFIGURE)

    def save(form):
        values = {f: form.cleaned_data[f] for f in services.POINT_FIELDS}
        if point is None:
            saved = services.create_point(actor=request.user, gateway=form.cleaned_data["gateway"], data=values)
        else:
            saved = services.update_point(actor=request.user, point=point, data=values)
        messages.success(request, _("Saved."))
        if saved.setpoints_from_standard:
            messages.info(request, _("The setpoints are GB/T 50493-2019 5.5.2's for this kind of gas detector."))
        return redirect("monitoring:point", pk=saved.pk)

    return _form_page(request, PointForm(_posted(request), instance=point, user=request.user),
                      "monitoring/config/point_form.html", {"point": point}, save)


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request):
    return _save_point(request)


@login_required
@require_http_methods(["GET", "POST"])
def point_update(request, pk):
    return _save_point(request, get_object_or_404(MonitoringPoint.objects.visible_to(request.user), pk=pk))


@login_required
@require_POST
def point_deactivate(request, pk):
    point = get_object_or_404(MonitoringPoint.objects.visible_to(request.user), pk=pk)
    _act(request, lambda: services.deactivate_point(actor=request.user, point=point),
         _("The point is out of service."))
    return redirect("monitoring:point", pk=point.pk)


#: The monitoring points' Excel import (upload, template, the job with its progress, the file with the error
#: column), declared with the import kit's pages; the work is in ``config_imports``.
POINT_IMPORT_PAGES = ImportPages(
    namespace="monitoring", permission=CONFIGURE, imports=config_imports,
    title=gettext_lazy("Import monitoring points"), back_url="monitoring:points", back_label=gettext_lazy("Back to the points"),
    template_note=gettext_lazy("The template has one column per field; columns marked * are required. Its Instructions "
                        "sheet lists your gateways in service and the point kinds."),
    result_url="monitoring:points", result_label=gettext_lazy("Open the monitoring points"),
    imported_message=gettext_lazy("Imported: %(count)s monitoring points."),
)


# --- cameras ---------------------------------------------------------------------------------------------------


class CameraListView(ScopedListView):
    """The cameras the user sees (the bureau all, a township its enterprises', an enterprise its own); filters by
    township, enterprise, vendor and whether in service."""

    model = Camera
    permission_required = VIEW_POINTS
    filterset_class = CameraFilter
    template_name = "monitoring/config/cameras.html"
    ordering_options = {"name": "name", "enterprise": "enterprise__name", "vendor": "vendor__code"}
    default_ordering = "name"

    def scoped_queryset(self, qs):
        return selectors.cameras(self.request.user)

    def get_context_data(self, **kwargs):
        # The vendors of the cameras the user sees, not every vendor: the vendors are the bureau's to see.
        vendors = (Camera.objects.visible_to(self.request.user).order_by("vendor__code")
                   .values_list("vendor__code", "vendor__name").distinct())
        return {**super().get_context_data(**kwargs), "vendors": vendors}


def _save_camera(request, camera=None):
    _require(request.user, CONFIGURE)

    def save(form):
        data = form.cleaned_data
        if camera is None:
            video.create_camera(actor=request.user, enterprise=data["enterprise"], vendor=data["vendor"],
                                vendor_device_id=data["vendor_device_id"], name=data["name"],
                                **{f: data[f] for f in video.CAMERA_FIELDS if f != "name"})
        else:
            video.update_camera(actor=request.user, camera=camera,
                                changes={f: data[f] for f in (*video.CAMERA_FIELDS, "is_active")})
        messages.success(request, _("Saved."))
        return redirect("monitoring:cameras")

    return _form_page(request, CameraForm(_posted(request), instance=camera, user=request.user),
                      "monitoring/config/camera_form.html", {"camera": camera}, save)


@login_required
@require_http_methods(["GET", "POST"])
def camera_create(request):
    return _save_camera(request)


@login_required
@require_http_methods(["GET", "POST"])
def camera_update(request, pk):
    return _save_camera(request, get_object_or_404(Camera.objects.visible_to(request.user), pk=pk))


@login_required
@require_POST
def camera_deactivate(request, pk):
    camera = get_object_or_404(Camera.objects.visible_to(request.user), pk=pk)
    _act(request, lambda: video.deactivate_camera(actor=request.user, camera=camera),
         _("The camera is switched off: its events are refused from now on."))
    return redirect("monitoring:cameras")


# --- the video vendors (the bureau's) ----------------------------------------------------------------------------


def _vendor(request, pk) -> AlarmVendor:
    _require(request.user, MANAGE_RULES)
    return get_object_or_404(AlarmVendor, pk=pk)


def _show_secret(request, vendor: AlarmVendor, secret: str):
    """The one answer that shows a secret: never stored for a later page, never cached."""
    response = render(request, "monitoring/config/vendor_secret.html", {"vendor": vendor, "secret": secret})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def vendors(request):
    """The video vendors with their cameras and the type codes they sent unmapped."""
    _require(request.user, MANAGE_RULES)
    return render(request, "monitoring/config/vendors.html", {"vendors": selectors.vendors()})


@login_required
@require_http_methods(["GET", "POST"])
def vendor_create(request):
    _require(request.user, MANAGE_RULES)

    def save(form):
        data = form.cleaned_data
        vendor, secret = video.create_vendor(
            actor=request.user, code=data["code"], name=data["name"], protocol=data["protocol"],
            replay_window_seconds=data["replay_window_seconds"], severity_map=data["severity_map"] or None)
        return _show_secret(request, vendor, secret)

    return _form_page(request, VendorForm(_posted(request)), "monitoring/config/vendor_form.html", {"vendor": None},
                      save)


@login_required
@require_http_methods(["GET", "POST"])
def vendor_update(request, pk):
    vendor = _vendor(request, pk)

    def save(form):
        video.update_vendor(actor=request.user, vendor=vendor, changes={
            f: form.cleaned_data[f] for f in ("name", "replay_window_seconds", "severity_map", "is_active")})
        messages.success(request, _("Saved."))
        return redirect("monitoring:vendor", pk=vendor.pk)

    return _form_page(request, VendorForm(_posted(request), vendor=vendor), "monitoring/config/vendor_form.html",
                      {"vendor": vendor}, save)


@login_required
@require_http_methods(["GET", "POST"])
def vendor_detail(request, pk):
    """A vendor: its settings, its type mapping (edited as a table, saved whole) and the codes it sent that the
    mapping does not name, each with a form to map it."""
    vendor = _vendor(request, pk)
    choices = scenario_choices()
    if request.method == "POST":
        # No initial rows on a POST: a row sent as it was shown counts as filled (as the trigger table).
        formset = MappingFormSet(request.POST, prefix="m", form_kwargs={"scenarios": choices})
    else:
        formset = MappingFormSet(initial=[{"vendor_code": m.vendor_code, "scenario": m.scenario.code} for m in
                                          vendor.mappings.select_related("scenario").order_by("vendor_code")],
                                 prefix="m", form_kwargs={"scenarios": choices})
    if request.method == "POST" and formset.is_valid():
        rows = [form.cleaned_data for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        codes = [row["vendor_code"] for row in rows]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        try:
            if repeated:
                raise ValidationError(_("Each vendor type code once: %(codes)s.") % {"codes": ", ".join(repeated)})
            video.update_vendor(actor=request.user, vendor=vendor, changes={},
                                mappings={row["vendor_code"]: row["scenario"] for row in rows})
        except ValidationError as exc:
            formset.service_errors = exc.messages
        else:
            messages.success(request, _("The type mapping is saved; the vendor's posts follow it within seconds."))
            return redirect("monitoring:vendor", pk=vendor.pk)
    unmapped = [(row, MapCodeForm(initial={"vendor_code": row.vendor_code}, scenarios=choices,
                                  auto_id=f"id_u{row.pk}_%s"))
                for row in vendor.unmapped_codes.order_by("-last_seen_at")]
    return render(request, "monitoring/config/vendor.html", {
        "vendor": vendor, "formset": formset, "unmapped": unmapped,
        "camera_count": vendor.cameras.count(),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def vendor_map_code(request, pk):
    """Map one code the vendor sent unmapped (the form beside it on the vendor's page)."""
    vendor = _vendor(request, pk)
    form = MapCodeForm(request.POST, scenarios=scenario_choices())
    if form.is_valid():
        try:
            video.map_type_code(actor=request.user, vendor=vendor, vendor_code=form.cleaned_data["vendor_code"],
                                scenario=form.cleaned_data["scenario"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("“%(code)s” is mapped; the vendor's posts with it are accepted within "
                                        "seconds.") % {"code": form.cleaned_data["vendor_code"]})
    else:
        messages.error(request, _("Choose the scenario to map the code to."))
    return redirect("monitoring:vendor", pk=vendor.pk)


@login_required
@require_POST
def vendor_rotate_secret(request, pk):
    vendor, secret = video.rotate_secret(actor=request.user, vendor=_vendor(request, pk))
    return _show_secret(request, vendor, secret)


# --- the rule tables -------------------------------------------------------------------------------------------


def _rule_context(extra: dict) -> dict:
    return {"ttl": rulebook.TTL_SECONDS, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def alarm_rules(request):
    """The handling rule of each level, one form per level (prefixed with the level)."""
    _require(request.user, MANAGE_RULES)
    rows = sorted(AlarmRule.objects.all(), key=lambda row: LEVEL_ORDER.index(row.level))
    data = request.POST if request.method == "POST" else None
    forms = [(row, AlarmRuleForm(data, instance=row, prefix=row.level)) for row in rows]
    if data is not None and all(form.is_valid() for _row, form in forms):
        try:
            services.save_alarm_rules(actor=request.user, rules=[
                {"level": row.level, **form.cleaned_data} for row, form in forms])
        except ValidationError as exc:
            by_level = {row.level: form for row, form in forms}
            for key, field_messages in exc.message_dict.items():
                level, _dot, field = key.partition(".")
                target = by_level.get(level)
                if target is not None:
                    target.add_error(field if field in target.fields else None, field_messages)
        else:
            messages.success(request, _("The alarm rules are saved; new alarms follow them within %(seconds)s "
                                        "seconds.") % {"seconds": rulebook.TTL_SECONDS})
            return redirect("monitoring:rules")
    return render(request, "monitoring/config/rules.html", _rule_context({"forms": forms}),
                  status=400 if data is not None else 200)


@login_required
@require_http_methods(["GET", "POST"])
def alarm_triggers(request):
    """Which level each condition raises, per point kind; rows added and removed on the page."""
    _require(request.user, MANAGE_RULES)
    if request.method == "POST":
        # No initial rows on a POST: a row sent as it was shown must count as filled, not as unchanged and empty.
        formset = TriggerFormSet(request.POST, prefix="t")
    else:
        formset = TriggerFormSet(initial=[{"condition": t.condition, "point_kind": t.point_kind, "level": t.level}
                                          for t in AlarmTrigger.objects.order_by("condition", "point_kind")],
                                 prefix="t")
    if request.method == "POST" and formset.is_valid():
        rows = [{k: v for k, v in form.cleaned_data.items() if k != "DELETE"} for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            services.save_triggers(actor=request.user, triggers=rows)
        except ValidationError as exc:
            formset.service_errors = [message for field_messages in exc.message_dict.values()
                                      for message in field_messages]
        else:
            messages.success(request, _("The triggers are saved; new alarms follow them within %(seconds)s "
                                        "seconds.") % {"seconds": rulebook.TTL_SECONDS})
            return redirect("monitoring:triggers")
    return render(request, "monitoring/config/triggers.html", _rule_context({"formset": formset}),
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def scenarios(request):
    """The scenarios, each with its own form, and one to add a scenario; a POST saves the one named in
    ``scenario`` (an id, or ``new``)."""
    _require(request.user, MANAGE_RULES)
    rows = list(Scenario.objects.order_by("code"))
    which = request.POST.get("scenario", "") if request.method == "POST" else ""
    forms = []
    for row in [*rows, None]:
        prefix = f"s{row.pk}" if row else "new"
        bound = (row is None and which == "new") or (row is not None and which == str(row.pk))
        forms.append((row, prefix, ScenarioForm(request.POST if bound else None, instance=row, prefix=prefix)))
    target = next(((row, form) for row, prefix, form in forms if form.is_bound), None)
    if target is not None and target[1].is_valid():
        row, form = target
        try:
            services.save_scenario(actor=request.user, scenario=row, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The scenario is saved."))
            return redirect("monitoring:scenarios")
    return render(request, "monitoring/config/scenarios.html", _rule_context({"forms": forms}),
                  status=400 if request.method == "POST" else 200)
