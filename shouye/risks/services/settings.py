"""The editable tables of risk assessment (RiskSettings): the district's row, created with the defaults the
first time it is needed (no data migration), an enterprise's overrides, and the tables in force for an
enterprise (its own where set, else the district's, else the rules' defaults).

REGULATIONS.md §3 ("no national table: make it configurable", §3.3 "configurable per enterprise") and
REGULATIONS-2 §A.3a, §A.4."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shouye.audit import services as audit
from shouye.regions.scoping import ensure_in_scope
from shouye.rules.data.risk import (
    CONTROL_LEVELS,
    GRADE_ORDER,
    LEC_TABLE,
    MATRIX_TABLE,
    MES_TABLE,
    lec_table_from_data,
    matrix_table_from_data,
    mes_table_from_data,
    table_to_data,
)
from shouye.rules.errors import RuleInputError

from ..choices import ControlLevel, RiskLevel
from ..models import RiskSettings

EDIT_DISTRICT = "risks.edit_district_risk_tables"
MANAGE = "risks.manage_risk_list"

#: The district's default conditions that make a risk point major whatever its score: the items commonly
#: quoted from DB37/T 2882-2016 (山东省安全生产风险分级管控体系通则) "重大风险确定原则". The standard's body text
#: was not readable (REGULATIONS-2 §A.3 [P]); the wording is the usual citation [U]. The bureau edits the list.
FORCED_MAJOR_DEFAULTS = [
    "违反法律、法规及国家标准中强制性条款的",
    "发生过死亡、重伤、重大财产损失事故，且现在发生事故的条件依然存在的",
    "涉及重大危险源的",
    "具有中毒、爆炸、火灾等危险的场所，作业人员在10人以上的",
]
#: At most this many conditions, each at most this long (a bounded input, ARCHITECTURE.md §10).
MAX_CONDITIONS = 30
MAX_CONDITION_LENGTH = 200

TABLE_FIELDS = {
    "lec_table": (lec_table_from_data, LEC_TABLE),
    "matrix_table": (matrix_table_from_data, MATRIX_TABLE),
    "mes_table": (mes_table_from_data, MES_TABLE),
}
#: The scales of each method, in the order a form shows them, with their labels (the rules' wording).
SCALE_FIELDS = {
    "lec": {"l_values": "L（事故发生的可能性）", "e_values": "E（暴露于危险环境的频繁程度）",
            "c_values": "C（发生事故产生的后果）"},
    "matrix": {"l_values": "L（可能性）", "s_values": "S（严重性）"},
    "mes": {"m_values": "M（控制措施的状态）", "e_values": "E（暴露频繁程度）", "s_values": "S（事故后果）"},
}


@dataclass(frozen=True)
class EffectiveTables:
    """The tables an enterprise's assessments use now, and where each came from."""

    lec: object
    matrix: object
    mes: object
    control_levels: dict
    forced_major_conditions: tuple[str, ...]

    def for_method(self, method: str):
        return {"lec": self.lec, "matrix": self.matrix, "mes": self.mes}[method]


def district_settings() -> RiskSettings:
    """The district's row, created with the rules' defaults and FORCED_MAJOR_DEFAULTS when missing (two
    requests creating it at once: the unique constraint keeps one, the other reads it)."""
    row = RiskSettings.objects.filter(enterprise__isnull=True).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return RiskSettings.objects.create(
                enterprise=None,
                lec_table=table_to_data(LEC_TABLE),
                matrix_table=table_to_data(MATRIX_TABLE),
                mes_table=table_to_data(MES_TABLE),
                control_levels=dict(CONTROL_LEVELS),
                forced_major_conditions=list(FORCED_MAJOR_DEFAULTS),
            )
    except IntegrityError:
        return RiskSettings.objects.get(enterprise__isnull=True)


def enterprise_settings(enterprise_id: int) -> RiskSettings | None:
    return RiskSettings.objects.filter(enterprise_id=enterprise_id).first()


def _table(data: dict, field: str, fallback):
    if not data:
        return fallback
    reader = TABLE_FIELDS[field][0]
    return reader(data)


def effective_tables(enterprise_id: int | None) -> EffectiveTables:
    """The enterprise's own table where it has one, else the district's, else the rules' default (stored
    tables were checked when saved; a table that no longer reads is an error, not a silent default)."""
    district = district_settings()
    own = enterprise_settings(enterprise_id) if enterprise_id else None
    chosen = {}
    for field, (_reader, default) in TABLE_FIELDS.items():
        data = (getattr(own, field) if own else None) or getattr(district, field)
        chosen[field] = _table(data, field, default)
    levels = (own.control_levels if own else None) or district.control_levels or dict(CONTROL_LEVELS)
    return EffectiveTables(lec=chosen["lec_table"], matrix=chosen["matrix_table"], mes=chosen["mes_table"],
                           control_levels=dict(levels),
                           forced_major_conditions=tuple(district.forced_major_conditions or ()))


# --- checking edited values ---------------------------------------------------------------------------------


def check_table(field: str, data) -> dict:
    """An edited table as stored: checked by the rules' reader, then written back in its canonical form.
    Raises ValidationError on ``field`` with the reader's message (it names the item: "bands[2].minimum")."""
    if data in (None, {}, ""):
        return {}
    try:
        table = TABLE_FIELDS[field][0](data)
    except RuleInputError as exc:
        raise ValidationError({field: f"{exc.message}（{exc.field}）"}) from None
    return table_to_data(table)


def check_control_levels(levels) -> dict:
    """One control level per grade (REGULATIONS-2 §A.4), each one of ControlLevel."""
    if levels in (None, {}, ""):
        return {}
    if not isinstance(levels, dict):
        raise ValidationError({"control_levels": _("Give one control level per grade.")})
    allowed = set(ControlLevel.values)
    grade_labels = dict(RiskLevel.choices)
    result = {}
    for grade in GRADE_ORDER:
        value = levels.get(grade)
        if value not in allowed:
            raise ValidationError({"control_levels": _("Choose the control level of %(grade)s.")
                                   % {"grade": grade_labels[grade]}})
        result[grade] = value
    unknown = sorted(set(levels) - set(GRADE_ORDER))
    if unknown:
        raise ValidationError({"control_levels": _("Unknown grade: %(grade)s.") % {"grade": unknown[0]}})
    return result


def check_conditions(conditions) -> list[str]:
    if not isinstance(conditions, list | tuple):
        raise ValidationError({"forced_major_conditions": _("Give the conditions as a list.")})
    cleaned = [str(text).strip() for text in conditions if str(text).strip()]
    if len(cleaned) > MAX_CONDITIONS:
        raise ValidationError({"forced_major_conditions": _("At most %(count)d conditions.")
                               % {"count": MAX_CONDITIONS}})
    for text in cleaned:
        if len(text) > MAX_CONDITION_LENGTH:
            raise ValidationError({"forced_major_conditions": _("A condition may have at most %(count)d "
                                                                "characters.") % {"count": MAX_CONDITION_LENGTH}})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({"forced_major_conditions": _("A condition is listed twice.")})
    return cleaned


# --- saving -----------------------------------------------------------------------------------------------


def save_district_settings(*, actor, lec_table=None, matrix_table=None, mes_table=None, control_levels=None,
                           forced_major_conditions=None) -> RiskSettings:
    """The bureau administrator edits the district's tables. Existing assessments keep their grades until an
    enterprise re-grades them ("按新标准重新评价", services.register.regrade_enterprise)."""
    if not actor.has_perm(EDIT_DISTRICT):
        raise PermissionDenied
    values = {}
    for field, data in (("lec_table", lec_table), ("matrix_table", matrix_table), ("mes_table", mes_table)):
        if data is not None:
            values[field] = check_table(field, data)
    if control_levels is not None:
        values["control_levels"] = check_control_levels(control_levels)
    if forced_major_conditions is not None:
        values["forced_major_conditions"] = check_conditions(forced_major_conditions)
    with transaction.atomic():
        row = RiskSettings.objects.select_for_update().get(pk=district_settings().pk)
        before = {field: getattr(row, field) for field in values}
        for field, value in values.items():
            setattr(row, field, value)
        row.updated_by = actor
        row.save()
        audit.record(actor=actor, verb="risks.district-tables", target=row,
                     changes={"fields": sorted(audit.diff(before, values))})
    return row


def save_enterprise_settings(*, actor, enterprise, lec_table=None, matrix_table=None, mes_table=None,
                             control_levels=None) -> RiskSettings:
    """An enterprise's own tables and control levels (REGULATIONS.md §3.3 "configurable per enterprise");
    an empty value goes back to the district's."""
    ensure_in_scope(actor, enterprise)
    if not actor.has_perm(MANAGE):
        raise PermissionDenied
    values = {}
    for field, data in (("lec_table", lec_table), ("matrix_table", matrix_table), ("mes_table", mes_table)):
        if data is not None:
            values[field] = check_table(field, data)
    if control_levels is not None:
        values["control_levels"] = check_control_levels(control_levels)
    with transaction.atomic():
        row, _created = RiskSettings.objects.select_for_update().get_or_create(enterprise=enterprise)
        before = {field: getattr(row, field) for field in values}
        for field, value in values.items():
            setattr(row, field, value)
        row.updated_by = actor
        row.save()
        audit.record(actor=actor, verb="risks.enterprise-tables", target=enterprise,
                     changes={"fields": sorted(audit.diff(before, values))})
    return row


def reset_enterprise_settings(*, actor, enterprise) -> bool:
    """An enterprise goes back to the district's tables and control levels (its own row deleted); False when
    it had none. Existing assessments keep their grades until re-graded, as after any edit."""
    ensure_in_scope(actor, enterprise)
    if not actor.has_perm(MANAGE):
        raise PermissionDenied
    with transaction.atomic():
        row = RiskSettings.objects.select_for_update().filter(enterprise=enterprise).first()
        if row is None:
            return False
        fields = sorted(name for name in (*TABLE_FIELDS, "control_levels") if getattr(row, name))
        row.delete()
        audit.record(actor=actor, verb="risks.enterprise-tables-reset", target=enterprise,
                     changes={"fields": fields})
    return True
