"""Certificate expiry and review (REGULATIONS-2 §F.3, §F.4; the issue's "Semantics" paragraph)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shouye.rules.certificates import CertificateReview, add_years, review
from shouye.rules.errors import RuleInputError


def test_special_operation_never_reviewed_counts_three_years_from_issue():
    result = review("special_operation", date(2024, 3, 15))
    assert result == CertificateReview(
        expires_on=date(2030, 3, 15),
        next_review_due=date(2027, 3, 15),
        apply_from=date(2027, 3, 15) - timedelta(days=60),
        apply_by=date(2027, 3, 15),
        basis=result.basis,
    )
    assert result.apply_from == date(2027, 1, 14)
    assert "第30号" in result.basis and "第二百零二条" in result.basis


def test_special_operation_counts_from_the_last_review():
    result = review("special_operation", date(2020, 6, 1), last_review_on=date(2023, 5, 20))
    assert result.expires_on == date(2026, 6, 1)
    assert result.next_review_due == date(2026, 5, 20)
    assert (result.apply_from, result.apply_by) == (date(2026, 3, 21), date(2026, 5, 20))
    assert "自上次复审之日起算" in result.basis


def test_review_on_the_issue_day_is_accepted():
    result = review("special_operation", date(2024, 1, 10), last_review_on=date(2024, 1, 10))
    assert result.next_review_due == date(2027, 1, 10)


@pytest.mark.parametrize(
    ("continuous_years", "compliant", "interval"),
    [(0, True, 3), (9, True, 3), (10, True, 6), (11, True, 6), (10, False, 3), (30, False, 3)],
)
def test_six_year_interval_needs_ten_continuous_years_and_compliance(continuous_years, compliant, interval):
    result = review(
        "special_operation", date(2021, 4, 1), continuous_years=continuous_years, compliant=compliant
    )
    assert result.next_review_due == date(2021 + interval, 4, 1)
    assert result.expires_on == date(2027, 4, 1)
    assert ("每6年1次" in result.basis) is (interval == 6)


def test_review_due_after_expiry_is_capped_at_expiry():
    # Reviewed in year 2 with the 6-year interval: 2022 + 6 = 2028, but the certificate lapses in 2026.
    result = review(
        "special_operation", date(2020, 9, 1), last_review_on=date(2022, 9, 1), continuous_years=15
    )
    assert result.expires_on == date(2026, 9, 1)
    assert result.next_review_due == date(2026, 9, 1)
    assert result.apply_by == date(2026, 9, 1)
    assert result.apply_from == date(2026, 7, 3)
    assert "取有效期满日" in result.basis
    # One day less would not cap: a 3-year review from a review in year 3 lands exactly on expiry.
    exact = review("special_operation", date(2020, 9, 1), last_review_on=date(2023, 9, 1))
    assert exact.next_review_due == exact.expires_on == date(2026, 9, 1)
    assert "取有效期满日" not in exact.basis
    inside = review("special_operation", date(2020, 9, 1), last_review_on=date(2023, 8, 31))
    assert inside.next_review_due == date(2026, 8, 31)


def test_review_on_the_expiry_day_is_accepted_and_capped():
    result = review("special_operation", date(2020, 9, 1), last_review_on=date(2026, 9, 1))
    assert result.next_review_due == date(2026, 9, 1)


def test_29_february_periods_end_on_28_february():
    """民法典 Art. 202: no corresponding day → the month's last day (28 February), not 1 March."""
    result = review("special_operation", date(2024, 2, 29))
    assert result.expires_on == date(2030, 2, 28)
    assert result.next_review_due == date(2027, 2, 28)
    assert review("safety_qualification", date(2024, 2, 29)).expires_on == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2023, 2, 28), 1) == date(2024, 2, 28)


def test_safety_qualification_valid_three_years_without_review():
    result = review("safety_qualification", date(2025, 1, 20), continuous_years=12)
    assert result.expires_on == date(2028, 1, 20)
    assert result.next_review_due is None
    assert result.apply_from is None
    assert result.apply_by == date(2027, 12, 21)
    assert "30日前" in result.basis


def test_iso_text_dates_are_accepted():
    assert review("special_operation", "2024-03-15", "2025-01-01").next_review_due == date(2028, 1, 1)


def test_result_is_frozen():
    result = review("special_operation", date(2024, 3, 15))
    with pytest.raises(AttributeError):
        result.apply_by = date(2000, 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"kind": "driving_licence", "issued_on": date(2024, 1, 1)}, "kind", "证书类型"),
        ({"kind": "special_operation", "issued_on": None}, "issued_on", "发证日期"),
        ({"kind": "special_operation", "issued_on": "2024-13-01"}, "issued_on", "ISO"),
        ({"kind": "special_operation", "issued_on": "2024-01-01T08:00"}, "issued_on", "发证日期"),
        (
            {"kind": "special_operation", "issued_on": date(2024, 1, 10), "last_review_on": date(2024, 1, 9)},
            "last_review_on",
            "早于发证日期",
        ),
        (
            {
                "kind": "special_operation",
                "issued_on": date(2020, 1, 10),
                "last_review_on": date(2026, 1, 11),
            },
            "last_review_on",
            "晚于证书有效期满日",
        ),
        (
            {
                "kind": "safety_qualification",
                "issued_on": date(2024, 1, 10),
                "last_review_on": date(2025, 1, 1),
            },
            "last_review_on",
            "不实行复审",
        ),
        (
            {"kind": "special_operation", "issued_on": date(2024, 1, 1), "continuous_years": -1},
            "continuous_years",
            "不能小于0",
        ),
        (
            {"kind": "special_operation", "issued_on": date(2024, 1, 1), "continuous_years": 2.5},
            "continuous_years",
            "整数",
        ),
        (
            {"kind": "special_operation", "issued_on": date(2024, 1, 1), "continuous_years": 81},
            "continuous_years",
            "不能超过80年",
        ),
        (
            {"kind": "special_operation", "issued_on": date(2024, 1, 1), "compliant": "yes"},
            "compliant",
            "true",
        ),
    ],
)
def test_bad_input_names_the_field(kwargs, field, words):
    with pytest.raises(RuleInputError) as raised:
        review(**kwargs)
    assert raised.value.field == field
    assert words in raised.value.message


@given(
    issued=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    reviewed_after=st.one_of(st.none(), st.integers(min_value=0, max_value=6 * 366)),
    continuous_years=st.integers(min_value=0, max_value=40),
    compliant=st.booleans(),
)
def test_special_operation_invariants(issued, reviewed_after, continuous_years, compliant):
    expires = add_years(issued, 6)
    last = None if reviewed_after is None else issued + timedelta(days=reviewed_after)
    if last is not None and last > expires:
        return
    result = review("special_operation", issued, last, continuous_years, compliant)
    start = last or issued
    assert result.expires_on == expires
    assert start < result.next_review_due <= result.expires_on or start == result.next_review_due == expires
    assert result.next_review_due <= add_years(start, 6 if continuous_years >= 10 and compliant else 3)
    assert result.apply_by == result.next_review_due
    assert result.apply_by - result.apply_from == timedelta(days=60)
