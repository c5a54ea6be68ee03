"""GB 18218-2018 identification and grading (REGULATIONS.md §1)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules.errors import RuleInputError
from shouye.rules.major_hazard import (
    alpha_for_population,
    find_category,
    find_substance,
    grade_for_r,
    identify_major_hazard,
    load_tables,
    search_substances,
)

# Table 1 as REGULATIONS.md §1.3 prints it: row, names that must find the row, CAS numbers, Q (t).
TABLE_1 = [
    (1, ["氨", "液氨", "氨气"], ["7664-41-7"], "10"),
    (2, ["二氟化氧", "一氧化二氟"], ["7783-41-7"], "1"),
    (3, ["二氧化氮"], ["10102-44-0"], "1"),
    (4, ["二氧化硫", "亚硫酸酐"], ["7446-09-5"], "20"),
    (5, ["氟"], ["7782-41-4"], "1"),
    (6, ["碳酰氯", "光气"], ["75-44-5"], "0.3"),
    (7, ["环氧乙烷", "氧化乙烯"], ["75-21-8"], "10"),
    (8, ["甲醛 (含量>90%)", "蚁醛"], ["50-00-0"], "5"),
    (9, ["磷化氢", "磷化三氢", "膦"], ["7803-51-2"], "1"),
    (10, ["硫化氢"], ["7783-06-4"], "5"),
    (11, ["氯化氢 (无水)"], ["7647-01-0"], "20"),
    (12, ["氯", "液氯", "氯气"], ["7782-50-5"], "5"),
    (13, ["煤气 (CO, CO 和 H2、CH4 的混合物等)"], [], "20"),
    (14, ["砷化氢", "砷化三氢", "胂"], ["7784-42-1"], "1"),
    (15, ["锑化氢", "三氢化锑", "锑化三氢"], ["7803-52-3"], "1"),
    (16, ["硒化氢"], ["7783-07-5"], "1"),
    (17, ["溴甲烷", "甲基溴"], ["74-83-9"], "10"),
    (18, ["丙酮氰醇", "丙酮合氰化氢", "2-羟基异丁腈", "氰丙醇"], ["75-86-5"], "20"),
    (19, ["丙烯醛", "烯丙醛", "败脂醛"], ["107-02-8"], "20"),
    (20, ["氟化氢"], ["7664-39-3"], "1"),
    (21, ["1-氯-2,3-环氧丙烷", "环氧氯丙烷"], ["106-89-8"], "20"),
    (22, ["3-溴-1,2-环氧丙烷", "环氧溴丙烷", "表溴醇"], ["3132-64-7"], "20"),
    (23, ["甲苯二异氰酸酯", "TDI"], ["26471-62-5"], "100"),
    (24, ["一氯化硫", "氯化硫"], ["10025-67-9"], "1"),
    (25, ["氰化氢", "无水氢氰酸"], ["74-90-8"], "1"),
    (26, ["三氧化硫", "硫酸酐"], ["7446-11-9"], "75"),
    (27, ["3-氨基丙烯", "烯丙胺"], ["107-11-9"], "20"),
    (28, ["溴", "溴素"], ["7726-95-6"], "20"),
    (29, ["乙撑亚胺", "吖丙啶", "氮丙啶"], ["151-56-4"], "20"),
    (30, ["异氰酸甲酯", "甲基异氰酸酯"], ["624-83-9"], "0.75"),
    (31, ["叠氮化钡", "叠氮钡"], ["18810-58-7"], "0.5"),
    (32, ["叠氮化铅"], ["13424-46-9"], "0.5"),
    (33, ["雷汞", "二雷酸汞", "雷酸汞"], ["628-86-4"], "0.5"),
    (34, ["三硝基苯甲醚", "三硝基茴香醚"], ["28653-16-9"], "5"),
    (35, ["2,4,6-三硝基甲苯", "梯恩梯", "TNT"], ["118-96-7"], "5"),
    (36, ["硝化甘油", "硝化丙三醇", "甘油三硝酸酯"], ["55-63-0"], "1"),
    (37, ["硝化纤维素 [干的或含水(或乙醇)<25%]"], ["9004-70-0"], "1"),
    (38, ["硝化纤维素 (未改型的, 或增塑的, 含增塑剂<18%)"], ["9004-70-0"], "1"),
    (39, ["硝化纤维素 (含乙醇≥25%)"], ["9004-70-0"], "10"),
    (40, ["硝化纤维素 (含氮≤12.6%)"], ["9004-70-0"], "50"),
    (41, ["硝化纤维素 (含水≥25%)"], ["9004-70-0"], "50"),
    (42, ["硝化纤维素溶液 (含氮量≤12.6%, 含硝化纤维素≤55%)", "硝化棉溶液"], ["9004-70-0"], "50"),
    (43, ["硝酸铵 (含可燃物>0.2%, 包括以碳计算的任何有机物, 但不包括任何其他添加剂)"], ["6484-52-2"], "5"),
    (44, ["硝酸铵 (含可燃物≤0.2%)"], ["6484-52-2"], "50"),
    (45, ["硝酸铵肥料 (含可燃物≤0.4%)"], [], "200"),
    (46, ["硝酸钾"], ["7757-79-1"], "1000"),
    (47, ["1,3-丁二烯", "联乙烯"], ["106-99-0"], "5"),
    (48, ["二甲醚", "甲醚"], ["115-10-6"], "50"),
    (49, ["甲烷", "天然气"], ["74-82-8", "8006-14-2"], "50"),
    (50, ["氯乙烯", "乙烯基氯"], ["75-01-4"], "50"),
    (51, ["氢", "氢气"], ["1333-74-0"], "5"),
    (52, ["液化石油气 (含丙烷、丁烷及其混合物)"], ["68476-85-7", "74-98-6", "106-97-8"], "50"),
    (53, ["一甲胺", "氨基甲烷", "甲胺"], ["74-89-5"], "5"),
    (54, ["乙炔", "电石气"], ["74-86-2"], "1"),
    (55, ["乙烯"], ["74-85-1"], "50"),
    (56, ["氧 (压缩的或液化的)", "液氧", "氧气"], ["7782-44-7"], "200"),
    (57, ["苯", "纯苯"], ["71-43-2"], "50"),
    (58, ["苯乙烯", "乙烯苯"], ["100-42-5"], "500"),
    (59, ["丙酮", "二甲基酮"], ["67-64-1"], "500"),
    (60, ["2-丙烯腈", "丙烯腈", "乙烯基氰"], ["107-13-1"], "50"),
    (61, ["二硫化碳"], ["75-15-0"], "50"),
    (62, ["环己烷", "六氢化苯"], ["110-82-7"], "500"),
    (63, ["1,2-环氧丙烷", "氧化丙烯"], ["75-56-9"], "10"),
    (64, ["甲苯", "甲基苯", "苯基甲烷"], ["108-88-3"], "500"),
    (65, ["甲醇", "木醇", "木精"], ["67-56-1"], "500"),
    (66, ["汽油 (乙醇汽油、甲醇汽油)"], ["86290-81-5"], "200"),
    (67, ["乙醇", "酒精"], ["64-17-5"], "500"),
    (68, ["乙醚", "二乙基醚"], ["60-29-7"], "10"),
    (69, ["乙酸乙酯", "醋酸乙酯"], ["141-78-6"], "500"),
    (70, ["正己烷", "己烷"], ["110-54-3"], "500"),
    (71, ["过乙酸", "过醋酸", "过氧乙酸"], ["79-21-0"], "10"),
    (72, ["过氧化甲基乙基酮 (10%<有效氧含量≤10.7%, 含A型稀释剂≥48%)"], ["1338-23-4"], "10"),
    (73, ["白磷", "黄磷"], ["12185-10-3"], "50"),
    (74, ["烷基铝", "三烷基铝"], [], "1"),
    (75, ["戊硼烷", "五硼烷"], ["19624-22-7"], "1"),
    (76, ["过氧化钾"], ["17014-71-0"], "20"),
    (77, ["过氧化钠", "双氧化钠", "二氧化钠"], ["1313-60-6"], "20"),
    (78, ["氯酸钾"], ["3811-04-9"], "100"),
    (79, ["氯酸钠"], ["7775-09-9"], "100"),
    (80, ["发烟硝酸"], ["52583-42-3"], "20"),
    (81, ["硝酸 (发红烟的除外, 含硝酸>70%)"], ["7697-37-2"], "100"),
    (82, ["硝酸胍", "硝酸亚氨脲"], ["506-93-4"], "50"),
    (83, ["碳化钙", "电石"], ["75-20-7"], "100"),
    (84, ["钾", "金属钾"], ["7440-09-7"], "1"),
    (85, ["钠", "金属钠"], ["7440-23-5"], "10"),
]
SHARED_CAS = {"9004-70-0": {37, 38, 39, 40, 41, 42}, "6484-52-2": {43, 44}}


def test_table_1_has_all_85_rows_in_order():
    assert [s.row for s in load_tables().substances] == list(range(1, 86))


@pytest.mark.parametrize(("row", "names", "cas", "q"), TABLE_1)
def test_table_1_row_by_every_name(row, names, cas, q):
    for name in names:
        substance = find_substance(name=name)
        assert substance.row == row, name
        assert substance.critical_quantity_t == Decimal(q)


@pytest.mark.parametrize(("row", "names", "cas", "q"), TABLE_1)
def test_table_1_row_by_cas(row, names, cas, q):
    for number in cas:
        if number in SHARED_CAS:
            with pytest.raises(RuleInputError) as exc:
                find_substance(cas=number)
            assert all(f"第{r}行" in exc.value.message for r in SHARED_CAS[number])
        else:
            assert find_substance(cas=number).row == row
    assert set(cas) <= set(load_tables().substances[row - 1].cas)


def _cas_check_digit_ok(number: str) -> bool:
    digits = number.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    return sum(int(d) * w for w, d in enumerate(reversed(body), start=1)) % 10 == check


def test_every_cas_number_has_a_valid_check_digit():
    for substance in load_tables().substances:
        for number in substance.cas:
            assert _cas_check_digit_ok(number), (substance.row, number)


def test_every_stored_name_and_alias_finds_only_its_own_row():
    for substance in load_tables().substances:
        for name in (substance.name, *substance.aliases):
            assert find_substance(name=name).row == substance.row


def test_lookup_ignores_width_spacing_and_case():
    assert find_substance(name="tdi").row == 23
    assert find_substance(name=" 氯化氢（无水） ").row == 11
    assert find_substance(name="甲醛(含量>90%)").row == 8


def test_row_27_is_flagged_and_uses_20_t():
    substance = find_substance(name="烯丙胺")
    assert substance.critical_quantity_t == 20
    assert "P" in substance.flags
    result = identify_major_hazard([{"name": "烯丙胺", "quantity_t": 10}])
    assert "[P]" in result.basis


def test_editions_are_not_mixed():
    # 2018 values, not 2000/2009 ones (REGULATIONS.md §1.3 pitfall).
    assert find_substance(name="甲醇").critical_quantity_t == 500
    assert find_substance(name="汽油").critical_quantity_t == 200
    assert find_substance(name="硝酸铵（含可燃物≤0.2%）").critical_quantity_t == 50
    assert find_substance(name="硝酸铵肥料（含可燃物≤0.4%）").critical_quantity_t == 200


# Tables 2 and 4 as printed in REGULATIONS.md §1.4 and §1.5.
TABLE_2_AND_4 = {
    "J1": ("5", "4"), "J2": ("50", "1"), "J3": ("50", "2"), "J4": ("50", "2"), "J5": ("500", "1"),
    "W1.1": ("1", "2"), "W1.2": ("10", "2"), "W1.3": ("50", "2"), "W2": ("10", "1.5"), "W3": ("150", "1"),
    "W4": ("50", "1"), "W5.1": ("10", "1.5"), "W5.2": ("50", "1"), "W5.3": ("1000", "1"),
    "W5.4": ("5000", "1"), "W6.1": ("10", "1.5"), "W6.2": ("50", "1"), "W7.1": ("10", "1.5"),
    "W7.2": ("50", "1"), "W8": ("50", "1"), "W9.1": ("50", "1"), "W9.2": ("200", "1"), "W10": ("200", "1"),
    "W11": ("200", "1"),
}  # fmt: skip


@pytest.mark.parametrize(("symbol", "values"), TABLE_2_AND_4.items())
def test_table_2_and_table_4(symbol, values):
    category = find_category(symbol)
    assert (category.critical_quantity_t, category.beta) == (Decimal(values[0]), Decimal(values[1]))
    assert find_category(symbol.lower()).symbol == symbol


def test_table_2_has_24_symbols():
    assert list(load_tables().categories) == list(TABLE_2_AND_4)


TABLE_3 = {
    "一氧化碳": 2, "二氧化硫": 2, "氨": 2, "环氧乙烷": 2, "氯化氢": 3, "溴甲烷": 3, "氯": 4, "硫化氢": 5,
    "氟化氢": 5, "二氧化氮": 10, "氰化氢": 10, "碳酰氯": 20, "磷化氢": 20, "异氰酸甲酯": 20,
}  # fmt: skip


@pytest.mark.parametrize(("name", "beta"), TABLE_3.items())
def test_table_3_beta_through_table_1_names(name, beta):
    assert load_tables().table3_beta[name] == beta
    result = identify_major_hazard([{"name": name, "quantity_t": 1000}], exposed_population=0)
    assert result.items[0].beta == beta
    assert result.items[0].beta_source.startswith("表3")


def test_every_table_1_row_has_beta_source_or_says_why_not():
    tables = load_tables()
    for substance in tables.substances:
        if substance.table3_name is None and substance.default_category is None:
            assert "category" in substance.category_note
        if substance.default_category is not None:
            assert substance.default_category in tables.categories


@pytest.mark.parametrize(
    ("population", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (10**6, "2.0"),
    ],
)
def test_table_5_alpha_edges(population, alpha):
    assert alpha_for_population(population) == Decimal(alpha)


@pytest.mark.parametrize(
    ("r", "grade"),
    [("100", 1), ("99.99", 2), ("50", 2), ("49.99", 3), ("10", 3), ("9.99", 4), ("0", 4), ("1000", 1)],
)
def test_table_6_grade_edges(r, grade):
    assert grade_for_r(Decimal(r)) == grade


# --- worked examples (REGULATIONS.md §1.6) ------------------------------------------------------------


def test_example_1_sulphur_dioxide_exam_question():
    result = identify_major_hazard([{"name": "二氧化硫", "quantity_t": 200}], exposed_population=60)
    assert result.ratio_sum == 10 and result.is_major
    assert result.alpha == Decimal("1.5")
    assert result.r == 30
    assert result.grade == 3
    assert result.items[0].beta == 2
    assert "4.3" in result.basis and "表1–表6" in result.basis


def test_example_2_special_gas_store():
    # A1 2 t (Q 5, β 5), A2 2 t (Q 1, β 20), A3 1 t (Q 5, β 4): 硫化氢, 磷化氢, 氯.
    result = identify_major_hazard(
        [
            {"name": "硫化氢", "quantity_t": 2},
            {"name": "磷化氢", "quantity_t": 2},
            {"name": "氯", "quantity_t": 1},
        ],
        exposed_population=102,
    )
    assert result.ratio_sum == Fraction("2.6")
    assert result.is_major
    assert result.alpha == 2
    assert result.r == Fraction("85.6")
    assert result.grade == 2


def test_example_3_liquid_chlorine():
    result = identify_major_hazard([{"name": "液氯", "quantity_t": 8}], exposed_population=35)
    assert result.ratio_sum == Fraction("1.6") and result.is_major
    assert result.alpha == Decimal("1.2")
    assert result.r == Fraction("7.68")
    assert result.grade == 4


def test_ratio_sum_of_exactly_one_is_major():
    result = identify_major_hazard([{"name": "氯", "quantity_t": 5}], exposed_population=10)
    assert result.ratio_sum == 1 and result.is_major


def test_ratio_sum_is_exact_where_floats_would_fall_short():
    # 0.1 + 0.2 + 0.7 is 0.9999999999999999 in binary floating point; the standard's S is exactly 1.
    items = [
        {"name": "砷化氢", "quantity_t": 0.1},
        {"name": "锑化氢", "quantity_t": 0.2},
        {"name": "硒化氢", "quantity_t": 0.7},
    ]
    result = identify_major_hazard(items, exposed_population=0)
    assert result.ratio_sum == 1 and result.is_major


def test_just_below_one_is_not_major_and_needs_no_population():
    result = identify_major_hazard([{"name": "氯", "quantity_t": 4.999}])
    assert not result.is_major
    assert (result.alpha, result.r, result.grade) == (None, None, None)
    assert "4.2.1" in result.basis


@pytest.mark.parametrize(
    ("quantity", "grade"), [(99.9, 4), (100, 3), (499.9, 3), (500, 2), (999.9, 2), (1000, 1)]
)
def test_grade_edges_through_identification(quantity, grade):
    # W2 (Q 10), β 1, one resident (α 1): R = q / 10.
    result = identify_major_hazard(
        [{"category": "W2", "quantity_t": quantity, "beta": 1}], exposed_population=1
    )
    assert result.grade == grade


def test_table_2_chemical_by_name_and_category():
    result = identify_major_hazard(
        [{"name": "异丙醇", "category": "W5.3", "quantity_t": 2000}], exposed_population=0
    )
    item = result.items[0]
    assert item.row is None and item.critical_quantity_t == 1000 and item.beta == 1
    assert item.name.startswith("异丙醇") and "表2 W5.3" in item.basis
    assert result.alpha == Decimal("0.5") and result.r == 1 and result.grade == 4


def test_table_1_chemical_with_category_keeps_table_1_quantity():
    result = identify_major_hazard(
        [{"name": "苯", "category": "W5.1", "quantity_t": 100}], exposed_population=0
    )
    item = result.items[0]
    assert item.critical_quantity_t == 50
    assert item.beta == Decimal("1.5") and item.beta_source == "表4（W5.1）"
    assert "[U]" not in result.basis


def test_default_category_is_marked_unconfirmed():
    result = identify_major_hazard([{"name": "液化石油气", "quantity_t": 100}], exposed_population=200)
    item = result.items[0]
    assert item.category == "W2" and item.beta == Decimal("1.5")
    assert "[U]" in item.beta_source and "[U]" in result.basis
    assert result.r == 2 * Decimal("1.5") * 2 and result.grade == 4


def test_gas_row_uses_table_3_carbon_monoxide_with_note():
    result = identify_major_hazard([{"name": "一氧化碳", "quantity_t": 40}], exposed_population=0)
    assert result.items[0].row == 13 and result.items[0].beta == 2
    assert "[U]" in result.basis


def test_beta_given_by_caller_overrides():
    result = identify_major_hazard([{"name": "甲醇", "quantity_t": 500, "beta": 3}], exposed_population=0)
    assert result.items[0].beta == 3 and result.items[0].beta_source == "调用方给定"
    assert result.r == Fraction("1.5")


def test_substance_without_any_category_needs_one_only_when_major():
    small = identify_major_hazard([{"name": "三氧化硫", "quantity_t": 10}])
    assert not small.is_major and small.items[0].beta is None
    with pytest.raises(RuleInputError) as exc:
        identify_major_hazard([{"name": "三氧化硫", "quantity_t": 100}], exposed_population=0)
    assert exc.value.field == "substances[0].category"
    with_category = identify_major_hazard(
        [{"name": "三氧化硫", "quantity_t": 100, "beta": 1}], exposed_population=0
    )
    assert with_category.grade == 4


@pytest.mark.parametrize(
    ("substances", "population", "field"),
    [
        ([{"name": "不存在的物质", "quantity_t": 1}], 0, "substances[0].name"),
        ([{"name": "氨", "quantity_t": 1}, {"cas": "0000-00-0", "quantity_t": 1}], 0, "substances[1].cas"),
        ([{"cas": "9004-70-0", "quantity_t": 1}], 0, "substances[0].cas"),
        ([{"name": "硝化纤维素", "quantity_t": 1}], 0, "substances[0].name"),
        ([{"name": "氨", "quantity_t": -1}], 0, "substances[0].quantity_t"),
        ([{"name": "氨"}], 0, "substances[0].quantity_t"),
        ([{"name": "氨", "quantity_t": "10"}], 0, "substances[0].quantity_t"),
        ([{"name": "氨", "quantity_t": float("inf")}], 0, "substances[0].quantity_t"),
        ([{"quantity_t": 1}], 0, "substances[0].name"),
        ([{"category": "W99", "quantity_t": 1}], 0, "substances[0].category"),
        ([{"name": "氨", "quantity_t": 1, "beta": 0}], 0, "substances[0].beta"),
        ([{"name": "氨", "quantity_t": 1, "beta": -2}], 0, "substances[0].beta"),
        ([{"name": 7664, "quantity_t": 1}], 0, "substances[0].name"),
        ([{"name": "氨", "quantity_t": 1, "qty": 3}], 0, "substances[0].qty"),
        (["氨"], 0, "substances[0]"),
        ([], 0, "substances"),
        ({"name": "氨"}, 0, "substances"),
        ([{"name": "氨", "quantity_t": 100}], None, "exposed_population"),
        ([{"name": "氨", "quantity_t": 100}], -1, "exposed_population"),
        ([{"name": "氨", "quantity_t": 100}], 2.5, "exposed_population"),
    ],
)
def test_bad_input_names_the_item(substances, population, field):
    with pytest.raises(RuleInputError) as exc:
        identify_major_hazard(substances, exposed_population=population)
    assert exc.value.field == field
    assert exc.value.message


def test_unknown_name_suggests_close_rows_and_table_2():
    with pytest.raises(RuleInputError) as exc:
        find_substance(name="甲醛")
    assert "第8行" in exc.value.message and "category" in exc.value.message


def test_search_by_fragment_name_alias_or_cas():
    assert {s.row for s in search_substances("硝化纤维素")} == {37, 38, 39, 40, 41, 42}
    assert [s.row for s in search_substances("7782-50")] == [12]
    assert [s.row for s in search_substances("光气")] == [6]
    assert search_substances("  ") == []


inventory_item = st.one_of(
    st.builds(
        lambda row, q: {"name": load_tables().substances[row - 1].name, "quantity_t": q},
        st.sampled_from([r for r in range(1, 86) if r != 26]),
        st.decimals(min_value=0, max_value=5000, places=3),
    ),
    st.builds(
        lambda symbol, q: {"category": symbol, "quantity_t": q},
        st.sampled_from(list(TABLE_2_AND_4)),
        st.decimals(min_value=0, max_value=50000, places=3),
    ),
)


@given(st.lists(inventory_item, min_size=1, max_size=6), inventory_item)
def test_adding_a_substance_never_lowers_s(items, extra):
    before = identify_major_hazard(items, exposed_population=0)
    after = identify_major_hazard([*items, extra], exposed_population=0)
    assert after.ratio_sum >= before.ratio_sum
    if before.is_major:
        assert after.is_major and after.r >= before.r


@given(st.lists(inventory_item, min_size=1, max_size=6), st.integers(0, 300), st.integers(0, 300))
def test_more_exposed_people_never_lower_r(items, a, b):
    low, high = sorted((a, b))
    first = identify_major_hazard(items, exposed_population=low)
    second = identify_major_hazard(items, exposed_population=high)
    if first.is_major:
        assert second.r >= first.r and second.grade <= first.grade
