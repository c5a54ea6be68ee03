"""An enterprise's colour (应急〔2018〕19号) and a chemical park's grade (导则) from their scores, REGULATIONS-2 §A.7."""

import json
from decimal import Decimal

import pytest

from shouye.rules.data.enterprise_risk import (
    DIRECT_RED_CONDITIONS,
    ENTERPRISE_COLOUR_BANDS,
    PARK_GRADE_BANDS,
    enterprise_colour_bands_from_data,
    park_grade_bands_from_data,
    score_bands_to_data,
)
from shouye.rules.enterprise_risk import enterprise_risk_colour, park_risk_grade
from shouye.rules.errors import RuleInputError


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        (0, "red"),
        (Decimal("59.99"), "red"),
        (60, "orange"),
        (Decimal("74.99"), "orange"),
        (75, "yellow"),
        (Decimal("89.99"), "yellow"),
        (90, "blue"),
        (100, "blue"),
        (89.9, "yellow"),
        (59.9, "red"),
    ],
)
def test_enterprise_colour_bands_include_their_lower_bound(score, colour):
    result = enterprise_risk_colour(score)
    assert result.colour == colour
    assert result.direct_red is False
    assert "19号" in result.basis


def test_direct_red_needs_no_score_and_overrides_one():
    result = enterprise_risk_colour(direct_red=True)
    assert (result.colour, result.score, result.direct_red) == ("red", None, True)
    assert "直接判定为红色" in result.basis
    assert enterprise_risk_colour(95, direct_red=True).colour == "red"
    assert enterprise_risk_colour(95, direct_red=False).colour == "blue"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({}, "score", "缺少评估得分"),
        ({"score": None, "direct_red": False}, "score", "缺少评估得分"),
        ({"score": -0.1}, "score", "不能小于0"),
        ({"score": 100.01}, "score", "满分为100分"),
        ({"score": "80"}, "score", "数字"),
        ({"score": 80, "direct_red": "false"}, "direct_red", "true 或 false"),
        ({"score": 101, "direct_red": True}, "score", "满分为100分"),
    ],
)
def test_enterprise_colour_errors(kwargs, field, words):
    with pytest.raises(RuleInputError) as exc:
        enterprise_risk_colour(**kwargs)
    assert exc.value.field == field
    assert words in exc.value.message


def test_direct_red_conditions_are_data_with_their_text():
    codes = [c["code"] for c in DIRECT_RED_CONDITIONS]
    assert len(codes) == len(set(codes)) == 6
    texts = " ".join(c["text"] for c in DIRECT_RED_CONDITIONS)
    for words in (
        "小试、中试、工业化试验",
        "安全设计诊断",
        "高中以上文化程度",
        "重大以上安全事故",
        "2起较大",
        "亡人一般",
    ):
        assert words in texts
    json.dumps(DIRECT_RED_CONDITIONS, ensure_ascii=False)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (0, "A"),
        (Decimal("59.99"), "A"),
        (60, "B"),
        (Decimal("69.99"), "B"),
        (70, "C"),
        (Decimal("84.99"), "C"),
        (85, "D"),
        (100, "D"),
    ],
)
def test_park_grade_bands_include_their_lower_bound(score, grade):
    result = park_risk_grade(score)
    assert result.grade == grade
    assert "化工园区安全风险排查治理导则" in result.basis


@pytest.mark.parametrize(
    ("score", "words"), [(None, "缺少"), (-1, "不能小于0"), (100.5, "满分"), (True, "数字")]
)
def test_park_grade_errors(score, words):
    with pytest.raises(RuleInputError) as exc:
        park_risk_grade(score)
    assert exc.value.field == "score"
    assert words in exc.value.message


def test_bands_round_trip_through_json():
    for table, reader in (
        (ENTERPRISE_COLOUR_BANDS, enterprise_colour_bands_from_data),
        (PARK_GRADE_BANDS, park_grade_bands_from_data),
    ):
        assert reader(json.loads(json.dumps(score_bands_to_data(table), ensure_ascii=False))) == table


def test_the_bureaus_edited_bands_are_used():
    edited = enterprise_colour_bands_from_data(
        {
            "bands": [
                {"minimum": 92.5, "value": "blue", "label": "蓝"},
                {"minimum": 75, "value": "yellow", "label": "黄"},
                {"minimum": 60, "value": "orange", "label": "橙"},
                {"minimum": 0, "value": "red", "label": "红"},
            ]
        }
    )
    assert enterprise_risk_colour(92.5, table=edited).colour == "blue"
    assert enterprise_risk_colour(92.4, table=edited).colour == "yellow"
    assert "19号" in edited.basis and "92.5分" in edited.basis
    park = park_grade_bands_from_data(
        {
            "bands": [
                {"minimum": 80, "value": "D", "label": "D"},
                {"minimum": 0, "value": "A", "label": "A"},
            ],
            "basis": "区局修订",
        }
    )
    assert park_risk_grade(79, table=park).grade == "A"
    assert park_risk_grade(80, table=park).basis == "区局修订"


@pytest.mark.parametrize(
    ("bands", "field", "words"),
    [
        (None, "bands", "列表"),
        ([], "bands", "列表"),
        ([{"minimum": 0, "value": "red", "label": "红"}] * 11, "bands", "列表"),
        (["red"], "bands[0]", "对象"),
        ([{"minimum": 0, "value": "red", "label": "红", "x": 1}], "bands[0].x", "无法识别"),
        ([{"minimum": 101, "value": "blue", "label": "蓝"}], "bands[0].minimum", "100分"),
        ([{"minimum": -1, "value": "blue", "label": "蓝"}], "bands[0].minimum", "不能小于0"),
        (
            [{"minimum": 60, "value": "blue", "label": "蓝"}, {"minimum": 60, "value": "red", "label": "红"}],
            "bands[1].minimum",
            "依次减小",
        ),
        ([{"minimum": 0, "value": "purple", "label": "紫"}], "bands[0].value", "之一"),
        (
            [{"minimum": 60, "value": "red", "label": "红"}, {"minimum": 0, "value": "blue", "label": "蓝"}],
            "bands[1].value",
            "更好",
        ),
        ([{"minimum": 0, "value": "red", "label": " "}], "bands[0].label", "说明"),
        (
            [{"minimum": 60, "value": "blue", "label": "蓝"}, {"minimum": 10, "value": "red", "label": "红"}],
            "bands[1].minimum",
            "应为0",
        ),
    ],
)
def test_edited_bands_are_checked(bands, field, words):
    with pytest.raises(RuleInputError) as exc:
        enterprise_colour_bands_from_data({"bands": bands})
    assert exc.value.field == field
    assert words in exc.value.message


def test_edited_bands_refuse_unknown_keys_and_bad_basis():
    good = score_bands_to_data(ENTERPRISE_COLOUR_BANDS)
    with pytest.raises(RuleInputError) as exc:
        enterprise_colour_bands_from_data({**good, "colours": []})
    assert exc.value.field == "colours"
    with pytest.raises(RuleInputError) as exc:
        enterprise_colour_bands_from_data({**good, "basis": ""})
    assert exc.value.field == "basis"
    with pytest.raises(RuleInputError) as exc:
        park_grade_bands_from_data({"bands": [{"minimum": 0, "value": "red", "label": "红"}]})
    assert exc.value.field == "bands[0].value"
    with pytest.raises(RuleInputError) as exc:
        park_grade_bands_from_data([])
    assert exc.value.field == "table"
