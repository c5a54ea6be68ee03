"""GB 32100-2015 credit codes, GB 11714 organisation codes inside them, GB 11643-1999 ID numbers (§10)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules.identifiers import (
    CREDIT_CODE_CHARSET,
    check_credit_code,
    check_id_number,
    complete_credit_code,
    compute_credit_code_check,
    compute_id_number_check,
    compute_org_code_check,
    mask_id_number,
    mask_phone,
)

VALID_CODES = ["91350100M000100Y43", "91110108551385082Q"]


@pytest.mark.parametrize("code", VALID_CODES)
def test_known_valid_credit_codes(code):
    result = check_credit_code(code)
    assert result.valid
    assert result.reason == ""
    assert result.expected_check == code[-1]
    assert "GB 32100-2015" in result.basis and "GB 11714" in result.basis


@pytest.mark.parametrize("code", VALID_CODES)
def test_check_characters_of_known_codes(code):
    assert compute_credit_code_check(code[:17]) == code[17]
    assert compute_org_code_check(code[8:16]) == code[16]


def test_credit_code_weights_are_powers_of_three_mod_31():
    from shouye.rules.identifiers import CREDIT_CODE_WEIGHTS

    assert CREDIT_CODE_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_wrong_check_character_names_position_18_and_expected_value():
    result = check_credit_code("91110108551385082R")
    assert not result.valid
    assert result.expected_check == "Q"
    assert "第18位" in result.reason and "“Q”" in result.reason and "“R”" in result.reason


def test_wrong_organisation_code_check_names_position_17():
    code = "91110108551385083Q"
    result = check_credit_code(code)
    assert not result.valid
    assert "第17位" in result.reason and "组织机构代码" in result.reason and "“2”" in result.reason


def test_organisation_code_check_x_and_zero():
    # r = 10 → X, r = 11 → 0 (GB 11714).
    assert compute_org_code_check("00000000") == "0"
    body_x = next(f"{n:08d}" for n in range(10**6) if compute_org_code_check(f"{n:08d}") == "X")
    assert compute_org_code_check(body_x) == "X"
    code = complete_credit_code("91370113" + body_x)
    assert code[16] == "X" and check_credit_code(code).valid


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "为空"),
        ("9111010855138508", "应为18位，当前为16位"),
        ("91110108551385082QQ", "当前为19位"),
        ("91110108551385082q", "第18位“q”是小写字母，应为大写“Q”"),
        ("9111010855138508IQ", "第17位“I”不是统一社会信用代码的字符"),
        ("911101085513850O2Q", "第16位“O”"),
        ("91110108 51385082Q", "第9位空白或不可见字符"),
        ("9111010855138508２Q", "第17位“２”"),
    ],
)
def test_credit_code_format_errors(code, fragment):
    result = check_credit_code(code)
    assert not result.valid
    assert fragment in result.reason
    assert result.expected_check is None


@pytest.mark.parametrize("value", [None, 91350100, ["91350100M000100Y43"]])
def test_credit_code_non_text_is_invalid_not_a_crash(value):
    assert not check_credit_code(value).valid


def test_compute_helpers_reject_bad_input():
    with pytest.raises(ValueError):
        compute_credit_code_check("123")
    with pytest.raises(ValueError):
        compute_org_code_check("1234567")
    with pytest.raises(ValueError):
        complete_credit_code("9137011300000I00")
    with pytest.raises(ValueError):
        compute_id_number_check("1101051949123100X")


charset = st.sampled_from(CREDIT_CODE_CHARSET)
first16 = st.text(alphabet=CREDIT_CODE_CHARSET, min_size=16, max_size=16)


@given(first16)
def test_completed_credit_code_always_validates(head):
    code = complete_credit_code(head)
    assert check_credit_code(code).valid
    assert compute_credit_code_check(code[:17]) == code[17]


@given(first16, st.integers(min_value=0, max_value=17), charset)
def test_any_single_changed_character_is_invalid(head, position, replacement):
    code = complete_credit_code(head)
    if code[position] == replacement:
        replacement = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    result = check_credit_code(changed)
    assert not result.valid
    assert result.reason


# --- resident ID numbers -----------------------------------------------------------------------------


def test_standard_example_id_number():
    result = check_id_number("11010519491231002X")
    assert result.valid
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex == "female"
    assert result.expected_check == "X"
    assert "GB 11643-1999" in result.basis


def test_sex_from_position_17():
    first17 = "11010519491231001"
    number = first17 + compute_id_number_check(first17)
    assert check_id_number(number).sex == "male"


@pytest.mark.parametrize(
    ("number", "fragment", "expected_check"),
    [
        ("", "为空", None),
        ("110105194912310", "应为18位，当前为15位（15位旧号码请使用18位新号码）", None),
        ("11010519491231002", "当前为17位", None),
        ("11010519491231002x", "第18位“x”是小写字母，应为大写“X”", "X"),
        ("110105194912310021", "第18位校验码应为“X”，当前为“1”", "X"),
        ("11010519491331002X", "第7–14位出生日期“19491331”不是有效日期", "1"),
        ("11010519490229002X", "出生日期“19490229”不是有效日期", None),
        ("1101051949123100AX", "第17位“A”应为数字0–9", None),
        ("11010519491231002Y", "第18位“Y”应为数字0–9或大写X", "X"),
    ],
)
def test_id_number_errors(number, fragment, expected_check):
    result = check_id_number(number)
    assert not result.valid
    assert fragment in result.reason
    if expected_check is not None:
        assert result.expected_check == expected_check
    assert result.birth_date is None and result.sex is None


def test_leap_day_birth_date_is_accepted():
    first17 = "11010520000229001"
    result = check_id_number(first17 + compute_id_number_check(first17))
    assert result.valid and result.birth_date == date(2000, 2, 29)


id_heads = st.builds(
    lambda area, born, seq: f"{area:06d}{born:%Y%m%d}{seq:03d}",
    st.integers(min_value=110000, max_value=820000),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@given(id_heads)
def test_computed_id_check_always_validates(head):
    result = check_id_number(head + compute_id_number_check(head))
    assert result.valid
    assert result.sex == ("male" if int(head[16]) % 2 else "female")


@given(id_heads, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_changed_id_character_is_invalid(head, position, replacement):
    number = head + compute_id_number_check(head)
    if number[position] == replacement or (position < 17 and replacement == "X"):
        return
    changed = number[:position] + replacement + number[position + 1 :]
    assert not check_id_number(changed).valid


# --- masking -------------------------------------------------------------------------------------------


def test_masks_from_regulations():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("", ""),
        ("123", "***"),
        ("1234567", "*******"),
        ("12345678901", "123****8901"),
        (" 13812345678 ", "138****5678"),
        ("+8613812345678", "+86*******5678"),
        (None, ""),
        (13812345678, ""),
    ],
)
def test_mask_phone_short_and_odd_input(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110105194912310", "110105*****2310"),
        ("1101051949123", "*************"),
        ("X", "*"),
        (None, ""),
    ],
)
def test_mask_id_short_and_odd_input(value, masked):
    assert mask_id_number(value) == masked


@given(st.text(max_size=40))
def test_masking_never_reveals_more_than_head_and_tail(value):
    for masked, head, tail in ((mask_id_number(value), 6, 4), (mask_phone(value), 3, 4)):
        text = value.strip()
        assert len(masked) == len(text)
        shown = sum(1 for a, b in zip(masked, text, strict=True) if a == b and a != "*")
        assert shown <= head + tail
