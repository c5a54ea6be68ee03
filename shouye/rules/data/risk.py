"""Risk assessment tables: LEC (Graham–Kinney), the 5×5 risk matrix (REGULATIONS.md §3) and MES
(REGULATIONS-2 §A.3a), and their conversion to and from plain JSON data.

No national table fixes these: the scales and bands are the classic ones, the band edges and the colours
are common practice and therefore defaults the caller may replace (REGULATIONS.md §3.3, REGULATIONS-2
§A.3a "make the MES tables configurable like LEC"). The risks app stores the district's and each
enterprise's edited table as JSON of this shape (:func:`table_to_data` writes it, ``*_table_from_data``
read and check it)::

    {
      "l_values": {"10": "完全可以预料", "6": "相当可能", "0.5": "很不可能，可以设想", …},
      "e_values": {…}, "c_values": {…},                   # LEC: l_values, e_values, c_values
      "bands": [                                           # most dangerous first
        {"minimum": 320, "level": 1, "colour": "red", "label": "极其危险，不能继续作业"},
        …,
        {"minimum": 0, "level": 5, "colour": "blue", "label": "稍有危险，可以接受"}
      ],
      "basis": "…"                                         # optional: where the table comes from
    }

The matrix has ``l_values`` and ``s_values`` (whole numbers), MES ``m_values``, ``e_values`` and
``s_values``. Scale keys are numbers written as text (JSON keys are text), each a positive number, with a
non-empty label. ``bands`` run from the most dangerous down: ``level`` counts 1, 2, 3 …; ``minimum``
strictly decreases; ``colour`` is one of ``red``/``orange``/``yellow``/``blue`` and never more dangerous
than the band before; the last minimum is 0 (for the matrix: 0 up to its smallest product L×S, usually 1),
so every score falls in a band. A score on an edge takes the band whose minimum it reaches. Anything else
raises :class:`~shouye.rules.errors.RuleInputError` naming the field (``bands[2].minimum``,
``l_values.7``). Without ``basis`` the table's basis is written from its bands.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shouye.rules._values import to_decimal, to_int
from shouye.rules.errors import RuleInputError


@dataclass(frozen=True)
class Band:
    """One band of a score: scores ``>= minimum`` (and below the next band's minimum) fall in it."""

    minimum: Decimal
    level: int
    colour: str
    label: str


@dataclass(frozen=True)
class LecTable:
    """LEC scales and D bands. ``bands`` run from the most dangerous down; the last has minimum 0."""

    l_values: dict[Decimal, str]
    e_values: dict[Decimal, str]
    c_values: dict[Decimal, str]
    bands: tuple[Band, ...]
    basis: str


@dataclass(frozen=True)
class MatrixTable:
    """Risk matrix scales and R bands, most dangerous first."""

    l_values: dict[int, str]
    s_values: dict[int, str]
    bands: tuple[Band, ...]
    basis: str


COLOUR_LABELS = {"red": "重大风险", "orange": "较大风险", "yellow": "一般风险", "blue": "低风险"}

LEC_TABLE = LecTable(
    l_values={
        Decimal("10"): "完全可以预料",
        Decimal("6"): "相当可能",
        Decimal("3"): "可能，但不经常",
        Decimal("1"): "可能性小，完全意外",
        Decimal("0.5"): "很不可能，可以设想",
        Decimal("0.2"): "极不可能",
        Decimal("0.1"): "实际不可能",
    },
    e_values={
        Decimal("10"): "连续暴露",
        Decimal("6"): "每天工作时间内暴露",
        Decimal("3"): "每周一次或偶然暴露",
        Decimal("2"): "每月一次",
        Decimal("1"): "每年几次",
        Decimal("0.5"): "非常罕见",
    },
    c_values={
        Decimal("100"): "大灾难，十人以上死亡",
        Decimal("40"): "灾难，数人死亡",
        Decimal("15"): "非常严重，一人死亡",
        Decimal("7"): "严重，严重伤残",
        Decimal("3"): "重大，有伤残",
        Decimal("1"): "引人注目，轻伤需救护",
    },
    bands=(
        Band(Decimal("320"), 1, "red", "极其危险，不能继续作业"),
        Band(Decimal("160"), 2, "orange", "高度危险，需立即整改"),
        Band(Decimal("70"), 3, "yellow", "显著危险，需要整改"),
        Band(Decimal("20"), 4, "blue", "一般（比较）危险，需要注意"),
        Band(Decimal("0"), 5, "blue", "稍有危险，可以接受"),
    ),
    basis=(
        "作业条件危险性评价法（LEC），D=L×E×C，五级分级；边界值归入较危险一级（D≥320一级，160≤D<320二级，"
        "70≤D<160三级，20≤D<70四级，D<20五级），一级红、二级橙、三级黄、四五级蓝"
        "（分级边界与四色对应为通行做法，默认值，待核实 [P][U]）"
    ),
)

MATRIX_TABLE = MatrixTable(
    l_values={
        1: "50年以上发生一次",
        2: "10年以上发生一次",
        3: "10年内可能发生",
        4: "5年内可能发生",
        5: "每年可能发生",
    },
    s_values={1: "轻微伤害", 2: "急救或多人轻伤", 3: "一人重伤", 4: "多人重伤", 5: "一人死亡"},
    bands=(
        Band(Decimal("20"), 1, "red", "重大风险（Ⅰ级）"),
        Band(Decimal("9"), 2, "orange", "较大风险（Ⅱ级）"),
        Band(Decimal("4"), 3, "yellow", "一般风险（Ⅲ级）"),
        Band(Decimal("1"), 4, "blue", "低风险（Ⅳ级）"),
    ),
    basis=(
        "风险矩阵法（LS），R=L×S，5×5矩阵；20–25红，9–16橙，4–8黄，1–3蓝"
        "（无国家统一表，各企业可自定，默认值，待核实 [P]）"
    ),
)


@dataclass(frozen=True)
class MesTable:
    """MES scales (R = M×E×S, REGULATIONS-2 §A.3a) and R bands, most dangerous first.

    ``e_values`` holds the E1 scale (people's exposure); an enterprise assessing property or environmental
    loss uses the same numbers for E2 (how often the hazardous state occurs)."""

    m_values: dict[Decimal, str]
    e_values: dict[Decimal, str]
    s_values: dict[Decimal, str]
    bands: tuple[Band, ...]
    basis: str


MES_TABLE = MesTable(
    m_values={
        Decimal("5"): "无控制措施",
        Decimal("3"): "有减轻后果的应急措施（如警报系统、个体防护用品）",
        Decimal("1"): "有预防性措施（如机器防护装置），且有效",
    },
    e_values={
        Decimal("10"): "连续暴露（常态）",
        Decimal("6"): "每天工作时间内暴露（每天工作时间出现）",
        Decimal("3"): "每周一次或偶然暴露（每周一次或偶然出现）",
        Decimal("2"): "每月一次暴露",
        Decimal("1"): "每年几次暴露",
        Decimal("0.5"): "更少的暴露",
    },
    s_values={
        Decimal("10"): "有多人死亡",
        Decimal("8"): "有一人死亡或多人永久失能",
        Decimal("4"): "永久失能（一人）",
        Decimal("2"): "需医院治疗，缺工",
        Decimal("1"): "轻微，仅需急救",
    },
    bands=(
        Band(Decimal("180"), 1, "red", "一级，极其危险"),
        Band(Decimal("90"), 2, "orange", "二级，高度危险"),
        Band(Decimal("50"), 3, "yellow", "三级，显著危险"),
        Band(Decimal("20"), 4, "blue", "四级，轻度危险"),
        Band(Decimal("0"), 5, "blue", "五级，稍有危险"),
    ),
    basis=(
        "MES法（作业条件风险程度评价），R=M×E×S；M（5/3/1）与E的前三档（10/6/3）见 REGULATIONS-2 §A.3a；"
        "E的后三档、S表及分级边界（R≥180一级红，90≤R<180二级橙，50≤R<90三级黄，R<50蓝）为通行做法，"
        "默认值，待核实 [P][U]"
    ),
)

#: Risk grades (the glossary's ``RiskLevel``), most dangerous first, with their colours (REGULATIONS.md §3.3).
GRADE_COLOURS = {"major": "red", "high": "orange", "moderate": "yellow", "low": "blue"}
COLOUR_GRADES = {colour: grade for grade, colour in GRADE_COLOURS.items()}
GRADE_ORDER = ("major", "high", "moderate", "low")

#: Control level per grade (REGULATIONS-2 §A.4; REGULATIONS.md §3.3 "make this configurable per enterprise").
#: 重大 → 主要负责人 and 较大 → 分管负责人 are 331号令's [P]; the workshop and post levels are common practice [U].
CONTROL_LEVELS = {"major": "principal", "high": "deputy", "moderate": "workshop", "low": "post"}
CONTROL_LEVELS_BASIS = (
    "管控层级：重大风险由主要负责人、较大风险由分管负责人管控（山东省安全生产风险管控办法，省政府令第331号 [P]）；"
    "一般风险车间（部门）级、低风险班组（岗位）级为通行做法，默认值，可按企业调整 [U]"
)


#: Bounds on an edited table, so a stored copy stays a table a person can read.
MAX_SCALE_VALUES = 20
MAX_BANDS = 10
MAX_LABEL_LENGTH = 100
COLOUR_ORDER = ("red", "orange", "yellow", "blue")

_SCALE_LABELS = {
    "lec": {
        "l_values": "L（事故发生的可能性）",
        "e_values": "E（暴露于危险环境的频繁程度）",
        "c_values": "C（发生事故产生的后果）",
    },
    "matrix": {"l_values": "L（可能性）", "s_values": "S（严重性）"},
    "mes": {"m_values": "M（控制措施的状态）", "e_values": "E（暴露频繁程度）", "s_values": "S（事故后果）"},
}
_METHOD_NAMES = {
    "lec": "作业条件危险性评价法（LEC），D=L×E×C",
    "matrix": "风险矩阵法（LS），R=L×S",
    "mes": "MES法，R=M×E×S",
}
_SCORE_NAMES = {"lec": "D", "matrix": "R", "mes": "R"}


def _label(value: object, field: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleInputError(f"{what}的说明应为非空文字，收到 {value!r}", field)
    if len(value) > MAX_LABEL_LENGTH:
        raise RuleInputError(f"{what}的说明不能超过{MAX_LABEL_LENGTH}字", field)
    return value.strip()


def _scale_from_data(data: dict, field: str, label: str, *, whole: bool) -> dict:
    scale = data.get(field)
    if not isinstance(scale, dict) or not scale:
        raise RuleInputError(f"{label}的取值表应为非空的对象（{{取值: 说明}}），收到 {scale!r}", field)
    if len(scale) > MAX_SCALE_VALUES:
        raise RuleInputError(f"{label}最多{MAX_SCALE_VALUES}个取值，收到{len(scale)}个", field)
    values: dict = {}
    for key, text in scale.items():
        item = f"{field}.{key}"
        if isinstance(key, str):
            try:
                number = Decimal(key.strip())
            except ArithmeticError:
                raise RuleInputError(f"{label}的取值应为数字，收到 {key!r}", item) from None
        else:
            number = to_decimal(key, item, label=f"{label}的取值")
        if not number.is_finite() or number <= 0:
            raise RuleInputError(f"{label}的取值应为正数，收到 {key}", item)
        if whole:
            if number != number.to_integral_value():
                raise RuleInputError(f"{label}的取值应为正整数，收到 {key}", item)
            number = int(number)
        if number in values:
            raise RuleInputError(f"{label}的取值 {key} 重复", item)
        values[number] = _label(text, item, f"{label}取值{key}")
    return values


def _bands_from_data(data: dict, *, lowest: Decimal) -> tuple[Band, ...]:
    """Bands most dangerous first; the last minimum must lie between 0 and ``lowest``."""
    raw = data.get("bands")
    if not isinstance(raw, list) or not raw:
        raise RuleInputError("分级表（bands）应为非空的列表，从最危险的一级排起", "bands")
    if len(raw) > MAX_BANDS:
        raise RuleInputError(f"分级表最多{MAX_BANDS}级，收到{len(raw)}级", "bands")
    bands: list[Band] = []
    for index, item in enumerate(raw):
        field = f"bands[{index}]"
        if not isinstance(item, dict):
            raise RuleInputError(
                f"第{index + 1}级应为对象（minimum、level、colour、label），收到 {item!r}", field
            )
        unknown = sorted(set(item) - {"minimum", "level", "colour", "label"})
        if unknown:
            raise RuleInputError(
                f"第{index + 1}级有无法识别的字段：{'、'.join(unknown)}", f"{field}.{unknown[0]}"
            )
        minimum = to_decimal(
            item.get("minimum"), f"{field}.minimum", label=f"第{index + 1}级的下限", minimum=0
        )
        level = to_int(item.get("level"), f"{field}.level", label=f"第{index + 1}级的级别")
        if level != index + 1:
            raise RuleInputError(
                f"级别应从1起依次编号，第{index + 1}级的级别应为{index + 1}，收到 {level}", f"{field}.level"
            )
        colour = item.get("colour")
        if colour not in COLOUR_ORDER:
            raise RuleInputError(
                f"颜色只能是 red、orange、yellow、blue 之一，收到 {colour!r}", f"{field}.colour"
            )
        if bands and minimum >= bands[-1].minimum:
            raise RuleInputError(
                f"分级应从最危险的一级排起，下限依次减小：第{index + 1}级的下限{minimum}应小于上一级的"
                f"{bands[-1].minimum}",
                f"{field}.minimum",
            )
        if bands and COLOUR_ORDER.index(colour) < COLOUR_ORDER.index(bands[-1].colour):
            raise RuleInputError(
                f"较低的一级不能比上一级更危险：第{index + 1}级为{COLOUR_LABELS[colour]}，"
                f"上一级为{COLOUR_LABELS[bands[-1].colour]}",
                f"{field}.colour",
            )
        label = _label(item.get("label"), f"{field}.label", f"第{index + 1}级")
        bands.append(Band(minimum, level, colour, label))
    if bands[-1].minimum > lowest:
        where = "0" if lowest == 0 else f"0至{lowest}（最小的乘积）之间"
        raise RuleInputError(
            f"最低一级的下限应为{where}，才能覆盖所有分值，收到 {bands[-1].minimum}",
            f"bands[{len(bands) - 1}].minimum",
        )
    return tuple(bands)


def _check_keys(data: object, method: str) -> dict:
    if not isinstance(data, dict):
        raise RuleInputError(f"分级表应为一个对象，收到 {type(data).__name__}", "table")
    allowed = set(_SCALE_LABELS[method]) | {"bands", "basis"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise RuleInputError(f"分级表有无法识别的字段：{'、'.join(map(str, unknown))}", str(unknown[0]))
    return data


def _basis(data: dict, method: str, bands: tuple[Band, ...]) -> str:
    basis = data.get("basis")
    if basis is not None:
        if not isinstance(basis, str) or not basis.strip():
            raise RuleInputError("依据（basis）应为非空文字", "basis")
        return basis.strip()
    score = _SCORE_NAMES[method]
    edges = "，".join(f"{score}≥{_text(b.minimum)}{COLOUR_LABELS[b.colour]}（{b.label}）" for b in bands)
    return f"{_METHOD_NAMES[method]}，按修订的分级表：{edges}"


def _text(number: Decimal | int) -> str:
    return str(number) if isinstance(number, int) else f"{number.normalize():f}"


def lec_table_from_data(data: dict) -> LecTable:
    """An edited LEC table from its JSON data (shape in the module docstring), checked."""
    data = _check_keys(data, "lec")
    scales = {f: _scale_from_data(data, f, label, whole=False) for f, label in _SCALE_LABELS["lec"].items()}
    bands = _bands_from_data(data, lowest=Decimal(0))
    return LecTable(**scales, bands=bands, basis=_basis(data, "lec", bands))


def matrix_table_from_data(data: dict) -> MatrixTable:
    """An edited risk matrix from its JSON data (whole-number scales), checked."""
    data = _check_keys(data, "matrix")
    scales = {f: _scale_from_data(data, f, label, whole=True) for f, label in _SCALE_LABELS["matrix"].items()}
    bands = _bands_from_data(data, lowest=Decimal(min(scales["l_values"]) * min(scales["s_values"])))
    return MatrixTable(**scales, bands=bands, basis=_basis(data, "matrix", bands))


def mes_table_from_data(data: dict) -> MesTable:
    """An edited MES table from its JSON data, checked."""
    data = _check_keys(data, "mes")
    scales = {f: _scale_from_data(data, f, label, whole=False) for f, label in _SCALE_LABELS["mes"].items()}
    bands = _bands_from_data(data, lowest=Decimal(0))
    return MesTable(**scales, bands=bands, basis=_basis(data, "mes", bands))


def _json_number(number: Decimal | int) -> int | float:
    if isinstance(number, int) or number == number.to_integral_value():
        return int(number)
    return float(number)


def table_to_data(table: LecTable | MatrixTable | MesTable) -> dict:
    """The JSON data of a table (the shape ``*_table_from_data`` reads back), scales most significant first."""
    if isinstance(table, LecTable):
        fields = _SCALE_LABELS["lec"]
    elif isinstance(table, MatrixTable):
        fields = _SCALE_LABELS["matrix"]
    elif isinstance(table, MesTable):
        fields = _SCALE_LABELS["mes"]
    else:
        raise RuleInputError(f"无法识别的分级表：{type(table).__name__}", "table")
    data: dict = {
        field: {_text(value): label for value, label in sorted(getattr(table, field).items(), reverse=True)}
        for field in fields
    }
    data["bands"] = [
        {"minimum": _json_number(b.minimum), "level": b.level, "colour": b.colour, "label": b.label}
        for b in table.bands
    ]
    data["basis"] = table.basis
    return data
