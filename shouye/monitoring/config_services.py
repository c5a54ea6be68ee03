"""Keeping the monitoring configuration (issue 13): an enterprise's gateways and monitoring points, and the
bureau's rule tables (alarm rules per level, triggers, scenarios).

Each act is one transaction with one audit event; bad input raises ``ValidationError`` with field messages and
writes nothing; an object out of scope is ``NotInScope`` (404), a missing permission ``PermissionDenied`` (403).
A saved rule table is followed by ``rulebook.forget()``, so this process reads it again at once and every other
within ``rulebook.TTL_SECONDS``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouye.audit import services as audit
from shouye.enterprises.models import Enterprise
from shouye.regions.scoping import ensure_in_scope
from shouye.rules.errors import RuleInputError
from shouye.rules.gas_alarms import gas_alarm_setpoints

from . import rulebook
from .choices import BAND_CONDITIONS, GAS_KINDS, LEVEL_ORDER, ClearCondition, NotifyRole, PointKind
from .models import AlarmRule, AlarmTrigger, Gateway, MonitoringPoint, PointStatus, Scenario
from .workflow import CONFIGURE, MANAGE_RULES

#: What a form, the API or an import may set on a gateway (its enterprise is chosen once, on creation).
GATEWAY_FIELDS = ["code", "name", "installation"]
#: What may be set on a point (its gateway, and so its enterprise, is chosen once, on creation).
POINT_FIELDS = ["code", "name", "kind", "unit", "installation", "range_min", "range_max",
                "expected_interval_seconds", "low_low", "low", "high", "high_high", "dead_band", "delay_seconds",
                "offline_after_intervals", "stuck_after_readings", "oel_mg_m3", "idlh_mg_m3", "location",
                "longitude", "latitude"]
#: The one message for a point code its gateway has already (the form, the API, the import).
DUPLICATE_POINT_CODE = gettext_lazy("The gateway has a point with this code already.")
#: The note of an audit event whose setpoints are the standard's.
STANDARD_SETPOINTS_NOTE = "GB/T 50493-2019 5.5.2"
#: The setpoints from the lowest to the highest (LL < L < H < HH, REGULATIONS-2 §B.4).
SETPOINTS = ("low_low", "low", "high", "high_high")
RULE_FIELDS = ["notify_roles", "ack_minutes", "escalate_roles", "clear_condition", "repeat_count", "repeat_days"]
SCENARIO_FIELDS = ["code", "name", "default_level", "dedupe_minutes", "is_active"]


def ensure_permission(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


def _snapshot(row, fields) -> dict:
    values = {}
    for field in fields:
        value = getattr(row, f"{field}_id" if field == "installation" else field)
        values[field] = value if isinstance(value, int | float | bool | list) or value is None else str(value)
    return values


def _add(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _model_errors(row, exclude: list[str]) -> dict:
    try:
        row.full_clean(exclude=exclude, validate_constraints=False, validate_unique=False)
    except ValidationError as exc:
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {}


# --- gateways --------------------------------------------------------------------------------------------------


def _check_gateway(gateway: Gateway) -> None:
    errors = _model_errors(gateway, ["enterprise", "township", "industry"])
    if gateway.installation_id is not None and gateway.installation.enterprise_id != gateway.enterprise_id:
        _add(errors, "installation", _("Choose an installation of the gateway's own enterprise."))
    if gateway.code and Gateway.objects.filter(code=gateway.code).exclude(pk=gateway.pk).exists():
        _add(errors, "code", _("A gateway with this code exists already; the code names the gateway's MQTT topic "
                               "and must be unique."))
    if errors:
        raise ValidationError(errors)


def create_gateway(*, actor, enterprise: Enterprise, data: dict) -> Gateway:
    """Register a data gateway of ``enterprise``."""
    with transaction.atomic():
        ensure_permission(actor, CONFIGURE)
        ensure_in_scope(actor, enterprise)
        enterprise = Enterprise.objects.select_for_update(of=("self",), no_key=True).get(pk=enterprise.pk)
        gateway = Gateway(**{f: data[f] for f in GATEWAY_FIELDS if f in data})
        gateway.stamp_from(enterprise, locked=True)
        _check_gateway(gateway)
        gateway.save()
        audit.record(actor=actor, verb="monitoring.gateway.create", target=gateway,
                     changes={"fields": _snapshot(gateway, GATEWAY_FIELDS)})
    return gateway


def _locked_gateway(actor, gateway: Gateway) -> Gateway:
    ensure_permission(actor, CONFIGURE)
    ensure_in_scope(actor, gateway)
    return Gateway.objects.select_for_update(of=("self",)).get(pk=gateway.pk)


def update_gateway(*, actor, gateway: Gateway, data: dict) -> Gateway:
    with transaction.atomic():
        gateway = _locked_gateway(actor, gateway)
        before = _snapshot(gateway, GATEWAY_FIELDS)
        for field in GATEWAY_FIELDS:
            if field in data:
                setattr(gateway, field, data[field])
        _check_gateway(gateway)
        gateway.save()
        audit.record(actor=actor, verb="monitoring.gateway.edit", target=gateway,
                     changes=audit.diff(before, _snapshot(gateway, GATEWAY_FIELDS)))
    return gateway


def deactivate_gateway(*, actor, gateway: Gateway) -> Gateway:
    """Take a gateway out of service, and its points with it (the ingest drops their readings, and an inactive
    point is never offline)."""
    with transaction.atomic():
        gateway = _locked_gateway(actor, gateway)
        if not gateway.is_active:
            raise ValidationError({"is_active": [_("The gateway is out of service already.")]})
        gateway.is_active = False
        gateway.save(update_fields=["is_active"])
        points = gateway.points.filter(is_active=True).update(is_active=False)
        audit.record(actor=actor, verb="monitoring.gateway.deactivate", target=gateway,
                     changes={"points_deactivated": points})
    return gateway


# --- monitoring points -----------------------------------------------------------------------------------------


def gas_defaults(kind: str, *, oel_mg_m3=None, idlh_mg_m3=None, range_max=None) -> dict:
    """The setpoints GB/T 50493-2019 5.5.2 gives a gas detector of ``kind`` (the ``gas-alarm-setpoints`` rule):
    level 1 is the high (高报) and level 2 the high-high (高高报) setpoint; oxygen's over-oxygen is high and its
    deficiency low. Returns the point's fields and ``unit``; raises ``RuleInputError`` naming what is missing."""
    limits = {"oel_mg_m3": oel_mg_m3, "idlh_mg_m3": idlh_mg_m3, "range_max_mg_m3": range_max} \
        if kind == PointKind.TOXIC_GAS else {}
    result = gas_alarm_setpoints(str(kind), **limits)
    if kind == PointKind.OXYGEN:
        return {"high": float(result.high), "low": float(result.low), "unit": result.unit}
    return {"high": float(result.level_1), "high_high": float(result.level_2), "unit": result.unit}


def _apply_gas_defaults(point: MonitoringPoint, errors: dict) -> bool:
    """A gas detector given no setpoint takes GB/T 50493's; True when it did."""
    if point.kind not in GAS_KINDS or any(getattr(point, name) is not None for name in SETPOINTS):
        return False
    try:
        defaults = gas_defaults(point.kind, oel_mg_m3=point.oel_mg_m3, idlh_mg_m3=point.idlh_mg_m3,
                                range_max=point.range_max if point.kind == PointKind.TOXIC_GAS else None)
    except RuleInputError as exc:
        field = {"range_max_mg_m3": "range_max"}.get(exc.field, exc.field)
        _add(errors, field, _("The GB/T 50493-2019 setpoints of a toxic-gas detector need this value, or enter "
                              "the setpoints yourself: %(reason)s") % {"reason": exc.message})
        return False
    unit = defaults.pop("unit")
    if point.unit and point.unit != unit:
        _add(errors, "unit", _("GB/T 50493-2019's setpoints for this kind are in %(unit)s: measure in %(unit)s or "
                               "enter the setpoints yourself.") % {"unit": unit})
        return False
    point.unit = unit
    for name, value in defaults.items():
        setattr(point, name, value)
    return True


def _check_setpoints(point: MonitoringPoint, errors: dict) -> None:
    """The range, the setpoints' order within it, the dead band and the interval (REGULATIONS-2 §B.4)."""
    if point.range_min is not None and point.range_max is not None and point.range_min >= point.range_max:
        _add(errors, "range_max", _("The range must end above where it starts."))
        return
    labels = {"low_low": _("low-low"), "low": _("low"), "high": _("high"), "high_high": _("high-high")}
    given = [(name, getattr(point, name)) for name in SETPOINTS if getattr(point, name) is not None]
    for name, value in given:
        if point.range_min is not None and point.range_max is not None \
                and not point.range_min <= value <= point.range_max:
            _add(errors, name, _("The %(setpoint)s setpoint %(value)s lies outside the range %(min)s–%(max)s.")
                 % {"setpoint": labels[name], "value": value, "min": point.range_min, "max": point.range_max})
    for (lower, low_value), (upper, high_value) in zip(given, given[1:], strict=False):
        if low_value >= high_value:
            _add(errors, upper, _("The %(upper)s setpoint must be above the %(lower)s setpoint (LL < L < H < HH).")
                 % {"upper": labels[upper], "lower": labels[lower]})
        elif point.dead_band is not None and point.dead_band >= high_value - low_value:
            _add(errors, "dead_band", _("The dead band must be smaller than the gap between the %(lower)s and "
                                        "%(upper)s setpoints (%(gap)s).")
                 % {"lower": labels[lower], "upper": labels[upper], "gap": round(high_value - low_value, 6)})
    if point.dead_band is not None and point.dead_band < 0:
        _add(errors, "dead_band", _("The dead band cannot be negative."))
    if point.expected_interval_seconds is not None and point.expected_interval_seconds < 1:
        _add(errors, "expected_interval_seconds", _("The expected interval is at least 1 second."))


def point_errors(point: MonitoringPoint) -> tuple[dict, bool]:
    """The checks of a point that read nothing but the point (and its installation, loaded with it): the model's
    fields, GB/T 50493's setpoints for a gas detector given none, the range, the setpoints' order and dead band,
    the installation's enterprise. Returns the errors by field and whether the standard's setpoints were filled
    in; the form, the API and the Excel import all go through it."""
    errors = _model_errors(point, ["gateway", "enterprise", "township", "industry", "unit"])
    filled = _apply_gas_defaults(point, errors) if not errors else False
    if not point.unit and "unit" not in errors:
        _add(errors, "unit", _("This field is required."))
    if not errors:
        _check_setpoints(point, errors)
    if point.installation_id is not None and point.installation.enterprise_id != point.enterprise_id:
        _add(errors, "installation", _("Choose an installation of the point's own enterprise."))
    return errors, filled


def _check_point(point: MonitoringPoint) -> bool:
    """All the checks of a point, its code unique on its gateway; returns whether GB/T 50493 setpoints were
    filled in."""
    errors, filled = point_errors(point)
    duplicate = MonitoringPoint.objects.filter(gateway_id=point.gateway_id, code=point.code).exclude(pk=point.pk)
    if point.code and duplicate.exists():
        _add(errors, "code", DUPLICATE_POINT_CODE)
    if errors:
        raise ValidationError(errors)
    return filled


def point_snapshot(point: MonitoringPoint) -> dict:
    """What a point's creation records in the audit log."""
    return {"fields": _snapshot(point, POINT_FIELDS)}


def create_point(*, actor, gateway: Gateway, data: dict) -> MonitoringPoint:
    """Add a monitoring point to ``gateway`` (its enterprise's), with its status row in the same transaction (the
    ingest updates that row and never creates one). A gas detector given no setpoint takes GB/T 50493-2019
    5.5.2's; the audit event says so."""
    with transaction.atomic():
        gateway = _locked_gateway(actor, gateway)
        if not gateway.is_active:
            raise ValidationError({"gateway": [_("The gateway is out of service: add points to one in service.")]})
        point = MonitoringPoint(gateway=gateway, **{f: data[f] for f in POINT_FIELDS if f in data})
        if "installation" not in data:
            point.installation = gateway.installation
        point.stamp_from(gateway.enterprise)
        filled = _check_point(point)
        point.save()
        PointStatus.objects.create(point=point)
        audit.record(actor=actor, verb="monitoring.point.create", target=point, changes=point_snapshot(point),
                     note=STANDARD_SETPOINTS_NOTE if filled else "")
    point.setpoints_from_standard = filled
    return point


def update_point(*, actor, point: MonitoringPoint, data: dict) -> MonitoringPoint:
    """Change a point's configuration. A gas detector whose setpoints are all cleared takes GB/T 50493's again."""
    with transaction.atomic():
        ensure_permission(actor, CONFIGURE)
        ensure_in_scope(actor, point)
        point = MonitoringPoint.objects.select_for_update(of=("self",)).get(pk=point.pk)
        before = _snapshot(point, POINT_FIELDS)
        for field in POINT_FIELDS:
            if field in data:
                setattr(point, field, data[field])
        filled = _check_point(point)
        point.save()
        audit.record(actor=actor, verb="monitoring.point.edit", target=point,
                     changes=audit.diff(before, _snapshot(point, POINT_FIELDS)),
                     note=STANDARD_SETPOINTS_NOTE if filled else "")
    point.setpoints_from_standard = filled
    return point


def deactivate_point(*, actor, point: MonitoringPoint) -> MonitoringPoint:
    """Take a point out of service: the ingest drops its readings and it is never reported offline."""
    with transaction.atomic():
        ensure_permission(actor, CONFIGURE)
        ensure_in_scope(actor, point)
        point = MonitoringPoint.objects.select_for_update(of=("self",)).get(pk=point.pk)
        if not point.is_active:
            raise ValidationError({"is_active": [_("The point is out of service already.")]})
        point.is_active = False
        point.save(update_fields=["is_active", "updated_at"])
        audit.record(actor=actor, verb="monitoring.point.deactivate", target=point)
    return point


# --- the rule tables (REGULATIONS-2 §B.5: [U] local practice, editable) ----------------------------------------


def _check_roles(values: object, field: str, errors: dict) -> None:
    if not isinstance(values, list) or any(value not in NotifyRole.values for value in values):
        _add(errors, field, _("Choose among the roles offered."))


def save_alarm_rules(*, actor, rules: Iterable[dict]) -> list[AlarmRule]:
    """Save the handling rules of the levels given (each dict names its ``level``); one audit event for the
    table, then the rulebook is read afresh. Every level keeps its rule (the table is edited, never emptied)."""
    with transaction.atomic():
        ensure_permission(actor, MANAGE_RULES)
        rows = {row.level: row for row in AlarmRule.objects.select_for_update()}
        changes, errors = {}, {}
        for data in rules:
            row = rows.get(data.get("level"))
            if row is None:
                _add(errors, "level", _("Unknown level: %(level)s.") % {"level": data.get("level")})
                continue
            before = _snapshot(row, RULE_FIELDS)
            for field in RULE_FIELDS:
                if field in data:
                    setattr(row, field, data[field])
            row_errors = _model_errors(row, ["notify_roles", "escalate_roles"])
            _check_roles(row.notify_roles, "notify_roles", row_errors)
            _check_roles(row.escalate_roles, "escalate_roles", row_errors)
            if not row.notify_roles:
                _add(row_errors, "notify_roles", _("Notify at least one role."))
            if row.ack_minutes is not None and row.ack_minutes < 1:
                _add(row_errors, "ack_minutes", _("The acknowledgement deadline is at least 1 minute."))
            if row.repeat_count is not None and row.repeat_count < 2:
                _add(row_errors, "repeat_count", _("A repeat means at least 2 alarms."))
            if row.repeat_days is not None and row.repeat_days < 1:
                _add(row_errors, "repeat_days", _("Count repeats within at least 1 day."))
            if row.clear_condition not in ClearCondition.values:
                _add(row_errors, "clear_condition", _("Choose how an alarm of this level clears."))
            for field, messages in row_errors.items():
                errors.setdefault(f"{row.level}.{field}", []).extend(messages)
            change = audit.diff(before, _snapshot(row, RULE_FIELDS))
            if change:
                changes[row.level] = change
        if errors:
            raise ValidationError(errors)
        for level in changes:
            rows[level].save()
        audit.record(actor=actor, verb="monitoring.rules.edit", target=None, changes=changes)
    rulebook.forget()
    return sorted(rows.values(), key=lambda row: LEVEL_ORDER.index(row.level))


def save_triggers(*, actor, triggers: Iterable[dict]) -> list[AlarmTrigger]:
    """Replace the trigger table: which level each condition (optionally of one point kind) raises. The row for
    any kind of each threshold, offline and stuck condition must stay, so every sensor alarm finds a level."""
    triggers = list(triggers)
    with transaction.atomic():
        ensure_permission(actor, MANAGE_RULES)
        existing = list(AlarmTrigger.objects.select_for_update().order_by("pk"))
        errors, seen, wanted = {}, set(), []
        for index, data in enumerate(triggers):
            row = AlarmTrigger(condition=data.get("condition"), point_kind=data.get("point_kind") or "",
                               level=data.get("level"))
            for field, messages in _model_errors(row, []).items():
                errors.setdefault(f"triggers[{index}].{field}", []).extend(messages)
            key = (row.condition, row.point_kind)
            if key in seen:
                _add(errors, f"triggers[{index}].point_kind",
                     _("This condition has a row for this kind already."))
            seen.add(key)
            wanted.append(row)
        required = [*BAND_CONDITIONS, "offline", "stuck"]
        for condition in required:
            if (condition, "") not in seen:
                _add(errors, "triggers", _("Keep the row for any kind of point of each condition (missing: "
                                           "%(condition)s).") % {"condition": condition})
        if errors:
            raise ValidationError(errors)
        before = {f"{row.condition}/{row.point_kind or '*'}": row.level for row in existing}
        after = {f"{row.condition}/{row.point_kind or '*'}": row.level for row in wanted}
        AlarmTrigger.objects.filter(pk__in=[row.pk for row in existing]).delete()
        AlarmTrigger.objects.bulk_create(wanted)
        audit.record(actor=actor, verb="monitoring.triggers.edit", target=None, changes=audit.diff(
            before, after) | {key: [value, None] for key, value in before.items() if key not in after})
    rulebook.forget()
    return list(AlarmTrigger.objects.order_by("condition", "point_kind"))


def save_scenario(*, actor, scenario: Scenario | None, data: dict) -> Scenario:
    """Add a scenario, or change one (its name, default level, repeat window, whether it is in use). A scenario
    alarms refer to is never deleted; taking it out of use is the way to retire it."""
    with transaction.atomic():
        ensure_permission(actor, MANAGE_RULES)
        if scenario is None:
            row, before = Scenario(), {}
        else:
            row = Scenario.objects.select_for_update().get(pk=scenario.pk)
            before = _snapshot(row, SCENARIO_FIELDS)
        for field in SCENARIO_FIELDS:
            if field in data and not (field == "code" and scenario is not None):
                setattr(row, field, data[field])
        errors = _model_errors(row, [])
        if row.code and Scenario.objects.filter(code=row.code).exclude(pk=row.pk).exists():
            _add(errors, "code", _("A scenario with this code exists already."))
        if errors:
            raise ValidationError(errors)
        row.save()
        audit.record(actor=actor, verb="monitoring.scenario.create" if scenario is None else
                     "monitoring.scenario.edit", target=row, changes=audit.diff(before, _snapshot(row,
                                                                                                    SCENARIO_FIELDS)))
    rulebook.forget()
    return row


def save_scenarios(*, actor, rows: Iterable[dict]) -> list[Scenario]:
    """Several scenarios at once, by code (the API's table): a known code is changed, a new one added; all or
    nothing, the refusals under ``scenarios[i].field``."""
    saved, errors = [], {}
    with transaction.atomic():
        ensure_permission(actor, MANAGE_RULES)
        known = {row.code: row for row in Scenario.objects.all()}
        for index, data in enumerate(rows):
            try:
                with transaction.atomic():
                    saved.append(save_scenario(actor=actor, scenario=known.get(data.get("code")), data=data))
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(f"scenarios[{index}].{field}", []).extend(messages)
        if errors:
            raise ValidationError(errors)
    return saved
