"""A gas detector's default alarm setpoints (GB/T 50493-2019 5.5.2, REGULATIONS-2 §B.4).

Combustible gas: level 1 and level 2 in %LEL. Toxic gas: 100 %/200 % of the occupational exposure limit (OEL)
when the detector's range reaches 2 × OEL (or no range is given), else 5 %/10 % of IDLH, which must then be
known. Oxygen: the over-oxygen (high) and deficiency (low) setpoints in %VOL. The numbers are in
:mod:`shouye.rules.data.gas_alarms`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shouye.rules._values import to_decimal
from shouye.rules.data import gas_alarms as data
from shouye.rules.errors import RuleInputError

KINDS = ("combustible", "toxic", "oxygen")


@dataclass(frozen=True)
class GasSetpoints:
    """``level_1``/``level_2`` for combustible and toxic gas, ``high``/``low`` for oxygen (the others ``None``).
    ``by_idlh`` tells that a toxic detector's setpoints came from IDLH because its range is below 2 × OEL."""

    kind: str
    unit: str
    level_1: Decimal | None = None
    level_2: Decimal | None = None
    high: Decimal | None = None
    low: Decimal | None = None
    by_idlh: bool = False
    basis: str = data.BASIS


def _positive(value: object, field: str, label: str) -> Decimal:
    number = to_decimal(value, field, label=label)
    if number <= 0:
        raise RuleInputError(f"{label}应大于0，收到 {value}", field)
    return number


def gas_alarm_setpoints(kind: object, *, oel_mg_m3: object = None, idlh_mg_m3: object = None,
                        range_max_mg_m3: object = None) -> GasSetpoints:
    """The GB/T 50493-2019 5.5.2 setpoints of a detector of ``kind`` (``combustible``, ``toxic``, ``oxygen``).

    The limits apply to toxic gas only; giving one for another kind is an error (it would be silently ignored)."""
    if kind not in KINDS:
        raise RuleInputError(f"气体类型应为 combustible（可燃）、toxic（有毒）或 oxygen（氧气），收到 {kind!r}", "kind")
    if kind != "toxic":
        for field, value in (("oel_mg_m3", oel_mg_m3), ("idlh_mg_m3", idlh_mg_m3),
                             ("range_max_mg_m3", range_max_mg_m3)):
            if value is not None:
                raise RuleInputError(f"{field} 只适用于有毒气体（toxic）", field)
    if kind == "combustible":
        return GasSetpoints(kind, data.UNIT_LEL, level_1=data.COMBUSTIBLE_LEVEL_1_PERCENT_LEL,
                            level_2=data.COMBUSTIBLE_LEVEL_2_PERCENT_LEL)
    if kind == "oxygen":
        return GasSetpoints(kind, data.UNIT_VOL, high=data.OXYGEN_HIGH_PERCENT_VOL, low=data.OXYGEN_LOW_PERCENT_VOL)
    oel = _positive(oel_mg_m3, "oel_mg_m3", "职业接触限值（OEL，mg/m³）")
    idlh = None if idlh_mg_m3 is None else _positive(idlh_mg_m3, "idlh_mg_m3", "IDLH浓度（mg/m³）")
    range_max = (None if range_max_mg_m3 is None
                 else _positive(range_max_mg_m3, "range_max_mg_m3", "量程上限（mg/m³）"))
    if range_max is None or range_max >= data.TOXIC_LEVEL_2_OEL * oel:
        return GasSetpoints(kind, data.UNIT_MG_M3, level_1=data.TOXIC_LEVEL_1_OEL * oel,
                            level_2=data.TOXIC_LEVEL_2_OEL * oel)
    if idlh is None:
        raise RuleInputError(
            f"量程上限{range_max} mg/m³小于2倍职业接触限值（{data.TOXIC_LEVEL_2_OEL * oel} mg/m³），"
            "应按IDLH的5%/10%设定报警值，请给出IDLH浓度（idlh_mg_m3）", "idlh_mg_m3")
    return GasSetpoints(kind, data.UNIT_MG_M3, level_1=data.TOXIC_LEVEL_1_IDLH * idlh,
                        level_2=data.TOXIC_LEVEL_2_IDLH * idlh, by_idlh=True)
