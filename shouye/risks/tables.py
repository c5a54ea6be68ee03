"""The risk tables as JSON and back — the adapter the brief allows until ``shouye.rules.data.risk`` on main has
``lec_table_from_data``, ``matrix_table_from_data``, ``mes_table_from_data`` and ``table_to_data`` (being
added in the rules worktree). When they are there, the rules' own functions are used; otherwise this module's
smaller copies, reading and writing the same JSON shape::

    {"l_values": {"10": "完全可以预料", …}, …, "bands": [{"minimum": 320, "level": 1, "colour": "red",
     "label": "…"}, …], "basis": "…"}

Only this module knows which is in use: the lead drops the fallback at merge."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from shouye.rules.data import risk as data
from shouye.rules.errors import RuleInputError

_SCALES = {
    "lec": {"l_values": "L（事故发生的可能性）", "e_values": "E（暴露于危险环境的频繁程度）",
            "c_values": "C（发生事故产生的后果）"},
    "matrix": {"l_values": "L（可能性）", "s_values": "S（严重性）"},
    "mes": {"m_values": "M（控制措施的状态）", "e_values": "E（暴露频繁程度）", "s_values": "S（事故后果）"},
}
_COLOURS = ("red", "orange", "yellow", "blue")


def _text(number) -> str:
    return str(number) if isinstance(number, int) else f"{Decimal(number).normalize():f}"


def _scale(raw: dict, field: str, label: str, *, whole: bool) -> dict:
    scale = raw.get(field)
    if not isinstance(scale, dict) or not scale:
        raise RuleInputError(f"{label}的取值表不能为空", field)
    values = {}
    for key, text in scale.items():
        try:
            number = Decimal(str(key).strip())
        except InvalidOperation:
            raise RuleInputError(f"{label}的取值应为数字，收到 {key!r}", f"{field}.{key}") from None
        if not number.is_finite() or number <= 0 or (whole and number != number.to_integral_value()):
            raise RuleInputError(f"{label}的取值应为{'正整数' if whole else '正数'}，收到 {key}", f"{field}.{key}")
        if not isinstance(text, str) or not text.strip():
            raise RuleInputError(f"{label}取值{key}的说明不能为空", f"{field}.{key}")
        values[int(number) if whole else number] = text.strip()
    return values


def _bands(raw: dict) -> tuple:
    items = raw.get("bands")
    if not isinstance(items, list) or not items:
        raise RuleInputError("分级表（bands）不能为空，从最危险的一级排起", "bands")
    bands = []
    for index, item in enumerate(items):
        field = f"bands[{index}]"
        if not isinstance(item, dict):
            raise RuleInputError(f"第{index + 1}级应为对象（minimum、level、colour、label）", field)
        try:
            minimum = Decimal(str(item.get("minimum")))
        except InvalidOperation:
            raise RuleInputError(f"第{index + 1}级的下限应为数字", f"{field}.minimum") from None
        if not minimum.is_finite() or minimum < 0:
            raise RuleInputError(f"第{index + 1}级的下限应为不小于0的数字", f"{field}.minimum")
        colour = item.get("colour")
        if colour not in _COLOURS:
            raise RuleInputError(f"颜色只能是 red、orange、yellow、blue 之一，收到 {colour!r}", f"{field}.colour")
        if bands and minimum >= bands[-1].minimum:
            raise RuleInputError(f"分级应从最危险的一级排起，第{index + 1}级的下限应小于上一级的{bands[-1].minimum}",
                                 f"{field}.minimum")
        if bands and _COLOURS.index(colour) < _COLOURS.index(bands[-1].colour):
            raise RuleInputError(f"第{index + 1}级不能比上一级更危险", f"{field}.colour")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise RuleInputError(f"第{index + 1}级的说明不能为空", f"{field}.label")
        bands.append(data.Band(minimum, index + 1, colour, label.strip()))
    if bands[-1].minimum > 0 and not raw.get("_whole"):
        raise RuleInputError("最低一级的下限应为0，才能覆盖所有分值", f"bands[{len(bands) - 1}].minimum")
    return tuple(bands)


def _from_data(raw: object, method: str, *, whole: bool = False) -> dict:
    if not isinstance(raw, dict):
        raise RuleInputError("分级表应为一个对象", "table")
    unknown = sorted(set(raw) - set(_SCALES[method]) - {"bands", "basis"})
    if unknown:
        raise RuleInputError(f"分级表有无法识别的字段：{'、'.join(map(str, unknown))}", str(unknown[0]))
    scales = {field: _scale(raw, field, label, whole=whole) for field, label in _SCALES[method].items()}
    basis = raw.get("basis")
    if not isinstance(basis, str) or not basis.strip():
        raise RuleInputError("依据（basis）不能为空", "basis")
    return {**scales, "bands": _bands(raw | ({"_whole": True} if whole else {})), "basis": basis.strip()}


def _fallback_lec(raw):
    return data.LecTable(**_from_data(raw, "lec"))


def _fallback_matrix(raw):
    return data.MatrixTable(**_from_data(raw, "matrix", whole=True))


def _fallback_mes(raw):
    return data.MesTable(**_from_data(raw, "mes"))


def _fallback_to_data(table) -> dict:
    method = {data.LecTable: "lec", data.MatrixTable: "matrix", data.MesTable: "mes"}[type(table)]
    result: dict = {field: {_text(v): label for v, label in sorted(getattr(table, field).items(), reverse=True)}
                    for field in _SCALES[method]}
    result["bands"] = [{"minimum": int(b.minimum) if b.minimum == b.minimum.to_integral_value() else float(b.minimum),
                        "level": b.level, "colour": b.colour, "label": b.label} for b in table.bands]
    result["basis"] = table.basis
    return result


lec_table_from_data = getattr(data, "lec_table_from_data", _fallback_lec)
matrix_table_from_data = getattr(data, "matrix_table_from_data", _fallback_matrix)
mes_table_from_data = getattr(data, "mes_table_from_data", _fallback_mes)
table_to_data = getattr(data, "table_to_data", _fallback_to_data)

#: The scale fields of each method, in the order a form shows them, with their labels.
SCALE_FIELDS = _SCALES
