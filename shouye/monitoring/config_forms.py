"""Input shapes of the configuration pages; the rules (the range, the setpoints' order, the dead band, GB/T 50493's
defaults, scope, a vendor's severity levels and replay window, a camera's installation) are the services'
(``config_services``, ``video``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shouye.core.forms import MultipleChoiceField, ScopedModelChoiceField, formset_factory
from shouye.enterprises.models import Enterprise
from shouye.major_hazards.models import MajorHazardInstallation

from .choices import AlarmLevel, NotifyRole, VendorProtocol
from .config_services import GATEWAY_FIELDS, POINT_FIELDS, SCENARIO_FIELDS
from .models import AlarmRule, AlarmTrigger, AlarmVendor, Camera, Gateway, MonitoringPoint, Scenario
from .video import REPLAY_WINDOW_MAX, REPLAY_WINDOW_MIN


def _style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        else:
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class _ShapeOnly(forms.ModelForm):
    """Field checks only: the service runs the model validation inside its transaction."""

    def _post_clean(self):
        pass

    def validate_unique(self):
        pass


def _installations(user, enterprise_id=None) -> ScopedModelChoiceField:
    field = ScopedModelChoiceField(MajorHazardInstallation.objects.order_by("enterprise_id", "name", "id"),
                                   user=user, required=False, label=_("Installation"),
                                   help_text=_("The major hazard installation it monitors, where it applies."))
    if enterprise_id is not None:
        field.queryset = field.queryset.filter(enterprise_id=enterprise_id)
    return field


def _chosen_once(field: ScopedModelChoiceField) -> ScopedModelChoiceField:
    """A choice made once, on creation (a gateway's or camera's enterprise, a point's gateway): preselected when
    the user has exactly one row to choose from."""
    first = list(field.queryset.values_list("pk", flat=True)[:2])
    if len(first) == 1:
        field.initial = first[0]
    return field


def _enterprises(user) -> ScopedModelChoiceField:
    return _chosen_once(ScopedModelChoiceField(Enterprise.objects.order_by("name"), user=user, label=_("Enterprise")))


class GatewayForm(_ShapeOnly):
    class Meta:
        model = Gateway
        fields = GATEWAY_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["installation"] = _installations(user, self.instance.enterprise_id if self.instance.pk else None)
        self.fields["code"].help_text = _("Unique; the gateway publishes under shouye/v1/<code>/readings.")
        if not self.instance.pk:
            self.fields = {"enterprise": _enterprises(user), **self.fields}
        _style(self)


class PointForm(_ShapeOnly):
    class Meta:
        model = MonitoringPoint
        fields = POINT_FIELDS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False
        self.fields["installation"] = _installations(user, self.instance.enterprise_id if self.instance.pk else None)
        self.fields["high"].help_text = _(
            "Leave all four setpoints empty for a gas detector to take GB/T 50493-2019 5.5.2's: combustible gas "
            "25 %LEL (high) and 50 %LEL (high-high); toxic gas 100 % and 200 % of the OEL, or 5 % and 10 % of IDLH "
            "when the range does not reach twice the OEL; oxygen 23.5 %VOL (high) and 19.5 %VOL (low).")
        if not self.instance.pk:
            gateway = _chosen_once(ScopedModelChoiceField(
                Gateway.objects.filter(is_active=True).select_related("enterprise").order_by("code"), user=user,
                label=_("Gateway")))
            self.fields = {"gateway": gateway, **self.fields}
        _style(self)


_ROLES = forms.CheckboxSelectMultiple


class AlarmRuleForm(_ShapeOnly):
    notify_roles = MultipleChoiceField(choices=NotifyRole.choices, widget=_ROLES, label=_("Notified"))
    escalate_roles = MultipleChoiceField(choices=NotifyRole.choices, widget=_ROLES, required=False,
                                               label=_("Told when the acknowledgement is missed"))

    class Meta:
        model = AlarmRule
        fields = ["notify_roles", "ack_minutes", "escalate_roles", "clear_condition", "repeat_count", "repeat_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TriggerForm(_ShapeOnly):
    class Meta:
        model = AlarmTrigger
        fields = ["condition", "point_kind", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point_kind"].required = False
        self.fields["point_kind"].choices = [("", _("Any kind")), *self.fields["point_kind"].choices[1:]]
        _style(self)


TriggerFormSet = formset_factory(TriggerForm, label=_("Triggers"), extra=2, can_delete=True)


class ScenarioForm(_ShapeOnly):
    class Meta:
        model = Scenario
        fields = SCENARIO_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
        _style(self)


# --- video vendors and cameras ---------------------------------------------------------------------------------


class SeverityMapField(forms.CharField):
    """A vendor's severity scale, one ``severity = level`` per line (``5 = red`` or ``5 = 红色``); the level by
    its code or its name. Whether each level exists is the service's check, with its message."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, dict):
            labels = dict(AlarmLevel.choices)
            return "\n".join(f"{key} = {labels.get(level, level)}" for key, level in value.items())
        return value

    def to_python(self, value):
        text = super().to_python(value)
        names = {str(label): code for code, label in AlarmLevel.choices}
        mapping = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, level = line.replace("：", "=").replace(":", "=").replace("＝", "=").partition("=")
            if not sep or not key.strip() or not level.strip():
                raise forms.ValidationError(_("Line %(line)s is not “severity = level”.") % {"line": number})
            mapping[key.strip()] = names.get(level.strip(), level.strip().lower())
        return mapping


class VendorForm(forms.Form):
    """A vendor's settings; its code and protocol are chosen once, on registration, and its key id is issued by
    the platform (shown, never edited)."""

    code = forms.SlugField(label=_("Code"), max_length=40,
                           help_text=_("Part of the address the vendor posts to: /api/v1/alarms/intake/<code>/."))
    name = forms.CharField(label=_("Name"), max_length=100)
    protocol = forms.ChoiceField(label=_("Protocol"), choices=VendorProtocol.choices, initial=VendorProtocol.JSON)
    key_id = forms.CharField(label=_("Key id"), required=False, disabled=True)
    replay_window_seconds = forms.IntegerField(
        label=_("Replay window (s)"), initial=300, min_value=REPLAY_WINDOW_MIN, max_value=REPLAY_WINDOW_MAX,
        help_text=_("A post whose timestamp is further than this from the platform's clock is refused."))
    severity_map = SeverityMapField(
        label=_("Severity mapping"), required=False,
        help_text=_("One “vendor severity = level” per line, the level red, orange, yellow or blue. Left empty on "
                    "registration, the protocol's scale is taken."))
    is_active = forms.BooleanField(label=_("In service"), required=False, initial=True)

    def __init__(self, *args, vendor: AlarmVendor | None = None, **kwargs):
        if vendor is not None:
            kwargs.setdefault("initial", {field: getattr(vendor, field) for field in (
                "code", "name", "protocol", "key_id", "replay_window_seconds", "severity_map", "is_active")})
        super().__init__(*args, **kwargs)
        if vendor is None:
            for name in ("key_id", "is_active"):
                del self.fields[name]
        else:
            for name in ("code", "protocol"):
                self.fields[name].disabled = True
        _style(self)


def scenario_choices() -> list[tuple[str, str]]:
    """The scenarios to map a code to, read once for all the forms of a page."""
    return [(code, f"{name} ({code})") for code, name in Scenario.objects.order_by("code").values_list("code", "name")]


class MappingForm(forms.Form):
    """One row of a vendor's type mapping: its code → a scenario, by code (whether it exists is the service's
    check)."""

    vendor_code = forms.CharField(label=_("Vendor type code"), max_length=40)
    scenario = forms.ChoiceField(label=_("Scenario"))

    def __init__(self, *args, scenarios: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [("", "---------"), *scenarios]
        _style(self)


MappingFormSet = formset_factory(MappingForm, label=_("Type mapping"), extra=2, can_delete=True)


class MapCodeForm(MappingForm):
    """The one-click form beside a code the vendor sent unmapped: the code is given, the scenario chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor_code"].widget = forms.HiddenInput()


class CameraForm(_ShapeOnly):
    """A camera; its enterprise, vendor and device id are chosen once, on registration (its alarms name them)."""

    class Meta:
        model = Camera
        fields = ["vendor", "vendor_device_id", "name", "zone", "installation", "longitude", "latitude", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["installation"] = _installations(user, self.instance.enterprise_id if self.instance.pk else None)
        if self.instance.pk:
            for name in ("vendor", "vendor_device_id"):
                self.fields[name].disabled = True
        else:
            self.fields["vendor"].queryset = AlarmVendor.objects.filter(is_active=True).order_by("code")
            del self.fields["is_active"]
            self.fields = {"enterprise": _enterprises(user), **self.fields}
        _style(self)
