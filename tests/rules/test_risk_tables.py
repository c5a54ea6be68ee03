"""Edited LEC, matrix and MES tables to and from plain JSON data (shouye.rules.data.risk)."""

import copy
import json
from decimal import Decimal

import pytest

from shouye.rules.data.risk import (
    LEC_TABLE,
    MATRIX_TABLE,
    MES_TABLE,
    lec_table_from_data,
    matrix_table_from_data,
    mes_table_from_data,
    table_to_data,
)
from shouye.rules.errors import RuleInputError
from shouye.rules.risk import assess_lec, assess_mes, assess_risk_matrix

READERS = [
    (LEC_TABLE, lec_table_from_data),
    (MATRIX_TABLE, matrix_table_from_data),
    (MES_TABLE, mes_table_from_data),
]


@pytest.mark.parametrize(("table", "reader"), READERS)
def test_default_tables_round_trip_through_json(table, reader):
    data = json.loads(json.dumps(table_to_data(table), ensure_ascii=False))
    assert reader(data) == table
    assert data["bands"][0]["colour"] == "red"


def test_data_shape():
    data = table_to_data(LEC_TABLE)
    assert set(data) == {"l_values", "e_values", "c_values", "bands", "basis"}
    assert list(data["l_values"])[:2] == ["10", "6"] and data["l_values"]["0.5"] == "很不可能，可以设想"
    assert data["bands"][0] == {
        "minimum": 320,
        "level": 1,
        "colour": "red",
        "label": "极其危险，不能继续作业",
    }
    assert set(table_to_data(MATRIX_TABLE)) == {"l_values", "s_values", "bands", "basis"}
    assert set(table_to_data(MES_TABLE)) == {"m_values", "e_values", "s_values", "bands", "basis"}


def test_an_edited_table_grades_by_its_own_values():
    data = table_to_data(LEC_TABLE)
    data["bands"][0]["minimum"] = 400
    data["l_values"]["4"] = "企业自定档"
    del data["basis"]
    table = lec_table_from_data(data)
    assert assess_lec(3, 3, 40).colour == "red"  # 360 by the default table
    assert assess_lec(3, 3, 40, table).colour == "orange"  # below the edited 400
    assert assess_lec(1, 10, 40, table).colour == "red"  # 400, on the edited edge
    assert assess_lec(4, 10, 7, table).d == 280  # the new L value is accepted
    assert "修订" in table.basis and "D≥400" in table.basis


def test_an_edited_matrix_and_mes_table():
    matrix = table_to_data(MATRIX_TABLE)
    matrix["bands"][0]["minimum"] = 15
    assert assess_risk_matrix(3, 5, matrix_table_from_data(matrix)).colour == "red"
    mes = table_to_data(MES_TABLE)
    mes["s_values"]["6"] = "企业自定"
    assert assess_mes(5, 6, 6, mes_table_from_data(mes)).r == 180


def test_numbers_may_be_given_as_numbers_and_minimums_as_fractions():
    data = table_to_data(MES_TABLE)
    data["m_values"] = {5: "无", 3: "减轻", 1: "预防"}
    data["bands"][1]["minimum"] = 89.5
    table = mes_table_from_data(data)
    assert Decimal(5) in table.m_values
    assert table.bands[1].minimum == Decimal("89.5")
    assert table_to_data(table)["bands"][1]["minimum"] == 89.5


def _broken(table, change):
    data = copy.deepcopy(table_to_data(table))
    change(data)
    return data


@pytest.mark.parametrize(
    ("table", "reader", "change", "field", "words"),
    [
        (LEC_TABLE, lec_table_from_data, lambda d: d.pop("l_values"), "l_values", "非空的对象"),
        (LEC_TABLE, lec_table_from_data, lambda d: d.update(e_values={}), "e_values", "非空的对象"),
        (LEC_TABLE, lec_table_from_data, lambda d: d.update(x=1), "x", "无法识别"),
        (LEC_TABLE, lec_table_from_data, lambda d: d["c_values"].update({"-3": "负"}), "c_values.-3", "正数"),
        (LEC_TABLE, lec_table_from_data, lambda d: d["c_values"].update({"0": "零"}), "c_values.0", "正数"),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["c_values"].update({"abc": "字"}),
            "c_values.abc",
            "数字",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["c_values"].update({"Infinity": "无穷"}),
            "c_values.Infinity",
            "正数",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["c_values"].update({"7.0": "七"}),
            "c_values.7.0",
            "重复",
        ),
        (LEC_TABLE, lec_table_from_data, lambda d: d["c_values"].update({"5": ""}), "c_values.5", "非空文字"),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["c_values"].update({str(n): "x" for n in range(50, 70)}),
            "c_values",
            "最多20个",
        ),
        (LEC_TABLE, lec_table_from_data, lambda d: d.update(bands=[]), "bands", "非空的列表"),
        (LEC_TABLE, lec_table_from_data, lambda d: d.update(bands=d["bands"] * 3), "bands", "最多10级"),
        (LEC_TABLE, lec_table_from_data, lambda d: d["bands"].reverse(), "bands[0].level", "依次编号"),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][1].update(minimum=320),
            "bands[1].minimum",
            "依次减小",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][2].update(minimum=200),
            "bands[2].minimum",
            "依次减小",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][4].update(minimum=1),
            "bands[4].minimum",
            "应为0",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][0].update(minimum=-1),
            "bands[0].minimum",
            "不能小于0",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][0].update(minimum="320"),
            "bands[0].minimum",
            "数字",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][0].update(colour="green"),
            "bands[0].colour",
            "red、orange、yellow、blue",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][2].update(colour="red"),
            "bands[2].colour",
            "更危险",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][0].update(label=None),
            "bands[0].label",
            "非空文字",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][0].update(label="长" * 101),
            "bands[0].label",
            "100字",
        ),
        (
            LEC_TABLE,
            lec_table_from_data,
            lambda d: d["bands"][0].update(extra=1),
            "bands[0].extra",
            "无法识别",
        ),
        (LEC_TABLE, lec_table_from_data, lambda d: d["bands"].__setitem__(0, "red"), "bands[0]", "应为对象"),
        (LEC_TABLE, lec_table_from_data, lambda d: d.update(basis=""), "basis", "非空文字"),
        (
            MATRIX_TABLE,
            matrix_table_from_data,
            lambda d: d["l_values"].update({"2.5": "半"}),
            "l_values.2.5",
            "正整数",
        ),
        (
            MATRIX_TABLE,
            matrix_table_from_data,
            lambda d: d["bands"][3].update(minimum=2),
            "bands[3].minimum",
            "0至1",
        ),
        (MATRIX_TABLE, matrix_table_from_data, lambda d: d.update(c_values={}), "c_values", "无法识别"),
        (MES_TABLE, mes_table_from_data, lambda d: d.pop("m_values"), "m_values", "非空的对象"),
        (
            MES_TABLE,
            mes_table_from_data,
            lambda d: d["bands"][4].update(minimum=0.5),
            "bands[4].minimum",
            "应为0",
        ),
    ],
)
def test_bad_tables_name_the_field(table, reader, change, field, words):
    with pytest.raises(RuleInputError) as exc:
        reader(_broken(table, change))
    assert exc.value.field == field
    assert words in exc.value.message


@pytest.mark.parametrize("reader", [lec_table_from_data, matrix_table_from_data, mes_table_from_data])
def test_a_table_must_be_an_object(reader):
    with pytest.raises(RuleInputError) as exc:
        reader([])
    assert exc.value.field == "table"


def test_matrix_floor_may_be_zero_or_its_smallest_product():
    for floor in (0, 1):
        data = table_to_data(MATRIX_TABLE)
        data["bands"][3]["minimum"] = floor
        assert matrix_table_from_data(data).bands[3].minimum == floor
    data = table_to_data(MATRIX_TABLE)
    data["l_values"] = {"2": "a", "3": "b"}
    data["s_values"] = {"2": "a", "3": "b"}
    data["bands"][2]["minimum"] = 6
    data["bands"][3]["minimum"] = 4  # the smallest product is 2×2 = 4
    assert matrix_table_from_data(data).bands[-1].minimum == 4


def test_table_to_data_refuses_other_objects():
    with pytest.raises(RuleInputError) as exc:
        table_to_data({"bands": []})
    assert exc.value.field == "table"
