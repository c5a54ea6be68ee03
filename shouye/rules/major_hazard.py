"""Major hazard installations (重大危险源): identification and grading per GB 18218-2018.

REGULATIONS.md §1. Identification (4.1.2, 4.2.1): each chemical's critical quantity Q comes from Table 1 when
it is listed there, otherwise from Table 2 by hazard category; the unit is a major hazard installation when
S = Σ q/Q ≥ 1. Grading (4.3): R = α·Σ β·q/Q, with β from Table 3 (toxic gases) or Table 4 (by category), α
from Table 5 (people normally resident within 500 m of the plant boundary), and the grade from Table 6.

q is the design maximum quantity (设计最大量, 4.2.2), in tonnes. The tables are in
``data/gb18218_2018.json``; :func:`load_tables` reads them and a caller may pass edited copies.
Arithmetic is exact (fractions), so S = 1 and R = 10, 50, 100 land on the side the standard puts them.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from importlib import resources

from shouye.rules._values import to_decimal, to_int
from shouye.rules.errors import RuleInputError

STANDARD = "GB 18218-2018"
#: Inventory lines one unit may list: far more than any real production or storage unit holds, few enough
#: that an unknown name's search for close rows (over all of Table 1) stays quick for every line.
MAX_SUBSTANCES = 200


@dataclass(frozen=True)
class Substance:
    """A row of Table 1. ``default_category`` is this platform's Table 2 symbol for β (not in the standard)."""

    row: int
    name: str
    aliases: tuple[str, ...]
    cas: tuple[str, ...]
    critical_quantity_t: Decimal
    flags: tuple[str, ...]
    table3_name: str | None
    default_category: str | None
    category_note: str


@dataclass(frozen=True)
class Category:
    """A row of Table 2 with its Table 4 β."""

    symbol: str
    hazard_class: str
    description: str
    critical_quantity_t: Decimal
    beta: Decimal
    note: str


@dataclass(frozen=True)
class Tables:
    """Tables 1–6 of GB 18218-2018."""

    substances: tuple[Substance, ...]
    categories: dict[str, Category]
    table3_beta: dict[str, Decimal]
    alpha_bands: tuple[tuple[int, Decimal], ...]
    grade_bands: tuple[tuple[int, Decimal], ...]


@dataclass(frozen=True)
class ItemResult:
    """One line of the unit's inventory, as identified and weighted."""

    index: int
    row: int | None
    name: str
    category: str | None
    quantity_t: Decimal
    critical_quantity_t: Decimal
    ratio: Fraction
    beta: Decimal | None
    beta_source: str
    basis: str


@dataclass(frozen=True)
class MajorHazardResult:
    """S and whether the unit is a major hazard installation; when it is, α, R and the grade (1 highest)."""

    ratio_sum: Fraction
    is_major: bool
    alpha: Decimal | None
    r: Fraction | None
    grade: int | None
    items: tuple[ItemResult, ...]
    basis: str


def _normalise(text: str) -> str:
    """Key for name matching: NFKC (full-width brackets and commas become ASCII), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _parse_tables(raw: Mapping) -> Tables:
    def dec(value) -> Decimal:
        return Decimal(str(value))

    beta4 = {row["symbol"]: dec(row["beta"]) for row in raw["table4"]}
    categories = {
        row["symbol"]: Category(
            symbol=row["symbol"],
            hazard_class=row["hazard_class"],
            description=row["description"],
            critical_quantity_t=dec(row["critical_quantity_t"]),
            beta=beta4[row["symbol"]],
            note=row["note"],
        )
        for row in raw["table2"]
    }
    substances = tuple(
        Substance(
            row=row["row"],
            name=row["name"],
            aliases=tuple(row["aliases"]),
            cas=tuple(row["cas"]),
            critical_quantity_t=dec(row["critical_quantity_t"]),
            flags=tuple(row["flags"]),
            table3_name=row["table3_name"],
            default_category=row["default_category"],
            category_note=row["category_note"],
        )
        for row in raw["table1"]
    )
    return Tables(
        substances=substances,
        categories=categories,
        table3_beta={row["name"]: dec(row["beta"]) for row in raw["table3"]},
        alpha_bands=tuple((row["min_population"], dec(row["alpha"])) for row in raw["table5"]),
        grade_bands=tuple((row["grade"], dec(row["min_r"])) for row in raw["table6"]),
    )


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """The tables shipped with the package (``data/gb18218_2018.json``)."""
    text = resources.files("shouye.rules.data").joinpath("gb18218_2018.json").read_text(encoding="utf-8")
    return _parse_tables(json.loads(text))


def _row_label(substance: Substance) -> str:
    return f"表1第{substance.row}行“{substance.name}”"


def search_substances(text: str, tables: Tables | None = None, limit: int = 20) -> list[Substance]:
    """Table 1 rows whose name, an alias or a CAS number contains ``text`` (for a search box)."""
    tables = tables or load_tables()
    needle = _normalise(text)
    if not needle:
        return []
    found = [
        s
        for s in tables.substances
        if any(needle in _normalise(candidate) for candidate in (s.name, *s.aliases, *s.cas))
    ]
    return found[:limit]


def _matches(tables: Tables, name: str | None, cas: str | None) -> list[Substance]:
    if name is not None:
        key = _normalise(name)
        return [s for s in tables.substances if key in {_normalise(n) for n in (s.name, *s.aliases)}]
    key = _normalise(cas or "")
    return [s for s in tables.substances if key in {_normalise(c) for c in s.cas}]


def find_substance(
    *, name: str | None = None, cas: str | None = None, tables: Tables | None = None, field: str = "name"
) -> Substance:
    """The Table 1 row with exactly this name or alias, or this CAS number.

    A CAS number shared by several rows (硝化纤维素, 硝酸铵) is ambiguous: the error lists the rows so the
    person can choose by name. A name not in Table 1 is an error that suggests close rows and points to Table 2
    (categories) for chemicals that are not listed.
    """
    tables = tables or load_tables()
    if name is None and cas is None:
        raise RuleInputError("请给出物质名称（name）、CAS号（cas）或表2类别（category）", field)
    matches = _matches(tables, name, cas)
    if len(matches) == 1:
        return matches[0]
    wanted = f"名称“{name}”" if name is not None else f"CAS号“{cas}”"
    if matches:
        rows = "；".join(_row_label(s) for s in matches)
        raise RuleInputError(f"{wanted}对应表1的多行（{rows}），请按名称选择其中一行", field)
    close = search_substances(name if name is not None else cas, tables, limit=5)
    hint = f"相近条目：{'；'.join(_row_label(s) for s in close)}。" if close else ""
    raise RuleInputError(
        f"{wanted}不在{STANDARD}表1中。{hint}未列入表1的危险化学品请同时给出表2危险类别符号（category，如W5.3）",
        field,
    )


def find_category(symbol: object, tables: Tables | None = None, field: str = "category") -> Category:
    """The Table 2 category for a symbol such as ``W5.1`` or ``j1`` (case-insensitive)."""
    tables = tables or load_tables()
    if not isinstance(symbol, str) or symbol.strip().upper() not in tables.categories:
        allowed = "、".join(tables.categories)
        raise RuleInputError(f"危险类别符号应为表2中的一个（{allowed}），收到 {symbol!r}", field)
    return tables.categories[symbol.strip().upper()]


def alpha_for_population(population: int, tables: Tables | None = None) -> Decimal:
    """α from Table 5 for the people normally resident within 500 m of the plant boundary."""
    tables = tables or load_tables()
    for minimum, alpha in tables.alpha_bands:
        if population >= minimum:
            return alpha
    raise RuleInputError(f"暴露人数不能为负数，收到 {population}", "exposed_population")


def grade_for_r(r: Fraction | Decimal, tables: Tables | None = None) -> int:
    """Grade (1 highest … 4) from Table 6: R ≥ 100 一级, 50 ≤ R < 100 二级, 10 ≤ R < 50 三级, R < 10 四级."""
    tables = tables or load_tables()
    for grade, minimum in tables.grade_bands:
        if r >= minimum:
            return grade
    raise RuleInputError(f"R值不能为负数，收到 {r}", "r")


_ITEM_FIELDS = frozenset({"name", "cas", "category", "quantity_t", "beta"})


def _identify_item(index: int, item: object, tables: Tables) -> tuple[ItemResult, list[str]]:
    """Q and β for one inventory line; also the [P]/[U] notes its basis needs."""
    prefix = f"substances[{index}]"
    if not isinstance(item, Mapping):
        raise RuleInputError(f"第{index + 1}项应为对象（含name/cas/category与quantity_t）", prefix)
    unknown = sorted(set(item) - _ITEM_FIELDS)
    if unknown:
        raise RuleInputError(
            f"第{index + 1}项含有无法识别的字段：{'、'.join(unknown)}", f"{prefix}.{unknown[0]}"
        )
    quantity = to_decimal(
        item.get("quantity_t"), f"{prefix}.quantity_t", label=f"第{index + 1}项的实际存在量（t）", minimum=0
    )
    given_category = (
        find_category(item["category"], tables, f"{prefix}.category")
        if item.get("category") is not None
        else None
    )
    notes: list[str] = []
    substance = None
    key = "name" if item.get("name") is not None else "cas" if item.get("cas") is not None else None
    if key is not None and not isinstance(item[key], str):
        raise RuleInputError(f"第{index + 1}项的{key}应为文字，收到 {item[key]!r}", f"{prefix}.{key}")
    if key is not None and (given_category is None or _matches(tables, item.get("name"), item.get("cas"))):
        substance = find_substance(**{key: item[key]}, tables=tables, field=f"{prefix}.{key}")
        critical = substance.critical_quantity_t
        name = substance.name
        clause = f"表1第{substance.row}行"
        if "P" in substance.flags:
            notes.append(
                f"表1第{substance.row}行临界量来源不一致，取{critical.normalize():f} t（待核实 [P]）"
            )
    elif given_category is not None:
        critical = given_category.critical_quantity_t
        label = f"{given_category.symbol} {given_category.hazard_class}（{given_category.description}）"
        name = f"{item[key]}（表2 {label}）" if key is not None else label
        clause = f"表2 {given_category.symbol}"
    else:
        raise RuleInputError(
            f"第{index + 1}项缺少物质名称（name）、CAS号（cas）或表2类别（category）", f"{prefix}.name"
        )

    category = (
        given_category.symbol if given_category else (substance.default_category if substance else None)
    )
    if item.get("beta") is not None:
        beta = to_decimal(item["beta"], f"{prefix}.beta", label=f"第{index + 1}项的校正系数β", minimum=0)
        if beta == 0:
            raise RuleInputError(f"第{index + 1}项的校正系数β应大于0", f"{prefix}.beta")
        beta_source = "调用方给定"
    elif substance is not None and substance.table3_name is not None:
        beta = tables.table3_beta[substance.table3_name]
        beta_source = f"表3（{substance.table3_name}）"
        if "U" in substance.flags:
            notes.append(f"{name}：{substance.category_note}")
    elif category is not None:
        beta = tables.categories[category].beta
        beta_source = f"表4（{category}）"
        if given_category is None:
            beta_source += "，默认类别，待核实 [U]"
            notes.append(f"{name}未列入表3，β按默认危险类别{category}取表4值（默认值，待核实 [U]）")
    else:
        beta = None
        beta_source = "无"

    ratio = Fraction(quantity) / Fraction(critical)
    result = ItemResult(
        index=index,
        row=substance.row if substance else None,
        name=name,
        category=category,
        quantity_t=quantity,
        critical_quantity_t=critical,
        ratio=ratio,
        beta=beta,
        beta_source=beta_source,
        basis=f"{STANDARD} 4.1.2，{clause}",
    )
    return result, notes


def identify_major_hazard(
    substances: Sequence[Mapping], exposed_population: object = None, tables: Tables | None = None
) -> MajorHazardResult:
    """Identify and grade one unit (生产单元 or 储存单元) from its inventory.

    ``substances`` is a list of mappings, each with ``quantity_t`` (design maximum, t) and one of ``name`` (or
    alias), ``cas`` or ``category`` (Table 2 symbol). For a Table 1 chemical, ``category`` only chooses β
    from Table 4 (Q stays the Table 1 value); ``beta`` overrides β altogether. A name that is not in Table 1
    given with a ``category`` is a Table 2 chemical. A chemical with several hazards takes the category with
    the lowest critical quantity (4.1.2).

    ``exposed_population`` (people normally resident within 500 m of the plant boundary) is needed only
    when the unit is a major hazard installation. Errors name the item: ``substances[2].quantity_t``.
    """
    tables = tables or load_tables()
    if isinstance(substances, str | bytes | Mapping) or not isinstance(substances, Sequence):
        raise RuleInputError("substances应为物质列表", "substances")
    if not substances:
        raise RuleInputError("substances为空：请至少列出一种危险化学品及其实际存在量", "substances")
    if len(substances) > MAX_SUBSTANCES:
        raise RuleInputError(
            f"substances最多{MAX_SUBSTANCES}项，收到{len(substances)}项：请按生产单元或储存单元分别辨识", "substances"
        )
    items, notes = [], []
    for index, item in enumerate(substances):
        result, item_notes = _identify_item(index, item, tables)
        items.append(result)
        notes.extend(n for n in item_notes if n not in notes)

    ratio_sum = sum((i.ratio for i in items), Fraction(0))
    is_major = ratio_sum >= 1
    basis = f"{STANDARD} 4.1.2、4.2.1（式1，S=Σq/Q≥1为重大危险源），表1、表2"
    if not is_major:
        return MajorHazardResult(
            ratio_sum=ratio_sum,
            is_major=False,
            alpha=None,
            r=None,
            grade=None,
            items=tuple(items),
            basis="；".join([basis, *notes]),
        )

    for i in items:
        if i.beta is None:
            raise RuleInputError(
                f"第{i.index + 1}项“{i.name}”未列入表3，也没有默认危险类别；构成重大危险源后分级需要β："
                "请给出表2危险类别符号（category）或校正系数β（beta）",
                f"substances[{i.index}].category",
            )
    population = to_int(
        exposed_population, "exposed_population", label="厂区边界外500 m范围内常住人口数", minimum=0
    )
    alpha = alpha_for_population(population, tables)
    r = Fraction(alpha) * sum((Fraction(i.beta) * i.ratio for i in items), Fraction(0))
    grade = grade_for_r(r, tables)
    basis = f"{STANDARD} 4.1.2、4.2.1（式1）、4.3（式2，R=α·Σβq/Q），表1–表6"
    return MajorHazardResult(
        ratio_sum=ratio_sum,
        is_major=True,
        alpha=alpha,
        r=r,
        grade=grade,
        items=tuple(items),
        basis="；".join([basis, *notes]),
    )
